import { and, eq, isNull } from "drizzle-orm";
import { userTokens, users } from "#db/schema/index";
import { recordAudit, userActor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction } from "~/lib/db.server";
import { enqueueEmail } from "~/lib/outbox.server";
import { checkNewPassword, hashPassword, verifyPassword } from "~/lib/password.server";
import { consumeLimit, limitKey, type Limit } from "~/lib/rate-limit.server";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { passwordChangedEmail, passwordResetEmail } from "../notifications/emails.server";
import { redactUsedToken } from "../notifications/outbox.server";
import { emailBrand, getBranding } from "../settings/program.server";
import { canonicalOrigin } from "../settings/site.server";
import { DomainError, NotFoundError } from "../errors";
import type { ClientMeta } from "./login.server";
import { findToken, TOKEN_MESSAGES, tokenState } from "./tokens.server";
import { findUserByEmail, normaliseEmail } from "./users.server";

export const RESET_TOKEN_TTL_MS = 2 * 60 * 60 * 1000;
const RESET_PER_EMAIL: Limit = { points: 3, windowSeconds: 60 * 60 };
const RESET_PER_IP: Limit = { points: 20, windowSeconds: 60 * 60 };

/**
 * Emails a reset link when the address belongs to an active account. The
 * caller shows the same answer in every case, so the form does not reveal
 * which addresses have accounts.
 */
export async function requestPasswordReset(ctx: AppContext, rawEmail: string, meta: ClientMeta, origin: string): Promise<void> {
  const email = normaliseEmail(rawEmail);
  const now = ctx.clock.now();
  const perIp = await consumeLimit(ctx.db, limitKey(ctx.config.appSecret, "reset:ip", meta.ip ?? "unknown"), RESET_PER_IP, now);
  const perEmail = await consumeLimit(ctx.db, limitKey(ctx.config.appSecret, "reset:email", email), RESET_PER_EMAIL, now);
  if (!perIp.allowed || !perEmail.allowed) return;

  const user = await findUserByEmail(ctx.db, email);
  if (!user || user.status !== "active") return;

  const token = generateToken();
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_TTL_MS);
  const branding = await getBranding(ctx.db);
  await transaction(ctx.db, async (tx) => {
    // Only the newest link works.
    await tx
      .update(userTokens)
      .set({ revokedAt: now })
      .where(and(eq(userTokens.purpose, "password_reset"), eq(userTokens.userId, user.id), isNull(userTokens.usedAt), isNull(userTokens.revokedAt)));
    await tx.insert(userTokens).values({ purpose: "password_reset", tokenHash: hashToken(token), email, userId: user.id, expiresAt });
    await enqueueEmail(tx, passwordResetEmail({ to: user.email, ...emailBrand(branding, origin), url: `${origin}/reset-password?token=${token}`, expiresAt }));
    await recordAudit(tx, {
      actor: { id: null, label: email, ip: meta.ip },
      action: "auth.password_reset_requested",
      subjectType: "user",
      subjectId: user.id,
      partnerOrgId: user.partnerOrgId,
      at: now,
    });
  });
}

export async function describeResetToken(ctx: AppContext, token: string | null) {
  const row = token ? await findToken(ctx.db, "password_reset", token) : undefined;
  const state = tokenState(row, ctx.clock.now());
  return state === "valid" ? { valid: true as const, email: row!.email } : { valid: false as const, message: TOKEN_MESSAGES[state] };
}

/**
 * `origin` is looked up before the transaction opens: on PGlite, one
 * connection, a read outside the transaction would wait for it forever.
 */
async function setPassword(
  ctx: AppContext,
  tx: AppContext["db"],
  user: { id: string; email: string; partnerOrgId: string | null },
  passwordHash: string,
  origin: string,
  now: Date,
): Promise<void> {
  await tx.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, user.id));
  await ctx.auth.invalidateUserSessions(tx, user.id);
  const branding = await getBranding(tx);
  await enqueueEmail(tx, passwordChangedEmail({ to: user.email, ...emailBrand(branding, origin) }));
}

/** Uses a reset link once: new password, every session ended, link spent. */
export async function resetPassword(ctx: AppContext, token: string, newPassword: string, meta: ClientMeta): Promise<void> {
  const preview = await findToken(ctx.db, "password_reset", token);
  const problem = checkNewPassword(newPassword, { email: preview?.email });
  if (problem) throw new DomainError(problem, { field: "password" });
  const passwordHash = await hashPassword(newPassword);
  const origin = await canonicalOrigin(ctx);

  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const row = await findToken(tx, "password_reset", token, { forUpdate: true });
    const state = tokenState(row, now);
    if (state !== "valid" || !row?.userId) throw new DomainError(TOKEN_MESSAGES[state === "valid" ? "unknown" : state], { kind: "gone" });
    const [user] = await tx.select().from(users).where(eq(users.id, row.userId)).for("update");
    if (!user || user.status !== "active") throw new DomainError(TOKEN_MESSAGES.unknown, { kind: "gone" });
    await tx.update(userTokens).set({ usedAt: now }).where(eq(userTokens.id, row.id));
    await redactUsedToken(tx, token, now);
    await setPassword(ctx, tx, user, passwordHash, origin, now);
    await recordAudit(tx, {
      actor: userActor(user, meta.ip),
      action: "auth.password_reset",
      subjectType: "user",
      subjectId: user.id,
      partnerOrgId: user.partnerOrgId,
      at: now,
    });
  });
}

/** Changes the password of a signed-in user, ends all their sessions and starts a new one here. */
export async function changePassword(
  ctx: AppContext,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  meta: ClientMeta,
): Promise<{ setCookie: string }> {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new NotFoundError("Account not found");
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new DomainError("Your current password is not correct.", { field: "currentPassword" });
  }
  const problem = checkNewPassword(input.newPassword, { email: user.email });
  if (problem) throw new DomainError(problem, { field: "newPassword" });
  if (input.newPassword === input.currentPassword) {
    throw new DomainError("Choose a password different from the current one.", { field: "newPassword" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const origin = await canonicalOrigin(ctx);
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    await setPassword(ctx, tx, user, passwordHash, origin, now);
    await recordAudit(tx, {
      actor: userActor(user, meta.ip),
      action: "auth.password_changed",
      subjectType: "user",
      subjectId: user.id,
      partnerOrgId: user.partnerOrgId,
      at: now,
    });
  });
  return { setCookie: (await ctx.auth.createSession(user.id, meta)).setCookie };
}
