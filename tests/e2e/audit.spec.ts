import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { ADMIN, expectAccessible, expectNoHorizontalOverflow, signIn, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

test("the admin reads the audit trail: filters by action, exports the CSV and verifies the chain", async ({ page }) => {
  const errors = watchForPageErrors(page);
  let failedSignIns = 0;

  await test.step("sign-ins, a failed one included, are on record", async () => {
    await signInAsAdmin(page);
    await signOut(page);
    await signIn(page, ADMIN.email, "not the admin passphrase");
    await expect(page.getByText("The email or password is incorrect.")).toBeVisible();
    await signInAsAdmin(page);
  });

  await test.step("the trail shows readable labels", async () => {
    await page.getByRole("link", { name: "Audit trail", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Audit trail", level: 1 })).toBeVisible();
    // Earlier journeys may have verified the trail already: the page says when, or that it never was.
    await expect(page.getByText(/Not verified yet|Last checked/).first()).toBeVisible();
    await expect(page.getByRole("cell", { name: "Sign-in failed" }).first()).toBeVisible();
    await expect(page.getByRole("cell", { name: "Signed in" }).first()).toBeVisible();
    await expectAccessible(page, "audit trail");
  });

  await test.step("filtering by action leaves only that action", async () => {
    await page.getByLabel("Action").selectOption({ label: "Sign-in failed" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/action=auth\.login_failed/);
    await expect(page.getByRole("table")).toContainText(/entr(y|ies) matching the filters/);
    await expect(page.getByRole("cell", { name: "Signed in" })).toHaveCount(0);
    await expect(page.getByRole("cell", { name: "Sign-in failed" }).first()).toBeVisible();
    await expect(page.getByRole("cell", { name: /wrong_password/ }).first()).toBeVisible();
    failedSignIns = await page.getByRole("cell", { name: "Sign-in failed" }).count();
    await expectAccessible(page, "filtered audit trail");
  });

  await test.step("the CSV has the same filter, and the export is itself on record", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toBe("audit-trail.csv");
    const lines = fs
      .readFileSync((await download.path())!, "utf8")
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toContain("Time (UTC),Action,Action code,Actor");
    expect(lines.slice(1)).toHaveLength(failedSignIns);
    for (const line of lines.slice(1)) expect(line).toContain("Sign-in failed,auth.login_failed");

    await page.getByRole("link", { name: "Clear filters" }).first().click();
    await expect(page).toHaveURL(/\/admin\/audit$/);
    await expect(page.getByRole("cell", { name: "Audit trail exported" }).first()).toBeVisible();
  });

  await test.step("verifying records the result and the time at the top", async () => {
    await page.getByRole("button", { name: "Verify integrity" }).click();
    await expect(page.getByText(/Last checked .+ by Ada Admin: intact/)).toBeVisible();
    await expect(page.getByText(/The chain is intact: all \d+ entries matched their hashes/)).toBeVisible();
    await expect(page.getByRole("cell", { name: "Audit trail verified" }).first()).toBeVisible();
    await expectAccessible(page, "audit trail after verification");
  });

  await test.step("on a phone the entries stack and nothing scrolls sideways", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await expectNoHorizontalOverflow(page);
    await expect(page.getByRole("cell", { name: "Audit trail verified" }).first()).toBeVisible();
    await expectAccessible(page, "audit trail on a phone");
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  expect(errors).toEqual([]);
});
