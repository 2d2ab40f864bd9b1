import { expect, test } from "@playwright/test";
import { expectAccessible, expectNoHorizontalOverflow, signInAsAdmin, watchForPageErrors } from "./helpers";

// Runs right after first-run setup, while the program has no applications,
// partners, assets, claims, kits or downloads: every list shows its
// empty state, and each must still read in order for a screen reader.
const EMPTY_LISTS = [
  { path: "/admin/applications", heading: "Applications", empty: "Nothing waiting for review" },
  { path: "/admin/partners", heading: "Partners", empty: "No partners yet" },
  { path: "/admin/assets", heading: "Assets", empty: "No assets yet" },
  { path: "/admin/claims", heading: "Claims", empty: "No claims yet" },
  { path: "/admin/kits", heading: "Kits", empty: "No kits yet" },
  { path: "/admin/downloads", heading: "Download log", empty: "No downloads" },
  { path: "/admin/creatives", heading: "Creatives", empty: "No creatives have been submitted yet" },
] as const;

test("a new program's empty lists and the fit score rubric are accessible", async ({ page }) => {
  const errors = watchForPageErrors(page);
  await signInAsAdmin(page);

  for (const list of EMPTY_LISTS) {
    await test.step(list.path, async () => {
      await page.goto(list.path);
      await expect(page.getByRole("heading", { name: list.heading, level: 1 })).toBeVisible();
      await expect(page.getByRole("heading", { name: list.empty, level: 2 })).toBeVisible();
      await expectAccessible(page, `${list.path} (empty)`);
    });
  }

  await test.step("the rubric reviewers read, in the program's pages", async () => {
    await page.goto("/admin/fit-score");
    await expect(page.getByRole("heading", { name: "How the fit score works", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Risk (20 points) and risk flags", level: 3 })).toBeVisible();
    await expectAccessible(page, "fit score rubric");
    // Its tables fit a phone: the page does not scroll sideways.
    await page.setViewportSize({ width: 375, height: 740 });
    await expectNoHorizontalOverflow(page);
  });

  expect(errors).toEqual([]);
});
