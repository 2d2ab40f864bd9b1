import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, outboxMessages, userTokens, users } from "#db/schema/index";
import {
  acceptInvitation,
  describeInvitation,
  INVITATION_TTL_MS,
  inviteInternalUser,
  resendInvitation,
  revokeInvitation,
} from "~/domain/accounts/invitations.server";
import { attemptLogin, LOGIN_ACCOUNT_IP_LIMIT, LOGIN_ACCOUNT_LIMIT, LOGIN_IP_LIMIT } from "~/domain/accounts/login.server";
import { rateLimits } from "#db/schema/index";
import { describeResetToken, requestPasswordReset, resetPassword, RESET_TOKEN_TTL_MS } from "~/domain/accounts/passwords.server";
import { completeSetup, isSetupTokenValid, prepareSetupToken } from "~/domain/accounts/setup.server";
import type { AdjustableClock } from "~/lib/clock";
import type { AppContext } from "~/lib/context.server";
import type { Database } from "~/lib/db.server";
import { hashToken } from "~/lib/tokens.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { createTestDatabase, resetDatabase } from "../support/db";
import { adjustableClockFor, createTestContext, createUser, TEST_PASSWORD } from "../support/context";
import { expectResendLimits } from "../support/resend";
import { DomainError } from "~/domain/errors";

let database: Database;
let app: AppContext;
let clock: AdjustableClock;
const meta = { ip: "203.0.113.7", userAgent: "vitest" };
const origin = "http://localhost:3000";

beforeAll(async () => {
  database = await createTestDatabase();
  app = createTestContext(database.db);
});
afterAll(() => database.close());
beforeEach(async () => {
  clock = adjustableClockFor(app);
  await resetDatabase(database.db);
});

const actions = async () => (await database.db.select({ action: auditEvents.action }).from(auditEvents)).map((r) => r.action);
const emails = () => database.db.select().from(outboxMessages);
const tokenFrom = (text: string) => /token=([A-Za-z0-9_-]+)/.exec(text)![1]!;

describe("first run", () => {
  it("creates the first admin once with the printed token, then the token is gone", async () => {
    const token = (await prepareSetupToken(app, null))!;
    expect(token).toBeTruthy();
    expect(await isSetupTokenValid(database.db, "wrong")).toBe(false);
    expect(await isSetupTokenValid(database.db, token)).toBe(true);
    await expect(
      completeSetup(app, { token, programName: "Acme Partners", name: "Ada Admin", email: "ada@acme.test", password: "password" }, meta, origin),
    ).rejects.toThrow(/too common/);
    const { userId } = await completeSetup(
      app,
      { token, programName: "Acme Partners", name: "Ada Admin", email: "Ada@Acme.test", password: TEST_PASSWORD },
      meta,
      origin,
    );
    const [admin] = await database.db.select().from(users).where(eq(users.id, userId));
    expect(admin).toMatchObject({ role: "admin", email: "ada@acme.test" });
    expect(await isSetupTokenValid(database.db, token)).toBe(false);
    await expect(
      completeSetup(app, { token, programName: "x", name: "Eve", email: "eve@x.test", password: TEST_PASSWORD }, meta, "http://evil.example"),
    ).rejects.toThrow(/already complete/);
    expect(await prepareSetupToken(app, null)).toBeNull();
    expect(await actions()).toEqual(["setup.completed"]);
    // The setup request's origin becomes the canonical one for email links.
    expect(await canonicalOrigin(app)).toBe(origin);
  });
});

