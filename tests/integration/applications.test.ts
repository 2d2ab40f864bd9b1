import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applications, auditEvents, outboxMessages } from "#db/schema/index";
import { resetDatabase } from "../support/db";
import { adjustableClockFor, createUser, sessionCookieFor } from "../support/context";
import { get, postForm, startTestServer, type TestServer } from "../support/http";
import type { AdjustableClock } from "~/lib/clock";
import { formatDate } from "~/lib/dates";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
let clock: AdjustableClock;
beforeEach(async () => {
  clock = adjustableClockFor(server.app);
  await resetDatabase(server.app.db);
});

const VALID: Record<string, string> = {
  company: "Northwind Media",
  contactName: "Nora West",
  email: "nora@northwind-media.com",
  website: "https://www.northwind-media.com",
  partnerType: "publisher",
  audienceSize: "85000",
  audienceDescription: "Home owners in Europe who read our weekly reviews of smart home products and energy saving tips.",
  promotionPlan: "In-depth reviews, a comparison guide and a dedicated newsletter feature twice a year.",
  socialHandles: "@northwindmedia",
  privacyConsent: "yes",
};

function apply(
  fields: Record<string, string>,
  extra: [string, string][] = [
    ["channels", "website_blog"],
    ["channels", "email"],
    ["regions", "europe"],
  ],
) {
  const body = new URLSearchParams(fields);
  for (const [k, v] of extra) body.append(k, v);
  return fetch(`${server.url}/apply`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    body,
  });
}

const stored = () => server.app.db.select().from(applications);

