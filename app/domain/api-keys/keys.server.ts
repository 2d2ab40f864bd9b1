import { count, desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { apiKeys, users } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction } from "~/lib/db.server";
import { DomainError, NotFoundError } from "../errors";
import { paginate, type Page } from "../pagination.server";
import { API_KEY_LIMITS, API_KEY_SCOPES, apiKeyStatus, type ApiKeyScope, type ApiKeyStatus } from "./catalog";
import { displayPrefixOf, hashApiKeySecret, newApiKeySecret } from "./secrets.server";

// API keys (issue 16 §1): made by an admin for the brand's own systems, shown
// once, stored as a SHA-256 of the secret, revocable; each creation and
// revocation on the audit trail. Authentication is authenticate.server.ts.

export const API_KEYS_PAGE_SIZE = 25;

export type NewApiKeyInput = {
  name: string;
  scopes: readonly ApiKeyScope[];
  /**
   * The last day the key works, as YYYY-MM-DD; it stops at the end of that
   * day, UTC (expires_at is 00:00 UTC of the day after). Null: no expiry.
   */
  expiresOn: string | null;
};

export type ApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  createdByName: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedByName: string | null;
  status: ApiKeyStatus;
};

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** 00:00 UTC of the day after `day`: the first instant the key no longer works. Null for a string that is not a calendar day. */
export function expiryInstantOf(day: string): Date | null {
  if (!ISO_DAY.test(day)) return null;
  const start = new Date(`${day}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a real day reads back as itself.
  if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== day) return null;
  return new Date(start.getTime() + DAY_MS);
}

/** The rules the form's schema checks too, checked again here so no caller can store a key that breaks them. */
function checkedInput(input: NewApiKeyInput, now: Date): { name: string; scopes: ApiKeyScope[]; expiresAt: Date | null } {
  const name = input.name.trim();
  if (!name) throw new DomainError("A name is required.", { field: "name" });
  if (name.length > API_KEY_LIMITS.nameMax) throw new DomainError(`A name must be at most ${API_KEY_LIMITS.nameMax} characters.`, { field: "name" });
  const scopes = API_KEY_SCOPES.filter((scope) => input.scopes.includes(scope));
  if (scopes.length === 0 || scopes.length !== new Set(input.scopes).size) {
    throw new DomainError("Choose at least one scope from the list.", { field: "scopes" });
  }
  if (input.expiresOn === null) return { name, scopes, expiresAt: null };
  const expiresAt = expiryInstantOf(input.expiresOn);
  if (!expiresAt) throw new DomainError("Enter the expiry as a date.", { field: "expiresOn" });
  if (expiresAt.getTime() <= now.getTime()) {
    throw new DomainError("The expiry date has passed: choose today or a later day, or leave it empty for a key that does not expire.", {
      field: "expiresOn",
    });
  }
  return { name, scopes, expiresAt };
}

/**
 * Makes a key and returns its secret, the only time it exists outside the
 * caller's memory: the database keeps its SHA-256 and a display prefix.
 */
export async function createApiKey(ctx: AppContext, actor: Actor, input: NewApiKeyInput): Promise<{ key: ApiKeyView; secret: string }> {
  const now = ctx.clock.now();
  const { name, scopes, expiresAt } = checkedInput(input, now);
  const secret = newApiKeySecret();
  const prefix = displayPrefixOf(secret);
  const row = await transaction(ctx.db, async (tx) => {
    const [created] = await tx
      .insert(apiKeys)
      .values({ name, prefix, tokenHash: hashApiKeySecret(secret), scopes, expiresAt, createdById: actor.id, createdAt: now })
      .returning();
    await recordAudit(tx, {
      actor,
      action: "api_key.created",
      subjectType: "api_key",
      subjectId: created!.id,
      data: { name, prefix, scopes, expiresAt: expiresAt?.toISOString() ?? null },
      at: now,
    });
    return created!;
  });
  return {
    secret,
    key: { ...row, createdByName: null, revokedByName: null, status: apiKeyStatus(row, now) },
  };
}

/**
 * Revokes a key for good. This instance forgets it at once; other instances
 * within their cache's few seconds (API_KEY_CACHE_TTL_MS).
 */
export async function revokeApiKey(ctx: AppContext, actor: Actor, keyId: string): Promise<{ name: string; prefix: string }> {
  const now = ctx.clock.now();
  const revoked = await transaction(ctx.db, async (tx) => {
    const [key] = await tx.select().from(apiKeys).where(eq(apiKeys.id, keyId)).for("update");
    if (!key) throw new NotFoundError("API key not found.");
    if (key.revokedAt) throw new DomainError("This key was already revoked.", { kind: "conflict" });
    await tx.update(apiKeys).set({ revokedAt: now, revokedById: actor.id }).where(eq(apiKeys.id, key.id));
    await recordAudit(tx, {
      actor,
      action: "api_key.revoked",
      subjectType: "api_key",
      subjectId: key.id,
      data: { name: key.name, prefix: key.prefix },
      at: now,
    });
    return { name: key.name, prefix: key.prefix };
  });
  ctx.apiKeys.forget(keyId);
  return revoked;
}

const creator = alias(users, "creator");
const revoker = alias(users, "revoker");

const viewColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  createdByName: creator.name,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  revokedByName: revoker.name,
};

function selectViews(ctx: Pick<AppContext, "db">) {
  return ctx.db.select(viewColumns).from(apiKeys).leftJoin(creator, eq(creator.id, apiKeys.createdById)).leftJoin(revoker, eq(revoker.id, apiKeys.revokedById));
}

/** Every key, newest first, revoked and expired ones included (their history matters), with who made them and their status now. */
export async function listApiKeys(ctx: Pick<AppContext, "db" | "clock">, page: number): Promise<Page<ApiKeyView>> {
  const now = ctx.clock.now();
  const result = await paginate(
    page,
    API_KEYS_PAGE_SIZE,
    (limit, offset) => selectViews(ctx).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id)).limit(limit).offset(offset),
    () => ctx.db.select({ n: count() }).from(apiKeys),
  );
  return { ...result, rows: result.rows.map((row) => ({ ...row, status: apiKeyStatus(row, now) })) };
}

/** One key, for the page that confirms its revocation. */
export async function getApiKey(ctx: Pick<AppContext, "db" | "clock">, keyId: string): Promise<ApiKeyView> {
  const [row] = await selectViews(ctx).where(eq(apiKeys.id, keyId));
  if (!row) throw new NotFoundError("API key not found.");
  return { ...row, status: apiKeyStatus(row, ctx.clock.now()) };
}
