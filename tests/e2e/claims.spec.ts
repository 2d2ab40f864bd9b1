import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { ensureTeamMember, expectAccessible, expectNoHorizontalOverflow, onboardPartner, signIn, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

const LEGAL = { name: "Lee Legal", email: "lee.legal@acme.test", password: "lee approves the claims" };
const PARTNER = { name: "Cora Claims", email: "cora@brightlane.example", password: "brightlane owner phrase 4" };
const CLAIM = "Lumen bulbs use up to 80% less energy.";
const DISCLAIMER = "Compared with a 60 W incandescent bulb.";

test("the brand writes a claim, legal approves it, and a partner copies it with its disclaimer and downloads the library", async ({ page, context }) => {
  const errors = watchForPageErrors(page);
  await ensureTeamMember(page, LEGAL, "legal_reviewer");

  await test.step("the admin writes a claim; mistakes are shown at their fields and the text is kept", async () => {
    await signInAsAdmin(page);
    await page.getByRole("link", { name: "Claims", exact: true }).click();
    await page.getByRole("link", { name: "New claim" }).click();
    await expect(page.getByRole("heading", { name: "New claim", level: 1 })).toBeVisible();
    await page.getByRole("textbox", { name: /^Claim/ }).fill(CLAIM);
    await page.getByLabel(/^Category/).fill("Energy savings");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Add at least one disclaimer.")).toBeVisible();
    await expect(page.getByText("Choose at least one channel.")).toBeVisible();
    await expect(page.getByRole("textbox", { name: /^Claim/ })).toHaveValue(CLAIM);
    await expectAccessible(page, "claim form with errors");
    await page.getByLabel(/^Required disclaimers/).fill(DISCLAIMER);
    await page.getByRole("checkbox", { name: "Website or blog" }).check();
    await page.getByRole("checkbox", { name: "Europe", exact: true }).check();
    await page.getByLabel(/^Substantiation/).fill("Lab report LR-2026-014");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Draft saved. A legal reviewer approves it")).toBeVisible();
    // Admins write claims but do not approve them.
    await expect(page.getByRole("button", { name: "Approve claim" })).toHaveCount(0);
    await signOut(page);
  });

  await test.step("the legal reviewer approves it", async () => {
    await signIn(page, LEGAL.email, LEGAL.password);
    await expect(page.getByRole("heading", { name: "Hello, Lee" })).toBeVisible();
    await page.goto("/admin/claims?status=draft");
    await page.getByRole("link", { name: CLAIM }).click();
    await page.getByRole("button", { name: "Approve claim" }).click();
    await expect(page.getByText("Approved. Partners in its channels and regions see it now.")).toBeVisible();
    await expectAccessible(page, "approved claim");
    await signOut(page);
  });

  await test.step("a partner working on websites in Europe copies the claim with its disclaimer", async () => {
    await onboardPartner(page, "Brightlane Reviews", PARTNER);
    await expect(page).toHaveURL(/\/partner$/);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("link", { name: "Claims", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Claims library" })).toBeVisible();
    await expect(page.getByText("Lab report")).toHaveCount(0);
    await expectAccessible(page, "claims library");
    await page.getByRole("button", { name: `Copy claim with disclaimers: ${CLAIM}` }).click();
    await expect(page.getByText("Copied with its disclaimers")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${CLAIM}\n${DISCLAIMER}`);
  });

  await test.step("and downloads the library as CSV", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toBe("claims-library.csv");
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv).toContain(CLAIM);
    expect(csv).toContain(DISCLAIMER);
    expect(csv).not.toContain("Lab report");
  });

  await test.step("the library fits a phone", async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.reload();
    await expectNoHorizontalOverflow(page);
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  expect(errors).toEqual([]);
});
