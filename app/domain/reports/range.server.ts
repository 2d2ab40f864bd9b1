import { z } from "zod";
import type { StatsRange } from "../links/stats.server";
import { utcDay } from "../links/visitors.server";
import { RANGE_PRESETS, REPORT_MAX_DAYS, type CompareMode, type RangeInput, type RangePreset, type ReportRange } from "./range";

// The reports' date range, read from the page's address: a preset
// (`?range=30d`) or a custom range (`?range=custom&from=YYYY-MM-DD&to=…`),
// and the period it is compared with (`?compare=previous`, the default, or
// `none`). Days are UTC days, as the daily rollups count them. A bad custom
// range is not silently replaced: the page says what is wrong and keeps what
// was typed.

const DAY_MS = 86_400_000;

const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const addDays = (day: string, days: number) => utcDay(new Date(dayMs(day) + days * DAY_MS));
/** Days in a range, both ends included. */
export const rangeDays = (range: StatsRange) => Math.round((dayMs(range.to) - dayMs(range.from)) / DAY_MS) + 1;

/** The period of equal length that ends the day before `range` starts. */
export function previousPeriod(range: StatsRange): StatsRange {
  const to = addDays(range.from, -1);
  return { from: addDays(to, -(rangeDays(range) - 1)), to };
}

/** The days a preset covers, today included, on `now`'s UTC day. */
export function presetRange(preset: RangePreset, now: Date): StatsRange {
  const today = utcDay(now);
  const [year, month] = [now.getUTCFullYear(), now.getUTCMonth()];
  switch (preset) {
    case "7d":
      return { from: addDays(today, -6), to: today };
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "90d":
      return { from: addDays(today, -89), to: today };
    case "12m":
      // Twelve calendar months back, to the day after today's date a year ago: 365 or 366 days.
      return { from: addDays(utcDay(new Date(Date.UTC(year - 1, month, now.getUTCDate()))), 1), to: today };
    case "this-month":
      return { from: utcDay(new Date(Date.UTC(year, month, 1))), to: today };
    case "last-month":
      return { from: utcDay(new Date(Date.UTC(year, month - 1, 1))), to: utcDay(new Date(Date.UTC(year, month, 0))) };
    case "this-year":
      return { from: `${year}-01-01`, to: today };
  }
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
const isCalendarDay = (value: string) => DAY_PATTERN.test(value) && !Number.isNaN(dayMs(value)) && utcDay(new Date(dayMs(value))) === value;

const text = z
  .string()
  .trim()
  .max(40)
  .catch("")
  .optional()
  .transform((v) => v ?? "");

const QuerySchema = z.object({ range: text, from: text, to: text, compare: text });

/** The earliest day a report reaches back to: before it, a typo (0226 for 2026) is more likely than a question. */
const EARLIEST_DAY = "2000-01-01";

export type RangeErrors = { from?: string; to?: string };

export type ReportRangeResult = { ok: true; range: ReportRange; input: RangeInput } | { ok: false; errors: RangeErrors; input: RangeInput; message: string };

/**
 * The range of a report's address. Unknown presets fall back to the default
 * (30 days), as a link with an old preset should still open; a custom range
 * that cannot be read is an error, each field with its own message.
 */
export function parseReportRange(search: URLSearchParams, now: Date): ReportRangeResult {
  const query = QuerySchema.parse(Object.fromEntries(search));
  const compare: CompareMode = query.compare === "none" ? "none" : "previous";
  const custom = query.range === "custom" || (query.range === "" && (query.from !== "" || query.to !== ""));
  const input: RangeInput = {
    range: custom ? "custom" : (RANGE_PRESETS.find((p) => p.value === query.range)?.value ?? "30d"),
    from: query.from,
    to: query.to,
    compare,
  };
  if (!custom) {
    const preset = input.range as RangePreset;
    const current = presetRange(preset, now);
    return { ok: true, input: { ...input, from: current.from, to: current.to }, range: withComparison(preset, current, compare) };
  }
  const errors: RangeErrors = {};
  const today = utcDay(now);
  for (const field of ["from", "to"] as const) {
    const value = query[field];
    const name = field === "from" ? "start" : "end";
    if (!value) errors[field] = `Enter the ${name} date.`;
    else if (!isCalendarDay(value)) errors[field] = `Enter the ${name} date as a real date, like ${today}.`;
    else if (value < EARLIEST_DAY) errors[field] = `The ${name} date must be in ${EARLIEST_DAY.slice(0, 4)} or later.`;
    else if (value > today) errors[field] = `The ${name} date can't be after today (${today}).`;
  }
  if (!errors.from && !errors.to) {
    if (query.from > query.to) errors.to = "The end date must be on or after the start date.";
    else if (rangeDays({ from: query.from, to: query.to }) > REPORT_MAX_DAYS)
      errors.to = `A report covers at most ${REPORT_MAX_DAYS} days; choose an end date closer to the start.`;
  }
  if (errors.from || errors.to) return { ok: false, errors, input, message: "The date range could not be used." };
  return { ok: true, input, range: withComparison("custom", { from: query.from, to: query.to }, compare) };
}

function withComparison(preset: RangePreset | "custom", current: StatsRange, compare: CompareMode): ReportRange {
  return { preset, current, previous: compare === "previous" ? previousPeriod(current) : null, days: rangeDays(current) };
}

/** The query string that reproduces a range (for CSV links and the tabs), without the page's other parameters. */
export function rangeQuery(input: RangeInput): string {
  const params = new URLSearchParams({ range: input.range });
  if (input.range === "custom") {
    params.set("from", input.from);
    params.set("to", input.to);
  }
  if (input.compare === "none") params.set("compare", "none");
  return params.toString();
}

/** A report's key in the report cache: what it is (its kind, and anything else that changes it) and its periods. */
export function reportCacheKey(what: string, range: Pick<ReportRange, "current" | "previous">): string {
  const previous = range.previous ? `${range.previous.from}:${range.previous.to}` : "-";
  return `${what}:${range.current.from}:${range.current.to}:${previous}`;
}
