import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { applicationReplies, applications, auditEvents, outboxMessages, partnerOrganisations, userTokens, users } from "#db/schema/index";
import { AMEND_LINK_TTL_MS, approveApplication, partnerSlug, rejectApplication, type Reviewer } from "~/domain/applications/decisions.server";
import { listApplications, queueFiltersFrom } from "~/domain/applications/queue.server";
import { ApplySchema } from "~/domain/applications/schemas.server";
import { submitApplication } from "~/domain/applications/submit.server";
import { DomainError } from "~/domain/errors";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { resetDatabase } from "../support/db";
import { adjustableClockFor, createPartnerOrg, createUser, sessionCookieFor, TEST_PASSWORD } from "../support/context";
import { cookieFrom, follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";
import { expectResendLimits } from "../support/resend";
import type { AdjustableClock } from "~/lib/clock";
import { formatDate } from "~/lib/dates";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

let reviewerCookie: string;
let reviewer: Reviewer;
let clock: AdjustableClock;
beforeEach(async () => {
  clock = adjustableClockFor(server.app);
  await resetDatabase(server.app.db);
  const user = await createUser(server.app.db, { role: "brand_reviewer", name: "Bea Reviewer", email: "bea@brand.test" });
  reviewer = { id: user.id, label: user.email, name: user.name, ip: "127.0.0.1" };
  reviewerCookie = await sessionCookieFor(server.app, user.id);
});

const ANSWERS = {
  company: "Glow Home Journal",
  contactName: "Maya Fischer",
  email: "maya@glowhome.com",
  website: "https://glowhome.com",
  partnerType: "publisher",
  channels: ["website_blog", "email"],
  audienceSize: "85000",
  regions: ["europe"],
  audienceDescription: "Homeowners renovating on a budget.",
  promotionPlan: "Reviews and a newsletter feature.",
  socialHandles: "@glowhome",
  privacyConsent: "yes",
};

let ipCounter = 0;
async function submit(overrides: Partial<typeof ANSWERS> = {}) {
  const input = ApplySchema.parse({ ...ANSWERS, ...overrides });
  const { reference } = await submitApplication(server.app, input, { ip: `192.0.2.${++ipCounter % 250}`, userAgent: "vitest" }, server.url);
  const [row] = await server.app.db.select().from(applications).where(eq(applications.reference, reference));
  return row!;
}

function post(pathname: string, fields: [string, string][], cookie = reviewerCookie) {
  return fetch(`${server.url}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie },
    body: new URLSearchParams(fields),
  });
}

const decide = (id: string, fields: Record<string, string>, cookie?: string) => post(`/admin/applications/${id}`, Object.entries(fields), cookie);
const emails = () => server.app.db.select().from(outboxMessages).orderBy(outboxMessages.id);
const lastEmail = async () => (await emails()).at(-1)!.payload;
const eventsFor = (id: string) => server.app.db.select().from(auditEvents).where(eq(auditEvents.subjectId, id)).orderBy(auditEvents.id);
const tokenFrom = (text: string) => /token=([A-Za-z0-9_-]+)/.exec(text)![1]!;
const reload = async (id: string) => (await server.app.db.select().from(applications).where(eq(applications.id, id)))[0]!;

describe("approving", () => {
  it("creates the organisation with tier and terms, invites the applicant as owner, and records it, in one go", async () => {
    const application = await submit();
    const response = await decide(application.id, { intent: "approve", tier: "strategic", commercialModel: "revenue_share", rate: "12.5" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/admin/applications/${application.id}`);

    const after = await reload(application.id);
    expect(after).toMatchObject({ status: "approved", decidedById: reviewer.id });
    expect(after.decidedAt).toBeInstanceOf(Date);
    const [org] = await server.app.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, after.partnerOrgId!));
    expect(org).toMatchObject({
      name: "Glow Home Journal",
      slug: "glow-home-journal",
      status: "onboarding",
      tier: "strategic",
      commercialModel: "revenue_share",
      rateBasisPoints: 1250,
      amountMinor: null,
      partnerType: "publisher",
      website: "https://glowhome.com",
      regions: ["europe"],
    });
    const [token] = await server.app.db.select().from(userTokens).where(eq(userTokens.partnerOrgId, org!.id));
    expect(token).toMatchObject({ purpose: "invitation", email: "maya@glowhome.com", role: "partner", partnerRole: "owner", usedAt: null, revokedAt: null });
    const days = (token!.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    const mail = await lastEmail();
    expect(mail.to).toBe("maya@glowhome.com");
    expect(mail.subject).toMatch(/approved/);
    expect(mail.text).toContain(`${await canonicalOrigin(server.app)}/invitation?token=`);
    expect((await eventsFor(application.id)).map((e) => e.action)).toEqual(["application.submitted", "application.approved"]);
    const [created] = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "partner.created"));
    expect(created).toMatchObject({ subjectId: org!.id, partnerOrgId: org!.id, actorLabel: "bea@brand.test" });

    // The detail page says so, and shows the organisation and its waiting invitation, never the token.
    const page = await (await follow(server, response, reviewerCookie)).text();
    expect(toastIn(page)).toBe("Approved. The partner organisation exists and its owner has been emailed an invitation.");
    expect(page).toContain("glow-home-journal");
    expect(page).toContain("Revenue share, 12.5 %");
    expect(page).toContain("Waiting");
    expect(page).not.toContain(tokenFrom(mail.text));
  });

  it("lets the invited contact set a password and become the owner, landing on the partner home; the link then shows a clear page", async () => {
    const application = await submit();
    await decide(application.id, { intent: "approve", tier: "standard", commercialModel: "fixed_fee", amount: "5,000.50", currency: "EUR" });
    const [org] = await server.app.db.select().from(partnerOrganisations);
    expect(org).toMatchObject({ commercialModel: "fixed_fee", amountMinor: 500050, currency: "EUR", rateBasisPoints: null });
    const token = tokenFrom((await lastEmail()).text);
    // Without SMTP the admin passes the link on from the Outbox, which shows it while it is live.
    const admin = await createUser(server.app.db, { role: "admin", email: "ada@brand.test" });
    const adminCookie = await sessionCookieFor(server.app, admin.id);
    const messagePath = `/admin/outbox/${(await emails()).at(-1)!.id}`;
    expect(await (await get(server, messagePath, { Cookie: adminCookie })).text()).toContain(`/invitation?token=${token}`);

    const invitationPage = await (await get(server, `/invitation?token=${token}`)).text();
    expect(invitationPage).toContain("Glow Home Journal&#x27;s partner account as its owner");
    // The name from the application is filled in: the owner only chooses a password.
    expect(invitationPage).toMatch(/<input[^>]*name="name"[^>]*value="Maya Fischer"/);
    expect(invitationPage).toContain("Check your name and choose a password");

    const weak = await postForm(server, "/invitation", { token, name: "Maya Fischer", password: "short", confirmPassword: "short" });
    expect(weak.status).toBe(400);
    const accepted = await postForm(server, "/invitation", { token, name: "Maya Fischer", password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe("/partner");
    const [owner] = await server.app.db.select().from(users).where(eq(users.email, "maya@glowhome.com"));
    expect(owner).toMatchObject({ role: "partner", partnerOrgId: org!.id, partnerRole: "owner" });
    const home = await get(server, "/partner", { Cookie: cookieFrom(accepted) });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Glow Home Journal");

    const again = await (await get(server, `/invitation?token=${token}`)).text();
    expect(again).toContain("This link has already been used.");
    // Once used, neither the Outbox page nor the stored email holds the token.
    const outboxPage = await (await get(server, messagePath, { Cookie: adminCookie })).text();
    expect(outboxPage).not.toContain(token);
    expect(outboxPage).toContain("/invitation?token=[redacted]");
    expect(JSON.stringify((await emails()).map((m) => m.payload))).not.toContain(token);
  });

  it("gives every organisation a unique slug", async () => {
    expect(partnerSlug("Café Lumière & Co.")).toBe("cafe-lumiere-and-co");
    expect(partnerSlug("!!!")).toBe("partner");
    const first = await submit({ company: "Acme & Co", email: "a@acme-one.com", website: "https://acme-one.com" });
    const second = await submit({ company: "ACME & co", email: "b@acme-two.com", website: "https://acme-two.com" });
    const approve = { intent: "approve" as const, tier: "standard", commercialModel: "lead_share" as const, rate: 5, amount: undefined, currency: undefined };
    expect((await approveApplication(server.app, reviewer, first.id, approve, server.url)).slug).toBe("acme-and-co");
    expect((await approveApplication(server.app, reviewer, second.id, approve, server.url)).slug).toBe("acme-and-co-2");
  });

  it("reads a decimal comma in the rate: 12,5 is 12.5 %", async () => {
    const application = await submit();
    const response = await decide(application.id, { intent: "approve", tier: "standard", commercialModel: "revenue_share", rate: " 12,5 " });
    expect(response.status).toBe(302);
    const [org] = await server.app.db
      .select()
      .from(partnerOrganisations)
      .where(eq(partnerOrganisations.id, (await reload(application.id)).partnerOrgId!));
    expect(org).toMatchObject({ rateBasisPoints: 1250 });
  });

  it("refuses a number it would have to guess at: a dot as thousands separator, two decimal marks", async () => {
    const application = await submit();
    for (const rate of ["1.000,5", "12,5,0", "12,5.5", "1,00,0"]) {
      const response = await decide(application.id, { intent: "approve", tier: "standard", commercialModel: "revenue_share", rate });
      expect(response.status, rate).toBe(400);
      expect(await response.text(), rate).toContain("Enter the rate as a number.");
    }
    expect((await reload(application.id)).status).toBe("submitted");
  });

  it("refuses bad terms at their fields and writes nothing", async () => {
    const application = await submit();
    const before = (await emails()).length;
    const cases: [Record<string, string>, string][] = [
      [{ tier: "standard", commercialModel: "revenue_share", rate: "" }, "Enter the rate as a percentage, such as 12.5."],
      [{ tier: "standard", commercialModel: "revenue_share", rate: "150" }, "The rate must be at most 100."],
      [{ tier: "standard", commercialModel: "revenue_share", rate: "-3" }, "The rate must be more than 0."],
      [{ tier: "standard", commercialModel: "revenue_share", rate: "1.234" }, "Use at most two decimals for the rate."],
      [{ tier: "standard", commercialModel: "co_op", amount: "abc", currency: "USD" }, "Enter the amount as a number."],
      [{ tier: "standard", commercialModel: "fixed_fee", amount: "100" }, "Choose a currency."],
      [{ tier: "standard", commercialModel: "barter", rate: "5" }, "Choose a commercial model."],
      [{ tier: "platinum", commercialModel: "revenue_share", rate: "5" }, "Choose a tier from the list."],
    ];
    for (const [fields, message] of cases) {
      const response = await decide(application.id, { intent: "approve", ...fields });
      expect(response.status, message).toBe(400);
      expect(await response.text()).toContain(message);
    }
    expect((await reload(application.id)).status).toBe("submitted");
    expect(await server.app.db.select().from(partnerOrganisations)).toHaveLength(0);
    expect(await emails()).toHaveLength(before);
  });

  it("refuses to invite an address that already has an account", async () => {
    const application = await submit({ email: "bea@brand.test" });
    const response = await decide(application.id, { intent: "approve", tier: "standard", commercialModel: "revenue_share", rate: "10" });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("already has an account");
    expect((await reload(application.id)).status).toBe("submitted");
    expect(await server.app.db.select().from(partnerOrganisations)).toHaveLength(0);
  });

  it("resends the invitation with a new link that replaces the old one, and can withdraw it", async () => {
    const application = await submit();
    await decide(application.id, { intent: "approve", tier: "standard", commercialModel: "revenue_share", rate: "10" });
    const firstToken = tokenFrom((await lastEmail()).text);
    const [first] = await server.app.db.select().from(userTokens);

    const resent = await decide(application.id, { intent: "resend_invitation", invitationId: first!.id });
    expect(toastIn(await (await follow(server, resent, reviewerCookie)).text())).toBe("A new invitation was emailed; the earlier link no longer works.");
    const mail = await lastEmail();
    expect(mail.subject).toMatch(/invitation/i);
    const secondToken = tokenFrom(mail.text);
    expect(secondToken).not.toBe(firstToken);
    expect(await (await get(server, `/invitation?token=${firstToken}`)).text()).toContain("This link has been withdrawn.");

    const [second] = await server.app.db
      .select()
      .from(userTokens)
      .where(and(eq(userTokens.email, "maya@glowhome.com"), eq(userTokens.purpose, "invitation")))
      .orderBy(userTokens.createdAt)
      .offset(1);
    await decide(application.id, { intent: "revoke_invitation", invitationId: second!.id });
    expect(await (await get(server, `/invitation?token=${secondToken}`)).text()).toContain("This link has been withdrawn.");
    const actions = (await server.app.db.select().from(auditEvents).where(eq(auditEvents.subjectType, "partner"))).map((e) => e.action);
    expect(actions).toEqual(["partner.created", "partner.invitation_resent", "partner.invitation_revoked"]);

    // Another organisation's invitation cannot be reached through this application.
    const other = await createPartnerOrg(server.app.db, "Other Org");
    const [foreign] = await server.app.db
      .insert(userTokens)
      .values({
        purpose: "invitation",
        tokenHash: "x".repeat(64),
        email: "x@other.test",
        role: "partner",
        partnerOrgId: other.id,
        partnerRole: "owner",
        expiresAt: new Date(Date.now() + 86_400_000),
      })
      .returning();
    expect((await decide(application.id, { intent: "revoke_invitation", invitationId: foreign!.id })).status).toBe(404);
    expect((await server.app.db.select().from(userTokens).where(eq(userTokens.id, foreign!.id)))[0]!.revokedAt).toBeNull();
  });
});

