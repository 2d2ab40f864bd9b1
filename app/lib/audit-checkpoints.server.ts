// Checkpoints of the audit chain, kept in object storage, outside the
// database. The keyed chain shows that no row was edited or removed in the
// middle; only a record kept elsewhere shows that the newest rows were not
// cut off. See docs/decisions/003-audit-chain.md.
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { eq, sql } from "drizzle-orm";
import { auditEvents } from "#db/schema/index";
import { auditKeys, canonicalJson, verifyAuditChain, type ChainVerification } from "./audit.server";
import { rowsOf, type Db } from "./db.server";
import type { StorageDriver } from "./storage/types";

export const CHECKPOINT_PREFIX = "audit/checkpoints/";
/** Every checkpoint of the last two days (hourly housekeeping), and one a day before that. */
const KEEP_ALL_NEWEST = 48;
const MAX_CHECKPOINT_BYTES = 4096;

export type AuditCheckpoint = {
  version: 1;
  writtenAt: string;
  rowCount: number;
  headId: number;
  headHash: string;
};
type SignedCheckpoint = AuditCheckpoint & { mac: string };

type ChainHead = { rowCount: number; headId: number; headHash: string };

/** Row count and head in one statement, so they describe the same committed state. */
async function readChainHead(db: Db): Promise<ChainHead | null> {
  const [row] = rowsOf<{ id: string | number; hash: string; row_count: string | number }>(
    await db.execute(sql`
      select h.id, h.hash, (select count(*) from ${auditEvents} where ${auditEvents.id} <= h.id) as row_count
      from (select ${auditEvents.id} as id, ${auditEvents.hash} as hash from ${auditEvents} order by ${auditEvents.id} desc limit 1) h`),
  );
  return row ? { rowCount: Number(row.row_count), headId: Number(row.id), headHash: row.hash } : null;
}

function checkpointMac(checkpoint: AuditCheckpoint): string {
  const { version, writtenAt, rowCount, headId, headHash } = checkpoint;
  return crypto.createHmac("sha256", auditKeys().checkpoint).update(canonicalJson({ version, writtenAt, rowCount, headId, headHash })).digest("hex");
}

/** Storage keys allow only lower-case letters, digits, '.', '-' and '_'; fixed width, so names sort by time. */
function checkpointKey(checkpoint: AuditCheckpoint): string {
  return `${CHECKPOINT_PREFIX}${checkpoint.writtenAt.replace(/:/g, "-").toLowerCase()}-${checkpoint.headId}.json`;
}

async function listCheckpointKeys(storage: StorageDriver): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of storage.list(CHECKPOINT_PREFIX)) if (object.key.endsWith(".json")) keys.push(object.key);
  return keys.sort().reverse();
}

type LoadedCheckpoint = { key: string; checkpoint: AuditCheckpoint | null };

/** The newest checkpoint; `checkpoint` is null when the object is not one signed with this installation's key. */
async function loadLatestCheckpoint(storage: StorageDriver): Promise<LoadedCheckpoint | null> {
  const [key] = await listCheckpointKeys(storage);
  if (!key) return null;
  try {
    const parsed = JSON.parse(await text(await storage.get(key))) as Partial<SignedCheckpoint>;
    const { version, writtenAt, rowCount, headId, headHash, mac } = parsed;
    if (
      version !== 1 ||
      typeof writtenAt !== "string" ||
      typeof rowCount !== "number" ||
      typeof headId !== "number" ||
      typeof headHash !== "string" ||
      typeof mac !== "string"
    ) {
      return { key, checkpoint: null };
    }
    const checkpoint: AuditCheckpoint = { version, writtenAt, rowCount, headId, headHash };
    const expected = Buffer.from(checkpointMac(checkpoint), "hex");
    const given = Buffer.from(mac, "hex");
    return { key, checkpoint: given.length === expected.length && crypto.timingSafeEqual(given, expected) ? checkpoint : null };
  } catch {
    return { key, checkpoint: null };
  }
}

export type CheckpointVerification =
  | { status: "none" }
  | { status: "ok"; key: string; checkpoint: AuditCheckpoint }
  | { status: "failed"; key: string; checkpoint: AuditCheckpoint | null; reason: string };

