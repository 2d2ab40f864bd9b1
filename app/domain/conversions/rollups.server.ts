import crypto from "node:crypto";
import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { NO_LINK_ID } from "#db/schema/index";
import type { Db } from "~/lib/db.server";

/**
 * Rows per (partner, link, day, currency) of conversion_daily, and per
 * (partner, link, month, currency) of conversion_monthly: each write adds to
 * one of them at random (the same in both), so concurrent conversions of a
 * busy link seldom wait on one row's lock; readers sum the slots.
 */
export const ROLLUP_SLOTS = 8;

export type RollupChange = {
  organisationId: string;
  /** null for a conversion a coupon attributed (it belongs to no link). */
  linkId: string | null;
  /** The conversion's own time: refunds count against the day the order was placed. */
  occurredAt: Date;
  currency: string;
  conversions: number;
  revenueMinor: number;
  commissionMinor: number;
  refundedMinor: number;
};

/** A rollup row to add: the change with its day and the slot it goes to. */
export type RollupRow = {
  organisationId: string;
  linkId: string;
  day: string;
  currency: string;
  slot: number;
  conversions: number;
  revenueMinor: number;
  commissionMinor: number;
  refundedMinor: number;
};

export function rollupRowOf(change: RollupChange): RollupRow {
  return {
    organisationId: change.organisationId,
    linkId: change.linkId ?? NO_LINK_ID,
    day: change.occurredAt.toISOString().slice(0, 10),
    currency: change.currency,
    slot: crypto.randomInt(ROLLUP_SLOTS),
    conversions: change.conversions,
    revenueMinor: change.revenueMinor,
    commissionMinor: change.commissionMinor,
    refundedMinor: change.refundedMinor,
  };
}

/** A rollup row's values in a prepared statement: placeholders named `rollup.<field>` (apart from the names of a conversion's columns). */
export const ROLLUP_PLACEHOLDERS = Object.fromEntries(
  (["organisationId", "linkId", "day", "currency", "slot", "conversions", "revenueMinor", "commissionMinor", "refundedMinor"] as const).map((field) => [
    field,
    sql.placeholder(`rollup.${field}`),
  ]),
) as { [K in keyof RollupRow]: Placeholder };

/** The values for ROLLUP_PLACEHOLDERS. */
export const rollupPlaceholderValues = (row: RollupRow) => Object.fromEntries(Object.entries(row).map(([field, value]) => [`rollup.${field}`, value]));

/** Which rollup an upsert adds to: the day's counts (conversion_daily), or the same counts in the month's (conversion_monthly, decision 031). */
type RollupPeriod = "day" | "month";

const ROLLUP_TABLES: Record<RollupPeriod, { table: string; column: string }> = {
  day: { table: "conversion_daily", column: "day" },
  month: { table: "conversion_monthly", column: "month" },
};

/**
 * The upsert that adds `row` (its values, or ROLLUP_PLACEHOLDERS) to its
 * day's or its month's counts, in the slot `row` names; it returns a row when
 * it added. With `onlyIf` (a query), it adds only when that query returns a
 * row: as a part of the conversion's own insert statement (a data-modifying
 * CTE), the rollup moves exactly when the conversion is written, in one round
 * trip and without a transaction.
 */
function rollupUpsert(period: RollupPeriod, row: RollupRow | typeof ROLLUP_PLACEHOLDERS, onlyIf?: SQL): SQL {
  const { table, column } = ROLLUP_TABLES[period];
  // The month from the day as a timestamp without time zone: date_trunc of a date would take the session's time zone.
  const key = period === "day" ? sql`${row.day}::date` : sql`date_trunc('month', ${row.day}::timestamp)::date`;
  // Typed: in INSERT … SELECT the parameters would otherwise be taken for text.
  const values = sql`${row.organisationId}::uuid, ${row.linkId}::uuid, ${key}, ${row.currency}::text, ${row.slot}::smallint,
      ${row.conversions}::integer, ${row.revenueMinor}::bigint, ${row.commissionMinor}::bigint, ${row.refundedMinor}::bigint`;
  return sql`
    insert into ${sql.raw(table)} (organisation_id, link_id, ${sql.raw(column)}, currency, slot, conversions, revenue_minor, commission_minor, refunded_minor)
    ${onlyIf ? sql`select ${values} where exists (${onlyIf})` : sql`values (${values})`}
    on conflict (organisation_id, link_id, ${sql.raw(column)}, currency, slot) do update set
      conversions = ${sql.raw(table)}.conversions + excluded.conversions,
      revenue_minor = ${sql.raw(table)}.revenue_minor + excluded.revenue_minor,
      commission_minor = ${sql.raw(table)}.commission_minor + excluded.commission_minor,
      refunded_minor = ${sql.raw(table)}.refunded_minor + excluded.refunded_minor
    returning 1`;
}

/**
 * Both upserts of `row` as CTEs of one statement: the day's, with `onlyIf` as
 * rollupUpsert takes it, and the month's, which adds only once the day's has
 * added. The month's waits for the day's so that every writer locks a day's
 * row before its month's: two writers never wait for each other's rows the
 * other way round.
 */
export function rollupUpsertCtes(db: Db, row: RollupRow | typeof ROLLUP_PLACEHOLDERS, onlyIf?: SQL) {
  const day = db.$with("rollup_day", {}).as(rollupUpsert("day", row, onlyIf));
  const month = db.$with("rollup_month", {}).as(rollupUpsert("month", row, sql`select 1 from ${day}`));
  return [day, month] as const;
}

/** Adds `row` to its day's and its month's counts in one statement, in the caller's transaction if any. */
export async function addRollupRow(db: Db, row: RollupRow): Promise<void> {
  const [day, month] = rollupUpsertCtes(db, row);
  await db
    .with(day, month)
    .select({ added: sql`1` })
    // As SQL: drizzle's types take a CTE of raw SQL for a statement without RETURNING, which this one has.
    .from(sql`${month}`);
}

/** Adds `change` to the day's and the month's counts, in the caller's transaction: the rollups move exactly when the refund is written. */
export async function addToRollup(tx: Db, change: RollupChange): Promise<void> {
  await addRollupRow(tx, rollupRowOf(change));
}
