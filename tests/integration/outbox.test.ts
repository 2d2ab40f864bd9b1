import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { outboxMessages, userTokens, type EmailPayload } from "#db/schema/index";
import { acceptInvitation, describeInvitation, inviteInternalUser, resendInvitation } from "~/domain/accounts/invitations.server";
import { getOutboxMessageForViewer, redactSpentOutboxTokens } from "~/domain/notifications/outbox.server";
import type { Database } from "~/lib/db.server";
import { createLogger } from "~/lib/log.server";
import { createMailer, type Mailer } from "~/lib/mail.server";
import { enqueueEmail, OutboxWorker } from "~/lib/outbox.server";
import { createTestDatabase, resetDatabase, usingPostgres } from "../support/db";
import { createTestContext, createUser, TEST_PASSWORD } from "../support/context";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp";

let database: Database;
const log = createLogger({ silent: true });
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());
beforeEach(() => resetDatabase(database.db));

const message = (i: number): EmailPayload => ({ to: `p${i}@example.com`, subject: `Hello ${i}`, text: `Body ${i}`, html: `<p>Body ${i}</p>` });
const rows = () => database.db.select().from(outboxMessages).orderBy(outboxMessages.id);

function flakyMailer(failures: number): Mailer & { delivered: EmailPayload[] } {
  let calls = 0;
  const delivered: EmailPayload[] = [];
  return {
    mode: "smtp",
    delivered,
    async deliver(m) {
      calls++;
      if (calls <= failures) throw new Error(`SMTP 451 try again (${calls})`);
      delivered.push(m);
      return "sent";
    },
    close() {},
  };
}

