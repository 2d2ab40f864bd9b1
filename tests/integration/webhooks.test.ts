import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, outboxMessages, webhookDeliveries, webhookEndpoints } from "#db/schema/index";
import { openApiDocument } from "~/domain/api/openapi.server";
import { pausePartner, resumePartner } from "~/domain/partners/lifecycle.server";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS, WEBHOOK_TEST_EVENT } from "~/domain/webhooks/catalog";
import { WebhookWorker, type WebhookWorkerOptions } from "~/domain/webhooks/delivery.server";
import { emitWebhookEvent } from "~/domain/webhooks/emit.server";
import {
  createEndpoint,
  deleteEndpoint,
  disableEndpoint,
  enableEndpoint,
  redeliver,
  rotateSecret,
  sendTestEvent,
  updateEndpoint,
  PREVIOUS_SECRET_GRACE_MS,
  signingSecrets,
  updateWebhookSettings,
} from "~/domain/webhooks/endpoints.server";
import type { Actor } from "~/lib/audit.server";
import type { AdjustableClock } from "~/lib/clock";
import type { AppContext } from "~/lib/context.server";
import { transaction } from "~/lib/db.server";
import { isPrivateAddress, systemResolver, type Resolver } from "~/lib/safe-http.server";
import { createTestDatabase, resetDatabase, type TestDatabase } from "../support/db";
import { adjustableClockFor, createPartnerOrg, createTestContext, createUser, signedIn, testConfig } from "../support/context";
import { postEntries } from "../support/forms";
import { get, startTestServer, type TestServer } from "../support/http";

// Signed outbound webhooks (issue 17 §3), against a real HTTP receiver on
// loopback that verifies every signature with the standardwebhooks package:
// every event of the catalogue, subscriptions and wildcards, retries with
// backoff, dead deliveries and the automatic disabling (audit + admin email),
// redelivery, secret rotation, SSRF refusals (loopback, link-local, IPv6
// loopback, names resolving inside), https only, exactly-once claiming by two
// workers on one database.

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string; verified: boolean; error: string | null };

/** A webhook receiver on 127.0.0.1: verifies each request with `secret`, answers `status`. */
class Receiver {
  readonly requests: Received[] = [];
  secret = "";
  status = 200;
  /** How long the receiver waits before it answers. */
  delayMs = 0;
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let verified = false;
      let error: string | null = null;
      try {
        new Webhook(this.secret).verify(body, {
          "webhook-id": String(req.headers["webhook-id"]),
          "webhook-timestamp": String(req.headers["webhook-timestamp"]),
          "webhook-signature": String(req.headers["webhook-signature"]),
        });
        verified = true;
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      this.requests.push({ path: req.url ?? "", headers: req.headers, body, verified, error });
      const answer = () => {
        if (res.destroyed) return;
        const location = this.status >= 300 && this.status < 400 ? { location: "http://169.254.169.254/" } : {};
        res.writeHead(this.status, { "content-type": "text/plain", ...location }).end(this.status < 300 ? "ok" : "receiver says no");
      };
      if (this.delayMs) setTimeout(answer, this.delayMs);
      else answer();
    });
  });
  url = "";
  async start(): Promise<void> {
    this.server.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => this.server.once("listening", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
  reset(): void {
    this.requests.length = 0;
    this.status = 200;
    this.delayMs = 0;
  }
}

let database: TestDatabase;
let app: AppContext;
let clock: AdjustableClock;
let actor: Actor;
const receiver = new Receiver();

beforeAll(async () => {
  database = await createTestDatabase();
  app = createTestContext(database.db, testConfig());
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  await database.close();
});
beforeEach(async () => {
  await resetDatabase(app.db);
  receiver.reset();
  clock = adjustableClockFor(app);
  const admin = await createUser(app.db, { role: "admin", email: "ada@brand.test" });
  actor = { id: admin.id, label: admin.email };
});

const FAST: Partial<WebhookWorkerOptions> = { backoffBaseMs: 1000, backoffMaxMs: 60_000, timeoutMs: 2000 };
const workerWith = (options: Partial<WebhookWorkerOptions> = {}) => new WebhookWorker(app, { ...FAST, ...options });

/** Private receivers allowed (the loopback receiver is one), and an endpoint to it; the receiver holds its secret. */
async function loopbackEndpoint(eventTypes: string[] = ["application.*", "partner.*", "creative.*", "link.*", "conversion.*", "incident.*"], path = "/hook") {
  await updateWebhookSettings(app, actor, { allowPrivateReceivers: true });
  const { endpoint, secret } = await createEndpoint(app, actor, { url: `${receiver.url}${path}`, description: "Loopback receiver", eventTypes });
  receiver.secret = secret;
  return { endpoint, secret };
}

async function deliveriesOf(endpointId: string) {
  return app.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)).orderBy(webhookDeliveries.id);
}

