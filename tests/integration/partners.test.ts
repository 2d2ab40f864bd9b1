import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { assetDownloads, auditEvents, kits, outboxMessages, partnerOrganisations, users } from "#db/schema/index";
import { resetDatabase } from "../support/db";
import {
  createApprovedApplication,
  createPartnerOrg,
  createUser,
  publishPolicy,
  sessionCookieFor,
  signedIn as signedInAs,
  type PartnerOrgFields,
} from "../support/context";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => resetDatabase(server.app.db));

type Role = "admin" | "brand_reviewer" | "legal_reviewer" | "analyst";

const signedIn = (role: Role | "partner", partnerOrgId?: string) =>
  signedInAs(server.app, { role, partnerOrgId, name: `${role} person`, email: `${role}-${Math.random().toString(36).slice(2, 8)}@brand.test` });

const partnerOrg = (name: string, fields: PartnerOrgFields = {}) => createPartnerOrg(server.app.db, name, fields);

const page = async (path: string, cookie: string) => {
  const response = await get(server, path, { Cookie: cookie });
  // React separates adjacent text with empty comments; the text as read has none.
  return { status: response.status, html: (await response.text()).replaceAll("<!-- -->", "") };
};

/** Organisation names in the directory's order, as the page lists them. */
async function listedNames(query: string, cookie: string, names: string[]): Promise<string[]> {
  const { status, html } = await page(`/admin/partners${query}`, cookie);
  expect(status).toBe(200);
  return names.filter((n) => html.includes(`>${n}</a>`)).sort((a, b) => html.indexOf(`>${a}</a>`) - html.indexOf(`>${b}</a>`));
}

const termsForm = (overrides: Record<string, string> = {}) => ({
  intent: "change_terms",
  tier: "strategic",
  commercialModel: "revenue_share",
  rate: "12.5",
  amount: "",
  currency: "USD",
  renewalDate: "2027-01-31",
  reason: "Moved up after a strong first quarter.",
  ...overrides,
});

