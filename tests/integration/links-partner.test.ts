import { and, eq } from "drizzle-orm";
import { JSDOM } from "jsdom";
import QRCode from "qrcode";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, creatives, linkClickDaily, partnerOrganisations, trackingLinks } from "#db/schema/index";
import { saveRuleSet } from "~/domain/creatives/rules.server";
import { DEFAULT_LINK_SETTINGS, TEST_CLICK_PARAM } from "~/domain/links/catalog";
import { writeClicks, type PendingClick } from "~/domain/links/click-recorder.server";
import { issueCreativeLink } from "~/domain/links/links.server";
import { saveLinkSettings } from "~/domain/links/settings.server";
import { isTestClickToken, utcDay } from "~/domain/links/visitors.server";
import { DEFAULT_RULES } from "~/domain/prescreen";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { SYSTEM_ACTOR } from "~/lib/audit.server";
import { resetDatabase } from "../support/db";
import { createPartner, signedIn } from "../support/context";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";
import { pendingClick } from "../support/links";
import { seedReviewCreative } from "../support/review-fixtures";

// The partner's tracking link pages over HTTP: the list, a new evergreen
// link, a link's detail and stats, its QR codes and CSV, the help page, the
// creative's link, the onboarding step, and the admin's partner page.

let server: TestServer;
beforeAll(async () => {
  // Behind the trusted loopback proxy, so tests can post from more than one address (the per-address flood limit).
  server = await startTestServer({ configure: (config) => ({ ...config, trustProxy: "loopback" }) });
});
afterAll(() => server.close());
beforeEach(async () => {
  await resetDatabase(server.app.db);
  await saveRuleSet(server.app, SYSTEM_ACTOR, { ...DEFAULT_RULES, allowedDomains: ["northwindcoffee.com"] });
});

const documentOf = (html: string) => new JSDOM(html).window.document;
const textOf = (html: string) => (documentOf(html).querySelector("main")?.textContent ?? "").replace(/\s+/g, " ");

type Partner = Awaited<ReturnType<typeof createPartner>>;

let addressCount = 0;
/** A browser of its own address for each request that writes, as the flood limit expects of different people. */
const headersOf = (partner: { cookie: string }) => ({ Cookie: partner.cookie, "X-Forwarded-For": `198.51.100.${(addressCount++ % 200) + 20}` });

/** An active partner on two channels, in `tier`, signed in as its owner. */
function partnerNamed(name: string, tier = "standard") {
  return createPartner(server.app, { name, fields: { status: "active", tier, channels: ["website_blog", "email"] } });
}

/** An evergreen link written straight into the table (the form is tested on its own below). */
async function evergreenLink(partner: Partner, fields: Partial<typeof trackingLinks.$inferInsert> = {}) {
  const [link] = await server.app.db
    .insert(trackingLinks)
    .values({
      code: `Ev${Math.random().toString(36).slice(2, 10)}`,
      organisationId: partner.org.id,
      kind: "evergreen",
      label: "Bio link",
      destinationUrl: "https://northwindcoffee.com/beans",
      utmSource: partner.org.slug,
      utmMedium: "website_blog",
      utmCampaign: "evergreen",
      utmContent: "bio-link",
      createdById: partner.user.id,
      ...fields,
    })
    .returning();
  return link!;
}

/** An approved creative whose link the approval issued, through the domain's own issuing function. */
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

/** Clicks as the redirect's recorder writes them: raw rows and the daily counts, in one batch. */
async function recordClicks(link: { id: string; organisationId: string }, clicks: Partial<PendingClick>[]) {
  const now = new Date();
  await writeClicks(
    server.app.db,
    clicks.map((click) => pendingClick(link, now, click)),
  );
}

/** A day's counts written as the rollup keeps them, for ranges the raw clicks of today cannot reach. */
function dailyCounts(link: { id: string; organisationId: string }, daysAgo: number, counts: { clicks: number; unique: number; bots: number }) {
  return server.app.db.insert(linkClickDaily).values({
    linkId: link.id,
    organisationId: link.organisationId,
    day: utcDay(new Date(Date.now() - daysAgo * 86_400_000)),
    clicks: counts.clicks,
    uniqueClicks: counts.unique,
    botClicks: counts.bots,
  });
}

