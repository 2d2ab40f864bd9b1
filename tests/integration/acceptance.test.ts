import crypto from "node:crypto";
import path from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, outboxMessages, partnerOrganisations, policyAcceptances, sessions, userTokens, users } from "#db/schema/index";
import { acceptPolicyVersion, policyStandingFor } from "~/domain/policies/acceptance.server";
import { coverageByVersion, coverageOfVersion } from "~/domain/policies/coverage.server";
import { POLICIES_PATH } from "~/domain/policies/catalog";
import type { AdjustableClock } from "~/lib/clock";
import { slugify } from "~/lib/slug";
import { resetDatabase } from "../support/db";
import { adjustableClockFor, createPartner, createPartnerOrg, createUser, publishPolicy as publishPolicyVersion, sessionCookieFor } from "../support/context";
import { cookieFrom, follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";
import { expectResendLimits } from "../support/resend";
import { HTTP_REDIRECT_VECTORS, staysOnSite } from "../fixtures/open-redirect-vectors";

let server: TestServer;
beforeAll(async () => {
  // Behind one trusted proxy, as in production: evidence records the client's address, not the proxy's.
  server = await startTestServer({ configure: (config) => ({ ...config, trustProxy: "loopback" }) });
});
afterAll(() => server.close());
let clock: AdjustableClock;
beforeEach(async () => {
  clock = adjustableClockFor(server.app);
  await resetDatabase(server.app.db);
});

const publishPolicy = (title: string, body: string, options: { required?: boolean; material?: boolean; policyId?: string } = {}) =>
  publishPolicyVersion(server.app, { title, body, ...options });

/** A signed-in partner person, and what acceptPolicyVersion takes for them. */
async function partner(orgName = "Acme Media", role: "owner" | "member" = "owner", org?: Awaited<ReturnType<typeof createPartnerOrg>>) {
  const email = `${role}-${crypto.randomBytes(3).toString("hex")}@${slugify(orgName, { fallback: "org" })}.test`;
  const who = await createPartner(server.app, { name: orgName, role, org, email });
  return { ...who, accepting: { id: who.user.id, email: who.user.email, partnerOrgId: who.org.id, partnerRole: role } };
}

const meta = { ip: "198.51.100.7", userAgent: "vitest" };

async function acceptAll(who: Awaited<ReturnType<typeof partner>>) {
  for (const p of await policyStandingFor(server.app.db, who.user.id)) {
    if (p.state !== "accepted") await acceptPolicyVersion(server.app, who.accepting, { versionId: p.versionId, contentHash: p.contentHash }, meta);
  }
}

describe("acceptance evidence", () => {
  it("records user, organisation, version, hash, time, client IP and user agent, audited, and can never change", async () => {
    const { policyId, version } = await publishPolicy("Program terms", "Be honest.");
    const acme = await partner();
    const page = await get(server, `/partner/policies/${policyId}`, { Cookie: acme.cookie });
    expect(page.status).toBe(200);
    const response = await postForm(
      server,
      `/partner/policies/${policyId}`,
      { versionId: version.id, contentHash: version.contentHash!, confirm: "on", redirectTo: "/partner" },
      { Cookie: acme.cookie, "X-Forwarded-For": "203.0.113.9", "User-Agent": "Mozilla/5.0 (Evidence)" },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/partner");

    const [row] = await server.app.db.select().from(policyAcceptances);
    expect(row).toMatchObject({
      userId: acme.user.id,
      partnerOrgId: acme.org.id,
      policyVersionId: version.id,
      contentHash: version.contentHash,
      ipAddress: "203.0.113.9",
      userAgent: "Mozilla/5.0 (Evidence)",
    });
    expect(Date.now() - row!.acceptedAt.getTime()).toBeLessThan(60_000);
    const [event] = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "policy.accepted"));
    expect(event).toMatchObject({ actorId: acme.user.id, partnerOrgId: acme.org.id, subjectId: row!.id, ip: "203.0.113.9" });

    await expect(
      server.app.db
        .update(policyAcceptances)
        .set({ contentHash: "0".repeat(64) })
        .where(eq(policyAcceptances.id, row!.id)),
    ).rejects.toThrow();
    await expect(server.app.db.delete(policyAcceptances).where(eq(policyAcceptances.id, row!.id))).rejects.toThrow();
    const [still] = await server.app.db.select().from(policyAcceptances);
    expect(still!.contentHash).toBe(version.contentHash);

    // Accepting twice records once.
    const again = await acceptPolicyVersion(server.app, acme.accepting, { versionId: version.id, contentHash: version.contentHash! }, meta);
    expect(again.alreadyAccepted).toBe(true);
    expect(await server.app.db.select().from(policyAcceptances)).toHaveLength(1);
  });

  it("shows the organisation's record and printable receipts, and never another organisation's", async () => {
    const { policyId, version } = await publishPolicy("Program terms", "Text <b>bold</b> & more");
    const acme = await partner("Acme Media");
    const rival = await partner("Rival Co");
    await acceptAll(acme);
    const [acceptance] = await server.app.db.select().from(policyAcceptances);
    const list = await (await get(server, "/partner/policies", { Cookie: acme.cookie })).text();
    expect(list).toContain(`/partner/policies/receipts/${acceptance!.id}`);
    const receipt = await get(server, `/partner/policies/receipts/${acceptance!.id}`, { Cookie: acme.cookie });
    expect(receipt.status).toBe(200);
    const html = await receipt.text();
    expect(html).toContain(version.contentHash!);
    expect(html).toContain("198.51.100.7");
    expect(html).toContain("Acme Media");
    expect(html).not.toContain("<b>bold</b>");

    // The rival organisation: its own list is empty, the receipt id of Acme is not found, the policy reads fine.
    expect(await (await get(server, "/partner/policies", { Cookie: rival.cookie })).text()).not.toContain(acceptance!.id);
    expect((await get(server, `/partner/policies/receipts/${acceptance!.id}`, { Cookie: rival.cookie })).status).toBe(404);
    expect((await get(server, `/partner/policies/${policyId}`, { Cookie: rival.cookie })).status).toBe(200);
  });

  it("refuses bad input on the accept form with a clear message and writes nothing", async () => {
    const { policyId, version } = await publishPolicy("Program terms", "Version one.");
    const acme = await partner();
    const path = `/partner/policies/${policyId}`;
    const unticked = await postForm(server, path, { versionId: version.id, contentHash: version.contentHash! }, { Cookie: acme.cookie });
    expect(unticked.status).toBe(400);
    expect(await unticked.text()).toContain("Tick the box to confirm you have read and accept this policy.");
    const garbage = await postForm(server, path, { versionId: "not-a-uuid", contentHash: "x", confirm: "on" }, { Cookie: acme.cookie });
    expect(garbage.status).toBe(400);
    expect(await garbage.text()).toContain("This form is out of date. Reload the page.");
    const unknown = await postForm(server, path, { versionId: crypto.randomUUID(), contentHash: version.contentHash!, confirm: "on" }, { Cookie: acme.cookie });
    expect(unknown.status).toBe(404);

    // The text changed while the partner was reading: the old version cannot be accepted any more.
    await publishPolicy("Program terms", "Version two.", { policyId });
    const stale = await postForm(server, path, { versionId: version.id, contentHash: version.contentHash!, confirm: "on" }, { Cookie: acme.cookie });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("This policy was updated while you were reading it.");
    const foreignRedirect = await postForm(
      server,
      path,
      { versionId: version.id, contentHash: "f".repeat(64), confirm: "on", redirectTo: "//evil.test" },
      { Cookie: acme.cookie },
    );
    expect(foreignRedirect.status).toBe(409);
    expect(await server.app.db.select().from(policyAcceptances)).toHaveLength(0);
  });
});

