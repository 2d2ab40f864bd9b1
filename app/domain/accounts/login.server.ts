import { eq } from "drizzle-orm";
import { users } from "#db/schema/index";
import { recordAudit, recordAuditNow, userActor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction } from "~/lib/db.server";
import { burnPasswordCheck, verifyPassword } from "~/lib/password.server";
import { consumeLimit, limitKey, peekLimit, resetLimit, type Limit } from "~/lib/rate-limit.server";
import { findUserByEmail, normaliseEmail } from "./users.server";

/**
 * Three limits. Per IP, every attempt counts (password spraying). Per account
 * and IP, failures count tightly (guessing from one place). Per account from
 * anywhere, failures count loosely: it slows a distributed attack, while a
 * single attacker cannot lock the owner out from their own network.
 */
export const LOGIN_IP_LIMIT: Limit = { points: 30, windowSeconds: 15 * 60 };
export const LOGIN_ACCOUNT_IP_LIMIT: Limit = { points: 10, windowSeconds: 15 * 60 };
export const LOGIN_ACCOUNT_LIMIT: Limit = { points: 100, windowSeconds: 60 * 60 };

export type ClientMeta = { ip: string | null; userAgent: string | null };

export type LoginResult =
  | { ok: true; userId: string; role: string; setCookie: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks credentials under both rate limits. The answer for a wrong password,
 * an unknown email and a disabled account is the same, and takes as long.
 */
export async function attemptLogin(ctx: AppContext, input: { email: string; password: string }, meta: ClientMeta): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const secret = ctx.config.appSecret;
  const ipKey = limitKey(secret, "login:ip", meta.ip ?? "unknown");
  const accountIpKey = limitKey(secret, "login:account-ip", email, meta.ip ?? "unknown");
  const accountKey = limitKey(secret, "login:account", email);
  // One instant for the whole attempt: the windows, the audit events and the last sign-in agree.
  const now = ctx.clock.now();

  // Only failures count, per IP too: many colleagues behind one office or carrier
  // address sign in successfully all day, and must never lock each other out.
  const perIp = await peekLimit(ctx.db, ipKey, LOGIN_IP_LIMIT, now);
  const perAccountIp = await peekLimit(ctx.db, accountIpKey, LOGIN_ACCOUNT_IP_LIMIT, now);
  const perAccount = await peekLimit(ctx.db, accountKey, LOGIN_ACCOUNT_LIMIT, now);
  const blocked: [string, { retryAfterSeconds: number }] | null =
    perIp.used >= LOGIN_IP_LIMIT.points
      ? ["ip", perIp]
      : perAccountIp.used >= LOGIN_ACCOUNT_IP_LIMIT.points
        ? ["account_ip", perAccountIp]
        : perAccount.used >= LOGIN_ACCOUNT_LIMIT.points
          ? ["account", perAccount]
          : null;
  if (blocked) {
    await recordAuditNow(ctx.db, {
      actor: { id: null, label: email, ip: meta.ip },
      action: "auth.login_throttled",
      subjectType: "session",
      data: { scope: blocked[0] },
      at: now,
    });
    return { ok: false, reason: "throttled", retryAfterSeconds: blocked[1].retryAfterSeconds };
  }

  const user = await findUserByEmail(ctx.db, email);
  const passwordOk = user ? await verifyPassword(user.passwordHash, input.password) : (await burnPasswordCheck(input.password), false);

  if (!user || !passwordOk || user.status !== "active") {
    await consumeLimit(ctx.db, ipKey, LOGIN_IP_LIMIT, now);
    await consumeLimit(ctx.db, accountIpKey, LOGIN_ACCOUNT_IP_LIMIT, now);
    await consumeLimit(ctx.db, accountKey, LOGIN_ACCOUNT_LIMIT, now);
    await recordAuditNow(ctx.db, {
      actor: { id: user?.id ?? null, label: email, ip: meta.ip },
      action: "auth.login_failed",
      subjectType: "session",
      subjectId: user?.id ?? null,
      partnerOrgId: user?.partnerOrgId ?? null,
      data: { reason: !user ? "unknown_email" : !passwordOk ? "wrong_password" : "account_disabled" },
      at: now,
    });
    return { ok: false, reason: "invalid" };
  }

  await resetLimit(ctx.db, accountIpKey);
  const { setCookie } = await ctx.auth.createSession(user.id, meta);
  await transaction(ctx.db, async (tx) => {
    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
    await recordAudit(tx, {
      actor: userActor(user, meta.ip),
      action: "auth.login",
      subjectType: "session",
      subjectId: user.id,
      partnerOrgId: user.partnerOrgId,
      data: { userAgent: meta.userAgent?.slice(0, 200) ?? null },
      at: now,
    });
  });
  return { ok: true, userId: user.id, role: user.role, setCookie };
}

export async function logout(
  ctx: AppContext,
  session: { sessionId: string; user: { id: string; email: string; partnerOrgId: string | null } },
  meta: ClientMeta,
): Promise<void> {
  await ctx.auth.invalidateSession(session.sessionId);
  await recordAuditNow(ctx.db, {
    actor: { id: session.user.id, label: session.user.email, ip: meta.ip },
    action: "auth.logout",
    subjectType: "session",
    subjectId: session.user.id,
    partnerOrgId: session.user.partnerOrgId,
    at: ctx.clock.now(),
  });
}