describe("outbox", () => {
  it("is written only if the transaction commits", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await enqueueEmail(tx, message(1));
        throw new Error("rollback");
      }),
    ).rejects.toThrow();
    expect(await rows()).toHaveLength(0);
  });

  it("retries with exponential backoff and then delivers", async () => {
    await enqueueEmail(database.db, message(1));
    const mailer = flakyMailer(2);
    const worker = new OutboxWorker({ db: database.db, mailer, log }, { backoffBaseMs: 60_000 });
    await worker.runOnce();
    let [row] = await rows();
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "SMTP 451 try again (1)" });
    const firstDelay = row!.nextAttemptAt.getTime() - Date.now();
    expect(firstDelay).toBeGreaterThan(55_000);
    expect(await worker.runOnce()).toBe(0); // not due yet

    await database.db.update(outboxMessages).set({ nextAttemptAt: new Date(Date.now() - 1) });
    await worker.runOnce();
    [row] = await rows();
    expect(row).toMatchObject({ status: "pending", attempts: 2 });
    const secondDelay = row!.nextAttemptAt.getTime() - Date.now();
    expect(secondDelay).toBeGreaterThan(115_000); // doubled

    await database.db.update(outboxMessages).set({ nextAttemptAt: new Date(Date.now() - 1) });
    await worker.runOnce();
    [row] = await rows();
    expect(row).toMatchObject({ status: "sent", attempts: 3, lastError: null });
    expect(row!.deliveredAt).toBeInstanceOf(Date);
    expect(mailer.delivered).toHaveLength(1);
  });

  it("gives up into the dead state after the maximum attempts", async () => {
    await database.db.insert(outboxMessages).values({ kind: "email", payload: message(1), maxAttempts: 3 });
    const worker = new OutboxWorker({ db: database.db, mailer: flakyMailer(100), log }, { backoffBaseMs: 1 });
    for (let i = 0; i < 5; i++) {
      await database.db.update(outboxMessages).set({ nextAttemptAt: new Date(Date.now() - 1) });
      await worker.runOnce();
    }
    const [row] = await rows();
    expect(row).toMatchObject({ status: "dead", attempts: 3 });
  });

  it("keeps email in the outbox when no SMTP server is configured", async () => {
    await enqueueEmail(database.db, message(1));
    await new OutboxWorker({ db: database.db, mailer: createMailer({ smtpUrl: null, from: "x@y.z" }), log }).runOnce();
    expect((await rows())[0]).toMatchObject({ status: "kept" });
  });

  it("retries a row whose worker died mid-delivery once its claim lapses", async () => {
    await enqueueEmail(database.db, message(1));
    await database.db.update(outboxMessages).set({ status: "sending", attempts: 1, lockedUntil: new Date(Date.now() - 1000) });
    const mailer = flakyMailer(0);
    await new OutboxWorker({ db: database.db, mailer, log }).runOnce();
    expect((await rows())[0]).toMatchObject({ status: "sent", attempts: 2 });
  });

  it(`two workers deliver each message exactly once (FOR UPDATE SKIP LOCKED${usingPostgres ? ", PostgreSQL" : ", PGlite"})`, async () => {
    for (let i = 0; i < 40; i++) await enqueueEmail(database.db, message(i));
    const seen: string[] = [];
    const slowMailer = (name: string): Mailer => ({
      mode: "smtp",
      async deliver(m) {
        await new Promise((r) => setTimeout(r, 5));
        seen.push(`${name}:${m.to}`);
        return "sent";
      },
      close() {},
    });
    const a = new OutboxWorker({ db: database.db, mailer: slowMailer("a"), log }, { batchSize: 3 });
    const b = new OutboxWorker({ db: database.db, mailer: slowMailer("b"), log }, { batchSize: 3 });
    const drain = async (w: OutboxWorker) => {
      while ((await w.runOnce()) > 0);
    };
    await Promise.all([drain(a), drain(b)]);
    const recipients = seen.map((s) => s.split(":")[1]);
    expect(new Set(recipients).size).toBe(40);
    expect(recipients).toHaveLength(40);
    if (usingPostgres) {
      // With real concurrency both workers took a share.
      expect(seen.some((s) => s.startsWith("a:"))).toBe(true);
      expect(seen.some((s) => s.startsWith("b:"))).toBe(true);
    }
    expect((await rows()).every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });

  it("delivers through a real SMTP server", async () => {
    const smtp = await startSmtpServer();
    const { received } = smtp;
    try {
      const mailer = createMailer({ smtpUrl: smtp.url, from: "Acme Partners <partners@acme.test>" });
      await enqueueEmail(database.db, {
        to: "rae@example.com",
        subject: "You're invited",
        text: "Open https://x.test/invitation?token=abc",
        html: "<p>Open</p>",
      });
      await new OutboxWorker({ db: database.db, mailer, log }).runOnce();
      mailer.close();
      expect((await rows())[0]).toMatchObject({ status: "sent" });
      expect(received).toHaveLength(1);
      expect(received[0]).toMatch(/^To: rae@example.com/m);
      expect(received[0]).toMatch(/^From: Acme Partners <partners@acme.test>/m);
      expect(received[0]).toMatch(/^Subject: You're invited/m);
      expect(received[0]).toContain("https://x.test/invitation?token=abc");

      // The sender chosen in Settings → Email: its name on MAIL_FROM's address, replies to its reply-to.
      await enqueueEmail(database.db, { to: "rae@example.com", subject: "Welcome", text: "Hello", html: "<p>Hello</p>" });
      const named = createMailer({ smtpUrl: smtp.url, from: "Acme Partners <partners@acme.test>" });
      await new OutboxWorker({ db: database.db, mailer: named, log, sender: async () => ({ name: "Acme Partner Team", replyTo: "team@acme.test" }) }).runOnce();
      named.close();
      expect(received).toHaveLength(2);
      expect(received[1]).toMatch(/^From: Acme Partner Team <partners@acme.test>/m);
      expect(received[1]).toMatch(/^Reply-To: team@acme.test/m);
    } finally {
      await smtp.close();
    }
  });

  it("records an SMTP failure and retries later", async () => {
    await enqueueEmail(database.db, message(1));
    // Nothing listens on this port.
    const mailer = createMailer({ smtpUrl: "smtp://127.0.0.1:9", from: "x@y.z" });
    await new OutboxWorker({ db: database.db, mailer, log }).runOnce();
    const [row] = await database.db.select().from(outboxMessages).where(eq(outboxMessages.id, 1));
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row!.lastError).toMatch(/ECONNREFUSED|connect/i);
  });
});

