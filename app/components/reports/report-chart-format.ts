import { formatMoney, minorUnitsPer } from "~/lib/money";
import { formatCount, formatShare } from "../link-parts";

/** How a series' values read: counts, money in minor units of the program's currency, shares (0.42 is 42 %) or hours. */
export type ValueFormat = "count" | "money" | "share" | "hours";

export type ChartSeries = { key: string; label: string; kind: "bar" | "line"; format: ValueFormat; axis?: "left" | "right" };

/** One x value of a chart (a day, a month) with its label and each series' value; null where there was nothing to measure. */
export type ChartPoint = { key: string; label: string } & Record<string, number | null | string>;

/** A value as a table cell or tooltip shows it; `short` rounds for an axis's ticks. */
export function formatValue(value: number | null, format: ValueFormat, currency: string, short = false): string {
  if (value === null || Number.isNaN(value)) return "–";
  switch (format) {
    case "count":
      return formatCount(short ? Math.round(value) : value);
    case "money":
      return short ? formatMoney(Math.round(value / minorUnitsPer(currency)) * minorUnitsPer(currency), currency, 0) : formatMoney(Math.round(value), currency);
    case "share":
      return short ? `${Math.round(value * 100)} %` : formatShare(value);
    case "hours":
      return formatHours(value, short);
  }
}

/** Hours as people read a wait: "45 min", "6.5 h", "3.2 days". */
export function formatHours(hours: number, short = false): string {
  if (short) return `${Math.round(hours)} h`;
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

const MONTH = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

/** A calendar month (YYYY-MM) as a chart's axis and table read it: "Mar 2025". */
export function formatMonth(month: string): string {
  return MONTH.format(new Date(`${month}-01T00:00:00Z`));
}
