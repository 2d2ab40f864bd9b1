import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { outboxMessages, userTokens, webhookDeliveries, type TrackingLink } from "#db/schema/index";
import { LOGIN_ACCOUNT_IP_LIMIT } from "~/domain/accounts/login.server";
import { evergreenLink } from "../support/links";
import { createEndpoint, updateWebhookSettings } from "~/domain/webhooks/endpoints.server";
import { emitWebhookEvent } from "~/domain/webhooks/emit.server";
import { WEBHOOK_EVENTS } from "~/domain/webhooks/catalog";
import type { AppContext } from "~/lib/context.server";
import { rowsOf, transaction } from "~/lib/db.server";
import { enqueueEmail } from "~/lib/outbox.server";
import { startBuiltServer, waitForOutput, type StartedServer } from "../support/built-server";
import { clickStream } from "../support/click-stream";
import { createTestContext, createUser, TEST_APP_SECRET, TEST_PASSWORD } from "../support/context";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../support/db";
import { cookieFrom, get, postForm } from "../support/http";
import { BROWSER_UA, FALLBACK_URL, linkProgram, partnerWithLink, SHOP_DOMAIN } from "../support/links";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp";

// Two built server processes on one PostgreSQL database, each running its
// redirect, its outbox worker and its webhook worker, as two instances behind
// a load balancer would: what one does, the other sees, and no work is done
// twice. PGlite is one process's database (a second process is refused its
// directory), so this needs TEST_DATABASE_URL.

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const NEEDS_POSTGRES = "skipped: needs PostgreSQL (TEST_DATABASE_URL); two processes cannot share a PGlite database";
// Said in the run's output, not only in the skipped test's name (which the default reporter does not list).
if (!usingPostgres) console.info(`${path.basename(import.meta.url)}: ${NEEDS_POSTGRES}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` (a database query, a counter) until it holds or `ms` pass. */
async function eventually(condition: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await sleep(50);
  }
}

/** A short link's answer, without following it. */
function visit(server: StartedServer, code: string): Promise<{ status: number; location: string | null }> {
  return fetch(`${server.url}/l/${code}`, { redirect: "manual", headers: { "User-Agent": BROWSER_UA } }).then(async (response) => {
    await response.body?.cancel();
    return { status: response.status, location: response.headers.get("location") };
  });
}