describe("SMTP down, then back", () => {
  it("keeps retrying the email while the SMTP server is down and sends it once, when it is back", async () => {
    const received: string[] = [];
    // The mail server's address, with nothing listening on it yet.
    const down = await startSmtpServer({ received });
    await down.close();
    const mailer = createMailer({ smtpUrl: down.url, from: "x@y.z" });
    await enqueueEmail(database.db, message(1));
    const worker = new OutboxWorker({ db: database.db, mailer, log }, { pollMs: 50, backoffBaseMs: 100, backoffMaxMs: 400 });
    worker.start();
    let back: TestSmtpServer | null = null;
    try {
      const until = Date.now() + 20_000;
      // Attempts count at claim time, so wait for a failed attempt to settle back to "pending":
      // a snapshot taken mid-"sending" could be the very attempt that succeeds once the server is back.
      const settledAfterFailures = (row: Awaited<ReturnType<typeof rows>>[number] | undefined) =>
        row !== undefined && row.attempts >= 3 && row.status === "pending";
      while (!settledAfterFailures((await rows())[0]) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      const [failing] = await rows();
      // Waiting for its next attempt: neither sent nor given up.
      expect(failing!.status).toBe("pending");
      expect(failing!.attempts).toBeGreaterThanOrEqual(3);
      expect(failing!.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(received).toHaveLength(0);

      back = await startSmtpServer({ port: down.port, received });
      while ((await rows())[0]?.status !== "sent" && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
      // Further passes find nothing left to send.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [sent] = await rows();
      expect(sent).toMatchObject({ status: "sent", lastError: null });
      expect(sent!.attempts).toBeGreaterThan(failing!.attempts);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatch(/^Subject: Hello 1/m);
    } finally {
      await worker.stop();
      mailer.close();
      await back?.close();
    }
  });
});

describe("one-time tokens in the outbox", () => {
  const origin = "https://partners.acme.test";
  const tokenFrom = (text: string) => /token=([A-Za-z0-9_-]+)/.exec(text)![1]!;
  const keepMailer = createMailer({ smtpUrl: null, from: "x@y.z" });

  async function invite(email = "rae@example.com") {
    const app = createTestContext(database.db);
    const admin = await createUser(database.db, { role: "admin", name: "Ada", email: "ada@acme.test" });
    const inviter = { id: admin.id, label: admin.email, name: admin.name };
    await inviteInternalUser(app, inviter, { email, role: "brand_reviewer" }, origin);
    return { app, admin, inviter };
  }

  it("are redacted from the stored copy once delivered by SMTP; the recipient's link still works", async () => {
    const { app, admin } = await invite();
    const [queued] = await rows();
    // Not yet delivered, with SMTP configured: an admin who is not the recipient does not see the link.
    const pending = await getOutboxMessageForViewer(database.db, queued!.id, admin, "smtp", new Date());
    expect(pending!.message.payload.text).not.toMatch(/token=(?!\[redacted\])/);
    expect(pending!.tokensHidden).toBe(true);

    const smtp = flakyMailer(0);
    await new OutboxWorker({ db: database.db, mailer: smtp, log }).runOnce();
    const sentToken = tokenFrom(smtp.delivered[0]!.text);
    const [stored] = await rows();
    expect(stored!.status).toBe("sent");
    for (const part of [stored!.payload.subject, stored!.payload.text, stored!.payload.html]) expect(part).not.toContain(sentToken);
    expect(stored!.payload.text).toContain(`${origin}/invitation?token=[redacted]`);
    expect(stored!.payload.html).toContain("token=[redacted]");
    expect(await describeInvitation(app, sentToken)).toMatchObject({ valid: true, email: "rae@example.com" });
    await acceptInvitation(app, sentToken, { name: "Rae", password: TEST_PASSWORD }, { ip: null, userAgent: null });
  });

  it("stay visible in kept mode only while live: redacted in the stored row once used, and hidden at once when withdrawn", async () => {
    const { app, admin, inviter } = await invite();
    await new OutboxWorker({ db: database.db, mailer: keepMailer, log }).runOnce();
    const [kept] = await rows();
    const token = tokenFrom(kept!.payload.text);
    expect(kept!.status).toBe("kept");
    // With no SMTP the outbox is the delivery: the admin sees the live link to pass it on.
    const shown = await getOutboxMessageForViewer(database.db, kept!.id, admin, "keep", new Date());
    expect(shown!.message.payload.text).toContain(`token=${token}`);
    expect(shown!.tokensHidden).toBe(false);

    await acceptInvitation(app, token, { name: "Rae", password: TEST_PASSWORD }, { ip: null, userAgent: null });
    const [used] = await rows();
    expect(JSON.stringify(used!.payload)).not.toContain(token);
    expect(used!.payload.text).toContain("token=[redacted]");
    const afterUse = await getOutboxMessageForViewer(database.db, kept!.id, admin, "keep", new Date());
    expect(afterUse!.tokensHidden).toBe(true);

    // A resend withdraws the first link: the page hides it at once, the hourly sweep redacts the stored copy.
    await inviteInternalUser(app, inviter, { email: "sam@example.com", role: "analyst" }, origin);
    const [invitation] = await database.db.select().from(userTokens).where(eq(userTokens.email, "sam@example.com"));
    await resendInvitation(app, inviter, invitation!.id, origin);
    await new OutboxWorker({ db: database.db, mailer: keepMailer, log }).runOnce();
    const [, first, second] = await rows();
    const firstToken = tokenFrom(first!.payload.text);
    expect((await getOutboxMessageForViewer(database.db, first!.id, admin, "keep", new Date()))!.message.payload.text).not.toContain(firstToken);
    expect(await redactSpentOutboxTokens(database.db, new Date())).toBe(1);
    expect((await rows())[1]!.payload.text).not.toContain(firstToken);
    // The live one is left alone until it expires.
    const secondToken = tokenFrom(second!.payload.text);
    expect((await rows())[2]!.payload.text).toContain(secondToken);
    expect(await redactSpentOutboxTokens(database.db, new Date(Date.now() + 8 * 86_400_000))).toBe(1);
    expect((await rows())[2]!.payload.text).not.toContain(secondToken);
  });
});
