import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { asc, desc, eq, gte, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents } from "#db/schema/index";
import { CHECKPOINT_PREFIX, checkpointKeysToPrune, verifyAuditTrail, writeAuditCheckpoint } from "~/lib/audit-checkpoints.server";
import {
  computeAuditHash,
  computeUnkeyedAuditHash,
  deriveAuditKeys,
  GENESIS_HASH,
  keyAuditChain,
  recordAudit,
  recordAuditNow,
  setAuditKeys,
  verifyAuditChain,
} from "~/lib/audit.server";
import type { Database } from "~/lib/db.server";
import { createStorage, type StorageDriver } from "~/lib/storage/index.server";
import { runHousekeeping } from "~/runtime.server";
import { createTestContext, createUser, sessionCookieFor, TEST_APP_SECRET } from "../support/context";
import { get, postForm, startTestServer } from "../support/http";
import { createTestDatabase, resetDatabase } from "../support/db";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());
let storage: StorageDriver;
beforeEach(async () => {
  await resetDatabase(database.db);
  storage = createStorage({ driver: "local", root: fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-audit-")) });
});

const actor = { id: null, label: "tester", ip: "127.0.0.1" };
// Any catalogued action will do: recordAudit accepts no other.
const TEST_ACTION = "settings.rules_updated";

async function writeEvents(n: number) {
  for (let i = 1; i <= n; i++) {
    await recordAuditNow(database.db, { actor, action: TEST_ACTION, subjectType: "thing", subjectId: String(i), data: { n: i, nested: { z: 1, a: [i] } } });
  }
}

/** Tampering as a database superuser would: around the append-only trigger. */
async function tamper(statement: ReturnType<typeof sql>) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
  });
}