async function emit(type: (typeof WEBHOOK_EVENT_TYPES)[number], data: Record<string, unknown> = WEBHOOK_EVENTS[type].example) {
  return transaction(app.db, (tx) => emitWebhookEvent(tx, app, type, data));
}

describe("signed deliveries to a real receiver", () => {
  it("delivers every event kind of the catalogue, each signature verified by the receiver", async () => {
    const { endpoint } = await loopbackEndpoint();
    for (const type of WEBHOOK_EVENT_TYPES) expect(await emit(type), type).toBe(1);
    const worker = workerWith();
    let handled = 0;
    while ((handled = await worker.runOnce()) > 0) expect(handled).toBeGreaterThan(0);

    expect(receiver.requests).toHaveLength(WEBHOOK_EVENT_TYPES.length);
    expect(receiver.requests.filter((r) => !r.verified).map((r) => r.error)).toEqual([]);
    const types = receiver.requests.map((r) => (JSON.parse(r.body) as { type: string }).type).sort();
    expect(types).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const request of receiver.requests) {
      expect(request.path).toBe("/hook");
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["user-agent"]).toBe("Cobrand-Webhooks/1");
      expect(request.headers["webhook-id"]).toMatch(/^msg_[A-Za-z0-9_-]{22}$/);
      expect(request.headers["webhook-signature"]).toMatch(/^v1,/);
      const payload = JSON.parse(request.body) as { type: string; timestamp: string; data: Record<string, unknown> };
      expect(payload.data).toEqual(WEBHOOK_EVENTS[payload.type as keyof typeof WEBHOOK_EVENTS].example);
    }
    const rows = await deliveriesOf(endpoint.id);
    expect(rows.map((r) => r.status)).toEqual(WEBHOOK_EVENT_TYPES.map(() => "delivered"));
    for (const row of rows) {
      expect(row.lastStatusCode).toBe(200);
      expect(row.lastResponseMs).toBeGreaterThanOrEqual(0);
      expect(row.attempts).toBe(1);
      expect(row.lastRequestHeaders?.["webhook-signature"]).toMatch(/^v1,/);
      expect(JSON.stringify(row.lastRequestHeaders)).not.toContain("whsec_");
    }
  });

  it("sends an endpoint only what it subscribes to, nothing to a disabled one, and a real transition's event", async () => {
    const { endpoint } = await loopbackEndpoint(["partner.paused", "conversion.*"]);
    const { endpoint: off } = await createEndpoint(app, actor, { url: `${receiver.url}/off`, description: "", eventTypes: ["partner.*"] });
    await disableEndpoint(app, actor, off.id);
    const org = await createPartnerOrg(app.db, "Northwind Reviews", { status: "active", activatedAt: new Date() });
    await pausePartner(app, actor, org.id, { reason: "Checking a complaint." }, "https://cobrand.test");
    await resumePartner(app, actor, org.id, {}, "https://cobrand.test");
    expect(await emit("conversion.refunded")).toBe(1);
    expect(await emit("link.created")).toBe(0);
    await workerWith().runOnce();
    expect(receiver.requests.map((r) => r.path)).toEqual(["/hook", "/hook"]);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
    // One batch is sent at once: the receiver may see them in either order.
    const events = receiver.requests.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
    expect(events.map((e) => e.type).sort()).toEqual(["conversion.refunded", "partner.paused"]);
    expect(events.find((e) => e.type === "partner.paused")).toMatchObject({
      data: { partnerId: org.id, partnerName: "Northwind Reviews", status: "paused", previousStatus: "active" },
    });
    expect(await deliveriesOf(off.id)).toEqual([]);
    expect(await deliveriesOf(endpoint.id)).toHaveLength(2);
  });

  it("retries a failed delivery with exponential backoff, then delivers it with the same webhook-id", async () => {
    const { endpoint } = await loopbackEndpoint();
    receiver.status = 500;
    await emit("partner.paused");
    const worker = workerWith({ maxAttempts: 5 });
    expect(await worker.runOnce()).toBe(1);
    let [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 500, lastResponseBody: "receiver says no" });
    expect(row!.lastError).toBe("The receiver answered 500.");
    expect(row!.nextAttemptAt.getTime() - row!.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(1000);
    expect(await worker.runOnce()).toBe(0); // not due yet

    clock.advance(1000);
    expect(await worker.runOnce()).toBe(1);
    [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: "failed", attempts: 2 });
    // Doubled: 2 s after the second attempt.
    expect(row!.nextAttemptAt.getTime() - row!.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(2000);
    clock.advance(1000);
    expect(await worker.runOnce()).toBe(0);

    receiver.status = 200;
    clock.advance(1000);
    expect(await worker.runOnce()).toBe(1);
    [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 200, lastError: null });
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
  });

  it("gives a delivery up after its attempts, disables the endpoint after repeated dead deliveries, audits it as the system and emails the admins", async () => {
    const { endpoint } = await loopbackEndpoint();
    const other = await createUser(app.db, { role: "admin", email: "grace@brand.test" });
    await createUser(app.db, { role: "analyst", email: "ann@brand.test" });
    receiver.status = 503;
    const worker = workerWith({ maxAttempts: 2, disableAfter: 2 });
    await emit("partner.paused");
    await emit("partner.resumed");
    await worker.runOnce();
    clock.advance(1000);
    await worker.runOnce();
    const rows = await deliveriesOf(endpoint.id);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["dead", 2],
      ["dead", 2],
    ]);
    const [stored] = await app.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(stored).toMatchObject({ enabled: false, consecutiveFailures: 2 });
    expect(stored!.disabledReason).toContain("2 deliveries in a row");
    const [event] = await app.db.select().from(auditEvents).where(eq(auditEvents.action, "webhook.auto_disabled"));
    expect(event).toMatchObject({ actorId: null, actorLabel: "system", subjectId: endpoint.id });
    const emails = await app.db.select().from(outboxMessages);
    const disabledNotices = emails.filter((m) => m.payload.subject.includes("was disabled"));
    expect(disabledNotices.map((m) => m.payload.to).sort()).toEqual(["ada@brand.test", other.email].sort());
    expect(disabledNotices[0]!.payload.text).toContain(`/admin/webhooks/${endpoint.id}`);

    // Nothing is sent to a disabled endpoint: new events are not even queued for it.
    expect(await emit("partner.paused")).toBe(0);
    receiver.reset();
    clock.advance(60_000);
    expect(await worker.runOnce()).toBe(0);
    expect(receiver.requests).toEqual([]);

    // Enabled again, its count starts afresh; a dead delivery can be redelivered, same webhook-id, new attempts.
    await enableEndpoint(app, actor, endpoint.id);
    await redeliver(app, actor, endpoint.id, rows[0]!.id);
    expect(await worker.runOnce()).toBe(1);
    const [again] = await deliveriesOf(endpoint.id);
    expect(again).toMatchObject({ status: "delivered", attempts: 1, messageId: rows[0]!.messageId });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.verified).toBe(true);
    const [after] = await app.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(after!.consecutiveFailures).toBe(0);
    await expect(redeliver(app, actor, endpoint.id, rows[1]!.id + 1000)).rejects.toThrow("Delivery not found");
  });

  it("signs with the new secret once rotated, and with the old one beside it for a day unless it is stopped at once", async () => {
    const { endpoint, secret: old } = await loopbackEndpoint();
    const graced = await rotateSecret(app, actor, endpoint.id);
    await sendTestEvent(app, actor, endpoint.id);
    await workerWith().runOnce();
    const first = receiver.requests[0]!;
    const firstHeaders = {
      "webhook-id": String(first.headers["webhook-id"]),
      "webhook-timestamp": String(first.headers["webhook-timestamp"]),
      "webhook-signature": String(first.headers["webhook-signature"]),
    };
    // Two signatures: a receiver holding either secret verifies.
    expect(firstHeaders["webhook-signature"].split(" ")).toHaveLength(2);
    expect(first.verified).toBe(true);
    expect(() => new Webhook(graced).verify(first.body, firstHeaders)).not.toThrow();
    const [stored] = await app.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(signingSecrets(stored!, new Date(clock.now().getTime() + PREVIOUS_SECRET_GRACE_MS - 1000))).toEqual([graced, old]);
    expect(signingSecrets(stored!, new Date(clock.now().getTime() + PREVIOUS_SECRET_GRACE_MS + 1000))).toEqual([graced]);

    receiver.reset();
    const fresh = await rotateSecret(app, actor, endpoint.id, { revokeOld: true });
    expect(fresh).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(fresh).not.toBe(old);
    receiver.secret = fresh;
    await sendTestEvent(app, actor, endpoint.id);
    await workerWith().runOnce();
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.verified).toBe(true);
    expect((JSON.parse(receiver.requests[0]!.body) as { type: string }).type).toBe(WEBHOOK_TEST_EVENT);
    const r = receiver.requests[0]!;
    const headers = {
      "webhook-id": String(r.headers["webhook-id"]),
      "webhook-timestamp": String(r.headers["webhook-timestamp"]),
      "webhook-signature": String(r.headers["webhook-signature"]),
    };
    expect(headers["webhook-signature"].split(" ")).toHaveLength(1);
    expect(() => new Webhook(old).verify(r.body, headers)).toThrow();
    expect(() => new Webhook(graced).verify(r.body, headers)).toThrow();
    const actions = (await app.db.select({ action: auditEvents.action }).from(auditEvents)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["webhook.created", "webhook.secret_rotated", "webhook.test_sent", "webhooks.settings_changed"]));
  });

  it("claims each delivery once with two workers on one database", async () => {
    const { endpoint } = await loopbackEndpoint();
    for (let i = 0; i < 12; i++) await emit("link.created");
    const a = workerWith({ batchSize: 3 });
    const b = workerWith({ batchSize: 3 });
    for (let pass = 0; pass < 10; pass++) await Promise.all([a.runOnce(), b.runOnce()]);
    const ids = receiver.requests.map((r) => r.headers["webhook-id"]);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect((await deliveriesOf(endpoint.id)).every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
  });

  it("deletes an endpoint with its log, on the audit trail", async () => {
    const { endpoint } = await loopbackEndpoint();
    await emit("link.created");
    await updateEndpoint(app, actor, endpoint.id, { url: `${receiver.url}/v2`, description: "New path", eventTypes: ["link.created"] });
    await deleteEndpoint(app, actor, endpoint.id);
    expect(await app.db.select().from(webhookDeliveries)).toEqual([]);
    const events = await app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, endpoint.id)));
    expect(events.map((e) => e.action)).toEqual(["webhook.created", "webhook.updated", "webhook.deleted"]);
  });
});

