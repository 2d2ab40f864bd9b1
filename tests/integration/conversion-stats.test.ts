import { and, eq } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, partnerOrganisations } from "#db/schema/index";
import { saveRuleSet } from "~/domain/creatives/rules.server";
import { performanceReport } from "~/domain/conversions/stats.server";
import { issueCreativeLink } from "~/domain/links/links.server";
import { statsRange } from "~/domain/links/stats.server";
import { DEFAULT_RULES } from "~/domain/prescreen";
import { SYSTEM_ACTOR } from "~/lib/audit.server";
import { resetDatabase } from "../support/db";
import { adjustableClockFor, createPartner, signedIn } from "../support/context";
import { clickDay, conversionDay, dayBefore, noonToday, plainLink, setProgramCurrency } from "../support/conversion-stats";
import { get, startTestServer, type TestServer } from "../support/http";
import { seedReviewCreative } from "../support/review-fixtures";

// Conversion stats (issue 16, point 8) over HTTP: the partner's links list,
// a link's page, its CSV and the organisation's, the creative page, and the
// admin's partner and link pages, all read from rollup rows written here, as
// the conversions API and the click recorder would have written them.

let server: TestServer;
let today: string;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  await resetDatabase(server.app.db);
  await saveRuleSet(server.app, SYSTEM_ACTOR, { ...DEFAULT_RULES, allowedDomains: ["northwindcoffee.com"] });
  // Noon UTC today, whatever the real time: a day boundary never falls between a request and what the test expects of it.
  adjustableClockFor(server.app).setOffset(noonToday().getTime() - Date.now());
  today = server.app.clock.now().toISOString().slice(0, 10);
});

const documentOf = (html: string) => new JSDOM(html).window.document;
const squash = (text: string | null | undefined) => (text ?? "").replace(/\s+/g, " ").trim();
const textOf = (html: string) => squash(documentOf(html).querySelector("main")?.textContent);
/** A node's text with a space between elements, as a reader sees the cells and labels apart. */
function spaced(node: Node): string {
  // Text runs as they are (React's <!-- --> between two of them is no gap); elements apart.
  const gather = (n: Node): string =>
    [...n.childNodes]
      .map((child) => (child.nodeType === n.TEXT_NODE ? child.textContent : child.nodeType === n.ELEMENT_NODE ? ` ${gather(child)} ` : ""))
      .join("");
  return squash(gather(node));
}
const statsIn = (scope: ParentNode) => [...scope.querySelectorAll(".stat")].map((stat) => stat.textContent);
/** The rows of the tables a page shows without JavaScript (the charts' figures), in `scope`. */
const noscriptRows = (scope: ParentNode) =>
  [...scope.querySelectorAll("noscript")].flatMap((n) => [...documentOf(n.innerHTML).querySelectorAll("tbody tr")].map(spaced));

type Partner = Awaited<ReturnType<typeof createPartner>>;
const as = (who: { cookie: string }) => ({ Cookie: who.cookie });

function partnerNamed(name: string) {
  return createPartner(server.app, { name, fields: { status: "active", tier: "standard", channels: ["website_blog", "email"] } });
}

/** An approved creative and the link its approval issued. */
async function approvedCreativeWithLink(partner: Partner, title = "Cold brew season") {
  const creative = await seedReviewCreative(server.app.db, { organisationId: partner.org.id, authorId: partner.user.id, title, status: "approved" });
  const link = await issueCreativeLink(server.app.db, {
    creative: { id: creative.id, organisationId: partner.org.id },
    versionId: creative.versions[0]!.id,
    actor: SYSTEM_ACTOR,
    now: new Date(),
  });
  return { creative, link: link! };
}

/**
 * Northwind's program of the last week, in USD: a creative's link, an
 * evergreen link, coupon sales, sales in euros, and rows just outside the
 * week and in the future that a 7-day range must leave out.
 *
 * Cold brew (7 days): clicks 40 + 20 people (10 bots today), 30 + 10 unique;
 * USD: 2 + 1 conversions today over two slots, one refunded by $20 (revenue
 * net), 1 six days ago → 4, $190.00, commission $19.00; EUR: 3, €120.00,
 * €12.00 yesterday. Bio link: 10 people, 8 unique, nothing sold. Coupon codes:
 * 2, $80.00, $8.00 today.
 */
