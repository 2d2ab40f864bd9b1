import { expect, test } from "@playwright/test";
import { expectAccessible, expectNoHorizontalOverflow, signInAsAdmin, watchForPageErrors } from "./helpers";

test("the admin finds the API reference from API keys, jumps to an endpoint, copies its curl example; it all fits a phone", async ({ page, context }) => {
  const errors = watchForPageErrors(page);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);

  await test.step("API keys links to the reference, which lists every endpoint", async () => {
    await signInAsAdmin(page);
    await page.goto("/admin/api-keys");
    await page.getByRole("link", { name: "API documentation" }).last().click();
    await expect(page.getByRole("heading", { name: "API", level: 1 })).toBeVisible();
    const contents = page.getByRole("navigation", { name: "Endpoints" });
    await expect(contents.getByRole("link")).toHaveCount(6);
    await expectAccessible(page, "API reference");
  });

  await test.step("a contents link leads to the endpoint's section, whose example copies as shown", async () => {
    await page
      .getByRole("navigation", { name: "Endpoints" })
      .getByRole("link", { name: /reports\/performance/ })
      .click();
    await expect(page).toHaveURL(/#getPerformanceReport$/);
    const section = page.locator("#getPerformanceReport");
    await expect(section.getByRole("heading", { level: 2 })).toHaveText("GET /api/v1/reports/performance");
    await expect(section.getByRole("heading", { level: 2 })).toBeInViewport();
    const example = section.getByRole("region", { name: "Example request of GET /api/v1/reports/performance" });
    await section.getByRole("button", { name: "Copy the example request of GET /api/v1/reports/performance" }).click();
    await expect(section.getByRole("status")).toHaveText("Copied.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await example.textContent());
  });

  await test.step("at phone width, long examples scroll inside their box, never the page", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/admin/api");
    await expectNoHorizontalOverflow(page);
    const example = page.getByRole("region", { name: "Example request of POST /api/v1/conversions", exact: true });
    const { clientWidth, scrollWidth } = await example.evaluate((pre) => ({ clientWidth: pre.clientWidth, scrollWidth: pre.scrollWidth }));
    expect(scrollWidth).toBeGreaterThan(clientWidth);
    await expectAccessible(page, "API reference, phone");
  });

  expect(errors).toEqual([]);
});
