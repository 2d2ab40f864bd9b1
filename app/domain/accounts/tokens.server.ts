import { and, eq, isNull } from "drizzle-orm";
import { userTokens } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { hashToken } from "~/lib/tokens.server";

export type TokenRow = typeof userTokens.$inferSelect;
export type TokenState = "valid" | "expired" | "used" | "revoked" | "unknown";

/** Judged at `now`, the caller's clock (the context's), so a test moves past expiry by moving the clock. */
export function tokenState(row: TokenRow | undefined, now: Date): TokenState {
  if (!row) return "unknown";
  if (row.usedAt) return "used";
  if (row.revokedAt) return "revoked";
  if (row.expiresAt <= now) return "expired";
  return "valid";
}

/** Looks a token up by its hash; `forUpdate` locks the row for a single-use transition. */
export async function findToken(db: Db, purpose: TokenRow["purpose"], token: string, options: { forUpdate?: boolean } = {}): Promise<TokenRow | undefined> {
  const query = db
    .select()
    .from(userTokens)
    .where(and(eq(userTokens.tokenHash, hashToken(token)), eq(userTokens.purpose, purpose)))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

export async function revokeOpenTokens(db: Db, purpose: TokenRow["purpose"], email: string, now: Date): Promise<void> {
  await db
    .update(userTokens)
    .set({ revokedAt: now })
    .where(and(eq(userTokens.purpose, purpose), eq(userTokens.email, email.toLowerCase()), isNull(userTokens.usedAt), isNull(userTokens.revokedAt)));
}

export const TOKEN_MESSAGES: Record<Exclude<TokenState, "valid">, string> = {
  expired: "This link has expired.",
  used: "This link has already been used.",
  revoked: "This link has been withdrawn.",
  unknown: "This link is not valid.",
};
