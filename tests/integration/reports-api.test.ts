import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiKey } from "~/domain/api-keys/keys.server";
import type { ApiKeyScope } from "~/domain/api-keys/catalog";
import type { PerformanceReportView } from "~/domain/conversions/report-schemas.server";
import { resetDatabase } from "../support/db";
import { adjustableClockFor, createPartnerOrg, signedIn } from "../support/context";
import { clickDay, conversionDay, dayBefore, noonToday, plainLink, setProgramCurrency } from "../support/conversion-stats";
import { get, startTestServer, type TestServer } from "../support/http";

// GET /api/v1/reports/performance (issue 16, reports:read): the brand's
// dashboards read clicks, conversions, revenue and commission per partner,
// link and day. The figures come from rollup rows written here, as the
// conversions API and the click recorder would have written them; the
// report must add them up exactly, page through them without skipping or
// repeating a row, and refuse a query it cannot answer as asked.

const REPORT = "/api/v1/reports/performance";

let server: TestServer;
let today: string;
beforeAll(async () => {
  // Behind the trusted loopback proxy, so each call can come from its own address (the per-address limit on refused keys never mixes tests up).
  server = await startTestServer({ configure: (config) => ({ ...config, trustProxy: "loopback" }) });
});
afterAll(() => server.close());

let secret: string;
beforeEach(async () => {
  await resetDatabase(server.app.db);
  // Noon UTC today, whatever the real time: a day boundary never falls between a request and what the test expects of it.
  adjustableClockFor(server.app).setOffset(noonToday().getTime() - Date.now());
  today = server.app.clock.now().toISOString().slice(0, 10);
  secret = await keyWith(["reports:read"]);
});

async function keyWith(scopes: ApiKeyScope[]): Promise<string> {
  const admin = await signedIn(server.app, { role: "admin" });
  return (await createApiKey(server.app, { id: admin.id, label: admin.email }, { name: `Dashboards ${scopes.join(" ")}`, scopes, expiresOn: null })).secret;
}

let addresses = 0;
const report = (query: string, key = secret) =>
  get(server, `${REPORT}${query ? `?${query}` : ""}`, { Authorization: `Bearer ${key}`, "X-Forwarded-For": `203.0.113.${(addresses++ % 250) + 1}` });

async function reportOf(query: string): Promise<PerformanceReportView> {
  const response = await report(query);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return (await response.json()) as PerformanceReportView;
}

type ProblemBody = { type: string; status: number; detail: string; errors?: { field: string; message: string }[] };
async function problemOf(query: string, status: number, key = secret): Promise<ProblemBody> {
  const response = await report(query, key);
  expect(response.status, query).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as ProblemBody;
}

/** Every row of a report, following nextCursor page by page, and how many pages it took. */
async function walk(query: string): Promise<{ rows: PerformanceReportView["rows"]; pages: number }> {
  const rows: PerformanceReportView["rows"] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: PerformanceReportView = await reportOf(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    rows.push(...page.rows);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 50);
  return { rows, pages };
}

const NO_OTHERS: never[] = [];

/**
 * The program of the last days, in USD (figures by hand below):
 * Alpha Media — link "alphaone": today 50 clicks (10 bots), 30 unique; 2 + 1
 * conversions over two slots, $150.00 net of a $20.00 refund, $15.00
 * commission; yesterday 3 conversions in EUR (€120.00, €12.00). Link
 * "alphatwo": 10 clicks, 8 unique three days ago, nothing sold. Coupon
 * codes: 2 conversions, $80.00, $8.00 today.
 * Beta Reviews — link "betaone": 900 clicks, 800 unique, 80 conversions,
 * $8,000.00, $800.00 commission today.
 * Gamma Deals: sold 40 days ago only (outside the default 30 days).
 * Delta Studio: never anything.
 */
