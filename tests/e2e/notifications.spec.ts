import { expect, test, type Page } from "@playwright/test";
import {
  bannerImage,
  decide,
  ensureTeamMember,
  expectAccessible,
  expectNoHorizontalOverflow,
  onboardPartnerPastPolicies,
  queueRow,
  signInAs,
  signOut,
  startCreative,
  uploadFile,
  watchForPageErrors,
} from "./helpers";

// In-app notifications (issue 17): a reviewer decides a partner's creative;
// the partner's bell counts it, the notification opens the creative and the
// count goes down.

// People and names of this spec only: the journeys share one server with the other specs.
const REVIEWER = { name: "Nia Notice", email: "nia.notice@acme.test", password: "nia reviews and notifies" };
const PARTNER = { name: "Otto Owl", email: "otto@owlnotes.example", password: "owl notes owner pass phrase" };
const COMPANY = "Owl Notes";
const TITLE = "Owl notes lamp roundup";
const COMMENT = "Show the lamp's wattage next to the price.";

/** The bell in the area's header, whatever its count. */
const bell = (page: Page) => page.getByRole("link", { name: /^Notifications, (none|\d+) unread$/ });

async function unreadOnBell(page: Page): Promise<number> {
  const label = (await bell(page).getAttribute("aria-label")) ?? "";
  const match = /^Notifications, (none|\d+) unread$/.exec(label);
  expect(match, label).not.toBeNull();
  return match![1] === "none" ? 0 : Number(match![1]);
}

test("a reviewer decides a partner's creative → the partner's bell counts it, the notification opens the creative, the count goes down", async ({ page }) => {
  test.setTimeout(5 * 60_000);
  const errors = watchForPageErrors(page);
  let creativeUrl = "";

  await test.step("a partner submits a creative", async () => {
    await ensureTeamMember(page, REVIEWER, "brand_reviewer");
    await onboardPartnerPastPolicies(page, COMPANY, PARTNER);
    await startCreative(page, { title: TITLE, placement: "Roundup hero", copy: "Our favourite desk lamps of the season." });
    creativeUrl = new URL(page.url()).pathname;
    await uploadFile(page, await bannerImage("owl-hero.png", "#334155"));
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect(page.getByText("Submitted for review")).toBeVisible();
    await signOut(page);
  });

  await test.step("the brand reviewer's bell says a creative waits; they claim it and ask for changes", async () => {
    await signInAs(page, REVIEWER);
    expect(await unreadOnBell(page)).toBeGreaterThan(0);
    const row = await queueRow(page, "Brand", TITLE);
    await row.getByRole("button", { name: `Claim brand review of ${TITLE}` }).click();
    await expect(row).toContainText(REVIEWER.name);
    await row.getByRole("link", { name: TITLE, exact: true }).click();
    await expect(page.getByRole("heading", { name: TITLE, level: 1 })).toBeVisible();
    await decide(page, "Request changes", COMMENT);
    await expect(page.getByText(/^Recorded/)).toBeVisible();
    await signOut(page);
  });

  await test.step("the partner sees the count on the bell and the decision in the list", async () => {
    await signInAs(page, PARTNER);
    const before = await unreadOnBell(page);
    expect(before).toBeGreaterThan(0);
    await expect(page.locator(".bell__badge")).toHaveText(String(before));
    await bell(page).click();
    await expect(page).toHaveURL(/\/notifications$/);
    await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
    const item = page.getByRole("button", { name: new RegExp(`Changes requested on “?"?${TITLE}`) });
    await expect(item).toBeVisible();
    await expect(item).toContainText(COMMENT);
    await expect(item).toContainText("Unread");
    await expectAccessible(page, "notifications");

    await test.step("opening it lands on the creative and the count goes down", async () => {
      await item.click();
      await expect(page).toHaveURL(new RegExp(`${creativeUrl}$`));
      await expect(page.getByRole("heading", { name: TITLE, level: 1 })).toBeVisible();
      await expect.poll(() => unreadOnBell(page)).toBe(before - 1);
    });
  });

  await test.step("the list keeps it, read; 'Mark all read' empties the count; the page fits a phone", async () => {
    await page.goto("/notifications");
    const item = page.getByRole("button", { name: new RegExp(`Changes requested on “?"?${TITLE}`) });
    await expect(item).not.toContainText("Unread");
    if ((await unreadOnBell(page)) > 0) {
      await page.getByRole("button", { name: "Mark all read" }).click();
      await expect(page.getByText(/^Marked \d+ notifications? read\.$/)).toBeVisible();
    }
    await expect.poll(() => unreadOnBell(page)).toBe(0);
    await expect(page.getByRole("button", { name: "Mark all read" })).toHaveCount(0);
    await page.setViewportSize({ width: 375, height: 740 });
    await expect(bell(page)).toBeVisible();
    await expectNoHorizontalOverflow(page);
  });

  await test.step("the account page lists the partner's email choices, policy emails fixed on", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto("/account");
    const prefs = page.getByRole("form", { name: "Email notifications" });
    const decisions = prefs.getByRole("checkbox", { name: "Decisions on your creatives" });
    await expect(decisions).toBeChecked();
    await expect(prefs.getByRole("checkbox", { name: "Policy changes to accept" })).toBeDisabled();
    await decisions.uncheck();
    await prefs.getByRole("button", { name: "Save email preferences" }).click();
    await expect(page.getByText("Your email preferences are saved.")).toBeVisible();
    await expect(page.getByRole("form", { name: "Email notifications" }).getByRole("checkbox", { name: "Decisions on your creatives" })).not.toBeChecked();
    await expectAccessible(page, "account with email preferences");
  });

  expect(errors).toEqual([]);
});