describe("the partner's list of links", () => {
  it("says, before there is any, how links come: an approved creative issues one, evergreen links are made here", async () => {
    const partner = await partnerNamed("Northwind Media");
    const response = await get(server, "/partner/links", headersOf(partner));
    expect(response.status).toBe(200);
    const text = textOf(await response.text());
    expect(text).toContain("No links yet");
    expect(text).toContain("When the brand approves a creative of yours, its short link appears here");
    expect(text).toContain("evergreen links");
    expect(text).toContain("0 of 20 evergreen links used");
  });

  it("shows each link of the organisation with its short URL on the site's own origin, QR codes, test click, destination, creative, state and clicks", async () => {
    const partner = await partnerNamed("Northwind Media");
    const { creative, link: creativeLink } = await approvedCreativeWithLink(partner);
    const evergreen = await evergreenLink(partner, { label: "Newsletter footer" });
    await recordClicks(creativeLink, [{}, {}, { visitorHash: "visitor-0" }, { isBot: true, userAgentClass: "bot" }, { isTest: true }]);
    await dailyCounts(creativeLink, 3, { clicks: 5, unique: 4, bots: 1 });
    await dailyCounts(creativeLink, 20, { clicks: 7, unique: 7, bots: 0 });
    const other = await partnerNamed("Brightpath Reviews");
    await evergreenLink(other, { label: "Someone else's link" });

    const html = await (await get(server, "/partner/links", headersOf(partner))).text();
    const document = documentOf(html);
    const origin = await canonicalOrigin(server.app);
    // The site's canonical origin, never the Host the request came in on.
    expect(origin).not.toBe(server.url);
    const cards = [...document.querySelectorAll(".link-card")];
    expect(cards.map((card) => card.querySelector("h2")!.textContent)).toEqual(["Newsletter footer", "Cold brew season"]);

    const card = cards[1]!;
    const shortUrl = `${origin}/l/${creativeLink.code}`;
    const input = card.querySelector<HTMLInputElement>("input[readonly]")!;
    expect(input.value).toBe(shortUrl);
    expect(document.querySelector(`label[for='${input.id}']`)!.textContent).toContain("Short link");
    expect(card.querySelector(`a[href='/partner/links/${creativeLink.id}/qr.svg'][download]`)).not.toBeNull();
    expect(card.querySelector(`a[href='/partner/links/${creativeLink.id}/qr.png'][download]`)).not.toBeNull();
    expect(card.querySelector(`a[href='/partner/creatives/${creative.id}']`)!.textContent).toBe("Cold brew season, version 1");
    const text = card.textContent!.replace(/\s+/g, " ");
    expect(text).toContain("https://northwindcoffee.com/shop");
    expect(text).toContain("Active");
    // Today: two people (one came back) and a bot, the test left out; 7 days adds day −3; total adds day −20.
    expect(text).toMatch(/Today\s*3\s*7 days\s*7\s*Total\s*14/);

    const testClick = new URL(card.querySelector<HTMLAnchorElement>("a[target='_blank']")!.href);
    expect(testClick.origin + testClick.pathname).toBe(shortUrl);
    expect(isTestClickToken(server.app.config.appSecret, creativeLink.code, testClick.searchParams.get(TEST_CLICK_PARAM)!, new Date())).toBe(true);

    expect(cards[0]!.textContent).toContain("Evergreen");
    expect(html).not.toContain("Someone else's link");
    expect(evergreen.code).toMatch(/^Ev/);
  });

  it("says when a link's visitors go to the fallback page, and why: disabled, partnership paused, approval revoked", async () => {
    const partner = await partnerNamed("Northwind Media");
    await evergreenLink(partner, { label: "Switched off", status: "disabled", disabledReason: "Wrong landing page" });
    const { creative } = await approvedCreativeWithLink(partner, "Revoked one");
    await server.app.db.update(creatives).set({ status: "revoked" }).where(eq(creatives.id, creative.id));
    let text = textOf(await (await get(server, "/partner/links", headersOf(partner))).text());
    expect(text).toContain("Disabled");
    expect(text).toMatch(/Goes to the fallback page\s*Creative approval revoked/);

    await server.app.db.update(partnerOrganisations).set({ status: "paused" }).where(eq(partnerOrganisations.id, partner.org.id));
    text = textOf(await (await get(server, "/partner/links", headersOf(partner))).text());
    expect(text).toMatch(/Goes to the fallback page\s*Partner paused/);
  });

  it("pages through many links, 25 at a time", async () => {
    const partner = await partnerNamed("Northwind Media", "strategic");
    for (let n = 0; n < 27; n++) await evergreenLink(partner, { label: `Link ${n}`, createdAt: new Date(Date.now() - n * 60_000) });
    const first = documentOf(await (await get(server, "/partner/links", headersOf(partner))).text());
    expect(first.querySelectorAll(".link-card")).toHaveLength(25);
    expect(first.querySelector("nav[aria-label='Pages']")!.textContent).toContain("Page 1 of 2");
    const second = documentOf(await (await get(server, "/partner/links?page=2", headersOf(partner))).text());
    expect([...second.querySelectorAll(".link-card h2")].map((h) => h.textContent)).toEqual(["Link 25", "Link 26"]);
  });

  it("adds up each creative's links in the By creative table", async () => {
    const partner = await partnerNamed("Northwind Media");
    const { creative, link } = await approvedCreativeWithLink(partner);
    await dailyCounts(link, 1, { clicks: 10, unique: 8, bots: 2 });
    const document = documentOf(await (await get(server, "/partner/links", headersOf(partner))).text());
    const row = document.querySelector("#by-creative tbody tr")!;
    expect(row.querySelector(`a[href='/partner/creatives/${creative.id}']`)!.textContent).toBe("Cold brew season");
    // Then its conversions, revenue and commission (none here: the conversion stats have tests of their own).
    expect([...row.querySelectorAll("td")].map((cell) => cell.textContent)).toEqual(["1", "8", "8", "20.0 %", "0", "$0.00", "$0.00"]);
  });

  it("is open to every member of the organisation, and the navigation leads to it", async () => {
    const owner = await partnerNamed("Northwind Media");
    const member = await createPartner(server.app, { org: owner.org, role: "member" });
    const response = await get(server, "/partner/links", headersOf(member));
    expect(response.status).toBe(200);
    const nav = documentOf(await response.text()).querySelector("a[href='/partner/links'][aria-current='page']");
    expect(nav?.textContent).toContain("Links");
  });
});

