import crypto from "node:crypto";
import { sql } from "drizzle-orm";
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

/** Adds `change` to the day's counts, in the caller's transaction: the rollup moves exactly when the conversion or refund is written. */
export async function addToRollup(tx: Db, change: RollupChange): Promise<void> {
  const day = change.occurredAt.toISOString().slice(0, 10);
  const slot = crypto.randomInt(ROLLUP_SLOTS);
  await tx.execute(sql`
    insert into conversion_daily (organisation_id, link_id, day, currency, slot, conversions, revenue_minor, commission_minor, refunded_minor)
    values (${change.organisationId}, ${change.linkId ?? NO_LINK_ID}, ${day}, ${change.currency}, ${slot},
      ${change.conversions}, ${change.revenueMinor}, ${change.commissionMinor}, ${change.refundedMinor})
    on conflict (organisation_id, link_id, day, currency, slot) do update set
      conversions = conversion_daily.conversions + excluded.conversions,
      revenue_minor = conversion_daily.revenue_minor + excluded.revenue_minor,
      commission_minor = conversion_daily.commission_minor + excluded.commission_minor,
      refunded_minor = conversion_daily.refunded_minor + excluded.refunded_minor`);
}