describe("the partner directory", () => {
  it("searches by name, slug and website, filters by status, tier, type and region, and sorts", async () => {
    const admin = await signedIn("admin");
    await partnerOrg("Brightlane Reviews", {
      status: "active",
      tier: "standard",
      partnerType: "publisher",
      regions: ["europe"],
      website: "https://brightlane.example",
    });
    const zed = await partnerOrg("Zed Deals", {
      status: "paused",
      tier: "strategic",
      partnerType: "affiliate",
      regions: ["north_america"],
      website: "https://zed.example",
    });
    await partnerOrg("Alpha Media", {
      status: "onboarding",
      tier: "trial",
      partnerType: "publisher",
      regions: ["europe", "north_america"],
      website: "https://alpha-promo.example",
    });
    const all = ["Alpha Media", "Brightlane Reviews", "Zed Deals"];

    expect(await listedNames("", admin.cookie, all)).toEqual(["Alpha Media", "Brightlane Reviews", "Zed Deals"]);
    expect(await listedNames("?q=bright", admin.cookie, all)).toEqual(["Brightlane Reviews"]);
    expect(await listedNames(`?q=${zed.slug}`, admin.cookie, all)).toEqual(["Zed Deals"]);
    expect(await listedNames("?q=alpha-promo.example", admin.cookie, all)).toEqual(["Alpha Media"]);
    // LIKE wildcards in a search are taken literally.
    expect(await listedNames("?q=%25", admin.cookie, all)).toEqual([]);
    expect(await listedNames("?status=paused", admin.cookie, all)).toEqual(["Zed Deals"]);
    expect(await listedNames("?tier=trial", admin.cookie, all)).toEqual(["Alpha Media"]);
    expect(await listedNames("?type=publisher", admin.cookie, all)).toEqual(["Alpha Media", "Brightlane Reviews"]);
    expect(await listedNames("?region=north_america&type=publisher", admin.cookie, all)).toEqual(["Alpha Media"]);
    // Tier sorts by the program's tier list (strategic, standard, trial), not the alphabet.
    expect(await listedNames("?sort=tier", admin.cookie, all)).toEqual(["Zed Deals", "Brightlane Reviews", "Alpha Media"]);
    // Unknown filter values fall back to "all" instead of failing.
    expect(await listedNames("?status=nonsense&region=atlantis&sort=sideways", admin.cookie, all)).toEqual(all);

    const { html } = await page("/admin/partners?q=nobody-matches", admin.cookie);
    expect(html).toContain("No partners match");
    expect(html).toContain("Clear search and filters");
  });

  it("sorts newest first and pages through 25 at a time, keeping the filters in the page links", async () => {
    const admin = await signedIn("admin");
    for (let i = 0; i < 27; i++) {
      const org = await partnerOrg(`Org ${String(i).padStart(2, "0")}`, { partnerType: "creator" });
      await server.app.db
        .update(partnerOrganisations)
        .set({ createdAt: new Date(Date.UTC(2026, 0, 1 + i)) })
        .where(eq(partnerOrganisations.id, org.id));
    }
    const names = Array.from({ length: 27 }, (_, i) => `Org ${String(i).padStart(2, "0")}`);
    const first = await listedNames("?sort=newest&type=creator", admin.cookie, names);
    expect(first).toHaveLength(25);
    expect(first[0]).toBe("Org 26");
    const { html } = await page("/admin/partners?sort=newest&type=creator", admin.cookie);
    expect(html).toContain("Page 1 of 2");
    expect(html).toContain("sort=newest&amp;type=creator&amp;page=2");
    expect(await listedNames("?sort=newest&type=creator&page=2", admin.cookie, names)).toEqual(["Org 01", "Org 00"]);
  });

  it("shows an empty state before any partner exists", async () => {
    const admin = await signedIn("admin");
    const { html } = await page("/admin/partners", admin.cookie);
    expect(html).toContain("No partners yet");
    expect(html).toContain("A partner organisation is created when an application is approved.");
  });

  it("exports the filtered directory as formula-safe CSV and records the export on the audit trail", async () => {
    const analyst = await signedIn("analyst");
    const hostile = await partnerOrg('=HYPERLINK("http://evil.test","x")', { status: "active", partnerType: "affiliate", website: "+cmd|' /C calc'!A0" });
    await createUser(server.app.db, { role: "partner", partnerOrgId: hostile.id, partnerRole: "owner" });
    await createUser(server.app.db, { role: "partner", partnerOrgId: hostile.id, partnerRole: "member" });
    await partnerOrg("Quiet Publisher", { status: "paused", partnerType: "publisher" });

    const response = await get(server, "/admin/partners.csv?status=active&sort=name", { Cookie: analyst.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="partners.csv"');
    const csv = (await response.text()).replace(/^\uFEFF/, "");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "Name,Slug,Status,Tier,Type,Regions,Channels,Website,Terms,Renewal date,Active members,Created (UTC),Active since (UTC),Health score",
    );
    expect(lines).toHaveLength(2);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(csv).toContain("'+cmd|' /C calc'!A0");
    expect(csv).not.toContain("Quiet Publisher");
    // Active members are counted per organisation.
    expect(lines[1]!.split(",").at(-4)).toBe("2");

    const [event] = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "partners.exported"));
    expect(event).toMatchObject({ actorId: analyst.id, subjectType: "partner_directory" });
    expect(event!.data).toMatchObject({ count: 1, filters: { status: "active", sort: "name" } });
  });
});

