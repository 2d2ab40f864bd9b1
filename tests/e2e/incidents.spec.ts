import { expect, test } from "@playwright/test";
import { expectAccessible, expectNoHorizontalOverflow, makeShopLink, signInAs, signInAsAdmin, signOut, watchForPageErrors } from "./helpers";

// Issue 17 point 2: the admin opens an incident from a partner's link page,
// adds an internal note and one for the partner, and shares it; the partner
// sees the incident with the shared note only and replies; the admin reads
// the reply and resolves it.

// People and names of this spec only: the journeys share one server with the other specs.
const OWNER = { name: "Ines Inlet", email: "ines@inletlights.example", password: "inlet owner pass phrase" };
const PARTNER = { company: "Inlet Lights", owner: OWNER, shop: "shop.lumen-incidents.example" };
const LINK_NAME = "Inlet spring guide";
const TITLE = "Free starter kit claim in the spring guide";
const INTERNAL_NOTE = "Internal: the same wording was refused last year.";
const SHARED_NOTE = "Please remove the word free from the guide: the kit is sold at full price.";
const REPLY = "Done: the guide now says from $49.";

test("an incident from a link's page: shared note, partner reply, resolved", async ({ page }) => {
  test.setTimeout(4 * 60_000);
  const errors = watchForPageErrors(page);
  let incidentUrl = "";

  await test.step("the admin allowlists the shop; the partner makes a link to it", async () => {
    await makeShopLink(page, PARTNER, { name: LINK_NAME, path: "/spring" });
    // Nothing shared yet: the partner's incidents page says so.
    await page.getByRole("navigation").getByRole("link", { name: "Incidents" }).click();
    await expect(page.getByRole("heading", { name: "No incidents" })).toBeVisible();
    await signOut(page);
  });

  await test.step("the admin opens an incident from the link's page; a missing title is refused, what was typed kept", async () => {
    await signInAsAdmin(page);
    await page.goto(`/admin/links?q=${encodeURIComponent(LINK_NAME)}`);
    await page.getByRole("link", { name: LINK_NAME }).click();
    await page.locator("#incidents").getByRole("link", { name: "Open incident" }).click();
    await expect(page.getByRole("heading", { name: "Open incident", level: 1 })).toBeVisible();
    await expect(page.getByText(PARTNER.company)).toBeVisible();
    await page.getByLabel(/^Kind/).selectOption("misleading_claim");
    await page.getByLabel(/^Severity/).selectOption("high");
    await page.getByLabel(/^Description/).fill("The spring guide calls the starter kit free.");
    await page.getByRole("button", { name: "Open incident" }).click();
    await expect(page.getByText("A title is required.")).toBeVisible();
    await expect(page.getByLabel(/^Description/)).toHaveValue("The spring guide calls the starter kit free.");
    await page.getByLabel(/^Title/).fill(TITLE);
    await page.getByRole("button", { name: "Open incident" }).click();
    await expect(page.getByRole("heading", { name: TITLE, level: 1 })).toBeVisible();
    await expect(page.getByText(/Incident INC-\d{4} opened/)).toBeVisible();
    await expect(page.locator("#objects").getByRole("link", { name: new RegExp(LINK_NAME) })).toBeVisible();
    incidentUrl = page.url();
  });

  await test.step("the admin adds an internal note and one for the partner, then shares the incident", async () => {
    await page.getByLabel(/^Note/).fill(INTERNAL_NOTE);
    await page.getByRole("button", { name: "Add note" }).click();
    await expect(page.getByText("Note added.")).toBeVisible();
    await page.getByLabel(/^Note/).fill(SHARED_NOTE);
    await page.getByRole("radio", { name: /^Shared with the partner too/ }).check();
    await page.getByRole("button", { name: "Add note" }).click();
    await expect(page.getByText(/^Note added\. The partner reads it/)).toBeVisible();
    await page.getByRole("button", { name: "Share with the partner" }).click();
    await expect(page.getByText(/^Shared with the partner\. 1 owner was emailed\./)).toBeVisible();
    await expect(page.getByText("Shared with the partner", { exact: true })).toBeVisible();
    await expectAccessible(page, "the admin's incident page");
    await signOut(page);
  });

  await test.step("the partner reads the incident, without the internal note, and replies", async () => {
    await signInAs(page, OWNER);
    await page.getByRole("navigation").getByRole("link", { name: "Incidents" }).click();
    await page.getByRole("link", { name: TITLE }).click();
    await expect(page.getByRole("heading", { name: TITLE, level: 1 })).toBeVisible();
    await expect(page.getByText(SHARED_NOTE)).toBeVisible();
    await expect(page.getByText(INTERNAL_NOTE)).toHaveCount(0);
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect(page.getByText("Your reply is required.")).toBeVisible();
    await page.getByLabel(/^Your reply/).fill(REPLY);
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect(page.getByText("Reply sent.")).toBeVisible();
    await expect(page.getByText(REPLY)).toBeVisible();
    await expectAccessible(page, "the partner's incident page");
    await page.setViewportSize({ width: 375, height: 800 });
    await expectNoHorizontalOverflow(page);
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await test.step("the admin reads the reply and resolves the incident; the partner sees it resolved", async () => {
    await signInAsAdmin(page);
    await page.goto("/admin/incidents");
    await page.getByRole("link", { name: TITLE }).click();
    await expect(page).toHaveURL(incidentUrl);
    await expect(page.getByText(REPLY)).toBeVisible();
    await page.getByLabel(/^New status/).selectOption("resolved");
    await page.getByRole("button", { name: "Change status" }).click();
    await expect(page.getByText(/^Say how it was resolved/)).toBeVisible();
    await page.getByLabel(/^New status/).selectOption("resolved");
    await page.getByLabel(/^Resolution note/).fill("The guide was corrected.");
    await page.getByRole("button", { name: "Change status" }).click();
    await expect(page.getByText("Incident resolved.")).toBeVisible();
    await expect(page.getByText(/^Resolved on/)).toBeVisible();
    await signOut(page);
    await signInAs(page, OWNER);
    await page.goto(incidentUrl.replace("/admin/", "/partner/"));
    await expect(page.locator(".alert").getByText("The guide was corrected.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Send reply" })).toHaveCount(0);
  });

  expect(errors).toEqual([]);
});
