import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auditEvents, claims } from "#db/schema/index";
import { resetDatabase } from "../support/db";
import { adjustableClockFor, createPartner, signedIn } from "../support/context";
import type { AdjustableClock } from "~/lib/clock";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
let clock: AdjustableClock;
beforeEach(async () => {
  clock = adjustableClockFor(server.app);
  await resetDatabase(server.app.db);
});

const inDays = (days: number) => new Date(clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);

async function team() {
  return {
    brand: await signedIn(server.app, { role: "brand_reviewer", name: "Bea Brand" }),
    legal: await signedIn(server.app, { role: "legal_reviewer", name: "Lena Legal" }),
    admin: await signedIn(server.app, { role: "admin", name: "Ada Admin" }),
  };
}

const partnerWith = (name: string, channels: string[], regions: string[]) =>
  createPartner(server.app, { name, fields: { channels, regions, status: "active" } });

function claimForm(ownerId: string, overrides: Record<string, string | string[]> = {}): URLSearchParams {
  const fields: Record<string, string | string[]> = {
    intent: "save",
    text: "Lumen bulbs use up to 80% less energy.",
    disclaimers: "Compared with a 60 W incandescent bulb.\nSavings depend on use.",
    category: "Energy savings",
    channels: ["email", "website_blog"],
    regions: ["europe"],
    substantiation: "SECRET-LAB-REPORT-2026-17",
    ownerId,
    reviewBy: inDays(90),
    expiresOn: "",
    ...overrides,
  };
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
  return body;
}

function post(path: string, body: URLSearchParams, cookie: string) {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "Sec-Fetch-Site": "same-origin", Cookie: cookie },
    body,
  });
}

async function createClaim(cookie: string, ownerId: string, overrides: Record<string, string | string[]> = {}) {
  const response = await post("/admin/claims/new", claimForm(ownerId, overrides), cookie);
  expect(response.status).toBe(302);
  return response.headers.get("location")!.split("?")[0]!.split("/").pop()!;
}

