import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { makePdf } from "../support/pdf";
import {
  bannerImage,
  decide,
  ensureTeamMember,
  expectAccessible,
  expectNoHorizontalOverflow,
  onboardPartnerPastPolicies,
  queueRow,
  signInAs,
  signInAsAdmin,
  signOut,
  startCreative,
  tmpFile,
  uploadFile,
  watchForPageErrors,
} from "./helpers";

// People and names of this spec only: the journeys share one server with the other specs.
const BRAND = { name: "Rae Review", email: "rae.review@acme.test", password: "rae reviews the brand side" };
const LEGAL = { name: "Lou Counsel", email: "lou.counsel@acme.test", password: "lou checks every claim twice" };
const FIRST_PARTNER = { name: "Bea Beacon", email: "bea@beaconreviews.example", password: "beacon reviews owner phrase" };
const SECOND_PARTNER = { name: "Gil Glow", email: "gil@glownotes.example", password: "glow notes owner phrase 22" };
const CLAIM = "Lumen Beam lights a whole room in under a second.";
const DISCLAIMER = "Measured in a 20 square metre room.";

const FIRST_TITLE = "Beacon buying guide";
/** The second journey's creative, which the phone-width checks open again. */
const SECOND_TITLE = "Glow notes desk lamp review";

function brochurePdf(name: string): string {
  const file = tmpFile(name);
  fs.writeFileSync(file, makePdf(2));
  return file;
}

