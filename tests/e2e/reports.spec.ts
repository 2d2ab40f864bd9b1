import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { BROWSER_AGENT, expectAccessible, expectNoHorizontalOverflow, makeShopLink, signInAs, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

// People and names of this spec only: the journeys share one server with the other specs.
const OWNER = { name: "Rory Reportwise", email: "rory@reportwise.example", password: "reportwise owner pass phrase" };
const PARTNER = { company: "Reportwise Journal", owner: OWNER, shop: "shop.lumen-reports.example" };

test("the admin reads the reports: changes the range, reads a chart as a table, downloads a CSV that the audit trail records; the partner reads its own", async ({
  page,
}) => {
  test.setTimeout(5 * 60_000);
  const errors = watchForPageErrors(page);

  await test.step("a partner's evergreen link gets a real visitor's click", async () => {
    const shortUrl = await makeShopLink(page, PARTNER, { name: "Reading list", path: "/" });
    const response = await page.request.get(shortUrl, { maxRedirects: 0, headers: { "User-Agent": BROWSER_AGENT } });
    expect(response.status()).toBe(302);
    await signOut(page);
  });

  await test.step("Reports opens on Performance, saying as of when; a range nobody has read has the partner's click once the recorder has written it", async () => {
    await signInAsAdmin(page);
    await page.getByRole("link", { name: "Reports", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Reports", level: 1 })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Reports" }).getByRole("link", { name: "Performance" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByText(/^Figures as of .+ reloading the page brings newer ones\.$/)).toBeVisible();
    // The default view is worked out ahead in the background (decision 032), so it may be minutes older than the click; the
    // last 7 days, which nobody has read, are worked out for this view.
    await page.getByLabel("Dates", { exact: true }).selectOption("7d");
    await page.getByRole("button", { name: "Show" }).click();
    const row = page.locator("#by-partner").getByRole("row", { name: new RegExp(PARTNER.company) });
    await expect
      .poll(
        async () => {
          await page.reload();
          return row.count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    await expect(row).toContainText("was 0");
    await expectAccessible(page, "performance report");
  });

  await test.step("a shorter range keeps the dates in the address; impossible custom dates are kept and explained", async () => {
    await page.getByLabel("Dates", { exact: true }).selectOption("7d");
    await page.getByRole("button", { name: "Show" }).click();
    // The address is the range alone, worth sharing: no `?index` of the route's form.
    await expect(page).toHaveURL(/\/admin\/reports\?range=7d&from=[\d-]+&to=[\d-]+&compare=previous$/);
    await expect(page.getByText(/\(7 days, UTC\), compared with/)).toBeVisible();
    await page.getByLabel("Dates", { exact: true }).selectOption("custom");
    await page.getByLabel("From", { exact: true }).fill("2026-03-10");
    await page.getByLabel("To", { exact: true }).fill("2026-03-01");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page.getByText("The end date must be on or after the start date.")).toBeVisible();
    await expect(page.getByLabel("From", { exact: true })).toHaveValue("2026-03-10");
    await expect(page.getByLabel("To", { exact: true })).toHaveValue("2026-03-01");
    await expectAccessible(page, "performance report with impossible dates");
    await page.getByLabel("Dates", { exact: true }).selectOption("7d");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page.locator("#by-partner").getByRole("row", { name: new RegExp(PARTNER.company) })).toBeVisible();
  });

  await test.step("the chart's figures as a table", async () => {
    const toggle = page.getByRole("button", { name: /^Table view \(Clicks, conversions and revenue over time\)/ });
    await expect(page.locator(".report-chart__plot .recharts-bar-rectangle").first()).toBeVisible();
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    const table = page.getByRole("region", { name: "Clicks, conversions and revenue over time" });
    await expect(table.getByRole("row")).toHaveCount(8);
    await expect(table.getByRole("row").last()).toContainText("1");
    await expectAccessible(page, "performance report, chart as a table");
  });

  await test.step("the partner table downloads as CSV, and the export is on the audit trail", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV of by partner" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^performance-by-partner-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = fs
      .readFileSync((await download.path())!, "utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^Partner,Slug,Clicks,"Clicks, previous period"/);
    expect(lines.some((line) => line.startsWith(`${PARTNER.company},reportwise-journal,1,0,`))).toBe(true);
    await page.goto("/admin/audit?action=reports.exported");
    await expect(page.getByRole("cell", { name: "Report exported" }).first()).toBeVisible();
  });

  await test.step("Workflow shows the launch, and every tab fits a phone", async () => {
    await page.goto("/admin/reports?range=30d");
    await page.getByRole("navigation", { name: "Reports" }).getByRole("link", { name: "Workflow" }).click();
    await expect(page).toHaveURL(/\/admin\/reports\/workflow\?range=30d/);
    await expect(page.getByRole("heading", { name: "Onboarding", level: 2 })).toBeVisible();
    const launched = page.locator(".stat").filter({ has: page.getByText("Partners launched", { exact: true }) });
    await expect(launched.locator(".stat__value")).toContainText(/^[1-9]/);
    // The legend keeps the series in drawing order (recharts sorts it by label unless told not to).
    await expect(page.locator(".recharts-legend-wrapper").first()).toHaveText(
      /^Time to onboard, median\s*Time to onboard, p90\s*Approval to launch, median\s*Approval to launch, p90$/,
    );
    await expectAccessible(page, "workflow report");
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ["/admin/reports", "/admin/reports/workflow"]) {
      await page.goto(path);
      await expectNoHorizontalOverflow(page);
      await expectAccessible(page, `${path} at phone width`);
    }
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  await test.step("the partner's owner opens its own Reports: its link's click, no other partner's, every tab, a CSV", async () => {
    await signInAs(page, OWNER);
    await page.getByRole("navigation", { name: "Partner area" }).last().getByRole("link", { name: "Reports" }).click();
    await expect(page.getByRole("heading", { name: "Reports", level: 1 })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Reports" }).getByRole("link", { name: "Performance" })).toHaveAttribute("aria-current", "page");
    await expect(page.locator("#by-link").getByRole("row", { name: /Reading list/ })).toContainText("was 0");
    await expect(page.locator("#by-partner")).toHaveCount(0);
    await expectAccessible(page, "partner performance report");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV of by link" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^performance-by-link-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = fs
      .readFileSync((await download.path())!, "utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^Link,Short code,Clicks,"Clicks, previous period"/);
    expect(lines.filter((line) => /^Reading list,[0-9A-Za-z]+,1,0,/.test(line))).toHaveLength(1);

    await page.getByRole("navigation", { name: "Reports" }).getByRole("link", { name: "Review" }).click();
    await expect(page).toHaveURL(/\/partner\/reports\/review$/);
    await expect(page.getByRole("heading", { name: "How long review takes", level: 2 })).toBeVisible();
    await expectAccessible(page, "partner review report");

    await page.getByRole("navigation", { name: "Reports" }).getByRole("link", { name: "Health" }).click();
    await expect(page.getByRole("heading", { name: "Your health score", level: 2 })).toBeVisible();
    await expect(page.getByText("What you can do").first()).toBeVisible();
    await expectAccessible(page, "partner health report");

    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ["/partner/reports?range=7d", "/partner/reports/review", "/partner/reports/health"]) {
      await page.goto(path);
      await expectNoHorizontalOverflow(page);
      await expectAccessible(page, `${path} at phone width`);
    }
  });

  expect(errors).toEqual([]);
});
