import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { apiKeys, auditEvents, rateLimits, trackingLinks } from "#db/schema/index";
import { API_KEY_CACHE_TTL_MS, authenticateApiKey, leaseSizeFor } from "~/domain/api-keys/authenticate.server";
import { createApiKey, revokeApiKey } from "~/domain/api-keys/keys.server";
import { hashApiKeySecret } from "~/domain/api-keys/secrets.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import type { Actor } from "~/lib/audit.server";
import { systemClock } from "~/lib/clock";
import type { ApiKeyScope } from "~/domain/api-keys/catalog";
import type { AppContext } from "~/lib/context.server";
import { resetDatabase } from "../support/db";
import { adjustableClockFor, createPartnerOrg, createTestContext, signedIn, testConfig } from "../support/context";
import { formEntries, postEntries, type FieldChange } from "../support/forms";
import { get, postForm, rawRequest, startTestServer, toastIn, follow, type TestServer } from "../support/http";

// API keys and the API's plumbing (issue 16 §1): keys made by an admin and
// shown once, stored hashed; the bearer check (missing, malformed, unknown,
// revoked, expired, wrong scope, a cookie instead of a key); the cache and
// `last_used_at` moved by the clock; the per-key rate limit leased from the
// database; the origin check's exemption for bearer requests to /api/v1 and
// only those; GET /api/v1/links and its keyset paging; the admin pages.

const LIST = "/admin/api-keys";
const NEW = "/admin/api-keys/new";
const LINKS = "/api/v1/links";
const SECRET = /^cb_live_[A-Za-z0-9_-]{43}$/;

let server: TestServer;
let app: AppContext;
beforeAll(async () => {
  // Behind the trusted loopback proxy, so each API call can come from its own address
  // (the per-address limit on refused keys never mixes tests up).
  server = await startTestServer({ configure: (config) => ({ ...config, trustProxy: "loopback" }) });
  app = server.app;
});
afterAll(() => server.close());

type Admin = Awaited<ReturnType<typeof signedIn>> & { actor: Actor; headers: Record<string, string> };
let admin: Admin;
beforeEach(async () => {
  await resetDatabase(app.db);
  app.siteOriginCache.forget();
  // A test that failed half way may have left its clock standing elsewhere.
  app.clock = systemClock;
  const user = await signedIn(app, { role: "admin", name: "Ada Admin", email: "ada@brand.test" });
  admin = { ...user, actor: { id: user.id, label: user.email }, headers: { Cookie: user.cookie } };
});

let addresses = 0;
/** A documentation address of its own for each API call. */
const nextAddress = () => `203.0.113.${(addresses++ % 250) + 1}`;
const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });
const apiGet = (path: string, headers: Record<string, string> = {}) => get(server, path, { "X-Forwarded-For": nextAddress(), ...headers });

type ProblemBody = { type: string; title: string; status: number; detail: string; errors?: { field: string; message: string }[] };
async function problemOf(response: Response, status: number): Promise<ProblemBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = (await response.json()) as ProblemBody;
  expect(body.status).toBe(status);
  return body;
}

async function newKey(scopes: ApiKeyScope[] = ["links:read"], fields: { name?: string; expiresOn?: string | null } = {}) {
  return createApiKey(app, admin.actor, { name: fields.name ?? "Shop checkout", scopes, expiresOn: fields.expiresOn ?? null });
}

const documentOf = (html: string) => new JSDOM(html).window.document;
const read = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");
const textOf = (element: Element | null) => (element?.textContent ?? "").replace(/\s+/g, " ").trim();
const errorOf = (doc: Document, id: string) => textOf(doc.getElementById(`${id}-error`));

