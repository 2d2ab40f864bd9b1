import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, trackingLinks } from "#db/schema/index";
import { currentRuleSet, saveRuleSet } from "~/domain/creatives/rules.server";
import { DEFAULT_LINK_SETTINGS } from "~/domain/links/catalog";
import { decideRedirect, LinkResolver } from "~/domain/links/resolve.server";
import { getLinkSettings, saveLinkSettings } from "~/domain/links/settings.server";
import { decideStage } from "~/domain/review/decisions.server";
import { storeSiteOrigin } from "~/domain/settings/site.server";
import type { AppContext } from "~/lib/context.server";
import { creativePartner, submittedCreative } from "../support/creatives";
import { resetDatabase } from "../support/db";
import { createPartnerOrg, signedIn } from "../support/context";
import { formEntries, postEntries, type FieldChange } from "../support/forms";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";
import { seedReviewCreative } from "../support/review-fixtures";

// The brand team's side of tracking links (issue 15 §1): the list with its
// filters, paging and counts; disabling and enabling a link with a reason, and
// the redirect deciding the fallback afterwards; Settings → Links; the link
// card of the creative review page; tracking links in the audit viewer.

const LIST = "/admin/links";
const SETTINGS = "/admin/settings/links";
const SYSTEM = { id: null, label: "test" };

let server: TestServer;
let app: AppContext;
beforeAll(async () => {
  server = await startTestServer();
  app = server.app;
});
afterAll(() => server.close());
beforeEach(async () => {
  await resetDatabase(app.db);
  // The recorded site address went with the tables.
  app.siteOriginCache.forget();
});

const documentOf = (html: string) => new JSDOM(html).window.document;
/** The page's markup without React's text separators. */
const read = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");
const textOf = (element: Element | null) => (element?.textContent ?? "").replace(/\s+/g, " ").trim();
const rowsOf = (doc: Document) => [...doc.querySelectorAll(".links-table tbody tr")].filter((row) => !row.querySelector(".data-table__empty"));
/** The short codes the list shows, in its order. */
const codesOf = (doc: Document) => rowsOf(doc).map((row) => textOf(row.querySelector("th code")).split("/l/")[1]);
const errorOf = (doc: Document, id: string) => textOf(doc.getElementById(`${id}-error`));

async function allowDomains(domains: string[]): Promise<void> {
  const current = await currentRuleSet(app.db);
  await saveRuleSet(app, SYSTEM, { ...current.rules, allowedDomains: domains });
}

let minutes = 0;
/** A link written straight into the table (a little newer than the one before), as issuing or a partner would leave it. */
async function seedLink(organisation: { id: string; slug: string }, fields: Partial<typeof trackingLinks.$inferInsert> = {}) {
  const label = fields.label ?? "Spring guide";
  const [link] = await app.db
    .insert(trackingLinks)
    .values({
      code: randomBytes(6).toString("base64url").replace(/[-_]/g, "x").slice(0, 8),
      organisationId: organisation.id,
      kind: "evergreen",
      label,
      destinationUrl: "https://alpha.test/spring",
      utmSource: organisation.slug,
      utmMedium: "website_blog",
      utmCampaign: "evergreen",
      utmContent: "spring-guide",
      createdAt: new Date(Date.UTC(2030, 0, 1) + ++minutes * 60_000),
      ...fields,
    })
    .returning();
  return link!;
}

async function staff(role: "admin" | "brand_reviewer" | "legal_reviewer" | "analyst", name = "Sam Staff") {
  const user = await signedIn(app, { role, name, email: `${role}@brand.test` });
  return { ...user, headers: { Cookie: user.cookie } };
}

async function listPage(headers: Record<string, string>, query = "") {
  const response = await get(server, `${LIST}${query}`, headers);
  expect(response.status).toBe(200);
  const html = await read(response);
  return { html, doc: documentOf(html) };
}

