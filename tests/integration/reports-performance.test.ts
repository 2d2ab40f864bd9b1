import { and, eq } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents } from "#db/schema/index";
import { performanceOverTime, performanceTable, performanceTotals } from "~/domain/reports/performance.server";
import { parseReportRange, previousPeriod } from "~/domain/reports/range.server";
import type { ReportRange } from "~/domain/reports/range";
import { WHOLE_PROGRAM } from "~/domain/reports/scope.server";
import { warmReports } from "~/domain/reports/warm.server";
import { resetDatabase } from "../support/db";
import { adjustableClockFor, createPartner, signedIn } from "../support/context";
import { clickDay, conversionDay, plainLink } from "../support/conversion-stats";
import { get, startTestServer, type TestServer } from "../support/http";
import { seedReviewCreative } from "../support/review-fixtures";

// The Performance report (issue 18) from rollup rows written here: exact
// figures per partner, creative, channel and tier beside the previous
// period's, the page, its CSV (audited) and a bad date range; and the same
// report on one partner's own rows (Partner → Reports), which never shows
// another partner's.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const CURRENT = { from: "2025-03-08", to: "2025-03-14" };
const RANGE: ReportRange = { preset: "custom", current: CURRENT, previous: previousPeriod(CURRENT), days: 7 };
const QUERY = `range=custom&from=${CURRENT.from}&to=${CURRENT.to}`;

let fixture: Awaited<ReturnType<typeof seedProgram>>;
beforeEach(async () => {
  await resetDatabase(server.app.db);
  // The page keeps a computed report for a couple of minutes: each test's program is a new one.
  server.app.reportCache.clear();
  fixture = await seedProgram();
});

/**
 * Alpha (strategic): a creative's email link and an evergreen blog link, and
 * coupon sales; Beta (standard): a blog link. Current week 8–14 March 2025,
 * previous 1–7 March; a row on 15 March is outside both.
 */
async function seedProgram() {
  const db = server.app.db;
  const alpha = await createPartner(server.app, { name: "Alpha Media", fields: { status: "active", tier: "strategic" } });
  const beta = await createPartner(server.app, { name: "Beta Blog", fields: { status: "active", tier: "standard" } });
  const creative = await seedReviewCreative(db, { organisationId: alpha.org.id, authorId: alpha.user.id, title: "Spring roast", status: "approved" });
  const emailLink = await plainLink(db, alpha.org.id, { kind: "creative", creativeId: creative.id, utmMedium: "email" });
  const blogLink = await plainLink(db, alpha.org.id, { utmMedium: "website_blog" });
  const betaLink = await plainLink(db, beta.org.id, { utmMedium: "website_blog" });
  await clickDay(db, emailLink, "2025-03-10", { clicks: 50, unique: 30, bots: 10, tests: 2 });
  await clickDay(db, emailLink, "2025-03-03", { clicks: 20, unique: 15 });
  await clickDay(db, blogLink, "2025-03-14", { clicks: 10, unique: 10 });
  await clickDay(db, betaLink, "2025-03-08", { clicks: 25, unique: 20, bots: 5 });
  await clickDay(db, betaLink, "2025-03-15", { clicks: 100, unique: 100 });
  const a = alpha.org.id;
  await conversionDay(db, {
    organisationId: a,
    linkId: emailLink.id,
    day: "2025-03-10",
    slot: 0,
    conversions: 3,
    revenueMinor: 30000,
    commissionMinor: 3000,
    refundedMinor: 5000,
  });
  await conversionDay(db, { organisationId: a, linkId: emailLink.id, day: "2025-03-10", slot: 1, conversions: 1, revenueMinor: 10000, commissionMinor: 1000 });
  await conversionDay(db, {
    organisationId: a,
    linkId: emailLink.id,
    day: "2025-03-10",
    currency: "EUR",
    conversions: 2,
    revenueMinor: 9000,
    commissionMinor: 900,
  });
  await conversionDay(db, { organisationId: a, day: "2025-03-12", conversions: 1, revenueMinor: 5000, commissionMinor: 500 });
  await conversionDay(db, { organisationId: a, linkId: emailLink.id, day: "2025-03-02", conversions: 2, revenueMinor: 20000, commissionMinor: 2000 });
  await conversionDay(db, { organisationId: beta.org.id, linkId: betaLink.id, day: "2025-03-09", conversions: 1, revenueMinor: 8000, commissionMinor: 800 });
  await conversionDay(db, { organisationId: beta.org.id, linkId: betaLink.id, day: "2025-03-15", conversions: 9, revenueMinor: 90000, commissionMinor: 9000 });
  return { alpha, beta, creative, emailLink, blogLink, betaLink };
}

