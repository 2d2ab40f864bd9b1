import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { zipEntryNames } from "../support/zip";
import { expectAccessible, expectNoHorizontalOverflow, onboardPartner, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

const PARTNER = { name: "Ava Assets", email: "ava@glowlane.example", password: "glowlane owner phrase 8" };

test("the admin uploads an SVG logo (a scripted one is cleaned), and a partner downloads it as a 512 px PNG", async ({ page }) => {
  const errors = watchForPageErrors(page);

  await test.step("a PDF posing as an image is refused at the file field", async () => {
    await signInAsAdmin(page);
    await page.getByRole("link", { name: "Assets", exact: true }).click();
    await page.getByRole("link", { name: "Upload an asset" }).first().click();
    await expect(page.getByRole("heading", { name: "Upload an asset", level: 1 })).toBeVisible();
    await expectAccessible(page, "upload form");
    await page.getByRole("radio", { name: /^Image/ }).check();
    await page.getByLabel(/^File/).setInputFiles(path.resolve("tests/fixtures/hostile/pdf-named.png"));
    await page.getByLabel(/^Title/).fill("Not really a photo");
    await page.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByText("This file is a PDF file. Images must be PNG or JPEG or WebP.")).toBeVisible();
  });

  await test.step("an SVG logo with a script uploads, with progress, and is stored clean", async () => {
    await page.goto("/admin/assets/new");
    await page.getByRole("radio", { name: /^Logo/ }).check();
    await page.getByLabel(/^File/).setInputFiles(path.resolve("tests/fixtures/hostile/script.svg"));
    await page.getByLabel(/^Title/).fill("Glow logo");
    await page.getByLabel(/^Category/).fill("Logos");
    await page.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByText("Uploaded and checked.")).toBeVisible();
    await expect(page.getByText("SVG · 1200 × 400 px")).toBeVisible();
    await expect(page.getByRole("img", { name: "Preview of Glow logo" })).toBeVisible();
    const original = await page.request.get(page.url().split("?")[0] + "/original");
    const svg = await original.text();
    expect(svg).toContain("<svg");
    expect(svg).not.toMatch(/<script|onload/);
  });

  await test.step("the admin bundles it into a kit with the claims sheet", async () => {
    await page.goto("/admin/assets");
    await page.getByRole("link", { name: "Kits", exact: true }).click();
    await page.getByLabel(/^Name/).fill("Starter kit");
    await page.getByRole("checkbox", { name: "Include the claims sheet" }).check();
    await page.getByRole("button", { name: "Create kit" }).click();
    await expect(page.getByText("Kit created.")).toBeVisible();
    await page.getByLabel(/^Asset/).selectOption({ label: "Glow logo" });
    await page.getByLabel(/^Format/).selectOption("png");
    await page.getByLabel(/^Width/).selectOption("512");
    await page.getByRole("button", { name: "Add to kit" }).click();
    await expect(page.getByText("Added to the kit.")).toBeVisible();
    await expectAccessible(page, "kit editor");
    await signOut(page);
  });

  await test.step("a partner finds it in the hub and downloads a 512 px PNG", async () => {
    await onboardPartner(page, "Glowlane Media", PARTNER);
    await expect(page).toHaveURL(/\/partner$/);
    await page.getByRole("link", { name: "Assets", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Brand assets" })).toBeVisible();
    await expectAccessible(page, "asset hub");
    await page.getByRole("link", { name: "Glow logo" }).click();
    await expect(page.getByRole("heading", { name: "Glow logo", level: 1 })).toBeVisible();
    await page.getByRole("radio", { name: "PNG" }).check();
    await page.getByLabel(/^Width/).selectOption("512");
    await expectAccessible(page, "asset page");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download" }).click()]);
    expect(download.suggestedFilename()).toBe("glow-logo-v1-512px.png");
    const file = fs.readFileSync((await download.path())!);
    expect(await sharp(file).metadata()).toMatchObject({ format: "png", width: 512, height: 171 });
  });

  await test.step("and downloads the kit as a ZIP with sensibly named entries", async () => {
    await page.getByRole("link", { name: "Brand assets" }).first().click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download Starter kit (ZIP)" }).click()]);
    expect(download.suggestedFilename()).toBe("starter-kit.zip");
    expect(zipEntryNames(fs.readFileSync((await download.path())!))).toEqual(["glow-logo-v1-512px.png", "claims.csv"]);
    await page.goto("/partner");
    await expect(page.getByText("Your organisation has the brand kit.")).toBeVisible();
  });

  await test.step("the hub fits a phone", async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto("/partner/assets");
    await expectNoHorizontalOverflow(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await signOut(page);
  });

  expect(errors).toEqual([]);
});
