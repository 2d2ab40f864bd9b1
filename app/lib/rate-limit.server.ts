import crypto from "node:crypto";
import { eq, lt, sql } from "drizzle-orm";
import { rateLimits } from "#db/schema/index";
import type { Db } from "./db.server";

/**
 * Counter keys are keyed hashes of what they count (emails, IPs), so the
 * table holds no personal data in the clear.
 */
export function limitKey(secret: string, scope: string, ...parts: string[]): string {
  return `${scope}:${crypto.createHmac("sha256", secret).update(parts.join("\u0000")).digest("base64url")}`;
}

export async function deleteExpiredLimits(db: Db, now = new Date()): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.resetAt, sql`${now.toISOString()}::timestamptz`));
}

export type Limit = { points: number; windowSeconds: number };
export type LimitState = { allowed: boolean; used: number; retryAfterSeconds: number };

/**
 * Fixed-window counter kept in the database, so every instance sees the same
 * count. One atomic upsert per call: no read-then-write race.
 */
export async function consumeLimit(db: Db, key: string, limit: Limit, now = new Date()): Promise<LimitState> {
  const resetAt = new Date(now.getTime() + limit.windowSeconds * 1000);
  // postgres.js does not bind Date objects inside raw sql fragments; pass ISO text.
  const nowParam = sql`${now.toISOString()}::timestamptz`;
  const resetParam = sql`${resetAt.toISOString()}::timestamptz`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, points: 1, resetAt })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        points: sql`case when ${rateLimits.resetAt} <= ${nowParam} then 1 else ${rateLimits.points} + 1 end`,
        resetAt: sql`case when ${rateLimits.resetAt} <= ${nowParam} then ${resetParam} else ${rateLimits.resetAt} end`,
      },
    })
    .returning();
  return toState(row!, limit, now);
}

/** What a lease got: how many of the asked points fit under the limit (0 once the window is spent), and when the window ends. */
export type Lease = { granted: number; resetAt: Date };

/**
 * Takes `points` at once from the same kind of shared counter as
 * consumeLimit, for a caller that spends them in memory (the API's per-key
 * limit: one write per lease, not per request). One atomic upsert adds them
 * all; the caller is granted the part that still fits under the limit. A
 * lease never grants more than the limit across all instances together: a
 * point leased and left unspent when the window ends is lost, never lent
 * twice.
 */
export async function leaseLimit(db: Db, key: string, limit: Limit, points: number, now = new Date()): Promise<Lease> {
  const resetAt = new Date(now.getTime() + limit.windowSeconds * 1000);
  const nowParam = sql`${now.toISOString()}::timestamptz`;
  const resetParam = sql`${resetAt.toISOString()}::timestamptz`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, points, resetAt })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        points: sql`case when ${rateLimits.resetAt} <= ${nowParam} then ${points}::integer else ${rateLimits.points} + ${points}::integer end`,
        resetAt: sql`case when ${rateLimits.resetAt} <= ${nowParam} then ${resetParam} else ${rateLimits.resetAt} end`,
      },
    })
    .returning();
  const takenBefore = row!.points - points;
  return { granted: Math.max(0, Math.min(points, limit.points - takenBefore)), resetAt: row!.resetAt };
}

/** The current state without counting a new attempt. */
export async function peekLimit(db: Db, key: string, limit: Limit, now = new Date()): Promise<LimitState> {
  const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, key));
  if (!row || row.resetAt <= now) return { allowed: true, used: 0, retryAfterSeconds: 0 };
  return toState(row, limit, now);
}

export async function resetLimit(db: Db, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

function toState(row: { points: number; resetAt: Date }, limit: Limit, now: Date): LimitState {
  const allowed = row.points <= limit.points;
  return {
    allowed,
    used: row.points,
    // Seconds until the window resets, whether or not this call was allowed.
    retryAfterSeconds: Math.max(1, Math.ceil((row.resetAt.getTime() - now.getTime()) / 1000)),
  };
}