async function program() {
  const db = server.app.db;
  const alpha = await createPartnerOrg(db, "Alpha Media", { status: "active" });
  const beta = await createPartnerOrg(db, "Beta Reviews", { status: "active" });
  const gamma = await createPartnerOrg(db, "Gamma Deals", { status: "active" });
  const delta = await createPartnerOrg(db, "Delta Studio", { status: "active" });
  const alphaOne = await plainLink(db, alpha.id, { code: "alphaone" });
  const alphaTwo = await plainLink(db, alpha.id, { code: "alphatwo" });
  const betaOne = await plainLink(db, beta.id, { code: "betaone" });
  const gammaOne = await plainLink(db, gamma.id, { code: "gammaone" });
  await plainLink(db, delta.id, { code: "deltaone" });

  await clickDay(db, alphaOne, today, { clicks: 50, unique: 30, bots: 10, tests: 4 });
  await clickDay(db, alphaTwo, dayBefore(today, 3), { clicks: 10, unique: 8 });
  await conversionDay(db, { organisationId: alpha.id, linkId: alphaOne.id, day: today, slot: 0, conversions: 2, revenueMinor: 10_000, commissionMinor: 1_000 });
  await conversionDay(db, {
    organisationId: alpha.id,
    linkId: alphaOne.id,
    day: today,
    slot: 5,
    conversions: 1,
    revenueMinor: 5_000,
    commissionMinor: 500,
    refundedMinor: 2_000,
  });
  await conversionDay(db, {
    organisationId: alpha.id,
    linkId: alphaOne.id,
    day: dayBefore(today, 1),
    currency: "EUR",
    conversions: 3,
    revenueMinor: 12_000,
    commissionMinor: 1_200,
  });
  await conversionDay(db, { organisationId: alpha.id, day: today, conversions: 2, revenueMinor: 8_000, commissionMinor: 800 });

  await clickDay(db, betaOne, today, { clicks: 900, unique: 800 });
  await conversionDay(db, { organisationId: beta.id, linkId: betaOne.id, day: today, conversions: 80, revenueMinor: 800_000, commissionMinor: 80_000 });

  await clickDay(db, gammaOne, dayBefore(today, 40), { clicks: 5, unique: 5 });
  await conversionDay(db, { organisationId: gamma.id, linkId: gammaOne.id, day: dayBefore(today, 40), conversions: 1, revenueMinor: 900, commissionMinor: 90 });
  // Tomorrow: never in a range ending today.
  await conversionDay(db, {
    organisationId: beta.id,
    linkId: betaOne.id,
    day: dayBefore(today, -1),
    conversions: 9,
    revenueMinor: 9_000,
    commissionMinor: 900,
  });
  return { alpha, beta, gamma, delta, alphaOne, alphaTwo, betaOne };
}

const EUROS = { currency: "EUR", conversions: 3, revenue: 12_000, commission: 1_200, refunded: 0 };

