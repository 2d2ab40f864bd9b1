import crypto, { type KeyObject } from "node:crypto";
import { asc, desc, gt, sql } from "drizzle-orm";
import { auditEvents, type AuditEvent } from "#db/schema/index";
import type { AuditAction } from "./audit-actions";
import { transaction, type Db } from "./db.server";

export const GENESIS_HASH = "0".repeat(64);
// Serialises writers so each row links to the one committed before it.
const AUDIT_CHAIN_LOCK = 7_262_001;

export type Actor = { id: string | null; label: string; ip?: string | null };

export type AuditInput = {
  actor: Actor;
  /** Only actions listed in the catalogue (app/lib/audit-actions.ts), so each one has a label in the viewer. */
  action: AuditAction;
  subjectType: string;
  subjectId?: string | null;
  partnerOrgId?: string | null;
  data?: Record<string, unknown>;
  /** When it happened, by the caller's clock (the context's, in the domain); now when left out. */
  at?: Date;
};

export const SYSTEM_ACTOR: Actor = { id: null, label: "system" };

/** A signed-in (or signing-in) person as the actor of an event. */
export function userActor(user: { id: string; email: string }, ip: string | null): Actor {
  return { id: user.id, label: user.email, ip };
}

type HashedFields = Pick<AuditEvent, "occurredAt" | "actorId" | "actorLabel" | "action" | "subjectType" | "subjectId" | "partnerOrgId" | "ip" | "data">;

/** JSON with keys sorted at every level, so jsonb's own key order does not matter. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * The chain's HMAC key and the checkpoints' HMAC key, both derived from
 * APP_SECRET, which lives outside the database: whoever can only write to
 * the database cannot recompute a hash. Held in one process-wide slot rather
 * than a module variable because the server bundle and the Remix bundle each
 * carry their own copy of this module; the runtime sets it once at start.
 */
export type AuditKeys = { chain: KeyObject; checkpoint: KeyObject };
const AUDIT_KEYS_SLOT = Symbol.for("cobrand.audit-keys");
type KeySlot = { [AUDIT_KEYS_SLOT]?: AuditKeys };

export function deriveAuditKeys(appSecret: string): AuditKeys {
  if (!appSecret) throw new Error("APP_SECRET is empty: the audit chain cannot be keyed");
  // HKDF with a label per use, so neither key can stand in for the other or for APP_SECRET itself.
  const derive = (label: string) => crypto.createSecretKey(Buffer.from(crypto.hkdfSync("sha256", appSecret, "cobrand", label, 32)));
  return { chain: derive("audit-chain"), checkpoint: derive("audit-checkpoint") };
}

/** Called once per process by createAppRuntime (and by the test setup) with config.appSecret. */
export function setAuditKeys(appSecret: string): void {
  (globalThis as KeySlot)[AUDIT_KEYS_SLOT] = deriveAuditKeys(appSecret);
}

export function auditKeys(): AuditKeys {
  const keys = (globalThis as KeySlot)[AUDIT_KEYS_SLOT];
  if (!keys) throw new Error("The audit chain key is not set: call setAuditKeys(config.appSecret) when the process starts");
  return keys;
}