describe("performance figures", () => {
  it("per partner, with the previous period beside", async () => {
    const page = await performanceTable(server.app.db, WHOLE_PROGRAM, "partner", RANGE, "USD", 1);
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.label)).toEqual(["Alpha Media", "Beta Blog"]);
    const [alpha, beta] = page.rows;
    expect(alpha!.current).toEqual({
      clicks: 50,
      uniqueClicks: 40,
      botClicks: 10,
      botShare: 10 / 60,
      conversions: 7,
      revenueMinor: 45000,
      commissionMinor: 4500,
      refundedMinor: 5000,
      conversionRate: 6 / 40,
      epcMinor: 4000 / 50,
      aovMinor: 9000,
      refundRate: 0.1,
    });
    expect(alpha!.previous).toMatchObject({ clicks: 20, uniqueClicks: 15, conversions: 2, revenueMinor: 20000, epcMinor: 100, aovMinor: 10000, refundRate: 0 });
    expect(beta!.current).toMatchObject({
      clicks: 20,
      uniqueClicks: 20,
      botShare: 0.2,
      conversions: 1,
      revenueMinor: 8000,
      conversionRate: 0.05,
      epcMinor: 40,
      aovMinor: 8000,
    });
    expect(beta!.previous).toMatchObject({ clicks: 0, conversions: 0, botShare: null, conversionRate: null, epcMinor: null, aovMinor: null, refundRate: null });
  });

  it("per creative, channel and tier, and in total", async () => {
    const db = server.app.db;
    const creatives = await performanceTable(db, WHOLE_PROGRAM, "creative", RANGE, "USD", 1);
    expect(creatives.rows).toHaveLength(1);
    expect(creatives.rows[0]).toMatchObject({ key: fixture.creative.id, label: "Spring roast" });
    expect(creatives.rows[0]!.current).toMatchObject({
      clicks: 40,
      uniqueClicks: 30,
      conversions: 6,
      revenueMinor: 40000,
      conversionRate: 0.2,
      epcMinor: 100,
      aovMinor: 10000,
    });
    expect(creatives.rows[0]!.current.refundRate).toBeCloseTo(5000 / 45000, 10);

    const channels = await performanceTable(db, WHOLE_PROGRAM, "channel", RANGE, "USD", 1);
    expect(channels.rows.map((r) => [r.label, r.current.clicks, r.current.conversions, r.current.revenueMinor])).toEqual([
      ["Email", 40, 6, 40000],
      ["Website or blog", 30, 1, 8000],
      ["Coupon codes", 0, 1, 5000],
    ]);
    expect(channels.rows[2]!.current).toMatchObject({ conversionRate: null, epcMinor: null, aovMinor: 5000 });

    const tiers = await performanceTable(db, WHOLE_PROGRAM, "tier", RANGE, "USD", 1);
    expect(tiers.rows.map((r) => [r.label, r.current.clicks, r.current.revenueMinor, r.previous?.revenueMinor])).toEqual([
      ["Strategic", 50, 45000, 20000],
      ["Standard", 20, 8000, 0],
    ]);

    const totals = await performanceTotals(db, WHOLE_PROGRAM, RANGE, "USD");
    expect(totals.current).toMatchObject({
      clicks: 70,
      uniqueClicks: 60,
      botClicks: 15,
      conversions: 8,
      revenueMinor: 53000,
      commissionMinor: 5300,
      refundedMinor: 5000,
    });
    expect(totals.current.conversionRate).toBeCloseTo(7 / 60, 10);
    expect(totals.current.epcMinor).toBeCloseTo(4800 / 70, 10);
    expect(totals.current.aovMinor).toBeCloseTo(53000 / 6, 10);
    expect(totals.previous).toMatchObject({ clicks: 20, conversions: 2, revenueMinor: 20000 });
  });

  it("pages a table, and leaves the comparison out when asked", async () => {
    const page2 = await performanceTable(server.app.db, WHOLE_PROGRAM, "partner", { ...RANGE, previous: null }, "USD", 2, 1);
    expect(page2).toMatchObject({ total: 2, page: 2, pageCount: 2 });
    expect(page2.rows.map((r) => [r.label, r.previous])).toEqual([["Beta Blog", null]]);
  });

  it("shows nothing for a range without activity", async () => {
    const empty: ReportRange = { preset: "custom", current: { from: "2024-01-01", to: "2024-01-31" }, previous: null, days: 31 };
    expect(await performanceTable(server.app.db, WHOLE_PROGRAM, "partner", empty, "USD", 1)).toEqual({ total: 0, page: 1, pageCount: 1, rows: [] });
  });
});