describe("a new evergreen link", () => {
  it("shows the tier's limit, how much of it is used, the allowed domains and the organisation's channels", async () => {
    const partner = await partnerNamed("Northwind Media", "trial");
    await evergreenLink(partner);
    const html = await (await get(server, "/partner/links/new", headersOf(partner))).text();
    const text = textOf(html);
    expect(text).toContain("1 of 5 evergreen links used (Trial tier)");
    expect(text).toContain("northwindcoffee.com");
    const options = [...documentOf(html).querySelectorAll("#field-channel option")].map((o) => o.getAttribute("value"));
    expect(options).toEqual(["", "website_blog", "email"]);
  });

  it("makes the link with the UTM convention's values, audits it, and opens its page", async () => {
    const partner = await partnerNamed("Northwind Media");
    const response = await postForm(
      server,
      "/partner/links/new",
      { label: "Summer menu", destinationUrl: "https://shop.northwindcoffee.com/summer?utm_source=someone", channel: "email" },
      headersOf(partner),
    );
    expect(response.status).toBe(302);
    const [link] = await server.app.db.select().from(trackingLinks).where(eq(trackingLinks.organisationId, partner.org.id));
    expect(response.headers.get("location")).toBe(`/partner/links/${link!.id}`);
    expect(link).toMatchObject({
      kind: "evergreen",
      label: "Summer menu",
      destinationUrl: "https://shop.northwindcoffee.com/summer?utm_source=someone",
      utmSource: partner.org.slug,
      utmMedium: "email",
      utmCampaign: "evergreen",
      utmContent: "summer-menu",
      createdById: partner.user.id,
    });
    const [audit] = await server.app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "link.created"), eq(auditEvents.subjectId, link!.id)));
    expect(audit?.actorId).toBe(partner.user.id);

    const page = await follow(server, response, partner.cookie);
    const html = await page.text();
    expect(toastIn(html)).toContain("Link made");
    // The final URL explained: the visitor-free destination with the link's own UTM values and the click id last.
    expect(textOf(html)).toContain(
      `https://shop.northwindcoffee.com/summer?utm_source=${partner.org.slug}&utm_medium=email&utm_campaign=evergreen&utm_content=summer-menu&cb_click=CLICK_ID`,
    );
  });

  it("refuses bad input with a message at each field, keeping what was typed", async () => {
    const partner = await partnerNamed("Northwind Media");
    const response = await postForm(
      server,
      "/partner/links/new",
      { label: "", destinationUrl: "https://northwindcoffee.com/typed", channel: "fax" },
      headersOf(partner),
    );
    expect(response.status).toBe(400);
    const document = documentOf(await response.text());
    expect(document.querySelector("#field-label-error")!.textContent).toMatch(/name/i);
    expect(document.querySelector("#field-channel-error")!.textContent).toContain("Choose the channel from the list.");
    expect(document.querySelector<HTMLInputElement>("#field-destinationUrl")!.value).toBe("https://northwindcoffee.com/typed");
    expect(await server.app.db.select().from(trackingLinks)).toHaveLength(0);
  });

  it("refuses a destination that is not allowlisted, or not https, at the destination field", async () => {
    const partner = await partnerNamed("Northwind Media");
    for (const [destinationUrl, message] of [
      ["https://evil.example/landing", "evil.example is not on the program's list of allowed destinations"],
      ["http://northwindcoffee.com/", "links must use https, not http"],
      ["https://user@northwindcoffee.com/", 'remove the part before "@"'],
    ] as const) {
      const response = await postForm(server, "/partner/links/new", { label: "Landing", destinationUrl, channel: "website_blog" }, headersOf(partner));
      expect(response.status, destinationUrl).toBe(400);
      const document = documentOf(await response.text());
      expect(document.querySelector("#field-destinationUrl-error")!.textContent, destinationUrl).toContain(message);
      expect(document.querySelector<HTMLInputElement>("#field-destinationUrl")!.value).toBe(destinationUrl);
      expect(document.querySelector<HTMLInputElement>("#field-label")!.value).toBe("Landing");
    }
    expect(await server.app.db.select().from(trackingLinks)).toHaveLength(0);
  });

  it("refuses a channel the organisation does not have", async () => {
    const partner = await partnerNamed("Northwind Media");
    const response = await postForm(
      server,
      "/partner/links/new",
      { label: "Feed", destinationUrl: "https://northwindcoffee.com/", channel: "paid_social" },
      headersOf(partner),
    );
    expect(response.status).toBe(400);
    expect(documentOf(await response.text()).querySelector("#field-channel-error")!.textContent).toContain("Choose one of your channels");
  });

  it("refuses once the tier's limit is reached (disabled links count too), and says so on the form", async () => {
    const partner = await partnerNamed("Northwind Media", "trial");
    await saveLinkSettings(server.app, SYSTEM_ACTOR, { ...DEFAULT_LINK_SETTINGS, evergreenLimits: { ...DEFAULT_LINK_SETTINGS.evergreenLimits, trial: 1 } });
    await evergreenLink(partner, { status: "disabled" });
    const form = await (await get(server, "/partner/links/new", headersOf(partner))).text();
    expect(textOf(form)).toContain("All your evergreen links are made");
    expect(documentOf(form).querySelector("form[aria-label='New evergreen link'] button[type='submit']")!.hasAttribute("disabled")).toBe(true);

    const response = await postForm(
      server,
      "/partner/links/new",
      { label: "One more", destinationUrl: "https://northwindcoffee.com/", channel: "email" },
      headersOf(partner),
    );
    expect(response.status).toBe(409);
    const document = documentOf(await response.text());
    expect(document.querySelector("form .alert")!.textContent).toContain("Your Trial tier allows 1 evergreen link, and you have made them all.");
    expect(document.querySelector<HTMLInputElement>("#field-label")!.value).toBe("One more");
    expect(await server.app.db.select().from(trackingLinks)).toHaveLength(1);
  });
});

