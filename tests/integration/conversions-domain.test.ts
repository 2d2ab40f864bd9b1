import { asc, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, conversionDaily, conversions, coupons, NO_LINK_ID, partnerOrganisations } from "#db/schema/index";
import { ConversionInput, ConversionOutput, RefundResultOutput } from "~/domain/conversions/api-schemas.server";
import { DEFAULT_CONVERSION_SETTINGS } from "~/domain/conversions/catalog";
import { recordConversion, recordRefund } from "~/domain/conversions/conversions.server";
import { createCoupon, createPartnerCoupon, disableCoupon, disablePartnerCoupon } from "~/domain/conversions/coupons.server";
import { getConversionSettings, saveConversionSettings } from "~/domain/conversions/settings.server";
import { ClickRecorder } from "~/domain/links/click-recorder.server";
import type { AppContext } from "~/lib/context.server";
import type { Database } from "~/lib/db.server";
import { DomainError, ForbiddenError, NotFoundError } from "~/lib/errors";
import { createLogger } from "~/lib/log.server";
import { createPartnerOrg, createTestContext, createUser, type PartnerOrgFields } from "../support/context";
import { conversionBody, linkOf, recordedClick, refundBody, unrecordedClickId } from "../support/conversions";
import { createTestDatabase, resetDatabase, usingPostgres } from "../support/db";
import { seedReviewCreative } from "../support/review-fixtures";

// The conversions domain (issue 16) called as the API will call it: each
// order counted once whatever the retries, attribution by click id within
// the window or by coupon, commission per the partner's terms, refunds that
// take back exactly what they should, the daily rollups moving with them,
// coupons and settings on record.

let database: Database;
let app: AppContext;
const NOW = new Date("2030-03-10T12:00:00Z");
let now = NOW;
const DAY = 86_400_000;
const MINUTE = 60_000;
beforeAll(async () => {
  database = await createTestDatabase();
  app = { ...createTestContext(database.db), clock: { now: () => now } };
});
afterAll(() => database.close());
beforeEach(async () => {
  await resetDatabase(app.db);
  now = NOW;
});

const ADMIN = { id: null, label: "admin@brand.test" };
const ORDER_TIME = new Date("2030-03-10T11:00:00Z");
const at = (msFromOrder: number) => new Date(ORDER_TIME.getTime() + msFromOrder);

/** An active partner on a 12 % revenue share (or the terms in `fields`), with one link. */
async function partnerWithLink(name = "Lumen Blog", fields: PartnerOrgFields = {}) {
  const org = await createPartnerOrg(app.db, name, { status: "active", commercialModel: "revenue_share", rateBasisPoints: 1200, ...fields });
  const link = await linkOf(app.db, org);
  return { org, link };
}

const record = (fields: Record<string, unknown> = {}, options: { flushClicks?: () => Promise<void> } = {}) =>
  recordConversion(app, { input: conversionBody(fields), apiKeyId: null, ...options });

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** conversion_daily summed over its slots, per organisation, link and day. */
async function rollups() {
  return app.db
    .select({
      organisationId: conversionDaily.organisationId,
      linkId: conversionDaily.linkId,
      day: conversionDaily.day,
      currency: conversionDaily.currency,
      conversions: sql<number>`sum(${conversionDaily.conversions})::int`,
      revenue: sql<number>`sum(${conversionDaily.revenueMinor})::bigint`.mapWith(Number),
      commission: sql<number>`sum(${conversionDaily.commissionMinor})::bigint`.mapWith(Number),
      refunded: sql<number>`sum(${conversionDaily.refundedMinor})::bigint`.mapWith(Number),
    })
    .from(conversionDaily)
    .groupBy(conversionDaily.organisationId, conversionDaily.linkId, conversionDaily.day, conversionDaily.currency)
    .orderBy(asc(conversionDaily.day));
}

const auditOf = (action: string) => app.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(asc(auditEvents.id));