describe("the report's dates", () => {
  const now = new Date("2026-03-18T12:00:00Z");
  it("reads presets and custom dates, with the previous period of equal length", () => {
    expect(parseReportRange(new URLSearchParams("range=7d"), now)).toMatchObject({
      ok: true,
      range: { current: { from: "2026-03-12", to: "2026-03-18" }, previous: { from: "2026-03-05", to: "2026-03-11" }, days: 7 },
    });
    expect(parseReportRange(new URLSearchParams("range=last-month&compare=none"), now)).toMatchObject({
      ok: true,
      range: { current: { from: "2026-02-01", to: "2026-02-28" }, previous: null, days: 28 },
    });
    expect(parseReportRange(new URLSearchParams("range=12m"), now)).toMatchObject({
      ok: true,
      range: { current: { from: "2025-03-19", to: "2026-03-18" }, days: 365 },
    });
    expect(parseReportRange(new URLSearchParams(""), now)).toMatchObject({ ok: true, range: { preset: "30d", days: 30 } });
  });

  it("says what is wrong with custom dates", () => {
    const errors = (query: string) => {
      const parsed = parseReportRange(new URLSearchParams(query), now);
      return parsed.ok ? null : parsed.errors;
    };
    expect(errors("range=custom&from=2026-02-30&to=2026-03-01")).toEqual({ from: "Enter the start date as a real date, like 2026-03-18." });
    expect(errors("range=custom&from=2026-03-10&to=2026-03-01")).toEqual({ to: "The end date must be on or after the start date." });
    expect(errors("range=custom&from=2020-01-01&to=2026-03-01")).toEqual({ to: "A report covers at most 731 days; choose an end date closer to the start." });
    expect(errors("range=custom&from=2026-03-01&to=2026-04-01")).toEqual({ to: "The end date can't be after today (2026-03-18)." });
    expect(errors("range=custom&to=2026-03-01")).toEqual({ from: "Enter the start date." });
  });
});

