import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { sessions } from "#db/schema/index";
import { changeUserRole, disableUser } from "~/domain/accounts/users.server";
import { changePassword } from "~/domain/accounts/passwords.server";
import { createAuth } from "~/lib/auth.server";
import { runHousekeeping } from "~/runtime.server";
import type { AppContext } from "~/lib/context.server";
import type { Database } from "~/lib/db.server";
import { hashToken } from "~/lib/tokens.server";
import { createTestDatabase, resetDatabase } from "../support/db";
import { createTestContext, createUser, sessionCookieFor, testConfig, TEST_PASSWORD } from "../support/context";

let database: Database;
let app: AppContext;
const meta = { ip: "127.0.0.1", userAgent: "vitest" };

beforeAll(async () => {
  database = await createTestDatabase();
  app = createTestContext(database.db, testConfig({ SESSION_IDLE_HOURS: "2", SESSION_ABSOLUTE_DAYS: "1" }));
});
afterAll(() => database.close());
beforeEach(async () => {
  vi.useRealTimers();
  await resetDatabase(database.db);
});

// Session expiry is lucia's (app/lib/auth.server.ts): lucia judges idle expiry,
// and deletes expired rows, by the wall clock (its own `new Date()`/`Date.now()`),
// which the context's clock cannot move. So these tests still fake the global
// Date, and housekeeping's test backdates a session row, rather than move
// `app.clock`. Replacing lucia (deprecated upstream) is when sessions can take the clock.
describe("sessions", () => {
  it("stores only the SHA-256 of the cookie's token", async () => {
    const user = await createUser(database.db);
    const { token, setCookie } = await app.auth.createSession(user.id, meta);
    const rows = await database.db.select().from(sessions);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(setCookie).toContain(`cobrand_session=${token}`);
    expect(await app.auth.validate(setCookie.split(";")[0]!)).toMatchObject({ user: { id: user.id } });
    // Presenting the stored hash as a cookie does not work.
    expect(await app.auth.validate(`cobrand_session=${rows[0]!.id}`)).toBeNull();
  });

  it("sets HttpOnly and SameSite=Lax always, and Secure with a __Host- name on https", async () => {
    const user = await createUser(database.db);
    const { setCookie } = await app.auth.createSession(user.id, meta);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i);
    const secureAuth = createAuth(database.db, testConfig({ PUBLIC_URL: "https://partners.example.com" }));
    const secure = await secureAuth.createSession(user.id, meta);
    expect(secure.setCookie).toMatch(/^__Host-cobrand_session=/);
    expect(secure.setCookie).toMatch(/; Secure/i);
    expect(secure.setCookie).toMatch(/Path=\//);
    expect(secure.setCookie).not.toMatch(/Domain=/i);
  });

  it("expires after the idle timeout and is extended by activity", async () => {
    const user = await createUser(database.db);
    const cookie = await sessionCookieFor(app, user.id);
    const start = Date.now();
    vi.useFakeTimers({ now: start, toFake: ["Date"] });
    vi.setSystemTime(start + 90 * 60 * 1000); // 1.5 h idle of 2 h: still valid, and refreshed
    const refreshed = await app.auth.validate(cookie);
    expect(refreshed?.setCookie).toBeTruthy();
    vi.setSystemTime(start + 3 * 60 * 60 * 1000); // 1.5 h after that activity: still valid
    expect(await app.auth.validate(cookie)).not.toBeNull();
    vi.setSystemTime(start + 6 * 60 * 60 * 1000); // 3 h idle: gone
    expect(await app.auth.validate(cookie)).toBeNull();
  });

  it("ends at the absolute limit even when used all the time", async () => {
    const user = await createUser(database.db);
    const cookie = await sessionCookieFor(app, user.id);
    const start = Date.now();
    vi.useFakeTimers({ now: start, toFake: ["Date"] });
    for (let hour = 1; hour <= 23; hour++) {
      vi.setSystemTime(start + hour * 3_600_000);
      expect(await app.auth.validate(cookie), `hour ${hour}`).not.toBeNull();
    }
    vi.setSystemTime(start + 24 * 3_600_000 + 60_000);
    expect(await app.auth.validate(cookie)).toBeNull();
    expect(await database.db.select().from(sessions)).toHaveLength(0);
  });

  it("ends every session of a user on password change, keeping only the new one", async () => {
    const user = await createUser(database.db);
    const a = await sessionCookieFor(app, user.id);
    const b = await sessionCookieFor(app, user.id);
    const { setCookie } = await changePassword(app, user.id, { currentPassword: TEST_PASSWORD, newPassword: "a brand new passphrase" }, meta);
    expect(await app.auth.validate(a)).toBeNull();
    expect(await app.auth.validate(b)).toBeNull();
    expect(await app.auth.validate(setCookie.split(";")[0]!)).not.toBeNull();
  });

  it("ends every session of a user on role change and on disabling", async () => {
    const admin = await createUser(database.db, { role: "admin" });
    const actor = { id: admin.id, label: admin.email };
    const reviewer = await createUser(database.db, { role: "brand_reviewer" });
    const first = await sessionCookieFor(app, reviewer.id);
    await changeUserRole(app, actor, reviewer.id, "legal_reviewer");
    expect(await app.auth.validate(first)).toBeNull();
    const second = await sessionCookieFor(app, reviewer.id);
    expect((await app.auth.validate(second))?.user.role).toBe("legal_reviewer");
    await disableUser(app, actor, reviewer.id);
    expect(await app.auth.validate(second)).toBeNull();
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, reviewer.id))).toHaveLength(0);
  });

  it("housekeeping removes expired sessions and keeps live ones", async () => {
    const user = await createUser(database.db);
    const live = await sessionCookieFor(app, user.id);
    await sessionCookieFor(app, user.id);
    const [, stale] = await database.db.select().from(sessions);
    await database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, stale!.id));
    await runHousekeeping(app);
    expect(await database.db.select().from(sessions)).toHaveLength(1);
    expect(await app.auth.validate(live)).not.toBeNull();
  });

  it("refuses to remove the last active admin or to act on oneself", async () => {
    const admin = await createUser(database.db, { role: "admin" });
    const other = await createUser(database.db, { role: "admin" });
    await expect(disableUser(app, { id: admin.id, label: admin.email }, admin.id)).rejects.toThrow(/your own/);
    await disableUser(app, { id: admin.id, label: admin.email }, other.id);
    const third = await createUser(database.db, { role: "analyst" });
    await expect(changeUserRole(app, { id: third.id, label: "x" }, admin.id, "analyst")).rejects.toThrow(/at least one active admin/);
  });
});
