import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, creatives, linkClicks, outboxMessages, partnerOrganisations, userTokens, type EmailPayload } from "#db/schema/index";
import { recordConversion } from "~/domain/conversions/conversions.server";
import { createCoupon } from "~/domain/conversions/coupons.server";
import { pausePartner, resumePartner, terminatePartner } from "~/domain/partners/lifecycle.server";
import { resetDatabase } from "../support/db";
import { createUser, sessionCookieFor, signedIn } from "../support/context";
import { conversionBody } from "../support/conversions";
import { submittedCreative } from "../support/creatives";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";
import { evergreenLink, FALLBACK_URL, linkProgram, partnerWithLink, type LinkProgram } from "../support/links";
import { seedReviewCreative } from "../support/review-fixtures";

// The kill switch end to end on one server (the app and its redirect, as
// server/index.ts composes them): the admin's Status card, what the cascade
// stops at once, what resuming gives back, and what terminating ends.

let server: TestServer;
let program: LinkProgram;
let admin: Awaited<ReturnType<typeof signedIn>>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  // The previous test's clicks are written in the background up to a second later: written now, they are not in the way of the reset.
  await server.app.flushClicks?.();
  await resetDatabase(server.app.db);
  program = await linkProgram(server.app);
  admin = await signedIn(server.app, { role: "admin", name: "Ada Admin", email: "ada@brand.test" });
});

const REASON = "A misleading claim about energy savings on the spring campaign.";
const ORIGIN = "https://cobrand.test";

const partnerPage = (id: string) => `/admin/partners/${id}`;
const post = (id: string, fields: Record<string, string>, cookie = admin.cookie) => postForm(server, partnerPage(id), fields, { Cookie: cookie });
const text = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");

async function statusOf(id: string) {
  const [org] = await server.app.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, id));
  return org!;
}

async function lifecycleEvents(id: string) {
  const rows = await server.app.db.select().from(auditEvents).where(eq(auditEvents.partnerOrgId, id)).orderBy(auditEvents.id);
  return rows.filter((r) => ["partner.paused", "partner.resumed", "partner.terminated"].includes(r.action));
}

async function emails(): Promise<EmailPayload[]> {
  return (await server.app.db.select().from(outboxMessages).orderBy(outboxMessages.id)).map((m) => m.payload as EmailPayload);
}

/** A visitor's click on the short link, through the server's redirect (not followed). */
const click = (code: string) => fetch(`${server.url}/l/${code}`, { redirect: "manual", headers: { "User-Agent": "Mozilla/5.0 Chrome/131.0" } });

/** Polls until `condition` holds: LISTEN/NOTIFY reaches the redirect's cache asynchronously. */
async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An image asset every tier sees, uploaded by the admin as the asset hub does. */
async function uploadedAsset(): Promise<string> {
  const form = new FormData();
  form.append("kind", "image");
  form.append("file", new Blob([new Uint8Array(fs.readFileSync(path.resolve("tests/fixtures/photo.jpg")))], { type: "image/jpeg" }), "photo.jpg");
  for (const [key, value] of Object.entries({ title: "Spring photo", visibility: "all", allowOriginal: "on" })) form.append(key, value);
  const response = await fetch(`${server.url}/admin/assets/upload`, {
    method: "POST",
    body: form,
    headers: { Cookie: admin.cookie, Origin: server.url, "Sec-Fetch-Site": "same-origin" },
  });
  const body = (await response.json()) as { ok: boolean; location: string };
  expect(body.ok).toBe(true);
  return body.location.split("?")[0]!.split("/").pop()!;
}