describe("applying", () => {
  it("stores the application with its score and flags, emails a confirmation and records the event", async () => {
    const response = await apply(VALID);
    expect(response.status).toBe(302);
    // Post/redirect/get: the confirmation has an address of its own, so reloading it shows it again.
    const location = response.headers.get("location")!;
    const reference = /^\/apply\/submitted\?reference=(APP-[A-Z0-9]{8})$/.exec(location)?.[1];
    expect(reference).toBeTruthy();
    for (let reload = 0; reload < 2; reload++) {
      const page = await get(server, location);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("Application received");
      expect(html).toContain(reference!);
    }
    const [row] = await stored();
    expect(row).toMatchObject({
      reference,
      status: "submitted",
      email: "nora@northwind-media.com",
      websiteDomain: "northwind-media.com",
      channels: ["website_blog", "email"],
      regions: ["europe"],
      audienceSize: 85000,
    });
    expect(row!.fitScore).toBeGreaterThan(0);
    expect(row!.fitScore).toBe(row!.score.total);
    const [mail] = await server.app.db.select().from(outboxMessages);
    expect(mail!.payload.to).toBe("nora@northwind-media.com");
    expect(mail!.payload.text).toContain(reference!);
    const [event] = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "application.submitted"));
    expect(event).toMatchObject({ subjectId: row!.id, actorLabel: "nora@northwind-media.com" });
  });

  it("shows every error at its field, keeps what was typed, escapes it, and stores nothing", async () => {
    const response = await apply(
      {
        ...VALID,
        company: "",
        email: "nora-at-example",
        audienceSize: "lots",
        audienceDescription: "<script>alert(1)</script>",
        promotionPlan: "x".repeat(2001),
        privacyConsent: "",
        isAdmin: "true",
      },
      [["channels", "carrier_pigeon"]],
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    for (const message of [
      "Company is required.",
      "Enter a valid email address.",
      "Enter your audience size as a number.",
      "Choose channels from the list.",
      "Choose at least one region.",
      "How you would promote us must be at most 2000 characters.",
      "Please agree to the privacy notice to apply.",
    ]) {
      expect(html).toContain(message);
    }
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain('value="nora-at-example"');
    expect(await stored()).toHaveLength(0);
    expect(await server.app.db.select().from(outboxMessages)).toHaveLength(0);
  });

  it("lists every error in a summary at the top, each linked to its field, before the fields", async () => {
    const response = await apply({ ...VALID, company: "", audienceSize: "lots", privacyConsent: "" }, [["channels", "website_blog"]]);
    expect(response.status).toBe(400);
    const html = await response.text();
    const summary = /<div class="error-summary" role="alert" tabindex="-1"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? "";
    expect(summary).toContain("There is a problem");
    const links = [...summary.matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ["field-company", "Company is required."],
      ["field-regions-0", "Choose at least one region."],
      ["field-audienceSize", "Enter your audience size as a number."],
      ["field-privacyConsent", "Please agree to the privacy notice to apply."],
    ]);
    // Every link has its target on the page.
    for (const [id] of links) expect(html).toContain(`id="${id}"`);
    expect(html.indexOf("error-summary")).toBeLessThan(html.indexOf('id="field-company"'));
  });

  it("states the limits of long answers and lets the browser accept any website the server accepts", async () => {
    const html = await (await get(server, "/apply")).text();
    for (const name of ["audienceDescription", "promotionPlan"]) {
      expect(html).toMatch(new RegExp(`<textarea[^>]*maxLength="2000"[^>]*id="field-${name}"|<textarea[^>]*id="field-${name}"[^>]*maxLength="2000"`, "i"));
      expect(html).toContain(`id="field-${name}-limit"`);
    }
    expect(html).toContain("You can enter up to 2,000 characters.");
    expect(html).not.toMatch(/type="(url|email|number)"/);
    expect(html).toMatch(/inputMode="url"[^>]*name="website"|name="website"[^>]*inputMode="url"/);
    const response = await apply({ ...VALID, website: "glowco.example" });
    expect(response.status).toBe(302);
    expect((await stored())[0]).toMatchObject({ website: "glowco.example", websiteDomain: "glowco.example" });
  });

  it("counts a line break as one character, as the browser's maxlength does", async () => {
    const lines = `${"x".repeat(999)}\r\n${"y".repeat(1000)}`;
    expect((await apply({ ...VALID, promotionPlan: lines })).status).toBe(302);
    expect((await stored())[0]!.promotionPlan).toBe(`${"x".repeat(999)}\n${"y".repeat(1000)}`);
  });

  it("shows the same generic confirmation for any reference in our format, and sends anything else to the form", async () => {
    const guessed = await get(server, "/apply/submitted?reference=APP-ZZZZZZZZ");
    expect(guessed.status).toBe(200);
    const html = await guessed.text();
    expect(html).toContain("APP-ZZZZZZZZ");
    expect(html).toContain("We emailed a confirmation to the address you gave.");
    for (const bad of ["/apply/submitted", "/apply/submitted?reference=%3Cscript%3E", "/apply/submitted?reference=APP-0000000O"]) {
      const response = await get(server, bad);
      expect(response.status, bad).toBe(302);
      expect(response.headers.get("location")).toBe("/apply");
    }
  });

  it("reads thousands separators in the audience size and names the allowed range", async () => {
    expect((await apply({ ...VALID, audienceSize: "1,000" })).status).toBe(302);
    expect((await stored())[0]!.audienceSize).toBe(1000);
    const cases: [string, string][] = [
      ["3,000,000,000", "Enter a number from 0 to 2,000,000,000."],
      ["-5", "Enter a number from 0 to 2,000,000,000."],
      ["1,5", "Use a whole number."],
      ["12.5", "Use a whole number."],
      ["1,00", "Use a whole number."],
      ["about 5k", "Enter your audience size as a number."],
    ];
    for (const [audienceSize, message] of cases) {
      const response = await apply({ ...VALID, email: "other@northwind-media.com", audienceSize });
      expect(response.status, audienceSize).toBe(400);
      expect(await response.text(), audienceSize).toContain(message);
    }
  });

  it("accepts an internationalised email address, stored NFC-normalised with its domain in Unicode, one applicant however it is spelled", async () => {
    // "zoë" typed with a combining diaeresis (NFD), the domain in punycode.
    const response = await apply({ ...VALID, email: "Zoe\u0308@XN--EXMPLE-CUA.COM", website: "https://exämple.com" });
    expect(response.status).toBe(302);
    const [row] = await stored();
    expect(row).toMatchObject({ email: "zo\u00eb@ex\u00e4mple.com", emailDomain: "xn--exmple-cua.com", websiteDomain: "xn--exmple-cua.com" });
    // The website is the email's domain, spelled differently: no mismatch, and the confirmation goes to the address.
    expect(row!.flagCodes).not.toContain("email_domain_mismatch");
    const [mail] = await server.app.db.select().from(outboxMessages);
    expect(mail!.payload.to).toBe("zo\u00eb@ex\u00e4mple.com");
    // The same address in its Unicode spelling is the same applicant.
    const again = await apply({ ...VALID, email: "zo\u00eb@ex\u00e4mple.com" });
    expect(again.status).toBe(409);
    for (const email of ["zoë@", "zoë@exämple", "zo ë@exämple.com", "zoë@-bad-.com"]) {
      const refused = await apply({ ...VALID, email });
      expect(refused.status, email).toBe(400);
      expect(await refused.text(), email).toContain("Enter a valid email address");
    }
  });

  it("refuses a filled-in honeypot", async () => {
    const response = await apply({ ...VALID, fax: "http://spam.example" });
    expect(response.status).toBe(400);
    expect(await stored()).toHaveLength(0);
  });

  it("refuses a second open application from the same email with a clear message", async () => {
    expect((await apply(VALID)).status).toBe(302);
    const again = await apply({ ...VALID, company: "Northwind Again" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already being reviewed");
    expect(await stored()).toHaveLength(1);
  });

  it("refuses to reapply within the cooldown after a rejection, naming the date", async () => {
    expect((await apply(VALID)).status).toBe(302);
    const decidedAt = clock.now();
    await server.app.db.update(applications).set({ status: "rejected", decidedAt });
    clock.advance(5 * 86_400_000);
    // Same website domain, different email: still the same applicant.
    const response = await apply({ ...VALID, email: "sales@northwind-media.com" });
    expect(response.status).toBe(409);
    const until = formatDate(new Date(decidedAt.getTime() + 30 * 86_400_000));
    expect(await response.text()).toContain(`You can apply again from ${until}`);
    // After the cooldown, applying works again.
    clock.advance(26 * 86_400_000);
    expect((await apply({ ...VALID, email: "sales@northwind-media.com" })).status).toBe(302);
  });

  it("refuses a body over 1 MB with 413", async () => {
    const response = await apply({ ...VALID, promotionPlan: "x".repeat(1024 * 1024) });
    expect(response.status).toBe(413);
    expect(await stored()).toHaveLength(0);
  });
});