async function northwind() {
  const partner = await partnerNamed("Northwind Media");
  const { creative, link: coldBrew } = await approvedCreativeWithLink(partner);
  const bio = await plainLink(server.app.db, partner.org.id, { label: "Bio link" });
  const db = server.app.db;
  const org = partner.org.id;
  await clickDay(db, coldBrew, today, { clicks: 50, unique: 30, bots: 10, tests: 4 });
  await clickDay(db, coldBrew, dayBefore(today, 6), { clicks: 20, unique: 10 });
  await clickDay(db, bio, today, { clicks: 10, unique: 8 });
  await conversionDay(db, { organisationId: org, linkId: coldBrew.id, day: today, slot: 0, conversions: 2, revenueMinor: 10_000, commissionMinor: 1_000 });
  await conversionDay(db, {
    organisationId: org,
    linkId: coldBrew.id,
    day: today,
    slot: 3,
    conversions: 1,
    revenueMinor: 5_000,
    commissionMinor: 500,
    refundedMinor: 2_000,
  });
  await conversionDay(db, { organisationId: org, linkId: coldBrew.id, day: dayBefore(today, 6), conversions: 1, revenueMinor: 4_000, commissionMinor: 400 });
  await conversionDay(db, {
    organisationId: org,
    linkId: coldBrew.id,
    day: dayBefore(today, 1),
    currency: "EUR",
    conversions: 3,
    revenueMinor: 12_000,
    commissionMinor: 1_200,
  });
  await conversionDay(db, { organisationId: org, day: today, conversions: 2, revenueMinor: 8_000, commissionMinor: 800 });
  // Just outside a 7-day range (inside 30 days), and tomorrow: never in a range ending today.
  await conversionDay(db, { organisationId: org, linkId: coldBrew.id, day: dayBefore(today, 7), conversions: 5, revenueMinor: 99_900, commissionMinor: 9_990 });
  await conversionDay(db, {
    organisationId: org,
    linkId: coldBrew.id,
    day: dayBefore(today, -1),
    conversions: 7,
    revenueMinor: 70_000,
    commissionMinor: 7_000,
  });
  return { partner, creative, coldBrew, bio };
}

/** Another organisation with figures of its own, which Northwind's pages must never show. */
async function brightpath() {
  const partner = await partnerNamed("Brightpath Reviews");
  const link = await plainLink(server.app.db, partner.org.id, { label: "Brightpath review" });
  await clickDay(server.app.db, link, today, { clicks: 900, unique: 800 });
  await conversionDay(server.app.db, {
    organisationId: partner.org.id,
    linkId: link.id,
    day: today,
    conversions: 77,
    revenueMinor: 777_700,
    commissionMinor: 77_700,
  });
  await conversionDay(server.app.db, { organisationId: partner.org.id, day: today, conversions: 11, revenueMinor: 111_100, commissionMinor: 11_100 });
  return { partner, link };
}

const csvLines = async (response: Response) =>
  (await response.text())
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n");

