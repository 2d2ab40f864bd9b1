import { expect, test } from "@playwright/test";
import { E2E_SETUP_TOKEN } from "../../playwright.config";
import { ADMIN, expectAccessible, expectNoHorizontalOverflow, signIn, signOut, watchForPageErrors } from "./helpers";

// Runs first (files run in name order on one worker): it is the only journey that sees the empty program.
const REVIEWER = { name: "Rae Reviewer", email: "rae@acme.test", password: "reviewer passphrase 42" };

test("first run: setup, admin invites a brand reviewer who joins through the Outbox email", async ({ page }) => {
  const errors = watchForPageErrors(page);

  await test.step("the setup page creates the first admin", async () => {
    await page.goto(`/setup?token=${E2E_SETUP_TOKEN}`);
    await expect(page.getByRole("heading", { name: "Set up your partner program" })).toBeVisible();
    await expectAccessible(page, "setup");
    await page.getByLabel("Program name").fill("Acme Partner Program");
    await page.getByLabel("Your name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("password");
    await page.getByRole("button", { name: "Create admin account" }).click();
    // A common password is refused at its field, and what was typed stays.
    await expect(page.getByText("This password is too common.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create admin account" }).click();
    await expect(page.getByText("Your program is ready")).toBeVisible();
    await expectAccessible(page, "admin overview");
  });

  await test.step("the setup page is gone afterwards", async () => {
    const response = await page.request.get(`/setup?token=${E2E_SETUP_TOKEN}`);
    expect(response.status()).toBe(404);
  });

  await test.step("the admin signs out and signs in again", async () => {
    await signOut(page);
    await signIn(page, ADMIN.email, "not the password");
    await expect(page.getByText("The email or password is incorrect.")).toBeVisible();
    await expectAccessible(page, "login with error");
    await page.getByLabel(/^Password/).fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Hello, Ada" })).toBeVisible();
  });

  await test.step("the admin invites a brand reviewer", async () => {
    await page.getByRole("link", { name: "Team", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Team", level: 1 })).toBeVisible();
    await page.getByLabel("Email").fill(REVIEWER.email);
    await page.getByLabel(/^Role/).selectOption("brand_reviewer");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByText("Invitation sent.")).toBeVisible();
    await expect(page.getByRole("cell", { name: REVIEWER.email })).toBeVisible();
    await expectAccessible(page, "team");
  });

  let invitationUrl = "";
  await test.step("the invitation email is in the Outbox", async () => {
    await page.getByRole("link", { name: "Outbox", exact: true }).click();
    await expect(page.getByText("SMTP is not configured")).toBeVisible();
    await page.getByRole("link", { name: "You're invited to Acme Partner Program" }).click();
    await expect(page.getByText(REVIEWER.email)).toBeVisible();
    await expect(page.getByText("Kept (no SMTP configured)", { exact: true })).toBeVisible();
    await expectAccessible(page, "outbox message");
    invitationUrl = (await page.getByRole("link", { name: /\/invitation\?token=/ }).getAttribute("href"))!;
    expect(invitationUrl).toContain("/invitation?token=");
    await signOut(page);
  });

  await test.step("the reviewer sets a password and lands in the internal area", async () => {
    await page.goto(invitationUrl);
    await expect(page.getByRole("heading", { name: "Join Acme Partner Program" })).toBeVisible();
    await expect(page.getByText(`invited as brand reviewer with ${REVIEWER.email}`)).toBeVisible();
    await expectAccessible(page, "invitation");
    await page.getByLabel("Your name").fill(REVIEWER.name);
    await page.getByLabel(/^Password/).fill(REVIEWER.password);
    await page.getByLabel("Repeat the password").fill("something else entirely");
    await page.getByRole("button", { name: "Activate account" }).click();
    await expect(page.getByText("The two passwords do not match.")).toBeVisible();
    await expect(page.getByLabel("Your name")).toHaveValue(REVIEWER.name);
    await page.getByLabel(/^Password/).fill(REVIEWER.password);
    await page.getByLabel("Repeat the password").fill(REVIEWER.password);
    await page.getByRole("button", { name: "Activate account" }).click();
    await expect(page.getByRole("heading", { name: "Hello, Rae" })).toBeVisible();
    await expect(page.getByText("Signed in as brand reviewer.")).toBeVisible();
    // Navigation follows the role: no admin-only entries.
    await expect(page.getByRole("link", { name: "Overview", exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Team", exact: true })).toHaveCount(0);
    expect((await page.request.get("/admin/users")).status()).toBe(403);
  });

  await test.step("the reviewer signs out, and the invitation cannot be used again", async () => {
    await signOut(page);
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin/);
    await page.goto(invitationUrl);
    await expect(page.getByRole("heading", { name: "This invitation can't be used" })).toBeVisible();
    await expect(page.getByText("This link has already been used.")).toBeVisible();
  });

  expect(errors).toEqual([]);
});

test("pages fit a phone screen and the menu works without a mouse", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Acme Partner Program", level: 1 })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await expectAccessible(page, "landing (phone)");
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: "Hello, Ada" })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  const menu = page.locator("summary", { hasText: "Menu" });
  const auditLink = page.getByRole("link", { name: "Audit trail", exact: true });
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(auditLink).toBeVisible();
  // Escape from inside the open menu closes it and returns to its toggle.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Overview", exact: true })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(auditLink).toBeHidden();
  await expect(menu).toBeFocused();
  await page.keyboard.press("Enter");
  await auditLink.click();
  await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
  await page.getByRole("button", { name: "Verify integrity" }).click();
  await expect(page.getByText("The chain is intact")).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await expectAccessible(page, "audit (phone)");
});
