const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

const NBSP = "\u00a0";

/**
 * Dates arrive as Date on the server and as ISO strings after serialisation. Shown in UTC so server and browser agree.
 * Non-breaking spaces keep "24 Nov 2026" and "03:36 UTC" whole, so a narrow
 * table column wraps the value after the comma and nowhere else.
 */
export function formatDateTime(value: Date | string): string {
  const formatted = dateTime.format(new Date(value));
  const comma = formatted.lastIndexOf(", ");
  if (comma === -1) return `${formatted} UTC`;
  const date = formatted.slice(0, comma).replaceAll(" ", NBSP);
  const time = formatted.slice(comma + 2).replaceAll(" ", NBSP);
  return `${date}, ${time}${NBSP}UTC`;
}

const dateOnly = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** "24 Nov 2026", in UTC like formatDateTime. */
export function formatDate(value: Date | string): string {
  return dateOnly.format(new Date(value)).replaceAll(" ", NBSP);
}

/** "3 days ago", for queues where age matters more than the exact time. */
export function formatAge(value: Date | string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - new Date(value).getTime()) / 60_000));
  if (minutes < 60) return minutes <= 1 ? "just now" : `${minutes} minutes ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return hours === 1 ? "1 hour ago" : `${hours} hours ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? "1 day ago" : `${days} days ago`;
}

/** "1 person", "7 people": a count with the word that fits it. */
export function countOf(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A file size as people read it: "2.4 MB", "18 KB" (never "0 KB"). */
export const formatBytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