describe.skipIf(!usingPostgres)(`two instances on one PostgreSQL database${usingPostgres ? "" : ` (${NEEDS_POSTGRES})`}`, () => {
  let database: TestDatabase;
  let app: AppContext;
  let admin: Awaited<ReturnType<typeof createUser>>;
  let linkA: TrackingLink;
  let linkB: TrackingLink;
  let one: StartedServer;
  let two: StartedServer;
  let smtp: TestSmtpServer;
  /** The webhook-id of each request the receiver got. */
  const hooks: string[] = [];
  const receiver = http.createServer((req, res) => {
    hooks.push(String(req.headers["webhook-id"]));
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    app = createTestContext(database.db);
    await linkProgram(app);
    const partner = await partnerWithLink(app);
    linkA = partner.link;
    linkB = await evergreenLink(app, partner, `https://${SHOP_DOMAIN}/autumn`, "Autumn lamps");
    admin = await createUser(app.db, { role: "admin", email: "ada@brand.test" });
    const actor = { id: admin.id, label: admin.email };

    receiver.listen(0, "127.0.0.1");
    [smtp] = await Promise.all([startSmtpServer(), new Promise((resolve) => receiver.once("listening", resolve))]);
    // The receiver is on loopback: allowed only with this setting (app/lib/safe-http.server.ts).
    await updateWebhookSettings(app, actor, { allowPrivateReceivers: true });
    await createEndpoint(app, actor, {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      description: "Counts deliveries",
      eventTypes: ["conversion.*"],
    });

    const env = {
      APP_SECRET: TEST_APP_SECRET,
      DATABASE_URL: database.url!,
      SMTP_URL: smtp.url,
      // Each instance is reached on its own port: both are this program's hosts.
      ALLOWED_HOSTS: "*",
      WORKER_POLL_MS: "100",
    };
    [one, two] = await Promise.all([
      startBuiltServer(fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-one-")), env),
      startBuiltServer(fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-two-")), env),
    ]);
  });

  afterAll(async () => {
    for (const server of [one, two]) if (server && server.child.exitCode === null) server.child.kill("SIGTERM");
    await Promise.all([one?.exited, two?.exited]);
    await smtp?.close();
    await new Promise((resolve) => receiver.close(resolve));
    await database?.close();
  });

  it("a session made on one works on the other, and signing out on the other ends it on both", async () => {
    const signIn = await postForm(one, "/login", { email: admin.email, password: TEST_PASSWORD, redirectTo: "" });
    expect(signIn.status).toBe(302);
    const cookie = cookieFrom(signIn);
    expect((await get(two, "/admin/users", { Cookie: cookie })).status).toBe(200);
    expect((await get(one, "/admin/users", { Cookie: cookie })).status).toBe(200);

    expect((await postForm(two, "/logout", {}, { Cookie: cookie })).status).toBe(302);
    for (const server of [one, two]) {
      const after = await get(server, "/admin/users", { Cookie: cookie });
      expect(after.status).toBe(302);
      expect(after.headers.get("location")).toMatch(/^\/login/);
    }
  });

  it("sends each queued email once, with both instances' outbox workers taking turns", async () => {
    const COUNT = 40;
    for (let i = 0; i < COUNT; i++)
      await enqueueEmail(database.db, { to: `p${i}@example.com`, subject: `Batch ${i}`, text: `Body ${i}`, html: `<p>Body ${i}</p>` });
    const statuses = () => database.db.select({ status: outboxMessages.status, attempts: outboxMessages.attempts }).from(outboxMessages);
    await eventually(async () => (await statuses()).every((row) => row.status === "sent"));
    // A second sending would come within a poll or two.
    await sleep(500);
    const subjects = smtp.received.map((raw) => /^Subject: (Batch \d+)/m.exec(raw)?.[1]).filter(Boolean);
    expect(subjects).toHaveLength(COUNT);
    expect(new Set(subjects).size).toBe(COUNT);
    expect((await statuses()).every((row) => row.attempts === 1)).toBe(true);
  });

  it("delivers each webhook event once, with both instances' webhook workers taking turns", async () => {
    const COUNT = 30;
    for (let i = 0; i < COUNT; i++)
      await transaction(app.db, (tx) => emitWebhookEvent(tx, app, "conversion.recorded", WEBHOOK_EVENTS["conversion.recorded"].example));
    const deliveries = () => database.db.select({ status: webhookDeliveries.status, attempts: webhookDeliveries.attempts }).from(webhookDeliveries);
    expect(await deliveries()).toHaveLength(COUNT);
    await eventually(async () => (await deliveries()).every((row) => row.status === "delivered"));
    await sleep(500);
    expect(hooks).toHaveLength(COUNT);
    expect(new Set(hooks).size).toBe(COUNT);
    expect((await deliveries()).every((row) => row.attempts === 1)).toBe(true);
  });

  it("counts failed sign-ins and password resets across both instances: a limit is not doubled by a second instance", async () => {
    const lee = await createUser(app.db, { role: "admin", email: "lee@brand.test" });
    // The limit's failures, spread over both instances: neither alone reaches it.
    for (let i = 0; i < LOGIN_ACCOUNT_IP_LIMIT.points; i++) {
      const failed = await postForm(i % 2 ? two : one, "/login", { email: lee.email, password: "not the password", redirectTo: "" });
      expect(failed.status).toBe(400);
    }
    for (const server of [one, two]) {
      const throttled = await postForm(server, "/login", { email: lee.email, password: TEST_PASSWORD, redirectTo: "" });
      expect(throttled.status).toBe(429);
      expect(throttled.headers.getSetCookie().some((c) => c.includes("cobrand_session="))).toBe(false);
    }

    // Three reset emails an hour per address (app/domain/accounts/passwords.server.ts); four asked, two on each instance.
    for (const server of [one, two, one, two]) expect((await postForm(server, "/forgot-password", { email: lee.email })).status).toBe(200);
    const resets = await database.db
      .select({ id: userTokens.id })
      .from(userTokens)
      .where(and(eq(userTokens.userId, lee.id), eq(userTokens.purpose, "password_reset")));
    expect(resets).toHaveLength(3);
  });

  it("a link disabled on one instance sends the other's visitors to the fallback page at once", async () => {
    // Both read the link now and trust what they read for 5 s (the redirect's cache): a change seen before then was announced.
    const warmedAt = Date.now();
    for (const server of [one, two]) expect((await visit(server, linkA.code)).location).toMatch(new RegExp(`^https://${SHOP_DOMAIN}/`));
    const signIn = await postForm(one, "/login", { email: admin.email, password: TEST_PASSWORD, redirectTo: "" });
    const disable = await postForm(
      one,
      `/admin/links/${linkA.id}`,
      { intent: "disable", linkId: linkA.id, reason: "The partner asked us to pause it" },
      { Cookie: cookieFrom(signIn) },
    );
    expect(disable.status).toBe(302);
    // The other instance heard of it (LISTEN/NOTIFY) well before its cached copy expired.
    await eventually(async () => (await visit(two, linkA.code)).location === FALLBACK_URL, 5_000);
    expect(Date.now() - warmedAt).toBeLessThan(5_000);
    expect((await visit(one, linkA.code)).location).toBe(FALLBACK_URL);
  });

  it("counts every click sent to either instance once both stop", async () => {
    const streams = [clickStream(one.url, linkB.code, { workers: 8 }), clickStream(two.url, linkB.code, { workers: 8 })];
    await eventually(() => streams.every((s) => s.tally.redirects > 500));
    for (const server of [one, two]) server.child.kill("SIGTERM");
    await Promise.all([waitForOutput(one, '"event":"server.stopped"'), waitForOutput(two, '"event":"server.stopped"')]);
    await Promise.all(streams.map((s) => s.stop()));
    for (const server of [one, two]) {
      expect((await server.exited).code).toBe(0);
      expect(server.output()).not.toContain("clicks.dropped");
    }
    const [counted] = rowsOf<{ clicks: number; orphans: number }>(
      await database.db.execute(sql`
        select (select count(*)::int from link_clicks where link_id = ${linkB.id}) as clicks,
          (select count(*)::int from link_clicks where requested_code = 'NoSuchCode1') as orphans`),
    );
    expect(counted).toEqual({
      clicks: streams[0]!.tally.redirects + streams[1]!.tally.redirects,
      orphans: streams[0]!.tally.notFound + streams[1]!.tally.notFound,
    });
    expect(streams.every((s) => s.tally.other === 0)).toBe(true);
  });
});
