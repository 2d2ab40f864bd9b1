import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ensureTeamMember, expectAccessible, expectNoHorizontalOverflow, linkFromOutbox, signIn, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";
import { formatDate } from "../../app/lib/dates";

const REVIEWER = { name: "Bo Reviewer", email: "bo.reviewer@acme.test", password: "bo reviews applications 7" };

type Applicant = { company: string; name: string; email: string; website: string };

async function fillApplication(page: Page, applicant: Applicant, options: { consent?: boolean } = {}) {
  await page.getByLabel(/^Company/).fill(applicant.company);
  await page.getByLabel(/^Your name/).fill(applicant.name);
  await page.getByRole("textbox", { name: /^Email/ }).fill(applicant.email);
  await page.getByRole("textbox", { name: /^Website/ }).fill(applicant.website);
  await page.getByLabel(/^Social handles/).fill("@" + applicant.company.toLowerCase().replace(/\W+/g, ""));
  await page.getByRole("radio", { name: "Publisher" }).check();
  await page.getByRole("checkbox", { name: "Website or blog" }).check();
  await page.getByRole("checkbox", { name: "Email", exact: true }).check();
  await page.getByRole("checkbox", { name: "Europe", exact: true }).check();
  await page.getByLabel(/^Audience size/).fill("85000");
  await page.getByLabel(/^Describe your audience/).fill("Homeowners in Europe who read our weekly reviews of smart home products.");
  await page.getByLabel(/^How would you promote us/).fill("An in-depth review, a buying guide and a newsletter feature each quarter.");
  if (options.consent !== false) await page.getByRole("checkbox", { name: /I agree that the program may store/ }).check();
}

async function submitApplication(page: Page, applicant: Applicant): Promise<string> {
  await page.goto("/apply");
  await fillApplication(page, applicant);
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page.getByRole("heading", { name: "Application received" })).toBeVisible();
  return (await page.locator(".reference").textContent())!.trim();
}