describe("the gate", () => {
  const BUILD = path.resolve("build/remix/index.js");
  // The policy pages themselves (reading, accepting, receipts) stay open to a gated partner.
  const OPEN = new Set(["routes/partner.policies._index", "routes/partner.policies.$policyId", "routes/partner.policies.receipts.$acceptanceId"]);

  it("closes every partner route of the manifest until the required policies are accepted", async () => {
    const build = (await import(BUILD)) as ServerBuild;
    const fullPath = (id: string): string => {
      const route = build.routes[id]!;
      const parent = route.parentId ? fullPath(route.parentId) : "";
      return [parent, route.path ?? ""].filter(Boolean).join("/");
    };
    const partnerRoutes = Object.values(build.routes).filter((r) => fullPath(r.id).split("/")[0] === "partner" && r.id !== "routes/partner");
    expect(partnerRoutes.length).toBeGreaterThanOrEqual(5);
    expect(
      partnerRoutes
        .filter((r) => OPEN.has(r.id))
        .map((r) => r.id)
        .sort(),
    ).toEqual([...OPEN].sort());

    await publishPolicy("Program terms", "Be honest.");
    const acme = await partner();
    const checked: string[] = [];
    for (const route of partnerRoutes) {
      const url = "/" + fullPath(route.id).replace(/:[A-Za-z]+/g, () => crypto.randomUUID());
      if (OPEN.has(route.id)) {
        expect([200, 404], url).toContain((await get(server, url, { Cookie: acme.cookie })).status);
        continue;
      }
      // An endpoint that only takes POSTs (an upload, the live pre-screen) has no GET to gate.
      if (route.module.loader) {
        const page = await get(server, `${url}?tab=x`, { Cookie: acme.cookie });
        if (route.module.default) {
          expect(page.status, url).toBe(302);
          expect(page.headers.get("location"), url).toBe(`/partner/policies?redirectTo=${encodeURIComponent(`${url}?tab=x`)}`);
        } else {
          expect(page.status, url).toBe(403);
        }
        // Remix's own data requests (client-side navigation) are gated the same way.
        const data = await get(server, `${url}?_data=${encodeURIComponent(route.id)}`, { Cookie: acme.cookie });
        expect([204, 302, 403], url).toContain(data.status);
      }
      if (route.module.action) {
        const post = await postForm(server, url, { intent: "invite", email: "x@y.test" }, { Cookie: acme.cookie });
        expect(post.status, url).toBe(403);
      }
      checked.push(route.id);
    }
    expect(checked).toEqual(expect.arrayContaining(["routes/partner._index", "routes/partner.team"]));
    // Nothing was written by the refused actions.
    expect(await server.app.db.select().from(userTokens)).toHaveLength(0);

    await acceptAll(acme);
    expect((await get(server, "/partner", { Cookie: acme.cookie })).status).toBe(200);
    expect((await get(server, "/partner/team", { Cookie: acme.cookie })).status).toBe(200);
  });

  it("sends the partner back only to a path of this site", async () => {
    const { policyId, version } = await publishPolicy("Program terms", "Be honest.");
    const acme = await partner();
    for (const hostile of ["//evil.test", "https://evil.test/x", "/\\evil.test"]) {
      const page = await (await get(server, `/partner/policies?redirectTo=${encodeURIComponent(hostile)}`, { Cookie: acme.cookie })).text();
      expect(page).not.toContain("evil.test");
    }
    for (const vector of HTTP_REDIRECT_VECTORS) {
      // The links of the policies page carry the return path on; each must stay on the site.
      for (const pathname of [POLICIES_PATH, `${POLICIES_PATH}/${policyId}`]) {
        const page = await (await get(server, `${pathname}?redirectTo=${encodeURIComponent(vector)}`, { Cookie: acme.cookie })).text();
        const carried = [...page.matchAll(/redirectTo=([^"&]+)/g)].map((m) => decodeURIComponent(m[1]!.replaceAll("&amp;", "&")));
        for (const target of carried) expect(staysOnSite(target, server.url), `${JSON.stringify(vector)} → ${target}`).toBe(true);
      }
      // Accepting (again: it is idempotent) ends where the return path says, which must be this site.
      const accepted = await postForm(
        server,
        `${POLICIES_PATH}/${policyId}`,
        { versionId: version.id, contentHash: version.contentHash!, confirm: "on", redirectTo: vector },
        { Cookie: acme.cookie },
      );
      expect(accepted.status, JSON.stringify(vector)).toBe(302);
      expect(staysOnSite(accepted.headers.get("location"), server.url), `${JSON.stringify(vector)} → ${accepted.headers.get("location")}`).toBe(true);
    }
    const legit = await postForm(
      server,
      `${POLICIES_PATH}/${policyId}`,
      { versionId: version.id, contentHash: version.contentHash!, confirm: "on", redirectTo: "/partner/assets?x=1#y" },
      { Cookie: acme.cookie },
    );
    expect(legit.headers.get("location")).toBe("/partner/assets?x=1#y");
  });

  it("gates again after a material version, only asks after a minor one, and ignores optional policies", async () => {
    const terms = await publishPolicy("Program terms", "Version one.");
    await publishPolicy("Newsletter etiquette", "Be kind.", { required: false });
    const acme = await partner();
    await acceptPolicyVersion(server.app, acme.accepting, { versionId: terms.version.id, contentHash: terms.version.contentHash! }, meta);
    const home = await get(server, "/partner", { Cookie: acme.cookie });
    expect(home.status).toBe(200);
    expect(await home.text()).not.toContain("A policy was updated");

    await publishPolicy("Program terms", "Version two, a minor fix.", { policyId: terms.policyId, material: false });
    const minor = await get(server, "/partner", { Cookie: acme.cookie });
    expect(minor.status).toBe(200);
    expect(await minor.text()).toContain("A policy was updated");

    await publishPolicy("Program terms", "Version three changes commissions.", { policyId: terms.policyId, material: true });
    const gated = await get(server, "/partner/team", { Cookie: acme.cookie });
    expect(gated.status).toBe(302);
    const reading = await (await get(server, `/partner/policies/${terms.policyId}`, { Cookie: acme.cookie })).text();
    expect(reading).toContain("What changed");
    expect(reading).toContain("Version 3 changes the terms you accepted");
  });

  it("shows what changed as the partner reads it: the rendered words, not the Markdown", async () => {
    const terms = await publishPolicy("Program terms", "# Commissions\n\nPartners earn **5%** of each sale. See [the rates](https://brand.test/rates).");
    const acme = await partner();
    await acceptAll(acme);
    await publishPolicy("Program terms", "# Commissions\n\nPartners earn **7%** of each sale. See [the rates](https://brand.test/rates).\n\n- Paid monthly", {
      policyId: terms.policyId,
    });

    const reading = await (await get(server, `/partner/policies/${terms.policyId}`, { Cookie: acme.cookie })).text();
    const diff = reading.match(/<p class="policy-diff[^>]*>([\s\S]*?)<\/p>/)?.[1] ?? "";
    const diffText = diff.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, "");
    expect(diffText).toContain("Commissions");
    expect(diff).toContain("Partners earn </span><del>5</del><ins>7</ins><span>% of each sale. See the rates.");
    expect(diffText).toContain("• Paid monthly");
    for (const marker of ["**", "#", "](", "https://brand.test/rates"]) expect(diffText, marker).not.toContain(marker);
  });
});

describe("onboarding", () => {
  it("activates the organisation at the owner's first complete acceptance, not a member's, and stores both times", async () => {
    await publishPolicy("Program terms", "Be honest.");
    await publishPolicy("Disclosure rules", "Say #ad.");
    const owner = await partner("Acme Media");
    const member = await partner("Acme Media", "member", owner.org);
    await acceptAll(member);
    let [org] = await server.app.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, owner.org.id));
    expect(org).toMatchObject({ status: "onboarding", activatedAt: null });
    expect(org!.onboardingStartedAt).toBeInstanceOf(Date);

    const [first] = await policyStandingFor(server.app.db, owner.user.id);
    await acceptPolicyVersion(server.app, owner.accepting, { versionId: first!.versionId, contentHash: first!.contentHash }, meta);
    [org] = await server.app.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, owner.org.id));
    expect(org!.status).toBe("onboarding");
    await acceptAll(owner);
    [org] = await server.app.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, owner.org.id));
    expect(org!.status).toBe("active");
    expect(org!.activatedAt!.getTime()).toBeGreaterThanOrEqual(org!.onboardingStartedAt.getTime());
    const events = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "partner.activated"));
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ from: "onboarding", to: "active" });

    const home = await (await get(server, "/partner", { Cookie: owner.cookie })).text();
    expect(home).toContain("Getting started");
    // A member joined and everyone accepted: three of the steps are done.
    expect(home).toContain("3 of 8 steps done");
    expect(home).toContain("Everyone on your team has accepted the current policies");
  });

  it("leaves the team step out of a one-person team's checklist", async () => {
    await publishPolicy("Program terms", "Be honest.");
    const owner = await partner("Solo Studio");
    await acceptAll(owner);
    const home = await (await get(server, "/partner", { Cookie: owner.cookie })).text();
    expect(home).toContain("1 of 7 steps done");
    expect(home).not.toContain("Everyone on your team");
    // A colleague who joins brings the step back, not yet done.
    await partner("Solo Studio", "member", owner.org);
    const withColleague = await (await get(server, "/partner", { Cookie: owner.cookie })).text();
    expect(withColleague).toContain("2 of 8 steps done");
    expect(withColleague).toContain("1 person has not accepted the current policies yet.");
  });

  it("offers a clear way on to the partner home after the last required acceptance", async () => {
    const terms = await publishPolicy("Program terms", "Be honest.");
    const owner = await partner("Acme Media");
    const accepted = await postForm(
      server,
      `/partner/policies/${terms.policyId}`,
      { versionId: terms.version.id, contentHash: terms.version.contentHash!, confirm: "on" },
      { Cookie: owner.cookie },
    );
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe("/partner/policies");
    const page = await (await follow(server, accepted, owner.cookie)).text();
    expect(toastIn(page)).toBe(
      "You have accepted every required policy. Thank you. The rest of the partner area is now open to you. Continue to the partner home",
    );
    expect(page).toMatch(/<a[^>]*href="\/partner"[^>]*>Continue to the partner home<\/a>/);
  });
});

