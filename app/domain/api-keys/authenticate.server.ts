import { and, eq, isNull, lt, or } from "drizzle-orm";
import { apiKeys } from "#db/schema/index";
import type { ApiKeyGate, ApiKeyVerdict, ApiPrincipal } from "~/lib/api.server";
import type { AppContext } from "~/lib/context.server";
import { leaseLimit } from "~/lib/rate-limit.server";
import type { ApiKeyScope } from "./catalog";
import { API_KEY_SECRET_PATTERN, hashApiKeySecret, sameHash } from "./secrets.server";

// Authenticating an API request, at a thousand requests a second (the
// conversions bench) without a database read or write per request:
// - a key's row is cached in this process for API_KEY_CACHE_TTL_MS, so a
//   revocation made on another instance takes effect within that time (at
//   once on the instance that made it: revokeApiKey calls forget);
// - `last_used_at` is written at most once a minute per key;
// - the per-key rate limit leases points from the database in chunks and
//   spends them here (docs/decisions/017-api-keys.md).
// Every time is read from the context's clock, so tests move it.

/** How long a key's row is trusted without reading it again: the longest a revocation elsewhere takes to apply here. */
export const API_KEY_CACHE_TTL_MS = 5_000;
/** `last_used_at` is "used in this minute", not "used at this millisecond". */
export const LAST_USED_RESOLUTION_MS = 60_000;
export const API_RATE_WINDOW_SECONDS = 60;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * How many points one lease takes: 1 % of the limit, so two instances that
 * each hold an unspent lease at the end of a window under-admit by at most
 * 2 %, never over-admit; at least 1 and at most 500 (the default 6,000 a
 * minute leases 60 at a time: under two writes a second at full speed).
 */
export function leaseSizeFor(limitPerMinute: number): number {
  return Math.max(1, Math.min(500, Math.floor(limitPerMinute / 100)));
}

type KeyRow = Pick<typeof apiKeys.$inferSelect, "id" | "name" | "scopes" | "tokenHash" | "expiresAt" | "revokedAt" | "lastUsedAt">;

type Bucket = { remaining: number; windowEndsAt: number; refusedUntil: number; leasing: Promise<void> | null };

const BEARER = /^Bearer +(\S+) *$/i;

export class ApiKeyAuthenticator implements ApiKeyGate {
  private readonly cache = new Map<string, { row: KeyRow | null; until: number }>();
  private readonly loading = new Map<string, Promise<KeyRow | null>>();
  /** Bumped by forget: a load that started before a revocation must not cache what it read. */
  private generation = 0;
  private readonly lastUseWritten = new Map<string, number>();
  private readonly buckets = new Map<string, Bucket>();

  async authenticate(ctx: AppContext, authorization: string | null, scope: ApiKeyScope): Promise<ApiKeyVerdict> {
    if (authorization === null || authorization.trim() === "") return { ok: false, status: 401, reason: "missing", keyId: null };
    const secret = BEARER.exec(authorization)?.[1];
    if (!secret || !API_KEY_SECRET_PATTERN.test(secret)) return { ok: false, status: 401, reason: "malformed", keyId: null };
    const hash = hashApiKeySecret(secret);
    const row = await this.keyOf(ctx, hash);
    if (!row || !sameHash(row.tokenHash, hash)) return { ok: false, status: 401, reason: "unknown", keyId: null };
    const now = ctx.clock.now();
    if (row.revokedAt) return { ok: false, status: 401, reason: "revoked", keyId: row.id };
    if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return { ok: false, status: 401, reason: "expired", keyId: row.id };

    const principal: ApiPrincipal = { keyId: row.id, name: row.name, scopes: row.scopes };
    await this.recordUse(ctx, row, now);
    const limitPerMinute = ctx.config.api.rateLimitPerMinute;
    const allowance = await this.take(ctx, row.id, limitPerMinute);
    if (!allowance.ok) return { ok: false, status: 429, principal, limitPerMinute, retryAfterSeconds: allowance.retryAfterSeconds };
    if (!row.scopes.includes(scope)) return { ok: false, status: 403, reason: "insufficient_scope", principal, scope };
    return { ok: true, principal };
  }

