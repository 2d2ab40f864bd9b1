// The reports' ranges as the browser bundle needs them (picker, labels):
// plain data, no server imports. Parsing lives in range.server.ts.

export const RANGE_PRESETS = [
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "90d", label: "Last 90 days" },
  { value: "12m", label: "Last 12 months" },
  { value: "this-month", label: "This month" },
  { value: "last-month", label: "Last month" },
  { value: "this-year", label: "This year" },
] as const;

export type RangePreset = (typeof RANGE_PRESETS)[number]["value"];

export type CompareMode = "previous" | "none";

/** How long a computed program-wide report is shown before it is worked out again: one computation for everyone meanwhile. */
export const REPORT_CACHE_TTL_MS = 2 * 60_000;

/**
 * Past its two minutes, a report younger than this is still shown at once
 * while the next one is worked out behind it, so a reader never waits for a
 * report someone read in the last half hour. Older, the reader waits.
 */
export const REPORT_SERVE_STALE_MS = 30 * 60_000;

/** Two years and a day: enough to set this year beside the last, short enough for a page of daily rollups. */
export const REPORT_MAX_DAYS = 731;

/** What the picker shows: the preset chosen (or "custom") and the dates typed, as typed. */
export type RangeInput = { range: RangePreset | "custom"; from: string; to: string; compare: CompareMode };

/** A report's days (UTC, both ends included) and the period it is compared with, if any. */
export type ReportRange = {
  preset: RangePreset | "custom";
  current: { from: string; to: string };
  previous: { from: string; to: string } | null;
  days: number;
};

/**
 * The change from the previous period as a share (0.25 is +25 %), null when
 * the previous period had nothing to compare with.
 */
export function changeOf(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}
