import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { ensureTeamMember, expectAccessible, expectNoHorizontalOverflow, onboardPartner, signIn, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

const LEGAL = { name: "Lee Legal", email: "lee.legal@acme.test", password: "lee approves the claims" };
const PARTNER = { name: "Cleo Creative", email: "cleo@haloreviews.example", password: "halo reviews owner phrase 3" };
const CLAIM = "Lumen Halo lasts up to 25,000 hours.";
const DISCLAIMER = "Based on 3 hours of use a day.";

/** A feed-sized image (the organic social rules ask for at least 1080 px wide). */
async function feedImage(): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-e2e-")), "halo-feed.png");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1200"><rect width="1200" height="1200" fill="#1f2a44"/><circle cx="600" cy="520" r="260" fill="#f5c542"/><text x="600" y="1000" font-size="90" text-anchor="middle" fill="#fff" font-family="sans-serif">Lumen Halo</text></svg>`;
  await sharp(Buffer.from(svg)).png().toFile(file);
  return file;
}

test("a partner writes a creative, the pre-screen marks what to fix as they type, they upload an image with progress and submit; the brand sees it", async ({
  page,
}) => {
  // A long journey (two people, an upload, the brand's queue): 38 s on an idle CI machine, more on a busy one.
  test.setTimeout(2 * 60_000);
  const errors = watchForPageErrors(page);
  await ensureTeamMember(page, LEGAL, "legal_reviewer");

  await test.step("the brand's library has a claim allowed on organic social in Europe", async () => {
    await signInAsAdmin(page);
    await page.goto("/admin/claims/new");
    await page.getByRole("textbox", { name: /^Claim/ }).fill(CLAIM);
    await page.getByLabel(/^Required disclaimers/).fill(DISCLAIMER);
    await page.getByLabel(/^Category/).fill("Lifetime");
    await page.getByRole("checkbox", { name: "Organic social" }).check();
    await page.getByRole("checkbox", { name: "Website or blog" }).check();
    await page.getByRole("checkbox", { name: "Europe", exact: true }).check();
    await page.getByLabel(/^Substantiation/).fill("Lifetime test LT-2026-03");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Draft saved. A legal reviewer approves it")).toBeVisible();
    const claimUrl = page.url();
    await signOut(page);
    await signIn(page, LEGAL.email, LEGAL.password);
    await expect(page.getByRole("heading", { name: "Hello, Lee" })).toBeVisible();
    await page.goto(claimUrl);
    await page.getByRole("button", { name: "Approve claim" }).click();
    await expect(page.getByText("Approved.")).toBeVisible();
    await signOut(page);
  });

  await test.step("a new partner starts a creative with no disclosure and a claim without its disclaimer: both are marked live", async () => {
    await onboardPartner(page, "Halo Reviews", PARTNER);
    await expect(page).toHaveURL(/\/partner$/);
    await expect(page.getByText("To do: Submit your first creative")).toBeAttached();
    await page
      .getByRole("list", { name: "Onboarding checklist" })
      .getByRole("listitem")
      .filter({ hasText: "Submit your first creative" })
      .getByRole("link", { name: "Creatives" })
      .click();
    await expect(page.getByRole("heading", { name: "No creatives yet" })).toBeVisible();
    await expectAccessible(page, "empty creatives list");
    await page.getByRole("link", { name: "New creative" }).first().click();
    await page.getByLabel(/^Title/).fill("Halo launch post");
    await page.getByLabel(/^Channel/).selectOption("organic_social");
    await page.getByLabel(/^Placement/).fill("Instagram feed post");
    await page.getByRole("checkbox", { name: CLAIM }).check();
    await page.getByRole("textbox", { name: /^Copy/ }).fill(`Our new favourite lamp is here. ${CLAIM} Tap the link to see it glow.`);
    const checks = page.getByRole("complementary", { name: "Pre-screen" });
    await expect(checks.getByText("Disclosure missing")).toBeVisible();
    await expect(checks.getByText("Disclaimer missing")).toBeVisible();
    await expect(page.locator("mark.hl--error").first()).toBeAttached();
    await expectAccessible(page, "creative editor with findings");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Draft saved", { exact: true })).toBeVisible();
  });

  await test.step("submitting with errors is refused, and nothing typed is lost", async () => {
    await page.getByLabel("Add a file").setInputFiles(await feedImage());
    await page.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByText("File uploaded.")).toBeVisible();
    await expect(page.getByRole("img", { name: "Preview of halo-feed.png" })).toBeVisible();
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(page.getByText("Not submitted yet", { exact: true })).toBeVisible();
    await expect(page.getByRole("textbox", { name: /^Copy/ })).toHaveValue(/Tap the link to see it glow/);
  });

  await test.step("the partner fixes both, the pre-screen clears, and the creative is submitted", async () => {
    await page.getByRole("textbox", { name: /^Copy/ }).fill(`#ad Our new favourite lamp is here. ${CLAIM} ${DISCLAIMER} Tap the link to see it glow.`);
    await page.getByLabel(/^Disclosure/).fill("#ad at the start of the caption");
    await expect(page.getByRole("complementary", { name: "Pre-screen" }).getByText("Disclosure missing")).toHaveCount(0);
    await expect(page.getByRole("complementary", { name: "Pre-screen" }).getByText("Disclaimer missing")).toHaveCount(0);
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(page.getByText("Submitted for review")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Version 1" })).toBeVisible();
    await expectAccessible(page, "submitted creative");
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalOverflow(page);
    await page.goto("/partner/creatives");
    await expect(page.getByRole("link", { name: "Halo launch post" })).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto("/partner");
    await expect(page.getByText("Done: Submit your first creative")).toBeAttached();
    await signOut(page);
  });

  await test.step("the brand sees it in the creatives list with its version and files", async () => {
    await signInAsAdmin(page);
    await page.getByRole("link", { name: "Creatives", exact: true }).click();
    await page.getByRole("link", { name: "Halo launch post" }).click();
    await expect(page.getByText("Halo Reviews").first()).toBeVisible();
    await expect(page.getByRole("img", { name: "Preview of halo-feed.png" })).toBeVisible();
    await expectAccessible(page, "creative for the brand");
    await signOut(page);
  });

  expect(errors).toEqual([]);
});
