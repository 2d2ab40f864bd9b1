import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { conversionDaily, conversionRefunds, conversions, partnerOrganisations } from "#db/schema/index";
import { createApiKey } from "~/domain/api-keys/keys.server";
import type { ApiKeyScope } from "~/domain/api-keys/catalog";
import { systemClock } from "~/lib/clock";
import type { AppContext } from "~/lib/context.server";
import { resetDatabase, usingPostgres } from "../support/db";
import { signedIn } from "../support/context";
import { rawRequest, startTestServer, type TestServer } from "../support/http";
import { BROWSER_UA, linkProgram, partnerWithLink } from "../support/links";

// The conversions API over HTTP (issue 16 §2–4): a click made through the
// redirect, then its conversion posted with a key, as a shop's backend would;
// the answers' statuses and problem documents; retries, including twenty at
// once; refunds; scopes. The rules themselves are tested at the domain level
// (conversions-domain.test.ts); here, what a client of the API sees.

const CONVERSIONS = "/api/v1/conversions";

let server: TestServer;
let app: AppContext;
beforeAll(async () => {
  server = await startTestServer({ configure: (config) => ({ ...config, trustProxy: "loopback" }) });
  app = server.app;
});
afterAll(() => server.close());

let secret: string;
// One order time per test, so a repeat is the same request (the click comes a moment later: within the clocks' allowed skew).
let orderedAt: string;
beforeEach(async () => {
  orderedAt = new Date().toISOString();
  await resetDatabase(app.db);
  app.siteOriginCache.forget();
  app.clock = systemClock;
  await linkProgram(app);
  secret = await keyWith(["conversions:write"]);
});

let addresses = 0;
/** Each call from an address of its own, as many shops' servers would be. */
const nextAddress = () => `203.0.113.${(addresses++ % 250) + 1}`;

async function keyWith(scopes: ApiKeyScope[]): Promise<string> {
  const admin = await signedIn(app, { role: "admin", email: `admin-${scopes.join("-").replace(/:/g, "")}-${addresses++}@brand.test` });
  const { secret } = await createApiKey(app, { id: admin.id, label: admin.email }, { name: `Checkout ${scopes.join(" ")}`, scopes, expiresOn: null });
  return secret;
}