describe("coverage", () => {
  it("counts an organisation covered when all its active members accepted, and reminds the rest through the outbox", async () => {
    const terms = await publishPolicy("Program terms", "Version one.");
    const acme = await partner("Acme Media");
    const acmeMember = await partner("Acme Media", "member", acme.org);
    const rival = await partner("Rival Co");
    await createPartnerOrg(server.app.db, "Empty Org");
    const gone = await createPartnerOrg(server.app.db, "Gone Ltd");
    await server.app.db.update(partnerOrganisations).set({ status: "terminated" }).where(eq(partnerOrganisations.id, gone.id));

    await acceptAll(acme);
    await acceptAll(rival);
    let [summary] = await coverageByVersion(server.app.db, terms.policyId);
    expect(summary).toMatchObject({ number: 1, covered: 1, organisations: 3 });
    await acceptAll(acmeMember);
    [summary] = await coverageByVersion(server.app.db, terms.policyId);
    expect(summary).toMatchObject({ covered: 2, organisations: 3 });
    const detail = await coverageOfVersion(server.app.db, terms.version.id);
    expect(detail.map((o) => [o.name, o.accepted, o.members, o.covered])).toEqual([
      ["Empty Org", 0, 0, false],
      ["Acme Media", 2, 2, true],
      ["Rival Co", 1, 1, true],
    ]);

    // A removed member no longer counts against coverage of version 2.
    const v2 = await publishPolicy("Program terms", "Version two.", { policyId: terms.policyId });
    await acceptPolicyVersion(server.app, acme.accepting, { versionId: v2.version.id, contentHash: v2.version.contentHash! }, meta);
    const legal = await createUser(server.app.db, { role: "legal_reviewer" });
    const legalCookie = await sessionCookieFor(server.app, legal.id);
    const page = await (await get(server, `/admin/policies/${terms.policyId}/coverage`, { Cookie: legalCookie })).text();
    expect(page).toContain("0 of 3");

    const bad = await postForm(server, `/admin/policies/${terms.policyId}/coverage`, { intent: "remind", number: "abc" }, { Cookie: legalCookie });
    expect(bad.status).toBe(400);
    const old = await postForm(server, `/admin/policies/${terms.policyId}/coverage`, { intent: "remind", number: "1" }, { Cookie: legalCookie });
    expect(old.status).toBe(409);
    const remind = await postForm(server, `/admin/policies/${terms.policyId}/coverage`, { intent: "remind", number: "2" }, { Cookie: legalCookie });
    expect(remind.status).toBe(200);
    expect(await remind.text()).toContain("Reminder sent to 2 people in 2 organisations.");
    // Publishing version 2 emailed everyone it gated; the reminders are the later ones.
    const mail = (await server.app.db.select().from(outboxMessages)).filter((m) => m.payload.subject.startsWith("Please accept"));
    expect(mail.map((m) => m.payload.to).sort()).toEqual([acmeMember.user.email, rival.user.email].sort());
    expect(mail[0]!.payload.text).toContain(`/partner/policies/${terms.policyId}`);
    const [event] = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "policy.reminder_sent"));
    expect(event!.data).toMatchObject({ number: 2, recipients: 2, organisations: 2 });

    // Brand reviewers and partners are kept out of coverage.
    const reviewer = await createUser(server.app.db, { role: "brand_reviewer" });
    expect((await get(server, `/admin/policies/${terms.policyId}/coverage`, { Cookie: await sessionCookieFor(server.app, reviewer.id) })).status).toBe(403);
    expect((await get(server, `/admin/policies/${terms.policyId}/coverage`, { Cookie: acme.cookie })).status).toBe(404);
    expect((await postForm(server, `/admin/policies/${terms.policyId}/coverage`, { intent: "remind", number: "2" }, { Cookie: acme.cookie })).status).toBe(404);
  });
});