describe("the Performance page", () => {
  const documentOf = (html: string) => new JSDOM(html).window.document;

  it("shows admins and analysts every table for the range", async () => {
    for (const role of ["admin", "analyst"] as const) {
      const reader = await signedIn(server.app, { role });
      const response = await get(server, `/admin/reports?${QUERY}`, { Cookie: reader.cookie });
      expect(response.status).toBe(200);
      const doc = documentOf(await response.text());
      const byPartner = doc.querySelector("#by-partner tbody")!;
      expect([...byPartner.querySelectorAll("th")].map((th) => th.textContent)).toEqual([
        `Alpha Media${fixture.alpha.org.slug}`,
        `Beta Blog${fixture.beta.org.slug}`,
      ]);
      // Revenue of Alpha with last week's beside it and the change.
      expect(byPartner.querySelector("tr")!.textContent).toContain("$450.00was $200.00 · +125.0 %");
      expect(doc.querySelector('a[href^="/admin/reports/performance.csv?table=tier"]')).not.toBeNull();
      expect(doc.querySelector('nav[aria-label="Reports"] a[aria-current="page"]')?.textContent).toBe("Performance");
    }
  });

  it("keeps custom dates it cannot use and says why, with a 400", async () => {
    const admin = await signedIn(server.app);
    const response = await get(server, "/admin/reports?range=custom&from=2025-03-14&to=2025-03-08", { Cookie: admin.cookie });
    expect(response.status).toBe(400);
    const doc = documentOf(await response.text());
    expect(doc.querySelector("#field-to-error")?.textContent).toBe("The end date must be on or after the start date.");
    expect(doc.querySelector<HTMLInputElement>("#field-from")?.value).toBe("2025-03-14");
    expect(doc.querySelector<HTMLInputElement>("#field-to")?.value).toBe("2025-03-08");
    expect(doc.querySelector<HTMLSelectElement>("#field-range")?.value).toBe("custom");
    expect(doc.querySelector("#by-partner")).toBeNull();
  });

  it("exports a table as CSV, formula-safe, and records the export", async () => {
    const analyst = await signedIn(server.app, { role: "analyst" });
    const response = await get(server, `/admin/reports/performance.csv?table=partner&${QUERY}`, { Cookie: analyst.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain("performance-by-partner-2025-03-08-to-2025-03-14.csv");
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^Partner,Slug,Clicks,"Clicks, previous period","Clicks, change \(%\)",Unique clicks,/);
    expect(lines[1]).toMatch(
      new RegExp(`^Alpha Media,${fixture.alpha.org.slug},50,20,150\\.0,40,15,166\\.7,16\\.67,0\\.00,,7,2,250\\.0,450\\.00,200\\.00,125\\.0,`),
    );
    expect(lines).toHaveLength(3);
    const events = await server.app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "reports.exported"), eq(auditEvents.actorId, analyst.id)));
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({
      report: "performance",
      table: "partner",
      from: "2025-03-08",
      to: "2025-03-14",
      compared_from: "2025-03-01",
      compared_to: "2025-03-07",
    });
  });

  it("works the report out once for two minutes, for the page and its CSVs alike, then again behind the next view with what arrived", async () => {
    const clock = adjustableClockFor(server.app);
    const admin = await signedIn(server.app);
    const alphaClicks = async (path: string) => {
      const body = await (await get(server, path, { Cookie: admin.cookie })).text();
      if (path.includes(".csv"))
        return body
          .split("\r\n")
          .find((line) => line.startsWith("Alpha Media"))!
          .split(",")[2];
      return documentOf(body).querySelector("#by-partner tbody tr td")!.textContent;
    };
    expect(await alphaClicks(`/admin/reports?${QUERY}`)).toBe("50was 20 · +150.0 %");
    await clickDay(server.app.db, await plainLink(server.app.db, fixture.alpha.org.id), "2025-03-11", { clicks: 5, unique: 5 });
    clock.advance(119_000);
    // Still the figures on the page, in the file too: they say as of when.
    expect(await alphaClicks(`/admin/reports/performance.csv?table=partner&${QUERY}`)).toBe("50");
    expect(await alphaClicks(`/admin/reports?${QUERY}`)).toBe("50was 20 · +150.0 %");
    clock.advance(1_000);
    // The view that finds it two minutes old is not kept waiting: it shows those figures while the report is worked out again.
    expect(await alphaClicks(`/admin/reports?${QUERY}`)).toBe("50was 20 · +150.0 %");
    await server.app.reportCache.refreshed();
    expect(await alphaClicks(`/admin/reports?${QUERY}`)).toBe("55was 20 · +175.0 %");
    expect(await alphaClicks(`/admin/reports/performance.csv?table=partner&${QUERY}`)).toBe("55");
  });

  it("keeps the default view and the ranges read in the last two hours worked out ahead, so their next reader finds them fresh", async () => {
    const clock = adjustableClockFor(server.app);
    // "Last 30 days" up to 20 March 2025 holds the whole fixture.
    clock.setOffset(Date.parse("2025-03-20T12:00:00Z") - Date.now());
    const admin = await signedIn(server.app);
    const alphaClicks = async (query: string) =>
      (await (await get(server, `/admin/reports/performance.csv?table=partner${query}`, { Cookie: admin.cookie })).text())
        .split("\r\n")
        .find((line) => line.startsWith("Alpha Media"))!
        .split(",")[2];
    // Performance and Brand & trust as "Reports" opens on, worked out before anyone asks.
    expect(await warmReports(server.app)).toEqual({ warmed: 2, refreshed: 0 });
    await clickDay(server.app.db, fixture.blogLink, "2025-03-11", { clicks: 5, unique: 5 });
    clock.advance(60_000);
    expect(await alphaClicks("")).toBe("70");
    expect(await warmReports(server.app)).toEqual({ warmed: 0, refreshed: 0 });
    expect(await alphaClicks(`&${QUERY}`)).toBe("55");
    await clickDay(server.app.db, fixture.blogLink, "2025-03-12", { clicks: 5, unique: 5 });
    // Five minutes on, the job works both out again: their readers get the new figures at once, not the old ones while a refresh runs.
    clock.advance(300_000);
    expect(await warmReports(server.app)).toEqual({ warmed: 2, refreshed: 1 });
    expect(await alphaClicks("")).toBe("80");
    expect(await alphaClicks(`&${QUERY}`)).toBe("60");
    // A range nobody read for two hours is left to its next reader; the default views are always kept.
    clock.advance(2 * 60 * 60_000 + 1_000);
    expect(await warmReports(server.app)).toEqual({ warmed: 2, refreshed: 0 });
  });

  it("escapes a partner name a spreadsheet would run as a formula", async () => {
    const evil = await createPartner(server.app, { name: "=HYPERLINK(1)", fields: { status: "active" } });
    const link = await plainLink(server.app.db, evil.org.id);
    await clickDay(server.app.db, link, "2025-03-09", { clicks: 1, unique: 1 });
    const admin = await signedIn(server.app);
    const csv = await (await get(server, `/admin/reports/performance.csv?table=partner&${QUERY}`, { Cookie: admin.cookie })).text();
    expect(csv).toContain("\r\n'=HYPERLINK(1),");
  });

  it("refuses a CSV of an unknown table or bad dates", async () => {
    const admin = await signedIn(server.app);
    expect((await get(server, `/admin/reports/performance.csv?table=secrets&${QUERY}`, { Cookie: admin.cookie })).status).toBe(400);
    expect(
      (await get(server, "/admin/reports/performance.csv?table=partner&range=custom&from=2025-13-01&to=2025-03-01", { Cookie: admin.cookie })).status,
    ).toBe(400);
  });
});