describe("the links list", () => {
  it("explains where links come from while there are none, and shows no buttons to analysts", async () => {
    const analyst = await staff("analyst");
    const { doc } = await listPage(analyst.headers);
    const empty = textOf(doc.querySelector(".empty-state"));
    expect(empty).toContain("No links yet");
    expect(empty).toContain("issued when a creative is approved");
    expect(empty).toContain("evergreen links");
    expect(doc.querySelector("a[href='/admin/settings/links']")).toBeNull();

    await seedLink(await createPartnerOrg(app.db, "Alpha Media", { status: "active" }));
    const listed = await listPage(analyst.headers);
    expect(rowsOf(listed.doc)).toHaveLength(1);
    expect(listed.doc.querySelector("form[aria-label^='Disable link']")).toBeNull();
  });

  it("shows where each link sends its visitors now, and filters by search, partner, kind and status", async () => {
    await allowDomains(["alpha.test", "beta.test"]);
    const alpha = await createPartnerOrg(app.db, "Alpha Media", { status: "active" });
    const beta = await createPartnerOrg(app.db, "Beta Reviews", { status: "paused" });
    const author = await signedIn(app, { role: "partner", partnerOrgId: alpha.id });
    const revoked = await seedReviewCreative(app.db, { organisationId: alpha.id, authorId: author.id, title: "Winter banner", status: "revoked" });
    const spring = await seedLink(alpha, { label: "Spring guide" });
    const winter = await seedLink(alpha, {
      kind: "creative",
      label: "Winter banner",
      creativeId: revoked.id,
      creativeVersionId: revoked.versions[0]!.id,
      destinationUrl: "https://alpha.test/winter",
    });
    const coupon = await seedLink(alpha, { label: "Coupon page", status: "disabled", disabledReason: "Posted on a coupon site.", disabledAt: new Date() });
    const gone = await seedLink(alpha, { label: "Old shop", destinationUrl: "https://gone.test/shop" });
    const paused = await seedLink(beta, { label: "Beta home", destinationUrl: "https://beta.test/" });

    const admin = await staff("admin");
    const { doc } = await listPage(admin.headers);
    // Newest first.
    expect(codesOf(doc)).toEqual([paused, gone, coupon, winter, spring].map((link) => link.code));
    const stats = [...doc.querySelectorAll(".stat")].map(
      (stat) => `${textOf(stat.querySelector(".stat__label"))}: ${textOf(stat.querySelector(".stat__value"))}`,
    );
    expect(stats).toEqual(["All links: 5", "Active: 4", "Disabled: 1", "For creatives: 1", "Evergreen: 4"]);
    const rowOf = (code: string) => rowsOf(doc).find((row) => row.textContent!.includes(code))!;
    /** The status cell's badges and reason, each apart. */
    const stateOf = (code: string) => [...rowOf(code).querySelectorAll(".link-state > *")].map(textOf);
    expect(stateOf(spring.code)).toEqual(["Active"]);
    expect(stateOf(winter.code)).toEqual(["Active", "Goes to the fallback page", "Creative approval revoked"]);
    expect(textOf(rowOf(winter.code).querySelector("th"))).toContain("Creative, version 1");
    expect(stateOf(coupon.code)).toEqual(["Disabled"]);
    expect(textOf(rowOf(coupon.code))).toContain("Posted on a coupon site.");
    expect(stateOf(gone.code)).toEqual(["Active", "Goes to the fallback page", "Destination no longer allowed"]);
    expect(stateOf(paused.code)).toEqual(["Active", "Goes to the fallback page", "Partner paused"]);
    const links = (code: string) =>
      [
        ...rowsOf(doc)
          .find((row) => row.textContent!.includes(code))!
          .querySelectorAll("a"),
      ].map((a) => a.getAttribute("href"));
    expect(links(winter.code)).toEqual(expect.arrayContaining([`/admin/links/${winter.id}`, `/admin/partners/${alpha.id}`, `/admin/creatives/${revoked.id}`]));

    const filtered = async (query: string) => codesOf((await listPage(admin.headers, query)).doc);
    expect(await filtered(`?q=${spring.code}`)).toEqual([spring.code]);
    expect(await filtered("?q=coupon")).toEqual([coupon.code]);
    expect(await filtered("?q=gone.test")).toEqual([gone.code]);
    expect(await filtered("?q=beta+reviews")).toEqual([paused.code]);
    expect(await filtered(`?partner=${beta.id}`)).toEqual([paused.code]);
    expect(await filtered("?kind=creative")).toEqual([winter.code]);
    expect(await filtered("?status=disabled")).toEqual([coupon.code]);
    expect(await filtered(`?partner=${alpha.id}&kind=evergreen&status=active`)).toEqual([gone.code, spring.code]);
    // Nonsense in the query string is ignored, not an error.
    expect(await filtered("?kind=everything&status=1&partner=nope")).toHaveLength(5);
    const none = await listPage(admin.headers, "?q=nothing-like-this");
    expect(textOf(none.doc.querySelector(".empty-state"))).toContain("No links match");
  });

  it("pages 25 links at a time, keeping the filters", async () => {
    const alpha = await createPartnerOrg(app.db, "Alpha Media", { status: "active" });
    const beta = await createPartnerOrg(app.db, "Beta Reviews", { status: "active" });
    for (let i = 0; i < 30; i++) await seedLink(alpha, { label: `Alpha link ${i}` });
    await seedLink(beta, { label: "Beta link" });
    const admin = await staff("admin");
    const first = await listPage(admin.headers, `?partner=${alpha.id}`);
    expect(rowsOf(first.doc)).toHaveLength(25);
    expect(textOf(first.doc.querySelector(".pagination"))).toContain("Page 1 of 2");
    const next = first.doc.querySelector(".pagination a")!.getAttribute("href")!;
    expect(new URL(next, server.url).searchParams.get("partner")).toBe(alpha.id);
    const second = await listPage(admin.headers, next.slice(LIST.length));
    expect(rowsOf(second.doc).map((row) => textOf(row.querySelector("th a")))).toEqual([
      "Alpha link 4",
      "Alpha link 3",
      "Alpha link 2",
      "Alpha link 1",
      "Alpha link 0",
    ]);
  });

  it("writes short URLs with the site's recorded address, never the request's Host", async () => {
    await storeSiteOrigin(app.db, "https://partners.example.com", new Date());
    app.siteOriginCache.forget();
    const link = await seedLink(await createPartnerOrg(app.db, "Alpha Media", { status: "active" }));
    const admin = await staff("admin");
    const { html, doc } = await listPage(admin.headers);
    expect(textOf(doc.querySelector(".links-table th code"))).toBe(`https://partners.example.com/l/${link.code}`);
    expect(html).not.toContain(`${new URL(server.url).host}/l/`);
  });
});

