import { asc, eq } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, outboxMessages } from "#db/schema/index";
import { getEmailSettings } from "~/domain/settings/email.server";
import type { AppContext } from "~/lib/context.server";
import { SETTINGS_SECTIONS } from "~/components/settings-shell";
import { createPartner, publishPolicy, signedIn } from "../support/context";
import { resetDatabase } from "../support/db";
import { formEntries, postEntries } from "../support/forms";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";

// The settings area (issue 17 point 5): one list of sections on every
// settings page, Settings → Email (the sender, a test email) and Settings →
// Policies gate, each change audited with its from and to values.

let server: TestServer;
let app: AppContext;
beforeAll(async () => {
  server = await startTestServer();
  app = server.app;
});
afterAll(() => server.close());
beforeEach(() => resetDatabase(app.db));

const EMAIL = "/admin/settings/email";
const GATE = "/admin/settings/policies";
const documentOf = (html: string) => new JSDOM(html).window.document;
const read = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "").replaceAll("\u00a0", " ");
const textOf = (element: Element | null) => (element?.textContent ?? "").replace(/\s+/g, " ").trim();

async function page(who: { cookie: string }, path: string) {
  const response = await get(server, path, { Cookie: who.cookie });
  expect(response.status, path).toBe(200);
  return documentOf(await read(response));
}

const admin = () => signedIn(app, { role: "admin", email: "ada@brand.test", name: "Ada" });
const auditOf = (action: "settings.email_updated" | "settings.test_email_sent") =>
  app.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(asc(auditEvents.id));

describe("the settings sections", () => {
  it("lists every section on every settings page, marking the one shown and those sharing its page", async () => {
    const ada = await admin();
    const pages = [...new Set(SETTINGS_SECTIONS.map((section) => section.to.split("#")[0]!))].filter((path) => path.startsWith("/admin/settings"));
    for (const path of pages) {
      const nav = (await page(ada, path)).querySelector("nav[aria-label='Settings sections']");
      expect(nav, path).not.toBeNull();
      const links = [...nav!.querySelectorAll("a")];
      expect(links.map((a) => a.getAttribute("href"))).toEqual(SETTINGS_SECTIONS.map((section) => section.to));
      expect(
        links.filter((a) => a.getAttribute("aria-current") === "page"),
        path,
      ).toHaveLength(1);
      // Each anchor names an element of its page.
      for (const section of SETTINGS_SECTIONS.filter((s) => s.to.startsWith(`${path}#`))) {
        expect((await page(ada, path)).getElementById(section.to.split("#")[1]!), section.to).not.toBeNull();
      }
    }
  });

  it("shows a policy author only the sections they may open", async () => {
    const legal = await signedIn(app, { role: "legal_reviewer", email: "lee@brand.test" });
    const nav = (await page(legal, GATE)).querySelector("nav[aria-label='Settings sections']")!;
    expect([...nav.querySelectorAll("a")].map((a) => textOf(a))).toEqual(["Policies gate"]);
  });
});

describe("Settings → Email", () => {
  it("says how mail leaves, saves the sender with its from and to values, and keeps what was typed when refused", async () => {
    const ada = await admin();
    const before = await page(ada, EMAIL);
    expect(textOf(before.querySelector("main"))).toContain("Keeping emails");
    expect(textOf(before.querySelector("main"))).toContain("None: without SMTP_URL, emails are kept in the outbox");

    const refused = await postEntries(
      server,
      EMAIL,
      formEntries(await (await get(server, EMAIL, { Cookie: ada.cookie })).text(), "Email sender", { name: 'Acme "Partners"', replyTo: "not an address" }),
      { Cookie: ada.cookie },
    );
    expect(refused.status).toBe(400);
    const doc = documentOf(await read(refused));
    expect(textOf(doc.getElementById("field-name-error"))).toBe("A sender name cannot contain < > or quotation marks.");
    expect(textOf(doc.getElementById("field-replyTo-error"))).toBe("Enter a valid email address, such as partners@example.com, or leave it empty.");
    expect((doc.getElementById("field-replyTo") as HTMLInputElement).value).toBe("not an address");
    expect(await getEmailSettings(app.db)).toEqual({ name: null, replyTo: null });
    expect(await auditOf("settings.email_updated")).toEqual([]);

    const saved = await postEntries(
      server,
      EMAIL,
      formEntries(await (await get(server, EMAIL, { Cookie: ada.cookie })).text(), "Email sender", { name: "Acme Partners", replyTo: "Partners@Acme.test" }),
      { Cookie: ada.cookie },
    );
    expect(saved.status).toBe(302);
    expect(toastIn(await read(await follow(server, saved, ada.cookie)))).toContain("Email sender saved");
    expect(await getEmailSettings(app.db)).toEqual({ name: "Acme Partners", replyTo: "partners@acme.test" });
    const [event] = await auditOf("settings.email_updated");
    expect(event).toMatchObject({
      actorId: ada.id,
      data: { changed: { name: { from: null, to: "Acme Partners" }, replyTo: { from: null, to: "partners@acme.test" } } },
    });
    expect(textOf((await page(ada, EMAIL)).querySelector("main"))).toContain("Acme Partners <");

    // The same values again change nothing and record nothing.
    const again = await postForm(server, EMAIL, { intent: "sender", name: "Acme Partners", replyTo: "partners@acme.test" }, { Cookie: ada.cookie });
    expect(toastIn(await read(await follow(server, again, ada.cookie)))).toContain("Nothing changed.");
    expect(await auditOf("settings.email_updated")).toHaveLength(1);
  });

  it("queues a test email to the admin who asks, on record", async () => {
    const ada = await admin();
    const response = await postForm(server, EMAIL, { intent: "test" }, { Cookie: ada.cookie });
    expect(response.status).toBe(302);
    const rows = await app.db.select().from(outboxMessages);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toMatchObject({ to: "ada@brand.test", subject: expect.stringContaining("Test email from") });
    expect(await auditOf("settings.test_email_sent")).toMatchObject([{ actorId: ada.id, data: { to: "ada@brand.test" } }]);
  });

  it("refuses an intent it does not know", async () => {
    const ada = await admin();
    const response = await postForm(server, EMAIL, { intent: "smtp", name: "x" }, { Cookie: ada.cookie });
    expect(response.status).toBe(400);
    expect(await app.db.select().from(outboxMessages)).toEqual([]);
  });
});

describe("Settings → Policies gate", () => {
  it("lists each policy's gate, current version and how many organisations accepted it", async () => {
    const ada = await admin();
    const empty = await page(ada, GATE);
    expect(textOf(empty.querySelector("main"))).toContain("No policies yet");

    const { policyId } = await publishPolicy(app, { title: "Partner terms", body: "Be fair." });
    await publishPolicy(app, { title: "Brand guidelines", body: "Use the logo.", required: false });
    await createPartner(app, { name: "Northwind" });
    const doc = await page(ada, GATE);
    expect(textOf(doc.querySelector(".alert"))).toContain("1 policy gates the partner area");
    const rows = [...doc.querySelectorAll("tbody tr")].map((row) => [...row.querySelectorAll("td")].map((cell) => textOf(cell)));
    expect(rows.map((cells) => [cells[0], cells[1], cells[3]])).toEqual([
      ["Partner terms", "Required", "0 of 1"],
      ["Brand guidelines", "Optional", "0 of 1"],
    ]);
    expect(doc.querySelector(`a[href='/admin/policies/${policyId}']`)).not.toBeNull();
  });
});