describe("audit trail", () => {
  it("chains every event to the previous one and verifies the whole chain", async () => {
    await writeEvents(5);
    const rows = await database.db.select().from(auditEvents).orderBy(auditEvents.id);
    expect(rows[0]!.prevHash).toBe("0".repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(await verifyAuditChain(database.db, 2)).toEqual({ ok: true, checked: 5, unkeyed: 0, head: { id: 5, hash: rows[4]!.hash } });
  });

  it("refuses updates and deletes at the database", async () => {
    await writeEvents(1);
    await expect(database.db.execute(sql`update audit_events set action = 'x'`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from audit_events`)).rejects.toThrow();
  });

  it("names the first edited row", async () => {
    await writeEvents(6);
    await tamper(sql`update audit_events set data = '{"n": 999}'::jsonb where id = 4`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenId: 4, checked: 3, reason: expect.stringMatching(/edited/) });
  });

  it("notices a removed row at the row after it", async () => {
    await writeEvents(5);
    await tamper(sql`delete from audit_events where id = 2`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenId: 3, reason: expect.stringMatching(/removed/) });
  });

  it("is written with the caller's transaction: a rolled-back change leaves no event", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await recordAudit(tx, { actor, action: TEST_ACTION, subjectType: "thing" });
        throw new Error("change failed");
      }),
    ).rejects.toThrow("change failed");
    await writeEvents(2);
    expect((await database.db.select().from(auditEvents)).map((r) => r.action)).toEqual([TEST_ACTION, TEST_ACTION]);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, checked: 2 });
  });

  it("keeps a valid chain under concurrent writers", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => recordAuditNow(database.db, { actor, action: TEST_ACTION, subjectType: "thing", subjectId: String(i) })),
    );
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, checked: 20, unkeyed: 0 });
  });

  it("refuses to write an event before the chain key is set", async () => {
    const slot = globalThis as Record<symbol, unknown>;
    const keys = slot[Symbol.for("cobrand.audit-keys")];
    delete slot[Symbol.for("cobrand.audit-keys")];
    try {
      await expect(recordAuditNow(database.db, { actor, action: TEST_ACTION, subjectType: "thing" })).rejects.toThrow(/audit chain key is not set/);
    } finally {
      slot[Symbol.for("cobrand.audit-keys")] = keys;
    }
    expect(await database.db.select().from(auditEvents)).toEqual([]);
  });
});

/** Rewrites row `fromId` and every later row as an attacker with database access alone would: new hashes from `rehash`. */
async function rewriteFrom(fromId: number, rehash: (prevHash: string, row: typeof auditEvents.$inferSelect) => string) {
  const rows = await database.db.select().from(auditEvents).where(gte(auditEvents.id, fromId)).orderBy(asc(auditEvents.id));
  const [before] = await database.db
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.id, fromId - 1));
  let prevHash = before?.hash ?? GENESIS_HASH;
  for (const row of rows) {
    const data = row.id === fromId ? { ...row.data, n: 999 } : row.data;
    const hash = rehash(prevHash, { ...row, data });
    await tamper(sql`update audit_events set data = ${JSON.stringify(data)}::jsonb, prev_hash = ${prevHash}, hash = ${hash} where id = ${row.id}`);
    prevHash = hash;
  }
}

describe("keyed audit chain", () => {
  it("detects a row edited with every later hash recomputed as plain SHA-256", async () => {
    await writeEvents(30);
    await rewriteFrom(24, (prevHash, row) => computeUnkeyedAuditHash(prevHash, row));
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenId: 24, checked: 23, reason: expect.stringMatching(/without the key/) });
  });

  it("detects a row edited with every later hash recomputed under another key", async () => {
    await writeEvents(30);
    const wrongKey = deriveAuditKeys("a guessed secret that is not APP_SECRET").chain;
    await rewriteFrom(24, (prevHash, row) => computeAuditHash(prevHash, row, wrongKey));
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenId: 24, checked: 23, reason: expect.stringMatching(/edited/) });
  });

  it("cannot be verified with another APP_SECRET", async () => {
    await writeEvents(3);
    setAuditKeys("y".repeat(40));
    try {
      expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenId: 1 });
    } finally {
      setAuditKeys(TEST_APP_SECRET);
    }
  });

  it("verifies a clean chain and its checkpoints, writing a new checkpoint only when the chain grew", async () => {
    expect(await verifyAuditTrail(database.db, storage)).toMatchObject({ ok: true, checkpoint: { status: "none" } });
    expect(await writeAuditCheckpoint(database.db, storage)).toEqual({ status: "empty" });
    await writeEvents(5);
    const first = await writeAuditCheckpoint(database.db, storage, new Date("2030-01-01T10:00:00Z"));
    expect(first).toMatchObject({ status: "written", key: `${CHECKPOINT_PREFIX}2030-01-01t10-00-00.000z-5.json`, checkpoint: { rowCount: 5, headId: 5 } });
    expect(await writeAuditCheckpoint(database.db, storage, new Date("2030-01-01T11:00:00Z"))).toEqual({ status: "unchanged" });
    await writeEvents(3);
    expect(await writeAuditCheckpoint(database.db, storage, new Date("2030-01-01T12:00:00Z"))).toMatchObject({
      status: "written",
      checkpoint: { rowCount: 8, headId: 8 },
    });
    expect(await verifyAuditTrail(database.db, storage)).toMatchObject({
      ok: true,
      chain: { ok: true, checked: 8 },
      checkpoint: { status: "ok", checkpoint: { rowCount: 8, headId: 8, writtenAt: "2030-01-01T12:00:00.000Z" } },
    });
  });

  it("detects the last 25 rows deleted after a checkpoint, and refuses to checkpoint over the gap", async () => {
    await writeEvents(40);
    const written = await writeAuditCheckpoint(database.db, storage, new Date("2030-01-01T10:00:00Z"));
    expect(written.status).toBe("written");
    const [head] = await database.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
    await tamper(sql`delete from audit_events where id > 15`);

    // What is left is a perfectly good chain: only the checkpoint shows the tail is gone.
    const trail = await verifyAuditTrail(database.db, storage);
    expect(trail).toMatchObject({ ok: false, chain: { ok: true, checked: 15 }, checkpoint: { status: "failed" } });
    expect(trail.checkpoint.status === "failed" && trail.checkpoint.reason).toBe(
      `the chain ends at row 15 with 15 rows, but a checkpoint at 2030-01-01T10:00:00.000Z saw 40 rows ending at row 40 with hash ${head!.hash} (rows were removed)`,
    );
    expect(await writeAuditCheckpoint(database.db, storage)).toMatchObject({ status: "refused" });

    // New events chain onto row 15; the missing tail stays visible.
    await writeEvents(30);
    expect(await verifyAuditTrail(database.db, storage)).toMatchObject({
      ok: false,
      chain: { ok: true, checked: 45 },
      checkpoint: { status: "failed", reason: expect.stringMatching(/rows were removed/) },
    });
  });

  it("is checkpointed by the hourly housekeeping", async () => {
    await writeEvents(2);
    const app = { ...createTestContext(database.db), storage };
    await runHousekeeping(app);
    expect(await verifyAuditTrail(database.db, storage)).toMatchObject({ ok: true, checkpoint: { status: "ok", checkpoint: { rowCount: 2, headId: 2 } } });
  });

  it("rejects a checkpoint that was not signed with this installation's key", async () => {
    await writeEvents(5);
    const written = await writeAuditCheckpoint(database.db, storage);
    if (written.status !== "written") throw new Error("no checkpoint written");
    const forged = { ...written.checkpoint, rowCount: 2, mac: "0".repeat(64) };
    await storage.put(written.key, Readable.from([Buffer.from(JSON.stringify(forged))]), { maxBytes: 4096 });
    expect(await verifyAuditTrail(database.db, storage)).toMatchObject({
      ok: false,
      checkpoint: { status: "failed", reason: expect.stringMatching(/not signed/) },
    });
  });

  it("keeps the newest 48 checkpoints and the newest of each older day", () => {
    const keys = Array.from(
      { length: 96 },
      (_, hour) => `${CHECKPOINT_PREFIX}${new Date(Date.UTC(2030, 0, 1, hour)).toISOString().replace(/:/g, "-").toLowerCase()}-${hour + 1}.json`,
    );
    const pruned = new Set(checkpointKeysToPrune(keys));
    const kept = keys.filter((key) => !pruned.has(key));
    expect(kept).toHaveLength(48 + 2);
    expect(kept.slice(0, 2)).toEqual([`${CHECKPOINT_PREFIX}2030-01-01t23-00-00.000z-24.json`, `${CHECKPOINT_PREFIX}2030-01-02t23-00-00.000z-48.json`]);
  });
});

describe("a chain written before keying", () => {
  /** Rows as the unkeyed version wrote them: inserting is all the append-only table allows, and all it needs. */
  async function appendUnkeyedEvents(n: number) {
    for (let i = 0; i < n; i++) {
      const [last] = await database.db.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
      const prevHash = last?.hash ?? GENESIS_HASH;
      const fields = {
        occurredAt: new Date(),
        actorId: null,
        actorLabel: "old version",
        action: "test.unkeyed",
        subjectType: "thing",
        subjectId: String(i),
        partnerOrgId: null,
        ip: null,
        data: { i },
      };
      await database.db.insert(auditEvents).values({ ...fields, prevHash, hash: computeUnkeyedAuditHash(prevHash, fields) });
    }
  }

  it("is verified once, then continued as a keyed chain from an audit.chain_rekeyed event", async () => {
    await appendUnkeyedEvents(3);
    expect(await keyAuditChain(database.db)).toEqual({ status: "rekeyed", unkeyed: 3, headId: 3 });
    expect(await keyAuditChain(database.db)).toEqual({ status: "keyed" });
    await writeEvents(2);
    const rows = await database.db.select().from(auditEvents).orderBy(asc(auditEvents.id));
    expect(rows.map((r) => r.action)).toEqual(["test.unkeyed", "test.unkeyed", "test.unkeyed", "audit.chain_rekeyed", TEST_ACTION, TEST_ACTION]);
    expect(rows[3]!.data).toMatchObject({ unkeyedEvents: 3, unkeyedHeadId: 3, unkeyedHeadHash: rows[2]!.hash });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, checked: 6, unkeyed: 3 });

    // After the switch an unkeyed row is a forgery, even one that links correctly.
    await appendUnkeyedEvents(1);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenId: 7, reason: expect.stringMatching(/without the key/) });
  });

  it("is not rekeyed when it is already broken", async () => {
    await appendUnkeyedEvents(3);
    await tamper(sql`update audit_events set actor_label = 'someone else' where id = 2`);
    expect(await keyAuditChain(database.db)).toMatchObject({ status: "unkeyed-chain-broken", brokenId: 2 });
    expect(await database.db.select().from(auditEvents)).toHaveLength(3);
  });
});

describe("Admin → Audit trail", () => {
  it("shows the chain result and the checkpoint result of the last verification", async () => {
    const server = await startTestServer();
    try {
      const admin = await createUser(server.app.db, { role: "admin" });
      await recordAuditNow(server.app.db, { actor, action: TEST_ACTION, subjectType: "thing" });
      const cookie = await sessionCookieFor(server.app, admin.id);
      const verify = async () => {
        expect((await postForm(server, "/admin/audit", {}, { Cookie: cookie })).status).toBe(303);
        return (await get(server, "/admin/audit", { Cookie: cookie })).text();
      };
      const before = await verify();
      expect(before).toContain("The chain is intact");
      expect(before).toContain("No checkpoint yet");

      await writeAuditCheckpoint(server.app.db, server.app.storage);
      const after = await verify();
      expect(after).toContain("The newest checkpoint matches");
    } finally {
      await server.close();
    }
  });
});