describe("application rules in settings", () => {
  it("are saved and audited, and drive the apply form", async () => {
    const admin = await createUser(server.app.db, { role: "admin" });
    const cookie = await sessionCookieFor(server.app, admin.id);
    const body = new URLSearchParams({
      intent: "rules",
      minAudienceSize: "5000",
      reapplyCooldownDays: "45",
      blockedEmailDomains: "competitor.com\n@Rival.io",
      partnerTiers: "Gold\nstandard\ntrial",
    });
    for (const t of ["affiliate", "creator"]) body.append("partnerTypesOffered", t);
    for (const c of ["website_blog", "video"]) body.append("channelsOffered", c);
    body.append("targetRegions", "europe");
    for (const r of ["europe", "uk_ireland"]) body.append("regionsServed", r);
    const saved = await fetch(`${server.url}/admin/settings`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie },
      body,
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Application rules saved.");
    const [event] = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "settings.rules_updated"));
    expect(event!.data).toMatchObject({
      changed: {
        minAudienceSize: { from: 1000, to: 5000 },
        blockedEmailDomains: { from: [], to: ["competitor.com", "rival.io"] },
        partnerTiers: { from: ["strategic", "standard", "trial"], to: ["gold", "standard", "trial"] },
      },
    });

    const form = await (await get(server, "/apply")).text();
    expect(form).toContain('value="creator"');
    expect(form).not.toContain('value="publisher"');
    expect(form).not.toContain('value="email"');

    const bad = await postForm(
      server,
      "/admin/settings",
      { intent: "rules", minAudienceSize: "-1", reapplyCooldownDays: "x", blockedEmailDomains: "not a domain!", partnerTiers: "ok\n<b>bad</b>" },
      { Cookie: cookie },
    );
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("Offer at least one partner type.");
    expect(html).toContain("Use 0 or more.");
    expect(html).toContain("Not a domain");
    expect(html).toContain("Use letters, digits and underscores");
    expect(html).not.toContain("<b>bad</b>");
  });
});