describe("recording a conversion, once per order id", () => {
  it("answers a click's conversion with its attribution and commission, in the shape the API documents", async () => {
    const { org } = await partnerWithLink();
    const creative = await seedReviewCreative(app.db, {
      organisationId: org.id,
      authorId: (await createUser(app.db, { role: "partner", partnerOrgId: org.id })).id,
      title: "Spring banner",
      status: "approved",
    });
    const creativeLink = await linkOf(app.db, org, { kind: "creative", creativeId: creative.id, creativeVersionId: creative.versions[0]!.id });
    const clickId = await recordedClick(app.db, creativeLink, at(-2 * DAY));
    const { outcome, conversion } = await record({ orderId: "ORD-1", amount: 1999, clickId, customerId: "C-9", metadata: { basket: 3 } });
    expect(outcome).toBe("created");
    expect(ConversionOutput.parse(conversion)).toEqual(conversion);
    expect(conversion).toEqual({
      id: expect.any(String),
      orderId: "ORD-1",
      amount: 1999,
      currency: "USD",
      occurredAt: ORDER_TIME.toISOString(),
      receivedAt: NOW.toISOString(),
      test: false,
      attribution: {
        attributedBy: "click",
        partner: { id: org.id, slug: org.slug, name: "Lumen Blog" },
        link: { id: creativeLink.id, code: creativeLink.code },
        creativeVersion: { id: creative.versions[0]!.id, creativeId: creative.id },
        clickId,
        coupon: null,
        windowDays: 30,
        model: "last_click",
        notes: [],
      },
      // 12 % of 19.99 is 2.3988: 2.40.
      commission: { model: "revenue_share", rateBasisPoints: 1200, amount: 240, currency: "USD" },
      refunded: { amount: 0, commission: 0 },
    });
    expect(await rollups()).toEqual([
      { organisationId: org.id, linkId: creativeLink.id, day: "2030-03-10", currency: "USD", conversions: 1, revenue: 1999, commission: 240, refunded: 0 },
    ]);
  });

  it("answers a repeat of the same body with the first result, however the time and metadata were written", async () => {
    const { link } = await partnerWithLink();
    const clickId = await recordedClick(app.db, link, at(-DAY));
    const body = { orderId: "ORD-7", amount: 4999, clickId, occurredAt: "2030-03-10T11:00:00Z", metadata: { a: 1, b: { c: [1, 2] } } };
    const first = await record(body);
    now = new Date(NOW.getTime() + 3 * DAY);
    const again = await record({ ...body, occurredAt: "2030-03-10T13:00:00.000+02:00", metadata: { b: { c: [1, 2] }, a: 1 } });
    expect(again).toEqual({ outcome: "repeat", conversion: first.conversion });
    // No TTL: a year later it is still the same order.
    now = new Date(NOW.getTime() + 400 * DAY);
    expect((await record(body)).outcome).toBe("repeat");
    expect((await app.db.select({ n: count() }).from(conversions))[0]!.n).toBe(1);
    expect((await rollups())[0]).toMatchObject({ conversions: 1, revenue: 4999 });
  });

  it("refuses a different body for a recorded order id, naming every field that differs, and changes nothing", async () => {
    const { link } = await partnerWithLink();
    const clickId = await recordedClick(app.db, link, at(-DAY));
    await record({ orderId: "ORD-8", clickId, metadata: { channel: "web" } });
    const error = await refusal(record({ orderId: "ORD-8", clickId, amount: 5000, couponCode: "SPRING", metadata: { channel: "app" }, test: true }));
    expect(error.kind).toBe("conflict");
    expect(error.fields).toEqual(["amount", "couponCode", "metadata", "test"]);
    expect(error.message).toContain("Order ORD-8 was already recorded with a different amount, couponCode, metadata and test.");
    const single = await refusal(record({ orderId: "ORD-8", clickId, metadata: { channel: "web" }, occurredAt: "2030-03-10T11:00:01Z" }));
    expect(single.fields).toEqual(["occurredAt"]);
    expect(single.field).toBe("occurredAt");
    const [row] = await app.db.select().from(conversions);
    expect(row).toMatchObject({ amountMinor: 4999, isTest: false, couponCode: null });
    expect((await rollups())[0]).toMatchObject({ conversions: 1, revenue: 4999 });
  });

  it(`creates exactly one conversion and one rollup increment from 20 simultaneous identical posts${usingPostgres ? " (PostgreSQL)" : ""}`, async () => {
    const { org, link } = await partnerWithLink();
    const clickId = await recordedClick(app.db, link, at(-DAY));
    const input = conversionBody({ orderId: "ORD-RACE", amount: 2500, clickId });
    const results = await Promise.all(Array.from({ length: 20 }, () => recordConversion(app, { input, apiKeyId: null })));
    expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "repeat")).toHaveLength(19);
    const first = results.find((r) => r.outcome === "created")!.conversion;
    expect(results.every((r) => r.conversion.id === first.id)).toBe(true);
    expect((await app.db.select({ n: count() }).from(conversions))[0]!.n).toBe(1);
    expect(await rollups()).toEqual([
      { organisationId: org.id, linkId: link.id, day: "2030-03-10", currency: "USD", conversions: 1, revenue: 2500, commission: 300, refunded: 0 },
    ]);
  });

  it("refuses an order time more than five minutes ahead of the clock, naming the field", async () => {
    const error = await refusal(record({ occurredAt: new Date(NOW.getTime() + 5 * MINUTE + 1000).toISOString() }));
    expect(error).toMatchObject({ kind: "invalid", field: "occurredAt" });
    expect(error.message).toContain("more than 5 minutes in the future");
    expect((await record({ occurredAt: new Date(NOW.getTime() + 5 * MINUTE).toISOString() })).outcome).toBe("created");
  });

  it("keeps a conversion nothing attributes, counted for nobody and out of the rollups", async () => {
    const { conversion } = await record({ amount: 1500 });
    expect(conversion.attribution).toMatchObject({ attributedBy: "none", partner: null, link: null, clickId: null, notes: [] });
    expect(conversion.commission).toEqual({ model: null, rateBasisPoints: null, amount: 0, currency: "USD" });
    expect(await rollups()).toEqual([]);
    expect(await app.db.select().from(conversions)).toHaveLength(1);
  });
});