describe("a link's own page, QR codes and CSV", () => {
  it("explains the final URL and shows the clicks, unique clicks and bot share of the chosen range, by day", async () => {
    const partner = await partnerNamed("Northwind Media");
    const { link } = await approvedCreativeWithLink(partner);
    await dailyCounts(link, 0, { clicks: 4, unique: 3, bots: 1 });
    await dailyCounts(link, 10, { clicks: 10, unique: 9, bots: 0 });

    const week = await get(server, `/partner/links/${link.id}?days=7`, headersOf(partner));
    expect(week.status).toBe(200);
    const html = await week.text();
    const document = documentOf(html);
    const text = textOf(html);
    expect(text).toContain(
      `https://northwindcoffee.com/shop?utm_source=${partner.org.slug}&utm_medium=website_blog&utm_campaign=cold-brew-season&utm_content=cold-brew-season-v1&cb_click=CLICK_ID`,
    );
    expect(document.querySelector("nav[aria-label='Date range'] a[aria-current='page']")!.textContent).toBe("Last 7 days");
    const stats = [...document.querySelectorAll(".stat")].map((stat) => stat.textContent);
    expect(stats).toEqual(["Clicks3Last 7 days", "Unique clicks3Once per visitor a day", "Bot share25.0 %1 bot clicks", "All time133 today"]);
    // Without JavaScript the chart's figures are a table: seven days, today last.
    const rows = [...document.querySelectorAll("noscript")].map((n) => n.innerHTML).join("");
    expect(documentOf(rows).querySelectorAll("tbody tr")).toHaveLength(7);
    expect(document.querySelector(`a[href='/partner/links/${link.id}/clicks.csv?days=7']`)).not.toBeNull();

    const month = documentOf(await (await get(server, `/partner/links/${link.id}?days=nonsense`, headersOf(partner))).text());
    expect(month.querySelector("nav[aria-label='Date range'] a[aria-current='page']")!.textContent).toBe("Last 30 days");
    expect(month.querySelector(".stat")!.textContent).toBe("Clicks13Last 30 days");
  });

  it("serves the QR code of the short URL as an SVG and a PNG download", async () => {
    const partner = await partnerNamed("Northwind Media");
    const link = await evergreenLink(partner, { label: "Bio link" });
    const shortUrl = `${await canonicalOrigin(server.app)}/l/${link.code}`;

    const svg = await get(server, `/partner/links/${link.id}/qr.svg`, headersOf(partner));
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(svg.headers.get("content-disposition")).toBe(`attachment; filename="bio-link-${link.code}-qr.svg"`);
    expect(darkModulesOfSvg(await svg.text())).toEqual(darkModulesOf(shortUrl));

    const png = await get(server, `/partner/links/${link.id}/qr.png`, headersOf(partner));
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("content-disposition")).toBe(`attachment; filename="bio-link-${link.code}-qr.png"`);
    const metadata = await sharp(Buffer.from(await png.arrayBuffer())).metadata();
    expect(metadata).toMatchObject({ format: "png", width: 1024, height: 1024 });
  });

  it("exports the clicks by day as CSV, one row a day of the range, conversions beside them", async () => {
    const partner = await partnerNamed("Northwind Media");
    const link = await evergreenLink(partner, { label: "=HYPERLINK(evil)" });
    await dailyCounts(link, 0, { clicks: 4, unique: 3, bots: 1 });
    await dailyCounts(link, 2, { clicks: 2, unique: 2, bots: 0 });
    const response = await get(server, `/partner/links/${link.id}/clicks.csv?days=7`, headersOf(partner));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    // The name is made from the link's, reduced to safe letters: a formula in it goes nowhere.
    expect(response.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="hyperlink-evil-${link.code}-stats-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Day,Clicks,Unique clicks,Bot clicks,Bot share (%),Conversions,Revenue (USD),Commission (USD),Refunded (USD),Conversion rate (%),Earnings per click (USD)",
    );
    expect(lines).toHaveLength(8);
    expect(lines.at(-1)).toBe(`${utcDay(new Date())},3,3,1,25.0,0,0.00,0.00,0.00,0.00,0.00`);
    expect(lines.at(-3)).toBe(`${utcDay(new Date(Date.now() - 2 * 86_400_000))},2,2,0,0.0,0,0.00,0.00,0.00,0.00,0.00`);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2},0,0,0,,0,0.00,0.00,0.00,,$/);
  });

  it("answers 404 to another organisation for the link's page, its QR codes and its CSV", async () => {
    const partner = await partnerNamed("Northwind Media");
    const link = await evergreenLink(partner);
    const stranger = await partnerNamed("Brightpath Reviews");
    for (const path of ["", "/qr.svg", "/qr.png", "/clicks.csv"]) {
      const response = await get(server, `/partner/links/${link.id}${path}`, headersOf(stranger));
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain(link.code);
    }
    const ownResponse = await get(server, `/partner/links/${link.id}/qr.svg`, headersOf(partner));
    expect(ownResponse.status).toBe(200);
  });
});