describe("making a key", () => {
  it("shows the secret once, on the answer to the form, and stores only its SHA-256 and a prefix", async () => {
    const form = await read(await get(server, NEW, admin.headers));
    const response = await postEntries(
      server,
      NEW,
      formEntries(form, "New API key", { name: "Shop checkout (production)", scopes: ["conversions:write", "links:read"] }),
      admin.headers,
    );
    expect(response.status).toBe(200);
    // Not a redirect, and no cookie (a toast) carries anything of it.
    expect(response.headers.get("location")).toBeNull();
    const html = await read(response);
    const secret = documentOf(html).querySelector<HTMLInputElement>("input#api-key-secret")?.value ?? "";
    expect(secret).toMatch(SECRET);
    for (const cookie of response.headers.getSetCookie()) expect(cookie).not.toContain(secret.slice(8));
    expect(textOf(documentOf(html).querySelector("main"))).toContain("it will not be shown again");

    const [row] = await app.db.select().from(apiKeys);
    expect(row).toMatchObject({ name: "Shop checkout (production)", scopes: ["conversions:write", "links:read"], expiresAt: null, createdById: admin.id });
    expect(row!.tokenHash).toBe(hashApiKeySecret(secret));
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.prefix).toBe(secret.slice(0, 14));
    // Nothing beyond the prefix is kept anywhere: not in the row, not on the audit trail.
    const secretPart = secret.slice(14);
    expect(JSON.stringify(row)).not.toContain(secretPart);
    const events = await app.db.select().from(auditEvents).where(eq(auditEvents.action, "api_key.created"));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: admin.id, subjectType: "api_key", subjectId: row!.id });
    expect(events[0]!.data).toEqual({ name: "Shop checkout (production)", prefix: row!.prefix, scopes: ["conversions:write", "links:read"], expiresAt: null });
    expect(JSON.stringify(events[0])).not.toContain(secretPart);

    // The list, and the form opened again, show the prefix only.
    const list = await read(await get(server, LIST, admin.headers));
    expect(list).toContain(`${row!.prefix}…`);
    expect(list).not.toContain(secretPart);
    expect(await read(await get(server, NEW, admin.headers))).not.toContain(secretPart);
    // And the secret works.
    expect((await apiGet(LINKS, bearer(secret))).status).toBe(200);
  });

  it("makes a different 256-bit secret each time", async () => {
    const secrets = await Promise.all([1, 2, 3].map(() => newKey().then((made) => made.secret)));
    expect(new Set(secrets).size).toBe(3);
    for (const secret of secrets) expect(Buffer.from(secret.slice(8), "base64url")).toHaveLength(32);
  });

  async function refusedForm(changes: Record<string, FieldChange>, field: string, message: string) {
    const form = await read(await get(server, NEW, admin.headers));
    const response = await postEntries(server, NEW, formEntries(form, "New API key", changes), admin.headers);
    expect(response.status).toBe(400);
    const doc = documentOf(await read(response));
    expect(errorOf(doc, `field-${field}`)).toBe(message);
    expect(doc.getElementById(`field-${field}`)?.getAttribute("aria-describedby") ?? "").toContain(`field-${field}-error`);
    expect(await app.db.select().from(apiKeys)).toHaveLength(0);
    return doc;
  }

  const nameOf = (doc: Document) => doc.querySelector<HTMLInputElement>("#field-name")?.value;
  const ticked = (doc: Document) => [...doc.querySelectorAll<HTMLInputElement>("input[name=scopes]:checked")].map((box) => box.value);

  it("refuses an empty name, keeping the scopes and the expiry typed", async () => {
    const doc = await refusedForm({ name: "  ", scopes: ["reports:read"], expiresOn: "2099-05-01" }, "name", "A name is required.");
    expect(ticked(doc)).toEqual(["reports:read"]);
    expect(doc.querySelector<HTMLInputElement>("#field-expiresOn")?.value).toBe("2099-05-01");
  });

  it("refuses a key without a scope, keeping the name", async () => {
    const doc = await refusedForm({ name: "Reporting", scopes: [] }, "scopes", "Choose at least one scope.");
    expect(nameOf(doc)).toBe("Reporting");
  });

  it("refuses an expiry that has passed (by the clock), keeping everything typed", async () => {
    const clock = adjustableClockFor(app);
    const yesterday = new Date(clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
    const doc = await refusedForm(
      { name: "Old shop", scopes: ["conversions:write"], expiresOn: yesterday },
      "expiresOn",
      "The expiry date has passed: choose today or a later day, or leave it empty for a key that does not expire.",
    );
    expect(nameOf(doc)).toBe("Old shop");
    expect(ticked(doc)).toEqual(["conversions:write"]);
    expect(doc.querySelector<HTMLInputElement>("#field-expiresOn")?.value).toBe(yesterday);
  });

  it("refuses a name over 80 characters and an expiry that is not a day", async () => {
    await refusedForm({ name: "x".repeat(81), scopes: ["links:read"] }, "name", "A name must be at most 80 characters.");
    await refusedForm({ name: "Shop", scopes: ["links:read"], expiresOn: "2099-02-30" }, "expiresOn", "Enter the expiry as a date.");
  });
});