describe("the figures, from the rollups", () => {
  it("by partner (the default): the last 30 days, partners with clicks or conversions by slug, every slot summed, coupons in, other currencies apart", async () => {
    const { alpha, beta } = await program();
    const body = await reportOf("");
    expect(body).toEqual({
      from: dayBefore(today, 29),
      to: today,
      currency: "USD",
      groupBy: "partner",
      rows: [
        {
          partner: { id: alpha.id, slug: alpha.slug, name: "Alpha Media" },
          clicks: 50,
          uniqueClicks: 38,
          conversions: 5,
          revenue: 23_000,
          commission: 2_300,
          refunded: 2_000,
          // Conversions clicks brought, whatever their currency (3 + 3 in EUR), per unique click; the coupons' 2 are no click's.
          conversionRate: 0.1579,
          // Commission in USD that clicks brought ($15.00), per click.
          epc: 30,
          otherCurrencies: [EUROS],
        },
        {
          partner: { id: beta.id, slug: beta.slug, name: "Beta Reviews" },
          clicks: 900,
          uniqueClicks: 800,
          conversions: 80,
          revenue: 800_000,
          commission: 80_000,
          refunded: 0,
          conversionRate: 0.1,
          epc: 88.8889,
          otherCurrencies: NO_OTHERS,
        },
      ],
      otherCurrencies: [EUROS],
      nextCursor: null,
    });
  });

  it("by link: each link with its partner, a partner's coupon codes on a row without a link, before its links; they add up to the partner's row", async () => {
    const { alpha, beta, alphaOne, alphaTwo, betaOne } = await program();
    const body = await reportOf("groupBy=link");
    const alphaRef = { id: alpha.id, slug: alpha.slug, name: "Alpha Media" };
    expect(body.groupBy).toBe("link");
    expect(body.rows).toEqual([
      {
        partner: alphaRef,
        link: null,
        clicks: 0,
        uniqueClicks: 0,
        conversions: 2,
        revenue: 8_000,
        commission: 800,
        refunded: 0,
        conversionRate: null,
        epc: null,
        otherCurrencies: NO_OTHERS,
      },
      {
        partner: alphaRef,
        link: { id: alphaOne.id, code: "alphaone" },
        clicks: 40,
        uniqueClicks: 30,
        conversions: 3,
        revenue: 15_000,
        commission: 1_500,
        refunded: 2_000,
        conversionRate: 0.2,
        epc: 37.5,
        otherCurrencies: [EUROS],
      },
      {
        partner: alphaRef,
        link: { id: alphaTwo.id, code: "alphatwo" },
        clicks: 10,
        uniqueClicks: 8,
        conversions: 0,
        revenue: 0,
        commission: 0,
        refunded: 0,
        conversionRate: 0,
        epc: 0,
        otherCurrencies: NO_OTHERS,
      },
      expect.objectContaining({ partner: { id: beta.id, slug: beta.slug, name: "Beta Reviews" }, link: { id: betaOne.id, code: "betaone" }, conversions: 80 }),
    ]);
    const byPartner = await reportOf("");
    const sum = (field: "clicks" | "uniqueClicks" | "conversions" | "revenue" | "commission" | "refunded") =>
      body.rows.filter((row) => row.partner?.id === alpha.id).reduce((total, row) => total + row[field], 0);
    const alphaRow = byPartner.rows.find((row) => row.partner?.id === alpha.id)!;
    for (const field of ["clicks", "uniqueClicks", "conversions", "revenue", "commission", "refunded"] as const)
      expect(sum(field), field).toBe(alphaRow[field]);
  });

  it("by day: every day of the range in order, days without anything at zero, other currencies on their own day", async () => {
    await program();
    const body = await reportOf(`groupBy=day&from=${dayBefore(today, 3)}&to=${today}`);
    expect(body.rows.map((row) => row.day)).toEqual([dayBefore(today, 3), dayBefore(today, 2), dayBefore(today, 1), today]);
    const [threeDaysAgo, twoDaysAgo, yesterday, todayRow] = body.rows;
    expect(threeDaysAgo).toEqual({
      day: dayBefore(today, 3),
      clicks: 10,
      uniqueClicks: 8,
      conversions: 0,
      revenue: 0,
      commission: 0,
      refunded: 0,
      conversionRate: 0,
      epc: 0,
      otherCurrencies: NO_OTHERS,
    });
    expect(twoDaysAgo).toMatchObject({ clicks: 0, conversions: 0, conversionRate: null, epc: null, otherCurrencies: NO_OTHERS });
    expect(yesterday).toMatchObject({ clicks: 0, conversions: 0, otherCurrencies: [EUROS] });
    expect(todayRow).toEqual({
      day: today,
      clicks: 940,
      uniqueClicks: 830,
      conversions: 85,
      revenue: 823_000,
      commission: 82_300,
      refunded: 2_000,
      conversionRate: 0.1,
      // $815.00 commission clicks brought, over 940 clicks.
      epc: 86.7021,
      otherCurrencies: NO_OTHERS,
    });
    expect(body.otherCurrencies).toEqual([EUROS]);
  });

  it("keeps to one partner with partnerId, whichever grouping", async () => {
    const { alpha, beta } = await program();
    const byPartner = await reportOf(`partnerId=${beta.id}`);
    expect(byPartner.rows.map((row) => row.partner?.name)).toEqual(["Beta Reviews"]);
    expect(byPartner.otherCurrencies).toEqual([]);
    const byLink = await reportOf(`groupBy=link&partnerId=${alpha.id}`);
    expect(byLink.rows.map((row) => row.link?.code ?? null)).toEqual([null, "alphaone", "alphatwo"]);
    expect(byLink.otherCurrencies).toEqual([EUROS]);
    const byDay = await reportOf(`groupBy=day&partnerId=${alpha.id}&from=${today}&to=${today}`);
    expect(byDay.rows).toEqual([expect.objectContaining({ day: today, clicks: 40, conversions: 5, revenue: 23_000 })]);
  });

  it("takes a range's first and last days, and nothing either side; a partner active only outside the range is not listed", async () => {
    const { gamma, beta } = await program();
    const range = `from=${dayBefore(today, 40)}&to=${dayBefore(today, 40)}`;
    const body = await reportOf(range);
    expect(body.rows).toEqual([expect.objectContaining({ partner: expect.objectContaining({ id: gamma.id }), clicks: 5, conversions: 1, revenue: 900 })]);
    expect((await reportOf(`from=${dayBefore(today, 39)}&to=${dayBefore(today, 1)}`)).rows.map((row) => row.partner?.name)).toEqual(["Alpha Media"]);
    // Tomorrow's rows only with a range that reaches tomorrow.
    const ahead = await reportOf(`partnerId=${beta.id}&from=${dayBefore(today, -1)}&to=${dayBefore(today, -1)}`);
    expect(ahead.rows).toEqual([expect.objectContaining({ conversions: 9 })]);
  });

  it("reports in the program's currency, whichever it is, and lists the others apart", async () => {
    await program();
    await setProgramCurrency(server.app.db, "EUR");
    const body = await reportOf("groupBy=link");
    expect(body.currency).toBe("EUR");
    const alphaOne = body.rows.find((row) => row.link?.code === "alphaone")!;
    expect(alphaOne).toMatchObject({ conversions: 3, revenue: 12_000, commission: 1_200 });
    expect(alphaOne.otherCurrencies).toEqual([{ currency: "USD", conversions: 3, revenue: 15_000, commission: 1_500, refunded: 2_000 }]);
    // Earnings per click count the program currency's commission only: €12.00 over 40 clicks.
    expect(alphaOne.epc).toBe(30);
  });

  it("answers an empty report while nothing happened", async () => {
    await createPartnerOrg(server.app.db, "Quiet Partner", { status: "active" });
    expect(await reportOf("")).toMatchObject({ rows: [], otherCurrencies: [], nextCursor: null });
    expect((await reportOf("groupBy=day&limit=100")).rows).toHaveLength(30);
  });
});

