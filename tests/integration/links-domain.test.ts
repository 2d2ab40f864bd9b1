import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { approvalMatrices, auditEvents, outboxMessages, partnerOrganisations, trackingLinks } from "#db/schema/index";
import { saveRuleSet } from "~/domain/creatives/rules.server";
import { DEFAULT_LINK_SETTINGS } from "~/domain/links/catalog";
import { writeClicks, type PendingClick } from "~/domain/links/click-recorder.server";
import { createEvergreenLink, setLinkStatus } from "~/domain/links/links.server";
import { ALL_LINKS, LINKS_CHANNEL } from "~/domain/links/notify.server";
import { linkOfCreative, linksOfOrganisation } from "~/domain/links/queries.server";
import { getLinkSettings, saveLinkSettings } from "~/domain/links/settings.server";
import { clickTotals, clicksByCreative, dailyClicks, linkSummaries } from "~/domain/links/stats.server";
import { DEFAULT_RULES } from "~/domain/prescreen";
import { revokeApproval } from "~/domain/review/decisions.server";
import { DEFAULT_MATRIX } from "~/domain/review/matrix";
import type { AppContext } from "~/lib/context.server";
import type { Database } from "~/lib/db.server";
import { ForbiddenError, type DomainError } from "~/lib/errors";
import { createTestContext, signedIn } from "../support/context";
import { createTestDatabase, resetDatabase } from "../support/db";
import { creativePartner, submittedCreative, type CreativePartner } from "../support/creatives";
import { pendingClick } from "../support/links";

// The tracking links domain (issue 15) called directly: links issued by an
// approval, evergreen links within the allowlist and the tier's limit, disabling
// with a reason, NOTIFY on every change the redirect must hear of, and stats
// that read only the daily counts and never mix organisations.

let database: Database;
let app: AppContext;
// A fixed moment: stats speak of "today" and "the last 7 days".
const NOW = new Date("2030-03-10T12:00:00Z");
const clock = { now: () => NOW };
beforeAll(async () => {
  database = await createTestDatabase();
  app = { ...createTestContext(database.db), clock };
});
afterAll(() => database.close());
beforeEach(async () => {
  await resetDatabase(app.db);
});

const ADMIN = { id: null, label: "admin@brand.test" };

/** The brand's domain allowlisted, and every clean submission approved at once (a pre-approved template), so a submit is an approval. */
async function programThatApprovesAtOnce() {
  await saveRuleSet(app, ADMIN, { ...DEFAULT_RULES, allowedDomains: ["lumen.test"] });
  await app.db.insert(approvalMatrices).values({
    version: 1,
    ...DEFAULT_MATRIX,
    rules: [{ name: "Everything", when: { tiers: [], channels: [], partnerTypes: [], usesClaims: "any" }, stages: ["brand"], autoApproveWhenClean: true }],
  });
}

async function approvedCreative(who: CreativePartner, destinationUrl: string, title = "Spring living room") {
  const { id, approved } = await submittedCreative(app, who, { destinationUrl, title });
  expect(approved).toBe(true);
  return id;
}

const auditOf = (action: string) => app.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(asc(auditEvents.id));

