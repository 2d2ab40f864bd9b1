import fs from "node:fs";
import { expect, test, type Locator, type Page } from "@playwright/test";
import {
  BROWSER_AGENT,
  allowDestinationDomain,
  bannerImage,
  decide,
  expectAccessible,
  expectNoHorizontalOverflow,
  onboardPartnerPastPolicies,
  queueRow,
  signInAs,
  signInAsAdmin,
  signOut,
  startCreative,
  uploadFile,
  watchForPageErrors,
} from "./helpers";

// People and names of this spec only: the journeys share one server with the other specs.
const PARTNER = { name: "Lia Linkwise", email: "lia@linkwisereviews.example", password: "linkwise owner pass phrase" };
const SHOP = "shop.lumen-links.example";
const DESTINATION = `https://${SHOP}/desk-lamp`;
const TITLE = "Linkwise desk lamp pick";

/** The figure under a label of a link's Today / 7 days / Total counts. */
function countOf(page: Page, label: "Today" | "7 days" | "Total") {
  return page
    .locator(".click-counts div")
    .filter({ has: page.getByText(label, { exact: true }) })
    .locator("dd");
}

/** The figure of a stat box, by its label. */
function statOf(scope: Locator, label: string) {
  return scope
    .locator(".stat")
    .filter({ has: scope.page().getByText(label, { exact: true }) })
    .locator(".stat__value");
}

