import { eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { outboxMessages, type EmailPayload } from "#db/schema/index";
import type { Database } from "~/lib/db.server";
import { createLogger } from "~/lib/log.server";
import { createMailer, type Mailer } from "~/lib/mail.server";
import { enqueueEmail, OutboxWorker } from "~/lib/outbox.server";
import { createTestDatabase, resetDatabase, usingPostgres } from "../support/db";

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
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, _session, callback) {
        let raw = "";
        stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
        stream.on("end", () => {
          received.push(raw);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.server.address() as AddressInfo;
    try {
      const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: "Acme Partners <partners@acme.test>" });
      await enqueueEmail(database.db, { to: "rae@example.com", subject: "You're invited", text: "Open https://x.test/invitation?token=abc", html: "<p>Open</p>" });
      await new OutboxWorker({ db: database.db, mailer, log }).runOnce();
      mailer.close();
      expect((await rows())[0]).toMatchObject({ status: "sent" });
      expect(received).toHaveLength(1);
      expect(received[0]).toMatch(/^To: rae@example.com/m);
      expect(received[0]).toMatch(/^From: Acme Partners <partners@acme.test>/m);
      expect(received[0]).toMatch(/^Subject: You're invited/m);
      expect(received[0]).toContain("https://x.test/invitation?token=abc");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
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