describe("authenticating an API request", () => {
  it("lets a live key with the scope through, as JSON that is never cached", async () => {
    const { secret } = await newKey();
    const response = await apiGet(LINKS, bearer(secret));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ data: [], nextCursor: null });
    // The scheme is case-insensitive (RFC 9110 §11.1).
    expect((await apiGet(LINKS, { Authorization: `bearer ${secret}` })).status).toBe(200);
  });

  it("answers a request without a key 401 with WWW-Authenticate: Bearer", async () => {
    const body = await problemOf(await apiGet(LINKS), 401);
    expect(body.type).toBe("urn:cobrand:problem:unauthorized");
    expect(body.detail).toMatch(/Authorization: Bearer cb_live_/);
    const again = await apiGet(LINKS);
    expect(again.headers.get("www-authenticate")).toBe('Bearer realm="Cobrand API"');
  });

  it("answers a header that is not a Cobrand key 401 invalid_request", async () => {
    const { secret } = await newKey();
    for (const header of [
      "Bearer",
      "Basic dXNlcjpwYXNz",
      "Bearer cb_live_short",
      `Bearer cb_test_${secret.slice(8)}`,
      `Bearer ${secret} extra`,
      `Bearer ${secret}x`,
      secret,
    ]) {
      const response = await apiGet(LINKS, { Authorization: header });
      expect(response.status, header).toBe(401);
      expect(response.headers.get("www-authenticate"), header).toBe('Bearer realm="Cobrand API", error="invalid_request"');
      await response.arrayBuffer();
    }
  });

  it("answers an unknown, a revoked and an expired key alike, and logs which it was", async () => {
    const clock = adjustableClockFor(app);
    const warn = vi.spyOn(app.log, "warn");
    const revoked = await newKey(["links:read"], { name: "Revoked" });
    await revokeApiKey(app, admin.actor, revoked.key.id);
    const today = clock.now().toISOString().slice(0, 10);
    const expiring = await newKey(["links:read"], { name: "Expiring", expiresOn: today });
    // It works until the end of its last day, UTC.
    expect((await apiGet(LINKS, bearer(expiring.secret))).status).toBe(200);
    const [y, m, d] = today.split("-").map(Number) as [number, number, number];
    clock.setOffset(Date.UTC(y, m - 1, d + 1) - Date.now() + 1000);

    const unknown = `cb_live_${randomBytes(32).toString("base64url")}`;
    const answers = [];
    for (const secret of [unknown, revoked.secret, expiring.secret]) {
      const response = await apiGet(LINKS, bearer(secret));
      answers.push({ authenticate: response.headers.get("www-authenticate"), body: await problemOf(response, 401) });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0]!.authenticate).toBe('Bearer realm="Cobrand API", error="invalid_token"');
    expect(answers[0]!.body.detail).toMatch(/mistyped, revoked or expired/);

    const reasons = warn.mock.calls.filter(([event]) => event === "authn_fail").map(([, fields]) => fields as { reason: string; apiKeyId: string | null });
    expect(reasons).toEqual([
      expect.objectContaining({ reason: "api_key_unknown", apiKeyId: null }),
      expect.objectContaining({ reason: "api_key_revoked", apiKeyId: revoked.key.id }),
      expect.objectContaining({ reason: "api_key_expired", apiKeyId: expiring.key.id }),
    ]);
    warn.mockRestore();
    clock.reset();
  });

  it("answers a live key without the scope 403, naming the scope, and logs authz_fail", async () => {
    const warn = vi.spyOn(app.log, "warn");
    const { secret, key } = await newKey(["conversions:write", "reports:read"]);
    const response = await apiGet(LINKS, bearer(secret));
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="Cobrand API", error="insufficient_scope", scope="links:read"');
    const body = await problemOf(response, 403);
    expect(body.type).toBe("urn:cobrand:problem:insufficient-scope");
    expect(body.detail).toContain("links:read");
    expect(warn).toHaveBeenCalledWith("authz_fail", expect.objectContaining({ apiKeyId: key.id, reason: "scope_links:read", status: 403 }));
    warn.mockRestore();
  });

  it("never takes a session cookie for a key: an admin's browser gets 401 on the API", async () => {
    const response = await apiGet(LINKS, { Cookie: admin.cookie });
    await problemOf(response, 401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="Cobrand API"');
    // Nor does a cookie make up for a key without the scope.
    const { secret } = await newKey(["reports:read"]);
    await problemOf(await apiGet(LINKS, { Cookie: admin.cookie, ...bearer(secret) }), 403);
  });

  it("keeps a key's row for a few seconds: revoked on another instance, it stops working when the cache runs out", async () => {
    const clock = adjustableClockFor(app);
    const { secret, key } = await newKey();
    expect((await apiGet(LINKS, bearer(secret))).status).toBe(200);
    // Another instance on the same database revokes it: this one still has the row.
    const otherInstance = createTestContext(app.db, app.config);
    await revokeApiKey(otherInstance, admin.actor, key.id);
    expect((await apiGet(LINKS, bearer(secret))).status).toBe(200);
    clock.advance(API_KEY_CACHE_TTL_MS - 1000);
    expect((await apiGet(LINKS, bearer(secret))).status).toBe(200);
    clock.advance(1001);
    await problemOf(await apiGet(LINKS, bearer(secret)), 401);
    clock.reset();
  });

  it("stops a key revoked on this instance at once, through the admin page", async () => {
    const { secret, key } = await newKey();
    expect((await apiGet(LINKS, bearer(secret))).status).toBe(200);
    const response = await postForm(server, `${LIST}/${key.id}/revoke`, {}, admin.headers);
    expect(response.status).toBe(302);
    await problemOf(await apiGet(LINKS, bearer(secret)), 401);
  });

  it("writes last_used_at at most once a minute per key", async () => {
    const clock = adjustableClockFor(app);
    const { secret, key } = await newKey();
    const lastUsed = async () => (await app.db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.at;
    expect(await lastUsed()).toBeNull();
    const first = clock.now().getTime();
    expect((await apiGet(LINKS, bearer(secret))).status).toBe(200);
    const written = await lastUsed();
    expect(Math.abs(written!.getTime() - first)).toBeLessThan(5_000);
    // Many requests in the same minute write nothing more (the row is read again once the cache runs out).
    clock.advance(30_000);
    for (let i = 0; i < 5; i++) expect((await apiGet(LINKS, bearer(secret))).status).toBe(200);
    expect(await lastUsed()).toEqual(written);
    clock.advance(31_000);
    expect((await apiGet(LINKS, bearer(secret))).status).toBe(200);
    expect((await lastUsed())!.getTime()).toBeGreaterThanOrEqual(written!.getTime() + 60_000);
    clock.reset();
  });

  it("answers requests to unknown API paths with a problem, not the portal's page", async () => {
    const body = await problemOf(await apiGet("/api/v1/conversionz"), 404);
    expect(body.detail).toContain("/api/v1/conversionz");
    const { secret } = await newKey();
    const post = await fetch(`${server.url}${LINKS}`, { method: "POST", headers: { ...bearer(secret), "X-Forwarded-For": nextAddress() } });
    expect(post.headers.get("allow")).toBe("GET");
    await problemOf(post, 405);
  });
});

