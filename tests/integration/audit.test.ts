import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents } from "#db/schema/index";
import { recordAudit, recordAuditNow, verifyAuditChain } from "~/lib/audit.server";
import type { Database } from "~/lib/db.server";
import { createTestDatabase, resetDatabase } from "../support/db";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());
beforeEach(() => resetDatabase(database.db));

const actor = { id: null, label: "tester", ip: "127.0.0.1" };

async function writeEvents(n: number) {
  for (let i = 1; i <= n; i++) {
    await recordAuditNow(database.db, { actor, action: "test.event", subjectType: "thing", subjectId: String(i), data: { n: i, nested: { z: 1, a: [i] } } });
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
    expect(await verifyAuditChain(database.db, 2)).toEqual({ ok: true, checked: 5 });
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
        await recordAudit(tx, { actor, action: "test.rolled_back", subjectType: "thing" });
        throw new Error("change failed");
      }),
    ).rejects.toThrow("change failed");
    await writeEvents(2);
    expect((await database.db.select().from(auditEvents)).map((r) => r.action)).toEqual(["test.event", "test.event"]);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, checked: 2 });
  });

  it("keeps a valid chain under concurrent writers", async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => recordAuditNow(database.db, { actor, action: "test.parallel", subjectType: "thing", subjectId: String(i) })));
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: 20 });
  });
});
