import { eq } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, conversionSettings, coupons } from "#db/schema/index";
import { DEFAULT_CONVERSION_SETTINGS } from "~/domain/conversions/catalog";
import { recordConversion, recordRefund } from "~/domain/conversions/conversions.server";
import { createCoupon } from "~/domain/conversions/coupons.server";
import { getConversionSettings, saveConversionSettings } from "~/domain/conversions/settings.server";
import { systemClock } from "~/lib/clock";
import type { AppContext } from "~/lib/context.server";
import { adjustableClockFor, createPartner, createPartnerOrg, signedIn, type PartnerOrgFields } from "../support/context";
import { conversionBody, linkOf, recordedClick, refundBody } from "../support/conversions";
import { resetDatabase } from "../support/db";
import { formEntries, postEntries } from "../support/forms";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";
import { seedReviewCreative } from "../support/review-fixtures";

// The conversion pages over HTTP (issue 16): Settings → Conversions, the
// coupon pages of the brand team and of the partner (with the sections of
// the partner page and the links page), the conversions list and a
// conversion's page, and the partner's "Tracking validated" step.

let server: TestServer;
let app: AppContext;
beforeAll(async () => {
  // Behind the trusted loopback proxy, so tests can post from more than one address (the per-address flood limit).
  server = await startTestServer({ configure: (config) => ({ ...config, trustProxy: "loopback" }) });
  app = server.app;
});
afterAll(() => server.close());
beforeEach(async () => {
  await resetDatabase(app.db);
  app.clock = systemClock;
});

const ADMIN = { id: null, label: "admin@brand.test" };
const DAY = 86_400_000;
const documentOf = (html: string) => new JSDOM(html).window.document;
/** The page's markup without React's text separators, non-breaking spaces as spaces. */
const read = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "").replaceAll("\u00a0", " ");
const textOf = (element: Element | null) => (element?.textContent ?? "").replace(/\s+/g, " ").trim();
const errorOf = (doc: Document, field: string) => textOf(doc.getElementById(`field-${field}-error`));
const valueOf = (doc: Document, field: string) => (doc.getElementById(`field-${field}`) as HTMLInputElement | null)?.value;

let addressCount = 0;
/** A browser of its own address for each request, as the flood limit expects of different people. */
const headersOf = (who: { cookie: string }) => ({ Cookie: who.cookie, "X-Forwarded-For": `198.51.100.${(addressCount++ % 200) + 20}` });

async function staff(role: "admin" | "brand_reviewer" | "legal_reviewer" | "analyst") {
  return signedIn(app, { role, email: `${role}-${Math.random().toString(36).slice(2, 6)}@brand.test`, name: `Sam ${role}` });
}

async function page(who: { cookie: string }, path: string, status = 200) {
  const response = await get(server, path, headersOf(who));
  expect(response.status, path).toBe(status);
  const html = await read(response);
  return { html, doc: documentOf(html) };
}

function partnerNamed(name: string, fields: PartnerOrgFields = {}, role: "owner" | "member" = "owner") {
  return createPartner(app, { name, role, fields: { status: "active", commercialModel: "revenue_share", rateBasisPoints: 1200, ...fields } });
}

