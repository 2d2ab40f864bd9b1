import crypto from "node:crypto";
import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { NO_LINK_ID } from "#db/schema/index";
import type { Db } from "~/lib/db.server";

/**
 * Rows per (partner, link, day, currency) of conversion_daily: each write
 * adds to one of them at random, so concurrent conversions of a busy link
 * seldom wait on one row's lock; readers sum the slots.
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

/**
 * The upsert that adds `row` (its values, or ROLLUP_PLACEHOLDERS) to its
 * day's counts. With `onlyIf` (a query), it adds only when that query returns
 * a row: as a part of the conversion's own insert statement (a data-modifying
 * CTE), the rollup moves exactly when the conversion is written, in one round
 * trip and without a transaction.
 */
export function rollupUpsert(row: RollupRow | typeof ROLLUP_PLACEHOLDERS, onlyIf?: SQL): SQL {
  // Typed: in INSERT … SELECT the parameters would otherwise be taken for text.
  const values = sql`${row.organisationId}::uuid, ${row.linkId}::uuid, ${row.day}::date, ${row.currency}::text, ${row.slot}::smallint,
      ${row.conversions}::integer, ${row.revenueMinor}::bigint, ${row.commissionMinor}::bigint, ${row.refundedMinor}::bigint`;
  return sql`
    insert into conversion_daily (organisation_id, link_id, day, currency, slot, conversions, revenue_minor, commission_minor, refunded_minor)
    ${onlyIf ? sql`select ${values} where exists (${onlyIf})` : sql`values (${values})`}
    on conflict (organisation_id, link_id, day, currency, slot) do update set
      conversions = conversion_daily.conversions + excluded.conversions,
      revenue_minor = conversion_daily.revenue_minor + excluded.revenue_minor,
      commission_minor = conversion_daily.commission_minor + excluded.commission_minor,
      refunded_minor = conversion_daily.refunded_minor + excluded.refunded_minor`;
}

/** Adds `change` to the day's counts, in the caller's transaction: the rollup moves exactly when the refund is written. */
export async function addToRollup(tx: Db, change: RollupChange): Promise<void> {
  await tx.execute(rollupUpsert(rollupRowOf(change)));
}
