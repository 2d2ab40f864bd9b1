import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { zipEntryNames } from "../support/zip";
import { expectAccessible, expectNoHorizontalOverflow, onboardPartner, signIn, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

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
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  expect(errors).toEqual([]);
});

test("the admin cannot upload the same file again as a new version, the form resets after a new one, and search ignores accents", async ({ page }) => {
  const errors = watchForPageErrors(page);

  await test.step("an image with an accented title is uploaded", async () => {
    await signInAsAdmin(page);
    await page.goto("/admin/assets/new");
    await page.getByRole("radio", { name: /^Image/ }).check();
    await page.getByLabel(/^File/).setInputFiles(path.resolve("tests/fixtures/photo.jpg"));
    await page.getByLabel(/^Title/).fill("Café terrace");
    await page.getByLabel(/^Category/).fill("Photos");
    await page.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByText("Uploaded and checked.")).toBeVisible();
  });

  const versionForm = page.getByRole("form", { name: "Upload a new version" });
  await test.step("the same file again is refused, clearly", async () => {
    await versionForm.getByLabel(/^File/).setInputFiles(path.resolve("tests/fixtures/photo.jpg"));
    await versionForm.getByLabel(/^What changed/).fill("Nothing, really");
    await versionForm.getByRole("button", { name: "Upload version" }).click();
    await expect(versionForm.getByText("This file is identical to version 1.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Version 1" })).toBeVisible();
  });

  await test.step("a different file becomes version 2 with its note, and the form is empty again", async () => {
    await versionForm.getByLabel(/^File/).setInputFiles(path.resolve("tests/fixtures/logo.png"));
    await versionForm.getByLabel(/^What changed/).fill("A lighter crop for banners.");
    await versionForm.getByRole("button", { name: "Upload version" }).click();
    await expect(page.getByText("New version uploaded.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Version 2" })).toBeVisible();
    await expect(versionForm.getByLabel(/^File/)).toHaveValue("");
    await expect(versionForm.getByLabel(/^What changed/)).toHaveValue("");
    await expect(versionForm.getByText("This file is identical")).toHaveCount(0);
    await expect(page.locator(".timeline").getByText("A lighter crop for banners.")).toBeVisible();
    await expectAccessible(page, "asset page with a version note");
  });

  await test.step("the team's list finds it without the accent, with a count", async () => {
    await page.goto("/admin/assets");
    await page.getByRole("searchbox", { name: "Search" }).fill("cafe");
    await expect(page.getByText("1 asset matching “cafe”")).toBeVisible();
    await expect(page.getByRole("link", { name: "Café terrace" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Glow logo" })).toHaveCount(0);
    await signOut(page);
  });

  await test.step("a partner finds it the same way, reads the note, and clears a search that finds nothing", async () => {
    await signIn(page, PARTNER.email, PARTNER.password);
    await expect(page).toHaveURL(/\/partner$/);
    await page.getByRole("link", { name: "Assets", exact: true }).click();
    await page.getByRole("searchbox", { name: "Search" }).fill("CAFE terr");
    await expect(page.getByText("1 asset matching “CAFE terr”")).toBeVisible();
    await page.getByRole("link", { name: "Café terrace" }).click();
    await expect(page.getByText("What changed in version 2: A lighter crop for banners.")).toBeVisible();
    await expect(page.getByLabel(/^Width/).locator("option", { hasText: "Original size (1200 px)" })).toHaveCount(1);
    await page.goto("/partner/assets?q=nothing-like-this");
    await expect(page.getByRole("heading", { name: "No assets match “nothing-like-this”" })).toBeVisible();
    await expectAccessible(page, "asset hub with no match");
    await page.getByRole("link", { name: "Clear the search" }).click();
    await expect(page.getByText("2 assets")).toBeVisible();
  });

  expect(errors).toEqual([]);
});
