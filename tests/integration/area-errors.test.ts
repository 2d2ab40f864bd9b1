import crypto from "node:crypto";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../support/db";
import { createPartnerOrg, createUser, sessionCookieFor } from "../support/context";
import { get, startTestServer, type TestServer } from "../support/http";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => resetDatabase(server.app.db));

/** The parts of an error page a person reads: the area's navigation (if any), the heading and the way back. */
async function errorPage(path: string, cookie: string) {
  const response = await get(server, path, { Cookie: cookie });
  const page = new JSDOM(await response.text()).window.document;
  return {
    status: response.status,
    nav: page.querySelector("nav.app-sidebar__nav")?.getAttribute("aria-label") ?? null,
    navLinks: [...page.querySelectorAll("nav.app-sidebar__nav a")].map((a) => a.getAttribute("href")),
    heading: page.querySelector("main h1")?.textContent ?? null,
    back: page.querySelector("main .error-page a")?.getAttribute("href") ?? null,
  };
}

describe("an error inside a signed-in area", () => {
  it("keeps the brand team's navigation around a page's 404 and 403, with the status kept and a way back", async () => {
    const admin = await createUser(server.app.db, { role: "admin" });
    const missingKit = await errorPage(`/admin/kits/${crypto.randomUUID()}`, await sessionCookieFor(server.app, admin.id));
    expect(missingKit).toMatchObject({ status: 404, nav: "Brand team", heading: "Page not found", back: "/admin" });
    expect(missingKit.navLinks).toContain("/admin/applications");

    const analyst = await createUser(server.app.db, { role: "analyst" });
    const teamPage = await errorPage("/admin/users", await sessionCookieFor(server.app, analyst.id));
    expect(teamPage).toMatchObject({ status: 403, nav: "Brand team", heading: "You don't have access to this page", back: "/admin" });
  });

  it("keeps the partner's navigation around a 404, also for an /admin address the partner has no area at", async () => {
    const org = await createPartnerOrg(server.app.db);
    const partner = await createUser(server.app.db, { role: "partner", partnerOrgId: org.id });
    const cookie = await sessionCookieFor(server.app, partner.id);
    const missingPolicy = await errorPage(`/partner/policies/${crypto.randomUUID()}`, cookie);
    expect(missingPolicy).toMatchObject({ status: 404, nav: "Partner area", heading: "Page not found", back: "/partner" });
    expect(missingPolicy.navLinks).toContain("/partner/assets");

    const adminPage = await errorPage("/admin/kits", cookie);
    expect(adminPage).toMatchObject({ status: 404, nav: "Partner area", heading: "Page not found", back: "/partner" });
    expect(adminPage.navLinks).not.toContain("/admin/applications");
  });

  it("leaves errors outside the areas to the root's page", async () => {
    const admin = await createUser(server.app.db, { role: "admin" });
    const unknown = await errorPage("/no/such/page", await sessionCookieFor(server.app, admin.id));
    expect(unknown).toMatchObject({ status: 404, nav: null, heading: "Page not found", back: "/" });
  });
});