describe("resending the owner's invitation", () => {
  it("is limited to one per 5 minutes and 5 a day, with a message saying when", async () => {
    const application = await submit();
    await decide(application.id, { intent: "approve", tier: "standard", commercialModel: "revenue_share", rate: "10" });
    const open = async () =>
      (
        await server.app.db
          .select()
          .from(userTokens)
          .where(and(eq(userTokens.email, "maya@glowhome.com"), isNull(userTokens.revokedAt)))
      )[0]!;
    await expectResendLimits({
      accepted: 302,
      at: (offset) => clock.setOffset(offset),
      emails: async () => (await emails()).length,
      resend: async () => {
        const response = await decide(application.id, { intent: "resend_invitation", invitationId: (await open()).id });
        return { status: response.status, text: await response.text() };
      },
    });
    expect((await eventsFor((await reload(application.id)).partnerOrgId!)).filter((e) => e.action === "partner.invitation_resent")).toHaveLength(6);
  });
});

describe("rejecting", () => {
  it("records the reason and note, tells the applicant when they may reapply, and the apply form enforces it", async () => {
    const application = await submit();
    const response = await decide(application.id, { intent: "reject", reason: "audience_fit", note: "Our program focuses on <b>B2B</b> installers." });
    expect(response.status).toBe(302);
    const after = await reload(application.id);
    expect(after).toMatchObject({
      status: "rejected",
      rejectionReason: "audience_fit",
      decisionNote: "Our program focuses on <b>B2B</b> installers.",
      partnerOrgId: null,
    });
    const reapplyFrom = formatDate(new Date(after.decidedAt!.getTime() + 30 * 86_400_000));
    const mail = await lastEmail();
    expect(mail.text).toContain("Reason: Audience is not a fit for the program.");
    expect(mail.text).toContain("Our program focuses on <b>B2B</b> installers.");
    expect(mail.html).toContain("&lt;b&gt;B2B&lt;/b&gt;");
    expect(mail.text).toContain(`apply again from ${reapplyFrom}`);
    const [event] = (await eventsFor(application.id)).slice(-1);
    expect(event).toMatchObject({ action: "application.rejected", actorLabel: "bea@brand.test" });

    const page = await (await get(server, `/admin/applications/${application.id}`, { Cookie: reviewerCookie })).text();
    expect(page).toContain("&lt;b&gt;B2B&lt;/b&gt;");
    expect(page).not.toContain("<b>B2B</b>");

    const body = new URLSearchParams({ ...ANSWERS, audienceSize: "85000", channels: "email", regions: "europe", email: "other@glowhome.com" });
    const reapply = await fetch(`${server.url}/apply`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
      body,
    });
    expect(reapply.status).toBe(409);
    expect(await reapply.text()).toContain(`You can apply again from ${reapplyFrom}`);
  });

  it("needs a reason from the list, and a note of reasonable length", async () => {
    const application = await submit();
    const noReason = await decide(application.id, { intent: "reject", reason: "" });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Choose a reason.");
    const longNote = await decide(application.id, { intent: "reject", reason: "other", note: "x".repeat(2001) });
    expect(await longNote.text()).toContain("The note must be at most 2000 characters.");
    expect((await reload(application.id)).status).toBe("submitted");
  });
});