describe("Settings → Conversions", () => {
  const SETTINGS = "/admin/settings/conversions";

  it("shows the defaults, refuses bad input at each field keeping what was typed, and saves on record", async () => {
    const admin = await staff("admin");
    const { doc } = await page(admin, SETTINGS);
    expect(valueOf(doc, "attributionWindowDays")).toBe("30");
    expect((doc.querySelector("input[name=attributionModel][value=last_click]") as HTMLInputElement).checked).toBe(true);
    expect((doc.getElementById("field-programCurrency") as HTMLSelectElement).value).toBe("USD");
    expect(textOf(doc.querySelector(".alert"))).toContain("The defaults apply");
    // The settings page leads here.
    expect((await page(admin, "/admin/settings")).doc.querySelector(`nav[aria-label='Settings sections'] a[href='${SETTINGS}#attribution']`)).not.toBeNull();

    const bad = await postEntries(
      server,
      SETTINGS,
      formEntries((await page(admin, SETTINGS)).html, "Conversion settings", {
        attributionWindowDays: "400",
        attributionModel: "sometimes",
        programCurrency: "XYZ",
      }),
      headersOf(admin),
    );
    expect(bad.status).toBe(400);
    const refused = documentOf(await read(bad));
    expect(errorOf(refused, "attributionWindowDays")).toBe("Enter a number from 1 to 365.");
    expect(errorOf(refused, "attributionModel")).toBe("Choose last click or first click.");
    expect(errorOf(refused, "programCurrency")).toContain("Choose the program's currency from the list");
    expect(valueOf(refused, "attributionWindowDays")).toBe("400");
    expect(refused.getElementById("field-attributionWindowDays")!.getAttribute("aria-describedby")).toContain("field-attributionWindowDays-error");
    expect(await app.db.select().from(conversionSettings)).toEqual([]);

    const saved = await postEntries(
      server,
      SETTINGS,
      formEntries((await page(admin, SETTINGS)).html, "Conversion settings", {
        attributionWindowDays: "14",
        attributionModel: "first_click",
        programCurrency: "EUR",
        partnersCreateCoupons: "on",
      }),
      headersOf(admin),
    );
    expect(saved.status).toBe(302);
    expect(toastIn(await read(await follow(server, saved, admin.cookie)))).toContain(
      "Changed: attribution window, attribution model, program currency, partner coupon codes.",
    );
    expect(await getConversionSettings(app.db)).toEqual({
      attributionWindowDays: 14,
      attributionModel: "first_click",
      programCurrency: "EUR",
      partnersCreateCoupons: true,
    });
    const [event] = await app.db.select().from(auditEvents).where(eq(auditEvents.action, "conversions.settings_changed"));
    expect(event).toMatchObject({ actorId: admin.id });
    const after = await page(admin, SETTINGS);
    expect(valueOf(after.doc, "attributionWindowDays")).toBe("14");
    expect((after.doc.getElementById("field-partnersCreateCoupons") as HTMLInputElement).checked).toBe(true);
  });
});

describe("coupon codes on the brand team's side", () => {
  it("are listed on the partner page and added on the partner's coupon page, refusing a bad code and a taken one clearly", async () => {
    const org = await createPartnerOrg(app.db, "Alpha Media", { status: "active" });
    const other = await createPartnerOrg(app.db, "Beta Media", { status: "active" });
    await createCoupon(app, ADMIN, other.id, { code: "BETA10", expiresOn: null });
    const admin = await staff("admin");
    const coupon = `/admin/partners/${org.id}/coupons`;

    const profile = await page(admin, `/admin/partners/${org.id}`);
    expect(textOf(profile.doc.querySelector("#coupons"))).toContain("No coupon codes yet");
    expect(profile.doc.querySelector(`#coupons a[href='${coupon}']`)).not.toBeNull();

    const form = () => page(admin, coupon).then((p) => p.html);
    const post = async (changes: Record<string, string>) =>
      postEntries(server, coupon, formEntries(await form(), "New coupon code", changes), headersOf(admin));

    const bad = await post({ code: "two words", expiresOn: "31/12/2030" });
    expect(bad.status).toBe(400);
    const badDoc = documentOf(await read(bad));
    expect(errorOf(badDoc, "code")).toBe("Use letters, digits, hyphens and underscores only: no spaces or accents.");
    expect(errorOf(badDoc, "expiresOn")).toBe("Enter the last day as a date, such as 2027-01-31.");
    expect(valueOf(badDoc, "code")).toBe("two words");
    expect(errorOf(documentOf(await read(await post({ code: "ab" }))), "code")).toBe("A code is at least 3 characters.");

    const taken = await post({ code: "beta10" });
    expect(taken.status).toBe(409);
    const takenDoc = documentOf(await read(taken));
    expect(errorOf(takenDoc, "code")).toBe("The code beta10 is already taken (codes are unique whatever their case). Choose another.");
    expect(valueOf(takenDoc, "code")).toBe("beta10");

    const made = await post({ code: "ALPHA-15", expiresOn: "2099-12-31" });
    expect(made.status).toBe(302);
    expect(toastIn(await read(await follow(server, made, admin.cookie)))).toContain("Coupon code ALPHA-15 added");
    const listed = await page(admin, coupon);
    const row = textOf(listed.doc.querySelector(".coupons-table tbody tr"));
    expect(row).toContain("ALPHA-15");
    expect(row).toContain("Active");
    expect(row).toContain("Until 31 Dec 2099");
    expect(textOf(listed.doc.querySelector(".coupons-table tbody"))).not.toContain("BETA10");
    expect(textOf((await page(admin, `/admin/partners/${org.id}`)).doc.querySelector("#coupons"))).toContain("ALPHA-15");

    const [made15] = await app.db.select().from(coupons).where(eq(coupons.codeKey, "alpha-15"));
    const disabled = await postForm(server, coupon, { intent: "disable", couponId: made15!.id }, headersOf(admin));
    expect(disabled.status).toBe(302);
    expect(textOf((await page(admin, coupon)).doc.querySelector(".coupons-table tbody tr"))).toContain("Disabled");
    // Another partner's coupon through this partner's page is not found.
    const [beta] = await app.db.select().from(coupons).where(eq(coupons.codeKey, "beta10"));
    expect((await postForm(server, coupon, { intent: "disable", couponId: beta!.id }, headersOf(admin))).status).toBe(404);
  });

  it("lets every internal role read them, with no forms for those who may not change them", async () => {
    const org = await createPartnerOrg(app.db, "Alpha Media", { status: "active" });
    await createCoupon(app, ADMIN, org.id, { code: "READ-ME", expiresOn: null });
    const reviewer = await staff("brand_reviewer");
    const { doc } = await page(reviewer, `/admin/partners/${org.id}/coupons`);
    expect(textOf(doc.querySelector(".coupons-table"))).toContain("READ-ME");
    expect(doc.querySelector("form[aria-label='New coupon code']")).toBeNull();
    expect(doc.querySelector("form[aria-label^='Disable coupon']")).toBeNull();
    expect((await postForm(server, `/admin/partners/${org.id}/coupons`, { intent: "create", code: "NOPE1" }, headersOf(reviewer))).status).toBe(403);
  });
});