describe("attribution by click id", () => {
  it("counts a click exactly at the window's start and up to five minutes after the order, and notes the ones just outside", async () => {
    await saveConversionSettings(app, ADMIN, { ...DEFAULT_CONVERSION_SETTINGS, attributionWindowDays: 7 });
    const { link } = await partnerWithLink();
    const atStart = await recordedClick(app.db, link, at(-7 * DAY));
    const beforeStart = await recordedClick(app.db, link, at(-7 * DAY - 1));
    const skewed = await recordedClick(app.db, link, at(5 * MINUTE));
    const tooLate = await recordedClick(app.db, link, at(5 * MINUTE + 1));
    const attributed = async (clickId: string) => (await record({ clickId })).conversion.attribution;
    expect(await attributed(atStart)).toMatchObject({ attributedBy: "click", clickId: atStart, windowDays: 7, notes: [] });
    expect(await attributed(skewed)).toMatchObject({ attributedBy: "click", clickId: skewed });
    expect(await attributed(beforeStart)).toMatchObject({
      attributedBy: "none",
      clickId: null,
      notes: [{ kind: "click_outside_window", clickId: beforeStart, clickedAt: at(-7 * DAY - 1).toISOString() }],
    });
    expect((await attributed(tooLate)).notes).toEqual([{ kind: "click_outside_window", clickId: tooLate, clickedAt: at(5 * MINUTE + 1).toISOString() }]);
    // The window in force is kept on each conversion: a later change does not rewrite it.
    await saveConversionSettings(app, ADMIN, { ...DEFAULT_CONVERSION_SETTINGS, attributionWindowDays: 90 });
    const rows = await app.db.select({ window: conversions.attributionWindowDays }).from(conversions);
    expect(rows.map((r) => r.window)).toEqual([7, 7, 7, 7]);
    expect((await record({ clickId: beforeStart })).conversion.attribution).toMatchObject({ attributedBy: "click", windowDays: 90 });
  });

  it("never attributes to bots, fallbacks, orphan visits or (for real conversions) test clicks, and says why", async () => {
    const { link } = await partnerWithLink();
    const bot = await recordedClick(app.db, link, at(-DAY), { isBot: true, userAgentClass: "bot" });
    const fallback = await recordedClick(app.db, link, at(-DAY), { fallbackReason: "link_disabled" });
    const test = await recordedClick(app.db, link, at(-DAY), { isTest: true });
    const orphan = await recordedClick(app.db, null, at(-DAY));
    for (const [clickId, reason] of [
      [bot, "bot"],
      [fallback, "fallback"],
      [test, "test"],
      [orphan, "orphan"],
    ] as const) {
      const { conversion } = await record({ clickId });
      expect(conversion.attribution, reason).toMatchObject({ attributedBy: "none", notes: [{ kind: "click_not_countable", clickId, reason }] });
    }
    expect(await rollups()).toEqual([]);
  });

  it("treats a click id of another shape, or of no recorded click, as unknown", async () => {
    for (const clickId of ["not-a-click-id", unrecordedClickId(at(-DAY))]) {
      const { conversion } = await record({ clickId });
      expect(conversion.attribution).toMatchObject({ attributedBy: "none", notes: [{ kind: "click_unknown", clickId }] });
    }
  });

  it("finds a click still in the recorder's queue by flushing it, once, when the click id is seconds old", async () => {
    const { link } = await partnerWithLink();
    const recorder = new ClickRecorder(app.db, createLogger({ silent: true }));
    const clickId = unrecordedClickId(new Date(NOW.getTime() - 2000));
    recorder.record({
      clickedAt: new Date(NOW.getTime() - 2000),
      clickId,
      linkId: link.id,
      organisationId: link.organisationId,
      requestedCode: null,
      visitorHash: "fresh-visitor",
      userAgentClass: "browser",
      referrerHost: null,
      country: null,
      isBot: false,
      isTest: false,
      fallbackReason: null,
    });
    let flushes = 0;
    const flushClicks = async () => {
      flushes++;
      await recorder.flush();
    };
    // Without a flush it is not there yet.
    expect((await record({ clickId, occurredAt: NOW.toISOString() })).conversion.attribution.attributedBy).toBe("none");
    const { conversion } = await record({ clickId, occurredAt: NOW.toISOString() }, { flushClicks });
    expect(conversion.attribution).toMatchObject({ attributedBy: "click", clickId });
    expect(flushes).toBe(1);
    // An id minutes old is not waited for: the recorder wrote it long ago or never had it.
    await record({ clickId: unrecordedClickId(new Date(NOW.getTime() - 10 * MINUTE)), occurredAt: NOW.toISOString() }, { flushClicks });
    expect(flushes).toBe(1);
    await recorder.stop();
  });

  it("under the first-click model, gives the order to the same visitor's earliest countable click that day, and notes the click posted", async () => {
    await saveConversionSettings(app, ADMIN, { ...DEFAULT_CONVERSION_SETTINGS, attributionModel: "first_click" });
    const first = await partnerWithLink("First Media");
    const second = await partnerWithLink("Second Media");
    const visitorHash = "the-same-visitor";
    // Yesterday's click cannot be the same visitor (the hash's salt changed at midnight UTC), even with the same hash here.
    await recordedClick(app.db, second.link, at(-DAY), { visitorHash });
    await recordedClick(app.db, second.link, at(-10 * 60 * MINUTE - 1), { visitorHash, isBot: true, userAgentClass: "bot" });
    const earliest = await recordedClick(app.db, first.link, at(-10 * 60 * MINUTE), { visitorHash });
    await recordedClick(app.db, second.link, at(-60 * MINUTE), { visitorHash });
    const posted = await recordedClick(app.db, second.link, at(-30 * MINUTE), { visitorHash });
    const { conversion } = await record({ clickId: posted, amount: 10_000 });
    expect(conversion.attribution).toMatchObject({
      attributedBy: "click",
      partner: { id: first.org.id },
      link: { id: first.link.id },
      clickId: earliest,
      model: "first_click",
      notes: [{ kind: "first_click", postedClickId: posted }],
    });
    // The visitor's first click is the posted one: nothing to note.
    const alone = await recordedClick(app.db, second.link, at(-30 * MINUTE), { visitorHash: "someone-else" });
    expect((await record({ clickId: alone })).conversion.attribution).toMatchObject({ clickId: alone, notes: [] });
    // Under last click (the default), the posted click wins.
    await saveConversionSettings(app, ADMIN, DEFAULT_CONVERSION_SETTINGS);
    expect((await record({ clickId: posted })).conversion.attribution).toMatchObject({ partner: { id: second.org.id }, clickId: posted, notes: [] });
  });
});