describe("a partner's own Performance report", () => {
  const documentOf = (html: string) => new JSDOM(html).window.document;
  const own = () => ({ organisationId: fixture.alpha.org.id });

  it("sums only the partner's rows: its totals are its line of the program's report", async () => {
    const db = server.app.db;
    const [program, alpha] = await Promise.all([performanceTable(db, WHOLE_PROGRAM, "partner", RANGE, "USD", 1), performanceTotals(db, own(), RANGE, "USD")]);
    expect(alpha).toEqual({ current: program.rows[0]!.current, previous: program.rows[0]!.previous });
    const beta = await performanceTotals(db, { organisationId: fixture.beta.org.id }, RANGE, "USD");
    expect(beta.current).toMatchObject({ clicks: 20, uniqueClicks: 20, botClicks: 5, conversions: 1, revenueMinor: 8000, commissionMinor: 800 });
  });

  it("per link (coupon codes a row of their own), per channel and per creative, beside the previous period", async () => {
    const db = server.app.db;
    const links = await performanceTable(db, own(), "link", RANGE, "USD", 1);
    expect(links.rows.map((r) => [r.key, r.label, r.detail])).toEqual([
      [fixture.emailLink.id, fixture.emailLink.label, fixture.emailLink.code],
      ["~coupon", "Coupon codes", null],
      [fixture.blogLink.id, fixture.blogLink.label, fixture.blogLink.code],
    ]);
    const [email, coupons, blog] = links.rows;
    expect(email!.current).toMatchObject({
      clicks: 40,
      uniqueClicks: 30,
      botClicks: 10,
      botShare: 0.2,
      conversions: 6,
      revenueMinor: 40000,
      commissionMinor: 4000,
      refundedMinor: 5000,
      conversionRate: 0.2,
      epcMinor: 100,
      aovMinor: 10000,
    });
    expect(email!.previous).toMatchObject({ clicks: 20, uniqueClicks: 15, conversions: 2, revenueMinor: 20000, epcMinor: 100, aovMinor: 10000 });
    expect(coupons!.current).toMatchObject({ clicks: 0, conversions: 1, revenueMinor: 5000, conversionRate: null, epcMinor: null, aovMinor: 5000 });
    expect(blog!.current).toMatchObject({ clicks: 10, uniqueClicks: 10, conversions: 0, revenueMinor: 0, conversionRate: 0, epcMinor: 0, aovMinor: null });

    const channels = await performanceTable(db, own(), "channel", RANGE, "USD", 1);
    expect(channels.rows.map((r) => [r.label, r.current.clicks, r.current.conversions, r.current.revenueMinor, r.previous?.revenueMinor])).toEqual([
      ["Email", 40, 6, 40000, 20000],
      ["Coupon codes", 0, 1, 5000, 0],
      ["Website or blog", 10, 0, 0, 0],
    ]);
    const creatives = await performanceTable(db, own(), "creative", RANGE, "USD", 1);
    expect(creatives.rows.map((r) => [r.label, r.current.clicks, r.current.revenueMinor])).toEqual([["Spring roast", 40, 40000]]);

    const overTime = await performanceOverTime(db, own(), RANGE, "USD");
    expect(overTime.unit).toBe("day");
    expect(overTime.points.filter((p) => p.clicks || p.conversions).map((p) => [p.key, p.clicks, p.conversions, p.revenueMinor])).toEqual([
      ["2025-03-10", 40, 4, 40000],
      ["2025-03-12", 0, 1, 5000],
      ["2025-03-14", 10, 0, 0],
    ]);
  });

  it("pages its links, and has nothing of another partner's", async () => {
    const db = server.app.db;
    const second = await performanceTable(db, own(), "link", RANGE, "USD", 2, 2);
    expect(second).toMatchObject({ total: 3, page: 2, pageCount: 2 });
    expect(second.rows.map((r) => r.key)).toEqual([fixture.blogLink.id]);
    const beta = { organisationId: fixture.beta.org.id };
    expect((await performanceTable(db, beta, "link", RANGE, "USD", 1)).rows.map((r) => r.key)).toEqual([fixture.betaLink.id]);
    expect(await performanceTable(db, beta, "creative", RANGE, "USD", 1)).toEqual({ total: 0, page: 1, pageCount: 1, rows: [] });
  });

  it("shows every member its own tables, with links to its creatives and links", async () => {
    const member = await createPartner(server.app, { org: fixture.alpha.org, role: "member" });
    for (const reader of [fixture.alpha, member]) {
      const response = await get(server, `/partner/reports?${QUERY}`, { Cookie: reader.cookie });
      expect(response.status).toBe(200);
      const doc = documentOf(await response.text());
      expect([...doc.querySelectorAll("#by-link tbody th")].map((th) => th.textContent)).toEqual([
        `${fixture.emailLink.label}${fixture.emailLink.code}`,
        "Coupon codes",
        `${fixture.blogLink.label}${fixture.blogLink.code}`,
      ]);
      expect(doc.querySelector("#by-link tbody tr")!.textContent).toContain("$400.00was $200.00 · +100.0 %");
      expect(doc.querySelector(`#by-link a[href="/partner/links/${fixture.emailLink.id}"]`)).not.toBeNull();
      expect(doc.querySelector(`#by-creative a[href="/partner/creatives/${fixture.creative.id}"]`)?.textContent).toBe("Spring roast");
      expect(doc.querySelector("#by-partner, #by-tier")).toBeNull();
      expect([...doc.querySelectorAll("a[download]")].map((a) => a.getAttribute("href"))).toEqual(
        ["creative", "channel", "link"].map((table) => `/partner/reports/performance.csv?table=${table}&${QUERY}`),
      );
      expect(doc.querySelector('nav[aria-label="Reports"] a[aria-current="page"]')?.textContent).toBe("Performance");
    }
  });

  it("shows partner B none of A's rows, whatever ids the address carries", async () => {
    const a = fixture.alpha.org.id;
    const foreign = `organisationId=${a}&partnerId=${a}&partner=${a}&orgId=${a}`;
    const page = await (await get(server, `/partner/reports?${QUERY}&${foreign}`, { Cookie: fixture.beta.cookie })).text();
    for (const mine of [fixture.emailLink.label, fixture.emailLink.code, fixture.blogLink.code, "Spring roast", "Coupon codes", "$450.00", "$400.00"]) {
      expect(page).not.toContain(mine);
    }
    expect(page).toContain(fixture.betaLink.code);
    const csv = await (await get(server, `/partner/reports/performance.csv?table=link&${QUERY}&${foreign}`, { Cookie: fixture.beta.cookie })).text();
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${fixture.betaLink.label},${fixture.betaLink.code},20,0,,20,0,,20\\.00,,`));
  });

  it("keeps custom dates it cannot use and says why, with a 400", async () => {
    const response = await get(server, "/partner/reports?range=custom&from=2025-02-30&to=2025-03-08", { Cookie: fixture.alpha.cookie });
    expect(response.status).toBe(400);
    const doc = documentOf(await response.text());
    expect(doc.querySelector("#field-from-error")?.textContent).toMatch(/^Enter the start date as a real date, like \d{4}-\d{2}-\d{2}\.$/);
    // What was typed, as typed (a browser's date field shows an impossible date empty, but it is sent back as it was).
    expect(doc.querySelector("#field-from")?.getAttribute("value")).toBe("2025-02-30");
    expect(doc.querySelector("#field-to")?.getAttribute("value")).toBe("2025-03-08");
    expect(doc.querySelector("#by-link")).toBeNull();
    const csv = await get(server, "/partner/reports/performance.csv?table=link&range=custom&from=2025-03-08&to=2025-03-01", { Cookie: fixture.alpha.cookie });
    expect(csv.status).toBe(400);
  });

  it("exports a table as CSV, formula-safe, recorded with the partner as the actor", async () => {
    const evil = await plainLink(server.app.db, fixture.alpha.org.id, { label: "=HYPERLINK(1)" });
    await clickDay(server.app.db, evil, "2025-03-09", { clicks: 1, unique: 1 });
    const response = await get(server, `/partner/reports/performance.csv?table=link&${QUERY}`, { Cookie: fixture.alpha.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain("performance-by-link-2025-03-08-to-2025-03-14.csv");
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^Link,Short code,Clicks,"Clicks, previous period","Clicks, change \(%\)",Unique clicks,/);
    expect(lines[1]).toMatch(
      new RegExp(`^${fixture.emailLink.label},${fixture.emailLink.code},40,20,100\\.0,30,15,100\\.0,20\\.00,0\\.00,,6,2,200\\.0,400\\.00,200\\.00,100\\.0,`),
    );
    // The link's own name, escaped: a spreadsheet reads it as text, not as a formula.
    expect(lines.filter((line) => line.startsWith(`'=HYPERLINK(1),${evil.code},1,0,,1,0,`))).toHaveLength(1);
    expect(lines).toHaveLength(5);
    const events = await server.app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "reports.exported"), eq(auditEvents.actorId, fixture.alpha.user.id)));
    expect(events).toHaveLength(1);
    expect(events[0]!.partnerOrgId).toBe(fixture.alpha.org.id);
    expect(events[0]!.data).toEqual({
      report: "partner-performance",
      table: "link",
      from: "2025-03-08",
      to: "2025-03-14",
      compared_from: "2025-03-01",
      compared_to: "2025-03-07",
    });
  });

  it("refuses the program's tables and unknown ones", async () => {
    for (const table of ["partner", "tier", "secrets"]) {
      const response = await get(server, `/partner/reports/performance.csv?table=${table}&${QUERY}`, { Cookie: fixture.alpha.cookie });
      expect(response.status).toBe(400);
      expect(await response.text()).toBe("Choose a table: creative, channel, link.");
    }
  });
});
