import { expect, test, type Page } from "@playwright/test";
import {
  BROWSER_AGENT,
  bannerImage,
  expectAccessible,
  makeShopLink,
  signInAs,
  signInAsAdmin,
  signOut,
  startCreative,
  uploadFile,
  watchForPageErrors,
} from "./helpers";

// Journey 8's kill switch: the admin pauses a partner, its link sends
// visitors to the fallback page at once, its open submission is withdrawn and
// the partner sees why; resuming gives the link back.

// People and names of this spec only: the journeys share one server with the other specs.
const OWNER = { name: "Nora North", email: "nora@northwindlights.example", password: "northwind owner pass phrase" };
const PARTNER = { company: "Northwind Lights", owner: OWNER, shop: "shop.lumen-lifecycle.example" };
const LINK_NAME = "Northwind lamp guide";
const TITLE = "Northwind winter banner";
const REASON = "A misleading energy-saving claim on the winter campaign.";

/** Where the short link sends a visitor now (the redirect, not followed). */
async function destinationOf(page: Page, shortUrl: string): Promise<string> {
  const response = await page.request.get(shortUrl, { maxRedirects: 0, headers: { "User-Agent": BROWSER_AGENT } });
  expect(response.status()).toBe(302);
  return response.headers()["location"]!;
}

const lifecycleForm = (page: Page, intent: "pause" | "resume" | "terminate") => page.locator(`form:has(input[name="intent"][value="${intent}"])`);

test("the admin pauses a partner: its link goes to the fallback, its open submission is withdrawn, the partner sees why; resuming restores the link", async ({
  page,
}) => {
  test.setTimeout(4 * 60_000);
  const errors = watchForPageErrors(page);
  let shortUrl = "";
  let partnerPage = "";

  await test.step("the admin allowlists the shop's domain; the partner makes a link to the shop and sends a creative for review", async () => {
    shortUrl = await makeShopLink(page, PARTNER, { name: LINK_NAME, path: "/winter-lamps" });
    expect(await destinationOf(page, shortUrl)).toMatch(new RegExp(`^https://${PARTNER.shop.replace(/\./g, "\\.")}/winter-lamps\\?`));

    await startCreative(page, { title: TITLE, placement: "Homepage hero", copy: "Northwind picks the Lumen Beam for long winter evenings." });
    await uploadFile(page, await bannerImage("northwind-winter.png", "#1d3557"));
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(page.getByText("Submitted for review")).toBeVisible();
    await signOut(page);
  });

  await test.step("the admin pauses the partner: a reason is required, and what was typed is kept", async () => {
    await signInAsAdmin(page);
    await page.goto(`/admin/partners?q=${encodeURIComponent(PARTNER.company)}`);
    await page.getByRole("link", { name: PARTNER.company, exact: true }).click();
    await expect(page.getByRole("heading", { name: PARTNER.company, level: 1 })).toBeVisible();
    partnerPage = page.url();
    await page.getByText("Pause partner", { exact: true }).first().click();
    const pause = lifecycleForm(page, "pause");
    await expect(pause.getByText(/sends visitors to the fallback page, downloads and kits are refused, open submissions are withdrawn/)).toBeVisible();
    await pause.getByRole("button", { name: "Pause partner" }).click();
    await expect(lifecycleForm(page, "pause").getByText("The reason is required.")).toBeVisible();
    await lifecycleForm(page, "pause").getByLabel("Reason").fill(REASON);
    await lifecycleForm(page, "pause").getByRole("button", { name: "Pause partner" }).click();
    await expect(page.getByText(/^Partner paused: their links go to the fallback page\. 1 open submission was withdrawn\./)).toBeVisible();
    await expect(page.getByText("Paused since")).toBeVisible();
    await expect(page.locator("#lifecycle").getByText(REASON)).toBeVisible();
    await expectAccessible(page, "partner page, paused");
  });

  await test.step("the partner's link sends visitors to the fallback page at once", async () => {
    expect(await destinationOf(page, shortUrl)).not.toContain(PARTNER.shop);
    await signOut(page);
  });

  await test.step("the partner sees why, and finds the submission withdrawn and new links refused", async () => {
    await signInAs(page, OWNER);
    const banner = page.locator(".area-notice").filter({ hasText: "Your partnership is paused" });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText(REASON);
    await expectAccessible(page, "partner home, paused");
    await page.goto("/partner/creatives");
    await page.getByRole("link", { name: TITLE }).click();
    await expect(page.getByText(`The partnership was paused: ${REASON}`)).toBeVisible();
    await page.goto("/partner/links/new");
    await expect(page.getByText("Your partnership is paused, so no new links can be made.")).toBeVisible();
    // Downloads: the pages offer none, and the server refuses one asked for directly (the logo and kit of assets.spec).
    await page.goto("/partner/assets");
    await expect(page.getByText("Downloads are closed while your partnership is paused.").first()).toBeVisible();
    await page.getByRole("link", { name: "Glow logo" }).click();
    await expect(page.getByRole("heading", { name: "Glow logo", level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: "Download" })).toHaveCount(0);
    await expect(page.getByText("Downloads are closed while your partnership is paused.")).toBeVisible();
    const refused = await page.request.get(`${page.url().split("?")[0]}/download?format=png&width=512`);
    expect(refused.status()).toBe(403);
    await signOut(page);
  });

  await test.step("the admin resumes the partner: the link goes to the shop again", async () => {
    await signInAsAdmin(page);
    await page.goto(partnerPage);
    await lifecycleForm(page, "resume").getByRole("button", { name: "Resume partner" }).click();
    await expect(page.getByText(/^Partner resumed: their links are live again\./)).toBeVisible();
    expect(await destinationOf(page, shortUrl)).toMatch(new RegExp(`^https://${PARTNER.shop.replace(/\./g, "\\.")}/winter-lamps\\?`));
    await signOut(page);
  });

  expect(errors).toEqual([]);
});
