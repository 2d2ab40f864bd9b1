import { sql } from "drizzle-orm";
import { conversionSettings, linkClickDaily, linkClickMonthly, NO_LINK_ID, trackingLinks } from "#db/schema/index";
import { addRollupRow } from "~/domain/conversions/rollups.server";
import type { Db } from "~/lib/db.server";

// The rollups the stats pages read, written straight into their tables: the
// conversions API (another module) keeps conversion_daily, the redirect's
// recorder keeps link_click_daily; the stats only read them. Each day's row
// is added to its month's as well (link_click_monthly, conversion_monthly;
// conversions through the domain's own upsert), as their writers do, since
// the reports read whole months from those (decision 031). Days are given
// relative to `today`, a UTC date ("2026-03-04") the test fixes.

const DAY_MS = 86_400_000;

/** The UTC date `days` before (negative: after) `today`. */
export const dayBefore = (today: string, days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);

/** Noon (UTC) of the day the test runs: far from midnight, so "today" cannot change between a request and its check. */
export function noonToday(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12));
}

export type ConversionDay = {
  organisationId: string;
  /** Left out: a coupon's conversions, which have no link. */
  linkId?: string;
  day: string;
  currency?: string;
  slot?: number;
  conversions?: number;
  revenueMinor?: number;
  commissionMinor?: number;
  refundedMinor?: number;
};

/** One slot's row of a (partner, link, day, currency), as the conversions API upserts it (its month's row too). */
export async function conversionDay(db: Db, row: ConversionDay): Promise<void> {
  await addRollupRow(db, {
    organisationId: row.organisationId,
    linkId: row.linkId ?? NO_LINK_ID,
    day: row.day,
    currency: row.currency ?? "USD",
    slot: row.slot ?? 0,
    conversions: row.conversions ?? 0,
    revenueMinor: row.revenueMinor ?? 0,
    commissionMinor: row.commissionMinor ?? 0,
    refundedMinor: row.refundedMinor ?? 0,
  });
}

/** A link's counts of a day as the click recorder keeps them (clicks include bots; tests are apart), added to its month's as well. */
export async function clickDay(
  db: Db,
  link: { id: string; organisationId: string },
  day: string,
  counts: { clicks: number; unique: number; bots?: number; tests?: number },
): Promise<void> {
  const row = {
    linkId: link.id,
    organisationId: link.organisationId,
    clicks: counts.clicks,
    uniqueClicks: counts.unique,
    botClicks: counts.bots ?? 0,
    testClicks: counts.tests ?? 0,
  };
  await db.insert(linkClickDaily).values({ ...row, day });
  await db
    .insert(linkClickMonthly)
    .values({ ...row, month: `${day.slice(0, 7)}-01` })
    .onConflictDoUpdate({
      target: [linkClickMonthly.linkId, linkClickMonthly.month],
      set: {
        clicks: sql`${linkClickMonthly.clicks} + excluded.clicks`,
        uniqueClicks: sql`${linkClickMonthly.uniqueClicks} + excluded.unique_clicks`,
        botClicks: sql`${linkClickMonthly.botClicks} + excluded.bot_clicks`,
        testClicks: sql`${linkClickMonthly.testClicks} + excluded.test_clicks`,
      },
    });
}

/** The program's currency, as the conversion settings save it. */
export async function setProgramCurrency(db: Db, currency: string): Promise<void> {
  await db
    .insert(conversionSettings)
    .values({ programCurrency: currency })
    .onConflictDoUpdate({ target: conversionSettings.id, set: { programCurrency: currency } });
}

let linkSequence = 0;

/** A link of `organisationId` written straight into its table (how links are made is tested with the links). */
export async function plainLink(
  db: Db,
  organisationId: string,
  fields: Partial<typeof trackingLinks.$inferInsert> = {},
): Promise<typeof trackingLinks.$inferSelect> {
  linkSequence++;
  const [link] = await db
    .insert(trackingLinks)
    .values({
      code: `St${linkSequence}${Math.random().toString(36).slice(2, 8)}`,
      organisationId,
      kind: "evergreen",
      label: `Link ${linkSequence}`,
      destinationUrl: "https://northwindcoffee.com/beans",
      utmSource: "partner",
      utmMedium: "website_blog",
      utmCampaign: "evergreen",
      utmContent: `link-${linkSequence}`,
      ...fields,
    })
    .returning();
  return link!;
}
