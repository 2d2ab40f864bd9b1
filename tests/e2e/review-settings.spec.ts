import { expect, test } from "@playwright/test";
import { expectAccessible, expectNoHorizontalOverflow, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

const RULE = "Trial website, no claims";

test("the admin adds a pre-approved rule to the approval matrix, moves it, and saves it as version 1", async ({ page }) => {
  // First-run setup when it runs first, then a long form posted four times: over the default minute on a busy machine.
  test.slow();
  const errors = watchForPageErrors(page);

  await test.step("Settings → Review shows the built-in defaults", async () => {
    await signInAsAdmin(page);
    await page.getByRole("link", { name: "Settings", exact: true }).click();
    await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Approval matrix" }).click();
    await expect(page.getByRole("heading", { name: "Review", level: 1 })).toBeVisible();
    await expect(page.getByText("Using the built-in defaults (version 0)")).toBeVisible();
    await expect(page.getByRole("group", { name: /^Rule \d/ })).toHaveCount(5);
    await expectAccessible(page, "review settings");
  });

  await test.step("adds a rule above the catch-all and fills it in; its preview follows", async () => {
    await page.getByRole("button", { name: "Add a rule" }).click();
    await expect(page.getByText("Not saved yet")).toBeVisible();
    const rule = page.getByRole("group", { name: /^Rule 5/ });
    // The keyboard is put on the new rule.
    await expect(rule).toBeFocused();
    await rule.getByLabel(/^Name/).fill(RULE);
    await rule.getByRole("checkbox", { name: "Trial", exact: true }).check();
    await rule.getByRole("checkbox", { name: "Website or blog" }).check();
    await rule.getByLabel("Uses claims", { exact: true }).selectOption("no");
    await expect(rule.getByRole("checkbox", { name: "Brand", exact: true })).toBeChecked();
    await expect(rule.getByRole("checkbox", { name: "Legal", exact: true })).not.toBeChecked();
    await rule.getByRole("checkbox", { name: "Auto-approve when the pre-screen is clean" }).check();
    await expect(rule.getByText("Creatives where tier is Trial, channel is Website or blog and uses no library claims need brand review.")).toBeVisible();
    await expect(page.getByRole("group", { name: `Rule 5: ${RULE}` })).toBeVisible();
  });

  await test.step("moves it up, above the claims rule, without saving", async () => {
    await page.getByRole("button", { name: "Move up rule 5" }).click();
    await expect(page.getByText(`Rule 5 “${RULE}” moved up to position 4.`)).toBeVisible();
    const moved = page.getByRole("group", { name: `Rule 4: ${RULE}` });
    await expect(moved).toBeFocused();
    await expect(moved.getByRole("checkbox", { name: "Trial", exact: true })).toBeChecked();
    await expect(moved.getByLabel("Uses claims", { exact: true })).toHaveValue("no");
    await expect(page.getByRole("group", { name: "Rule 5: Uses claims" })).toBeVisible();
    await expect(page.getByText("Using the built-in defaults (version 0)")).toBeVisible();
    await expectAccessible(page, "review settings, unsaved");
  });

  await test.step("saves: version 1 applies and the history lists it", async () => {
    await page.getByRole("button", { name: "Save as a new version" }).click();
    await expect(page.getByText("Saved as version 1")).toBeVisible();
    await expect(page.getByText("Version 1 applies")).toBeVisible();
    const row = page.getByRole("row", { name: /v1/ });
    await expect(row).toContainText("Ada Admin");
    await expect(row).toContainText("rules");
    await expect(page.getByRole("group", { name: `Rule 4: ${RULE}` })).toBeVisible();
    await expect(
      page.getByRole("group", { name: `Rule 4: ${RULE}` }).getByRole("checkbox", { name: "Auto-approve when the pre-screen is clean" }),
    ).toBeChecked();
  });

  await test.step("removes it again, so the journeys after this one route by the defaults (version 2)", async () => {
    await page.getByRole("button", { name: "Remove rule 4" }).click();
    await expect(page.getByText(`Rule 4 “${RULE}” removed.`)).toBeVisible();
    await page.getByRole("button", { name: "Save as a new version" }).click();
    await expect(page.getByText("Saved as version 2")).toBeVisible();
    await expect(page.getByRole("group", { name: /^Rule \d/ })).toHaveCount(5);
    await expect(page.getByRole("row", { name: /v2/ })).toContainText("rules");
  });

  await test.step("fits a phone", async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.reload();
    await expectNoHorizontalOverflow(page);
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  expect(errors).toEqual([]);
});