describe("what a delivery will not do", () => {
  it("connects to the address it checked, keeping the URL's host name in the Host header", async () => {
    await updateWebhookSettings(app, actor, { allowPrivateReceivers: true });
    const port = new URL(receiver.url).port;
    const resolve: Resolver = async (host) => (host === "crm.lumen.example" ? [{ address: "127.0.0.1", family: 4 }] : Promise.reject(new Error("ENOTFOUND")));
    const { endpoint, secret } = await createEndpoint(
      app,
      actor,
      { url: `http://crm.lumen.example:${port}/hook`, description: "", eventTypes: ["link.*"] },
      { resolve },
    );
    receiver.secret = secret;
    await emit("link.disabled");
    await workerWith({ resolve }).runOnce();
    expect(receiver.requests.map((r) => [r.headers.host, r.verified])).toEqual([[`crm.lumen.example:${port}`, true]]);
    expect((await deliveriesOf(endpoint.id))[0]!.status).toBe("delivered");
  });

  it("never follows a redirect, and gives up on a receiver that does not answer in time", async () => {
    const { endpoint } = await loopbackEndpoint();
    receiver.status = 302;
    await emit("link.created");
    await workerWith().runOnce();
    expect(receiver.requests).toHaveLength(1);
    let [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: "failed", lastStatusCode: 302, lastError: "The receiver answered 302." });

    receiver.reset();
    receiver.delayMs = 1500;
    clock.advance(60_000);
    await workerWith({ timeoutMs: 300 }).runOnce();
    [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: "failed", attempts: 2, lastStatusCode: null });
    expect(row!.lastError).toContain("No answer within");
  });

  it("documents every event of the catalogue as a webhook of the OpenAPI document", () => {
    const document = openApiDocument("https://cobrand.test", "Lumen") as { webhooks?: Record<string, unknown> };
    expect(Object.keys(document.webhooks ?? {}).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });
});