test("an approved creative's link: copied, its QR downloaded, a test click not counted, a real click counted and charted", async ({ page, context }) => {
  test.setTimeout(6 * 60_000);
  const errors = watchForPageErrors(page);
  // The brand's shop does not resolve here: a tab sent there gets this page instead.
  await context.route(`https://${SHOP}/**`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<title>Lumen shop</title><h1>Lumen shop</h1>" }),
  );
  let shortUrl = "";
  let linkPage = "";

  await test.step("the admin allowlists the brand's shop domain in the pre-screen rules", async () => {
    await signInAsAdmin(page);
    await allowDestinationDomain(page, SHOP);
    await signOut(page);
  });

  await test.step("a partner submits a website creative that links to the shop", async () => {
    await onboardPartnerPastPolicies(page, "Linkwise Reviews", PARTNER);
    await page.goto("/partner/links");
    await expect(page.getByRole("heading", { name: "No links yet" })).toBeVisible();
    await expect(page.getByText("When the brand approves a creative of yours, its short link appears here")).toBeVisible();
    await expectAccessible(page, "links, empty");
    await startCreative(page, {
      title: TITLE,
      placement: "Buying guide sidebar",
      copy: "The Lumen Desk: a calm lamp for late evenings. Warm light, quiet switch.",
      // A UTM value of the partner's own: the link's convention replaces it.
      destinationUrl: `${DESTINATION}?utm_source=typed-by-hand`,
    });
    await uploadFile(page, await bannerImage("linkwise-sidebar.png", "#23395d"));
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(page.getByText("Submitted for review")).toBeVisible();
    await signOut(page);
  });

  await test.step("the brand approves it, which issues its link", async () => {
    await signInAsAdmin(page);
    const row = await queueRow(page, "Brand", TITLE);
    await row.getByRole("link", { name: TITLE, exact: true }).click();
    await expect(page.getByRole("heading", { name: TITLE, level: 1 })).toBeVisible();
    await decide(page, "Approve");
    await expect(page.getByText(/^Approved/).first()).toBeVisible();
    await signOut(page);
  });

  await test.step("the partner finds the link on Links and copies it", async () => {
    await signInAs(page, PARTNER);
    await page.getByRole("navigation", { name: "Partner area" }).last().getByRole("link", { name: "Links" }).click();
    await expect(page.getByRole("heading", { name: "Links", level: 1 })).toBeVisible();
    const card = page.locator(".link-card").filter({ has: page.getByRole("heading", { name: TITLE }) });
    await expect(card.getByText("Active")).toBeVisible();
    await expect(card.getByRole("link", { name: `${TITLE}, version 1` })).toBeVisible();
    const box = card.getByRole("textbox", { name: `Short link of ${TITLE}` });
    shortUrl = await box.inputValue();
    expect(shortUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/l\/[0-9A-Za-z]{8}$/);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await card.getByRole("button", { name: `Copy the short link of ${TITLE}` }).click();
    await expect(card.getByText("Copied.")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shortUrl);
    await expectAccessible(page, "links with a creative's link");
  });

  await test.step("the partner downloads its QR code as SVG and PNG", async () => {
    const card = page.locator(".link-card").filter({ has: page.getByRole("heading", { name: TITLE }) });
    const [svg] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: `QR code (SVG) of ${TITLE}` }).click()]);
    expect(svg.suggestedFilename()).toMatch(/^linkwise-desk-lamp-pick-[0-9A-Za-z]{8}-qr\.svg$/);
    expect(fs.readFileSync((await svg.path())!, "utf8")).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const [png] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: `QR code (PNG) of ${TITLE}` }).click()]);
    expect(png.suggestedFilename()).toMatch(/-qr\.png$/);
    expect(
      fs
        .readFileSync((await png.path())!)
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");
  });

  await test.step("a test click opens the destination in a new tab, with the UTM convention applied, and is not counted", async () => {
    const card = page.locator(".link-card").filter({ has: page.getByRole("heading", { name: TITLE }) });
    const testLink = card.getByRole("link", { name: `Send a test click of ${TITLE} (opens in a new tab)` });
    const [tab] = await Promise.all([page.waitForEvent("popup"), testLink.click()]);
    await tab.waitForURL((url) => url.host === SHOP);
    const landed = new URL(tab.url());
    expect(landed.origin + landed.pathname).toBe(DESTINATION);
    expect(landed.searchParams.get("utm_source")).toBe("linkwise-reviews");
    expect(landed.searchParams.get("utm_campaign")).toBe("linkwise-desk-lamp-pick");
    expect(landed.searchParams.get("cb_click")).toMatch(/^[0-9A-Za-z]+$/);
    await tab.close();
    // The redirect itself, as the new tab met it: a 302 that never forwards what the visitor added.
    const href = (await testLink.getAttribute("href"))!;
    const redirect = await page.request.get(`${href}&utm_source=evil&url=https://evil.example/`, { maxRedirects: 0 });
    expect(redirect.status()).toBe(302);
    const location = new URL(redirect.headers()["location"]!);
    expect(location.host).toBe(SHOP);
    expect(location.searchParams.getAll("utm_source")).toEqual(["linkwise-reviews"]);
    expect(location.search).not.toContain("evil");
    // Recorded within a second as tests: the counts stay at nothing.
    await page.waitForTimeout(1_500);
    await page.reload();
    await expect(countOf(page, "Total")).toHaveText("0");
  });

  await test.step("a real visitor's click is counted once the recorder has written it", async () => {
    const response = await page.request.get(shortUrl, { maxRedirects: 0, headers: { "User-Agent": BROWSER_AGENT } });
    expect(response.status()).toBe(302);
    expect(response.headers()["location"]).toMatch(new RegExp(`^${DESTINATION}\\?utm_source=linkwise-reviews&utm_medium=website_blog&`));
    await expect
      .poll(
        async () => {
          await page.reload();
          return countOf(page, "Today").textContent();
        },
        { timeout: 15_000 },
      )
      .toBe("1");
    await expect(countOf(page, "Total")).toHaveText("1");
    const byCreative = page.getByRole("region", { name: /Clicks and conversions by creative/ }).getByRole("row", { name: new RegExp(TITLE) });
    await expect(byCreative).toContainText("1");
  });

  await test.step("the link's page explains where it goes and charts the click", async () => {
    await page.getByRole("link", { name: TITLE, exact: true }).first().click();
    await expect(page.getByRole("heading", { name: TITLE, level: 1 })).toBeVisible();
    linkPage = page.url();
    await expect(page.getByText(`${DESTINATION}?utm_source=linkwise-reviews&utm_medium=website_blog&utm_campaign=linkwise-desk-lamp-pick`)).toBeVisible();
    await expect(statOf(page.locator("#clicks"), "Clicks")).toHaveText("1");
    await expect(page.getByRole("img", { name: /Clicks by day, last 30 days, .*: 1 clicks/ })).toBeVisible();
    // Drawn once the page is interactive: today's bar is there.
    await expect(page.locator(".clicks-chart__plot .recharts-bar-rectangle").first()).toBeVisible();
    await page.getByText("Clicks by day, last 30 days as a table").click();
    const table = page.getByRole("region", { name: "Clicks by day, last 30 days" });
    await expect(table.getByRole("row").last()).toContainText("1");
    const ranges = page.getByRole("navigation", { name: "Date range" });
    await ranges.getByRole("link", { name: "Last 7 days" }).click();
    await expect(ranges.getByRole("link", { name: "Last 7 days" })).toHaveAttribute("aria-current", "page");
    await expectAccessible(page, "link detail");
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^CSV/ }).click()]);
    const lines = fs
      .readFileSync((await csv.path())!, "utf8")
      .trim()
      .split("\r\n");
    expect(lines).toHaveLength(8);
    // One person, no bot; no conversion yet, so nothing earned and a rate of 0 (the conversion columns follow the click columns).
    expect(lines.at(-1)).toMatch(/,1,1,0,0\.0,0,0\.00,0\.00,0\.00,0\.00,0\.00$/);
  });

  await test.step("the first real click ticks First link live", async () => {
    await page.goto("/partner");
    await expect(page.getByText("Done: First link live")).toBeAttached();
  });

  await test.step("an evergreen link: a destination off the allowlist is refused and kept, an allowed one is made", async () => {
    await page.goto("/partner/links/help");
    await expect(page.getByRole("heading", { name: "How links work", level: 1 })).toBeVisible();
    await expectAccessible(page, "links help");
    await page.goto("/partner/links/new");
    await page.getByLabel(/^Name/).fill("Newsletter footer");
    await page.getByLabel(/^Destination/).fill("https://elsewhere.example/");
    await page.getByLabel(/^Channel/).selectOption("email");
    await page.getByRole("button", { name: "Make the link" }).click();
    await expect(page.getByText("elsewhere.example is not on the program's list of allowed destinations")).toBeVisible();
    await expect(page.getByLabel(/^Destination/)).toHaveValue("https://elsewhere.example/");
    await expectAccessible(page, "new evergreen link with an error");
    await page.getByLabel(/^Destination/).fill(`https://${SHOP}/`);
    await page.getByRole("button", { name: "Make the link" }).click();
    await expect(page.getByText("Link made")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Newsletter footer", level: 1 })).toBeVisible();
    await expect(page.getByText("Evergreen").first()).toBeVisible();
  });

  await test.step("at phone width the pages fit and read well", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const [path, label] of [
      ["/partner/links", "links at phone width"],
      [linkPage, "link detail at phone width"],
      ["/partner/links/new", "new evergreen link at phone width"],
    ] as const) {
      await page.goto(path);
      await expectNoHorizontalOverflow(page);
      await expectAccessible(page, label);
    }
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await test.step("the admin sees the partner's links and clicks on the partner's page", async () => {
    await signInAsAdmin(page);
    await page.goto("/admin/partners");
    await page.getByRole("link", { name: "Linkwise Reviews" }).click();
    const card = page.locator("#links");
    await expect(card.getByRole("heading", { name: "Links and clicks" })).toBeVisible();
    await expect(statOf(card, "Clicks")).toHaveText("1");
    await expect(card.getByRole("link", { name: "See this partner's links" })).toHaveAttribute("href", /\/admin\/links\?partner=/);
    await expectAccessible(page, "admin partner page with links");
    await signOut(page);
  });

  expect(errors).toEqual([]);
});
