import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectAccessible, expectNoHorizontalOverflow, signInAsAdmin, watchForPageErrors } from "./helpers";

const LOGO = path.resolve("tests/fixtures/logo.png");

test("admin uploads a logo, picks a colour with a live preview, and writes the summary the public page shows", async ({ page }) => {
  const errors = watchForPageErrors(page);
  await signInAsAdmin(page);
  await page.goto("/admin/settings");

  // The colour: typing the shorthand updates the preview before saving; the server stores it in full.
  const hex = page.getByLabel("Hex value");
  await hex.fill("#065");
  await expect(page.getByRole("group", { name: "Preview" })).toHaveAttribute("style", /--brand:\s*#006655/);
  await page.getByRole("button", { name: "Save identity" }).click();
  await expect(page.getByText("Program identity saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Hex value")).toHaveValue("#006655");

  await page.getByLabel("Logo file").setInputFiles(LOGO);
  await page.getByRole("button", { name: "Upload logo" }).click();
  await expect(page.getByText("Logo saved.")).toBeVisible();
  await expect(page.locator(".app-sidebar img.brand-logo")).toBeVisible();
  await expect(page.locator('link[rel="icon"][href^="/brand/favicon-32.png"]')).toHaveCount(1);

  await page.getByRole("combobox", { name: "Model for strategic" }).selectOption("revenue_share");
  await page.getByRole("textbox", { name: "Range for strategic" }).fill("10–15% of each sale");
  await page.getByLabel("Requirements").fill("- An audience of **5,000** or more");
  await page.getByRole("button", { name: "Save summary" }).click();
  await expect(page.getByText("Program summary saved.")).toBeVisible();
  await expectAccessible(page, "Settings with a logo");

  await page.context().clearCookies();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "What partners earn" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "10–15% of each sale" })).toBeVisible();
  await expect(page.getByText("An audience of 5,000 or more")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Questions partners ask" })).toHaveCount(0);
  await expect(page.locator(".site-header img.brand-logo")).toBeVisible();
  await expectAccessible(page, "public page with the summary");
  await page.screenshot({ path: "test-results/branding-public-1280.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: "test-results/branding-public-390.png", fullPage: true });
  await page.goto("/login");
  await expect(page.locator(".site-header img.brand-logo")).toBeVisible();
  expect(errors).toEqual([]);
});