describe("server-side request forgery", () => {
  const publicResolver: Resolver = async (host) => {
    const table: Record<string, { address: string; family: 4 | 6 }[]> = {
      "hooks.example.com": [{ address: "93.184.216.34", family: 4 }],
      "internal.example.com": [{ address: "10.1.2.3", family: 4 }],
      "metadata.example.com": [{ address: "169.254.169.254", family: 4 }],
      // One public answer and one inside: refused, whichever would be used.
      "rebind.example.com": [
        { address: "93.184.216.34", family: 4 },
        { address: "127.0.0.1", family: 4 },
      ],
      "v6loop.example.com": [{ address: "::1", family: 6 }],
    };
    const found = table[host];
    if (!found) throw new Error("ENOTFOUND");
    return found;
  };
  const tryCreate = (url: string, resolve: Resolver = publicResolver) =>
    createEndpoint(app, actor, { url, description: "", eventTypes: ["partner.*"] }, { resolve }).then(
      () => null,
      (error: Error & { field?: string }) => ({ message: error.message, field: error.field }),
    );

  it("refuses loopback, link-local, private and IPv6 loopback receivers, and names resolving to them, while the setting is off", async () => {
    for (const url of [
      "https://127.0.0.1/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/hook",
      "https://10.0.0.8/",
      "https://[::ffff:127.0.0.1]/",
    ]) {
      const refusal = await tryCreate(url);
      expect(refusal, url).toMatchObject({ field: "url" });
      expect(refusal!.message, url).toContain("private, loopback or link-local");
    }
    for (const host of ["internal.example.com", "metadata.example.com", "rebind.example.com", "v6loop.example.com"]) {
      const refusal = await tryCreate(`https://${host}/hook`);
      expect(refusal!.message, host).toMatch(new RegExp(`${host.replace(/\./g, "\\.")} resolves to .*private, loopback or link-local`));
    }
    // The system's own resolver: localhost is loopback.
    expect((await tryCreate("https://localhost/hook", systemResolver))?.message).toContain("localhost resolves to");
    expect(await tryCreate("https://nowhere.example.com/")).toMatchObject({ message: expect.stringContaining("could not be resolved") as string });
    expect(await tryCreate("https://hooks.example.com/cobrand")).toBeNull();
    expect(await app.db.select().from(webhookEndpoints)).toHaveLength(1);
  });

  it("asks for https unless private receivers are allowed or the server runs in development", async () => {
    expect(await tryCreate("http://hooks.example.com/cobrand")).toMatchObject({ field: "url", message: expect.stringContaining("https://") as string });
    expect(await tryCreate("http://127.0.0.1/")).toMatchObject({ field: "url", message: expect.stringContaining("https://") as string });
    expect(await tryCreate("ftp://hooks.example.com/")).toMatchObject({ field: "url" });
    expect(await tryCreate("https://user:pass@hooks.example.com/")).toMatchObject({ field: "url", message: expect.stringContaining("user name") as string });
    expect(await tryCreate("not a url")).toMatchObject({ field: "url" });
    const development = createTestContext(app.db, testConfig({ NODE_ENV: "development" }));
    development.clock = clock;
    const inDev = (url: string) =>
      createEndpoint(development, actor, { url, description: "", eventTypes: ["partner.*"] }, { resolve: publicResolver }).then(
        () => null,
        (error: Error) => error.message,
      );
    expect(await inDev("http://hooks.example.com/cobrand")).toBeNull();
    expect(await inDev("http://127.0.0.1/")).toContain("private, loopback or link-local");
  });

  it("checks again at each delivery: a receiver allowed once is refused once the setting is off, and nothing is sent", async () => {
    const { endpoint } = await loopbackEndpoint();
    await updateWebhookSettings(app, actor, { allowPrivateReceivers: false });
    await emit("partner.paused");
    await workerWith().runOnce();
    expect(receiver.requests).toEqual([]);
    const [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: "failed", lastStatusCode: null });
    expect(row!.lastError).toContain("https://");
  });

  it("knows which addresses are inside, IPv4 and IPv6, mapped and translated forms too", () => {
    const inside = [
      "127.0.0.1",
      "10.0.0.1",
      "172.16.5.4",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "fd00::1",
      "fe80::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:169.254.169.254",
      "64:ff9b::7f00:1",
      "2002:7f00:1::1",
      "2001:db8::1",
    ];
    const outside = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.216.34", "2a00:1450:4001:80b::200e"];
    expect(inside.filter((a) => !isPrivateAddress(a))).toEqual([]);
    expect(outside.filter((a) => isPrivateAddress(a))).toEqual([]);
  });
});

