import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCoupon } from "~/domain/conversions/coupons.server";
import { recordConversion, recordRefund } from "~/domain/conversions/conversions.server";
import { performanceReport } from "~/domain/conversions/stats.server";
import { performanceOverTime, performanceTable, performanceTotals } from "~/domain/reports/performance.server";
import type { ReportRange } from "~/domain/reports/range";
import { previousPeriod, rangeDays } from "~/domain/reports/range.server";
import { WHOLE_PROGRAM, type ReportScope } from "~/domain/reports/scope.server";
import type { AppContext } from "~/lib/context.server";
import { rowsOf, type Database } from "~/lib/db.server";
import { createPartnerOrg, createTestContext } from "../support/context";
import { conversionBody, linkOf, recordedClick, recordedClicks, refundBody } from "../support/conversions";
import { createTestDatabase } from "../support/db";

// The monthly rollups (decision 031) beside the daily ones they sum: after
// clicks written by the recorder and conversions (a refund among them)
// written by the conversions domain, each month's row holds exactly its
// days' sums; and the Performance report, which reads whole months from
// them, shows what the daily rows alone add up to.

let database: Database;
let app: AppContext;
const NOW = new Date("2030-03-10T12:00:00Z");
const ADMIN = { id: null, label: "admin@brand.test" };

let alpha: { id: string; slug: string };
let beta: { id: string; slug: string };

beforeAll(async () => {
  database = await createTestDatabase();
  app = { ...createTestContext(database.db), clock: { now: () => NOW } };
  await seedActivity();
});
afterAll(() => database.close());

const at = (iso: string) => new Date(iso);

/**
 * Clicks on both sides of a year's end and of month ends, in one batch and
 * alone (a bot, a test, a fallback, an orphan); conversions by click in three
 * months, in two currencies, by coupon, and a refund in March of a January order.
 */
async function seedActivity() {
  const terms = { status: "active", commercialModel: "revenue_share", rateBasisPoints: 1200 } as const;
  alpha = await createPartnerOrg(app.db, "Alpha Media", terms);
  beta = await createPartnerOrg(app.db, "Beta Blog", terms);
  const alphaLink = await linkOf(app.db, alpha);
  const betaLink = await linkOf(app.db, beta);
  const [december, , , january, february, lateFebruary] = await recordedClicks(app.db, alphaLink, [
    at("2029-12-30T10:00:00Z"),
    at("2029-12-31T23:59:59Z"),
    at("2030-01-01T00:00:01Z"),
    at("2030-01-20T08:00:00Z"),
    at("2030-02-03T09:00:00Z"),
    at("2030-02-28T23:00:00Z"),
    at("2030-03-01T01:00:00Z"),
  ]);
  await recordedClick(app.db, alphaLink, at("2030-01-21T10:00:00Z"), { isBot: true, userAgentClass: "bot" });
  await recordedClick(app.db, alphaLink, at("2030-01-21T11:00:00Z"), { isTest: true });
  await recordedClick(app.db, alphaLink, at("2030-01-22T11:00:00Z"), { fallbackReason: "link_disabled" });
  await recordedClick(app.db, null, at("2030-01-22T12:00:00Z"));
  await recordedClicks(app.db, betaLink, [at("2029-11-25T10:00:00Z"), at("2030-01-10T10:00:00Z"), at("2030-01-31T23:30:00Z")]);

  const record = (fields: Record<string, unknown>) => recordConversion(app, { input: conversionBody(fields), apiKeyId: null });
  await record({ orderId: "DEC-1", amount: 3000, clickId: december, occurredAt: "2029-12-31T12:00:00Z" });
  await record({ orderId: "JAN-1", amount: 5000, clickId: january, occurredAt: "2030-01-25T10:00:00Z" });
  await record({ orderId: "FEB-1", amount: 7000, clickId: february, occurredAt: "2030-02-10T10:00:00Z" });
  await record({ orderId: "FEB-EUR", amount: 4000, currency: "EUR", clickId: lateFebruary, occurredAt: "2030-02-28T23:30:00Z" });
  await createCoupon(app, ADMIN, beta.id, { code: "WINTER", expiresOn: null });
  await record({ orderId: "JAN-COUPON", amount: 2500, couponCode: "WINTER", occurredAt: "2030-01-05T10:00:00Z" });
  // Refunded in March: it counts against the order's day, so against January's month.
  await recordRefund(app, { orderId: "JAN-1", input: refundBody({ amount: 2000 }), apiKeyId: null });
}

