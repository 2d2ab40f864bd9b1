import { eq } from "drizzle-orm";
import { users } from "#db/schema/index";
import { recordAudit, recordAuditNow } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { burnPasswordCheck, verifyPassword } from "~/lib/password.server";
import { consumeLimit, peekLimit, resetLimit, type Limit } from "~/lib/rate-limit.server";
import { findUserByEmail, normaliseEmail } from "./users.server";

// Per IP: every attempt counts. Per account: failures count, and a success clears them.
export const LOGIN_IP_LIMIT: Limit = { points: 30, windowSeconds: 15 * 60 };
export const LOGIN_ACCOUNT_LIMIT: Limit = { points: 10, windowSeconds: 15 * 60 };

export type ClientMeta = { ip: string | null; userAgent: string | null };

export type LoginResult =
  | { ok: true; userId: string; role: string; setCookie: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks credentials under both rate limits. The answer for a wrong password,
 * an unknown email and a disabled account is the same, and takes as long.
 */
export async function attemptLogin(
  ctx: AppContext,
  input: { email: string; password: string },
  meta: ClientMeta,
): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const ipKey = `login:ip:${meta.ip ?? "unknown"}`;
  const accountKey = `login:account:${email}`;

  const perIp = await consumeLimit(ctx.db, ipKey, LOGIN_IP_LIMIT);
  const perAccount = await peekLimit(ctx.db, accountKey, LOGIN_ACCOUNT_LIMIT);
  const blocked = !perIp.allowed ? perIp : perAccount.used >= LOGIN_ACCOUNT_LIMIT.points ? perAccount : null;
  if (blocked) {
    await recordAuditNow(ctx.db, {
      actor: { id: null, label: email, ip: meta.ip },
      action: "auth.login_throttled",
      subjectType: "session",
      data: { scope: blocked === perIp ? "ip" : "account" },
    });
    return { ok: false, reason: "throttled", retryAfterSeconds: blocked.retryAfterSeconds };
  }

  const user = await findUserByEmail(ctx.db, email);
  const passwordOk = user ? await verifyPassword(user.passwordHash, input.password) : (await burnPasswordCheck(input.password), false);

  if (!user || !passwordOk || user.status !== "active") {
    await consumeLimit(ctx.db, accountKey, LOGIN_ACCOUNT_LIMIT);
    await recordAuditNow(ctx.db, {
      actor: { id: user?.id ?? null, label: email, ip: meta.ip },
      action: "auth.login_failed",
      subjectType: "session",
      subjectId: user?.id ?? null,
      partnerOrgId: user?.partnerOrgId ?? null,
      data: { reason: !user ? "unknown_email" : !passwordOk ? "wrong_password" : "account_disabled" },
    });
    return { ok: false, reason: "invalid" };
  }

  await resetLimit(ctx.db, accountKey);
  const { setCookie } = await ctx.auth.createSession(user.id, meta);
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
    await recordAudit(tx, {
      actor: { id: user.id, label: user.email, ip: meta.ip },
      action: "auth.login",
      subjectType: "session",
      subjectId: user.id,
      partnerOrgId: user.partnerOrgId,
      data: { userAgent: meta.userAgent?.slice(0, 200) ?? null },
    });
  });
  return { ok: true, userId: user.id, role: user.role, setCookie };
}

export async function logout(ctx: AppContext, session: { sessionId: string; user: { id: string; email: string; partnerOrgId: string | null } }, meta: ClientMeta): Promise<void> {
  await ctx.auth.invalidateSession(session.sessionId);
  await recordAuditNow(ctx.db, {
    actor: { id: session.user.id, label: session.user.email, ip: meta.ip },
    action: "auth.logout",
    subjectType: "session",
    subjectId: session.user.id,
    partnerOrgId: session.user.partnerOrgId,
  });
}
