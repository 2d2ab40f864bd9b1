import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, sessions } from "#db/schema/index";
import { prepareSetupToken } from "~/domain/accounts/setup.server";
import { resetDatabase } from "../support/db";
import { createPartnerOrg, createUser, sessionCookieFor, TEST_PASSWORD } from "../support/context";
import { cookieFrom, follow, get, postForm, singleFetchRedirect, startTestServer, toastIn, type TestServer } from "../support/http";
import { HTTP_REDIRECT_VECTORS, staysOnSite } from "../fixtures/open-redirect-vectors";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => resetDatabase(server.app.db));

describe("security headers", () => {
  it("are on every response, with a fresh CSP nonce that the page's scripts carry", async () => {
    const first = await get(server, "/");
    const second = await get(server, "/");
    const html = await first.text();
    const nonce = /'nonce-([^']+)'/.exec(first.headers.get("content-security-policy")!)![1]!;
    expect(nonce).not.toBe(/'nonce-([^']+)'/.exec(second.headers.get("content-security-policy")!)![1]);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    for (const response of [
      first,
      await get(server, "/no-such-page"),
      await get(server, "/favicon.svg"),
      await fetch(`${server.url}/login`, { method: "POST" }),
    ]) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get("strict-transport-security")).toBeNull(); // plain http
    }
  });
});

describe("request bodies", () => {
  it("refuses a form body over 1 MB with 413 before any route reads it", async () => {
    const big = "x".repeat(1024 * 1024 + 1);
    const response = await postForm(server, "/login", { email: "a@b.test", password: big });
    expect(response.status).toBe(413);
    expect(await server.app.db.select().from(auditEvents)).toHaveLength(0);
  });

  it("marks pages as not cacheable", async () => {
    expect((await get(server, "/login")).headers.get("cache-control")).toBe("private, no-store");
  });
});