const rows = async <T>(query: SQL) => rowsOf<T>(await app.db.execute(query));

describe("the monthly rollups", () => {
  it("hold each month's sums of the daily click counts", async () => {
    const fromDaily = await rows(sql`
      select link_id::text, organisation_id::text, to_char(day::timestamp, 'YYYY-MM-01') as month, sum(clicks)::int as clicks,
        sum(unique_clicks)::int as unique_clicks, sum(bot_clicks)::int as bot_clicks, sum(test_clicks)::int as test_clicks,
        sum(fallback_clicks)::int as fallback_clicks
      from link_click_daily group by 1, 2, 3 order by 1, 3`);
    const monthly = await rows(sql`
      select link_id::text, organisation_id::text, month::text, clicks::int, unique_clicks::int, bot_clicks::int, test_clicks::int,
        fallback_clicks::int
      from link_click_monthly order by 1, 3`);
    expect(monthly).toEqual(fromDaily);
    const alphaMonths = monthly.filter((row) => (row as { organisation_id: string }).organisation_id === alpha.id);
    expect(alphaMonths).toEqual([
      expect.objectContaining({ month: "2029-12-01", clicks: 2, unique_clicks: 2 }),
      expect.objectContaining({ month: "2030-01-01", clicks: 4, bot_clicks: 1, test_clicks: 1, fallback_clicks: 1 }),
      expect.objectContaining({ month: "2030-02-01", clicks: 2 }),
      expect.objectContaining({ month: "2030-03-01", clicks: 1 }),
    ]);
  });

  it("hold each month's sums of the daily conversion counts, slot by slot, refunds included", async () => {
    const fromDaily = await rows(sql`
      select organisation_id::text, link_id::text, to_char(day::timestamp, 'YYYY-MM-01') as month, currency, slot,
        sum(conversions)::int as conversions, sum(revenue_minor)::int as revenue, sum(commission_minor)::int as commission,
        sum(refunded_minor)::int as refunded
      from conversion_daily group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`);
    const monthly = await rows(sql`
      select organisation_id::text, link_id::text, month::text, currency, slot, conversions::int, revenue_minor::int as revenue,
        commission_minor::int as commission, refunded_minor::int as refunded
      from conversion_monthly order by 1, 2, 3, 4, 5`);
    expect(monthly).toEqual(fromDaily);
    const january = await rows<{ revenue: number; refunded: number }>(sql`
      select sum(revenue_minor)::int as revenue, sum(refunded_minor)::int as refunded
      from conversion_monthly where organisation_id = ${alpha.id}::uuid and month = '2030-01-01'`);
    expect(january).toEqual([{ revenue: 3000, refunded: 2000 }]);
  });
});

/** What the daily rollups alone add up to over a range, as the report counts (money in USD, conversions in any currency). */
async function dailyFigures(range: { from: string; to: string }, organisationId: string | null) {
  const scoped = organisationId === null ? sql`` : sql` and organisation_id = ${organisationId}::uuid`;
  const [clicks] = await rows<Record<string, number>>(sql`
    select coalesce(sum(clicks - bot_clicks), 0)::int as "clicks", coalesce(sum(unique_clicks), 0)::int as "uniqueClicks",
      coalesce(sum(bot_clicks), 0)::int as "botClicks"
    from link_click_daily where day between ${range.from}::date and ${range.to}::date${scoped}`);
  const [conversions] = await rows<Record<string, number>>(sql`
    select coalesce(sum(conversions), 0)::int as "conversions",
      coalesce(sum(revenue_minor) filter (where currency = 'USD'), 0)::int as "revenueMinor",
      coalesce(sum(commission_minor) filter (where currency = 'USD'), 0)::int as "commissionMinor",
      coalesce(sum(refunded_minor) filter (where currency = 'USD'), 0)::int as "refundedMinor"
    from conversion_daily where day between ${range.from}::date and ${range.to}::date${scoped}`);
  return { ...clicks, ...conversions };
}

