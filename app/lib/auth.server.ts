import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { eq } from "drizzle-orm";
import { Lucia, TimeSpan } from "lucia";
import { sessions, users, type User, type UserRole } from "#db/schema/index";
import type { Config } from "./config.server";
import type { Db } from "./db.server";
import { generateToken, hashToken } from "./tokens.server";

/**
 * Sessions, wrapped so the rest of the app never touches lucia (deprecated
 * upstream): replacing it is a change to this file only.
 *
 * The cookie carries a random token; the database keeps only its SHA-256 as
 * the session id. Idle expiry is lucia's sliding expiry; the absolute limit is
 * checked here against the session's creation time.
 */
export type SessionUser = Pick<User, "id" | "email" | "name" | "role" | "partnerOrgId" | "partnerRole" | "status">;

export type AuthSession = { id: string; userId: string; createdAt: Date; expiresAt: Date };

export type ValidatedSession = {
  user: SessionUser;
  session: AuthSession;
  /** A Set-Cookie value to send when the session was extended or must be cleared. */
  setCookie: string | null;
};

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof buildLucia>;
    DatabaseUserAttributes: Pick<User, "email" | "name" | "role" | "partnerOrgId" | "partnerRole" | "status">;
    DatabaseSessionAttributes: { createdAt: Date; ipAddress: string | null; userAgent: string | null };
  }
}

function buildLucia(db: Db, config: Pick<Config, "secureTransport" | "session">) {
  return new Lucia(new DrizzlePostgreSQLAdapter(db, sessions, users), {
    sessionExpiresIn: new TimeSpan(Math.round(config.session.idleTimeoutMs / 1000), "s"),
    sessionCookie: {
      // __Host- requires Secure, path=/ and no Domain: subdomains cannot plant or read it.
      name: config.secureTransport ? "__Host-cobrand_session" : "cobrand_session",
      expires: true,
      attributes: { secure: config.secureTransport, sameSite: "lax", path: "/" },
    },
    getSessionAttributes: (attributes) => attributes,
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      name: attributes.name,
      role: attributes.role as UserRole,
      partnerOrgId: attributes.partnerOrgId,
      partnerRole: attributes.partnerRole,
      status: attributes.status,
    }),
  });
}

export type Auth = ReturnType<typeof createAuth>;

export function createAuth(db: Db, config: Pick<Config, "secureTransport" | "session">) {
  const lucia = buildLucia(db, config);
  const absoluteTimeoutMs = config.session.absoluteTimeoutMs;

  return {
    cookieName: lucia.sessionCookieName,

    /** Starts a session and returns the Set-Cookie value carrying its token. */
    async createSession(userId: string, meta: { ip: string | null; userAgent: string | null }) {
      const token = generateToken();
      await lucia.createSession(
        userId,
        { createdAt: new Date(), ipAddress: meta.ip, userAgent: meta.userAgent?.slice(0, 512) ?? null },
        { sessionId: hashToken(token) },
      );
      return { token, setCookie: lucia.createSessionCookie(token).serialize() };
    },

    /** Resolves the cookie's token to a live session of an active user, or null. */
    async validate(cookieHeader: string | null): Promise<ValidatedSession | null> {
      const token = lucia.readSessionCookie(cookieHeader ?? "");
      if (!token) return null;
      const sessionId = hashToken(token);
      const { session, user } = await lucia.validateSession(sessionId);
      if (!session || !user) return null;
      const tooOld = Date.now() - session.createdAt.getTime() > absoluteTimeoutMs;
      if (tooOld || user.status !== "active") {
        await lucia.invalidateSession(sessionId);
        return null;
      }
      return {
        user: { ...user },
        session: { id: session.id, userId: session.userId, createdAt: session.createdAt, expiresAt: session.expiresAt },
        setCookie: session.fresh ? lucia.createSessionCookie(token).serialize() : null,
      };
    },

    async invalidateSession(sessionId: string): Promise<void> {
      await lucia.invalidateSession(sessionId);
    },

    /** Ends every session of a user: password, role or status changed. Works inside a transaction. */
    async invalidateUserSessions(tx: Db, userId: string): Promise<void> {
      await tx.delete(sessions).where(eq(sessions.userId, userId));
    },

    blankCookie(): string {
      return lucia.createBlankSessionCookie().serialize();
    },

    /** Removes expired rows; run from time to time by the worker. */
    async deleteExpiredSessions(): Promise<void> {
      await lucia.deleteExpiredSessions();
    },
  };
}