describe("the figures, from the rollups", () => {
  it("sums every slot, keeps refunds netted, splits currencies, and puts coupon codes on a line of their own", async () => {
    const { partner } = await northwind();
    const db = server.app.db;
    // Eight slots of one day, as eight concurrent writers would have left them.
    const { link } = await approvedCreativeWithLink(partner, "Flat white");
    for (let slot = 0; slot < 8; slot++) {
      await conversionDay(db, { organisationId: partner.org.id, linkId: link.id, day: today, slot, conversions: 1, revenueMinor: 1_000, commissionMinor: 100 });
    }
    const range = statsRange(server.app.clock.now(), 7);
    const slotted = await performanceReport(db, { organisationId: partner.org.id, linkId: link.id }, range, "USD");
    expect(slotted.totals).toMatchObject({ conversions: 8, revenueMinor: 8_000, commissionMinor: 800, conversionRate: null, epcMinor: null, coupons: null });

    const whole = await performanceReport(db, { organisationId: partner.org.id }, range, "USD");
    expect(whole.totals).toMatchObject({
      clicks: 70,
      uniqueClicks: 48,
      conversions: 6 + 8,
      revenueMinor: 27_000 + 8_000,
      commissionMinor: 2_700 + 800,
      refundedMinor: 2_000,
      otherCurrencies: [{ currency: "EUR", conversions: 3, revenueMinor: 12_000, commissionMinor: 1_200, refundedMinor: 0 }],
      coupons: { figures: { conversions: 2, revenueMinor: 8_000, commissionMinor: 800, refundedMinor: 0 }, otherCurrencies: [] },
    });
    // Rate: conversions clicks brought, in any currency (4 + 3 euro + 8), per unique click; coupon sales had no click.
    expect(whole.totals.conversionRate).toBeCloseTo(15 / 48, 10);
    // EPC: commission clicks brought, in USD, per click.
    expect(whole.totals.epcMinor).toBeCloseTo((1_900 + 800) / 70, 10);
  });

  it("takes a range's first and last days and nothing either side of them", async () => {
    const partner = await partnerNamed("Edge Media");
    const link = await plainLink(server.app.db, partner.org.id);
    const at = (daysAgo: number, conversions: number) =>
      conversionDay(server.app.db, {
        organisationId: partner.org.id,
        linkId: link.id,
        day: dayBefore(today, daysAgo),
        conversions,
        revenueMinor: conversions * 100,
      });
    await at(30, 1000);
    await at(29, 100);
    await at(0, 10);
    await at(-1, 1);
    const scope = { organisationId: partner.org.id, linkId: link.id };
    const month = await performanceReport(server.app.db, scope, statsRange(server.app.clock.now(), 30), "USD");
    expect(month.totals.conversions).toBe(110);
    expect(month.days).toHaveLength(30);
    expect([month.days[0]!.day, month.days[0]!.conversions, month.days.at(-1)!.day, month.days.at(-1)!.conversions]).toEqual([
      dayBefore(today, 29),
      100,
      today,
      10,
    ]);
    const week = await performanceReport(server.app.db, scope, statsRange(server.app.clock.now(), 7), "USD");
    expect(week.totals.conversions).toBe(10);
  });
});

describe("the partner's links page", () => {
  it("sums up the range's performance at the top: clicks, conversions, money, rate, EPC, other currencies and coupon codes", async () => {
    const { partner } = await northwind();
    await brightpath();
    const response = await get(server, "/partner/links?days=7", as(partner));
    expect(response.status).toBe(200);
    const html = await response.text();
    const card = documentOf(html).querySelector("#performance")!;
    expect(card.querySelector("nav[aria-label='Date range'] a[aria-current='page']")!.textContent).toBe("Last 7 days");
    expect(statsIn(card)).toEqual([
      "Clicks70People: no bots, no tests",
      "Unique clicks48Once per visitor a day",
      "Conversions6Last 7 days",
      "Revenue$270.00USD, net of refunds",
      "Commission$27.00The partner's earnings",
      "Conversion rate14.6 %Per unique click",
      "EPC$0.27Earnings per click",
      "Refunded$20.00Taken off the revenue",
    ]);
    const text = squash(card.textContent);
    expect(text).toContain("Also in EUR: 3 conversions, €120.00 revenue, €12.00 commission");
    expect(text).toContain("Coupon codes: 2 conversions, $80.00 revenue, $8.00 commission.");
    expect(text).toContain("Conversion rate: conversions (in any currency) ÷ unique clicks.");
    // By day without JavaScript: seven rows, today last, with coupon sales in the day's money but not in its rate or EPC.
    const rows = noscriptRows(card);
    expect(rows).toHaveLength(7);
    expect(rows.at(-1)).toMatch(/^\S+ \S+ \S+ 50 5 \$230\.00 \$23\.00 \$20\.00 7\.9 % \$0\.30$/);
    expect(card.querySelector(`a[href='/partner/links/performance.csv?days=7'][download]`)).not.toBeNull();
    // Another partner's figures are nowhere.
    expect(html).not.toContain("$777.00");
    expect(html).not.toContain("$111.00");
  });

  it("shows each link's conversions, revenue and commission for the range, and each creative's in By creative", async () => {
    const { partner, creative, coldBrew, bio } = await northwind();
    const document = documentOf(await (await get(server, "/partner/links?days=7", as(partner))).text());
    const cardOf = (label: string) => [...document.querySelectorAll(".link-card")].find((card) => card.querySelector("h2")!.textContent === label)!;
    const conversionsOf = (label: string) => spaced(cardOf(label).querySelector(".link-conversions")!);
    expect(conversionsOf(coldBrew.label)).toBe(
      "Conversions, 7 days 4 Revenue $190.00 Commission $19.00 Also in EUR: 3 conversions, €120.00 revenue, €12.00 commission",
    );
    expect(conversionsOf(bio.label)).toBe("Conversions, 7 days 0 Revenue $0.00 Commission $0.00");

    const row = document.querySelector("#by-creative tbody tr")!;
    expect(row.querySelector(`a[href='/partner/creatives/${creative.id}']`)).not.toBeNull();
    expect([...row.querySelectorAll("td")].map(spaced)).toEqual([
      "1",
      "60",
      "40",
      "14.3 %",
      "4 Also in EUR: 3 conversions, €120.00 revenue, €12.00 commission",
      "$190.00",
      "$19.00",
    ]);

    // Thirty days take in the sale of seven days ago.
    const month = documentOf(await (await get(server, "/partner/links", as(partner))).text());
    expect(squash(month.querySelector("#performance .stat:nth-child(3)")!.textContent)).toBe("Conversions11Last 30 days");
  });

  it("says when nothing converted yet, and how conversions arrive", async () => {
    const partner = await partnerNamed("Quiet Media");
    const link = await plainLink(server.app.db, partner.org.id);
    let text = textOf(await (await get(server, "/partner/links", as(partner))).text());
    expect(text).toContain("No conversions yet");
    expect(text).toContain("Conversions appear when the brand reports a sale attributed to one of your links or coupon codes.");
    await clickDay(server.app.db, link, today, { clicks: 3, unique: 3 });
    text = textOf(await (await get(server, "/partner/links", as(partner))).text());
    expect(text).toContain("Clicks, but no conversions yet");
  });
});