describe("access to the directory and partner pages", () => {
  it("opens to admins, brand and legal reviewers and analysts; partners get 404 and visitors go to sign in", async () => {
    const org = await partnerOrg("Acme Media");
    for (const role of ["admin", "brand_reviewer", "legal_reviewer", "analyst"] as const) {
      const { cookie } = await signedIn(role);
      for (const path of ["/admin/partners", `/admin/partners/${org.id}`, "/admin/partners.csv"])
        expect((await get(server, path, { Cookie: cookie })).status, `${role} ${path}`).toBe(200);
    }
    const partner = await signedIn("partner", org.id);
    for (const path of ["/admin/partners", `/admin/partners/${org.id}`, "/admin/partners.csv"]) {
      expect((await get(server, path, { Cookie: partner.cookie })).status, path).toBe(404);
      const anonymous = await get(server, path);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    }
    const post = await postForm(server, `/admin/partners/${org.id}`, termsForm(), { Cookie: partner.cookie });
    expect(post.status).toBe(404);
    expect((await postForm(server, `/admin/partners/${org.id}`, termsForm())).status).toBe(302);
  });

  it("answers 404 for a malformed or unknown id", async () => {
    const admin = await signedIn("admin");
    expect((await get(server, "/admin/partners/not-a-uuid", { Cookie: admin.cookie })).status).toBe(404);
    expect((await get(server, "/admin/partners/6f1c1c1e-0000-4000-8000-000000000000", { Cookie: admin.cookie })).status).toBe(404);
    expect((await postForm(server, "/admin/partners/6f1c1c1e-0000-4000-8000-000000000000", termsForm(), { Cookie: admin.cookie })).status).toBe(404);
  });

  it("gives analysts the download log, its CSV and the audit trail, and tells them so on their overview", async () => {
    const analyst = await signedIn("analyst");
    for (const path of ["/admin/downloads", "/admin/downloads.csv", "/admin/audit"])
      expect((await get(server, path, { Cookie: analyst.cookie })).status, path).toBe(200);
    // Still not the asset hub itself, nor anything that changes.
    expect((await get(server, "/admin/assets", { Cookie: analyst.cookie })).status).toBe(403);
    const { html } = await page("/admin", analyst.cookie);
    expect(html).toContain("What you can read");
    for (const href of ['href="/admin/partners"', 'href="/admin/downloads"', 'href="/admin/audit"']) expect(html).toContain(href);
    const legal = await signedIn("legal_reviewer");
    expect((await get(server, "/admin/downloads", { Cookie: legal.cookie })).status).toBe(403);
    expect((await get(server, "/admin/audit", { Cookie: legal.cookie })).status).toBe(403);
  });
});