function encodeHashedFields(row: HashedFields): string {
  return canonicalJson({
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
}

/** HMAC-SHA256 over the previous hash and the row, with the installation's chain key. */
export function computeAuditHash(prevHash: string, row: HashedFields, key: KeyObject = auditKeys().chain): string {
  return crypto.createHmac("sha256", key).update(prevHash).update("\n").update(encodeHashedFields(row)).digest("hex");
}

/**
 * The unkeyed SHA-256 that rows written before the chain was keyed carry.
 * Verification accepts it only for rows before the first keyed row.
 */
export function computeUnkeyedAuditHash(prevHash: string, row: HashedFields): string {
  return crypto.createHash("sha256").update(prevHash).update("\n").update(encodeHashedFields(row)).digest("hex");
}

/**
 * Appends an audit event. Call it with the transaction that makes the change,
 * so the event exists exactly when the change does.
 */
export async function recordAudit(tx: Db, input: AuditInput): Promise<void> {
  const { chain: key } = auditKeys();
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields: HashedFields = {
    occurredAt: input.at ?? new Date(),
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
  await tx.insert(auditEvents).values({ ...fields, prevHash, hash: computeAuditHash(prevHash, fields, key) });
}

/** For events that stand alone (a failed login): its own short transaction. */
export function recordAuditNow(db: Db, input: AuditInput): Promise<void> {
  return transaction(db, (tx) => recordAudit(tx, input));
}

export type ChainVerification =
  | {
      ok: true;
      checked: number;
      /** Rows at the start of the chain written before it was keyed (plain SHA-256). */
      unkeyed: number;
      head: { id: number; hash: string } | null;
    }
  | { ok: false; checked: number; brokenId: number; reason: string };

/**
 * Walks the whole chain in id order, page by page, and names the first row
 * that does not fit. Unkeyed rows are accepted only before the first keyed
 * row: once the chain is keyed, a row hashed without the key is a rewrite.
 */
export async function verifyAuditChain(db: Db, pageSize = 1000): Promise<ChainVerification> {
  const { chain: key } = auditKeys();
  let prevHash = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  let unkeyed = 0;
  let keyed = false;
  for (;;) {
    const page = await db.select().from(auditEvents).where(gt(auditEvents.id, lastId)).orderBy(asc(auditEvents.id)).limit(pageSize);
    if (page.length === 0) return { ok: true, checked, unkeyed, head: lastId ? { id: lastId, hash: prevHash } : null };
    for (const row of page) {
      if (row.prevHash !== prevHash) {
        return { ok: false, checked, brokenId: row.id, reason: "previous-hash link does not match (a row was removed or reordered)" };
      }
      if (computeAuditHash(prevHash, row, key) === row.hash) {
        keyed = true;
      } else if (computeUnkeyedAuditHash(prevHash, row) !== row.hash) {
        return { ok: false, checked, brokenId: row.id, reason: "contents do not match the row's hash (the row was edited, or hashed with another key)" };
      } else if (keyed) {
        return { ok: false, checked, brokenId: row.id, reason: "the row was hashed without the key after the chain was keyed (it was rewritten)" };
      } else {
        unkeyed++;
      }
      prevHash = row.hash;
      lastId = row.id;
      checked++;
    }
  }
}

export type ChainKeying =
  | { status: "empty" | "keyed" }
  | { status: "rekeyed"; unkeyed: number; headId: number }
  /** The head matches neither scheme: APP_SECRET changed, or the head was tampered with. */
  | { status: "head-unrecognised"; headId: number }
  | { status: "unkeyed-chain-broken"; brokenId: number; reason: string };

/**
 * Databases written before the chain was keyed end in unkeyed rows. This
 * verifies that old chain once and appends an "audit.chain_rekeyed" event,
 * keyed like every row after it, that links to the old head: from there on
 * an unkeyed row is refused. The table stays append-only; nothing is rewritten.
 * A broken old chain is not blessed: no event is written and the break stays
 * visible to verification.
 */
export async function keyAuditChain(db: Db): Promise<ChainKeying> {
  const { chain: key } = auditKeys();
  return transaction(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    const [head] = await tx.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
    if (!head) return { status: "empty" };
    if (computeAuditHash(head.prevHash, head, key) === head.hash) return { status: "keyed" };
    if (computeUnkeyedAuditHash(head.prevHash, head) !== head.hash) return { status: "head-unrecognised", headId: head.id };
    const verification = await verifyAuditChain(tx);
    if (!verification.ok) return { status: "unkeyed-chain-broken", brokenId: verification.brokenId, reason: verification.reason };
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: "audit.chain_rekeyed",
      subjectType: "audit_chain",
      data: { unkeyedEvents: verification.unkeyed, unkeyedHeadId: head.id, unkeyedHeadHash: head.hash, scheme: "hmac-sha256" },
    });
    return { status: "rekeyed", unkeyed: verification.unkeyed, headId: head.id };
  });
}