describe("a link's page and CSV", () => {
  it("shows the link's conversions, revenue, rate, EPC, commission and refunds by day, in its own card", async () => {
    const { partner, coldBrew } = await northwind();
    const document = documentOf(await (await get(server, `/partner/links/${coldBrew.id}?days=7`, as(partner))).text());
    const card = document.querySelector("#conversions")!;
    expect(statsIn(card)).toEqual([
      "Conversions4Last 7 days",
      "Revenue$190.00USD, net of refunds",
      "Commission$19.00The partner's earnings",
      // 4 in dollars and 3 in euros over 40 unique clicks; $19.00 over 60 clicks.
      "Conversion rate17.5 %Per unique click",
      "EPC$0.32Earnings per click",
      "Refunded$20.00Taken off the revenue",
    ]);
    expect(squash(card.textContent)).toContain("Also in EUR: 3 conversions, €120.00 revenue, €12.00 commission");
    expect(squash(card.textContent)).not.toContain("Coupon codes");
    const rows = noscriptRows(card);
    expect(rows).toHaveLength(7);
    expect(rows.at(-1)).toMatch(/ 40 3 \$150\.00 \$15\.00 \$20\.00 10\.0 % \$0\.38$/);
    expect(rows[0]).toMatch(/ 20 1 \$40\.00 \$4\.00 \$0\.00 10\.0 % \$0\.20$/);
    // The clicks card keeps its own figures.
    expect(statsIn(document.querySelector("#clicks")!)[0]).toBe("Clicks60Last 7 days");
  });

  it("says, for a link with clicks and no sale, that conversions come when the brand reports one", async () => {
    const { partner, bio } = await northwind();
    const card = documentOf(await (await get(server, `/partner/links/${bio.id}`, as(partner))).text()).querySelector("#conversions")!;
    const text = squash(card.textContent);
    expect(text).toContain("Clicks, but no conversions yet");
    expect(text).toContain("Conversions appear when the brand reports a sale attributed to your link.");
    expect(card.querySelector(".stat")).toBeNull();
  });

  it("exports clicks and conversions by day, other currencies in columns of their own, and audits the export", async () => {
    const { partner, coldBrew } = await northwind();
    const response = await get(server, `/partner/links/${coldBrew.id}/clicks.csv?days=7`, as(partner));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="cold-brew-season-${coldBrew.code}-stats-${dayBefore(today, 6)}-to-${today}.csv"`,
    );
    const lines = await csvLines(response);
    expect(lines[0]).toBe(
      "Day,Clicks,Unique clicks,Bot clicks,Bot share (%),Conversions,Revenue (USD),Commission (USD),Refunded (USD),Conversion rate (%),Earnings per click (USD)," +
        "Conversions (EUR),Revenue (EUR),Commission (EUR),Refunded (EUR)",
    );
    expect(lines).toHaveLength(8);
    expect(lines[1]).toBe(`${dayBefore(today, 6)},20,10,0,0.0,1,40.00,4.00,0.00,10.00,0.20,0,0.00,0.00,0.00`);
    // Yesterday: euro sales without a click that day, so no rate and no EPC.
    expect(lines[6]).toBe(`${dayBefore(today, 1)},0,0,0,,0,0.00,0.00,0.00,,,3,120.00,12.00,0.00`);
    expect(lines[7]).toBe(`${today},40,30,10,20.0,3,150.00,15.00,20.00,10.00,0.38,0,0.00,0.00,0.00`);
    const [audit] = await server.app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "performance.exported"), eq(auditEvents.actorId, partner.user.id)));
    expect(audit).toMatchObject({ subjectId: partner.org.id, partnerOrgId: partner.org.id, data: { link: coldBrew.id, from: dayBefore(today, 6), to: today } });
  });

  it("exports the organisation's days, coupon codes included, and records nothing for a browser's prefetch", async () => {
    const { partner } = await northwind();
    const prefetched = await get(server, "/partner/links/performance.csv?days=7", { ...as(partner), "Sec-Purpose": "prefetch" });
    expect(prefetched.status).toBe(200);
    await prefetched.arrayBuffer();
    expect(await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "performance.exported"))).toHaveLength(0);

    const response = await get(server, "/partner/links/performance.csv?days=7", as(partner));
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${partner.org.slug}-performance-${dayBefore(today, 6)}-to-${today}.csv"`);
    const lines = await csvLines(response);
    expect(lines.at(-1)).toBe(`${today},50,38,10,16.7,5,230.00,23.00,20.00,7.89,0.30,0,0.00,0.00,0.00`);
    expect(await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "performance.exported"))).toHaveLength(1);
  });
});