describe("the help page", () => {
  it("documents the UTM convention with the partner's own code and the program's click id parameter", async () => {
    const partner = await partnerNamed("Northwind Media");
    await saveLinkSettings(server.app, SYSTEM_ACTOR, { ...DEFAULT_LINK_SETTINGS, clickIdParam: "nw_click" });
    const response = await get(server, "/partner/links/help", headersOf(partner));
    expect(response.status).toBe(200);
    const text = textOf(await response.text());
    for (const part of ["utm_source", "utm_medium", "utm_campaign", "utm_content", "nw_click", partner.org.slug, "evergreen", "is ignored", "fallback page"]) {
      expect(text).toContain(part);
    }
  });
});

describe("the partner's creative page", () => {
  it("shows the approved creative's link to copy, with its QR codes and a way to its clicks", async () => {
    const partner = await partnerNamed("Northwind Media");
    const { creative, link } = await approvedCreativeWithLink(partner);
    const document = documentOf(await (await get(server, `/partner/creatives/${creative.id}`, headersOf(partner))).text());
    expect(document.querySelector<HTMLInputElement>("#creative-short-url")!.value).toBe(`${await canonicalOrigin(server.app)}/l/${link.code}`);
    expect(document.querySelector(`a[href='/partner/links/${link.id}']`)!.textContent).toBe("Clicks and QR code");
    expect(document.querySelector(`a[href='/partner/links/${link.id}/qr.png']`)).not.toBeNull();
  });
});