describe("the claims library", () => {
  it("refuses bad input at its fields, keeping what was typed, and writes nothing", async () => {
    const { brand } = await team();
    const response = await post(
      "/admin/claims/new",
      claimForm(brand.id, {
        text: "<script>alert(1)</script> Saves energy",
        disclaimers: "  \n ",
        channels: [],
        regions: ["atlantis"],
        reviewBy: "next week",
        expiresOn: "2020-01-01",
      }),
      brand.cookie,
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    for (const message of ["Add at least one disclaimer.", "Choose at least one channel.", "Choose regions from the list.", "Enter the review-by date."])
      expect(html).toContain(message);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Saves energy");
    expect(html).not.toContain("<script>alert(1)</script>");
    const badOwner = await post("/admin/claims/new", claimForm(crypto.randomUUID()), brand.cookie);
    expect(badOwner.status).toBe(400);
    expect(await badOwner.text()).toContain("Choose the owner from the list.");
    const early = await post("/admin/claims/new", claimForm(brand.id, { expiresOn: inDays(10) }), brand.cookie);
    expect(early.status).toBe(400);
    expect(await early.text()).toContain("The claim cannot expire before its review-by date.");
    expect(await server.app.db.select().from(claims)).toHaveLength(0);
  });

  it("goes draft → approved by a legal reviewer only → retired, each step audited, and partners see only approved ones", async () => {
    const { brand, legal, admin } = await team();
    const partner = await partnerWith("Acme Media", ["email"], ["europe", "north_america"]);
    const id = await createClaim(brand.cookie, brand.id);
    const path = `/admin/claims/${id}`;
    expect(await (await get(server, "/admin", { Cookie: legal.cookie })).text()).toMatch(/Claims to approve[\s\S]*?>1</);
    expect(await (await get(server, "/partner/claims", { Cookie: partner.cookie })).text()).not.toContain("80% less energy");

    expect((await postForm(server, path, { intent: "approve" }, { Cookie: brand.cookie })).status).toBe(403);
    expect((await postForm(server, path, { intent: "approve" }, { Cookie: admin.cookie })).status).toBe(403);
    expect((await postForm(server, path, { intent: "approve" }, { Cookie: legal.cookie })).status).toBe(302);
    expect((await postForm(server, path, { intent: "approve" }, { Cookie: legal.cookie })).status).toBe(409);
    const page = await (await get(server, "/partner/claims", { Cookie: partner.cookie })).text();
    expect(page).toContain("Lumen bulbs use up to 80% less energy.");
    expect(page).toContain("Compared with a 60 W incandescent bulb.");

    // A change to an approved claim takes it away from partners until it is approved again.
    const edited = await post(path, claimForm(brand.id, { text: "Lumen bulbs use up to 85% less energy." }), brand.cookie);
    expect(toastIn(await (await follow(server, edited, brand.cookie)).text())).toBe(
      "Saved. The claim is a draft again: partners no longer see it until a legal reviewer approves the new wording.",
    );
    expect(await (await get(server, "/partner/claims", { Cookie: partner.cookie })).text()).not.toContain("less energy");
    await postForm(server, path, { intent: "approve" }, { Cookie: legal.cookie });
    expect(await (await get(server, "/partner/claims", { Cookie: partner.cookie })).text()).toContain("85% less energy");

    expect((await postForm(server, path, { intent: "retire" }, { Cookie: brand.cookie })).status).toBe(403);
    expect((await postForm(server, path, { intent: "retire" }, { Cookie: admin.cookie })).status).toBe(302);
    expect(await (await get(server, "/partner/claims", { Cookie: partner.cookie })).text()).not.toContain("less energy");
    expect((await post(path, claimForm(brand.id), brand.cookie)).status).toBe(409);
    const actions = (await server.app.db.select().from(auditEvents)).map((e) => e.action).filter((a) => a.startsWith("claim."));
    expect(actions).toEqual(["claim.created", "claim.approved", "claim.updated", "claim.approved", "claim.retired"]);

    // Partners and analysts stay out of the team's pages.
    const analyst = await signedIn(server.app, { role: "analyst" });
    expect((await get(server, "/admin/claims", { Cookie: analyst.cookie })).status).toBe(403);
    expect((await get(server, path, { Cookie: partner.cookie })).status).toBe(404);
    expect((await postForm(server, path, { intent: "approve" }, { Cookie: partner.cookie })).status).toBe(404);
  });

  it("shows each partner only claims for its channels and regions, unexpired, and never the internal fields", async () => {
    const { brand, legal } = await team();
    const approve = async (overrides: Record<string, string | string[]>) => {
      const id = await createClaim(brand.cookie, brand.id, overrides);
      await postForm(server, `/admin/claims/${id}`, { intent: "approve" }, { Cookie: legal.cookie });
      return id;
    };
    await approve({ text: "Email and Europe claim", channels: ["email"], regions: ["europe"] });
    await approve({ text: "Video only claim", channels: ["video"], regions: ["europe"] });
    await approve({ text: "Asia only claim", channels: ["email"], regions: ["asia_pacific"] });
    await approve({ text: "Expired claim", channels: ["email"], regions: ["europe"], reviewBy: inDays(1), expiresOn: inDays(2) });
    // Three days on, the claim has expired.
    clock.advance(3 * 86_400_000);

    const emailer = await partnerWith("Mail Co", ["email", "website_blog"], ["europe"]);
    const videographer = await partnerWith("Video Co", ["video"], ["europe"]);
    const seen = async (who: { cookie: string }, query = "") => {
      const html = await (await get(server, `/partner/claims${query}`, { Cookie: who.cookie })).text();
      return ["Email and Europe claim", "Video only claim", "Asia only claim", "Expired claim"].filter((t) => html.includes(t));
    };
    expect(await seen(emailer)).toEqual(["Email and Europe claim"]);
    expect(await seen(videographer)).toEqual(["Video only claim"]);
    // A filter cannot widen what the organisation may see.
    expect(await seen(emailer, "?channel=video")).toEqual([]);
    expect(await seen(emailer, "?q=Europe")).toEqual(["Email and Europe claim"]);
    expect(await seen(emailer, "?category=Nope")).toEqual([]);
    // Nor does the category filter name categories of claims the partner cannot see.
    await approve({ text: "Video gear claim", category: "Video gear", channels: ["video"], regions: ["europe"] });
    expect(await (await get(server, "/partner/claims", { Cookie: emailer.cookie })).text()).not.toContain("Video gear");

    // The loader's data, not only the HTML, carries no substantiation, owner or approver.
    for (const path of ["/partner/claims", "/partner/claims.data", "/partner/claims.csv"]) {
      const body = await (await get(server, path, { Cookie: emailer.cookie })).text();
      expect(body, path).toContain("Email and Europe claim");
      expect(body, path).not.toContain("SECRET-LAB-REPORT");
      expect(body, path).not.toContain(brand.id);
      expect(body, path).not.toContain(legal.id);
      expect(body, path).not.toContain("Bea Brand");
    }
  });

  it("downloads the partner's library as CSV with formula cells neutralised, audited (a prefetch is served, not audited)", async () => {
    const { brand, legal } = await team();
    const id = await createClaim(brand.cookie, brand.id, { text: '=HYPERLINK("http://evil.test","x")', disclaimers: "+cmd|' /C calc'!A0\n@SUM(1)" });
    await postForm(server, `/admin/claims/${id}`, { intent: "approve" }, { Cookie: legal.cookie });
    const partner = await partnerWith("Acme Media", ["email"], ["europe"]);
    const prefetched = await get(server, "/partner/claims.csv", { Cookie: partner.cookie, "Sec-Purpose": "prefetch" });
    expect(prefetched.status).toBe(200);
    expect(await prefetched.text()).toContain("HYPERLINK");
    expect(await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "claims.exported"))).toHaveLength(0);
    const response = await get(server, "/partner/claims.csv", { Cookie: partner.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="claims-library.csv"');
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel reads UTF-8
    const csv = new TextDecoder().decode(bytes);
    expect(csv.split("\r\n")[0]).toBe("Claim,Required disclaimers,Category,Channels,Regions,Expires on");
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(csv).toContain(`"'+cmd|' /C calc'!A0\n@SUM(1)"`);
    const events = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "claims.exported"));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: partner.user.id, partnerOrgId: partner.org.id });
  });

  it("does not let the author of a draft approve it: 403, logged, nothing changed; another legal reviewer can", async () => {
    const { brand, legal } = await team();
    const { cookie: otherCookie } = await signedIn(server.app, { role: "legal_reviewer", name: "Leo Legal" });
    const id = await createClaim(legal.cookie, legal.id);
    const path = `/admin/claims/${id}`;
    const warn = vi.spyOn(server.app.log, "warn");

    const ownPage = await (await get(server, path, { Cookie: legal.cookie })).text();
    expect(ownPage).not.toContain("Approve claim");
    expect(ownPage).toContain("You wrote this draft; another legal reviewer must approve it.");
    const refused = await postForm(server, path, { intent: "approve" }, { Cookie: legal.cookie });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("You wrote this draft; another legal reviewer must approve it.");
    // Logged once, by the domain-error mapper (app/lib/domain-responses.server.ts), not by the route as well.
    expect(warn.mock.calls.filter(([event]) => event === "authz_fail")).toEqual([
      ["authz_fail", expect.objectContaining({ userId: legal.id, reason: "separation_of_duties", status: 403 })],
    ]);
    warn.mockRestore();
    const [unchanged] = await server.app.db.select().from(claims).where(eq(claims.id, id));
    expect(unchanged).toMatchObject({ status: "draft", approvedById: null, approvedAt: null });
    expect(await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "claim.approved"))).toHaveLength(0);

    // Whoever last changed the wording is the author: the brand reviewer's rewrite frees Lena to approve, and
    // Leo becomes the author once he rewrites it; a change of review date alone makes no one an author.
    await post(path, claimForm(brand.id, { text: "Lumen bulbs use up to 85% less energy." }), brand.cookie);
    await post(path, claimForm(brand.id, { text: "Lumen bulbs use up to 85% less energy.", reviewBy: inDays(60) }), otherCookie);
    expect(await (await get(server, path, { Cookie: otherCookie })).text()).toContain("Approve claim");
    await post(path, claimForm(brand.id, { text: "Lumen bulbs use up to 90% less energy." }), otherCookie);
    expect((await postForm(server, path, { intent: "approve" }, { Cookie: otherCookie })).status).toBe(403);
    const approved = await postForm(server, path, { intent: "approve" }, { Cookie: legal.cookie });
    expect(approved.status).toBe(302);
    const [row] = await server.app.db.select().from(claims).where(eq(claims.id, id));
    expect(row).toMatchObject({ status: "approved", approvedById: legal.id });
  });

  it("refuses to approve a claim that has already expired", async () => {
    const { brand, legal } = await team();
    const id = await createClaim(brand.cookie, brand.id, { reviewBy: inDays(1), expiresOn: inDays(2) });
    clock.advance(3 * 86_400_000);
    const response = await postForm(server, `/admin/claims/${id}`, { intent: "approve" }, { Cookie: legal.cookie });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("This claim has expired.");
  });
});