describe("paging", () => {
  it("walks every grouping a page at a time, each row once, in order", async () => {
    await program();
    const links = (await reportOf("groupBy=link&limit=100")).rows;
    for (const limit of [1, 2, 3]) {
      const walked = await walk(`groupBy=link&limit=${limit}`);
      expect(walked.rows, `limit ${limit}`).toEqual(links);
      expect(walked.pages).toBe(Math.ceil(links.length / limit));
    }
    const partners = await walk("limit=1");
    expect(partners.rows.map((row) => row.partner?.name)).toEqual(["Alpha Media", "Beta Reviews"]);

    // 30 days: 25 a page by default.
    const first = await reportOf("groupBy=day");
    expect(first.rows).toHaveLength(25);
    const second = await reportOf(`groupBy=day&cursor=${first.nextCursor}`);
    expect(second.rows.map((row) => row.day)).toEqual([4, 3, 2, 1, 0].map((days) => dayBefore(today, days)));
    expect(second.nextCursor).toBeNull();
  });

  it("refuses a cursor it did not give out, or one of another grouping", async () => {
    await program();
    const { nextCursor } = await reportOf("groupBy=link&limit=1");
    expect(nextCursor).not.toBeNull();
    for (const query of [`groupBy=day&cursor=${nextCursor}`, "cursor=nonsense", `cursor=${Buffer.from('["partner",1]').toString("base64url")}`]) {
      const body = await problemOf(query, 400);
      expect(
        body.errors?.map((error) => error.field),
        query,
      ).toEqual(["cursor"]);
    }
  });
});