describe("attribution by coupon", () => {
  it("falls back to a coupon, whatever its case, and counts it under no link", async () => {
    const { org } = await partnerWithLink();
    await createCoupon(app, ADMIN, org.id, { code: "Spring10", expiresOn: null });
    const { conversion } = await record({ couponCode: "SPRING10", amount: 2000, clickId: unrecordedClickId(at(-DAY)) });
    expect(conversion.attribution).toMatchObject({
      attributedBy: "coupon",
      partner: { id: org.id },
      link: null,
      clickId: null,
      coupon: { code: "Spring10" },
      notes: [{ kind: "click_unknown" }],
    });
    expect(conversion.commission).toMatchObject({ model: "revenue_share", amount: 240 });
    expect(await rollups()).toEqual([
      { organisationId: org.id, linkId: NO_LINK_ID, day: "2030-03-10", currency: "USD", conversions: 1, revenue: 2000, commission: 240, refunded: 0 },
    ]);
  });

  it("does not count an unknown, expired or disabled coupon, and says which", async () => {
    const { org } = await partnerWithLink();
    now = new Date("2030-03-01T12:00:00Z");
    await createCoupon(app, ADMIN, org.id, { code: "WINTER", expiresOn: "2030-03-09" });
    const spring = await createCoupon(app, ADMIN, org.id, { code: "SPRING", expiresOn: null });
    now = NOW;
    await disableCoupon(app, ADMIN, org.id, spring.id);
    expect((await record({ couponCode: "nope" })).conversion.attribution).toMatchObject({
      attributedBy: "none",
      notes: [{ kind: "coupon_unknown", code: "nope" }],
    });
    expect((await record({ couponCode: "winter" })).conversion.attribution).toMatchObject({
      attributedBy: "none",
      notes: [{ kind: "coupon_expired", code: "WINTER" }],
    });
    // An order placed on its last day (UTC) still counts.
    expect((await record({ couponCode: "winter", occurredAt: "2030-03-09T23:59:59Z" })).conversion.attribution.attributedBy).toBe("coupon");
    expect((await record({ couponCode: "spring" })).conversion.attribution).toMatchObject({
      attributedBy: "none",
      notes: [{ kind: "coupon_disabled", code: "SPRING" }],
    });
  });

  it("lets the click win over another partner's coupon and notes the conflict; keeps the coupon of the click's own partner", async () => {
    const clicked = await partnerWithLink("Click Media");
    const other = await partnerWithLink("Coupon Media");
    await createCoupon(app, ADMIN, other.org.id, { code: "OTHER15", expiresOn: null });
    await createCoupon(app, ADMIN, clicked.org.id, { code: "OWN15", expiresOn: null });
    const clickId = await recordedClick(app.db, clicked.link, at(-DAY));
    const { conversion } = await record({ clickId, couponCode: "other15" });
    expect(conversion.attribution).toMatchObject({
      attributedBy: "click",
      partner: { id: clicked.org.id },
      coupon: null,
      notes: [{ kind: "coupon_conflict", code: "OTHER15", couponOrganisationId: other.org.id }],
    });
    const own = await record({ clickId, couponCode: "OWN15" });
    expect(own.conversion.attribution).toMatchObject({ attributedBy: "click", coupon: { code: "OWN15" }, notes: [] });
  });
});