describe("the onboarding checklist", () => {
  it("ticks First link live once the first real click is recorded, not on a test or a bot", async () => {
    const partner = await partnerNamed("Northwind Media");
    const link = await evergreenLink(partner);
    const step = async () =>
      [...documentOf(await (await get(server, "/partner", headersOf(partner))).text()).querySelectorAll(".checklist > li")].find((li) =>
        li.textContent!.includes("First link live"),
      )!;
    documentOf(await (await get(server, "/partner", headersOf(partner))).text())
      .querySelector("a[href='/partner/links']")!
      .closest("li")!;
    expect((await step()).getAttribute("data-done")).not.toBe("true");
    await recordClicks(link, [{ isTest: true }, { isBot: true, userAgentClass: "bot" }]);
    expect((await step()).getAttribute("data-done")).not.toBe("true");
    await recordClicks(link, [{}]);
    const done = await step();
    expect(done.getAttribute("data-done")).toBe("true");
    expect(done.textContent).toContain("First link live");
  });
});

describe("the admin's partner page", () => {
  it("shows the partner's links and clicks, and leads to the partner's links in the admin's list", async () => {
    const partner = await partnerNamed("Northwind Media");
    const { link } = await approvedCreativeWithLink(partner);
    await evergreenLink(partner, { status: "disabled" });
    await dailyCounts(link, 1, { clicks: 12, unique: 10, bots: 2 });
    const analyst = await signedIn(server.app, { role: "analyst" });
    const response = await get(server, `/admin/partners/${partner.org.id}`, { Cookie: analyst.cookie });
    expect(response.status).toBe(200);
    const document = documentOf(await response.text());
    const card = document.querySelector("#links")!;
    expect([...card.querySelectorAll(".stat")].map((stat) => stat.textContent)).toEqual(["Links21 active", "Clicks1010 unique", "Bot share16.7 %2 bot clicks"]);
    expect(card.querySelector(`a[href='/admin/links?partner=${partner.org.id}']`)).not.toBeNull();
  });
});

/** The dark modules of a QR code as "row,column" keys, from the encoder itself: what a reader would decode the text from. */
function darkModulesOf(text: string): string[] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const dark: string[] = [];
  for (let row = 0; row < modules.size; row++) for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) dark.push(`${row},${col}`);
  return dark;
}

/** The dark modules an SVG from the qrcode package draws: runs of `h` along rows, moved to with relative `m` (its margin taken off). */
function darkModulesOfSvg(svg: string): string[] {
  const path = /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)?.[1];
  if (!path) throw new Error("no dark path in the SVG");
  const margin = 2;
  const dark: string[] = [];
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(/([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?/g)) {
    if (command === "M") [x, y] = [Number(a), Number(b)];
    else if (command === "m") [x, y] = [x + Number(a), y + Number(b)];
    else {
      for (let n = 0; n < Number(a); n++) dark.push(`${Math.floor(y) - margin},${x + n - margin}`);
      x += Number(a);
    }
  }
  return dark.sort(byRowThenColumn);
}

const byRowThenColumn = (left: string, right: string) => {
  const [r1, c1] = left.split(",").map(Number) as [number, number];
  const [r2, c2] = right.split(",").map(Number) as [number, number];
  return r1 - r2 || c1 - c2;
};