describe("coupon codes on the partner's side", () => {
  it("are listed on the links page, the partner's own only, with an empty state", async () => {
    const alpha = await partnerNamed("Alpha Media");
    const beta = await partnerNamed("Beta Media");
    const empty = await page(alpha, "/partner/links");
    expect(textOf(empty.doc.querySelector("#coupons"))).toContain("No coupon codes yet");
    expect(textOf(empty.doc.querySelector("#coupons"))).toContain("The program gives you coupon codes");
    await createCoupon(app, ADMIN, alpha.org.id, { code: "ALPHA5", expiresOn: null });
    await createCoupon(app, ADMIN, beta.org.id, { code: "BETA5", expiresOn: null });
    const listed = textOf((await page(alpha, "/partner/links")).doc.querySelector("#coupons"));
    expect(listed).toContain("ALPHA5");
    expect(listed).not.toContain("BETA5");
    const all = textOf((await page(alpha, "/partner/links/coupons")).doc.querySelector("main"));
    expect(all).toContain("ALPHA5");
    expect(all).not.toContain("BETA5");
  });

  it("are made by the owner only when the settings allow, with the form's refusals, and another partner's code is not found", async () => {
    const alpha = await partnerNamed("Alpha Media");
    const member = await createPartner(app, { org: alpha.org, role: "member", email: "member@alpha.test" });
    const beta = await partnerNamed("Beta Media");
    const betaCoupon = await createCoupon(app, ADMIN, beta.org.id, { code: "BETA5", expiresOn: null });
    const COUPONS = "/partner/links/coupons";

    const closed = await page(alpha, COUPONS);
    expect(closed.doc.querySelector("form[aria-label='New coupon code']")).toBeNull();
    expect(textOf(closed.doc.querySelector(".alert"))).toContain("ask your contact at the program");
    expect((await postForm(server, COUPONS, { intent: "create", code: "MINE1" }, headersOf(alpha))).status).toBe(403);

    await saveConversionSettings(app, ADMIN, { ...DEFAULT_CONVERSION_SETTINGS, partnersCreateCoupons: true });
    const links = await page(alpha, "/partner/links");
    expect(links.doc.querySelector(`#coupons a[href='${COUPONS}']`)).not.toBeNull();
    expect(textOf(links.doc.querySelector("#coupons"))).toContain("New coupon code");
    const open = await page(alpha, COUPONS);
    const post = (changes: Record<string, string>) => postEntries(server, COUPONS, formEntries(open.html, "New coupon code", changes), headersOf(alpha));
    const bad = await post({ code: "" });
    expect(bad.status).toBe(400);
    expect(errorOf(documentOf(await read(bad)), "code")).toBe("Enter the code.");
    const taken = await post({ code: "Beta5" });
    expect(taken.status).toBe(409);
    expect(errorOf(documentOf(await read(taken)), "code")).toContain("already taken");
    const made = await post({ code: "ALPHA_SPRING" });
    expect(made.status).toBe(302);
    expect(textOf((await page(alpha, COUPONS)).doc.querySelector(".coupons-table"))).toContain("ALPHA_SPRING");

    // Members read the codes; the owner manages them.
    expect((await page(member, COUPONS)).doc.querySelector("form[aria-label='New coupon code']")).toBeNull();
    expect((await postForm(server, COUPONS, { intent: "create", code: "MEMBER1" }, headersOf(member))).status).toBe(403);
    // Another organisation's coupon id is not found, and stays active.
    expect((await postForm(server, COUPONS, { intent: "disable", couponId: betaCoupon.id }, headersOf(alpha))).status).toBe(404);
    const [stillActive] = await app.db.select().from(coupons).where(eq(coupons.id, betaCoupon.id));
    expect(stillActive!.disabledAt).toBeNull();
  });
});