describe("test conversions and Tracking validated", () => {
  it("attributes a test conversion to a test click, counts it nowhere, pays nothing, and validates the partner's tracking once", async () => {
    const { org, link } = await partnerWithLink();
    const testClick = await recordedClick(app.db, link, at(-MINUTE), { isTest: true });
    const { conversion } = await record({ clickId: testClick, test: true, amount: 10_000 });
    expect(conversion).toMatchObject({
      test: true,
      attribution: { attributedBy: "click", clickId: testClick },
      commission: { model: "revenue_share", amount: 0 },
    });
    expect(await rollups()).toEqual([]);
    const [validated] = await app.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, org.id));
    expect(validated!.trackingValidatedAt).toEqual(NOW);
    const events = await auditOf("partner.tracking_validated");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      subjectId: org.id,
      partnerOrgId: org.id,
      actorLabel: "system",
      data: { orderId: conversion.orderId, clickId: testClick },
    });
    now = new Date(NOW.getTime() + DAY);
    await record({ clickId: testClick, test: true });
    expect(await auditOf("partner.tracking_validated")).toHaveLength(1);
  });

  it("does not validate tracking with a test conversion on a real click, or a real conversion", async () => {
    const { org, link } = await partnerWithLink();
    const realClick = await recordedClick(app.db, link, at(-MINUTE));
    expect((await record({ clickId: realClick, test: true })).conversion.attribution.attributedBy).toBe("click");
    expect((await record({ clickId: realClick })).conversion.attribution.attributedBy).toBe("click");
    const [row] = await app.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, org.id));
    expect(row!.trackingValidatedAt).toBeNull();
  });
});