describe("requesting information", () => {
  it("emails a link to amend the same application, which goes back to the queue rescored", async () => {
    const application = await submit({ website: "", regions: ["europe"] });
    expect(application.flagCodes).toContain("no_website");
    const asked = await decide(application.id, { intent: "request_info", message: "What is your website? <script>x</script>" });
    expect(asked.status).toBe(302);
    expect(await reload(application.id)).toMatchObject({ status: "info_requested", decisionNote: "What is your website? <script>x</script>" });
    const mail = await lastEmail();
    expect(mail.text).toContain(`${await canonicalOrigin(server.app)}/apply/amend?token=`);
    const token = tokenFrom(mail.text);
    expect((await reload(application.id)).amendTokenHash).not.toContain(token);

    // While the applicant is amending, reviewers cannot decide.
    const early = await decide(application.id, { intent: "approve", tier: "standard", commercialModel: "revenue_share", rate: "10" });
    expect(early.status).toBe(409);
    expect(await early.text()).toContain("You can decide once they send the updated application.");

    const form = await (await get(server, `/apply/amend?token=${token}`)).text();
    expect(form).toContain("What is your website? &lt;script&gt;x&lt;/script&gt;");
    expect(form).toContain('value="Glow Home Journal"');

    const amend = (fields: Record<string, string>) =>
      post(
        `/apply/amend?token=${token}`,
        [
          ...(Object.entries({ ...ANSWERS, token, email: "attacker@evil.test", ...fields }).filter(([, v]) => typeof v === "string") as [string, string][]),
          ["channels", "website_blog"],
          ["regions", "europe"],
        ],
        "",
      );
    const bad = await amend({ audienceSize: "many" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Enter your audience size as a number.");
    expect((await reload(application.id)).status).toBe("info_requested");

    const done = await amend({ website: "https://glowhome.com", audienceSize: "90000" });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`/apply/submitted?reference=${application.reference}&amended=1`);
    expect(await (await get(server, done.headers.get("location")!)).text()).toContain("back in our review queue");
    const after = await reload(application.id);
    expect(after).toMatchObject({
      status: "submitted",
      revision: 2,
      website: "https://glowhome.com",
      websiteDomain: "glowhome.com",
      audienceSize: 90000,
      email: "maya@glowhome.com",
    });
    expect(after.flagCodes).not.toContain("no_website");
    expect(after.flagCodes).not.toContain("duplicate_email");
    const [event] = (await eventsFor(application.id)).slice(-1);
    expect(event).toMatchObject({ action: "application.resubmitted" });
    expect(event!.data).toMatchObject({ revision: 2, changed: expect.arrayContaining(["website", "audienceSize"]) });

    const reused = await (await get(server, `/apply/amend?token=${token}`)).text();
    expect(reused).toContain("no longer waiting for an update");
    expect((await amend({})).status).toBe(410);
  });

  describe("with a reply and a file", () => {
    const FIXTURES = path.resolve("tests/fixtures");
    // A real PDF (the fixture's name is the hostile part in the asset tests).
    const PDF = fs.readFileSync(path.join(FIXTURES, "hostile/pdf-named.png"));

    /** Every object stored for replies (a refused upload must leave none). */
    function replyObjects(): string[] {
      const root = path.join((server.app.config.storage as { root: string }).root, "objects", "application-replies");
      if (!fs.existsSync(root)) return [];
      return fs
        .readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
    }

    async function askFor(message: string) {
      const application = await submit();
      await decide(application.id, { intent: "request_info", message });
      return { application, token: tokenFrom((await lastEmail()).text) };
    }

    function amendWith(token: string, fields: Record<string, string>, file?: { name: string; bytes: Buffer; type: string }) {
      const form = new FormData();
      form.append("token", token);
      for (const [key, value] of Object.entries({ ...ANSWERS, ...fields })) for (const v of [value].flat()) form.append(key, v);
      if (file) form.append("attachment", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
      return fetch(`${server.url}/apply/amend`, {
        method: "POST",
        redirect: "manual",
        body: form,
        headers: { Origin: server.url, "Sec-Fetch-Site": "same-origin" },
      });
    }

    it("stores the answer and the file, records it, and shows it to reviewers with the file as a guarded attachment", async () => {
      const { application, token } = await askFor("Can you send your media kit?");
      const sent = await amendWith(
        token,
        { reply: "Attached is our media kit.\r\nNumbers are from March." },
        { name: "media kit.pdf", bytes: PDF, type: "application/pdf" },
      );
      expect(sent.status).toBe(302);
      expect(sent.headers.get("location")).toBe(`/apply/submitted?reference=${application.reference}&amended=1`);
      expect(await reload(application.id)).toMatchObject({ status: "submitted", revision: 2 });

      const [reply] = await server.app.db.select().from(applicationReplies).where(eq(applicationReplies.applicationId, application.id));
      expect(reply).toMatchObject({
        revision: 2,
        message: "Attached is our media kit.\nNumbers are from March.",
        attachmentName: "media kit.pdf",
        attachmentContentType: "application/pdf",
        attachmentSize: PDF.length,
      });
      expect(reply!.attachmentKey).toBe(`application-replies/${reply!.id}/attachment`);
      const event = (await eventsFor(application.id)).find((e) => e.action === "application.reply_received");
      expect(event).toMatchObject({
        actorLabel: "maya@glowhome.com",
        data: {
          replyId: reply!.id,
          message: "Attached is our media kit.\nNumbers are from March.",
          attachment: { filename: "media kit.pdf", size: PDF.length },
        },
      });

      const page = await (await get(server, `/admin/applications/${application.id}`, { Cookie: reviewerCookie })).text();
      expect(page).toContain("Applicant replied");
      expect(page).toContain("Attached is our media kit.");
      const href = `/admin/applications/${application.id}/replies/${reply!.id}`;
      expect(page).toContain(`href="${href}"`);

      const download = await get(server, href, { Cookie: reviewerCookie });
      expect(download.status).toBe(200);
      expect(download.headers.get("content-type")).toBe("application/pdf");
      expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="media kit\.pdf"/);
      expect(download.headers.get("x-content-type-options")).toBe("nosniff");
      expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);

      // Not for partners, not for the anonymous, not through another application.
      const org = await createPartnerOrg(server.app.db, "Acme");
      const partner = await createUser(server.app.db, { role: "partner", partnerOrgId: org.id, partnerRole: "owner", email: "owner@acme.test" });
      expect((await get(server, href, { Cookie: await sessionCookieFor(server.app, partner.id) })).status).toBe(404);
      const anonymous = await get(server, href);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("location")).toMatch(/^\/login/);
      const other = await submit({ email: "other@elsewhere.com", website: "https://elsewhere.com" });
      expect((await get(server, `/admin/applications/${other.id}/replies/${reply!.id}`, { Cookie: reviewerCookie })).status).toBe(404);
      expect((await get(server, `/admin/applications/${application.id}/replies/not-an-id`, { Cookie: reviewerCookie })).status).toBe(404);
    });

    it("refuses a hostile file with 415 and keeps nothing: no object, no reply, the application still waiting", async () => {
      const { application, token } = await askFor("Proof of audience, please.");
      const before = replyObjects();
      const html = Buffer.from("<!doctype html><html><script>alert(document.cookie)</script></html>");
      const refused = await amendWith(token, { reply: "Here it is." }, { name: "stats.pdf", bytes: html, type: "application/pdf" });
      expect(refused.status).toBe(415);
      const body = await refused.text();
      expect(body).toContain("An attachment must be PDF or PNG or JPEG.");
      expect(body).toContain("Here it is.");
      expect(replyObjects()).toEqual(before);
      expect(await server.app.db.select().from(applicationReplies)).toHaveLength(0);
      expect(await reload(application.id)).toMatchObject({ status: "info_requested", revision: 1 });
      expect((await eventsFor(application.id)).map((e) => e.action)).not.toContain("application.reply_received");

      // A file is refused even when the link is no good, and nothing stays behind either.
      const badLink = await amendWith("not-a-token", {}, { name: "kit.pdf", bytes: PDF, type: "application/pdf" });
      expect(badLink.status).toBe(410);
      expect(replyObjects()).toEqual(before);
      // An answer over 2,000 characters is refused at its field.
      const long = await amendWith(token, { reply: "x".repeat(2001) }, { name: "kit.pdf", bytes: PDF, type: "application/pdf" });
      expect(long.status).toBe(400);
      expect(await long.text()).toContain("Your answer must be at most 2000 characters.");
      expect(replyObjects()).toEqual(before);
    });

    it("refuses a file over 10 MB with 413 and keeps nothing", async () => {
      const { token } = await askFor("Send the deck.");
      const before = replyObjects();
      const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
      const refused = await amendWith(token, {}, { name: "deck.pdf", bytes: big, type: "application/pdf" });
      expect(refused.status).toBe(413);
      expect(replyObjects()).toEqual(before);
      expect(await server.app.db.select().from(applicationReplies)).toHaveLength(0);
    });
  });

  it("shows a clear page for unknown and expired links", async () => {
    expect(await (await get(server, "/apply/amend?token=nope")).text()).toContain("This link is not valid.");
    const application = await submit();
    await decide(application.id, { intent: "request_info", message: "Tell us more." });
    const token = tokenFrom((await lastEmail()).text);
    clock.advance(AMEND_LINK_TTL_MS + 1000);
    expect(await (await get(server, `/apply/amend?token=${token}`)).text()).toContain("This link has expired.");
  });
});

