export { formatDate, formatDateTime } from "~/lib/dates";

/**
 * "3 days ago", for queues where age matters more than the exact time. `now`
 * comes from the loader (the server's clock), never from the render: a page
 * hydrated a moment later must write the same words the server did.
 */
export function formatAge(value: Date | string, now: number): string {
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