describe("commission per commercial model", () => {
  it("stores the terms used and what they earned: shares by rate rounded half to even, nothing per conversion for fees and co-op", async () => {
    const cases: [PartnerOrgFields, number, { model: string; rateBasisPoints: number | null; amount: number }][] = [
      [{ commercialModel: "revenue_share", rateBasisPoints: 1250 }, 100, { model: "revenue_share", rateBasisPoints: 1250, amount: 12 }],
      [{ commercialModel: "revenue_share", rateBasisPoints: 1250 }, 140, { model: "revenue_share", rateBasisPoints: 1250, amount: 18 }],
      [{ commercialModel: "lead_share", rateBasisPoints: 500 }, 5010, { model: "lead_share", rateBasisPoints: 500, amount: 250 }],
      [
        { commercialModel: "fixed_fee", rateBasisPoints: null, amountMinor: 500_000, currency: "USD" },
        9999,
        { model: "fixed_fee", rateBasisPoints: null, amount: 0 },
      ],
      [
        { commercialModel: "co_op", rateBasisPoints: null, amountMinor: 1_500_000, currency: "USD" },
        9999,
        { model: "co_op", rateBasisPoints: null, amount: 0 },
      ],
    ];
    let n = 0;
    for (const [terms, amount, expected] of cases) {
      const { link } = await partnerWithLink(`Partner ${++n}`, terms);
      const clickId = await recordedClick(app.db, link, at(-DAY));
      expect((await record({ clickId, amount })).conversion.commission, JSON.stringify(terms)).toEqual({ ...expected, currency: "USD" });
    }
  });

  it("applies a change of terms to later conversions only", async () => {
    const { org, link } = await partnerWithLink();
    const clickId = await recordedClick(app.db, link, at(-DAY));
    const before = await record({ clickId, amount: 10_000 });
    await app.db.update(partnerOrganisations).set({ rateBasisPoints: 2000 }).where(eq(partnerOrganisations.id, org.id));
    const after = await record({ clickId, amount: 10_000 });
    expect([before.conversion.commission.amount, after.conversion.commission.amount]).toEqual([1200, 2000]);
    expect((await record({ orderId: before.conversion.orderId, clickId, amount: 10_000 })).conversion.commission).toMatchObject({
      rateBasisPoints: 1200,
      amount: 1200,
    });
  });
});