describe("the lifecycle's transitions", () => {
  it("pauses, resumes and terminates an active partner, each on record with its reason and from/to status", async () => {
    const { org } = await partnerWithLink(server.app, "Northwind");
    await server.app.db.update(partnerOrganisations).set({ activatedAt: new Date() }).where(eq(partnerOrganisations.id, org.id));

    const paused = await post(org.id, { intent: "pause", reason: REASON });
    expect(paused.status).toBe(302);
    const page = await text(await follow(server, paused, admin.cookie));
    expect(toastIn(page)).toMatch(/^Partner paused: their links go to the fallback page\./);
    expect(page).toContain("Paused since");
    expect(page).toContain(REASON);
    expect(page).toContain("Resume partner");
    expect(await statusOf(org.id)).toMatchObject({ status: "paused", statusReason: REASON });
    expect((await statusOf(org.id)).pausedAt).toBeInstanceOf(Date);

    expect((await post(org.id, { intent: "resume", reason: "Claim corrected." })).status).toBe(302);
    expect(await statusOf(org.id)).toMatchObject({ status: "active", pausedAt: null, statusReason: null });

    expect((await post(org.id, { intent: "terminate", reason: "Repeated misleading claims.", confirmation: " northwind " })).status).toBe(302);
    expect(await statusOf(org.id)).toMatchObject({ status: "terminated", statusReason: "Repeated misleading claims." });

    const events = await lifecycleEvents(org.id);
    expect(events.map((e) => [e.action, e.actorLabel, e.data])).toEqual([
      ["partner.paused", "ada@brand.test", expect.objectContaining({ from: "active", to: "paused", reason: REASON })],
      ["partner.resumed", "ada@brand.test", expect.objectContaining({ from: "paused", to: "active", reason: "Claim corrected." })],
      ["partner.terminated", "ada@brand.test", expect.objectContaining({ from: "active", to: "terminated", reason: "Repeated misleading claims." })],
    ]);
  });

  it("resumes a partner paused during onboarding to onboarding, and may terminate one that never started", async () => {
    const { org } = await partnerWithLink(server.app, "Early Co");
    await server.app.db.update(partnerOrganisations).set({ status: "onboarding", activatedAt: null }).where(eq(partnerOrganisations.id, org.id));
    await pausePartner(server.app, program.adminActor, org.id, { reason: REASON }, ORIGIN);
    expect((await resumePartner(server.app, program.adminActor, org.id, {}, ORIGIN)).status).toBe("onboarding");
    expect((await terminatePartner(server.app, program.adminActor, org.id, { reason: REASON, confirmation: "Early Co" }, ORIGIN)).status).toBe("terminated");
  });

  it("answers 409 to resuming a partner that is not paused, to pausing a paused one, and to anything after termination", async () => {
    const { org } = await partnerWithLink(server.app, "Northwind");
    const notPaused = await post(org.id, { intent: "resume" });
    expect(notPaused.status).toBe(409);
    expect(await text(notPaused)).toContain("This partner is active, not paused: there is nothing to resume.");

    await pausePartner(server.app, program.adminActor, org.id, { reason: REASON }, ORIGIN);
    expect((await post(org.id, { intent: "pause", reason: REASON })).status).toBe(409);

    await terminatePartner(server.app, program.adminActor, org.id, { reason: REASON, confirmation: "Northwind" }, ORIGIN);
    const attempts: Record<string, string>[] = [
      { intent: "pause", reason: REASON },
      { intent: "resume" },
      { intent: "terminate", reason: REASON, confirmation: "Northwind" },
    ];
    for (const fields of attempts) {
      const response = await post(org.id, fields);
      expect(response.status, fields.intent).toBe(409);
      expect(await text(response)).toContain("terminated, which is final");
    }
    expect((await lifecycleEvents(org.id)).map((e) => e.action)).toEqual(["partner.paused", "partner.terminated"]);
    // A terminated partner's page offers no lifecycle action any more.
    const page = await text(await get(server, partnerPage(org.id), { Cookie: admin.cookie }));
    expect(page).toContain("Terminated on");
    expect(page).not.toContain("Pause partner");
    expect(page).not.toContain("Terminate partnership");
  });

  it("keeps what was typed on bad input: an empty reason, a missing or wrong confirmation", async () => {
    const { org } = await partnerWithLink(server.app, "Northwind");
    const noReason = await post(org.id, { intent: "pause", reason: "   " });
    expect(noReason.status).toBe(400);
    expect(await text(noReason)).toContain("The reason is required.");

    const noConfirmation = await post(org.id, { intent: "terminate", reason: "Ended by contract.", confirmation: "" });
    expect(noConfirmation.status).toBe(400);
    const missing = await text(noConfirmation);
    expect(missing).toMatch(/confirm[^<]*is required/);
    expect(missing).toContain("Ended by contract.");

    const wrong = await post(org.id, { intent: "terminate", reason: "Ended by contract.", confirmation: "Southwind" });
    expect(wrong.status).toBe(400);
    const html = await text(wrong);
    expect(html).toContain("Type the partner&#x27;s name, Northwind, to confirm.");
    expect(html).toContain("Ended by contract.");
    expect(html).toContain('value="Southwind"');
    expect(await statusOf(org.id)).toMatchObject({ status: "active" });
    expect(await lifecycleEvents(org.id)).toEqual([]);
  });
});

