import { expect, test } from "@playwright/test";
import { expectAccessible, expectNoHorizontalOverflow, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

// Names of this spec only: the journeys share one server with the other specs.
const KEY_NAME = "Keyline shop checkout";

test("the admin makes an API key with the keyboard, copies its secret once, uses it, and revokes it; all of it fits a phone", async ({ page }) => {
  const errors = watchForPageErrors(page);
  let secret = "";

  await test.step("API keys is in the navigation and says what keys are for", async () => {
    await signInAsAdmin(page);
    await page.getByRole("navigation", { name: "Brand team" }).getByRole("link", { name: "API keys", exact: true }).click();
    await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
    if (await page.getByRole("heading", { name: "No API keys yet" }).count()) {
      await expect(page.getByRole("link", { name: "API documentation" }).first()).toHaveAttribute("href", "/admin/api");
    }
    await expectAccessible(page, "API keys list");
  });

  await test.step("an empty form is refused with each message tied to its field", async () => {
    await page.getByRole("link", { name: "New key" }).first().click();
    await expect(page.getByRole("heading", { name: "New API key", level: 1 })).toBeVisible();
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByLabel("Name")).toHaveAccessibleDescription(/A name is required\./);
    await expect(page.locator("#field-scopes-error")).toHaveText("Choose at least one scope.");
    await expectAccessible(page, "new API key, refused");
  });

  await test.step("made from the keyboard alone, the secret is shown once with a copy button", async () => {
    await page.getByLabel("Name").focus();
    await page.keyboard.type(KEY_NAME);
    await page.keyboard.press("Tab");
    // The first scope box (Record conversions) and the last (Read tracking links), ticked with the space bar.
    const conversions = page.getByRole("checkbox", { name: /Record conversions/ });
    const links = page.getByRole("checkbox", { name: /Read tracking links/ });
    await conversions.focus();
    await page.keyboard.press("Space");
    await links.focus();
    await page.keyboard.press("Space");
    await page.getByLabel("Name").focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "Your new API key", level: 1 })).toBeVisible();
    await expect(page.getByText("Copy the key now: it will not be shown again")).toBeVisible();
    const box = page.getByRole("textbox", { name: `Secret key of ${KEY_NAME}` });
    secret = await box.inputValue();
    expect(secret).toMatch(/^cb_live_[A-Za-z0-9_-]{43}$/);
    await expect(page.getByRole("button", { name: `Copy the secret key of ${KEY_NAME}` })).toBeVisible();
    await expectAccessible(page, "new API key, its secret");
    await expect(page).toHaveURL(/\/admin\/api-keys\/new$/);
  });

  await test.step("the key works on the API, and a session cookie does not", async () => {
    const withKey = await page.request.get("/api/v1/links", { headers: { Authorization: `Bearer ${secret}` } });
    expect(withKey.status()).toBe(200);
    const withCookie = await page.request.get("/api/v1/links");
    expect(withCookie.status()).toBe(401);
  });

  await test.step("the list shows the prefix, never the secret, and fits a phone", async () => {
    await page.getByRole("link", { name: "I have copied it: back to API keys" }).click();
    await expect(page.getByRole("rowheader", { name: new RegExp(KEY_NAME) })).toContainText(`${secret.slice(0, 14)}…`);
    expect(await page.content()).not.toContain(secret.slice(14));
    await page.setViewportSize({ width: 375, height: 800 });
    await expectNoHorizontalOverflow(page);
    await page.getByRole("link", { name: `Revoke ${KEY_NAME}` }).click();
    await expectNoHorizontalOverflow(page);
    await expectAccessible(page, "revoke an API key");
  });

  await test.step("revoked after the confirmation, the key is refused", async () => {
    await page.getByRole("button", { name: `Revoke ${KEY_NAME}` }).click();
    await expect(page.getByText("Key revoked")).toBeVisible();
    await expect(page.getByRole("row", { name: new RegExp(KEY_NAME) })).toContainText("Revoked");
    const refused = await page.request.get("/api/v1/links", { headers: { Authorization: `Bearer ${secret}` } });
    expect(refused.status()).toBe(401);
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  expect(errors).toEqual([]);
});