describe("the admin pages", () => {
  let server: TestServer;
  let cookie: Record<string, string>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await resetDatabase(server.app.db);
    const admin = await signedIn(server.app, { role: "admin", email: "ada@brand.test" });
    cookie = { Cookie: admin.cookie };
  });
  const post = (path: string, fields: Record<string, string | string[]>) => {
    const entries = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) entries.append(name, v);
    return postEntries(server, path, entries, cookie);
  };

  it("refuses bad input on the new endpoint form with clear messages, keeping what was typed", async () => {
    let response = await post("/admin/webhooks/new", {});
    expect(response.status).toBe(400);
    let html = await response.text();
    expect(html).toContain("The receiver&#x27;s address is required.");
    expect(html).toContain("Choose at least one event.");

    response = await post("/admin/webhooks/new", { url: "https://169.254.169.254/latest", description: "Metadata", eventTypes: ["partner.*"] });
    expect(response.status).toBe(400);
    html = await response.text();
    expect(html).toContain("169.254.169.254 is a private, loopback or link-local address");
    expect(html).toContain('value="https://169.254.169.254/latest"');
    expect(html).toContain('value="Metadata"');

    response = await post("/admin/webhooks/new", { url: `${receiver.url}/hook`, eventTypes: ["partner.*"] });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("must use https://");

    response = await post("/admin/webhooks/new", { url: "https://hooks.example.com/", eventTypes: ["partner.exploded"] });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Choose events from the list.");
    expect(await server.app.db.select().from(webhookEndpoints)).toEqual([]);
  });

  it("shows the secret once, runs the endpoint's actions, and refuses a delete without confirmation", async () => {
    expect((await post("/admin/webhooks?index", { allowPrivateReceivers: "on" })).status).toBe(302);
    const created = await post("/admin/webhooks/new", {
      url: `${receiver.url}/hook`,
      description: "CRM",
      eventTypes: ["partner.*", "partner.paused", "link.created"],
    });
    expect(created.status).toBe(200);
    const html = await created.text();
    const secret = /whsec_[A-Za-z0-9+/=]+/.exec(html)?.[0];
    expect(secret).toBeDefined();
    const [endpoint] = await server.app.db.select().from(webhookEndpoints);
    expect(endpoint!.eventTypes).toEqual(["partner.*", "link.created"]);
    const page = `/admin/webhooks/${endpoint!.id}`;
    const shown = await (await get(server, page, cookie)).text();
    expect(shown).not.toContain(secret);
    expect(shown).toContain("Nothing sent yet");

    // Private receivers are allowed here, so [::1] is accepted: the edit saves.
    let response = await post(page, { intent: "update", url: "https://[::1]/hook", eventTypes: ["partner.*"] });
    expect(response.status).toBe(302);
    expect((await post(page, { intent: "update", url: `${receiver.url}/hook`, description: "CRM", eventTypes: ["partner.*"] })).status).toBe(302);
    response = await post(page, { intent: "update", url: "", description: "x".repeat(201), eventTypes: [] });
    expect(response.status).toBe(400);
    const refused = await response.text();
    expect(refused).toContain("A description must be at most 200 characters.");
    expect(refused).toContain("Choose at least one event.");
    response = await post(page, { intent: "explode" });
    expect(response.status).toBe(400);

    expect((await post(page, { intent: "test" })).status).toBe(302);
    receiver.secret = secret!;
    receiver.reset();
    await new WebhookWorker(server.app, FAST).runOnce();
    expect(receiver.requests.map((r) => r.verified)).toEqual([true]);
    const [delivery] = await server.app.db.select().from(webhookDeliveries);
    const deliveryPage = await (await get(server, `${page}/deliveries/${delivery!.id}`, cookie)).text();
    expect(deliveryPage).toContain("webhook-signature: v1,");
    expect(deliveryPage).not.toContain("whsec_");
    expect((await get(server, `${page}/deliveries/${delivery!.id + 1}`, cookie)).status).toBe(404);
    expect((await post(`${page}/deliveries/${delivery!.id}`, {})).status).toBe(302);

    const rotated = await post(page, { intent: "rotate" });
    expect(rotated.status).toBe(200);
    const fresh = /whsec_[A-Za-z0-9+/=]+/.exec(await rotated.text())?.[0];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(secret);

    expect((await post(page, { intent: "disable" })).status).toBe(302);
    expect((await post(page, { intent: "disable" })).status).toBe(409);
    expect((await post(page, { intent: "enable" })).status).toBe(302);

    response = await post(`${page}/delete`, {});
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Tick the box to confirm");
    expect((await post(`${page}/delete`, { confirm: "on" })).status).toBe(302);
    expect(await server.app.db.select().from(webhookEndpoints)).toEqual([]);
    expect((await get(server, page, cookie)).status).toBe(404);
  });

  it("lists endpoints with an empty state that explains webhooks and links to the catalogue", async () => {
    const list = await (await get(server, "/admin/webhooks", cookie)).text();
    expect(list).toContain("No webhook endpoints yet");
    expect(list).toContain('href="/admin/webhooks/events"');
    const catalogue = await (await get(server, "/admin/webhooks/events", cookie)).text();
    for (const type of WEBHOOK_EVENT_TYPES) expect(catalogue).toContain(type);
  });
});