const reportRange = (from: string, to: string): ReportRange => ({
  preset: "custom",
  current: { from, to },
  previous: previousPeriod({ from, to }),
  days: rangeDays({ from, to }),
});

// Whole months with days on both sides across a year's end; two whole months exactly (the previous period ends with a whole month); within one month.
const RANGES = [reportRange("2029-12-15", "2030-02-10"), reportRange("2030-01-01", "2030-02-28"), reportRange("2030-01-05", "2030-01-25")];

describe("the Performance report on the monthly rollups", () => {
  it("shows, in total and per partner, what the daily rollups add up to", async () => {
    for (const range of RANGES) {
      const totals = await performanceTotals(app.db, WHOLE_PROGRAM, range, "USD");
      expect(totals.current).toMatchObject(await dailyFigures(range.current, null));
      expect(totals.previous).toMatchObject(await dailyFigures(range.previous!, null));
      const partners = await performanceTable(app.db, WHOLE_PROGRAM, "partner", range, "USD", 1);
      for (const row of partners.rows) {
        expect(row.current).toMatchObject(await dailyFigures(range.current, row.key));
        expect(row.previous).toMatchObject(await dailyFigures(range.previous!, row.key));
      }
    }
    const january = await performanceTotals(app.db, WHOLE_PROGRAM, RANGES[1]!, "USD");
    expect(january.current).toMatchObject({ clicks: 7, conversions: 4, revenueMinor: 3000 + 2500 + 7000, refundedMinor: 2000 });
  });

  it("keeps a partner's own report to its own rows", async () => {
    for (const range of RANGES) {
      for (const organisationId of [alpha.id, beta.id]) {
        const totals = await performanceTotals(app.db, { organisationId }, range, "USD");
        expect(totals.current).toMatchObject(await dailyFigures(range.current, organisationId));
        expect(totals.previous).toMatchObject(await dailyFigures(range.previous!, organisationId));
      }
    }
  });

  it("draws months over a long range as the daily figures add up", async () => {
    const range = reportRange("2029-11-20", "2030-03-09");
    expect(range.days).toBeGreaterThan(92);
    const scopes: ReportScope[] = [WHOLE_PROGRAM, { organisationId: alpha.id }, { organisationId: beta.id }];
    for (const scope of scopes) {
      const overTime = await performanceOverTime(app.db, scope, range, "USD");
      const daily = await performanceReport(app.db, scope, range.current, "USD");
      const expected = new Map<string, Record<string, string | number>>();
      for (const day of daily.days) {
        const key = day.day.slice(0, 7);
        const point = expected.get(key) ?? { key, from: day.day, clicks: 0, uniqueClicks: 0, conversions: 0, revenueMinor: 0, commissionMinor: 0 };
        point.to = day.day;
        for (const field of ["clicks", "uniqueClicks", "conversions", "revenueMinor", "commissionMinor"] as const)
          point[field] = Number(point[field]) + day[field];
        expected.set(key, point);
      }
      expect(overTime).toEqual({ unit: "month", points: [...expected.values()] });
    }
    const points = (await performanceOverTime(app.db, WHOLE_PROGRAM, range, "USD")).points;
    expect(points.map((point) => [point.key, point.from, point.to])).toEqual([
      ["2029-11", "2029-11-20", "2029-11-30"],
      ["2029-12", "2029-12-01", "2029-12-31"],
      ["2030-01", "2030-01-01", "2030-01-31"],
      ["2030-02", "2030-02-01", "2030-02-28"],
      ["2030-03", "2030-03-01", "2030-03-09"],
    ]);
    expect(points.find((point) => point.key === "2030-01")).toMatchObject({ clicks: 5, conversions: 2, revenueMinor: 5500 });
  });
});
