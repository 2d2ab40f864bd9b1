import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applications, auditEvents, outboxMessages, policies } from "#db/schema/index";
import { prepareSetupToken } from "~/domain/accounts/setup.server";
import { ApplySchema } from "~/domain/applications/schemas.server";
import { submitApplication } from "~/domain/applications/submit.server";
import { policyContentHash } from "~/domain/policies/markdown.server";
import { saveDraft } from "~/domain/policies/policies.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { parseHost } from "~/lib/hosts";
import { resetDatabase } from "../support/db";
import { createPartnerOrg, createUser, sessionCookieFor, TEST_PASSWORD } from "../support/context";
import { cookieFrom, get, postForm, rawRequest, startTestServer, type TestServer } from "../support/http";

const FOREIGN_HOST = "evil.example:4102";

const APPLICANT = {
  company: "Glow Home Journal",
  contactName: "Maya Fischer",
  email: "maya@glowhome.com",
  website: "https://glowhome.com",
  partnerType: "publisher",
  audienceSize: "85000",
  audienceDescription: "Homeowners renovating on a budget.",
  promotionPlan: "Reviews and a newsletter feature.",
  socialHandles: "@glowhome",
  privacyConsent: "yes",
};

/** First-run setup over HTTP, as the holder of the printed token does it; returns the admin's cookie. */
async function setUpThroughTheSetupPage(server: TestServer, headers: Record<string, string> = {}): Promise<string> {
  const token = (await prepareSetupToken(server.app, null))!;
  const setup = await postForm(
    server,
    "/setup",
    { token, programName: "Acme Partners", name: "Ada Admin", email: "ada@acme.test", password: TEST_PASSWORD },
    headers,
  );
  expect(setup.status).toBe(302);
  return cookieFrom(setup);
}