describe("the partner page", () => {
  async function approvedPartner() {
    const org = await partnerOrg("Brightlane Reviews", {
      status: "active",
      partnerType: "publisher",
      channels: ["website_blog", "email"],
      regions: ["europe"],
      website: "https://brightlane.example",
      tier: "standard",
      commercialModel: "revenue_share",
      rateBasisPoints: 1000,
    });
    await createApprovedApplication(server.app.db, org.id, {
      reference: "APP-TEST-0001",
      company: "Brightlane Reviews Ltd",
      contactName: "Cora Owner",
      email: "cora@brightlane.example",
      domain: "brightlane.example",
      channels: ["website_blog", "email"],
    });
    const owner = await createUser(server.app.db, {
      role: "partner",
      partnerOrgId: org.id,
      partnerRole: "owner",
      name: "Cora Owner",
      email: "cora@brightlane.example",
    });
    await server.app.db
      .update(users)
      .set({ lastLoginAt: new Date(Date.UTC(2026, 2, 4, 9, 30)) })
      .where(eq(users.id, owner.id));
    const member = await createUser(server.app.db, {
      role: "partner",
      partnerOrgId: org.id,
      partnerRole: "member",
      name: "Milo Member",
      email: "milo@brightlane.example",
    });
    return { org, owner, member };
  }

  it("gathers profile, terms, members with last sign-in, policy acceptance and downloads, with empty states for what is still to come", async () => {
    const brand = await signedIn("brand_reviewer");
    const { org, owner } = await approvedPartner();
    await publishPolicy(server.app, { title: "Program terms", body: "Be honest." });
    const [kit] = await server.app.db.insert(kits).values({ name: "Starter kit" }).returning();
    await server.app.db.insert(assetDownloads).values({ userId: owner.id, partnerOrgId: org.id, kitId: kit!.id, rendition: "kit" });

    const { status, html } = await page(`/admin/partners/${org.id}`, brand.cookie);
    expect(status).toBe(200);
    for (const text of [
      "Brightlane Reviews Ltd",
      "https://brightlane.example",
      "Publisher",
      "Website or blog, Email",
      "Europe",
      "40,000",
      "Readers comparing smart bulbs.",
      "APP-TEST-0001",
      "Revenue share, 10 %",
      "Cora Owner",
      "Milo Member",
      "Never",
      "Program terms, version 1",
      "0 of 2",
      "Not covered",
      "Kit: Starter kit",
      `href="/admin/downloads?partner=${org.id}"`,
      "What this partner submits for review shows here",
      "No tracking links yet",
      `href="/admin/links?partner=${org.id}"`,
      "post a sale to the conversions API",
    ])
      expect(html, text).toContain(text);
    expect(html).toContain("4\u00a0Mar\u00a02026");
    // Brand reviewers read terms and status but change neither (the lifecycle is tested in partner-lifecycle.test.ts).
    expect(html).not.toContain("Change tier or terms");
    expect(html).not.toContain("Pause partner");
  });

  it("lets an admin change tier and terms: audited with from and to, the owner emailed, history shown, the partner home updated", async () => {
    const admin = await signedIn("admin");
    const { org, owner } = await approvedPartner();
    expect((await page(`/admin/partners/${org.id}`, admin.cookie)).html).toContain("Change tier or terms");

    const response = await postForm(server, `/admin/partners/${org.id}`, termsForm(), { Cookie: admin.cookie });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/admin/partners/${org.id}#terms`);

    const [stored] = await server.app.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, org.id));
    expect(stored).toMatchObject({
      tier: "strategic",
      commercialModel: "revenue_share",
      rateBasisPoints: 1250,
      amountMinor: null,
      currency: null,
      renewalDate: "2027-01-31",
    });

    const [event] = await server.app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "partner.terms_changed"), eq(auditEvents.subjectId, org.id)));
    expect(event).toMatchObject({ actorId: admin.id, subjectType: "partner", partnerOrgId: org.id });
    expect(event!.data).toEqual({
      from: { tier: "standard", commercialModel: "revenue_share", rateBasisPoints: 1000, amountMinor: null, currency: null, renewalDate: null },
      to: { tier: "strategic", commercialModel: "revenue_share", rateBasisPoints: 1250, amountMinor: null, currency: null, renewalDate: "2027-01-31" },
      reason: "Moved up after a strong first quarter.",
      notified: owner.email,
    });

    const emails = await server.app.db.select().from(outboxMessages);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.payload).toMatchObject({ to: owner.email, subject: "Brightlane Reviews's partner terms have changed" });
    expect(emails[0]!.payload.text).toContain("Tier: Strategic. Terms: Revenue share, 12.5 %.");

    const html = (await (await follow(server, response, admin.cookie)).text()).replaceAll("<!-- -->", "");
    expect(toastIn(html)).toBe("Terms changed. The owner was emailed and sees the new terms on their partner home.");
    expect(html).toContain("Tier: Standard → Strategic");
    expect(html).toContain("Terms: Revenue share, 10 % → Revenue share, 12.5 %");
    // Dates keep their words together with non-breaking spaces.
    expect(html).toContain("Renewal: none → 31\u00a0Jan\u00a02027");
    expect(html).toContain("Reason: Moved up after a strong first quarter.");

    // A switch to a fixed fee: the rate goes, the amount is kept in minor units.
    expect(
      (
        await postForm(
          server,
          `/admin/partners/${org.id}`,
          termsForm({ commercialModel: "fixed_fee", rate: "", amount: "5,000.50", currency: "EUR", reason: "Flat fee this year." }),
          { Cookie: admin.cookie },
        )
      ).status,
    ).toBe(302);
    const [fixed] = await server.app.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, org.id));
    expect(fixed).toMatchObject({ commercialModel: "fixed_fee", rateBasisPoints: null, amountMinor: 500050, currency: "EUR" });

    // The partner sees the terms that apply on their home page.
    const home = await page("/partner", await sessionCookieFor(server.app, owner.id));
    expect(home.html).toContain("Fixed fee, EUR 5,000.50");
    expect(home.html).toMatch(/Changed \d/);
  });

  it("refuses bad input with a 400 at its fields, keeping what was typed, and changes nothing", async () => {
    const admin = await signedIn("admin");
    const { org } = await approvedPartner();
    const response = await postForm(
      server,
      `/admin/partners/${org.id}`,
      termsForm({ tier: "platinum", rate: "150", renewalDate: "next spring", reason: "  " }),
      { Cookie: admin.cookie },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    for (const message of ["The rate must be at most 100.", "Enter the renewal date as a date, such as 2027-01-31.", "The reason is required."])
      expect(html).toContain(message);
    expect(html).toContain('value="150"');
    expect(html).toContain('value="next spring"');

    const unknownTier = await postForm(server, `/admin/partners/${org.id}`, termsForm({ tier: "platinum", reason: "A new tier <b>now</b>" }), {
      Cookie: admin.cookie,
    });
    expect(unknownTier.status).toBe(400);
    const tierHtml = await unknownTier.text();
    expect(tierHtml).toContain("Choose a tier from the list.");
    expect(tierHtml).toContain("A new tier &lt;b&gt;now&lt;/b&gt;");

    const unchanged = await postForm(server, `/admin/partners/${org.id}`, termsForm({ tier: "standard", rate: "10", renewalDate: "", reason: "No change" }), {
      Cookie: admin.cookie,
    });
    expect(unchanged.status).toBe(400);
    expect(await unchanged.text()).toContain("nothing was changed");

    const [stored] = await server.app.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, org.id));
    expect(stored).toMatchObject({ tier: "standard", rateBasisPoints: 1000 });
    expect(await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "partner.terms_changed"))).toHaveLength(0);
    expect(await server.app.db.select().from(outboxMessages)).toHaveLength(0);
  });

  it("is read-only for analysts and reviewers: no form, and the action answers 403", async () => {
    const { org } = await approvedPartner();
    for (const role of ["analyst", "brand_reviewer", "legal_reviewer"] as const) {
      const reader = await signedIn(role);
      const { html } = await page(`/admin/partners/${org.id}`, reader.cookie);
      expect(html).toContain("Tier and terms");
      expect(html, role).not.toContain('name="commercialModel"');
      expect((await postForm(server, `/admin/partners/${org.id}`, termsForm(), { Cookie: reader.cookie })).status, role).toBe(403);
    }
    const [stored] = await server.app.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, org.id));
    expect(stored!.tier).toBe("standard");
  });
});

describe("links to the partner page", () => {
  it("from the overview tile, the download log rows and the policy coverage rows", async () => {
    const admin = await signedIn("admin");
    const org = await partnerOrg("Linked Media", { status: "active" });
    const owner = await createUser(server.app.db, { role: "partner", partnerOrgId: org.id, partnerRole: "owner" });
    const [kit] = await server.app.db.insert(kits).values({ name: "Starter kit" }).returning();
    await server.app.db.insert(assetDownloads).values({ userId: owner.id, partnerOrgId: org.id, kitId: kit!.id, rendition: "kit" });
    const { policyId } = await publishPolicy(server.app, { title: "Program terms", body: "Be honest." });

    expect((await page("/admin", admin.cookie)).html).toContain('href="/admin/partners"');
    expect((await page("/admin/downloads", admin.cookie)).html).toContain(`href="/admin/partners/${org.id}"`);
    expect((await page(`/admin/policies/${policyId}/coverage`, admin.cookie)).html).toContain(`href="/admin/partners/${org.id}"`);
  });
});