describe("refunds", () => {
  async function conversionOf(amount: number, rateBasisPoints = 1200) {
    const { org, link } = await partnerWithLink("Refund Media", { rateBasisPoints });
    const clickId = await recordedClick(app.db, link, at(-DAY));
    const { conversion } = await record({ clickId, amount });
    return { org, link, conversion };
  }
  const refund = (orderId: string, fields: Record<string, unknown>) => recordRefund(app, { orderId, input: refundBody(fields), apiKeyId: null });

  it("takes back revenue and commission in proportion, in the order's own day of the rollup", async () => {
    const { org, link, conversion } = await conversionOf(1999);
    now = new Date(NOW.getTime() + 3 * DAY);
    const result = await refund(conversion.orderId, { refundId: "RF-1", amount: 1000, reason: "Damaged in transit" });
    expect(RefundResultOutput.parse(result)).toMatchObject({ refund: result.refund });
    expect(result).toMatchObject({
      outcome: "created",
      refund: { refundId: "RF-1", orderId: conversion.orderId, amount: 1000, currency: "USD", commissionReversed: 120, reason: "Damaged in transit" },
      conversion: { id: conversion.id, refunded: { amount: 1000, commission: 120 } },
    });
    expect(result.refund.occurredAt).toBe(now.toISOString());
    expect(await rollups()).toEqual([
      { organisationId: org.id, linkId: link.id, day: "2030-03-10", currency: "USD", conversions: 1, revenue: 999, commission: 120, refunded: 1000 },
    ]);
  });

  it("answers a repeated refund id with the first refund, and refuses a different body for it naming the fields", async () => {
    const { conversion } = await conversionOf(5000);
    const first = await refund(conversion.orderId, { refundId: "RF-2", amount: 1500 });
    const again = await refund(conversion.orderId, { refundId: "RF-2", amount: 1500 });
    expect(again).toEqual({ ...first, outcome: "repeat" });
    const error = await refusal(refund(conversion.orderId, { refundId: "RF-2", amount: 1600, reason: "Changed mind" }));
    expect(error).toMatchObject({ kind: "conflict", fields: ["amount", "reason"] });
    expect(error.message).toContain("Refund RF-2 of order");
    expect((await rollups())[0]).toMatchObject({ revenue: 3500, refunded: 1500 });
  });

  it("refuses to refund more than is left, saying how much is", async () => {
    const { conversion } = await conversionOf(5000);
    await refund(conversion.orderId, { amount: 4000 });
    const error = await refusal(refund(conversion.orderId, { amount: 1001 }));
    expect(error).toMatchObject({ kind: "conflict", field: "amount" });
    expect(error.message.replace(/\u00a0/g, " ")).toContain(
      `Only $10.00 of order ${conversion.orderId} is left to refund: $40.00 of its $50.00 is refunded already.`,
    );
    await refund(conversion.orderId, { amount: 1000 });
    const done = await refusal(refund(conversion.orderId, { amount: 1 }));
    expect(done.message).toContain("is refunded in full already");
  });

  it("takes back exactly the whole commission when everything is refunded in parts", async () => {
    // 12.5 % of 1.99 is 24.875 cents: 25. Three refunds of a third each cannot each take a whole third.
    const { conversion } = await conversionOf(199, 1250);
    expect(conversion.commission.amount).toBe(25);
    const parts = [66, 66, 67];
    const taken: number[] = [];
    for (const amount of parts) taken.push((await refund(conversion.orderId, { amount })).refund.commissionReversed);
    expect(taken.reduce((a, b) => a + b)).toBe(25);
    const [row] = await app.db.select().from(conversions).where(eq(conversions.id, conversion.id));
    expect(row).toMatchObject({ refundedMinor: 199, refundedCommissionMinor: 25 });
    expect((await rollups())[0]).toMatchObject({ conversions: 1, revenue: 0, commission: 0, refunded: 199 });
  });

  it("answers an unknown order with not found, and leaves the rollups alone for test and unattributed conversions", async () => {
    await expect(refund("ORD-NOPE", { amount: 100 })).rejects.toBeInstanceOf(NotFoundError);
    const { conversion: unattributed } = await record({ amount: 500 });
    expect((await refund(unattributed.orderId, { amount: 500 })).conversion.refunded).toEqual({ amount: 500, commission: 0 });
    expect(await rollups()).toEqual([]);
  });

  it("never refunds more than the order between concurrent refunds", async () => {
    const { conversion } = await conversionOf(3000);
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => refund(conversion.orderId, { refundId: `RF-C${i}`, amount: 1000 })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const refusals = results.flatMap((r) => (r.status === "rejected" ? [r.reason as DomainError] : []));
    expect(refusals.map((e) => e.field)).toEqual(["amount", "amount"]);
    const [row] = await app.db.select().from(conversions).where(eq(conversions.id, conversion.id));
    expect(row!.refundedMinor).toBe(3000);
  });
});