test("submit → brand approves with required changes → partner uploads v2 → brand confirms → legal approves (a second person) → approved", async ({ page }) => {
  // Two team members, a claim, a partner's onboarding and a dozen sign-ins: minutes on a busy machine.
  test.setTimeout(8 * 60_000);
  const errors = watchForPageErrors(page);
  const title = FIRST_TITLE;
  let reviewUrl = "";

  await test.step("the team has a brand reviewer and a legal reviewer, and the library a claim allowed on websites in Europe", async () => {
    await ensureTeamMember(page, BRAND, "brand_reviewer");
    await ensureTeamMember(page, LEGAL, "legal_reviewer");
    await signInAsAdmin(page);
    await page.goto("/admin/claims/new");
    await page.getByRole("textbox", { name: /^Claim/ }).fill(CLAIM);
    await page.getByLabel(/^Required disclaimers/).fill(DISCLAIMER);
    await page.getByLabel(/^Category/).fill("Performance");
    await page.getByRole("checkbox", { name: "Website or blog" }).check();
    await page.getByRole("checkbox", { name: "Europe", exact: true }).check();
    await page.getByLabel(/^Substantiation/).fill("Lab test LB-2026-07");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Draft saved. A legal reviewer approves it")).toBeVisible();
    const claimUrl = page.url();
    await signOut(page);
    await signInAs(page, LEGAL);
    await expect(page.getByRole("heading", { name: "Hello, Lou" })).toBeVisible();
    await page.goto(claimUrl);
    await page.getByRole("button", { name: "Approve claim" }).click();
    await expect(page.getByText("Approved.")).toBeVisible();
    await signOut(page);
  });

  await test.step("a partner submits a creative that uses the claim, with an image and a PDF", async () => {
    await onboardPartnerPastPolicies(page, "Beacon Reviews", FIRST_PARTNER);
    await startCreative(page, {
      title,
      placement: "Guide hero banner",
      claim: CLAIM,
      copy: `Our pick for the living room. ${CLAIM} ${DISCLAIMER} Read the full guide.`,
    });
    await uploadFile(page, await bannerImage("beacon-hero.png", "#1f2a44"));
    await uploadFile(page, brochurePdf("beacon-brochure.pdf"));
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(page.getByText("Submitted for review")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Version 1", exact: true })).toBeVisible();
    await signOut(page);
  });

  await test.step("the brand reviewer finds it in the Brand tab with its due time, and claims it", async () => {
    await signInAs(page, BRAND);
    await expect(page.getByRole("heading", { name: "Hello, Rae" })).toBeVisible();
    const row = await queueRow(page, "Brand", title);
    await expect(row).toContainText("Beacon Reviews");
    await expect(row).toContainText(/due in \d/);
    await expectAccessible(page, "review queue");
    await row.getByRole("button", { name: `Claim brand review of ${title}` }).click();
    await expect(row).toContainText(BRAND.name);
    await row.getByRole("link", { name: title, exact: true }).click();
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    reviewUrl = page.url();
    await expect(page.getByText(/Stages required by Rule \d “Uses claims”/)).toBeVisible();
    await expect(page.getByText(`Claimed by ${BRAND.name}`)).toBeVisible();
  });

  await test.step("the PDF's pages are rendered on the review page", async () => {
    await page.getByRole("navigation", { name: "Files of version 1" }).getByRole("link", { name: "beacon-brochure.pdf" }).click();
    const pageImage = page.getByRole("img", { name: "Page 1 of beacon-brochure.pdf" });
    await expect(pageImage).toBeVisible();
    await expect.poll(() => pageImage.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await expect(page.getByText("Page 1 of 2")).toBeVisible();
    const thumbnails = page.getByRole("list", { name: "Pages of beacon-brochure.pdf" }).getByRole("listitem");
    await expect(thumbnails).toHaveCount(2);
    await thumbnails.nth(1).getByRole("link").click();
    await expect(page.getByRole("img", { name: "Page 2 of beacon-brochure.pdf" })).toBeVisible();
    await expect
      .poll(() => page.getByRole("img", { name: "Page 2 of beacon-brochure.pdf" }).evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
  });

  await test.step("with the keyboard, the reviewer comments on the PDF's second page", async () => {
    await page.getByRole("button", { name: "Add comment on this page" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("textbox", { name: "Comment on page 2" })).toBeFocused();
    await page.keyboard.type("The price table on this page is from last season.");
    await page.getByRole("button", { name: "Add comment" }).press("Enter");
    const comments = page.getByRole("region", { name: "Comments on version 1" });
    await expect(comments).toContainText("The price table on this page is from last season.");
    await expect(comments).toContainText("beacon-brochure.pdf, page 2");
  });

  await test.step("the brand reviewer pins a comment on the image and approves with required changes", async () => {
    await page.getByRole("navigation", { name: "Files of version 1" }).getByRole("link", { name: "beacon-hero.png" }).click();
    const image = page.getByRole("img", { name: "Preview of beacon-hero.png" });
    await expect(image).toBeVisible();
    await image.click({ position: { x: 60, y: 40 } });
    const pinForm = page.getByRole("form", { name: "Comment at this point" });
    await pinForm.getByLabel("Comment at this point").fill("Use the light logo on this dark corner.");
    await pinForm.getByRole("button", { name: "Add comment" }).click();
    await expect(page.locator(".review-viewer__stage").getByRole("link", { name: "Comment 2" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Comments on version 1" })).toContainText("Use the light logo on this dark corner.");
    await expectAccessible(page, "review page with a pinned comment");
    await decide(page, "Approve with required changes", "Swap the logo for the light one; the rest is fine.");
    await expect(page.getByText("Recorded: the partner was asked for a new version.")).toBeVisible();
    await signOut(page);
  });

  await test.step("the partner sees the status, the comment and the numbered pin on their image", async () => {
    await signInAs(page, FIRST_PARTNER);
    await page.goto("/partner/creatives");
    await page.getByRole("link", { name: title }).click();
    await expect(page.getByText("Changes requested").first()).toBeVisible();
    await expect(page.getByText("Swap the logo for the light one; the rest is fine.").first()).toBeVisible();
    const versionOne = page.locator(".review-viewer-host").first();
    await expect(versionOne.getByRole("img", { name: "Preview of beacon-hero.png" })).toBeVisible();
    await expect(versionOne.locator(".review-viewer__stage").getByRole("link", { name: "Comment 2" })).toBeVisible();
    await expect(versionOne.getByRole("region", { name: "Comments from the review team on version 1" })).toContainText(
      "Use the light logo on this dark corner.",
    );
    await expectAccessible(page, "partner creative with changes requested");
  });

  await test.step("the partner replaces the image, edits the copy and submits version 2", async () => {
    await page.getByRole("button", { name: "Remove beacon-hero.png" }).click();
    await expect(page.getByText("File removed.")).toBeVisible();
    await uploadFile(page, await bannerImage("beacon-hero-light-logo.png", "#2b3a5c"));
    await page.getByRole("textbox", { name: /^Copy/ }).fill(`Our pick for any living room. ${CLAIM} ${DISCLAIMER} Read the full guide.`);
    await page.getByRole("button", { name: "Submit version 2" }).click();
    await expect(page.getByText("Version 2 submitted")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Version 2", exact: true })).toBeVisible();
    await signOut(page);
  });

  await test.step("the brand reviewer sees the stage confirms its required changes, and approves", async () => {
    await signInAs(page, BRAND);
    await expect(page.getByRole("heading", { name: "Hello, Rae" })).toBeVisible();
    const row = await queueRow(page, "Brand", title);
    await expect(row).toContainText("confirms v1 changes");
    await row.getByRole("link", { name: title, exact: true }).click();
    await expect(page.getByText("Confirms the changes it required on version 1.")).toBeVisible();
    await page.getByRole("navigation", { name: "Files of version 2" }).getByRole("link", { name: "beacon-hero-light-logo.png" }).click();
    await expect(page.getByRole("img", { name: "Preview of beacon-hero-light-logo.png" })).toBeVisible();
    await decide(page, "Approve");
    await expect(page.getByText("Approved. The next stage's reviewers were told it is their turn.")).toBeVisible();
    // The brand reviewer has decided: the legal stage is someone else's.
    await expect(page.getByRole("form", { name: /^Your decision/ })).toHaveCount(0);
    await signOut(page);
  });

  await test.step("the legal reviewer, a second person, approves", async () => {
    await signInAs(page, LEGAL);
    await expect(page.getByRole("heading", { name: "Hello, Lou" })).toBeVisible();
    const row = await queueRow(page, "Legal", title);
    await expect(row).toContainText("v2");
    await row.getByRole("link", { name: title, exact: true }).click();
    await expect(page).toHaveURL(reviewUrl);
    await expect(page.getByRole("heading", { name: "Your decision: legal review of version 2" })).toBeVisible();
    await decide(page, "Approve");
    await expect(page.getByText("Approved: the partner was told, and the creative can go live as this version.")).toBeVisible();
    await signOut(page);
  });

  await test.step("the partner sees it approved, and their checklist ticks it", async () => {
    await signInAs(page, FIRST_PARTNER);
    await expect(page.getByText("Done: First creative approved")).toBeAttached();
    await page.goto("/partner/creatives");
    await page.getByRole("link", { name: title }).click();
    await expect(page.getByText("Approved", { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("button", { name: /^Submit version/ })).toHaveCount(0);
    await signOut(page);
  });

  expect(errors).toEqual([]);
});

test("request changes → v2 → compare → approve", async ({ page }) => {
  test.setTimeout(5 * 60_000);
  const errors = watchForPageErrors(page);
  const title = SECOND_TITLE;
  let reviewUrl = "";
  let partnerUrl = "";

  await test.step("a standard-tier partner submits a website creative without claims: brand review only", async () => {
    await ensureTeamMember(page, BRAND, "brand_reviewer");
    await onboardPartnerPastPolicies(page, "Glow Notes", SECOND_PARTNER);
    await startCreative(page, { title, placement: "Review sidebar", copy: "A calm desk lamp for late evenings. Warm light, quiet switch." });
    partnerUrl = new URL(page.url()).pathname;
    await uploadFile(page, await bannerImage("glow-sidebar.png", "#3d2b1f"));
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(page.getByText("Submitted for review")).toBeVisible();
    await signOut(page);
  });

  await test.step("the brand reviewer asks for changes: first without a comment, which the form refuses and keeps the choice", async () => {
    await signInAs(page, BRAND);
    await expect(page.getByRole("heading", { name: "Hello, Rae" })).toBeVisible();
    const row = await queueRow(page, "Brand", title);
    await row.getByRole("link", { name: title, exact: true }).click();
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    reviewUrl = new URL(page.url()).pathname;
    await expect(page.getByText(/Stages required by Rule \d “Everything else”/)).toBeVisible();
    await expect(page.getByText("Legal review")).toHaveCount(0);
    await decide(page, "Request changes");
    const form = page.getByRole("form", { name: /^Your decision/ });
    await expect(form.getByText("a comment is required for this decision")).toBeVisible();
    await expect(form.getByLabel("Comment to the partner")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByRole("radio", { name: "Request changes", exact: true })).toBeChecked();
    await expectAccessible(page, "decision form with an error");
    await decide(page, "Request changes", "Name the lamp in the first sentence.");
    await expect(page.getByText("Recorded: the partner was asked for a new version.")).toBeVisible();
    await signOut(page);
  });

  await test.step("the partner changes the copy and resubmits", async () => {
    await signInAs(page, SECOND_PARTNER);
    await page.goto(partnerUrl);
    await expect(page.getByText("Name the lamp in the first sentence.").first()).toBeVisible();
    await page.getByRole("textbox", { name: /^Copy/ }).fill("The Lumen Desk is a calm lamp for late evenings. Warm light, quiet switch.");
    await page.getByRole("button", { name: "Submit version 2" }).click();
    await expect(page.getByText("Version 2 submitted")).toBeVisible();
    await signOut(page);
  });

  await test.step("the reviewer compares the versions, sees the words that changed, and approves", async () => {
    await signInAs(page, BRAND);
    await expect(page.getByRole("heading", { name: "Hello, Rae" })).toBeVisible();
    await page.goto(reviewUrl);
    await page.getByRole("link", { name: "Compare versions" }).click();
    await expect(page.getByRole("heading", { name: `Compare versions of ${title}` })).toBeVisible();
    await expect(page.locator(".word-diff ins").filter({ hasText: "Lumen Desk" }).first()).toBeVisible();
    await expect(page.locator(".word-diff del").filter({ hasText: "A" }).first()).toBeVisible();
    await expectAccessible(page, "compare versions");
    await page.getByRole("link", { name: title }).click();
    await decide(page, "Approve");
    await expect(page.getByText("Approved: the partner was told, and the creative can go live as this version.")).toBeVisible();
    await signOut(page);
  });

  await test.step("the partner sees it approved", async () => {
    await signInAs(page, SECOND_PARTNER);
    await page.goto(partnerUrl);
    await expect(page.getByText("Approved", { exact: true }).first()).toBeVisible();
    await signOut(page);
  });

  expect(errors).toEqual([]);
});

test("the queue, the review page, the compare page and the partner's creative fit a phone and pass axe", async ({ page }) => {
  test.slow();
  const errors = watchForPageErrors(page);
  await page.setViewportSize({ width: 375, height: 740 });
  const fits = async (label: string) => {
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await expectAccessible(page, `${label} on a phone`);
  };

  await signInAs(page, BRAND);
  await page.goto("/admin/creatives?tab=brand");
  await fits("review queue");
  // The second journey's creative, found the way a reviewer would: decided, by its title.
  // The first journey's, with its pins and the PDF's page thumbnails.
  await page.goto(`/admin/creatives?${new URLSearchParams({ tab: "decided", q: FIRST_TITLE })}`);
  await page.getByRole("link", { name: FIRST_TITLE, exact: true }).click();
  await fits("review page with files and pins");
  await page.getByRole("navigation", { name: "Files of version 2" }).getByRole("link", { name: "beacon-brochure.pdf" }).click();
  await expect(page.getByRole("img", { name: "Page 1 of beacon-brochure.pdf" })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await page.goto(`/admin/creatives?${new URLSearchParams({ tab: "decided", q: SECOND_TITLE })}`);
  await fits("decided tab");
  await page.getByRole("link", { name: SECOND_TITLE, exact: true }).click();
  await fits("review page");
  await page.getByRole("link", { name: "Compare versions" }).click();
  await expect(page.getByRole("heading", { name: `Compare versions of ${SECOND_TITLE}` })).toBeVisible();
  await fits("compare page");
  await signOut(page);

  await signInAs(page, SECOND_PARTNER);
  await page.goto("/partner/creatives");
  await page.getByRole("link", { name: SECOND_TITLE, exact: true }).click();
  await fits("partner creative");
  await signOut(page);

  expect(errors).toEqual([]);
});
