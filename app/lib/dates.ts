// One date format for pages and emails, so a link's expiry reads the same in
// the email as on the page it opens. Shared with the browser bundle.

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dateOnly = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

const NBSP = "\u00a0";

/**
 * "3 Dec 2026, 14:05 UTC". Dates arrive as Date on the server and as ISO
 * strings after serialisation; shown in UTC, and saying so, so that server,
 * browser and email agree. Non-breaking spaces keep "3 Dec 2026" and
 * "14:05 UTC" whole, so a narrow column or a mail client wraps the value after
 * the comma and nowhere else.
 */
export function formatDateTime(value: Date | string): string {
  const formatted = dateTime.format(new Date(value));
  const comma = formatted.lastIndexOf(", ");
  if (comma === -1) return `${formatted}${NBSP}UTC`;
  const date = formatted.slice(0, comma).replaceAll(" ", NBSP);
  const time = formatted.slice(comma + 2).replaceAll(" ", NBSP);
  return `${date}, ${time}${NBSP}UTC`;
}

/** "3 Dec 2026": the day in UTC, like formatDateTime. */
export function formatDate(value: Date | string): string {
  return dateOnly.format(new Date(value)).replaceAll(" ", NBSP);
}

export const DAY_MS = 86_400_000;

/** The UTC day of a moment, YYYY-MM-DD: how rollups and snapshots name their days. */
export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);