describe("decisions on an application that is no longer pending", () => {
  it("are refused with a clear message and change nothing", async () => {
    const application = await submit();
    await decide(application.id, { intent: "reject", reason: "other" });
    const before = { emails: (await emails()).length, events: (await eventsFor(application.id)).length };
    const response = await decide(application.id, { intent: "approve", tier: "standard", commercialModel: "revenue_share", rate: "10" });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("This application was already rejected on");
    expect((await reload(application.id)).status).toBe("rejected");
    expect((await emails()).length).toBe(before.emails);
    expect((await eventsFor(application.id)).length).toBe(before.events);
  });

  it("let exactly one of two simultaneous decisions win", async () => {
    for (let round = 0; round < 3; round++) {
      const application = await submit({ email: `race${round}@glowhome${round}.com`, website: `https://glowhome${round}.com` });
      const results = await Promise.allSettled([
        approveApplication(
          server.app,
          reviewer,
          application.id,
          { intent: "approve", tier: "standard", commercialModel: "revenue_share", rate: 10, amount: undefined, currency: undefined },
          server.url,
        ),
        rejectApplication(server.app, reviewer, application.id, { intent: "reject", reason: "other", note: null }),
        rejectApplication(server.app, reviewer, application.id, { intent: "reject", reason: "audience_fit", note: null }),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(2);
      for (const loss of lost) {
        expect(loss.reason).toBeInstanceOf(DomainError);
        expect((loss.reason as DomainError).status).toBe(409);
      }
      const decisions = (await eventsFor(application.id)).filter((e) => e.action !== "application.submitted");
      expect(decisions).toHaveLength(1);
      const after = await reload(application.id);
      expect(
        await server.app.db
          .select()
          .from(partnerOrganisations)
          .where(eq(partnerOrganisations.id, after.partnerOrgId ?? "00000000-0000-4000-8000-000000000000")),
      ).toHaveLength(after.status === "approved" ? 1 : 0);
    }
    const approvals = await server.app.db.select().from(applications).where(eq(applications.status, "approved"));
    expect(await server.app.db.select().from(partnerOrganisations)).toHaveLength(approvals.length);
  });
});

describe("the review queue", () => {
  it("filters by status, partner type and region, sorts by score or age, and pages", async () => {
    const strong = await submit({ company: "Strong", email: "s@strong.com", website: "https://strong.com", audienceSize: "500000" });
    const weak = await submit({
      company: "Weak",
      email: "w@mailinator.com",
      website: "",
      partnerType: "affiliate",
      audienceSize: "10",
      regions: ["asia_pacific"],
      channels: ["paid_social"],
    });
    const decided = await submit({ company: "Decided", email: "d@decided.com", website: "https://decided.com" });
    await rejectApplication(server.app, reviewer, decided.id, { intent: "reject", reason: "other", note: null });
    await server.app.db
      .update(applications)
      .set({ submittedAt: new Date(Date.now() - 86_400_000) })
      .where(eq(applications.id, weak.id));

    const list = async (query: string, page = 1) =>
      (await listApplications(server.app.db, queueFiltersFrom(new URL(`http://x/?${query}`)), page)).rows.map((r) => r.company);
    expect(strong.fitScore).toBeGreaterThan(weak.fitScore);
    expect(await list("")).toEqual(["Strong", "Weak"]);
    expect(await list("sort=oldest")).toEqual(["Weak", "Strong"]);
    expect(await list("sort=newest")).toEqual(["Strong", "Weak"]);
    expect(await list("type=affiliate")).toEqual(["Weak"]);
    expect(await list("region=asia_pacific")).toEqual(["Weak"]);
    expect(await list("region=europe&type=affiliate")).toEqual([]);
    expect(await list("status=rejected")).toEqual(["Decided"]);
    expect(await list("status=all&sort=nonsense")).toHaveLength(3);
    expect(await list("status=drop table")).toEqual(["Strong", "Weak"]);

    for (let i = 0; i < 26; i++) await submit({ company: `Bulk ${i}`, email: `bulk${i}@bulk${i}.com`, website: `https://bulk${i}.com` });
    const first = await listApplications(server.app.db, queueFiltersFrom(new URL("http://x/")), 1);
    const second = await listApplications(server.app.db, queueFiltersFrom(new URL("http://x/")), 2);
    expect(first).toMatchObject({ total: 28, pageCount: 2 });
    expect(first.rows).toHaveLength(25);
    expect(second.rows).toHaveLength(3);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(28);
  });

  it("shows score and flags per row, escapes what applicants typed, and keeps internal columns off the page", async () => {
    const application = await submit({ company: "<img src=x onerror=alert(1)>", email: "x@mailinator.com" });
    const queue = await get(server, "/admin/applications", { Cookie: reviewerCookie });
    expect(queue.status).toBe(200);
    const html = await queue.text();
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("Disposable email");
    expect(html).toContain(`>${application.fitScore}<`);

    await decide(application.id, { intent: "request_info", message: "More please." });
    const [row] = await server.app.db.select().from(applications);
    const detail = await (await get(server, `/admin/applications/${application.id}`, { Cookie: reviewerCookie })).text();
    expect(detail).toContain("Audience fit");
    expect(detail).toContain("More information requested");
    expect(detail).not.toContain(row!.amendTokenHash!);
    expect(detail).not.toContain("192.0.2.");
  });
});

describe("who may review", () => {
  it("is admins and brand reviewers; other staff get 403, partners 404 and visitors the sign-in page", async () => {
    const application = await submit();
    const admin = await createUser(server.app.db, { role: "admin" });
    const analyst = await createUser(server.app.db, { role: "analyst" });
    const legal = await createUser(server.app.db, { role: "legal_reviewer" });
    const org = await createPartnerOrg(server.app.db);
    const partner = await createUser(server.app.db, { role: "partner", partnerOrgId: org.id });
    const paths = ["/admin/applications", `/admin/applications/${application.id}`];
    for (const path of paths) {
      expect((await get(server, path, { Cookie: await sessionCookieFor(server.app, admin.id) })).status).toBe(200);
      expect((await get(server, path, { Cookie: await sessionCookieFor(server.app, analyst.id) })).status).toBe(403);
      expect((await get(server, path, { Cookie: await sessionCookieFor(server.app, legal.id) })).status).toBe(403);
      expect((await get(server, path, { Cookie: await sessionCookieFor(server.app, partner.id) })).status).toBe(404);
      const anonymous = await get(server, path);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    }
    const approve = { intent: "approve", tier: "standard", commercialModel: "revenue_share", rate: "10" };
    expect((await decide(application.id, approve, await sessionCookieFor(server.app, partner.id))).status).toBe(404);
    expect((await decide(application.id, approve, await sessionCookieFor(server.app, analyst.id))).status).toBe(403);
    expect((await decide(application.id, approve, "")).status).toBe(302);
    expect((await reload(application.id)).status).toBe("submitted");
    expect((await get(server, "/admin/applications/not-a-uuid", { Cookie: reviewerCookie })).status).toBe(404);
    expect((await get(server, "/admin/applications/00000000-0000-4000-8000-000000000000", { Cookie: reviewerCookie })).status).toBe(404);
  });

  it("refuses unknown decisions", async () => {
    const application = await submit();
    const response = await decide(application.id, { intent: "delete" });
    expect(response.status).toBe(400);
    expect((await decide(application.id, { intent: "revoke_invitation", invitationId: "1 or 1=1" })).status).toBe(400);
  });
});

describe("the status check", () => {
  const check = (reference: string, email: string) =>
    fetch(`${server.url}/apply/status`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
      body: new URLSearchParams({ reference, email }),
    });
  const answer = async (response: Response) => {
    const html = await response.text();
    return /<h1 id="status-title">[\s\S]*?<form/.exec(html)?.[0] ?? html;
  };

  it("shows the status for the right pair, the same answer for a wrong email or an unknown reference", async () => {
    const application = await submit();
    const found = await check(application.reference.toLowerCase(), "MAYA@glowhome.com");
    expect(found.status).toBe(200);
    expect(await found.text()).toContain("Pending review");

    await rejectApplication(server.app, reviewer, application.id, { intent: "reject", reason: "other", note: null });
    const rejected = await (await check(application.reference, "maya@glowhome.com")).text();
    expect(rejected).toContain("You can apply again from");

    const wrongEmail = await answer(await check(application.reference, "someone@else.com"));
    const unknown = await answer(await check("APP-ZZZZZZZZ", "maya@glowhome.com"));
    expect(wrongEmail).toContain("No application matches this reference and email address.");
    expect(wrongEmail).toBe(unknown);
  });

  it("is one field away from the confirmation: its link and email carry the reference, and the page fills it in", async () => {
    const application = await submit();
    const [mail] = await emails();
    expect(mail!.payload.text).toContain(`/apply/status?reference=${application.reference}`);

    const prefilled = await (await get(server, `/apply/status?reference=${application.reference.toLowerCase()}`)).text();
    expect(prefilled).toMatch(new RegExp(`<input[^>]*name="reference"[^>]*value="${application.reference}"`));
    expect(prefilled).toContain("Your reference is filled in: enter the email address you applied with.");
    // Nothing usable in the query fills nothing, and nothing is echoed unescaped.
    const junk = await (await get(server, `/apply/status?reference=${encodeURIComponent('"><script>x</script>' + "A".repeat(50))}`)).text();
    expect(junk).not.toContain("<script>x");
    expect(junk).toMatch(/<input[^>]*name="reference"(?![^>]*value=)[^>]*>/);

    const found = await check(application.reference, "maya@glowhome.com");
    expect(await found.text()).toContain("Pending review");
  });

  it("is rate-limited", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 21; i++) last = await check("APP-ZZZZZZZZ", "x@y.com");
    expect(last!.status).toBe(429);
    expect(await last!.text()).toContain("Too many status checks");
  });
});

describe("the queue", () => {
  it("writes each application's age by the context's clock, the time its data was read, so the browser's hydration writes the same words", async () => {
    await submit();
    clock.advance(3 * 60 * 60 * 1000 + 20 * 60 * 1000);
    const page = await (await get(server, "/admin/applications", { Cookie: reviewerCookie })).text();
    expect(page).toContain("3 hours ago");
    expect(page).not.toContain("just now");
  });
});