describe("disabling and enabling a link", () => {
  async function setup() {
    await allowDomains(["alpha.test"]);
    await saveLinkSettings(app, SYSTEM, { ...DEFAULT_LINK_SETTINGS, fallbackUrl: "https://alpha.test/sorry" });
    const alpha = await createPartnerOrg(app.db, "Alpha Media", { status: "active" });
    const link = await seedLink(alpha, { label: "Spring guide" });
    const reviewer = await staff("brand_reviewer", "Bea Brand");
    return { alpha, link, reviewer };
  }
  const linkPage = (id: string) => `/admin/links/${id}`;
  const eventsOf = (linkId: string) =>
    app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, "tracking_link"), eq(auditEvents.subjectId, linkId)))
      .orderBy(auditEvents.id);
  const linkRow = async (id: string) => (await app.db.select().from(trackingLinks).where(eq(trackingLinks.id, id)))[0]!;

  it("disables from the list with a reason, on record in the same change, shown in the list; enables again from the link's page", async () => {
    const { link, reviewer } = await setup();
    const { html } = await listPage(reviewer.headers, "?status=active");
    const disabled = await postEntries(
      server,
      linkPage(link.id),
      formEntries(html, `Disable link ${link.code}`, { reason: "Posted on a coupon site." }),
      reviewer.headers,
    );
    expect(disabled.status).toBe(302);
    // Back to the list as it was filtered.
    expect(disabled.headers.get("location")).toBe(`${LIST}?status=active`);
    const after = await read(await follow(server, disabled, reviewer.cookie));
    expect(toastIn(after)).toBe(`Link ${link.code} disabled Its visitors go to the fallback page from now on.`);

    const row = await linkRow(link.id);
    expect(row).toMatchObject({ status: "disabled", disabledReason: "Posted on a coupon site." });
    const [event] = await eventsOf(link.id);
    expect(event).toMatchObject({
      action: "link.disabled",
      actorId: reviewer.id,
      partnerOrgId: link.organisationId,
      data: { code: link.code, reason: "Posted on a coupon site." },
    });
    // Written by the same change: the link's time and the event's are the one clock reading of that transaction.
    expect(event!.occurredAt.getTime()).toBe(row.disabledAt!.getTime());

    const all = await listPage(reviewer.headers);
    expect(textOf(rowsOf(all.doc)[0]!)).toContain("Posted on a coupon site.");
    expect(all.doc.querySelector(`form[aria-label='Enable link ${link.code}']`)).not.toBeNull();

    const detail = await read(await get(server, linkPage(link.id), reviewer.headers));
    expect(detail).toContain("Visitors go to the fallback page: link disabled");
    expect(detail).toContain("https://alpha.test/sorry");
    const enabled = await postEntries(
      server,
      linkPage(link.id),
      formEntries(detail, `Enable link ${link.code}`, { reason: "The coupon site took it down." }),
      reviewer.headers,
    );
    expect(enabled.status).toBe(302);
    expect(enabled.headers.get("location")).toBe(linkPage(link.id));
    expect(await linkRow(link.id)).toMatchObject({ status: "active", disabledReason: null, disabledAt: null });
    expect((await eventsOf(link.id)).map((e) => [e.action, e.data.reason])).toEqual([
      ["link.disabled", "Posted on a coupon site."],
      ["link.enabled", "The coupon site took it down."],
    ]);
    const history = [...documentOf(await read(await get(server, linkPage(link.id), reviewer.headers))).querySelectorAll(".timeline li")].map(textOf);
    expect(history).toHaveLength(2);
    expect(history[0]).toContain("Enabled by Bea Brand");
    expect(history[0]).toContain("The coupon site took it down.");
    expect(history[1]).toContain("Disabled by Bea Brand");
  });

  it("refuses analysts with 403 and shows them no form; a short reason is a 400 that keeps what was typed; disabling twice is a 409", async () => {
    const { link, reviewer } = await setup();
    const analyst = await staff("analyst");
    const detail = await read(await get(server, linkPage(link.id), analyst.headers));
    expect(detail).toContain("Spring guide");
    expect(detail).not.toContain("Disable link");
    const refused = await postForm(server, linkPage(link.id), { intent: "disable", linkId: link.id, reason: "Analysts may not." }, analyst.headers);
    expect(refused.status).toBe(403);

    const short = await postForm(server, linkPage(link.id), { intent: "disable", linkId: link.id, reason: "spam", returnTo: LIST }, reviewer.headers);
    expect(short.status).toBe(400);
    const doc = documentOf(await read(short));
    expect(errorOf(doc, `reason-${link.id}`)).toBe("Give a reason of at least 5 characters: it goes on record.");
    expect(doc.querySelector<HTMLTextAreaElement>(`#reason-${link.id}`)!.value).toBe("spam");
    // Where to go back to after the retry is kept too.
    expect(doc.querySelector<HTMLInputElement>(`form[aria-label='Disable link ${link.code}'] input[name='returnTo']`)!.value).toBe(LIST);

    const otherLink = await seedLink({ id: link.organisationId, slug: link.utmSource }, { label: "Other" });
    const misdirected = await postForm(
      server,
      linkPage(link.id),
      { intent: "disable", linkId: otherLink.id, reason: "Meant for the other one." },
      reviewer.headers,
    );
    expect(misdirected.status).toBe(400);
    expect(await read(misdirected)).toContain("This form belongs to another link.");

    expect((await linkRow(link.id)).status).toBe("active");
    expect(await eventsOf(link.id)).toEqual([]);

    const first = await postForm(server, linkPage(link.id), { intent: "disable", linkId: link.id, reason: "Shared in a spam mail." }, reviewer.headers);
    expect(first.status).toBe(302);
    const again = await postForm(server, linkPage(link.id), { intent: "disable", linkId: link.id, reason: "Shared in a spam mail." }, reviewer.headers);
    expect(again.status).toBe(409);
    expect(await read(again)).toContain("This link is already disabled.");
    expect(await eventsOf(link.id)).toHaveLength(1);
  });

  it("sends the link's visitors to the fallback page once the redirect hears of it: at once on NOTIFY, or on forget()", async () => {
    const { link, reviewer } = await setup();
    // The server's own resolver listens on the links channel; a second one, as on an instance that cannot listen, only forgets when told.
    const listening = server.runtime.links.resolver;
    const deaf = new LinkResolver(app.db, { ttlMs: 60 * 60_000, maxEntries: 100, siteOrigin: async () => "https://alpha.test" });
    const decide = async (resolver: LinkResolver) => decideRedirect((await resolver.link(link.code))!, await resolver.programFacts(), "click1");
    for (const resolver of [listening, deaf]) {
      const before = await decide(resolver);
      expect(before.fallbackReason).toBeNull();
      expect(before.location.startsWith("https://alpha.test/spring?")).toBe(true);
    }

    const response = await postForm(server, linkPage(link.id), { intent: "disable", linkId: link.id, reason: "Shared in a spam mail." }, reviewer.headers);
    expect(response.status).toBe(302);

    // NOTIFY is delivered on commit; the listening resolver forgets the link as it arrives.
    for (let waited = 0; listening.cachedLink(link.code) !== undefined && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(listening.cachedLink(link.code)).toBeUndefined();
    expect(await decide(listening)).toEqual({ location: "https://alpha.test/sorry", fallbackReason: "link_disabled" });

    // The deaf one still has the link as it was, until it forgets it.
    expect((await decide(deaf)).fallbackReason).toBeNull();
    deaf.forget(link.code);
    expect(await decide(deaf)).toEqual({ location: "https://alpha.test/sorry", fallbackReason: "link_disabled" });
  });

  it("names the link in the audit viewer, linked to its page", async () => {
    const { link, reviewer } = await setup();
    await postForm(server, linkPage(link.id), { intent: "disable", linkId: link.id, reason: "Shared in a spam mail." }, reviewer.headers);
    const admin = await staff("admin");
    const doc = documentOf(await read(await get(server, "/admin/audit?action=link.disabled", admin.headers)));
    const subject = doc.querySelector(`a[href='/admin/links/${link.id}']`);
    expect(textOf(subject)).toBe(`Spring guide (${link.code})`);
  });
});