function post(path: string, body: unknown, options: { key?: string; headers?: Record<string, string> } = {}) {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${options.key ?? secret}`,
      "Content-Type": "application/json",
      "X-Forwarded-For": nextAddress(),
      ...options.headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

type Problem = { type: string; title: string; status: number; detail: string; errors?: { field: string; message: string }[] };
async function problemOf(response: Response, status: number): Promise<Problem> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as Problem;
}

/** A person's click on the partner's short link, through the redirect: the click id the shop's landing page reads. */
async function clickThrough(code: string): Promise<string> {
  const response = await rawRequest(server, `/l/${code}?utm_source=evil`, {
    method: "GET",
    headers: { "User-Agent": BROWSER_UA, "X-Forwarded-For": nextAddress() },
  });
  expect(response.status).toBe(302);
  const clickId = new URL(String(response.headers.location)).searchParams.get("cb_click");
  expect(clickId).toMatch(/^[0-9A-Za-z]{20}$/);
  return clickId!;
}

async function revenueSharePartner() {
  const partner = await partnerWithLink(app, "Lumen Blog");
  await app.db.update(partnerOrganisations).set({ commercialModel: "revenue_share", rateBasisPoints: 1000 }).where(eq(partnerOrganisations.id, partner.org.id));
  return partner;
}

/** The rollup's figures, its slots summed. */
async function rollupTotals() {
  const rows = await app.db.select().from(conversionDaily);
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return {
    organisationIds: [...new Set(rows.map((row) => row.organisationId))],
    conversions: sum((row) => row.conversions),
    revenueMinor: sum((row) => row.revenueMinor),
    commissionMinor: sum((row) => row.commissionMinor),
    refundedMinor: sum((row) => row.refundedMinor),
  };
}

const order = (fields: Record<string, unknown> = {}) => ({
  orderId: "ORD-1001",
  amount: 4999,
  currency: "USD",
  occurredAt: orderedAt,
  ...fields,
});

describe("POST /api/v1/conversions", () => {
  it("attributes a conversion to the click made through the redirect moments before, and counts it once however often it is sent", async () => {
    const { org, link } = await revenueSharePartner();
    // Posted at once: the click may still be in the recorder's queue, which the API flushes to find it.
    const clickId = await clickThrough(link.code);
    const first = await post(CONVERSIONS, order({ clickId }));
    expect(first.status).toBe(201);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const created = (await first.json()) as {
      id: string;
      attribution: { attributedBy: string; partner: { id: string } | null; link: { code: string } | null; clickId: string };
      commission: { amount: number; currency: string };
    };
    expect(created.attribution).toMatchObject({ attributedBy: "click", partner: { id: org.id }, link: { code: link.code }, clickId });
    // 10 % of 49.99, rounded half to even: 5.00 (499.9 cents).
    expect(created.commission).toMatchObject({ amount: 500, currency: "USD" });

    const again = await post(CONVERSIONS, order({ clickId }));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(created);
    const [{ rows }] = (await app.db.select({ rows: count() }).from(conversions)) as [{ rows: number }];
    expect(rows).toBe(1);
    expect(await rollupTotals()).toEqual({ organisationIds: [org.id], conversions: 1, revenueMinor: 4999, commissionMinor: 500, refundedMinor: 0 });
  });

  it("answers 409 naming each field that differs from the order's first request, and changes nothing", async () => {
    await post(CONVERSIONS, order({ customerId: "C-1" }));
    const conflict = await problemOf(await post(CONVERSIONS, order({ amount: 5999, currency: "EUR", customerId: "C-1" })), 409);
    expect(conflict.type).toBe("urn:cobrand:problem:conflict");
    expect(conflict.errors?.map((e) => e.field)).toEqual(["amount", "currency"]);
    expect(conflict.detail).toMatch(/amount/);
    const [stored] = await app.db.select().from(conversions);
    expect(stored).toMatchObject({ amountMinor: 4999, currency: "USD" });
  });

  it(`creates one conversion from twenty identical requests sent at once${usingPostgres ? " (PostgreSQL)" : ""}`, async () => {
    const { link } = await revenueSharePartner();
    const clickId = await clickThrough(link.code);
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(CONVERSIONS, order({ orderId: "ORD-RACE", clickId }))));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id)));
    expect(ids.size).toBe(1);
    const [{ rows }] = (await app.db.select({ rows: count() }).from(conversions)) as [{ rows: number }];
    expect(rows).toBe(1);
    expect((await rollupTotals()).conversions).toBe(1);
  });

  it("refuses bad input with a problem document that names the fields, and stores nothing", async () => {
    const invalid = await problemOf(await post(CONVERSIONS, { orderId: "", amount: 19.99, currency: "usd", occurredAt: "yesterday", ammount: 1 }), 400);
    expect(invalid.type).toBe("urn:cobrand:problem:invalid");
    expect(new Set(invalid.errors?.map((e) => e.field))).toEqual(new Set(["orderId", "amount", "currency", "occurredAt", "ammount"]));
    expect(invalid.errors?.find((e) => e.field === "amount")?.message).toMatch(/whole number of minor units/);

    const notJson = await problemOf(await post(CONVERSIONS, "{orderId: 1"), 400);
    expect(notJson.type).toBe("urn:cobrand:problem:invalid-json");
    expect((await problemOf(await post(CONVERSIONS, "orderId=1", { headers: { "Content-Type": "application/x-www-form-urlencoded" } }), 415)).type).toBe(
      "urn:cobrand:problem:unsupported-media-type",
    );
    const future = await problemOf(await post(CONVERSIONS, order({ occurredAt: new Date(Date.now() + 3_600_000).toISOString() })), 400);
    expect(future.errors?.map((e) => e.field)).toEqual(["occurredAt"]);

    const [{ rows }] = (await app.db.select({ rows: count() }).from(conversions)) as [{ rows: number }];
    expect(rows).toBe(0);
  });

  it("keeps a conversion nothing attributes, and says so", async () => {
    const response = await post(CONVERSIONS, order({ clickId: "0000000NoSuchClickId", couponCode: "NOPE" }));
    expect(response.status).toBe(201);
    const body = (await response.json()) as { attribution: { attributedBy: string; partner: unknown; notes: { kind: string }[] } };
    expect(body.attribution.attributedBy).toBe("none");
    expect(body.attribution.partner).toBeNull();
    expect(body.attribution.notes.map((n) => n.kind)).toEqual(["click_unknown", "coupon_unknown"]);
  });

  it("takes only a key with the conversions:write scope, never a session cookie", async () => {
    const readOnly = await keyWith(["links:read", "reports:read"]);
    const scope = await problemOf(await post(CONVERSIONS, order(), { key: readOnly }), 403);
    expect(scope.detail).toMatch(/conversions:write/);
    const admin = await signedIn(app, { role: "admin", email: "cookie-admin@brand.test" });
    const cookieOnly = await fetch(`${server.url}${CONVERSIONS}`, {
      method: "POST",
      headers: {
        Cookie: admin.cookie,
        "Content-Type": "application/json",
        Origin: server.url,
        "Sec-Fetch-Site": "same-origin",
        "X-Forwarded-For": nextAddress(),
      },
      body: JSON.stringify(order()),
    });
    await problemOf(cookieOnly, 401);
    expect(cookieOnly.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const [{ rows }] = (await app.db.select({ rows: count() }).from(conversions)) as [{ rows: number }];
    expect(rows).toBe(0);
  });

  it("answers GET with 405 naming POST", async () => {
    const response = await fetch(`${server.url}${CONVERSIONS}`, { headers: { Authorization: `Bearer ${secret}`, "X-Forwarded-For": nextAddress() } });
    await problemOf(response, 405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});

describe("GET /api/v1/conversions/{orderId}", () => {
  it("reads a conversion with a reports:read key, as it stands after its refunds", async () => {
    await revenueSharePartner();
    await post(CONVERSIONS, order({ orderId: "ORD/7 A" }));
    await post(`${CONVERSIONS}/${encodeURIComponent("ORD/7 A")}/refunds`, { refundId: "RF-1", amount: 999 });
    const reader = await keyWith(["reports:read"]);
    const response = await fetch(`${server.url}${CONVERSIONS}/${encodeURIComponent("ORD/7 A")}`, {
      headers: { Authorization: `Bearer ${reader}`, "X-Forwarded-For": nextAddress() },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ orderId: "ORD/7 A", amount: 4999, refunded: { amount: 999 } });
    const missing = await fetch(`${server.url}${CONVERSIONS}/ORD-NONE`, { headers: { Authorization: `Bearer ${reader}`, "X-Forwarded-For": nextAddress() } });
    expect((await problemOf(missing, 404)).type).toBe("urn:cobrand:problem:not-found");
    // The writing key cannot read.
    const writer = await fetch(`${server.url}${CONVERSIONS}/${encodeURIComponent("ORD/7 A")}`, {
      headers: { Authorization: `Bearer ${secret}`, "X-Forwarded-For": nextAddress() },
    });
    await problemOf(writer, 403);
  });
});

describe("POST /api/v1/conversions/{orderId}/refunds", () => {
  it("refunds in parts, answers a repeat with the first refund, and refuses more than is left or an unknown order", async () => {
    const { link } = await revenueSharePartner();
    const clickId = await clickThrough(link.code);
    await post(CONVERSIONS, order({ clickId }));
    const refunds = `${CONVERSIONS}/ORD-1001/refunds`;

    const first = await post(refunds, { refundId: "RF-1", amount: 1999, reason: "One lamp returned" });
    expect(first.status).toBe(201);
    const created = (await first.json()) as {
      refund: { amount: number; commissionReversed: number };
      conversion: { refunded: { amount: number; commission: number } };
    };
    // 1999 of 4999 takes back 1999/4999 of the 500 commission: 199.94, so 200.
    expect(created.refund).toMatchObject({ amount: 1999, commissionReversed: 200 });
    expect(created.conversion.refunded).toEqual({ amount: 1999, commission: 200 });

    const repeat = await post(refunds, { refundId: "RF-1", amount: 1999, reason: "One lamp returned" });
    expect(repeat.status).toBe(200);
    expect(((await repeat.json()) as typeof created).refund).toEqual(created.refund);
    expect((await problemOf(await post(refunds, { refundId: "RF-1", amount: 500 }), 409)).errors?.map((e) => e.field)).toContain("amount");

    const tooMuch = await problemOf(await post(refunds, { refundId: "RF-2", amount: 3001 }), 409);
    expect(tooMuch.errors?.map((e) => e.field)).toEqual(["amount"]);
    expect(tooMuch.detail).toMatch(/\$30\.00/);

    const rest = await post(refunds, { refundId: "RF-2", amount: 3000 });
    expect(rest.status).toBe(201);
    expect(((await rest.json()) as typeof created).conversion.refunded).toEqual({ amount: 4999, commission: 500 });
    await problemOf(await post(`${CONVERSIONS}/ORD-NONE/refunds`, { refundId: "RF-1", amount: 1 }), 404);
    expect((await problemOf(await post(refunds, { refundId: "RF-3", amount: 0 }), 400)).errors?.map((e) => e.field)).toEqual(["amount"]);

    const [{ rows }] = (await app.db.select({ rows: count() }).from(conversionRefunds)) as [{ rows: number }];
    expect(rows).toBe(2);
    expect(await rollupTotals()).toMatchObject({ conversions: 1, revenueMinor: 0, commissionMinor: 0, refundedMinor: 4999 });
  });
});