describe("refusals", () => {
  it("refuses a bad query with a 400 problem naming each parameter at fault", async () => {
    const { alpha } = await program();
    for (const [query, fields] of [
      ["from=2026-02-30", ["from"]],
      ["to=yesterday", ["to"]],
      ["from=2026-01-01&from=2026-01-02", ["from"]],
      ["groupBy=week", ["groupBy"]],
      ["partnerId=alpha", ["partnerId"]],
      ["group_by=day", ["group_by"]],
      ["limit=0", ["limit"]],
      ["limit=101", ["limit"]],
      ["from=2026-02-30&groupBy=week", ["from", "groupBy"]],
    ] as const) {
      const body = await problemOf(query, 400);
      expect(body.type).toBe("urn:cobrand:problem:invalid");
      expect(body.errors?.map((error) => error.field).sort(), query).toEqual([...fields].sort());
    }
    // A partner id of the right shape that no partner has: refused, not an empty report that looks like no sales.
    const unknown = await problemOf(`partnerId=${alpha.id.replace(/^.{8}/, "00000000")}`, 400);
    expect(unknown.errors).toEqual([{ field: "partnerId", message: "No partner has this partnerId." }]);
  });

  it("covers at most 366 days, and a range that runs forward", async () => {
    // 2024 is a leap year: its 366 days are one report.
    const year = await reportOf("groupBy=day&from=2024-01-01&to=2024-12-31&limit=100");
    expect(year.rows).toHaveLength(100);
    expect(year.nextCursor).not.toBeNull();
    const tooLong = await problemOf("from=2023-12-31&to=2024-12-31", 400);
    expect(tooLong.detail).toBe("The range from 2023-12-31 to 2024-12-31 covers 367 days; a report covers at most 366: ask for it in parts.");
    expect(tooLong.errors?.map((error) => error.field)).toEqual(["from", "to"]);
    // With only `from`, `to` is today: the refusal names what was sent and says what `to` was taken to be.
    const fromOnly = await problemOf(`from=${dayBefore(today, 366)}`, 400);
    expect(fromOnly.errors?.map((error) => error.field)).toEqual(["from"]);
    expect(fromOnly.detail).toContain(`today (${today})`);
    expect((await reportOf(`from=${dayBefore(today, 365)}`)).from).toBe(dayBefore(today, 365));
    const backwards = await problemOf(`from=${today}&to=${dayBefore(today, 1)}`, 400);
    expect(backwards.errors?.map((error) => error.field)).toEqual(["from", "to"]);
    // Without `from`, the 30 days up to `to`.
    expect(await reportOf("to=2026-03-31")).toMatchObject({ from: "2026-03-02", to: "2026-03-31" });
  });

  it("answers a key without reports:read 403, and no key 401", async () => {
    const linksOnly = await keyWith(["links:read", "conversions:write"]);
    const refused = await problemOf("", 403, linksOnly);
    expect(refused.type).toBe("urn:cobrand:problem:insufficient-scope");
    expect(refused.detail).toContain("reports:read");
    const anonymous = await get(server, REPORT, { "X-Forwarded-For": "198.51.100.7" });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toBe("application/problem+json");
  });

  it("answers GET only", async () => {
    const response = await fetch(`${server.url}${REPORT}`, { method: "POST", headers: { Authorization: `Bearer ${secret}` } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
  });
});