async function compareWithCheckpoint(db: Db, loaded: LoadedCheckpoint): Promise<CheckpointVerification> {
  const { key, checkpoint } = loaded;
  if (!checkpoint) {
    return {
      status: "failed",
      key,
      checkpoint,
      reason: `checkpoint ${key} is not signed with this installation's key (forged, damaged, or APP_SECRET changed)`,
    };
  }
  const seen = `a checkpoint at ${checkpoint.writtenAt} saw ${checkpoint.rowCount} rows ending at row ${checkpoint.headId} with hash ${checkpoint.headHash}`;
  const head = await readChainHead(db);
  const [row] = await db.select({ hash: auditEvents.hash }).from(auditEvents).where(eq(auditEvents.id, checkpoint.headId));
  if (!row) {
    const now = head ? `the chain ends at row ${head.headId} with ${head.rowCount} rows` : "the chain is empty";
    return { status: "failed", key, checkpoint, reason: `${now}, but ${seen} (rows were removed)` };
  }
  if (row.hash !== checkpoint.headHash) {
    return { status: "failed", key, checkpoint, reason: `row ${checkpoint.headId} now has hash ${row.hash}, but ${seen} (the chain was rewritten)` };
  }
  if (!head || head.rowCount < checkpoint.rowCount) {
    return { status: "failed", key, checkpoint, reason: `the chain has ${head?.rowCount ?? 0} rows, but ${seen} (rows were removed)` };
  }
  return { status: "ok", key, checkpoint };
}

/** Whether the database still holds what the newest checkpoint saw: its head row, unchanged, and at least as many rows. */
export async function verifyAgainstLatestCheckpoint(db: Db, storage: StorageDriver): Promise<CheckpointVerification> {
  const loaded = await loadLatestCheckpoint(storage);
  return loaded ? compareWithCheckpoint(db, loaded) : { status: "none" };
}

export type CheckpointWrite =
  | { status: "written"; key: string; checkpoint: AuditCheckpoint }
  | { status: "unchanged" | "empty" }
  /** The newest checkpoint no longer matches: a new one would hide that, so none is written. */
  | { status: "refused"; reason: string };

/**
 * Records the chain's current row count and head in storage, unless the
 * newest checkpoint no longer matches the database: writing over it would
 * make a cut-off tail look normal. Then thins out old checkpoints.
 */
export async function writeAuditCheckpoint(db: Db, storage: StorageDriver, now: Date = new Date()): Promise<CheckpointWrite> {
  const latest = await loadLatestCheckpoint(storage);
  if (latest) {
    const check = await compareWithCheckpoint(db, latest);
    if (check.status === "failed") return { status: "refused", reason: check.reason };
  }
  const head = await readChainHead(db);
  if (!head) return { status: "empty" };
  if (latest?.checkpoint && latest.checkpoint.headId === head.headId && latest.checkpoint.headHash === head.headHash) return { status: "unchanged" };
  const checkpoint: AuditCheckpoint = { version: 1, writtenAt: now.toISOString(), ...head };
  const key = checkpointKey(checkpoint);
  const body = Buffer.from(JSON.stringify({ ...checkpoint, mac: checkpointMac(checkpoint) }) + "\n");
  await storage.put(key, Readable.from([body]), { maxBytes: MAX_CHECKPOINT_BYTES, contentType: "application/json" });
  for (const stale of checkpointKeysToPrune(await listCheckpointKeys(storage))) await storage.delete(stale);
  return { status: "written", key, checkpoint };
}

/**
 * Checkpoints to delete: all but the newest 48, except the newest of each
 * UTC day, which are kept for good (a few hundred bytes a day) so that the
 * trail can be compared with any past day.
 */
export function checkpointKeysToPrune(keys: readonly string[]): string[] {
  const newestFirst = [...keys].sort().reverse();
  const daysKept = new Set<string>();
  const prune: string[] = [];
  newestFirst.forEach((key, index) => {
    const day = key.slice(CHECKPOINT_PREFIX.length, CHECKPOINT_PREFIX.length + 10);
    const firstOfDay = !daysKept.has(day);
    daysKept.add(day);
    if (index >= KEEP_ALL_NEWEST && !firstOfDay) prune.push(key);
  });
  return prune;
}

export type AuditTrailVerification = { chain: ChainVerification; checkpoint: CheckpointVerification; ok: boolean };

/** The chain, then the newest checkpoint: what Admin → Audit trail and `audit:verify` report. */
export async function verifyAuditTrail(db: Db, storage: StorageDriver): Promise<AuditTrailVerification> {
  const chain = await verifyAuditChain(db);
  const checkpoint = await verifyAgainstLatestCheckpoint(db, storage);
  return { chain, checkpoint, ok: chain.ok && checkpoint.status !== "failed" };
}
