// Ranges of UTC days (YYYY-MM-DD, both ends included) cut at calendar
// months: the reports read a whole month's figures from the monthly rollups
// and the days around them from the daily ones (decision 031). Plain
// functions of dates, no server imports.

export type DayRange = { from: string; to: string };

/** A range cut at month boundaries: its whole calendar months (their first days, `from` to `to`) and the days outside them. */
export type MonthSplit = { months: DayRange | null; days: DayRange[] };

const DAY_MS = 86_400_000;
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The first day of the month `offset` months after `day`'s. */
function monthStart(day: string, offset = 0): string {
  const date = new Date(msOf(day));
  return dayOf(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
}

/**
 * The whole calendar months inside a range, and the days before and after
 * them (none, one or two ranges). A range with no whole month is all days.
 */
export function splitByMonths(range: DayRange): MonthSplit {
  const firstWhole = range.from === monthStart(range.from) ? range.from : monthStart(range.from, 1);
  // Whole months end before the first day of the month of the day after the range: a range to a month's last day takes that month.
  const pastWhole = monthStart(dayOf(msOf(range.to) + DAY_MS));
  if (firstWhole >= pastWhole) return { months: null, days: [range] };
  const days: DayRange[] = [];
  if (range.from < firstWhole) days.push({ from: range.from, to: dayOf(msOf(firstWhole) - DAY_MS) });
  if (pastWhole <= range.to) days.push({ from: pastWhole, to: range.to });
  return { months: { from: firstWhole, to: monthStart(pastWhole, -1) }, days };
}

/** Each calendar month a range touches, in order: its key (YYYY-MM) and the range's days in it. */
export function monthsOf(range: DayRange): { key: string; from: string; to: string }[] {
  const months: { key: string; from: string; to: string }[] = [];
  for (let start = monthStart(range.from); start <= range.to; start = monthStart(start, 1)) {
    const last = dayOf(msOf(monthStart(start, 1)) - DAY_MS);
    months.push({ key: start.slice(0, 7), from: start < range.from ? range.from : start, to: last > range.to ? range.to : last });
  }
  return months;
}

/**
 * Ranges in order, those that overlap or touch made one: a period's days
 * after the whole months and the next period's days before them are one read.
 * `unit` is what the ranges step by (a range of months runs from its first
 * month's first day to its last month's).
 */
export function joinAdjacent(ranges: readonly DayRange[], unit: "day" | "month"): DayRange[] {
  const joined: DayRange[] = [];
  for (const range of [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))) {
    const last = joined.at(-1);
    const next = last && (unit === "day" ? dayOf(msOf(last.to) + DAY_MS) : monthStart(last.to, 1));
    if (last && next && range.from <= next) last.to = range.to > last.to ? range.to : last.to;
    else joined.push({ ...range });
  }
  return joined;
}