describe("isolation between partners", () => {
  it("never shows a partner another's figures, and answers 404 for another's link, its page and its CSV", async () => {
    const { coldBrew } = await northwind();
    const { partner: other, link: ownLink } = await brightpath();
    const html = await (await get(server, "/partner/links?days=7", as(other))).text();
    const card = documentOf(html).querySelector("#performance")!;
    expect(statsIn(card).slice(0, 5)).toEqual([
      "Clicks900People: no bots, no tests",
      "Unique clicks800Once per visitor a day",
      "Conversions88Last 7 days",
      "Revenue$8,888.00USD, net of refunds",
      "Commission$888.00The partner's earnings",
    ]);
    for (const northwindFigure of ["$270.00", "$190.00", "€120.00", "Cold brew season"]) expect(html).not.toContain(northwindFigure);

    for (const path of [`/partner/links/${coldBrew.id}`, `/partner/links/${coldBrew.id}/clicks.csv`]) {
      const response = await get(server, path, as(other));
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain("190.00");
    }
    const csv = await (await get(server, "/partner/links/performance.csv?days=7", as(other))).text();
    expect(csv).toContain(`${today},900,800,0,0.0,88,8888.00,888.00,0.00,9.63,0.86`);
    expect(csv).not.toContain("150.00");
    expect((await get(server, `/partner/links/${ownLink.id}`, as(other))).status).toBe(200);
  });
});

describe("the partner's creative page", () => {
  it("shows what the creative's links brought over the last 30 days beside its link", async () => {
    const { partner, creative } = await northwind();
    const document = documentOf(await (await get(server, `/partner/creatives/${creative.id}`, as(partner))).text());
    const section = document.querySelector(".creative-performance")!;
    expect(spaced(section)).toBe(
      "Last 30 days Clicks 60 (40 unique) Conversions 9 conversions Revenue $1,189.00 Commission $118.90 Conversion rate 30.0 % EPC $1.98 " +
        "Also in EUR: 3 conversions, €120.00 revenue, €12.00 commission",
    );
  });

  it("says when the creative's link has not converted yet", async () => {
    const partner = await partnerNamed("Quiet Media");
    const { creative, link } = await approvedCreativeWithLink(partner);
    await clickDay(server.app.db, link, today, { clicks: 5, unique: 4 });
    const document = documentOf(await (await get(server, `/partner/creatives/${creative.id}`, as(partner))).text());
    expect(spaced(document.querySelector(".creative-performance")!)).toBe(
      "Last 30 days 5 clicks, no conversions yet. Conversions appear when the brand reports a sale attributed to your link.",
    );
  });
});