  forget(keyId: string): void {
    this.generation += 1;
    for (const [hash, entry] of this.cache) if (entry.row?.id === keyId) this.cache.delete(hash);
  }

  /** The key whose secret hashes to `hash`, from the cache while fresh; concurrent requests for it share one query. */
  private async keyOf(ctx: AppContext, hash: string): Promise<KeyRow | null> {
    const cached = this.cache.get(hash);
    if (cached && cached.until > ctx.clock.now().getTime()) return cached.row;
    let pending = this.loading.get(hash);
    if (!pending) {
      const generation = this.generation;
      pending = loadKey(ctx, hash)
        .then((row) => {
          if (generation === this.generation) this.remember(hash, row, ctx.clock.now().getTime() + API_KEY_CACHE_TTL_MS);
          return row;
        })
        .finally(() => this.loading.delete(hash));
      this.loading.set(hash, pending);
    }
    return pending;
  }

  private remember(hash: string, row: KeyRow | null, until: number): void {
    this.cache.delete(hash);
    // Unknown secrets are remembered too (a client retrying a mistyped key); the oldest entry goes first when full.
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(hash, { row, until });
  }

  /**
   * Writes `last_used_at` when this process has not written it for a minute
   * and the row does not say another instance did. A failed write is logged,
   * never a failed request: it is bookkeeping.
   */
  private async recordUse(ctx: AppContext, row: KeyRow, now: Date): Promise<void> {
    const last = Math.max(this.lastUseWritten.get(row.id) ?? 0, row.lastUsedAt?.getTime() ?? 0);
    if (now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUseWritten.set(row.id, now.getTime());
    const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    try {
      await ctx.db
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
    } catch (error) {
      ctx.log.warn("api_key.last_used_failed", { apiKeyId: row.id, error: String(error) });
    }
  }

  /**
   * One request's point of the key's limit: spent from this process's lease,
   * or a new lease taken from the shared counter when it is spent (one lease
   * at a time per key; requests arriving meanwhile wait for it). Once a lease
   * comes back empty, the key is refused here until its window ends, with
   * no further database write.
   */
  private async take(ctx: AppContext, keyId: string, limitPerMinute: number): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
    let bucket = this.buckets.get(keyId);
    if (!bucket) {
      bucket = { remaining: 0, windowEndsAt: 0, refusedUntil: 0, leasing: null };
      this.buckets.set(keyId, bucket);
    }
    // Each lease either grants a point or refuses until the window ends, so this ends; the bound is a safety net.
    for (let attempt = 0; attempt < 100; attempt++) {
      const now = ctx.clock.now().getTime();
      if (bucket.refusedUntil > now) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((bucket.refusedUntil - now) / 1000)) };
      if (bucket.windowEndsAt > now && bucket.remaining > 0) {
        bucket.remaining -= 1;
        return { ok: true };
      }
      bucket.leasing ??= this.lease(ctx, keyId, bucket, limitPerMinute).finally(() => (bucket.leasing = null));
      await bucket.leasing;
    }
    return { ok: false, retryAfterSeconds: 1 };
  }

  private async lease(ctx: AppContext, keyId: string, bucket: Bucket, limitPerMinute: number): Promise<void> {
    const { granted, resetAt } = await leaseLimit(
      ctx.db,
      `api_key:${keyId}`,
      { points: limitPerMinute, windowSeconds: API_RATE_WINDOW_SECONDS },
      leaseSizeFor(limitPerMinute),
      ctx.clock.now(),
    );
    bucket.remaining = granted;
    bucket.windowEndsAt = resetAt.getTime();
    bucket.refusedUntil = granted === 0 ? resetAt.getTime() : 0;
  }
}

async function loadKey(ctx: Pick<AppContext, "db">, hash: string): Promise<KeyRow | null> {
  const [row] = await ctx.db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      scopes: apiKeys.scopes,
      tokenHash: apiKeys.tokenHash,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.tokenHash, hash));
  return row ?? null;
}

/** The domain's name for the check the guard makes: authenticates `authorization` for `scope` with the context's authenticator. */
export function authenticateApiKey(ctx: AppContext, authorization: string | null, scope: ApiKeyScope): Promise<ApiKeyVerdict> {
  return ctx.apiKeys.authenticate(ctx, authorization, scope);
}
