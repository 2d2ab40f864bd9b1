import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";
import { expectAccessible, expectNoHorizontalOverflow, onboardPartner, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

// People and names of this spec only: the journeys share one server with the other specs.
const PARTNER = { name: "Lina Line", email: "lina@linkline.example", password: "linkline owner phrase 42" };
const TITLE = "Linkline spring banner";
const FALLBACK = "https://acme.test/partners";
const DEFAULT_DESTINATION = "https://shop.acme.test/spring";

async function bannerImage(): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-links-e2e-")), "linkline-banner.png");
  await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#1f2a44" } })
    .png()
    .toFile(file);
  return file;
}

/** Links, from the area's navigation (a link's page has a "Links" breadcrumb too). */
async function openLinks(page: Page): Promise<void> {
  await page.getByRole("navigation", { name: "Brand team" }).getByRole("link", { name: "Links", exact: true }).click();
}

async function saveLinkSettings(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Save link settings" }).click();
}

test("the admin sets the fallback page and default destination, a creative's approval issues a link, and the admin disables it with a reason", async ({
  page,
}) => {
  // First-run setup when it runs first, a partner's onboarding and a creative's submission and approval.
  test.setTimeout(5 * 60_000);
  const errors = watchForPageErrors(page);
  let creativeId = "";

  await test.step("Settings → Links shows where the allowlist lives and refuses a default destination off it, keeping what was typed", async () => {
    await signInAsAdmin(page);
    await page.getByRole("link", { name: "Settings", exact: true }).click();
    await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Links", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Links", level: 1 })).toBeVisible();
    await expect(page.getByLabel("Click id parameter")).toHaveValue("cb_click");
    await expectAccessible(page, "link settings");
    await page.getByLabel("Default destination").fill("https://elsewhere.example/shop");
    await saveLinkSettings(page);
    // A fresh program has no allowlist yet; one that has (after other journeys) does not list this host.
    await expect(page.locator("#field-defaultDestinationUrl-error")).toContainText(/No destination domain is allowlisted yet|Use an https:\/\/ link/);
    await expect(page.getByLabel("Default destination")).toHaveValue("https://elsewhere.example/shop");
    await expectAccessible(page, "link settings, refused");
  });

  await test.step("the admin allowlists the program's domain in the pre-screen rules, then saves the fallback page and the default destination", async () => {
    await page.getByRole("link", { name: "Edit the allowlist in the pre-screen rules" }).click();
    // The links page lists the same domains under the same name: wait for the rules page's own field.
    await page.waitForURL(/\/admin\/settings\/prescreen(#.*)?$/);
    const allowlist = page.getByRole("textbox", { name: "Allowed destination domains" });
    const current = await allowlist.inputValue();
    if (!current.split("\n").includes("acme.test")) {
      await allowlist.fill([current, "acme.test"].filter(Boolean).join("\n"));
      await page.getByRole("button", { name: "Save as a new version" }).click();
      await expect(page.getByText(/^Saved as version \d+/)).toBeVisible();
    }
    await page.goto("/admin/settings/links");
    await expect(page.getByRole("list", { name: "Allowed destination domains" })).toContainText("acme.test");
    await page.getByLabel("Fallback page").fill(FALLBACK);
    await page.getByLabel("Default destination").fill(DEFAULT_DESTINATION);
    await saveLinkSettings(page);
    await expect(page.getByText("Link settings saved")).toBeVisible();
    await expect(page.getByLabel("Fallback page")).toHaveValue(FALLBACK);
    await expect(page.getByLabel("Default destination")).toHaveValue(DEFAULT_DESTINATION);
  });

  await test.step("Links is in the navigation", async () => {
    await openLinks(page);
    await expect(page.getByRole("heading", { name: "Links", level: 1 })).toBeVisible();
    // On a fresh program the list explains where links come from.
    if (await page.getByRole("heading", { name: "No links yet" }).count()) await expect(page.getByText("issued when a creative is approved")).toBeVisible();
    await expectAccessible(page, "links list");
    await signOut(page);
  });

  await test.step("a partner submits a creative without a destination of its own", async () => {
    await onboardPartner(page, "Linkline Media", PARTNER);
    await expect(page).toHaveURL(/\/partner$/);
    await page.goto("/partner/creatives/new");
    await page.getByLabel(/^Title/).fill(TITLE);
    await page.getByLabel(/^Channel/).selectOption("website_blog");
    await page.getByLabel(/^Placement/).fill("Sidebar banner");
    await page.getByRole("textbox", { name: /^Copy/ }).fill("#ad Spring light for every room. Read our guide.");
    await page.getByLabel(/^Disclosure/).fill("#ad at the start");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Draft saved", { exact: true })).toBeVisible();
    await page.getByLabel("Add a file").setInputFiles(await bannerImage());
    await page.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByText("File uploaded.")).toBeVisible();
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(page.getByText("Submitted for review")).toBeVisible();
    creativeId = new URL(page.url()).pathname.split("/").at(-1)!;
    await signOut(page);
  });

  await test.step("the admin approves it: the review page shows the link issued to the default destination", async () => {
    await signInAsAdmin(page);
    await page.goto(`/admin/creatives/${creativeId}`);
    const form = page.getByRole("form", { name: /^Your decision: brand review/ });
    await form.getByRole("radio", { name: "Approve", exact: true }).check();
    await form.getByRole("button", { name: "Record decision" }).click();
    await expect(page.getByText("Approved: the partner was told")).toBeVisible();
    const card = page.locator(".card", { has: page.getByRole("heading", { name: "Tracking link" }) });
    await expect(card).toContainText("/l/");
    await card.getByRole("link", { name: /^Link page/ }).click();
    await expect(page.getByRole("heading", { name: TITLE, level: 1 })).toBeVisible();
    await expect(page.getByText(`${DEFAULT_DESTINATION}?utm_source=`)).toBeVisible();
    await expectAccessible(page, "link page");
  });

  await test.step("the admin disables it from the list: too short a reason is refused with the text kept, then it is disabled", async () => {
    await openLinks(page);
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: TITLE, exact: true }) });
    await row.getByText("Disable…").click();
    await row.getByLabel("Reason").fill("spam");
    await row.getByRole("button", { name: "Disable link" }).click();
    await expect(page.getByText("Give a reason of at least 5 characters")).toBeVisible();
    await expect(page.getByLabel("Reason")).toHaveValue("spam");
    await page.getByLabel("Reason").fill("Shared on a coupon site without disclosure.");
    await page.getByRole("button", { name: "Disable link" }).click();
    await expect(page.getByText(/^Link \w+ disabled$/)).toBeVisible();
    // Back on the list, where the form was first sent from.
    await expect(page.getByRole("heading", { name: "Links", level: 1 })).toBeVisible();
    const disabled = page.getByRole("row").filter({ has: page.getByRole("link", { name: TITLE, exact: true }) });
    await expect(disabled).toContainText("Disabled");
    await expect(disabled).toContainText("Shared on a coupon site without disclosure.");
    await expectAccessible(page, "links list with a disabled link");
    await disabled.getByRole("link", { name: TITLE, exact: true }).click();
    await expect(page.getByText("Visitors go to the fallback page: link disabled")).toBeVisible();
    await expect(page.getByRole("list", { name: "Link history, newest first" })).toContainText("Disabled by Ada Admin");
  });

  await test.step("fits a phone", async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.reload();
    await expectNoHorizontalOverflow(page);
    for (const url of ["/admin/links", "/admin/settings/links"]) {
      await page.goto(url);
      await expectNoHorizontalOverflow(page);
    }
    await expectAccessible(page, "link settings at phone width");
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  expect(errors).toEqual([]);
});
