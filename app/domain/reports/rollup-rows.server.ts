import { sql, type SQL } from "drizzle-orm";
import { joinAdjacent, splitByMonths, type DayRange } from "./calendar-months";

// The rollups a report sums, read a month at a time where it can (decision
// 031): each rollup is kept per day and, with the same sums, per calendar
// month, both written by the same statement. A whole month inside a period
// is one row per key in the monthly table instead of up to 31 in the daily
// one; the days around the whole months come from the daily table. The
// monthly row of a month holds exactly the sums of its daily rows, so the two
// read together add up to what the daily rows alone would.

/** A rollup's two tables and the columns a report reads from either. */
export type Rollup = { daily: string; monthly: string; columns: readonly string[] };

export const CLICK_ROLLUP: Rollup = {
  daily: "link_click_daily",
  monthly: "link_click_monthly",
  columns: ["link_id", "organisation_id", "clicks", "unique_clicks", "bot_clicks"],
};

export const CONVERSION_ROLLUP: Rollup = {
  daily: "conversion_daily",
  monthly: "conversion_monthly",
  columns: ["link_id", "organisation_id", "currency", "conversions", "revenue_minor", "commission_minor", "refunded_minor"],
};

const anyOf = (column: string, ranges: readonly DayRange[]): SQL =>
  ranges.length
    ? sql.join(
        ranges.map((range) => sql`${sql.raw(column)} between ${range.from}::date and ${range.to}::date`),
        sql` or `,
      )
    : sql`false`;

/**
 * A subquery (to alias) of a rollup's rows over some periods, with a `day`
 * column and the rollup's columns: the monthly rows of the whole months in
 * each period (`day` is the month's first day, inside its period) and the
 * daily rows of the periods' other days (ranges that touch read as one: a
 * 30-day range and the 30 days before are one range of days, as they were
 * before). Grouped by period on `day`, they sum to the daily rows' sums. With
 * an organisation, only its rows (both tables have an index on organisation
 * and day or month).
 */
export function rollupRows(rollup: Rollup, periods: readonly DayRange[], organisationId: string | null): SQL {
  const splits = periods.map(splitByMonths);
  const days = joinAdjacent(
    splits.flatMap((split) => split.days),
    "day",
  );
  const months = joinAdjacent(
    splits.flatMap((split) => (split.months ? [split.months] : [])),
    "month",
  );
  const columns = sql.raw(rollup.columns.join(", "));
  const scoped = organisationId === null ? sql`` : sql` and organisation_id = ${organisationId}::uuid`;
  return sql`(
    select day, ${columns} from ${sql.raw(rollup.daily)} where (${anyOf("day", days)})${scoped}
    union all
    select month, ${columns} from ${sql.raw(rollup.monthly)} where (${anyOf("month", months)})${scoped}
  )`;
}

/** Statements that compute the monthly rollups from the daily ones, for tables filled without the write paths (bench/seed.ts). */
export const MONTHLY_ROLLUPS_FROM_DAILY = [
  `insert into link_click_monthly (link_id, month, organisation_id, clicks, unique_clicks, bot_clicks, test_clicks, fallback_clicks)
    select link_id, date_trunc('month', day::timestamp)::date, organisation_id, sum(clicks), sum(unique_clicks), sum(bot_clicks), sum(test_clicks), sum(fallback_clicks)
    from link_click_daily
    group by 1, 2, 3`,
  `insert into conversion_monthly (organisation_id, link_id, month, currency, slot, conversions, revenue_minor, commission_minor, refunded_minor)
    select organisation_id, link_id, date_trunc('month', day::timestamp)::date, currency, slot, sum(conversions), sum(revenue_minor), sum(commission_minor), sum(refunded_minor)
    from conversion_daily
    group by 1, 2, 3, 4, 5`,
] as const;
