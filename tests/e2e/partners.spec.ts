import { expect, test } from "@playwright/test";
import { ensureTeamMember, expectAccessible, expectNoHorizontalOverflow, onboardPartner, signIn, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

const COMPANY = "Northwind Lighting Journal";
const OWNER = { name: "Pia Partner", email: "pia@northwind-lighting.example", password: "northwind owner phrase 7" };
const ANALYST = { name: "Ana Analyst", email: "ana.analyst@acme.test", password: "ana reads the numbers" };

test("an admin finds a partner, changes its tier and sees the history; an analyst reads the directory and download log without an edit form", async ({
  page,
}) => {
  // Onboarding a partner and an analyst through the browser comes first, so this journey is long.
  test.slow();
  const errors = watchForPageErrors(page);
  await onboardPartner(page, COMPANY, OWNER);
  await signOut(page);

  await test.step("the admin finds the partner by search and opens its page", async () => {
    await signInAsAdmin(page);
    await page.getByRole("link", { name: "Partners", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Partners", level: 1 })).toBeVisible();
    await page.getByRole("searchbox", { name: "Search" }).fill("northwind");
    await page.getByRole("button", { name: "Show partners" }).click();
    await expect(page).toHaveURL(/q=northwind/);
    await expectAccessible(page, "partner directory");
    await page.getByRole("link", { name: COMPANY }).click();
    await expect(page.getByRole("heading", { name: COMPANY, level: 1 })).toBeVisible();
    await expect(page.getByRole("table", { name: "Members" }).getByText("Pia Partner", { exact: true })).toBeVisible();
    await expect(page.getByText("What this partner submits for review shows here")).toBeVisible();
    await expectAccessible(page, "partner page");
  });

  await test.step("the partner page shows the health score's components; the directory sorts by health", async () => {
    const health = page.locator("#health");
    for (const component of ["Performance", "Compliance", "Responsiveness", "Policy currency"]) {
      await expect(health.getByRole("heading", { name: component, exact: true })).toBeVisible();
    }
    // Still onboarding here (this program has no required policy for the owner to accept): shown, not scored.
    await expect(health.getByText("Not scored while onboarding.")).toBeVisible();
    await expect(health.getByText("The program has no required policy.")).toBeVisible();
    await expect(health.getByText("Health score by month as a table")).toBeVisible();
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Partners" }).click();
    await page.getByLabel("Sort").selectOption("health_low");
    await page.getByRole("button", { name: "Show partners" }).click();
    await expect(page).toHaveURL(/sort=health_low/);
    await expect(page.getByRole("columnheader", { name: "Health" })).toBeVisible();
    await expect(page.getByRole("row", { name: new RegExp(COMPANY) }).getByText("Not scored")).toBeVisible();
    await expect(page.getByLabel("Sort")).toHaveValue("health_low");
    await page.getByRole("link", { name: COMPANY }).click();
    await expect(page.getByRole("heading", { name: COMPANY, level: 1 })).toBeVisible();
  });

  await test.step("a terms change without a reason is refused and keeps the choice; with one it is saved and shown in the history", async () => {
    await page.getByText("Change tier or terms").click();
    await page.getByLabel(/^Tier/).selectOption("strategic");
    await page.getByLabel(/^Rate/).fill("12.5");
    await page.getByRole("button", { name: "Save and tell the partner" }).click();
    await expect(page.getByText("The reason is required.")).toBeVisible();
    await expect(page.getByLabel(/^Tier/)).toHaveValue("strategic");
    await expect(page.getByLabel(/^Rate/)).toHaveValue("12.5");
    await expectAccessible(page, "terms form with an error");
    await page
      .locator("#terms")
      .getByLabel(/^Reason/)
      .fill("Strong first quarter.");
    await page.getByRole("button", { name: "Save and tell the partner" }).click();
    await expect(page.getByText("Terms changed. The owner was emailed")).toBeVisible();
    const history = page.getByRole("list", { name: "Terms history, newest first" });
    await expect(history.getByText("Tier: Standard → Strategic")).toBeVisible();
    await expect(history.getByText("Terms: Revenue share, 10 % → Revenue share, 12.5 %")).toBeVisible();
    await expect(history.getByText("Reason: Strong first quarter.")).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("partner-page-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalOverflow(page);
    await page.screenshot({ path: test.info().outputPath("partner-page-390.png"), fullPage: true });
    await page.goto("/admin/partners");
    await expectNoHorizontalOverflow(page);
    await page.screenshot({ path: test.info().outputPath("partner-directory-390.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: test.info().outputPath("partner-directory-1280.png"), fullPage: true });
    await signOut(page);
  });

  await test.step("the owner sees the new terms on their home page", async () => {
    await signIn(page, OWNER.email, OWNER.password);
    await expect(page.getByText("Revenue share, 12.5 %")).toBeVisible();
    await expect(page.getByText(/^Changed /)).toBeVisible();
    await signOut(page);
  });

  await test.step("an analyst reads the directory, the partner page and the download log, with no edit form", async () => {
    await ensureTeamMember(page, ANALYST, "analyst");
    await signIn(page, ANALYST.email, ANALYST.password);
    await expect(page.getByRole("heading", { name: "What you can read" })).toBeVisible();
    await expectAccessible(page, "analyst overview");
    const nav = page.getByRole("navigation", { name: "Brand team" }).filter({ visible: true });
    for (const entry of ["Partners", "Download log", "Audit trail"]) await expect(nav.getByRole("link", { name: entry, exact: true })).toBeVisible();
    for (const hidden of ["Applications", "Assets", "Settings"]) await expect(nav.getByRole("link", { name: hidden, exact: true })).toHaveCount(0);
    await nav.getByRole("link", { name: "Partners", exact: true }).click();
    await page.getByRole("link", { name: COMPANY }).click();
    await expect(page.getByRole("heading", { name: "Tier and terms" })).toBeVisible();
    await expect(page.getByText("Change tier or terms")).toHaveCount(0);
    await expectAccessible(page, "partner page, read-only");
    await nav.getByRole("link", { name: "Download log", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Download log", level: 1 })).toBeVisible();
    await expectAccessible(page, "download log for an analyst");
  });

  expect(errors).toEqual([]);
});