describe("terms paid by the period", () => {
  it("say under the figures that a fixed fee earns nothing per conversion, and set a co-op budget against the range's revenue", async () => {
    const { partner } = await northwind();
    await server.app.db
      .update(partnerOrganisations)
      .set({ commercialModel: "fixed_fee", rateBasisPoints: null, amountMinor: 500_000, currency: "USD" })
      .where(eq(partnerOrganisations.id, partner.org.id));
    const own = squash(documentOf(await (await get(server, "/partner/links?days=7", as(partner))).text()).querySelector("#performance")!.textContent);
    expect(own).toContain("Fixed fee: $5,000.00 per period, paid whatever the conversions; so no commission is earned per conversion.");

    await server.app.db
      .update(partnerOrganisations)
      .set({ commercialModel: "co_op", amountMinor: 100_000, currency: "USD" })
      .where(eq(partnerOrganisations.id, partner.org.id));
    const admin = await signedIn(server.app, { role: "admin" });
    const brand = squash(
      documentOf(await (await get(server, `/admin/partners/${partner.org.id}?days=7`, as(admin))).text()).querySelector("#performance")!.textContent,
    );
    // The week's $270.00 of revenue against a $1,000.00 budget.
    expect(brand).toContain(
      "Co-op budget: $1,000.00, spent on campaigns rather than paid per conversion. Revenue in this range against it: $270.00, 0.27 times the budget.",
    );

    await server.app.db
      .update(partnerOrganisations)
      .set({ commercialModel: "revenue_share", rateBasisPoints: 1000, amountMinor: null, currency: null })
      .where(eq(partnerOrganisations.id, partner.org.id));
    const share = squash(documentOf(await (await get(server, "/partner/links?days=7", as(partner))).text()).querySelector("#performance")!.textContent);
    expect(share).not.toMatch(/Fixed fee|Co-op budget/);
  });
});