const URLS = /https?:\/\/[^\s"'<>)]+/g;

/** Every link in every queued email, with the message it came from. */
async function linksInOutbox(server: TestServer) {
  const rows = await server.app.db.select().from(outboxMessages).orderBy(outboxMessages.id);
  return rows.map((row) => ({
    to: row.payload.to,
    subject: row.payload.subject,
    raw: JSON.stringify(row.payload),
    links: [...`${row.payload.text}\n${row.payload.html}`.matchAll(URLS)].map((m) => m[0]),
  }));
}

describe("links in emails when PUBLIC_URL is unset", () => {
  let server: TestServer;
  beforeAll(async () => {
    // The foreign host is admitted here (as a careless ALLOWED_HOSTS would), so
    // the poisoned requests run all the way to the code that builds the links.
    // Without it they are refused before they run (see the production tests).
    server = await startTestServer({ configure: (config) => ({ ...config, allowedHosts: [parseHost(FOREIGN_HOST)!] }) });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await resetDatabase(server.app.db);
    server.app.siteOriginCache.forget(); // the recorded origin went with the tables
  });

  /** The poisoned request: an attacker's client names its own host and origin. */
  async function poisoned(pathname: string, form: Record<string, string>, cookie?: string) {
    const headers: Record<string, string> = { Host: FOREIGN_HOST, Origin: `http://${FOREIGN_HOST}`, ...(cookie ? { Cookie: cookie } : {}) };
    const response = await rawRequest(server, pathname, { form, headers });
    expect(response.status, `${pathname}: ${response.body.slice(0, 200)}`).toBeLessThan(403);
    return response;
  }

  it("are built from the origin recorded at setup, never from the Host a request names", async () => {
    const adminCookie = await setUpThroughTheSetupPage(server);
    const canonical = server.url; // the setup request came to http://127.0.0.1:<port>
    expect(await canonicalOrigin(server.app)).toBe(canonical);

    // Password reset.
    await createUser(server.app.db, { email: "victim@acme.test" });
    await poisoned("/forgot-password", { email: "victim@acme.test" });
    // Internal invitation.
    await poisoned("/admin/users", { intent: "invite", email: "new-analyst@acme.test", role: "analyst" }, adminCookie);
    // Partner team invitation.
    const org = await createPartnerOrg(server.app.db, "Acme Media");
    const owner = await createUser(server.app.db, { role: "partner", partnerOrgId: org.id, partnerRole: "owner", email: "owner@acmemedia.test" });
    await poisoned("/partner/team", { intent: "invite", email: "mate@acmemedia.test" }, await sessionCookieFor(server.app, owner.id));
    // Application received (status link).
    const applyForm = { ...APPLICANT, channels: "website_blog", regions: "europe" };
    await poisoned("/apply", applyForm);
    // Amend link (request information) and partner owner invitation (approval).
    const meta = { ip: "192.0.2.10", userAgent: "vitest" };
    const asked = await submitApplication(
      server.app,
      ApplySchema.parse({ ...APPLICANT, email: "asked@glowtwo.com", website: "https://glowtwo.com", channels: ["email"], regions: ["europe"] }),
      meta,
      canonical,
    );
    const approved = await submitApplication(
      server.app,
      ApplySchema.parse({ ...APPLICANT, email: "approved@glowthree.com", website: "https://glowthree.com", channels: ["email"], regions: ["europe"] }),
      { ...meta, ip: "192.0.2.11" },
      canonical,
    );
    const idOf = async (reference: string) => (await server.app.db.select().from(applications).where(eq(applications.reference, reference)))[0]!.id;
    await poisoned(`/admin/applications/${await idOf(asked.reference)}`, { intent: "request_info", message: "Tell us more." }, adminCookie);
    await poisoned(
      `/admin/applications/${await idOf(approved.reference)}`,
      { intent: "approve", tier: "strategic", commercialModel: "revenue_share", rate: "12.5" },
      adminCookie,
    );
    // Policy reminder to the partner who has not accepted.
    const [policy] = await server.app.db.insert(policies).values({ key: "terms", title: "Program terms", required: true }).returning();
    const author = { id: null, label: "legal@acme.test" };
    await saveDraft(server.app, author, policy!.id, { body: "Be honest.", changeSummary: "" });
    // Publishing a material version emails everyone it gates.
    await poisoned(
      `/admin/policies/${policy!.id}`,
      { intent: "publish", material: "on", confirmed: "on", draftHash: policyContentHash("Be honest.") },
      adminCookie,
    );
    await poisoned(`/admin/policies/${policy!.id}/coverage`, { intent: "remind", number: "1" }, adminCookie);

    const mail = await linksInOutbox(server);
    const recipients = new Set(mail.map((m) => m.to));
    for (const to of [
      "victim@acme.test",
      "new-analyst@acme.test",
      "mate@acmemedia.test",
      "maya@glowhome.com",
      "asked@glowtwo.com",
      "approved@glowthree.com",
      "owner@acmemedia.test",
    ]) {
      expect(recipients.has(to), `an email to ${to}`).toBe(true);
    }
    for (const message of mail) {
      expect(message.raw, message.subject).not.toContain("evil.example");
      for (const link of message.links) {
        expect(link.startsWith(`${canonical}/`), `${message.subject}: ${link}`).toBe(true);
      }
    }
    const resetMail = mail.find((m) => m.to === "victim@acme.test")!;
    expect(resetMail.links.some((l) => l.startsWith(`${canonical}/reset-password?token=`))).toBe(true);
  });

  it("follow the site address an admin sets in Settings, which is validated and audited", async () => {
    const adminCookie = await setUpThroughTheSetupPage(server);
    const bad = await postForm(
      server,
      "/admin/settings",
      { intent: "site_address", siteOrigin: "https://partners.example.com/reset?x=1" },
      { Cookie: adminCookie },
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Enter only the scheme and host");
    for (const value of ["javascript:alert(1)", "ftp://partners.example.com", "partners.example.com", "https://user:pw@partners.example.com"]) {
      expect((await postForm(server, "/admin/settings", { intent: "site_address", siteOrigin: value }, { Cookie: adminCookie })).status, value).toBe(400);
    }
    const analyst = await createUser(server.app.db, { role: "analyst" });
    const refused = await postForm(
      server,
      "/admin/settings",
      { intent: "site_address", siteOrigin: "https://evil.example" },
      { Cookie: await sessionCookieFor(server.app, analyst.id) },
    );
    expect(refused.status).toBe(403);
    expect(await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "settings.site_address_updated"))).toHaveLength(0);

    const page = await (await get(server, "/admin/settings", { Cookie: adminCookie })).text();
    expect(page).toContain(`value="${server.url}"`);
    const saved = await postForm(server, "/admin/settings", { intent: "site_address", siteOrigin: " https://Partners.Example.com/ " }, { Cookie: adminCookie });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Site address saved.");
    const [event] = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "settings.site_address_updated"));
    expect(event).toMatchObject({ actorLabel: "ada@acme.test", data: { from: server.url, to: "https://partners.example.com" } });

    await createUser(server.app.db, { email: "victim@acme.test" });
    await poisoned("/forgot-password", { email: "victim@acme.test" });
    const [reset] = await linksInOutbox(server);
    expect(reset!.links.length).toBeGreaterThan(0);
    for (const link of reset!.links) expect(link.startsWith("https://partners.example.com/")).toBe(true);
  });

  it("before setup are never built from the Host either", async () => {
    await createUser(server.app.db, { email: "victim@acme.test" });
    await poisoned("/forgot-password", { email: "victim@acme.test" });
    const [reset] = await linksInOutbox(server);
    expect(reset!.raw).not.toContain("evil.example");
    expect(reset!.links.every((l) => l.startsWith(`http://localhost:${server.app.config.port}/`))).toBe(true);
  });
});

