import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, outboxMessages, programSettings } from "#db/schema/index";
import { requestPasswordReset } from "~/domain/accounts/passwords.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { resetDatabase } from "../support/db";
import { createUser, sessionCookieFor } from "../support/context";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";

const FIXTURES = path.resolve("tests/fixtures");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

describe("program summary and branding (issue 11, items 5 and 6)", () => {
  let server: TestServer;
  let admin: { id: string; email: string };
  let cookie: string;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await resetDatabase(server.app.db);
    server.app.siteOriginCache.forget();
    // Storage outlives the tables: start each test without brand objects.
    for (const key of await storedBrandKeys()) await server.app.storage.delete(key);
    const user = await createUser(server.app.db, { role: "admin", name: "Ada Admin", email: "ada@acme.test" });
    admin = { id: user.id, email: user.email };
    cookie = await sessionCookieFor(server.app, user.id);
  });

  async function uploadLogo(name: string, bytes: Buffer, as = cookie) {
    const form = new FormData();
    form.append("intent", "upload_logo");
    form.append("file", new Blob([new Uint8Array(bytes)]), name);
    return fetch(`${server.url}/admin/settings/logo`, {
      method: "POST",
      redirect: "manual",
      body: form,
      headers: { Cookie: as, Origin: server.url, "Sec-Fetch-Site": "same-origin" },
    });
  }

  async function storedBrandKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of server.app.storage.list("brand/")) keys.push(object.key);
    return keys.sort();
  }

  const logoRow = async () => (await server.app.db.select({ logo: programSettings.logo }).from(programSettings))[0]?.logo ?? null;
  const bodyOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

  it("uploads a PNG logo: served with an ETag, favicons rendered at 32 and 180 px, shown in the header and on the sign-in page, and audited", async () => {
    const uploaded = await uploadLogo("logo.png", fixture("logo.png"));
    expect(uploaded.status).toBe(302);
    expect(uploaded.headers.get("location")).toBe("/admin/settings");
    expect(toastIn(await (await follow(server, uploaded, cookie)).text())).toBe("Logo saved. The header, sign-in page, emails and favicon now use it.");
    const logo = (await logoRow())!;
    expect(logo).toMatchObject({ contentType: "image/png" });
    expect(logo.prefix).toMatch(/^brand\/[0-9a-f-]{36}$/);
    const version = logo.sha256.slice(0, 16);

    const served = await get(server, `/brand/logo?v=${version}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toContain("immutable");
    const etag = served.headers.get("etag")!;
    expect(etag).toBe(`"${logo.sha256}"`);
    expect((await get(server, "/brand/logo", { "If-None-Match": etag })).status).toBe(304);

    for (const size of [32, 180]) {
      const favicon = await get(server, `/brand/favicon-${size}.png?v=${version}`);
      expect(favicon.status).toBe(200);
      expect(favicon.headers.get("content-type")).toBe("image/png");
      expect(favicon.headers.get("etag")).toBeTruthy();
      const meta = await sharp(await bodyOf(favicon)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["png", size, size]);
    }

    const settings = await (await get(server, "/admin/settings", { Cookie: cookie })).text();
    expect(settings).toContain(`class="brand-logo" src="/brand/logo?v=${version}"`);
    expect(settings).toContain(`href="/brand/favicon-32.png?v=${version}"`);
    expect(settings).toContain(`rel="apple-touch-icon" href="/brand/favicon-180.png?v=${version}"`);
    const login = await (await get(server, "/login")).text();
    expect(login).toContain(`class="brand-logo" src="/brand/logo?v=${version}"`);

    const [event] = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "settings.logo_uploaded"));
    expect(event!.data).toMatchObject({ changed: { logo: { from: null, to: { type: "image/png", sha256: logo.sha256 } } } });
  });

  it("sanitizes a hostile SVG logo, replaces the previous logo's objects only after the new one is saved, and removes the logo", async () => {
    await uploadLogo("logo.png", fixture("logo.png"));
    const first = (await logoRow())!;
    const uploaded = await uploadLogo("evil.svg", fixture("hostile/script.svg"));
    expect(uploaded.status).toBe(302);
    const second = (await logoRow())!;
    expect(second.contentType).toBe("image/svg+xml");
    const keys = await storedBrandKeys();
    expect(keys.every((key) => key.startsWith(`${second.prefix}/`))).toBe(true);
    expect(keys).toHaveLength(4);

    const served = await get(server, "/brand/logo");
    expect(served.headers.get("content-type")).toBe("image/svg+xml");
    expect(served.headers.get("content-security-policy")).toContain("sandbox");
    const svg = await served.text();
    expect(svg).toContain("<svg");
    expect(svg).not.toMatch(/<script|onload=|alert/i);
    const favicon = await sharp(await bodyOf(await get(server, "/brand/favicon-32.png"))).metadata();
    expect([favicon.width, favicon.height]).toEqual([32, 32]);
    expect(first.prefix).not.toBe(second.prefix);

    const removed = await postForm(server, "/admin/settings/logo", { intent: "remove_logo" }, { Cookie: cookie });
    expect(removed.status).toBe(302);
    expect(await logoRow()).toBeNull();
    expect(await storedBrandKeys()).toEqual([]);
    expect((await get(server, "/brand/logo")).status).toBe(404);
    const page = await (await get(server, "/")).text();
    expect(page).not.toContain("brand-logo");
    expect(page).toContain('href="/favicon.svg"');
    const actions = (await server.app.db.select().from(auditEvents)).map((e) => e.action);
    expect(actions.filter((a) => a === "settings.logo_uploaded")).toHaveLength(2);
    expect(actions).toContain("settings.logo_removed");
  });

  it("refuses a PDF with 415 and stores nothing; a non-admin cannot upload", async () => {
    const refused = await uploadLogo("logo.pdf", PDF);
    expect(refused.status).toBe(415);
    expect(await refused.text()).toContain("must be SVG or PNG");
    expect(await storedBrandKeys()).toEqual([]);
    expect(await logoRow()).toBeNull();
    expect(await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "settings.logo_uploaded"))).toHaveLength(0);

    const analyst = await createUser(server.app.db, { role: "analyst", email: "ann@acme.test" });
    const forbidden = await uploadLogo("logo.png", fixture("logo.png"), await sessionCookieFor(server.app, analyst.id));
    expect(forbidden.status).toBe(403);
    expect(await storedBrandKeys()).toEqual([]);
    expect((await get(server, "/admin/settings/logo", { Cookie: await sessionCookieFor(server.app, analyst.id) })).status).toBe(403);
  });

  it("normalises a shorthand brand colour; a bad one is refused with 400, a clear message and the typed value kept", async () => {
    const identity = { intent: "branding", name: "Acme Partners", tagline: "Grow with Acme", description: "Our program." };
    const saved = await postForm(
      server,
      "/admin/settings",
      { ...identity, brandColor: "#FFF", brandColorPicker: "#4f46e5", brandColorSaved: "#4f46e5" },
      { Cookie: cookie },
    );
    expect(saved.status).toBe(200);
    expect((await server.app.db.select().from(programSettings))[0]!.brandColor).toBe("#ffffff");

    // Without JavaScript: the hex field untouched, the picker moved.
    await postForm(
      server,
      "/admin/settings",
      { ...identity, brandColor: "#ffffff", brandColorPicker: "#0f766e", brandColorSaved: "#ffffff" },
      { Cookie: cookie },
    );
    expect((await server.app.db.select().from(programSettings))[0]!.brandColor).toBe("#0f766e");

    const bad = await postForm(
      server,
      "/admin/settings",
      { ...identity, brandColor: "#12345g", brandColorPicker: "#0f766e", brandColorSaved: "#0f766e" },
      { Cookie: cookie },
    );
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain("is not a hex colour");
    expect(page).toContain('value="#12345g"');
    expect((await server.app.db.select().from(programSettings))[0]!.brandColor).toBe("#0f766e");
  });

  it("saves the program summary, audited with what changed, and the public page renders it sanitized; empty parts are not shown", async () => {
    const fresh = await (await get(server, "/")).text();
    expect(fresh).not.toContain("What partners earn");
    expect(fresh).not.toContain("Requirements");

    const saved = await postForm(
      server,
      "/admin/settings",
      {
        intent: "summary",
        "earnings.0.tier": "strategic",
        "earnings.0.model": "hybrid",
        "earnings.0.range": "$500 a quarter plus 12–15%",
        "earnings.1.tier": "standard",
        "earnings.1.model": "",
        "earnings.1.range": "",
        summaryEarnings: "Paid **monthly**.",
        summaryRequirements: "- 5,000 followers\n- <script>alert(1)</script> [x](javascript:alert(1))",
        summaryFaq: "",
      },
      { Cookie: cookie },
    );
    expect(saved.status).toBe(200);
    const [event] = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "settings.summary_updated"));
    expect(event!.data).toMatchObject({
      changed: { summaryEarnings: { from: "", to: "Paid **monthly**." }, earningsRows: { to: [{ tier: "strategic", model: "hybrid" }] } },
    });
    expect(Object.keys((event!.data as { changed: object }).changed)).not.toContain("summaryFaq");

    const page = await (await get(server, "/")).text();
    expect(page).toContain("What partners earn");
    expect(page).toContain("Fee plus revenue share");
    expect(page).toContain("$500 a quarter plus 12–15%");
    expect(page).toContain("Paid <strong>monthly</strong>.");
    expect(page).toContain("Requirements");
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain('href="javascript:');
    expect(page).not.toContain("Questions partners ask");
    expect(page).toContain('href="/apply"');
  });

  it("refuses a bad summary with 400 and keeps what was typed", async () => {
    const bad = await postForm(
      server,
      "/admin/settings",
      {
        intent: "summary",
        "earnings.0.tier": "strategic",
        "earnings.0.model": "",
        "earnings.0.range": "10% typed",
        "earnings.1.tier": "standard",
        "earnings.1.model": "bribes",
        "earnings.1.range": "x",
        summaryEarnings: "Kept text",
        summaryRequirements: "",
        summaryFaq: "x".repeat(8_001),
      },
      { Cookie: cookie },
    );
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain("Choose how the strategic tier is paid");
    expect(page).toContain("Choose a model from the list.");
    expect(page).toContain("The FAQ can be up to 8,000 characters.");
    expect(page).toContain('value="10% typed"');
    expect(page).toContain("Kept text");
    expect(await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "settings.summary_updated"))).toHaveLength(0);

    const unknownTier = await postForm(
      server,
      "/admin/settings",
      { intent: "summary", "earnings.0.tier": "platinum", "earnings.0.model": "flat_fee", "earnings.0.range": "$50" },
      { Cookie: cookie },
    );
    expect(unknownTier.status).toBe(409);
  });

  it("an email's HTML shows the logo by an absolute URL on the canonical origin, and the program name without a logo", async () => {
    await server.app.db.insert(programSettings).values({ name: "Acme Partners", tagline: "t", description: "d", brandColor: "#4f46e5" });
    const origin = await canonicalOrigin(server.app);
    const meta = { ip: "127.0.0.1", userAgent: "test" };
    await requestPasswordReset(server.app, admin.email, meta, origin);
    let [message] = await server.app.db.select().from(outboxMessages);
    expect(message!.payload.html).toContain('font-weight:600;font-size:16px">Acme Partners</p>');
    expect(message!.payload.html).not.toContain("<img");

    await uploadLogo("logo.png", fixture("logo.png"));
    const version = (await logoRow())!.sha256.slice(0, 16);
    await server.app.db.delete(outboxMessages);
    await requestPasswordReset(server.app, admin.email, meta, origin);
    [message] = await server.app.db.select().from(outboxMessages);
    const logoUrl = `${origin}/brand/logo.png?v=${version}`;
    expect(logoUrl).toMatch(/^https?:\/\//);
    expect(message!.payload.html).toContain(`<img src="${logoUrl}" alt="Acme Partners"`);
    const png = await get(server, `/brand/logo.png?v=${version}`);
    expect(png.headers.get("content-type")).toBe("image/png");
  });

  it("an email's button takes the brand colour, its text legible on it", async () => {
    await server.app.db.insert(programSettings).values({ name: "Acme Partners", tagline: "t", description: "d", brandColor: "#ffd60a" });
    await requestPasswordReset(server.app, admin.email, { ip: "127.0.0.1", userAgent: "test" }, await canonicalOrigin(server.app));
    const [message] = await server.app.db.select().from(outboxMessages);
    // A light yellow takes dark text, as the portal's own buttons do.
    expect(message!.payload.html).toContain("background:#ffd60a;color:#101828");
  });
});