describe("the partner team", () => {
  async function activeOwner(name = "Acme Media") {
    const owner = await partner(name);
    await acceptAll(owner);
    return owner;
  }

  it("lets the owner invite a member, who is gated until they accept for themselves", async () => {
    await publishPolicy("Program terms", "Be honest.");
    const owner = await activeOwner();
    const bad = await postForm(server, "/partner/team", { intent: "invite", email: "not an email" }, { Cookie: owner.cookie });
    expect(bad.status).toBe(400);
    const badText = await bad.text();
    expect(badText).toContain("Enter a valid email address.");
    expect(badText).toContain('value="not an email"');
    const invited = await postForm(server, "/partner/team", { intent: "invite", email: "Sam@Acme.test" }, { Cookie: owner.cookie });
    expect(invited.status).toBe(200);
    const [mail] = await server.app.db.select().from(outboxMessages);
    expect(mail!.payload.to).toBe("sam@acme.test");
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail!.payload.text)![1]!;
    const [invitation] = await server.app.db.select().from(userTokens);
    expect(invitation).toMatchObject({ partnerOrgId: owner.org.id, partnerRole: "member", role: "partner" });
    expect(invitation!.expiresAt.getTime() - Date.now()).toBeGreaterThan(6 * 24 * 3600_000);

    const joined = await postForm(server, "/invitation", {
      token,
      name: "Sam Member",
      password: "plum tractor seventeen harbour",
      confirmPassword: "plum tractor seventeen harbour",
    });
    expect(joined.status).toBe(302);
    const cookie = joined.headers
      .getSetCookie()
      .find((c) => c.includes("cobrand_session="))!
      .split(";")[0]!;
    const [sam] = await server.app.db.select().from(users).where(eq(users.email, "sam@acme.test"));
    expect(sam).toMatchObject({ partnerOrgId: owner.org.id, partnerRole: "member" });
    // The owner accepted already; Sam has not.
    expect((await get(server, "/partner", { Cookie: cookie })).status).toBe(302);
    expect(
      (
        await postForm(server, "/invitation", {
          token,
          name: "Again",
          password: "plum tractor seventeen harbour",
          confirmPassword: "plum tractor seventeen harbour",
        })
      ).status,
    ).toBe(410);
  });

  it("keeps management with the owner: members get 403, and removal ends sessions at once", async () => {
    await publishPolicy("Program terms", "Be honest.");
    const owner = await activeOwner();
    const member = await partner("Acme Media", "member", owner.org);
    await acceptAll(member);
    const other = await partner("Acme Media", "member", owner.org);
    await acceptAll(other);

    const page = await (await get(server, "/partner/team", { Cookie: member.cookie })).text();
    expect(page).not.toContain("Invite a colleague");
    const forms: Record<string, string>[] = [
      { intent: "invite", email: "x@acme.test" },
      { intent: "transfer_ownership", userId: member.user.id, confirm: "on" },
    ];
    for (const form of forms) {
      expect((await postForm(server, "/partner/team", form, { Cookie: member.cookie })).status).toBe(403);
    }
    expect((await get(server, `/partner/team/remove/${other.user.id}`, { Cookie: member.cookie })).status).toBe(403);
    expect((await postForm(server, `/partner/team/remove/${other.user.id}`, {}, { Cookie: member.cookie })).status).toBe(403);
    // Removing is no longer a one-click intent of the team page: only the confirmation removes.
    expect((await postForm(server, "/partner/team", { intent: "remove_member", userId: member.user.id }, { Cookie: owner.cookie })).status).toBe(400);

    const removed = await postForm(server, `/partner/team/remove/${member.user.id}`, {}, { Cookie: owner.cookie });
    expect(removed.status).toBe(302);
    expect(await server.app.db.select().from(sessions).where(eq(sessions.userId, member.user.id))).toHaveLength(0);
    expect((await get(server, "/partner", { Cookie: member.cookie })).status).toBe(302);
    const [row] = await server.app.db.select().from(users).where(eq(users.id, member.user.id));
    expect(row!.status).toBe("disabled");
    // Their acceptances stay on record.
    expect(await server.app.db.select().from(policyAcceptances).where(eq(policyAcceptances.userId, member.user.id))).toHaveLength(1);
    const self = await postForm(server, `/partner/team/remove/${owner.user.id}`, {}, { Cookie: owner.cookie });
    expect(self.status).toBe(409);
    // Malformed requests are refused before anything is looked up.
    expect((await postForm(server, "/partner/team/remove/..%2F..%2Fetc", {}, { Cookie: owner.cookie })).status).toBe(404);
    expect((await postForm(server, "/partner/team", { intent: "promote_everyone" }, { Cookie: owner.cookie })).status).toBe(400);
    expect((await postForm(server, "/partner/team", { intent: "invite", email: "a".repeat(250) + "@x.test" }, { Cookie: owner.cookie })).status).toBe(400);
  });

  it("removes a member only after a confirmation page that names them, from a same-origin POST", async () => {
    await publishPolicy("Program terms", "Be honest.");
    const owner = await activeOwner();
    const rae = await createUser(server.app.db, {
      role: "partner",
      partnerOrgId: owner.org.id,
      partnerRole: "member",
      name: "Rae Patel",
      email: "rae@acme.test",
    });
    const raeCookie = await sessionCookieFor(server.app, rae.id);
    const confirmPath = `/partner/team/remove/${rae.id}`;

    // The team page links to the confirmation; it does not remove at one click.
    const team = await (await get(server, "/partner/team", { Cookie: owner.cookie })).text();
    expect(team).toContain(`href="${confirmPath}"`);
    expect(team).not.toContain('name="intent" value="remove_member"');

    const confirm = await get(server, confirmPath, { Cookie: owner.cookie });
    expect(confirm.status).toBe(200);
    const confirmText = await confirm.text();
    expect(confirmText).toContain("Remove Rae Patel (rae@acme.test) from Acme Media? They are signed out at once and can no longer open the partner area.");
    expect(confirmText).toContain('href="/partner/team"');
    expect(confirmText).toContain("Cancel");
    // Reading the confirmation changes nothing.
    expect(await server.app.db.select().from(sessions).where(eq(sessions.userId, rae.id))).toHaveLength(1);

    // Unknown and malformed ids name no one; the owner cannot remove themself.
    // The unknown id is the domain's not_found (a NotFoundError from the loader), answered with the
    // partner layout's 404 page inside the partner area's shell, like a malformed id.
    const unknown = await get(server, `/partner/team/remove/${crypto.randomUUID()}`, { Cookie: owner.cookie });
    expect(unknown.status).toBe(404);
    const unknownPage = await unknown.text();
    expect(unknownPage).toContain('aria-label="Partner area"');
    expect(unknownPage).toContain("Page not found");
    expect(unknownPage).not.toContain("Team member not found");
    expect((await get(server, "/partner/team/remove/not-an-id", { Cookie: owner.cookie })).status).toBe(404);
    const self = await get(server, `/partner/team/remove/${owner.user.id}`, { Cookie: owner.cookie });
    expect(self.status).toBe(409);
    expect(await self.text()).toContain("Transfer ownership first if you want to leave the team.");

    // Like every POST, it must come from the app's own origin.
    const forged = await fetch(`${server.url}${confirmPath}`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example", Cookie: owner.cookie },
      body: "",
    });
    expect(forged.status).toBe(403);
    expect((await server.app.db.select().from(users).where(eq(users.id, rae.id)))[0]!.status).toBe("active");

    const removed = await postForm(server, confirmPath, {}, { Cookie: owner.cookie });
    expect(removed.status).toBe(302);
    expect(removed.headers.get("location")).toBe("/partner/team");
    expect(await server.app.db.select().from(sessions).where(eq(sessions.userId, rae.id))).toHaveLength(0);
    expect((await get(server, "/partner", { Cookie: raeCookie })).status).toBe(302);
    const [event] = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "partner.member_removed"));
    expect(event).toMatchObject({ subjectId: rae.id, partnerOrgId: owner.org.id });

    const after = await (await follow(server, removed, owner.cookie)).text();
    expect(toastIn(after)).toBe("Rae Patel was removed from the team and signed out.");
    expect(after).not.toContain("rae@acme.test");
    // The toast is said once, and nothing in the address can make the page say it.
    expect(toastIn(await (await get(server, "/partner/team?removed=" + rae.id, { Cookie: owner.cookie })).text())).toBeNull();
    // Removing twice finds no one.
    expect((await postForm(server, confirmPath, {}, { Cookie: owner.cookie })).status).toBe(404);
  });

  it("shows the signed-in person's own last sign-in as now, and a colleague's from their invitation on", async () => {
    await publishPolicy("Program terms", "Be honest.");
    const owner = await activeOwner();
    await postForm(server, "/partner/team", { intent: "invite", email: "sam@acme.test" }, { Cookie: owner.cookie });
    const [mail] = await server.app.db.select().from(outboxMessages);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail!.payload.text)![1]!;
    const joined = await postForm(server, "/invitation", {
      token,
      name: "Sam Member",
      password: "plum tractor seventeen harbour",
      confirmPassword: "plum tractor seventeen harbour",
    });
    expect(joined.status).toBe(302);
    const [sam] = await server.app.db.select().from(users).where(eq(users.email, "sam@acme.test"));
    // Accepting the invitation signed Sam in: that is a sign-in, not "never".
    expect(sam!.lastLoginAt).toBeInstanceOf(Date);

    const lastSignIn = (html: string, email: string) => {
      const row = new RegExp(`<tr[^>]*>(?:(?!</tr>).)*${email.replace(/[.]/g, "\\.")}(?:(?!</tr>).)*</tr>`, "s").exec(html)![0];
      const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((m) => m[1]!.replace(/<[^>]+>/g, ""));
      return cells[2];
    };
    const ownerView = await (await get(server, "/partner/team", { Cookie: owner.cookie })).text();
    expect(lastSignIn(ownerView, owner.user.email)).toBe("Now");
    expect(lastSignIn(ownerView, "sam@acme.test")).not.toMatch(/Never|Now/);
    for (const p of await policyStandingFor(server.app.db, sam!.id)) {
      await acceptPolicyVersion(
        server.app,
        { id: sam!.id, email: sam!.email, partnerOrgId: owner.org.id, partnerRole: "member" },
        { versionId: p.versionId, contentHash: p.contentHash },
        meta,
      );
    }
    const samView = await (await get(server, "/partner/team", { Cookie: cookieFrom(joined) })).text();
    expect(lastSignIn(samView, "sam@acme.test")).toBe("Now");
    // The owner was made by the test directly and has never signed in with a password.
    expect(lastSignIn(samView, owner.user.email)).toBe("Never");
  });

  it("transfers ownership after confirmation", async () => {
    await publishPolicy("Program terms", "Be honest.");
    const owner = await activeOwner();
    const member = await partner("Acme Media", "member", owner.org);
    const unconfirmed = await postForm(server, "/partner/team", { intent: "transfer_ownership", userId: member.user.id }, { Cookie: owner.cookie });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain("Tick the box to confirm");
    const noOne = await postForm(server, "/partner/team", { intent: "transfer_ownership", userId: "", confirm: "on" }, { Cookie: owner.cookie });
    expect(noOne.status).toBe(400);
    expect(await noOne.text()).toContain("Choose the member who becomes the owner.");
    const done = await postForm(server, "/partner/team", { intent: "transfer_ownership", userId: member.user.id, confirm: "on" }, { Cookie: owner.cookie });
    expect(done.status).toBe(200);
    const roles = await server.app.db.select({ id: users.id, partnerRole: users.partnerRole }).from(users).where(eq(users.partnerOrgId, owner.org.id));
    expect(Object.fromEntries(roles.map((r) => [r.id, r.partnerRole]))).toEqual({ [owner.user.id]: "member", [member.user.id]: "owner" });
    // The former owner can no longer manage.
    expect((await postForm(server, `/partner/team/remove/${member.user.id}`, {}, { Cookie: owner.cookie })).status).toBe(403);
    expect(await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "partner.ownership_transferred"))).toHaveLength(1);
  });

  it("never reaches another organisation's people, invitations or team", async () => {
    await publishPolicy("Program terms", "Be honest.");
    const acme = await activeOwner("Acme Media");
    const rival = await activeOwner("Rival Co");
    const rivalMember = await partner("Rival Co", "member", rival.org);
    await postForm(server, "/partner/team", { intent: "invite", email: "new@rival.test" }, { Cookie: rival.cookie });
    const [rivalInvitation] = await server.app.db.select().from(userTokens);

    expect((await get(server, `/partner/team/remove/${rivalMember.user.id}`, { Cookie: acme.cookie })).status).toBe(404);
    expect((await postForm(server, `/partner/team/remove/${rivalMember.user.id}`, {}, { Cookie: acme.cookie })).status).toBe(404);
    const forms: Record<string, string>[] = [
      { intent: "transfer_ownership", userId: rivalMember.user.id, confirm: "on" },
      { intent: "revoke_invitation", invitationId: rivalInvitation!.id },
      { intent: "resend_invitation", invitationId: rivalInvitation!.id },
    ];
    for (const form of forms) {
      expect((await postForm(server, "/partner/team", form, { Cookie: acme.cookie })).status, form.intent!).toBe(404);
    }
    const [untouched] = await server.app.db.select().from(userTokens).where(eq(userTokens.id, rivalInvitation!.id));
    expect(untouched!.revokedAt).toBeNull();
    const [stillActive] = await server.app.db.select().from(users).where(eq(users.id, rivalMember.user.id));
    expect(stillActive).toMatchObject({ status: "active", partnerRole: "member" });

    const page = await (await get(server, "/partner/team", { Cookie: acme.cookie })).text();
    expect(page).not.toContain(rivalMember.user.email);
    expect(page).not.toContain("new@rival.test");
    // Inviting someone with another organisation's open invitation does not touch it.
    const poach = await postForm(server, "/partner/team", { intent: "invite", email: "new@rival.test" }, { Cookie: acme.cookie });
    expect(poach.status).toBe(200);
    const [stillOpen] = await server.app.db.select().from(userTokens).where(eq(userTokens.id, rivalInvitation!.id));
    expect(stillOpen!.revokedAt).toBeNull();
    expect((await postForm(server, "/partner/team", { intent: "invite", email: rivalMember.user.email }, { Cookie: acme.cookie })).status).toBe(200);
    expect(await server.app.db.select().from(userTokens).where(eq(userTokens.partnerOrgId, acme.org.id))).toHaveLength(0);
  });

  it("gives the owner one answer whatever the address, and tells only an address that cannot join why", async () => {
    await publishPolicy("Program terms", "Be honest.");
    const acme = await activeOwner("Acme Media");
    const rival = await activeOwner("Rival Co");
    const staff = await createUser(server.app.db, { role: "legal_reviewer", email: "lena@brand.test" });
    await postForm(server, "/partner/team", { intent: "invite", email: "pending@rival.test" }, { Cookie: rival.cookie });
    const before = await server.app.db.select().from(userTokens);
    const beforeMail = (await server.app.db.select().from(outboxMessages)).length;

    const answer = async (email: string) => {
      const response = await postForm(server, "/partner/team", { intent: "invite", email }, { Cookie: acme.cookie });
      const html = await response.text();
      return {
        status: response.status,
        answered: html.includes("If this person can join, they will receive an invitation."),
        says: /already has an account|invitation elsewhere|already on your team/i.test(html),
      };
    };
    const neutral = { status: 200, answered: true, says: false };
    expect(await answer("fresh@acme.test")).toEqual(neutral);
    expect(await answer(staff.email)).toEqual(neutral);
    expect(await answer(rival.user.email)).toEqual(neutral);
    expect(await answer("pending@rival.test")).toEqual(neutral);

    // Only the fresh address got an invitation; the rival's open invitation is untouched.
    const after = await server.app.db.select().from(userTokens);
    expect(after.filter((t) => !before.some((b) => b.id === t.id)).map((t) => t.email)).toEqual(["fresh@acme.test"]);
    expect(after.find((t) => t.email === "pending@rival.test")!.revokedAt).toBeNull();
    const mail = (await server.app.db.select().from(outboxMessages).orderBy(outboxMessages.id)).slice(beforeMail).map((m) => m.payload);
    expect(mail.map((m) => m.to)).toEqual(["fresh@acme.test", staff.email, rival.user.email, "pending@rival.test"]);
    expect(mail[0]!.subject).toBe("Join Acme Media on Partner Program");
    for (const notice of mail.slice(1)) {
      expect(notice.subject).toBe("Acme Media tried to invite you to Partner Program");
      expect(notice.text).not.toContain("token=");
      expect(notice.text).toContain("ask");
    }
    expect(mail[1]!.text).toContain("already has an account");
    expect(mail[3]!.text).toContain("already has an invitation");
    const declined = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "partner.member_invitation_declined"));
    expect(declined.map((e) => e.data["reason"])).toEqual(["account_exists", "account_exists", "invited_elsewhere"]);

    // Trying again answers the same, and does not write to that inbox again the same day.
    expect(await answer(staff.email)).toEqual(neutral);
    expect((await server.app.db.select().from(outboxMessages)).length).toBe(beforeMail + 4);
  });

  it("limits resends of a member's invitation, by the button or by inviting again: 1 per 5 minutes, 5 a day", async () => {
    const owner = await activeOwner();
    await postForm(server, "/partner/team", { intent: "invite", email: "sam@acme.test" }, { Cookie: owner.cookie });
    const open = async () =>
      (
        await server.app.db
          .select()
          .from(userTokens)
          .where(and(eq(userTokens.email, "sam@acme.test"), isNull(userTokens.revokedAt)))
      )[0]!;
    let viaButton = true;
    await expectResendLimits({
      accepted: 200,
      at: (offset) => clock.setOffset(offset),
      emails: async () => (await server.app.db.select().from(outboxMessages)).length,
      resend: async () => {
        // Alternate the resend button and inviting the same address again: both are resends.
        const fields: Record<string, string> = viaButton
          ? { intent: "resend_invitation", invitationId: (await open()).id }
          : { intent: "invite", email: "sam@acme.test" };
        viaButton = !viaButton;
        const response = await postForm(server, "/partner/team", fields, { Cookie: owner.cookie });
        return { status: response.status, text: await response.text() };
      },
    });
  });

  it("lets a removed member be invited back to the same account", async () => {
    const owner = await activeOwner();
    const member = await partner("Acme Media", "member", owner.org);
    expect((await postForm(server, `/partner/team/remove/${member.user.id}`, {}, { Cookie: owner.cookie })).status).toBe(302);
    expect((await postForm(server, "/partner/team", { intent: "invite", email: member.user.email }, { Cookie: owner.cookie })).status).toBe(200);
    const [mail] = await server.app.db.select().from(outboxMessages);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail!.payload.text)![1]!;
    const back = await postForm(server, "/invitation", {
      token,
      name: "Back Again",
      password: "plum tractor seventeen harbour",
      confirmPassword: "plum tractor seventeen harbour",
    });
    expect(back.status).toBe(302);
    const [row] = await server.app.db.select().from(users).where(eq(users.id, member.user.id));
    expect(row).toMatchObject({ status: "active", name: "Back Again", partnerRole: "member" });
  });
});