describe("hosts production answers", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ configure: (config) => ({ ...config, nodeEnv: "production", allowedHosts: [parseHost("admitted.example")!] }) });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await resetDatabase(server.app.db);
    server.app.siteOriginCache.forget(); // the recorded origin went with the tables
  });

  const status = async (host: string) => (await rawRequest(server, "/login", { headers: { Host: host } })).status;

  it("are any before setup, then the recorded one, loopback and ALLOWED_HOSTS; others get 400", async () => {
    expect(await status(FOREIGN_HOST)).toBe(200);
    await setUpThroughTheSetupPage(server);
    const { port } = new URL(server.url);
    const refused = await rawRequest(server, "/login", { headers: { Host: FOREIGN_HOST } });
    expect(refused.status).toBe(400);
    expect(refused.body).toBe("Unknown host.");
    expect(await status("evil.example")).toBe(400);
    expect(await status(`127.0.0.1.evil.example:${port}`)).toBe(400);
    expect(await status(`127.0.0.1:${port}`)).toBe(200);
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status(`[::1]:${port}`)).toBe(200);
    expect(await status("admitted.example:4102")).toBe(200);
    // A poisoned reset request is refused before it runs.
    await createUser(server.app.db, { email: "victim@acme.test" });
    const reset = await rawRequest(server, "/forgot-password", {
      form: { email: "victim@acme.test" },
      headers: { Host: FOREIGN_HOST, Origin: `http://${FOREIGN_HOST}` },
    });
    expect(reset.status).toBe(400);
    expect(await server.app.db.select().from(outboxMessages)).toHaveLength(0);
  });
});

describe("hosts production answers with PUBLIC_URL", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ configure: (config) => ({ ...config, nodeEnv: "production", publicUrl: new URL("http://partners.example.com") }) });
  });
  afterAll(() => server.close());

  it("are its host and loopback only, from the first request on", async () => {
    const status = async (host: string) => (await rawRequest(server, "/login", { headers: { Host: host } })).status;
    expect(await status(FOREIGN_HOST)).toBe(400);
    expect(await status("partners.example.com")).toBe(200);
    expect(await status(`127.0.0.1:${new URL(server.url).port}`)).toBe(200);
  });
});