describe("cross-site request refusal", () => {
  it("refuses state-changing requests from elsewhere or with no origin, before they run", async () => {
    await createUser(server.app.db, { email: "ada@acme.test" });
    const body = new URLSearchParams({ email: "ada@acme.test", password: TEST_PASSWORD });
    const attempts: Record<string, string>[] = [
      {},
      { Origin: "https://evil.example" },
      { "Sec-Fetch-Site": "cross-site", Origin: server.url },
      { "Sec-Fetch-Site": "same-site" },
      { Origin: "null" },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${server.url}/login`, {
        method: "POST",
        redirect: "manual",
        body,
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      });
      expect(response.status, JSON.stringify(headers)).toBe(403);
    }
    expect(await server.app.db.select().from(auditEvents)).toHaveLength(0);
    expect(await server.app.db.select().from(sessions)).toHaveLength(0);
    const sameOrigin = await postForm(server, "/login", { email: "ada@acme.test", password: TEST_PASSWORD });
    expect(sameOrigin.status).toBe(302);
  });
});

describe("sign-in over HTTP", () => {
  it("signs in, lands in the internal area, and signs out with POST only", async () => {
    await createUser(server.app.db, { email: "ada@acme.test", role: "admin" });
    const bad = await postForm(server, "/login", { email: "ada@acme.test", password: "nope nope nope" });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain("The email or password is incorrect.");
    expect(badHtml).toContain('value="ada@acme.test"'); // what was typed is kept
    expect(badHtml).not.toContain("nope nope nope"); // passwords are never echoed

    const login = await postForm(server, "/login", { email: "ada@acme.test", password: TEST_PASSWORD, redirectTo: "//evil.example/x" });
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe("/admin");
    const cookie = cookieFrom(login);
    expect((await get(server, "/admin", { Cookie: cookie })).status).toBe(200);

    // A GET to /logout changes nothing.
    expect((await get(server, "/logout", { Cookie: cookie })).status).toBe(302);
    expect((await get(server, "/admin", { Cookie: cookie })).status).toBe(200);
    const logout = await postForm(server, "/logout", {}, { Cookie: cookie });
    expect(logout.status).toBe(302);
    expect(logout.headers.getSetCookie().join()).toMatch(/cobrand_session=;/);
    expect((await get(server, "/admin", { Cookie: cookie })).status).toBe(302);
  });

  it("sends the browser on after sign-in only to a path of this site, by form post and by single fetch", async () => {
    await createUser(server.app.db, { email: "ada@acme.test", role: "admin" });
    const signIn = (pathname: string, redirectTo: string) => postForm(server, pathname, { email: "ada@acme.test", password: TEST_PASSWORD, redirectTo });
    for (const vector of HTTP_REDIRECT_VECTORS) {
      const document = await signIn("/login", vector);
      expect(document.status, JSON.stringify(vector)).toBe(302);
      expect(staysOnSite(document.headers.get("location"), server.url), `${JSON.stringify(vector)} → ${document.headers.get("location")}`).toBe(true);

      // Single fetch answers 202 and names the target in the body as well as in Location.
      const singleFetch = await signIn("/login.data", vector);
      const target = singleFetchRedirect(await singleFetch.text());
      expect(staysOnSite(target, server.url), `${JSON.stringify(vector)} → ${target}`).toBe(true);
      expect(staysOnSite(singleFetch.headers.get("location"), server.url)).toBe(true);
    }
    expect((await signIn("/login", "/admin/users?x=1#y")).headers.get("location")).toBe("/admin/users?x=1#y");
    expect(singleFetchRedirect(await (await signIn("/login.data", "/admin/users?x=1#y")).text())).toBe("/admin/users?x=1#y");
  });

  it("answers 429 with Retry-After once an account is being guessed", async () => {
    await createUser(server.app.db, { email: "ada@acme.test" });
    let last: Response | null = null;
    for (let i = 0; i < 11; i++) last = await postForm(server, "/login", { email: "ada@acme.test", password: `guess-${i}-xyz` });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await last!.text()).toContain("Too many sign-in attempts");
  });

  it("sends anonymous visitors to sign in and shows partners no internal page", async () => {
    const anonymous = await get(server, "/admin/users?page=2");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/login?redirectTo=%2Fadmin%2Fusers%3Fpage%3D2");

    const org = await createPartnerOrg(server.app.db);
    const partner = await createUser(server.app.db, { role: "partner", partnerOrgId: org.id });
    const cookie = await sessionCookieFor(server.app, partner.id);
    for (const path of ["/admin", "/admin/users", "/admin/outbox", "/admin/outbox/1", "/admin/audit", "/admin/settings"]) {
      expect((await get(server, path, { Cookie: cookie })).status, path).toBe(404);
    }
    expect((await postForm(server, "/admin/users", { intent: "invite", email: "x@y.test", role: "admin" }, { Cookie: cookie })).status).toBe(404);
    expect((await get(server, "/partner", { Cookie: cookie })).status).toBe(200);

    const analyst = await createUser(server.app.db, { role: "analyst" });
    const analystCookie = await sessionCookieFor(server.app, analyst.id);
    expect((await get(server, "/admin", { Cookie: analystCookie })).status).toBe(200);
    expect((await get(server, "/admin/users", { Cookie: analystCookie })).status).toBe(403);
    expect((await postForm(server, "/admin/users", { intent: "invite", email: "x@y.test", role: "admin" }, { Cookie: analystCookie })).status).toBe(403);
    expect((await get(server, "/partner", { Cookie: analystCookie })).status).toBe(404);
  });

  it("keeps the typed values and shows field errors on bad input", async () => {
    const admin = await createUser(server.app.db, { role: "admin" });
    const cookie = await sessionCookieFor(server.app, admin.id);
    const response = await postForm(server, "/admin/users", { intent: "invite", email: "not-an-email<script>", role: "superuser" }, { Cookie: cookie });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Enter a valid email address.");
    expect(html).toContain("Choose a role.");
    expect(html).toContain("not-an-email&lt;script&gt;");
    expect(html).not.toContain("not-an-email<script>");
  });
});

describe("first-run setup page", () => {
  it("exists only with the token and only until the first admin exists", async () => {
    const token = (await prepareSetupToken(server.app, null))!;
    expect((await get(server, "/setup")).status).toBe(404);
    expect((await get(server, "/setup?token=wrong")).status).toBe(404);
    expect((await get(server, `/setup?token=${token}`)).status).toBe(200);
    const weak = await postForm(server, "/setup", { token, programName: "Acme", name: "Ada", email: "ada@acme.test", password: "short" });
    expect(weak.status).toBe(400);
    const done = await postForm(server, "/setup", { token, programName: "Acme Partners", name: "Ada", email: "ada@acme.test", password: TEST_PASSWORD });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/admin");
    const welcome = await follow(server, done);
    expect(welcome.status).toBe(200);
    expect(toastIn(await welcome.text())).toBe("Your program is ready Next, invite your team and set the program's colour and description.");
    expect((await get(server, `/setup?token=${token}`)).status).toBe(404);
    expect((await postForm(server, "/setup", { token, programName: "X", name: "Eve", email: "eve@x.test", password: TEST_PASSWORD })).status).toBe(404);
  });
});

describe("account", () => {
  it("changes the password, ends the other sessions and keeps this browser signed in", async () => {
    const user = await createUser(server.app.db, { email: "kim@acme.test", role: "analyst" });
    const here = await sessionCookieFor(server.app, user.id);
    const elsewhere = await sessionCookieFor(server.app, user.id);
    const wrong = await postForm(
      server,
      "/account",
      { currentPassword: "not it at all", newPassword: "a new passphrase 2026", confirmPassword: "a new passphrase 2026" },
      { Cookie: here },
    );
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("Your current password is not correct.");
    const changed = await postForm(
      server,
      "/account",
      { currentPassword: TEST_PASSWORD, newPassword: "a new passphrase 2026", confirmPassword: "a new passphrase 2026" },
      { Cookie: here },
    );
    expect(changed.status).toBe(302);
    expect(changed.headers.get("location")).toBe("/account");
    const page = await follow(server, changed, here);
    expect(page.status).toBe(200);
    expect(toastIn(await page.text())).toBe("Your password has been changed. Your other sessions have been signed out.");
    expect((await get(server, "/account", { Cookie: here })).status).toBe(302);
    expect((await get(server, "/account", { Cookie: elsewhere })).status).toBe(302);
  });
});

describe("errors", () => {
  it("shows a 404 page for unknown paths", async () => {
    const response = await get(server, "/definitely/not/here");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Page not found");
  });

  it("shows a request id and no stack trace when something fails (production build)", async () => {
    const broken = await startTestServer();
    await broken.runtime.database.close(); // every query now fails
    const response = await get(broken, "/");
    const html = await response.text();
    expect(response.status).toBe(500);
    const requestId = response.headers.get("x-request-id")!;
    expect(html).toContain("Something went wrong");
    expect(html).not.toMatch(/at .*\.js:\d+/);
    expect(html).not.toContain("Failed query");
    await broken.close().catch(() => {});
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
