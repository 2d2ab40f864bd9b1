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