describe("Settings → Links", () => {
  const FORM = "Link settings";
  async function settingsPage(headers: Record<string, string>) {
    const response = await get(server, SETTINGS, headers);
    expect(response.status).toBe(200);
    return read(response);
  }
  const submit = (headers: Record<string, string>, html: string, changes: Record<string, FieldChange>) =>
    postEntries(server, SETTINGS, formEntries(html, FORM, changes), headers);
  const valueOf = (doc: Document, name: string) => doc.querySelector<HTMLInputElement>(`form[aria-label='${FORM}'] [name='${name}']`)!.value;
  const settingsEvents = () => app.db.select().from(auditEvents).where(eq(auditEvents.action, "links.settings_changed"));

  it("shows the defaults, one evergreen limit per tier, and where the allowlist lives", async () => {
    const admin = await staff("admin");
    const html = await settingsPage(admin.headers);
    const doc = documentOf(html);
    expect(valueOf(doc, "fallbackUrl")).toBe("");
    expect(valueOf(doc, "clickIdParam")).toBe("cb_click");
    expect(valueOf(doc, "limit_strategic")).toBe("50");
    expect(valueOf(doc, "limit_standard")).toBe("20");
    expect(valueOf(doc, "limit_trial")).toBe("5");
    expect(valueOf(doc, "clickRetentionMonths")).toBe("25");
    expect(html).toContain("No domain is allowlisted yet");
    expect(doc.querySelector("a[href^='/admin/settings/prescreen']")).not.toBeNull();
    // Settings links here the way it links the other settings pages.
    expect(await read(await get(server, "/admin/settings", admin.headers))).toContain(`href="${SETTINGS}"`);
  });

  it("saves good values with what changed on record, and says so when nothing changed", async () => {
    await allowDomains(["acme.test"]);
    const admin = await staff("admin");
    const html = await settingsPage(admin.headers);
    expect(documentOf(html).querySelector(".link-domains")!.textContent).toBe("acme.test");
    const saved = await submit(admin.headers, html, {
      fallbackUrl: "https://acme.test/partners",
      defaultDestinationUrl: "https://shop.acme.test/",
      clickIdParam: "Ref_Click",
      limit_standard: "12",
      clickRetentionMonths: "13",
    });
    expect(saved.status).toBe(302);
    expect(toastIn(await read(await follow(server, saved, admin.cookie)))).toBe(
      "Link settings saved Every short link follows them from now on. Changed: fallback page, default destination, click id parameter, evergreen link limits, click retention.",
    );
    expect(await getLinkSettings(app.db)).toEqual({
      fallbackUrl: "https://acme.test/partners",
      defaultDestinationUrl: "https://shop.acme.test/",
      clickIdParam: "ref_click",
      evergreenLimits: { strategic: 50, standard: 12, trial: 5 },
      clickRetentionMonths: 13,
    });
    const [event] = await settingsEvents();
    expect(event).toMatchObject({
      actorId: admin.id,
      data: {
        changed: ["fallbackUrl", "defaultDestinationUrl", "clickIdParam", "clickRetentionMonths", "evergreenLimits"],
        values: { clickIdParam: { to: "ref_click" }, clickRetentionMonths: { to: 13 }, fallbackUrl: { to: "https://acme.test/partners" } },
      },
    });

    const again = await submit(admin.headers, await settingsPage(admin.headers), {});
    expect(toastIn(await read(await follow(server, again, admin.cookie)))).toBe("Nothing changed.");
    expect(await settingsEvents()).toHaveLength(1);
  });

  it.each([
    ["fallbackUrl", "http://acme.test/partners", "The fallback page must be a full https:// address."],
    ["defaultDestinationUrl", "shop.acme.test", "The default destination must be a full https:// address."],
    ["clickIdParam", "click-id", "Use 2 to 32 lower-case letters, digits or underscores, starting with a letter (for example cb_click)."],
    ["clickIdParam", "utm_source", "The click id cannot use a UTM parameter's name."],
    ["limit_trial", "", "Enter the trial limit as a number."],
    ["limit_trial", "-1", "Enter a number from 0 to 1,000."],
    ["limit_standard", "2.5", "Use a whole number."],
    ["clickRetentionMonths", "1", "Enter a number from 3 to 120."],
  ])("refuses %s = %j with a 400 at the field, keeping every typed value", async (field, value, message) => {
    await allowDomains(["acme.test"]);
    const admin = await staff("admin");
    const typed = { fallbackUrl: "https://acme.test/sorry", limit_strategic: "40", [field]: value };
    const response = await submit(admin.headers, await settingsPage(admin.headers), typed);
    expect(response.status).toBe(400);
    const doc = documentOf(await read(response));
    expect(errorOf(doc, `field-${field}`)).toBe(message);
    for (const [name, kept] of Object.entries(typed)) expect(valueOf(doc, name)).toBe(kept);
    expect(await getLinkSettings(app.db)).toEqual(DEFAULT_LINK_SETTINGS);
    expect(await settingsEvents()).toEqual([]);
  });

  it("refuses a default destination off the allowlist, and warns of a fallback page off it", async () => {
    const admin = await staff("admin");
    const noList = await submit(admin.headers, await settingsPage(admin.headers), { defaultDestinationUrl: "https://acme.test/shop" });
    expect(noList.status).toBe(400);
    expect(errorOf(documentOf(await read(noList)), "field-defaultDestinationUrl")).toBe(
      "No destination domain is allowlisted yet: add the program's domain to the allowed destinations in the pre-screen rules first.",
    );
    await allowDomains(["acme.test"]);
    const refused = await submit(admin.headers, await settingsPage(admin.headers), { defaultDestinationUrl: "https://elsewhere.test/shop" });
    expect(refused.status).toBe(400);
    const doc = documentOf(await read(refused));
    expect(errorOf(doc, "field-defaultDestinationUrl")).toContain("Use an https:// link to acme.test");
    expect(valueOf(doc, "defaultDestinationUrl")).toBe("https://elsewhere.test/shop");
    expect(await settingsEvents()).toEqual([]);

    const saved = await submit(admin.headers, await settingsPage(admin.headers), { fallbackUrl: "https://status.other.test/" });
    expect(saved.status).toBe(302);
    expect(await settingsPage(admin.headers)).toContain("The fallback page is not on the allowlist (status.other.test)");
  });
});