describe("login", () => {
  it("gives one answer for a wrong password, an unknown email and a disabled account, and records each", async () => {
    const user = await createUser(database.db, { email: "sam@acme.test" });
    const disabled = await createUser(database.db, { email: "off@acme.test" });
    await database.db.update(users).set({ status: "disabled" }).where(eq(users.id, disabled.id));
    for (const attempt of [
      { email: "sam@acme.test", password: "wrong password" },
      { email: "nobody@acme.test", password: TEST_PASSWORD },
      { email: "off@acme.test", password: TEST_PASSWORD },
    ]) {
      expect(await attemptLogin(app, attempt, meta)).toEqual({ ok: false, reason: "invalid" });
    }
    const ok = await attemptLogin(app, { email: "SAM@acme.test ", password: TEST_PASSWORD }, meta);
    expect(ok).toMatchObject({ ok: true, userId: user.id });
    const events = await database.db.select().from(auditEvents);
    expect(events.map((e) => [e.action, (e.data as { reason?: string }).reason ?? null])).toEqual([
      ["auth.login_failed", "wrong_password"],
      ["auth.login_failed", "unknown_email"],
      ["auth.login_failed", "account_disabled"],
      ["auth.login", null],
    ]);
    expect(events.every((e) => e.ip === meta.ip)).toBe(true);
  });

  it("throttles guessing at one account from one place, without locking the owner out elsewhere", async () => {
    await createUser(database.db, { email: "target@acme.test" });
    for (let i = 0; i < LOGIN_ACCOUNT_IP_LIMIT.points; i++) {
      expect((await attemptLogin(app, { email: "target@acme.test", password: `guess ${i}` }, meta)).ok).toBe(false);
    }
    const result = await attemptLogin(app, { email: "target@acme.test", password: TEST_PASSWORD }, meta);
    expect(result).toMatchObject({ ok: false, reason: "throttled" });
    expect(result.ok === false && result.reason === "throttled" && result.retryAfterSeconds).toBeGreaterThan(60);
    // The owner, from their own network, still gets in.
    expect((await attemptLogin(app, { email: "target@acme.test", password: TEST_PASSWORD }, { ...meta, ip: "192.0.2.50" })).ok).toBe(true);
    expect(await actions()).toContain("auth.login_throttled");
  });

  it("throttles distributed guessing at one account", async () => {
    await createUser(database.db, { email: "target@acme.test" });
    for (let i = 0; i < LOGIN_ACCOUNT_LIMIT.points; i++) {
      await attemptLogin(app, { email: "target@acme.test", password: `guess ${i}` }, { ...meta, ip: `10.${Math.floor(i / 250)}.${i % 250}.1` });
    }
    expect(await attemptLogin(app, { email: "target@acme.test", password: TEST_PASSWORD }, { ...meta, ip: "192.0.2.50" })).toMatchObject({
      reason: "throttled",
    });
  });

  it("keeps no email or IP in clear text in the counters", async () => {
    await attemptLogin(app, { email: "private@acme.test", password: "whatever it is" }, meta);
    const keys = (await database.db.select().from(rateLimits)).map((r) => r.key).join(" ");
    expect(keys).not.toContain("private@acme.test");
    expect(keys).not.toContain(meta.ip);
  });

  it("never throttles an address whose sign-ins succeed (an office behind one IP)", async () => {
    await createUser(database.db, { email: "office@acme.test" });
    for (let i = 0; i < LOGIN_IP_LIMIT.points + 5; i++) {
      expect((await attemptLogin(app, { email: "office@acme.test", password: TEST_PASSWORD }, meta)).ok).toBe(true);
    }
  });

  it("throttles an IP that tries many accounts", async () => {
    for (let i = 0; i < LOGIN_IP_LIMIT.points; i++) {
      await attemptLogin(app, { email: `spray${i}@acme.test`, password: "Summer2026!" }, meta);
    }
    expect(await attemptLogin(app, { email: "another@acme.test", password: "Summer2026!" }, meta)).toMatchObject({ reason: "throttled" });
    expect((await attemptLogin(app, { email: "another@acme.test", password: "Summer2026!" }, { ...meta, ip: "192.0.2.1" })).ok).toBe(false);
  });
});

describe("password reset", () => {
  it("emails a single-use link stored hashed that expires in 2 hours", async () => {
    const user = await createUser(database.db, { email: "rita@acme.test" });
    await requestPasswordReset(app, "Rita@acme.test", meta, origin);
    const [mail] = await emails();
    expect(mail!.payload.to).toBe("rita@acme.test");
    const token = tokenFrom(mail!.payload.text);
    expect(mail!.payload.text).toContain(`${origin}/reset-password?token=`);
    const [row] = await database.db.select().from(userTokens);
    expect(row!.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const ttl = row!.expiresAt.getTime() - row!.createdAt.getTime();
    expect(ttl).toBeGreaterThan(2 * 3_600_000 - 5_000);
    expect(ttl).toBeLessThanOrEqual(2 * 3_600_000 + 5_000);

    await expect(resetPassword(app, token, "12345678", meta)).rejects.toThrow(/too common/);
    await resetPassword(app, token, "a fresh passphrase here", meta);
    expect((await attemptLogin(app, { email: "rita@acme.test", password: "a fresh passphrase here" }, meta)).ok).toBe(true);
    await expect(resetPassword(app, token, "yet another passphrase", meta)).rejects.toThrow(/already been used/);
    expect(await describeResetToken(app, token)).toEqual({ valid: false, message: "This link has already been used." });
    expect(await actions()).toEqual(expect.arrayContaining(["auth.password_reset_requested", "auth.password_reset"]));
    // A "password changed" notice follows the reset.
    expect((await emails()).map((m) => m.payload.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/password was changed/)]));
    expect(user.id).toBeTruthy();
  });

  it("refuses an expired link", async () => {
    await createUser(database.db, { email: "late@acme.test" });
    await requestPasswordReset(app, "late@acme.test", meta, origin);
    const token = tokenFrom((await emails())[0]!.payload.text);
    clock.advance(RESET_TOKEN_TTL_MS + 1000);
    await expect(resetPassword(app, token, "a fresh passphrase here", meta)).rejects.toThrow(/expired/);
  });

  it("sends nothing for an unknown address, and only the newest link works", async () => {
    await requestPasswordReset(app, "ghost@acme.test", meta, origin);
    expect(await emails()).toHaveLength(0);
    await createUser(database.db, { email: "twice@acme.test" });
    await requestPasswordReset(app, "twice@acme.test", meta, origin);
    await requestPasswordReset(app, "twice@acme.test", meta, origin);
    const [first, second] = (await emails()).map((m) => tokenFrom(m.payload.text));
    await expect(resetPassword(app, first!, "a fresh passphrase here", meta)).rejects.toThrow(/withdrawn/);
    await resetPassword(app, second!, "a fresh passphrase here", meta);
  });
});