describe("the conversions list and a conversion's page", () => {
  const LIST = "/admin/conversions";

  it("explains how conversions arrive while there are none", async () => {
    const analyst = await staff("analyst");
    const { doc } = await page(analyst, LIST);
    const empty = textOf(doc.querySelector(".empty-state"));
    expect(empty).toContain("No conversions yet");
    expect(empty).toContain("POST /api/v1/conversions");
    expect(empty).toContain("counted once");
    // Analysts do not edit the settings.
    expect(doc.querySelector("a[href='/admin/settings/conversions']")).toBeNull();
    expect(doc.querySelector("nav a[href='/admin/conversions']")).not.toBeNull();
  });

  it("lists conversions newest first with their attribution, filters them and pages them", async () => {
    const alpha = await partnerNamed("Alpha Media");
    const beta = await partnerNamed("Beta Media");
    const link = await linkOf(app.db, alpha.org);
    await createCoupon(app, ADMIN, beta.org.id, { code: "BETA10", expiresOn: null });
    const clickAt = new Date(Date.now() - DAY);
    // A second apart, so "latest received first" has one order.
    const clock = adjustableClockFor(app);
    const record = (fields: Record<string, unknown>) => {
      clock.advance(1000);
      return recordConversion(app, { input: conversionBody({ occurredAt: new Date().toISOString(), ...fields }), apiKeyId: null });
    };
    await record({ orderId: "CLICK-1", clickId: await recordedClick(app.db, link, clickAt) });
    await record({ orderId: "COUPON-1", couponCode: "beta10", currency: "EUR" });
    await record({ orderId: "NONE-1", couponCode: "UNKNOWN" });
    await record({ orderId: "TEST-1", clickId: await recordedClick(app.db, link, clickAt, { isTest: true }), test: true });

    const analyst = await staff("analyst");
    const orders = async (query = "") => [...(await page(analyst, `${LIST}${query}`)).doc.querySelectorAll(".conversions-table tbody th code")].map(textOf);
    expect(await orders()).toEqual(["TEST-1", "NONE-1", "COUPON-1", "CLICK-1"]);
    expect(await orders("?attributedBy=coupon")).toEqual(["COUPON-1"]);
    expect(await orders("?attributedBy=none")).toEqual(["NONE-1"]);
    expect(await orders(`?partner=${alpha.org.id}`)).toEqual(["TEST-1", "CLICK-1"]);
    expect(await orders(`?partner=${alpha.org.id}&test=exclude`)).toEqual(["CLICK-1"]);
    expect(await orders("?test=only")).toEqual(["TEST-1"]);
    expect(await orders("?currency=EUR")).toEqual(["COUPON-1"]);
    expect(await orders("?attributedBy=everything&partner=nope&currency=euros")).toHaveLength(4);
    const none = await page(analyst, `${LIST}?currency=JPY`);
    expect(textOf(none.doc.querySelector(".empty-state"))).toContain("No conversions match");

    const couponRow = textOf((await page(analyst, `${LIST}?attributedBy=coupon`)).doc.querySelector(".conversions-table tbody tr"));
    expect(couponRow).toContain("Coupon code");
    expect(couponRow).toContain("Beta Media");
    expect(couponRow).toContain("€49.99");

    for (let i = 0; i < 24; i++) await record({ orderId: `BULK-${String(i).padStart(2, "0")}` });
    const first = await page(analyst, LIST);
    expect(first.doc.querySelectorAll(".conversions-table tbody tr")).toHaveLength(25);
    expect(textOf(first.doc.querySelector(".pagination"))).toContain("Page 1 of 2");
    expect(await orders("?page=2")).toEqual(["NONE-1", "COUPON-1", "CLICK-1"]);
  });

  it("shows everything about one conversion: amounts, how it was attributed and why, the terms, its refunds", async () => {
    const alpha = await partnerNamed("Alpha Media");
    const beta = await partnerNamed("Beta Media");
    const author = await createPartner(app, { org: alpha.org, role: "member", email: "author@alpha.test" });
    const creative = await seedReviewCreative(app.db, { organisationId: alpha.org.id, authorId: author.user.id, title: "Spring banner", status: "approved" });
    const link = await linkOf(app.db, alpha.org, {
      label: "Spring banner link",
      kind: "creative",
      creativeId: creative.id,
      creativeVersionId: creative.versions[0]!.id,
    });
    await createCoupon(app, ADMIN, beta.org.id, { code: "BETA10", expiresOn: null });
    const clickId = await recordedClick(app.db, link, new Date(Date.now() - DAY));
    const { conversion } = await recordConversion(app, {
      input: conversionBody({ orderId: "ORD-DETAIL", amount: 1999, occurredAt: new Date().toISOString(), clickId, couponCode: "BETA10", customerId: "CUST-7" }),
      apiKeyId: null,
    });
    await recordRefund(app, { orderId: "ORD-DETAIL", input: refundBody({ refundId: "RF-77", amount: 999, reason: "Arrived broken" }), apiKeyId: null });

    const analyst = await staff("analyst");
    const { doc } = await page(analyst, `/admin/conversions/${conversion.id}`);
    const main = textOf(doc.querySelector("main"));
    expect(main).toContain("Order ORD-DETAIL");
    expect(main).toContain("$19.99");
    expect(main).toContain("$9.99 (net $10.00)");
    expect(main).toContain(`Attributed by the click ${clickId}`);
    expect(main).toContain("CUST-7");
    expect(textOf(doc.querySelector("[aria-label='Attribution notes']"))).toBe(
      "The coupon BETA10 belongs to Beta Media. The click and the coupon named different partners: the click wins.",
    );
    expect(main).toContain("Revenue share, 12 %");
    // 12 % of 19.99 is 2.40; refunding 9.99 of it takes back 1.20 (2.40 × 999 / 1999 = 1.1994).
    expect(main).toContain("$2.40");
    expect(main).toContain("$1.20 (net $1.20)");
    expect(textOf(doc.querySelector(".data-table tbody"))).toContain("RF-77");
    expect(textOf(doc.querySelector(".data-table tbody"))).toContain("Arrived broken");
    const hrefs = [...doc.querySelectorAll("main a")].map((a) => a.getAttribute("href"));
    expect(hrefs).toEqual(expect.arrayContaining([`/admin/partners/${alpha.org.id}`, `/admin/links/${link.id}`, `/admin/creatives/${creative.id}`]));

    const unattributed = await recordConversion(app, {
      input: conversionBody({ occurredAt: new Date().toISOString(), test: true, clickId: "nope" }),
      apiKeyId: null,
    });
    const other = textOf((await page(analyst, `/admin/conversions/${unattributed.conversion.id}`)).doc.querySelector("main"));
    expect(other).toContain("A test conversion");
    expect(other).toContain("Unattributed");
    expect(other).toContain("The click id nope matches no recorded click");
    expect(other).toContain("No refunds.");

    await page(analyst, "/admin/conversions/00000000-0000-4000-8000-000000000000", 404);
  });
});

describe("the onboarding checklist", () => {
  it("ticks Tracking validated once a test conversion is attributed to the partner's test click, and says how before", async () => {
    const partner = await partnerNamed("Northwind Media");
    const link = await linkOf(app.db, partner.org);
    const step = async () =>
      [...(await page(partner, "/partner")).doc.querySelectorAll(".checklist > li")].find((li) => li.textContent!.includes("Tracking validated"))!;
    const before = await step();
    expect(before.getAttribute("data-done")).not.toBe("true");
    expect(textOf(before)).toContain("copy the click id from the address you land on (the cb_click=… part)");
    const clickId = await recordedClick(app.db, link, new Date(Date.now() - 60_000), { isTest: true });
    await recordConversion(app, { input: conversionBody({ occurredAt: new Date().toISOString(), clickId, test: true }), apiKeyId: null });
    const after = await step();
    expect(after.getAttribute("data-done")).toBe("true");
    expect(textOf(after)).toContain("your sales will be counted for you");
  });
});