/** What the redirect's listeners hear: every NOTIFY on the links channel, in order. */
async function listenToLinks(): Promise<{ heard: string[]; stop: () => Promise<void> }> {
  const heard: string[] = [];
  const stop = await database.listen(LINKS_CHANNEL, (payload) => heard.push(payload));
  return { heard, stop };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe("links issued on approval", () => {
  it("bind a link to the approved version, with the UTM values fixed from the partner, channel, creative and version", async () => {
    await programThatApprovesAtOnce();
    const acme = await creativePartner(app);
    const id = await approvedCreative(acme, "https://www.lumen.test/bulbs?utm_source=someone&colour=warm", "Spring living room!");
    const [link] = await app.db.select().from(trackingLinks).where(eq(trackingLinks.creativeId, id));
    expect(link).toMatchObject({
      kind: "creative",
      organisationId: acme.org.id,
      label: "Spring living room!",
      destinationUrl: "https://www.lumen.test/bulbs?utm_source=someone&colour=warm",
      utmSource: acme.org.slug,
      utmMedium: "website_blog",
      utmCampaign: "spring-living-room",
      utmContent: "spring-living-room-v1",
      status: "active",
      createdAt: clock.now(),
    });
    expect(link!.code).toMatch(/^[0-9A-Za-z]{8}$/);
    expect(await linkOfCreative(app.db, id, acme.org.id)).toMatchObject({ code: link!.code });
    const other = await creativePartner(app, "Other Media");
    expect(await linkOfCreative(app.db, id, other.org.id)).toBeNull();
    // The approval email hands the partner the short link, on the site's canonical origin.
    const [approvalEmail] = (await app.db.select().from(outboxMessages)).map((m) => m.payload).filter((p) => p.subject === '"Spring living room!" is approved');
    expect(approvalEmail!.text).toContain(`/l/${link!.code}`);
    const [issued] = await auditOf("link.issued");
    expect(issued).toMatchObject({ subjectId: link!.id, partnerOrgId: acme.org.id, data: { code: link!.code, version: 1, creativeId: id } });
  });

  it("use the program's default destination for a creative without one, and issue none (saying why) when there is neither", async () => {
    await programThatApprovesAtOnce();
    const acme = await creativePartner(app);
    const bare = await approvedCreative(acme, "");
    expect(await linkOfCreative(app.db, bare)).toBeNull();
    expect((await auditOf("link.not_issued"))[0]).toMatchObject({ subjectId: bare, data: { version: 1, reason: expect.stringMatching(/no destination/) } });

    await saveLinkSettings(app, ADMIN, { ...DEFAULT_LINK_SETTINGS, defaultDestinationUrl: "https://www.lumen.test/" });
    const second = await approvedCreative(acme, "", "Autumn");
    const [link] = await app.db.select().from(trackingLinks).where(eq(trackingLinks.creativeId, second));
    expect(link).toMatchObject({ destinationUrl: "https://www.lumen.test/", utmCampaign: "autumn" });
  });
});

describe("evergreen links", () => {
  it("are made to allowlisted pages on the organisation's channels, audited, and refused with a field message otherwise", async () => {
    await programThatApprovesAtOnce();
    const acme = await creativePartner(app);
    const link = await createEvergreenLink(app, acme.actor, {
      label: "  Blog sidebar ",
      destinationUrl: "https://shop.lumen.test/bulbs",
      channel: "website_blog",
    });
    expect(link).toMatchObject({ kind: "evergreen", label: "Blog sidebar", utmCampaign: "evergreen", utmContent: "blog-sidebar", utmMedium: "website_blog" });
    expect((await auditOf("link.created"))[0]).toMatchObject({ subjectId: link.id, actorId: acme.user.id, partnerOrgId: acme.org.id });

    const refused = async (input: Parameters<typeof createEvergreenLink>[2]) =>
      createEvergreenLink(app, acme.actor, input).then(
        () => expect.fail("should have been refused"),
        (error: unknown) => error as DomainError,
      );
    expect(await refused({ label: "Evil", destinationUrl: "https://evil.test/", channel: "website_blog" })).toMatchObject({
      field: "destinationUrl",
      message: expect.stringMatching(/evil\.test is not on the program's list/),
    });
    expect(await refused({ label: "Look-alike", destinationUrl: "https://lumen.test@evil.test/", channel: "website_blog" })).toMatchObject({
      field: "destinationUrl",
    });
    expect(await refused({ label: "Plain http", destinationUrl: "http://www.lumen.test/", channel: "website_blog" })).toMatchObject({
      field: "destinationUrl",
    });
    expect(await refused({ label: "Not ours", destinationUrl: "https://www.lumen.test/", channel: "events" })).toMatchObject({ field: "channel" });
    expect(await app.db.select().from(trackingLinks)).toHaveLength(1);
  });

  it("stop at the tier's limit (disabled ones count), and a paused organisation makes none", async () => {
    await programThatApprovesAtOnce();
    await saveLinkSettings(app, ADMIN, { ...DEFAULT_LINK_SETTINGS, evergreenLimits: { ...DEFAULT_LINK_SETTINGS.evergreenLimits, trial: 2 } });
    const trial = await creativePartner(app, "Trial Media", { tier: "trial" });
    const make = (label: string) => createEvergreenLink(app, trial.actor, { label, destinationUrl: "https://www.lumen.test/", channel: "website_blog" });
    const first = await make("One");
    await make("Two");
    await setLinkStatus(app, ADMIN, first.id, { status: "disabled", reason: "Testing the limit." });
    await expect(make("Three")).rejects.toMatchObject({ kind: "conflict", message: expect.stringMatching(/Trial tier allows 2 evergreen links/i) });
    // Links made at the same moment are counted one at a time: never more than the limit.
    const busy = await creativePartner(app, "Busy Media", { tier: "trial" });
    const outcomes = await Promise.allSettled(
      ["A", "B", "C", "D"].map((label) => createEvergreenLink(app, busy.actor, { label, destinationUrl: "https://www.lumen.test/", channel: "website_blog" })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(2);

    await app.db.update(partnerOrganisations).set({ status: "paused" }).where(eq(partnerOrganisations.id, busy.org.id));
    await app.db.delete(trackingLinks).where(eq(trackingLinks.organisationId, busy.org.id));
    await expect(
      createEvergreenLink(app, busy.actor, { label: "E", destinationUrl: "https://www.lumen.test/", channel: "website_blog" }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("changes the redirect must hear of", () => {
  it("disable and enable with the reason on record, refuse a second identical change, and notify the link's code", async () => {
    await programThatApprovesAtOnce();
    const acme = await creativePartner(app);
    const link = await createEvergreenLink(app, acme.actor, { label: "Sidebar", destinationUrl: "https://www.lumen.test/", channel: "website_blog" });
    const admin = await signedIn(app, { role: "admin", email: "ada@brand.test" });
    const actor = { id: admin.id, label: admin.email };
    const listening = await listenToLinks();
    try {
      const disabled = await setLinkStatus(app, actor, link.id, { status: "disabled", reason: "Footer calls the kit free." });
      expect(disabled).toMatchObject({ status: "disabled", disabledReason: "Footer calls the kit free.", disabledAt: clock.now() });
      await expect(setLinkStatus(app, actor, link.id, { status: "disabled", reason: "Again." })).rejects.toMatchObject({ kind: "conflict" });
      const enabled = await setLinkStatus(app, actor, link.id, { status: "active", reason: "Footer fixed." });
      expect(enabled).toMatchObject({ status: "active", disabledReason: null, disabledAt: null });
      expect((await auditOf("link.disabled"))[0]).toMatchObject({
        actorId: admin.id,
        subjectId: link.id,
        data: { code: link.code, reason: "Footer calls the kit free." },
      });
      expect((await auditOf("link.enabled"))[0]).toMatchObject({ data: { reason: "Footer fixed." } });

      // An approval revoked, the allowlist changed, the link settings saved: each is heard.
      const id = await approvedCreative(acme, "https://www.lumen.test/");
      const [creativeLink] = await app.db.select().from(trackingLinks).where(eq(trackingLinks.creativeId, id));
      const legal = await signedIn(app, { role: "legal_reviewer", email: "lena@brand.test" });
      await revokeApproval(app, { id: legal.id, label: legal.email }, id, "The product was discontinued.");
      await saveRuleSet(app, ADMIN, { ...DEFAULT_RULES, allowedDomains: ["lumen.test", "lumen.shop"] });
      await saveLinkSettings(app, ADMIN, { ...DEFAULT_LINK_SETTINGS, fallbackUrl: "https://www.lumen.test/partners" });
      await settle();
      expect(listening.heard).toEqual([link.code, link.code, creativeLink!.code, ALL_LINKS, ALL_LINKS]);
    } finally {
      await listening.stop();
    }
  });

  it("save the link settings with what changed on record, and nothing when nothing changed", async () => {
    expect(await getLinkSettings(app.db)).toEqual(DEFAULT_LINK_SETTINGS);
    const next = { ...DEFAULT_LINK_SETTINGS, clickIdParam: "ref_click", clickRetentionMonths: 13 };
    expect(await saveLinkSettings(app, ADMIN, next)).toEqual({ changed: ["clickIdParam", "clickRetentionMonths"] });
    expect(await getLinkSettings(app.db)).toEqual(next);
    expect(await saveLinkSettings(app, ADMIN, next)).toEqual({ changed: [] });
    expect(await auditOf("links.settings_changed")).toHaveLength(1);
  });
});

describe("stats", () => {
  const click = (link: { id: string; organisationId: string }, at: string, fields: Partial<PendingClick> = {}) =>
    pendingClick(link, new Date(at), { visitorHash: "visitor-1", ...fields });

  it("count people, unique visitors per day and the bot share from the daily counts, never mixing organisations", async () => {
    await programThatApprovesAtOnce();
    const acme = await creativePartner(app);
    const globex = await creativePartner(app, "Globex Media");
    const sidebar = await createEvergreenLink(app, acme.actor, { label: "Sidebar", destinationUrl: "https://www.lumen.test/", channel: "website_blog" });
    const theirs = await createEvergreenLink(app, globex.actor, { label: "Theirs", destinationUrl: "https://www.lumen.test/", channel: "website_blog" });
    const creativeId = await approvedCreative(acme, "https://www.lumen.test/scenes");
    const [creativeLink] = await app.db.select().from(trackingLinks).where(eq(trackingLinks.creativeId, creativeId));
    await writeClicks(app.db, [
      // Today (2030-03-10): the same visitor twice, another visitor, a bot, a test.
      click(sidebar, "2030-03-10T08:00:00Z"),
      click(sidebar, "2030-03-10T09:00:00Z"),
      click(sidebar, "2030-03-10T10:00:00Z", { visitorHash: "visitor-2" }),
      click(sidebar, "2030-03-10T10:30:00Z", { isBot: true, userAgentClass: "bot", visitorHash: "crawler" }),
      click(sidebar, "2030-03-10T11:00:00Z", { isTest: true }),
      // Five days ago, and long ago.
      click(sidebar, "2030-03-05T10:00:00Z"),
      click(sidebar, "2030-01-02T10:00:00Z"),
      click(creativeLink!, "2030-03-09T10:00:00Z"),
      click(theirs, "2030-03-10T10:00:00Z", { visitorHash: "visitor-9" }),
    ]);

    const summaries = await linkSummaries(app.db, [sidebar.id, creativeLink!.id, theirs.id], clock.now());
    expect(summaries.get(sidebar.id)).toEqual({ today: 3, last7Days: 4, total: 5, uniqueTotal: 4, botShare: 1 / 6 });
    expect(summaries.get(theirs.id)).toMatchObject({ today: 1, total: 1 });

    const range = { from: "2030-03-04", to: "2030-03-10" };
    const days = await dailyClicks(app.db, { organisationId: acme.org.id }, range);
    expect(days).toHaveLength(7);
    expect(days.map((d) => d.clicks)).toEqual([0, 1, 0, 0, 0, 1, 3]);
    expect(days.at(-1)).toEqual({ day: "2030-03-10", clicks: 3, uniqueClicks: 2, botClicks: 1 });
    expect(await clickTotals(app.db, { organisationId: acme.org.id, linkId: sidebar.id }, range)).toEqual({
      clicks: 4,
      uniqueClicks: 3,
      botClicks: 1,
      allClicks: 5,
      fallbackClicks: 0,
    });
    // Another organisation's link asked for under this organisation's scope counts nothing.
    expect(await clickTotals(app.db, { organisationId: acme.org.id, linkId: theirs.id }, range)).toMatchObject({ clicks: 0, allClicks: 0 });
    expect(await clickTotals(app.db, { organisationId: acme.org.id, creativeId }, range)).toMatchObject({ clicks: 1 });
    expect(await clicksByCreative(app.db, acme.org.id, range)).toEqual([
      { creativeId, title: "Spring living room", links: 1, clicks: 1, uniqueClicks: 1, botShare: 0 },
    ]);
    const listed = await linksOfOrganisation(app.db, acme.org.id, 1, clock.now());
    expect(listed.rows.map((r) => r.id).sort()).toEqual([sidebar.id, creativeLink!.id].sort());
    expect(listed.rows.find((r) => r.id === sidebar.id)!.clicks.today).toBe(3);

    // The first real click ended Acme's time to onboard (the organisation was made without an application).
    const [org] = await app.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, acme.org.id));
    expect(org!.firstLinkLiveAt).toEqual(new Date("2030-01-02T10:00:00Z"));
    expect((await auditOf("partner.first_link_live")).map((e) => e.subjectId).sort()).toEqual([acme.org.id, globex.org.id].sort());
  });
});