describe("internal invitations", () => {
  it("limits resends of one invitation, by the button or by inviting again: 1 per 5 minutes, 5 a day", async () => {
    const admin = await createUser(database.db, { role: "admin", name: "Ada" });
    const inviter = { id: admin.id, label: admin.email, name: admin.name };
    await inviteInternalUser(app, inviter, { email: "rev@acme.test", role: "brand_reviewer" }, origin);
    const open = async () =>
      (
        await database.db
          .select()
          .from(userTokens)
          .where(and(eq(userTokens.email, "rev@acme.test"), isNull(userTokens.revokedAt)))
      )[0]!;
    let viaButton = true;
    await expectResendLimits({
      accepted: 200,
      at: (offset) => clock.setOffset(offset),
      emails: async () => (await emails()).length,
      resend: async () => {
        const attempt = viaButton
          ? resendInvitation(app, inviter, (await open()).id, origin)
          : inviteInternalUser(app, inviter, { email: "rev@acme.test", role: "brand_reviewer" }, origin);
        viaButton = !viaButton;
        try {
          await attempt;
          return { status: 200, text: "" };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          return { status: error.status, text: error.message };
        }
      },
    });
  });

  it("invites with a role; the link is single-use and expires in 7 days", async () => {
    const admin = await createUser(database.db, { role: "admin", name: "Ada" });
    const inviter = { id: admin.id, label: admin.email, name: admin.name };
    await inviteInternalUser(app, inviter, { email: "Rev@Acme.test", role: "brand_reviewer" }, origin);
    const [mail] = await emails();
    expect(mail!.payload).toMatchObject({ to: "rev@acme.test" });
    expect(mail!.payload.text).toMatch(/brand reviewer/);
    const token = tokenFrom(mail!.payload.text);
    const [row] = await database.db.select().from(userTokens);
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(await describeInvitation(app, token)).toEqual({
      valid: true,
      email: "rev@acme.test",
      role: "brand_reviewer",
      partnerRole: null,
      organisationName: null,
      name: null,
    });

    const accepted = await acceptInvitation(app, token, { name: "Rae Reviewer", password: TEST_PASSWORD }, meta);
    expect(accepted.role).toBe("brand_reviewer");
    // Accepting signs the colleague in: their last sign-in is that moment, not "never".
    const [joined] = await database.db.select().from(users).where(eq(users.id, accepted.userId));
    expect(joined!.lastLoginAt).toBeInstanceOf(Date);
    await expect(acceptInvitation(app, token, { name: "Again", password: TEST_PASSWORD }, meta)).rejects.toThrow(/already been used/);
    await expect(inviteInternalUser(app, inviter, { email: "rev@acme.test", role: "analyst" }, origin)).rejects.toThrow(/already has an account/);
    expect(await actions()).toEqual(["user.invited", "user.invitation_accepted"]);
  });

  it("revoked, resent and expired invitations stop working", async () => {
    const admin = await createUser(database.db, { role: "admin" });
    const inviter = { id: admin.id, label: admin.email, name: admin.name };
    await inviteInternalUser(app, inviter, { email: "a@acme.test", role: "analyst" }, origin);
    const [invitation] = await database.db.select().from(userTokens);
    const firstToken = tokenFrom((await emails())[0]!.payload.text);
    await resendInvitation(app, inviter, invitation!.id, origin);
    const secondToken = tokenFrom((await emails())[1]!.payload.text);
    expect((await describeInvitation(app, firstToken)).valid).toBe(false);
    expect((await describeInvitation(app, secondToken)).valid).toBe(true);
    const [current] = await database.db
      .select()
      .from(userTokens)
      .where(eq(userTokens.tokenHash, hashToken(secondToken)));
    await revokeInvitation(app, inviter, current!.id);
    await expect(acceptInvitation(app, secondToken, { name: "A", password: TEST_PASSWORD }, meta)).rejects.toThrow(/withdrawn/);

    await inviteInternalUser(app, inviter, { email: "b@acme.test", role: "analyst" }, origin);
    const thirdToken = tokenFrom((await emails())[2]!.payload.text);
    clock.advance(INVITATION_TTL_MS + 1000);
    await expect(acceptInvitation(app, thirdToken, { name: "B", password: TEST_PASSWORD }, meta)).rejects.toThrow(/expired/);
    expect(await database.db.select().from(users).where(eq(users.email, "b@acme.test"))).toHaveLength(0);
  });
});