describe("coupons", () => {
  it("are unique whatever their case, with a clear refusal, also between two at once", async () => {
    const a = await createPartnerOrg(app.db, "Alpha", { status: "active" });
    const b = await createPartnerOrg(app.db, "Beta", { status: "active" });
    await createCoupon(app, ADMIN, a.id, { code: "Save-20", expiresOn: null });
    const clash = await refusal(createCoupon(app, ADMIN, b.id, { code: "SAVE-20", expiresOn: null }));
    expect(clash).toMatchObject({ kind: "conflict", field: "code" });
    expect(clash.message).toContain("The code SAVE-20 is already taken");
    const race = await Promise.allSettled([
      createCoupon(app, ADMIN, a.id, { code: "race_1", expiresOn: null }),
      createCoupon(app, ADMIN, b.id, { code: "RACE_1", expiresOn: null }),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((await app.db.select().from(coupons).where(eq(coupons.codeKey, "race_1"))).length).toBe(1);
    expect((await auditOf("coupon.created")).map((e) => e.data.code)).toEqual(["Save-20", expect.stringMatching(/^race_1$/i)]);
  });

  it("refuse a last day in the past, and a terminated partner", async () => {
    const org = await createPartnerOrg(app.db, "Alpha", { status: "active" });
    expect(await refusal(createCoupon(app, ADMIN, org.id, { code: "OLD", expiresOn: "2030-03-09" }))).toMatchObject({ field: "expiresOn" });
    // Today is still fine: the code works until the end of the day.
    expect((await createCoupon(app, ADMIN, org.id, { code: "TODAY", expiresOn: "2030-03-10" })).expiresAt).toEqual(new Date("2030-03-11T00:00:00Z"));
    const gone = await createPartnerOrg(app.db, "Gone", { status: "terminated" });
    expect(await refusal(createCoupon(app, ADMIN, gone.id, { code: "GONE1", expiresOn: null }))).toMatchObject({ kind: "conflict" });
  });

  it("are made and disabled by partner owners only when the settings allow, and only their own", async () => {
    const a = await createPartnerOrg(app.db, "Alpha", { status: "active" });
    const b = await createPartnerOrg(app.db, "Beta", { status: "active" });
    const owner = await createUser(app.db, { role: "partner", partnerOrgId: a.id });
    const actor = { id: owner.id, label: owner.email, name: owner.name, partnerOrgId: a.id };
    await expect(createPartnerCoupon(app, actor, { code: "MINE", expiresOn: null })).rejects.toBeInstanceOf(ForbiddenError);
    await saveConversionSettings(app, ADMIN, { ...DEFAULT_CONVERSION_SETTINGS, partnersCreateCoupons: true });
    const mine = await createPartnerCoupon(app, actor, { code: "MINE", expiresOn: null });
    expect(mine.organisationId).toBe(a.id);
    const theirs = await createCoupon(app, ADMIN, b.id, { code: "THEIRS", expiresOn: null });
    await expect(disablePartnerCoupon(app, actor, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await disablePartnerCoupon(app, actor, mine.id)).disabledAt).toEqual(NOW);
    expect(await refusal(disablePartnerCoupon(app, actor, mine.id))).toMatchObject({ kind: "conflict" });
    await app.db.update(partnerOrganisations).set({ status: "paused" }).where(eq(partnerOrganisations.id, a.id));
    await expect(createPartnerCoupon(app, actor, { code: "PAUSED", expiresOn: null })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await auditOf("coupon.disabled")).map((e) => [e.data.code, e.actorLabel])).toEqual([["MINE", owner.email]]);
  });
});

describe("conversion settings", () => {
  it("apply the defaults until saved, and record what changed", async () => {
    expect(await getConversionSettings(app.db)).toEqual(DEFAULT_CONVERSION_SETTINGS);
    const next = { attributionWindowDays: 14, attributionModel: "first_click" as const, programCurrency: "EUR", partnersCreateCoupons: false };
    expect(await saveConversionSettings(app, ADMIN, next)).toEqual({ changed: ["attributionWindowDays", "attributionModel", "programCurrency"] });
    expect(await getConversionSettings(app.db)).toEqual(next);
    expect(await saveConversionSettings(app, ADMIN, next)).toEqual({ changed: [] });
    const events = await auditOf("conversions.settings_changed");
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({
      changed: {
        attributionWindowDays: { from: 30, to: 14 },
        attributionModel: { from: "last_click", to: "first_click" },
        programCurrency: { from: "USD", to: "EUR" },
      },
    });
  });
});

describe("the API's request schema", () => {
  it("refuses metadata the database could not store, naming the field", () => {
    const result = ConversionInput.safeParse({ orderId: "A1", amount: 1, currency: "USD", occurredAt: "2030-03-10T11:00:00Z", metadata: { note: "a\u0000b" } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ["metadata"], message: expect.stringContaining("NUL") });
  });
});
