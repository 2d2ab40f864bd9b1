import crypto from "node:crypto";
import { asc, desc, gt, sql } from "drizzle-orm";
import { auditEvents, type AuditEvent } from "#db/schema/index";
import type { Db } from "./db.server";

export const GENESIS_HASH = "0".repeat(64);
// Serialises writers so each row links to the one committed before it.
const AUDIT_CHAIN_LOCK = 7_262_001;

export type Actor = { id: string | null; label: string; ip?: string | null };

export type AuditInput = {
  actor: Actor;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  partnerOrgId?: string | null;
  data?: Record<string, unknown>;
};

export const SYSTEM_ACTOR: Actor = { id: null, label: "system" };

/** A signed-in (or signing-in) person as the actor of an event. */
export function userActor(user: { id: string; email: string }, ip: string | null): Actor {
  return { id: user.id, label: user.email, ip };
}

type HashedFields = Pick<
  AuditEvent,
  "occurredAt" | "actorId" | "actorLabel" | "action" | "subjectType" | "subjectId" | "partnerOrgId" | "ip" | "data"
>;

/** JSON with keys sorted at every level, so jsonb's own key order does not matter. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function computeAuditHash(prevHash: string, row: HashedFields): string {
  const encoded = canonicalJson({
    occurredAt: row.occurredAt.toISOString(),
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    partnerOrgId: row.partnerOrgId,
    ip: row.ip,
    data: row.data,
  });
  return crypto.createHash("sha256").update(prevHash).update("\n").update(encoded).digest("hex");
}

/**
 * Appends an audit event. Call it with the transaction that makes the change,
 * so the event exists exactly when the change does.
 */
export async function recordAudit(tx: Db, input: AuditInput): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.id))
    .limit(1);
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields: HashedFields = {
    occurredAt: new Date(),
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId ?? null,
    partnerOrgId: input.partnerOrgId ?? null,
    ip: input.actor.ip ?? null,
    // Normalise through JSON so what we hash is exactly what jsonb gives back.
    data: JSON.parse(JSON.stringify(input.data ?? {})) as Record<string, unknown>,
  };
  await tx.insert(auditEvents).values({ ...fields, prevHash, hash: computeAuditHash(prevHash, fields) });
}

/** For events that stand alone (a failed login): its own short transaction. */
export function recordAuditNow(db: Db, input: AuditInput): Promise<void> {
  return db.transaction((tx) => recordAudit(tx, input));
}

export type ChainVerification =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenId: number; reason: string };

/** Walks the whole chain in id order, page by page, and names the first row that does not fit. */
export async function verifyAuditChain(db: Db, pageSize = 1000): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.id, lastId))
      .orderBy(asc(auditEvents.id))
      .limit(pageSize);
    if (page.length === 0) return { ok: true, checked };
    for (const row of page) {
      if (row.prevHash !== prevHash) {
        return { ok: false, checked, brokenId: row.id, reason: "previous-hash link does not match (a row was removed or reordered)" };
      }
      if (computeAuditHash(prevHash, row) !== row.hash) {
        return { ok: false, checked, brokenId: row.id, reason: "contents do not match the row's hash (the row was edited)" };
      }
      prevHash = row.hash;
      lastId = row.id;
      checked++;
    }
  }
}
