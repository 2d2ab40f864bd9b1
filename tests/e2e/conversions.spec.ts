import { expect, test, type BrowserContext, type Locator } from "@playwright/test";
import { BROWSER_AGENT, expectAccessible, expectNoHorizontalOverflow, makeShopLink, signInAs, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

// People and names of this spec only: the journeys share one server with the other specs.
const OWNER = { name: "Cora Convert", email: "cora@convertlyreviews.example", password: "convertly owner pass phrase" };
const PARTNER = { company: "Convertly Reviews", owner: OWNER, shop: "shop.lumen-convert.example" };
const BLOG = "blog.convertlyreviews.example";
const LINK_NAME = "Convertly lamp guide";
const KEY_NAME = "Lumen shop checkout (conversions journey)";

// A desktop Chrome's user agent for every page of this journey, the partner's too: headless Chromium's own
// says HeadlessChrome, which the redirect counts as a bot, and a bot's click (a test click too) never attributes.
test.use({ userAgent: BROWSER_AGENT });

// The order: $120.00 at the partner's 10 % revenue share is $12.00; a $30.00 refund takes back $3.00.
const ORDER_ID = "LUMEN-CONV-10042";
const ORDER = { amount: 12_000, currency: "USD" } as const;
const REFUND = { refundId: "LUMEN-RF-1", amount: 3_000 } as const;
// The conversion the partner's test click validates tracking with.
const TEST_ORDER_ID = "LUMEN-CONV-TEST-1";

/** The figure of a stat box, by its label. */
function statOf(scope: Locator, label: string) {
  return scope
    .locator(".stat")
    .filter({ has: scope.page().getByText(label, { exact: true }) })
    .locator(".stat__value");
}

/** A figure of a definition list (a link card's counts), by its term. */
function termOf(scope: Locator, term: string) {
  return scope
    .locator("dl div")
    .filter({ has: scope.page().getByText(term, { exact: true }) })
    .locator("dd");
}

/** The shop's page for any address on its domain: what a tab sent there shows instead of the unresolvable shop. */
async function serveShop(context: BrowserContext): Promise<void> {
  await context.route(`https://${PARTNER.shop}/**`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<title>Lumen shop</title><h1>Lumen shop</h1>" }),
  );
}

test("a conversion posted for a visitor's click: attributed, counted once, refunded in part, seen by the partner and the brand; a test conversion validates tracking", async ({
  page,
  browser,
  playwright,
}) => {
  test.setTimeout(3 * 60_000);
  const errors = watchForPageErrors(page);
  await serveShop(page.context());
  const baseURL = test.info().project.use.baseURL!;
  let shortUrl = "";
  let linkPage = "";
  let clickId = "";
  let secret = "";
  let conversionId = "";
  // The shop's checkout script: plain HTTP with the key, no cookies, no browser.
  const shop = await playwright.request.newContext({ baseURL });
  const post = (path: string, data: Record<string, unknown>) => shop.post(path, { data, headers: { Authorization: `Bearer ${secret}` } });

  await test.step("the admin allowlists the shop's domain in the pre-screen rules; a partner makes an evergreen link to the shop", async () => {
    shortUrl = await makeShopLink(page, PARTNER, { name: LINK_NAME, path: "/desk-lamp" });
    await expect(page.getByRole("heading", { name: LINK_NAME, level: 1 })).toBeVisible();
    linkPage = page.url();
    expect(shortUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/l\/[0-9A-Za-z]{8}$/);
    await page.goto("/partner/links");
    await expect(page.locator("#performance").getByRole("heading", { name: "No conversions yet" })).toBeVisible();
    await signOut(page);
  });

  await test.step("a visitor reading the partner's blog clicks the short link and lands on the shop with a click id", async () => {
    const visitor = await browser.newContext({ userAgent: BROWSER_AGENT, extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.42" } });
    try {
      await visitor.route(`https://${BLOG}/**`, (route) =>
        route.fulfill({
          status: 200,
          contentType: "text/html",
          body: `<title>The best desk lamps</title><h1>The best desk lamps</h1><p>Our pick: <a href="${shortUrl}">the Lumen Desk</a>.</p>`,
        }),
      );
      await serveShop(visitor);
      const tab = await visitor.newPage();
      await tab.goto(`https://${BLOG}/best-desk-lamps`);
      await tab.getByRole("link", { name: "the Lumen Desk" }).click();
      await tab.waitForURL((url) => url.host === PARTNER.shop);
      const landed = new URL(tab.url());
      expect(landed.pathname).toBe("/desk-lamp");
      expect(landed.searchParams.get("utm_source")).toBe("convertly-reviews");
      clickId = landed.searchParams.get("cb_click") ?? "";
      expect(clickId).toMatch(/^[0-9A-Za-z]+$/);
    } finally {
      await visitor.close();
    }
  });

  await test.step("the admin makes an API key that may record conversions and reads its secret, shown once", async () => {
    await signInAsAdmin(page);
    await page.goto("/admin/api-keys");
    await page.getByRole("link", { name: "New key" }).first().click();
    await expect(page.getByRole("heading", { name: "New API key", level: 1 })).toBeVisible();
    await page.getByLabel("Name").fill(KEY_NAME);
    await page.getByRole("checkbox", { name: /Record conversions/ }).check();
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByRole("heading", { name: "Your new API key", level: 1 })).toBeVisible();
    secret = await page.getByRole("textbox", { name: `Secret key of ${KEY_NAME}` }).inputValue();
    expect(secret).toMatch(/^cb_live_[A-Za-z0-9_-]{43}$/);
    await page.getByRole("link", { name: "I have copied it: back to API keys" }).click();
    await expect(page.getByRole("rowheader", { name: new RegExp(KEY_NAME.replace(/[()]/g, "\\$&")) })).toBeVisible();
    await signOut(page);
  });

  const order = () => ({ orderId: ORDER_ID, ...ORDER, occurredAt: new Date().toISOString(), clickId, customerId: "cust-8812" });
  let occurredAt = "";

  await test.step("the shop posts the order with the click id: 201, attributed to the partner by the click", async () => {
    const body = order();
    occurredAt = body.occurredAt;
    const response = await post("/api/v1/conversions", body);
    expect(response.status()).toBe(201);
    const conversion = await response.json();
    conversionId = conversion.id;
    expect(conversion).toMatchObject({
      orderId: ORDER_ID,
      amount: ORDER.amount,
      currency: "USD",
      test: false,
      attribution: { attributedBy: "click", clickId, partner: { name: PARTNER.company, slug: "convertly-reviews" }, coupon: null, notes: [] },
      commission: { model: "revenue_share", rateBasisPoints: 1000, amount: 1_200 },
    });
    expect(conversion.attribution.link.code).toBe(shortUrl.split("/l/")[1]);
  });

  await test.step("a retry of the same body answers 200 with the same conversion; another amount for the order is refused naming it", async () => {
    const repeat = await post("/api/v1/conversions", { ...order(), occurredAt });
    expect(repeat.status()).toBe(200);
    expect((await repeat.json()).id).toBe(conversionId);
    const changed = await post("/api/v1/conversions", { ...order(), occurredAt, amount: 9_900 });
    expect(changed.status()).toBe(409);
    expect(changed.headers()["content-type"]).toContain("application/problem+json");
    const problem = await changed.json();
    expect(problem).toMatchObject({ status: 409, type: "urn:cobrand:problem:conflict", errors: [{ field: "amount" }] });
    expect(problem.detail).toContain(`Order ${ORDER_ID} was already recorded with a different amount`);
  });

  await test.step("a partial refund: 201, a tenth of it taken off the commission", async () => {
    const response = await post(`/api/v1/conversions/${ORDER_ID}/refunds`, { ...REFUND, reason: "One lamp returned" });
    expect(response.status()).toBe(201);
    const { refund, conversion } = await response.json();
    expect(refund).toMatchObject({ refundId: REFUND.refundId, amount: REFUND.amount, commissionReversed: 300 });
    expect(conversion.refunded).toEqual({ amount: REFUND.amount, commission: 300 });
  });

  await test.step("the partner sees the sale, net of the refund, in the Performance of their links", async () => {
    await signInAs(page, OWNER);
    await page.goto("/partner/links");
    const performance = page.locator("#performance");
    await expect(statOf(performance, "Clicks")).toHaveText("1");
    await expect(statOf(performance, "Conversions")).toHaveText("1");
    await expect(statOf(performance, "Revenue")).toHaveText("$90.00");
    await expect(statOf(performance, "Commission")).toHaveText("$9.00");
    await expect(statOf(performance, "Refunded")).toHaveText("$30.00");
    const card = page.locator(".link-card").filter({ has: page.getByRole("heading", { name: LINK_NAME }) });
    await expect(termOf(card, "Conversions, 30 days")).toHaveText("1");
    await expect(termOf(card, "Revenue")).toHaveText("$90.00");
    await expect(termOf(card, "Commission")).toHaveText("$9.00");
    await expectAccessible(page, "links with conversions");
  });

  await test.step("and on the link's own page, in its Conversions card", async () => {
    await page.goto(linkPage);
    const card = page.locator("#conversions");
    await expect(statOf(card, "Conversions")).toHaveText("1");
    await expect(statOf(card, "Revenue")).toHaveText("$90.00");
    await expect(statOf(card, "Commission")).toHaveText("$9.00");
    await expect(statOf(card, "Refunded")).toHaveText("$30.00");
    await expect(card.getByRole("img", { name: /^Conversions by day, last 30 days/ })).toBeVisible();
    await expectAccessible(page, "link detail with conversions");
  });

  await test.step("at phone width the partner's stats fit", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const [path, card, label] of [
      ["/partner/links", "#performance", "links with conversions at phone width"],
      [linkPage, "#conversions", "link detail with conversions at phone width"],
    ] as const) {
      await page.goto(path);
      await expect(statOf(page.locator(card), "Conversions")).toHaveText("1");
      await expectNoHorizontalOverflow(page);
      await expectAccessible(page, label);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await test.step("a test click, then a test conversion with its click id, ticks Tracking validated", async () => {
    await page.goto("/partner");
    await expect(page.getByText("To do: Tracking validated")).toBeAttached();
    await page.goto("/partner/links");
    const card = page.locator(".link-card").filter({ has: page.getByRole("heading", { name: LINK_NAME }) });
    const [tab] = await Promise.all([
      page.waitForEvent("popup"),
      card.getByRole("link", { name: `Send a test click of ${LINK_NAME} (opens in a new tab)` }).click(),
    ]);
    await tab.waitForURL((url) => url.host === PARTNER.shop);
    const testClickId = new URL(tab.url()).searchParams.get("cb_click") ?? "";
    expect(testClickId).toMatch(/^[0-9A-Za-z]+$/);
    await tab.close();
    const response = await post("/api/v1/conversions", {
      orderId: TEST_ORDER_ID,
      amount: 100,
      currency: "USD",
      occurredAt: new Date().toISOString(),
      clickId: testClickId,
      test: true,
    });
    expect(response.status()).toBe(201);
    expect(await response.json()).toMatchObject({ test: true, attribution: { attributedBy: "click", clickId: testClickId }, commission: { amount: 0 } });
    await page.goto("/partner");
    await expect(page.getByText("Done: Tracking validated")).toBeAttached();
    // A test conversion is never counted: the Performance figures are as before.
    await page.goto("/partner/links");
    await expect(statOf(page.locator("#performance"), "Conversions")).toHaveText("1");
    await signOut(page);
  });

  await test.step("the admin sees the conversion attributed by the click, and its refund on its page", async () => {
    await signInAsAdmin(page);
    await page.getByRole("navigation", { name: "Brand team" }).getByRole("link", { name: "Conversions", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Conversions", level: 1 })).toBeVisible();
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: ORDER_ID, exact: true }) });
    await expect(row).toContainText("Click");
    await expect(row.getByRole("link", { name: PARTNER.company })).toBeVisible();
    await expect(row).toContainText("$120.00");
    await expect(row).toContainText("$30.00 refunded");
    await expect(row).toContainText("$12.00");
    const testRow = page.getByRole("row").filter({ has: page.getByRole("link", { name: TEST_ORDER_ID, exact: true }) });
    await expect(testRow).toContainText("Test");
    await expectAccessible(page, "admin conversions");

    await row.getByRole("link", { name: ORDER_ID, exact: true }).click();
    await expect(page.getByRole("heading", { name: `Order ${ORDER_ID}`, level: 1 })).toBeVisible();
    await expect(page.getByText(`Attributed by the click ${clickId}`)).toBeVisible();
    await expect(page.getByRole("link", { name: LINK_NAME })).toBeVisible();
    await expect(page.getByText(`through the API key “${KEY_NAME}”`)).toBeVisible();
    const refunds = page.getByRole("table", { name: "Refunds of this order, oldest first" });
    const refundRow = refunds.getByRole("row").filter({ has: page.getByText(REFUND.refundId, { exact: true }) });
    await expect(refundRow).toContainText("$30.00");
    await expect(refundRow).toContainText("$3.00");
    await expect(refundRow).toContainText("One lamp returned");
    await expectAccessible(page, "admin conversion detail");
    await signOut(page);
  });

  await shop.dispose();
  expect(errors).toEqual([]);
});