describe("the brand team's pages", () => {
  it("shows a partner's performance, its links ranked by commission with the coupon codes' line, and the same CSV", async () => {
    const { partner, coldBrew, bio } = await northwind();
    await brightpath();
    const analyst = await signedIn(server.app, { role: "analyst" });
    const response = await get(server, `/admin/partners/${partner.org.id}?days=7`, as(analyst));
    expect(response.status).toBe(200);
    const html = await response.text();
    const card = documentOf(html).querySelector("#performance")!;
    expect(statsIn(card)).toEqual([
      "Conversions6Last 7 days",
      "Revenue$270.00USD, net of refunds",
      "Commission$27.00The partner's earnings",
      "Conversion rate14.6 %Per unique click",
      "EPC$0.27Earnings per click",
      "Refunded$20.00Taken off the revenue",
    ]);
    // The links' rows, not those of the chart's table (in its <noscript>).
    const rows = [...card.querySelectorAll("tbody tr")].filter((tr) => !tr.closest("noscript")).map((tr) => [...tr.querySelectorAll("th, td")].map(spaced));
    expect(rows).toEqual([
      ["Coupon codes No link: attributed by code", "–", "2", "$80.00", "$8.00", "–", "–"],
      [`${coldBrew.label} ${coldBrew.code} Also in EUR: 3 conversions, €120.00 revenue, €12.00 commission`, "60", "4", "$190.00", "$19.00", "17.5 %", "$0.32"],
      [`${bio.label} ${bio.code}`, "10", "0", "$0.00", "$0.00", "0.0 %", "$0.00"],
    ]);
    expect(card.querySelector(`a[href='/admin/links/${coldBrew.id}']`)).not.toBeNull();
    expect(html).not.toContain("$777.00");
    // The links-and-clicks card follows the same range.
    expect(squash(documentOf(html).querySelector("#links .stat:nth-child(2)")!.textContent)).toBe("Clicks7048 unique");

    const csv = await get(server, `/admin/partners/${partner.org.id}/performance.csv?days=7`, as(analyst));
    expect(csv.status).toBe(200);
    expect((await csvLines(csv)).at(-1)).toBe(`${today},50,38,10,16.7,5,230.00,23.00,20.00,7.89,0.30,0,0.00,0.00,0.00`);
    const [audit] = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "performance.exported"));
    expect(audit).toMatchObject({ actorId: analyst.id, subjectId: partner.org.id });
    expect((await get(server, `/admin/partners/${crypto.randomUUID()}/performance.csv`, as(analyst))).status).toBe(404);
  });

  it("pages through a partner's links, best first, ten at a time", async () => {
    const partner = await partnerNamed("Many Links");
    const links = [];
    for (let n = 0; n < 12; n++) links.push(await plainLink(server.app.db, partner.org.id, { label: `Link no. ${n}` }));
    // Link no. 5 earned the most, no. 9 the next; the rest nothing.
    await conversionDay(server.app.db, {
      organisationId: partner.org.id,
      linkId: links[5]!.id,
      day: today,
      conversions: 1,
      revenueMinor: 900,
      commissionMinor: 90,
    });
    await conversionDay(server.app.db, {
      organisationId: partner.org.id,
      linkId: links[9]!.id,
      day: today,
      conversions: 3,
      revenueMinor: 600,
      commissionMinor: 60,
    });
    const admin = await signedIn(server.app, { role: "admin" });
    const labelsOn = async (query: string) => {
      const document = documentOf(await (await get(server, `/admin/partners/${partner.org.id}${query}`, as(admin))).text());
      const card = document.querySelector("#performance")!;
      return {
        labels: [...card.querySelectorAll("tbody tr th a")].map((a) => a.textContent),
        pages: squash(card.querySelector("nav[aria-label='Pages of links']")?.textContent),
      };
    };
    const first = await labelsOn("");
    expect(first.labels).toHaveLength(10);
    expect(first.labels.slice(0, 2)).toEqual(["Link no. 5", "Link no. 9"]);
    expect(first.pages).toContain("Page 1 of 2");
    const second = await labelsOn("?linksPage=2");
    expect(second.labels).toHaveLength(2);
    expect(new Set([...first.labels, ...second.labels]).size).toBe(12);
  });

  it("shows a link's conversion stats on its admin page", async () => {
    const { coldBrew, bio } = await northwind();
    const admin = await signedIn(server.app, { role: "admin" });
    const card = documentOf(await (await get(server, `/admin/links/${coldBrew.id}?days=7`, as(admin))).text()).querySelector("#conversions")!;
    expect(statsIn(card)).toEqual([
      "Clicks60People: no bots, no tests",
      "Unique clicks40Once per visitor a day",
      "Conversions4Last 7 days",
      "Revenue$190.00USD, net of refunds",
      "Commission$19.00The partner's earnings",
      "Conversion rate17.5 %Per unique click",
      "EPC$0.32Earnings per click",
      "Refunded$20.00Taken off the revenue",
    ]);
    const quiet = documentOf(await (await get(server, `/admin/links/${bio.id}`, as(admin))).text()).querySelector("#conversions")!;
    expect(squash(quiet.textContent)).toContain(
      "Conversions appear when the brand's systems post a sale to the conversions API with the click id of a click on this link.",
    );
  });
});

describe("the program's currency", () => {
  it("reports money in the currency the settings name, and lists the others apart, never converted", async () => {
    const { partner, coldBrew } = await northwind();
    await setProgramCurrency(server.app.db, "EUR");
    const card = documentOf(await (await get(server, `/partner/links/${coldBrew.id}?days=7`, as(partner))).text()).querySelector("#conversions")!;
    expect(statsIn(card).slice(0, 3)).toEqual(["Conversions3Last 7 days", "Revenue€120.00EUR, net of refunds", "Commission€12.00The partner's earnings"]);
    // EPC: only the euro commission counts (€12.00 over 60 clicks); the rate counts every sale (7 over 40).
    expect(statsIn(card).slice(3, 5)).toEqual(["Conversion rate17.5 %Per unique click", "EPC€0.20Earnings per click"]);
    expect(squash(card.textContent)).toContain("Also in USD: 4 conversions, $190.00 revenue, $19.00 commission, $20.00 refunded");
  });
});