describe("the per-key rate limit", () => {
  it("loads API_RATE_LIMIT_PER_MINUTE from the environment, 6,000 a minute by default", () => {
    expect(testConfig().api.rateLimitPerMinute).toBe(6000);
    expect(testConfig({ API_RATE_LIMIT_PER_MINUTE: "120000" }).api.rateLimitPerMinute).toBe(120_000);
    expect(() => testConfig({ API_RATE_LIMIT_PER_MINUTE: "0" })).toThrow(/API_RATE_LIMIT_PER_MINUTE/);
    expect(() => testConfig({ API_RATE_LIMIT_PER_MINUTE: "many" })).toThrow(/API_RATE_LIMIT_PER_MINUTE/);
  });

  it("answers 429 with Retry-After past the key's limit, for that key only, until the minute is over", async () => {
    const clock = adjustableClockFor(app);
    const configured = app.config;
    app.config = { ...configured, api: { rateLimitPerMinute: 3 } };
    try {
      const warn = vi.spyOn(app.log, "warn");
      const busy = await newKey(["links:read"], { name: "Busy" });
      const calm = await newKey(["links:read"], { name: "Calm" });
      for (let i = 0; i < 3; i++) expect((await apiGet(LINKS, bearer(busy.secret))).status).toBe(200);
      const refused = await apiGet(LINKS, bearer(busy.secret));
      const retryAfter = Number(refused.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const body = await problemOf(refused, 429);
      expect(body.type).toBe("urn:cobrand:problem:rate-limited");
      expect(body.detail).toContain("3 requests a minute");
      expect(warn).toHaveBeenCalledWith("excess_rate_limit_exceeded", expect.objectContaining({ apiKeyId: busy.key.id }));
      warn.mockRestore();
      // Another key has its own allowance.
      expect((await apiGet(LINKS, bearer(calm.secret))).status).toBe(200);
      clock.advance(61_000);
      expect((await apiGet(LINKS, bearer(busy.secret))).status).toBe(200);
    } finally {
      app.config = configured;
      clock.reset();
    }
  });

  it("holds across two instances on one database, leasing points in chunks rather than writing per request", async () => {
    const { secret, key } = await newKey();
    const header = `Bearer ${secret}`;
    const instance = (limit: number) => createTestContext(app.db, testConfig({ API_RATE_LIMIT_PER_MINUTE: String(limit) }));
    const [first, second] = [instance(200), instance(200)];
    let allowed = 0;
    for (let i = 0; i < 150; i++) {
      for (const ctx of [first, second]) if ((await authenticateApiKey(ctx, header, "links:read")).ok) allowed += 1;
    }
    // Never more than the limit between them; at most a lease each left unspent.
    expect(allowed).toBeLessThanOrEqual(200);
    expect(allowed).toBeGreaterThanOrEqual(200 - 2 * leaseSizeFor(200));

    // At the default limit, 200 requests cost 4 leases of 60 points: 4 writes, not 200.
    await app.db.delete(rateLimits);
    const busy = instance(6000);
    const answers = await Promise.all(Array.from({ length: 200 }, () => busy.apiKeys.authenticate(busy, header, "links:read")));
    expect(answers.every((answer) => answer.ok)).toBe(true);
    const [counter] = await app.db
      .select()
      .from(rateLimits)
      .where(eq(rateLimits.key, `api_key:${key.id}`));
    expect(leaseSizeFor(6000)).toBe(60);
    expect(counter!.points).toBe(240);
  });

  it("answers 429 to an address that keeps sending refused keys, before looking them up", async () => {
    const { secret } = await newKey();
    const address = nextAddress();
    for (let i = 0; i < 61; i++) {
      const response = await get(server, LINKS, { "X-Forwarded-For": address, ...bearer(`cb_live_${randomBytes(32).toString("base64url")}`) });
      expect(response.status).toBe(401);
      await response.arrayBuffer();
    }
    const refused = await get(server, LINKS, { "X-Forwarded-For": address, ...bearer(secret) });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    await problemOf(refused, 429);
    // The same key from another address is fine.
    expect((await apiGet(LINKS, bearer(secret))).status).toBe(200);
  });

  it("sizes leases at 1 % of the limit, between 1 and 500", () => {
    expect([1, 99, 100, 6000, 120_000, 10_000_000].map(leaseSizeFor)).toEqual([1, 1, 1, 60, 500, 500]);
  });
});

describe("the origin check", () => {
  const crossSite = { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" };

  it("lets a bearer request to /api/v1 through, whatever its origin", async () => {
    const { secret } = await newKey();
    const response = await fetch(`${server.url}${LINKS}`, { method: "POST", headers: { ...crossSite, ...bearer(secret), "X-Forwarded-For": nextAddress() } });
    // The route answered (GET only), not the origin check.
    await problemOf(response, 405);
  });

  it("still checks a POST to /api/v1 without a bearer, and answers it as a problem", async () => {
    const warn = vi.spyOn(app.log, "warn");
    const response = await fetch(`${server.url}${LINKS}`, {
      method: "POST",
      headers: { ...crossSite, Cookie: admin.cookie, "X-Forwarded-For": nextAddress() },
    });
    const body = await problemOf(response, 403);
    expect(body.detail).toMatch(/Cross-site request refused.*Authorization: Bearer/);
    expect(warn).toHaveBeenCalledWith("malicious_csrf", expect.objectContaining({ path: LINKS }));
    warn.mockRestore();
  });

  it("still checks a bearer sent anywhere else, including paths that only look like the API's", async () => {
    const { secret } = await newKey();
    const form = { name: "Sneaky", scopes: "links:read" };
    const refused = await postForm(server, NEW, form, { ...admin.headers, ...crossSite, ...bearer(secret) });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe("Cross-site request refused.");
    for (const path of ["/api/v1/../../admin/api-keys/new", "/api/v1/%2e%2e/%2E%2E/admin/api-keys/new"]) {
      const raw = await rawRequest(server, path, { headers: { ...admin.headers, ...crossSite, ...bearer(secret) }, form });
      expect(raw.status, path).toBe(403);
      // The control: from the app's own origin, the same path reaches the admin's form (and makes the key).
      const own = await rawRequest(server, path, { headers: { ...admin.headers, Origin: server.url, "Sec-Fetch-Site": "same-origin" }, form });
      expect(own.status, path).toBe(200);
      expect(own.body).toContain("api-key-secret");
    }
    expect((await app.db.select({ name: apiKeys.name }).from(apiKeys)).map((k) => k.name).sort()).toEqual(["Shop checkout", "Sneaky", "Sneaky"]);
  });
});

describe("GET /api/v1/links", () => {
  let sequence = 0;
  async function seedLink(
    organisation: { id: string; slug: string },
    createdAt: Date | ReturnType<typeof sql>,
    fields: Partial<typeof trackingLinks.$inferInsert> = {},
  ) {
    const [link] = await app.db
      .insert(trackingLinks)
      .values({
        code: `Api${String(++sequence).padStart(5, "0")}`,
        organisationId: organisation.id,
        kind: "evergreen",
        label: `Link ${sequence}`,
        destinationUrl: "https://shop.example/lamps",
        utmSource: organisation.slug,
        utmMedium: "website_blog",
        utmCampaign: "evergreen",
        utmContent: `link-${sequence}`,
        createdAt: createdAt as Date,
        ...fields,
      })
      .returning();
    return link!;
  }

  async function walk(secret: string, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await apiGet(`${LINKS}?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, bearer(secret));
      expect(response.status).toBe(200);
      const page = (await response.json()) as { data: { id: string }[]; nextCursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(limit);
      ids.push(...page.data.map((link) => link.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    return { ids, pages };
  }

  it("lists every partner's links newest first, each once, across pages; ties and microseconds included", async () => {
    const alpha = await createPartnerOrg(app.db, "Alpha Media", { status: "active" });
    const beta = await createPartnerOrg(app.db, "Beta Reviews", { status: "paused" });
    const same = new Date(Date.UTC(2030, 0, 1, 12));
    const links = [
      await seedLink(alpha, new Date(Date.UTC(2030, 0, 1, 9))),
      await seedLink(beta, new Date(Date.UTC(2030, 0, 1, 10)), { status: "disabled", disabledReason: "Coupon site.", disabledAt: new Date() }),
      // Three made in one transaction share their time: the id orders them.
      await seedLink(alpha, same),
      await seedLink(beta, same),
      await seedLink(alpha, same),
      // A millisecond cursor would skip or repeat these two.
      await seedLink(alpha, sql`'2030-01-02T00:00:00.000001Z'::timestamptz`),
      await seedLink(beta, sql`'2030-01-02T00:00:00.000002Z'::timestamptz`),
    ];
    const expected = [...links].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    // The two microsecond links are apart by a microsecond only: the newer one first.
    expected.splice(0, 2, links[6]!, links[5]!);
    const { secret } = await newKey();
    for (const limit of [1, 2, 3, 100]) {
      const walked = await walk(secret, limit);
      expect(walked.ids, `limit ${limit}`).toEqual(expected.map((link) => link.id));
      expect(walked.pages).toBe(Math.max(1, Math.ceil(links.length / limit)));
    }

    const response = await apiGet(`${LINKS}?limit=100`, bearer(secret));
    const { data } = (await response.json()) as { data: Record<string, unknown>[] };
    const origin = await canonicalOrigin(app);
    expect(data.find((link) => link.id === links[1]!.id)).toEqual({
      id: links[1]!.id,
      code: links[1]!.code,
      shortUrl: `${origin}/l/${links[1]!.code}`,
      label: links[1]!.label,
      partner: { id: beta.id, slug: beta.slug, name: "Beta Reviews" },
      kind: "evergreen",
      creativeId: null,
      creativeVersionId: null,
      destination: "https://shop.example/lamps",
      status: "disabled",
      createdAt: "2030-01-01T10:00:00.000Z",
    });
  });

  it("pages 25 at a time by default, at most 100", async () => {
    const alpha = await createPartnerOrg(app.db, "Alpha Media", { status: "active" });
    for (let i = 0; i < 27; i++) await seedLink(alpha, new Date(Date.UTC(2030, 1, 1, 0, i)));
    const { secret } = await newKey();
    const first = (await (await apiGet(LINKS, bearer(secret))).json()) as { data: unknown[]; nextCursor: string | null };
    expect(first.data).toHaveLength(25);
    const second = (await (await apiGet(`${LINKS}?cursor=${first.nextCursor}`, bearer(secret))).json()) as { data: unknown[]; nextCursor: string | null };
    expect(second).toMatchObject({ nextCursor: null });
    expect(second.data).toHaveLength(2);
  });

  it("refuses a bad limit, a cursor it did not give out and unknown parameters, naming the field", async () => {
    const { secret } = await newKey();
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=all", "limit"],
      ["cursor=not-a-cursor", "cursor"],
      [`cursor=${Buffer.from('["yesterday","x"]').toString("base64url")}`, "cursor"],
      ["page=2", "page"],
    ] as const) {
      const body = await problemOf(await apiGet(`${LINKS}?${query}`, bearer(secret)), 400);
      expect(
        body.errors?.map((e) => e.field),
        query,
      ).toEqual([field]);
    }
  });
});

describe("the API keys pages", () => {
  it("explain what keys are for while there are none, with the way to the API documentation", async () => {
    const doc = documentOf(await read(await get(server, LIST, admin.headers)));
    const empty = doc.querySelector(".empty-state");
    expect(textOf(empty)).toContain("No API keys yet");
    expect(textOf(empty)).toContain("conversions");
    expect(empty?.querySelector("a[href='/admin/api']")).not.toBeNull();
    expect(empty?.querySelector(`a[href='${NEW}']`)).not.toBeNull();
    // In the admin's navigation, and not in a reviewer's.
    expect(doc.querySelector(`nav a[href='${LIST}']`)).not.toBeNull();
    const reviewer = await signedIn(app, { role: "brand_reviewer" });
    expect(documentOf(await read(await get(server, "/admin", { Cookie: reviewer.cookie }))).querySelector(`nav a[href='${LIST}']`)).toBeNull();
  });

  it("list keys newest first with their scopes, maker, expiry, last use and status, 25 a page", async () => {
    const clock = adjustableClockFor(app);
    for (let i = 1; i <= 26; i++) {
      clock.advance(1000);
      await newKey(["links:read"], { name: `Key ${i}` });
    }
    clock.advance(1000);
    await newKey(["conversions:write"], { name: "Expiring", expiresOn: "2099-12-31" });
    clock.advance(1000);
    const revoked = await newKey(["reports:read"], { name: "Retired" });
    await revokeApiKey(app, admin.actor, revoked.key.id);
    await app.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.name, "Key 26"));

    const doc = documentOf(await read(await get(server, LIST, admin.headers)));
    const rows = [...doc.querySelectorAll(".api-keys-table tbody tr")];
    expect(rows).toHaveLength(25);
    const nameIn = (row: Element) => textOf(row.querySelector("th code")?.previousElementSibling ?? null);
    const rowOf = (name: string) => rows.find((row) => nameIn(row) === name)!;
    expect(rows.slice(0, 3).map(nameIn)).toEqual(["Retired", "Expiring", "Key 26"]);
    expect(textOf(rowOf("Retired"))).toMatch(/Revoked.* by Ada Admin/);
    expect(rowOf("Retired").querySelector("a[href$='/revoke']")).toBeNull();
    expect(textOf(rowOf("Expiring"))).toContain("31 Dec 2099");
    expect(textOf(rowOf("Expiring"))).toContain("conversions:write");
    expect(textOf(rowOf("Key 26"))).toContain("Expired");
    expect(textOf(rowOf("Key 25"))).toMatch(/Active/);
    expect(textOf(rowOf("Key 25"))).toContain("by Ada Admin");
    expect(rowOf("Key 25").querySelector(`a[href='${LIST}/${(await keyNamed("Key 25")).id}/revoke']`)).not.toBeNull();
    expect(textOf(doc.querySelector(".pagination"))).toContain("Page 1 of 2");
    const second = documentOf(await read(await get(server, `${LIST}?page=2`, admin.headers)));
    expect([...second.querySelectorAll(".api-keys-table tbody tr")].map(nameIn)).toEqual(["Key 3", "Key 2", "Key 1"]);
    clock.reset();
  });

  async function keyNamed(name: string) {
    const [row] = await app.db.select().from(apiKeys).where(eq(apiKeys.name, name));
    return row!;
  }

  it("revoke a key after a confirmation, on the audit trail; twice is a 409; an unknown key is 404", async () => {
    const { key } = await newKey(["links:read"], { name: "Shop checkout" });
    const path = `${LIST}/${key.id}/revoke`;
    const confirm = documentOf(await read(await get(server, path, admin.headers)));
    expect(textOf(confirm.querySelector("#revoke-question"))).toContain(`Revoke the key Shop checkout (${key.prefix}…)?`);
    const response = await postForm(server, path, {}, admin.headers);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(LIST);
    expect(toastIn(await read(await follow(server, response, admin.cookie)))).toContain("Shop checkout");
    const revoked = await keyNamed("Shop checkout");
    expect(revoked.revokedAt).not.toBeNull();
    expect(revoked.revokedById).toBe(admin.id);
    const events = await app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "api_key.revoked"), eq(auditEvents.subjectId, key.id)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: admin.id, subjectType: "api_key", data: { name: "Shop checkout", prefix: key.prefix } });

    const again = await postForm(server, path, {}, admin.headers);
    // Twice (another admin was quicker): 409, and the page says it is revoked.
    expect(again.status).toBe(409);
    expect(textOf(documentOf(await read(again)).querySelector("h1"))).toBe("Shop checkout is revoked");
    expect(textOf(documentOf(await read(await get(server, path, admin.headers))).querySelector("h1"))).toBe("Shop checkout is revoked");
    expect((await get(server, `${LIST}/00000000-0000-4000-8000-000000000000/revoke`, admin.headers)).status).toBe(404);
    expect((await get(server, `${LIST}/not-a-uuid/revoke`, admin.headers)).status).toBe(404);

    // The audit viewer names the key.
    const audit = await read(await get(server, "/admin/audit", admin.headers));
    expect(audit).toContain("API key revoked");
    expect(audit).toContain(`Shop checkout (${key.prefix}…)`);
  });
});