describe("the creative review page's link card", () => {
  it("says why no link was issued, and shows the link once one is", async () => {
    const acme = await creativePartner(app);
    const brand = await staff("brand_reviewer");
    const approve = async (id: string) => decideStage(app, { id: brand.id, label: brand.email }, id, { stage: "brand", version: 1, decision: "approve" });

    const { id: withoutLink } = await submittedCreative(app, acme, { title: "No destination" });
    expect(await read(await get(server, `/admin/creatives/${withoutLink}`, brand.headers))).not.toContain("Tracking link");
    await approve(withoutLink);
    const refusal = textOf(
      documentOf(await read(await get(server, `/admin/creatives/${withoutLink}`, brand.headers))).querySelector("aside[aria-label='About this creative']"),
    );
    expect(refusal).toContain("No link was issued for version 1");
    expect(refusal).toContain("The creative has no destination and the program has no default destination.");

    await allowDomains(["acme.test"]);
    await saveLinkSettings(app, SYSTEM, { ...DEFAULT_LINK_SETTINGS, defaultDestinationUrl: "https://acme.test/shop" });
    const { id: withLink } = await submittedCreative(app, acme, { title: "Default destination" });
    await approve(withLink);
    const [link] = await app.db.select().from(trackingLinks).where(eq(trackingLinks.creativeId, withLink));
    const card = documentOf(await read(await get(server, `/admin/creatives/${withLink}`, brand.headers))).querySelector(
      "aside[aria-label='About this creative']",
    )!;
    expect(textOf(card)).toContain(`/l/${link!.code}`);
    expect(card.querySelector(`a[href='/admin/links/${link!.id}']`)).not.toBeNull();
  });
});