describe("the kill switch", () => {
  it("sends the partner's link to the fallback at once, refuses downloads, kits, submissions and links, withdraws open submissions, and tells the members", async () => {
    const partner = await partnerWithLink(server.app, "Northwind");
    const member = await createUser(server.app.db, {
      role: "partner",
      partnerOrgId: partner.org.id,
      partnerRole: "member",
      email: "member@northwind.test",
      name: "Mo Member",
    });
    const open = await submittedCreative(server.app, partner);
    const decided = await seedReviewCreative(server.app.db, {
      organisationId: partner.org.id,
      authorId: partner.user.id,
      title: "Approved autumn banner",
      status: "approved",
      versions: [{}],
    });
    const assetId = await uploadedAsset();
    const ownerCookie = await sessionCookieFor(server.app, partner.user.id);
    const download = `/partner/assets/${assetId}/download?format=png&width=256`;
    expect((await get(server, download, { Cookie: ownerCookie })).status).toBe(200);
    // The redirect caches the live link first (ten minutes would pass before its TTL ran out).
    expect((await click(partner.link.code)).headers.get("location")).toMatch(/^https:\/\/shop\.example\/lamps/);
    expect(server.runtime.links.resolver.cachedLink(partner.link.code)).toMatchObject({ partnerStatus: "active" });

    expect((await post(partner.org.id, { intent: "pause", reason: REASON })).status).toBe(302);

    // Links: the cache was told on commit; the very next click goes to the fallback, recorded as partner_paused.
    await eventually(() => server.runtime.links.resolver.cachedLink(partner.link.code) === undefined);
    expect((await click(partner.link.code)).headers.get("location")).toBe(FALLBACK_URL);
    await server.runtime.links.recorder.flush();
    const clicks = await server.app.db.select().from(linkClicks).where(eq(linkClicks.linkId, partner.link.id)).orderBy(linkClicks.clickedAt);
    expect(clicks.map((c) => c.fallbackReason)).toEqual([null, "partner_paused"]);

    // Downloads and kits: refused with the reason.
    const refused = await get(server, download, { Cookie: ownerCookie });
    expect(refused.status).toBe(403);
    expect(await text(refused)).toContain("Your partnership is paused, so assets and kits cannot be downloaded.");
    expect((await get(server, `/partner/kits/${crypto.randomUUID()}/download`, { Cookie: ownerCookie })).status).toBe(403);

    // Submissions: the open one withdrawn with the reason the partner reads; the decided one untouched.
    const [withdrawn] = await server.app.db.select().from(creatives).where(eq(creatives.id, open.id));
    expect(withdrawn).toMatchObject({ status: "withdrawn", withdrawnReason: `The partnership was paused: ${REASON}` });
    const [kept] = await server.app.db.select().from(creatives).where(eq(creatives.id, decided.id));
    expect(kept!.status).toBe("approved");
    const creativePage = await text(await get(server, `/partner/creatives/${open.id}`, { Cookie: ownerCookie }));
    expect(creativePage).toContain(`The partnership was paused: ${REASON}`);
    await expect(submittedCreative(server.app, partner)).rejects.toThrow("Your partnership is paused");

    // Evergreen links: refused.
    await expect(evergreenLink(server.app, partner)).rejects.toThrow("Your partnership is paused, so no new links can be made.");

    // The partner area says so on every page.
    const home = await text(await get(server, "/partner", { Cookie: ownerCookie }));
    expect(home).toContain("Your partnership is paused");
    expect(home).toContain(REASON);

    // Every member was emailed, with the reason and what it means.
    const sent = (await emails()).filter((e) => e.subject.includes("is paused"));
    expect(sent.map((e) => e.to).sort()).toEqual([member.email, partner.user.email].sort());
    expect(sent[0]!.text).toContain(`Why: ${REASON}`);
    expect(sent[0]!.text).toContain("fallback page");
    expect(sent[0]!.text).toContain("1 creative that was waiting for review was withdrawn.");

    const [event] = await lifecycleEvents(partner.org.id);
    expect(event!.data).toMatchObject({ withdrawn: 1, notified: 2, signedOut: 0, invitationsRevoked: 0 });
  });

  it("stops a paused partner's coupon from attributing; the click rule still applies", async () => {
    const { org } = await partnerWithLink(server.app, "Northwind");
    await createCoupon(server.app, program.adminActor, org.id, { code: "NORTH10", expiresOn: null });
    const occurredAt = new Date(Date.now() - 60_000).toISOString();
    const before = await recordConversion(server.app, { input: conversionBody({ couponCode: "NORTH10", occurredAt }), apiKeyId: null });
    expect(before.conversion.attribution).toMatchObject({ attributedBy: "coupon", partner: { id: org.id } });

    await pausePartner(server.app, program.adminActor, org.id, { reason: REASON }, ORIGIN);
    const after = await recordConversion(server.app, { input: conversionBody({ couponCode: "NORTH10", occurredAt }), apiKeyId: null });
    expect(after.conversion.attribution).toMatchObject({
      attributedBy: "none",
      partner: null,
      notes: [{ kind: "coupon_partner_inactive", code: "NORTH10", partnerStatus: "paused" }],
    });
  });

  it("gives back on resume what the pause stopped: the link, downloads and new links; withdrawn submissions stay withdrawn", async () => {
    const partner = await partnerWithLink(server.app, "Northwind");
    const open = await submittedCreative(server.app, partner);
    const assetId = await uploadedAsset();
    const ownerCookie = await sessionCookieFor(server.app, partner.user.id);
    await pausePartner(server.app, program.adminActor, partner.org.id, { reason: REASON }, ORIGIN);
    expect((await click(partner.link.code)).headers.get("location")).toBe(FALLBACK_URL);

    const resumed = await post(partner.org.id, { intent: "resume" });
    expect(toastIn(await text(await follow(server, resumed, admin.cookie)))).toMatch(/^Partner resumed: their links are live again\./);
    await eventually(() => server.runtime.links.resolver.cachedLink(partner.link.code) === undefined);
    expect((await click(partner.link.code)).headers.get("location")).toMatch(/^https:\/\/shop\.example\/lamps/);
    expect((await get(server, `/partner/assets/${assetId}/download?format=png&width=256`, { Cookie: ownerCookie })).status).toBe(200);
    await expect(evergreenLink(server.app, partner, undefined, "Autumn lamps")).resolves.toMatchObject({ status: "active" });
    const [creative] = await server.app.db.select().from(creatives).where(eq(creatives.id, open.id));
    expect(creative!.status).toBe("withdrawn");
    expect(await text(await get(server, "/partner", { Cookie: ownerCookie }))).not.toContain("Your partnership is paused");
    const resumedMail = (await emails()).find((e) => e.subject.includes("is active again"));
    expect(resumedMail?.text).toContain("Your links send visitors to their destinations again");
  });

  it("on terminate, signs every member out and revokes open invitations, and leaves other partners alone", async () => {
    const partner = await partnerWithLink(server.app, "Northwind");
    const other = await partnerWithLink(server.app, "Southwind");
    const member = await createUser(server.app.db, { role: "partner", partnerOrgId: partner.org.id, partnerRole: "member", email: "member@northwind.test" });
    const ownerCookie = await sessionCookieFor(server.app, partner.user.id);
    const memberCookie = await sessionCookieFor(server.app, member.id);
    const otherCookie = await sessionCookieFor(server.app, other.user.id);
    const expiresAt = new Date(Date.now() + 86_400_000);
    const invitation = { purpose: "invitation" as const, role: "partner" as const, partnerRole: "member" as const, expiresAt };
    await server.app.db.insert(userTokens).values([
      { ...invitation, tokenHash: "northwind-open", email: "new@northwind.test", partnerOrgId: partner.org.id },
      { ...invitation, tokenHash: "southwind-open", email: "new@southwind.test", partnerOrgId: other.org.id },
    ]);
    expect((await get(server, "/partner", { Cookie: memberCookie })).status).toBe(200);

    const terminated = await post(partner.org.id, { intent: "terminate", reason: "Contract ended for cause.", confirmation: "Northwind" });
    expect(toastIn(await text(await follow(server, terminated, admin.cookie)))).toContain("2 members were signed out and 1 invitation was withdrawn.");

    for (const cookie of [ownerCookie, memberCookie]) {
      const response = await get(server, "/partner", { Cookie: cookie });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/^\/login/);
    }
    expect((await get(server, "/partner", { Cookie: otherCookie })).status).toBe(200);
    const tokens = await server.app.db.select().from(userTokens).where(eq(userTokens.purpose, "invitation"));
    expect(tokens.find((t) => t.tokenHash === "northwind-open")!.revokedAt).toBeInstanceOf(Date);
    expect(tokens.find((t) => t.tokenHash === "southwind-open")!.revokedAt).toBeNull();

    await eventually(() => server.runtime.links.resolver.cachedLink(partner.link.code) === undefined);
    expect((await click(partner.link.code)).headers.get("location")).toBe(FALLBACK_URL);
    expect((await click(other.link.code)).headers.get("location")).toMatch(/^https:\/\/shop\.example\//);
    await server.runtime.links.recorder.flush();
    const [fallbackClick] = await server.app.db
      .select()
      .from(linkClicks)
      .where(and(eq(linkClicks.linkId, partner.link.id), eq(linkClicks.fallbackReason, "partner_terminated")));
    expect(fallbackClick).toBeDefined();

    const sent = (await emails()).filter((e) => e.subject.includes("has ended"));
    expect(sent.map((e) => e.to).sort()).toEqual([member.email, partner.user.email].sort());
    expect(sent[0]!.text).toContain("Why: Contract ended for cause.");
    expect(sent[0]!.text).toContain("every member of your team was signed out");
    const [event] = await lifecycleEvents(partner.org.id);
    expect(event!.data).toMatchObject({ from: "active", to: "terminated", signedOut: 2, invitationsRevoked: 1 });
  });

  it("refuses the lifecycle to every role but admin", async () => {
    const { org } = await partnerWithLink(server.app, "Northwind");
    for (const role of ["brand_reviewer", "legal_reviewer", "analyst"] as const) {
      const user = await signedIn(server.app, { role, email: `${role}@brand.test` });
      const page = await text(await get(server, partnerPage(org.id), { Cookie: user.cookie }));
      expect(page, role).not.toContain("Pause partner");
      expect((await post(org.id, { intent: "pause", reason: REASON }, user.cookie)).status, role).toBe(403);
    }
    expect(await statusOf(org.id)).toMatchObject({ status: "active" });
  });
});