async function openApplication(page: Page, company: string) {
  await page.getByRole("link", { name: "Applications", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Applications", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: company }).click();
  await expect(page.getByRole("heading", { name: company, level: 1 })).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await ensureTeamMember(page, REVIEWER, "brand_reviewer");
  await page.close();
});

test("apply, a reviewer approves, the partner accepts the emailed invitation and lands on the partner home", async ({ page }) => {
  const errors = watchForPageErrors(page);
  const applicant = { company: "Glow Home Journal", name: "Maya Fischer", email: "maya.fischer@mailbox.example", website: "https://glowhome.example" };
  let reference = "";

  await test.step("a visitor finds the program and applies; a mistake keeps what they typed", async () => {
    await page.goto("/");
    await page.getByRole("link", { name: "Apply now" }).click();
    await expect(page.getByRole("heading", { name: /Apply to/ })).toBeVisible();
    await expectAccessible(page, "apply form");
    await fillApplication(page, applicant, { consent: false });
    await page.getByRole("button", { name: "Submit application" }).click();
    // The error summary takes focus and links to the field.
    const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await expect(summary).toBeFocused();
    await summary.getByRole("link", { name: "Please agree to the privacy notice to apply." }).click();
    await expect(page.getByRole("checkbox", { name: /I agree that the program may store/ })).toBeFocused();
    await expect(page.getByLabel(/^Company/)).toHaveValue(applicant.company);
    await expect(page.getByRole("checkbox", { name: "Website or blog" })).toBeChecked();
    await expectAccessible(page, "apply form with errors");
    await page.getByRole("checkbox", { name: /I agree that the program may store/ }).check();
    await page.getByRole("button", { name: "Submit application" }).click();
    await expect(page.getByRole("heading", { name: "Application received" })).toBeVisible();
    reference = (await page.locator(".reference").textContent())!.trim();
    expect(reference).toMatch(/^APP-[A-Z0-9]{8}$/);
    // Reloading shows the confirmation again, not an empty form.
    await page.reload();
    await expect(page.getByRole("heading", { name: "Application received" })).toBeVisible();
    await expect(page.locator(".reference")).toHaveText(reference);
  });

  await test.step("the applicant checks the status: the reference is filled in, they only give their email", async () => {
    await page.getByRole("link", { name: "Check your application's status" }).click();
    await expect(page.getByLabel(/^Reference/)).toHaveValue(reference);
    await page.getByRole("textbox", { name: /^Email/ }).fill(applicant.email);
    await page.getByRole("button", { name: "Check status" }).click();
    await expect(page.getByText("Pending review")).toBeVisible();
    await expectAccessible(page, "status check");
  });

  await test.step("the reviewer finds it in the queue with its score and flags, and approves it", async () => {
    await signIn(page, REVIEWER.email, REVIEWER.password);
    await page.getByRole("link", { name: "Applications", exact: true }).click();
    const row = page.getByRole("row", { name: new RegExp(applicant.company) });
    await expect(row).toBeVisible();
    await expect(row.getByText("Email ≠ website")).toBeVisible();
    await expectAccessible(page, "application queue");
    await openApplication(page, applicant.company);
    await expect(page.getByText("Audience fit")).toBeVisible();
    // One low flag (email ≠ website): the risk reads as a level, and which way the points go.
    await expect(page.getByText("Risk: low")).toBeVisible();
    await expect(page.getByText("(18/20, higher is safer)")).toBeVisible();
    await expect(page.getByRole("link", { name: "How the fit score is worked out" })).toHaveAttribute("href", "/admin/fit-score");
    await expect(page.getByText("Application submitted")).toBeVisible();
    await expectAccessible(page, "application detail");
    await page.getByLabel(/^Tier/).selectOption("strategic");
    await page.getByRole("radio", { name: "Revenue share" }).check();
    await page.getByLabel(/^Rate/).fill("");
    await page.getByRole("button", { name: "Approve and invite" }).click();
    await expect(page.getByText("Enter the rate as a percentage, such as 12.5.")).toBeVisible();
    await page.getByLabel(/^Rate/).fill("15");
    await page.getByRole("button", { name: "Approve and invite" }).click();
    await expect(page.getByText("Approved. The partner organisation exists")).toBeVisible();
    await expect(page.getByText("glow-home-journal", { exact: true })).toBeVisible();
    await expect(page.getByText("Revenue share, 15 %")).toBeVisible();
    await expectAccessible(page, "approved application");
    await signOut(page);
  });

  let invitationUrl = "";
  await test.step("the invitation email is in the Outbox", async () => {
    await signInAsAdmin(page);
    invitationUrl = await linkFromOutbox(page, /your application is approved/, /\/invitation\?token=/);
    await signOut(page);
  });

  await test.step("the partner sets a password and lands on the partner home as owner", async () => {
    await page.goto(invitationUrl);
    await expect(page.getByText("Glow Home Journal's partner account as its owner")).toBeVisible();
    await expectAccessible(page, "partner invitation");
    // Their name is known from the application: they only choose a password.
    await expect(page.getByLabel("Your name")).toHaveValue(applicant.name);
    await page.getByLabel(/^Password/).fill("password");
    await page.getByLabel("Repeat the password").fill("password");
    await page.getByRole("button", { name: "Activate account" }).click();
    await expect(page.getByText("This password is too common.")).toBeVisible();
    await page.getByLabel(/^Password/).fill("glow home partner 2026");
    await page.getByLabel("Repeat the password").fill("glow home partner 2026");
    await page.getByRole("button", { name: "Activate account" }).click();
    await expect(page).toHaveURL(/\/partner$/);
    await expect(page.getByText("Glow Home Journal").first()).toBeVisible();
    expect((await page.request.get("/admin/applications")).status()).toBe(404);
    await signOut(page);
    await page.goto(invitationUrl);
    await expect(page.getByText("This link has already been used.")).toBeVisible();
  });

  expect(errors).toEqual([]);
});

test("a reviewer rejects an application, and reapplying is refused with the date", async ({ page }) => {
  const errors = watchForPageErrors(page);
  const applicant = { company: "Quick Cash Coupons", name: "Rob Hale", email: "rob@quickcash.example", website: "https://quickcash.example" };
  await submitApplication(page, applicant);

  await test.step("the reviewer rejects with a reason and a note", async () => {
    await signIn(page, REVIEWER.email, REVIEWER.password);
    await openApplication(page, applicant.company);
    await page.getByText("Reject", { exact: true }).click();
    await page.getByLabel(/^Reason/).selectOption("brand_safety");
    await page.getByLabel(/^Note to the applicant/).fill("Bidding on our brand name in search ads is not allowed.");
    await page.getByRole("button", { name: "Reject application" }).click();
    await expect(page.getByText("Rejected. The applicant has been told.")).toBeVisible();
    await expect(page.getByText("Brand safety concerns").first()).toBeVisible();
    await signOut(page);
  });

  await test.step("the same applicant cannot apply again until the cooldown ends, and is told when", async () => {
    await page.goto("/apply");
    await fillApplication(page, { ...applicant, company: "Quick Cash Coupons Ltd" });
    await page.getByRole("button", { name: "Submit application" }).click();
    const until = formatDate(new Date(Date.now() + 30 * 86_400_000));
    await expect(page.getByText(`You can apply again from ${until}`)).toBeVisible();
    await expect(page.getByLabel(/^Company/)).toHaveValue("Quick Cash Coupons Ltd");
    await expectAccessible(page, "apply refused");
  });

  expect(errors).toEqual([]);
});

test("a reviewer asks for more information, the applicant answers with a PDF, and the reviewer downloads it", async ({ page }) => {
  const errors = watchForPageErrors(page);
  const applicant = { company: "Lumen Reviews", name: "Zoë Lumen", email: "zoë@lumen-reviews.example", website: "lumen-reviews.example" };
  const reference = await submitApplication(page, applicant);
  const pdf = fs.readFileSync(path.resolve("tests/fixtures/hostile/pdf-named.png")); // a real PDF, despite its name

  await test.step("the reviewer asks a question", async () => {
    await signIn(page, REVIEWER.email, REVIEWER.password);
    await openApplication(page, applicant.company);
    await page.getByText("Request information", { exact: true }).click();
    await page.getByLabel(/^Your question to the applicant/).fill("Can you send your media kit with audience numbers?");
    await page.getByRole("button", { name: "Send request" }).click();
    await expect(page.getByText("Sent. The applicant has a link to update the application.")).toBeVisible();
    await signOut(page);
  });

  let amendUrl = "";
  await test.step("the emailed link opens the update form", async () => {
    await signInAsAdmin(page);
    amendUrl = await linkFromOutbox(page, new RegExp(`We need a little more information \\(${reference}\\)`), /\/apply\/amend\?token=/);
    await signOut(page);
  });

  await test.step("the applicant replies in words and attaches a PDF", async () => {
    await page.goto(amendUrl);
    await expect(page.getByRole("heading", { name: "Update your application" })).toBeVisible();
    await page.getByLabel(/^Your reply/).fill("Our media kit is attached: 85,000 monthly readers.");
    await expect(page.getByText(/characters left/).last()).toBeVisible();
    await page.getByLabel(/^Attach a file/).setInputFiles({ name: "media-kit.pdf", mimeType: "application/pdf", buffer: pdf });
    await expectAccessible(page, "amend form with a reply");
    await page.getByRole("button", { name: "Send updated application" }).click();
    await expect(page.getByRole("heading", { name: "Thank you, your application is back with us" })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("heading", { name: "Thank you, your application is back with us" })).toBeVisible();
  });

  await test.step("the reviewer sees the answer in the history and downloads the file", async () => {
    await signIn(page, REVIEWER.email, REVIEWER.password);
    await openApplication(page, applicant.company);
    await expect(page.getByText("Applicant replied")).toBeVisible();
    await expect(page.getByText("Our media kit is attached: 85,000 monthly readers.")).toBeVisible();
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download media-kit.pdf" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("media-kit.pdf");
    expect(fs.readFileSync(await download.path()).equals(pdf)).toBe(true);
    await expectAccessible(page, "application with a reply");
    await signOut(page);
  });

  expect(errors).toEqual([]);
});

test("the review queue and an application fit a phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn(page, REVIEWER.email, REVIEWER.password);
  // Wait for the sign-in to land before navigating, or the navigation would cancel it.
  await expect(page.getByRole("heading", { name: "Hello, Bo" })).toBeVisible();
  await page.goto("/admin/applications?status=all");
  await expect(page.getByRole("heading", { name: "Applications", level: 1 })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await page.getByRole("link", { name: "Glow Home Journal" }).click();
  await expect(page.getByRole("heading", { name: "Glow Home Journal", level: 1 })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await expectAccessible(page, "application (phone)");
});
