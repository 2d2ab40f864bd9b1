import { expect, test, type Page } from "@playwright/test";
import {
  activateInvitation,
  expectAccessible,
  expectNoHorizontalOverflow,
  leftAcceptedPolicy,
  linkFromOutbox,
  onboardPartner,
  signIn,
  signInAsAdmin,
  signOut,
  watchForPageErrors,
} from "./helpers";

// Runs after the applications journeys (file order): the program exists, its
// four default policies are not yet published.
test.describe.configure({ mode: "serial" });

const OWNER = { name: "Olga Owner", email: "olga@sunbeam.example", password: "sunbeam owner passphrase 9" };
const MEMBER = { name: "Milo Member", email: "milo@sunbeam.example", password: "milo joins the sunbeam team" };
const COMPANY = "Sunbeam Reviews";
const POLICIES = ["Program terms", "Brand guidelines", "Disclosure rules", "Data handling"];

/** As the signed-in admin: writes the next version of a policy and publishes it. */
async function publishVersion(page: Page, title: string, body: string, options: { material?: boolean; summary?: string } = {}) {
  await page.goto("/admin/policies");
  await page.getByRole("link", { name: title, exact: true }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await page.getByLabel(/^Policy text/).fill(body);
  if (options.summary) await page.getByLabel(/^What changed/).fill(options.summary);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  const material = page.getByRole("checkbox", { name: "Material change" });
  // Without the box the draft is the first version, which is material by nature.
  const isMaterial = options.material || (await material.count()) === 0;
  if (options.material && (await material.count())) await material.check();
  await page.getByRole("button", { name: /^Publish version/ }).click();
  if (isMaterial) {
    await expect(page.getByRole("heading", { name: /^Publish version \d+ as a material change\?$/ })).toBeVisible();
    await page.getByRole("button", { name: /^Yes, publish version/ }).click();
    await expect(page.getByText("Published. Partners must accept it before they continue")).toBeVisible();
  } else {
    await expect(page.getByText("Published. Partners see a notice asking them to read it")).toBeVisible();
  }
}

/** Accepts, one after the other, every policy the partner is asked to accept, starting from the policies page. */
async function acceptEverything(page: Page, count: number, startLink = "Start reading") {
  await page.getByRole("link", { name: startLink }).click();
  for (let i = 0; i < count; i++) {
    await expect(page.getByRole("button", { name: /^Accept version/ })).toBeVisible();
    const reading = page.url();
    await page.getByRole("checkbox", { name: /^I have read and accept/ }).check();
    await page.getByRole("button", { name: /^Accept version/ }).click();
    // Each acceptance moves on to the next policy, or back where the partner was going.
    await page.waitForURL((url) => url.toString() !== reading);
    await leftAcceptedPolicy(page);
  }
}

test("a new partner meets the gate, accepts every policy and reaches the home page with its checklist", async ({ page }) => {
  const errors = watchForPageErrors(page);

  await test.step("the admin publishes the four policies, and approves an application", async () => {
    await signInAsAdmin(page);
    for (const title of POLICIES) {
      await publishVersion(
        page,
        title,
        `# ${title}\n\nPartners of the program follow these ${title.toLowerCase()}.\n\n- Be honest with your audience.\n- Ask when in doubt.`,
      );
    }
    await page.goto("/admin/policies");
    await expect(page.getByText("Not published")).toHaveCount(0);
    await signOut(page);
    await onboardPartner(page, COMPANY, OWNER);
  });

  await test.step("the partner is held at the policies page, wherever they try to go", async () => {
    await expect(page).toHaveURL(/\/partner\/policies\?redirectTo=%2Fpartner$/);
    await expect(page.getByText("4 policies to accept before you continue")).toBeVisible();
    await expectAccessible(page, "gated policies page");
    await page.goto("/partner/team");
    await expect(page).toHaveURL(/\/partner\/policies\?redirectTo=%2Fpartner%2Fteam$/);
    await page.goto("/partner");
  });

  await test.step("accepting needs the box ticked; then each policy in turn, and back home", async () => {
    await page.getByRole("link", { name: "Start reading" }).click();
    await expect(page.getByText("1 of 4 to accept")).toBeVisible();
    await page.getByRole("button", { name: /^Accept version/ }).click();
    await expect(page.getByText("Tick the box to confirm you have read and accept this policy.")).toBeVisible();
    await expectAccessible(page, "policy with an error");
    await page.goto("/partner/policies?redirectTo=%2Fpartner");
    await acceptEverything(page, 4);
    await expect(page).toHaveURL(/\/partner$/);
    await expect(page.getByRole("heading", { name: COMPANY, level: 1 })).toBeVisible();
    await expect(page.getByText("Active", { exact: true })).toBeVisible();
    // Policies accepted; no one invited yet. Alone on the team, there is no "everyone accepted" step.
    await expect(page.getByText("1 of 7 steps done")).toBeVisible();
    await expect(page.getByText("Everyone on your team")).toHaveCount(0);
    const checklist = page.getByRole("list", { name: "Onboarding checklist" });
    await expect(checklist.getByText("Done: Accept the program policies")).toBeAttached();
    await expect(checklist.getByText("To do: Invite your team")).toBeAttached();
    await expectAccessible(page, "partner home with checklist");
  });

  await test.step("the organisation's record offers a printable receipt", async () => {
    await page.getByRole("link", { name: "Policies", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Your organisation's record" })).toBeVisible();
    await page.getByRole("link", { name: /^Receipt: Program terms version 1/ }).click();
    await expect(page.getByRole("heading", { name: "Acceptance receipt" })).toBeVisible();
    await expect(page.getByText(/^[0-9a-f]{64}$/)).toBeVisible();
    await expect(page.getByText(`${OWNER.name} <${OWNER.email}>`)).toBeVisible();
    await expectAccessible(page, "receipt");
    await signOut(page);
  });

  expect(errors).toEqual([]);
});

test("a discarded draft leaves the editor; a material update asks to confirm whom it gates, then gates the partner again; a minor one only asks", async ({
  page,
}) => {
  const errors = watchForPageErrors(page);
  const published = `# Program terms\n\nPartners of the program follow these program terms.\n\n- Be honest with your audience.\n- Ask when in doubt.`;
  await signInAsAdmin(page);

  await test.step("after discarding a draft the editor shows the published text again", async () => {
    await page.goto("/admin/policies");
    await page.getByRole("link", { name: "Program terms", exact: true }).click();
    const editor = page.getByLabel(/^Policy text/);
    await expect(editor).toHaveValue(published);
    await editor.fill("# Program terms\n\nA draft nobody should ever publish.");
    await page.getByLabel(/^What changed/).fill("Scrap this");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Draft saved.")).toBeVisible();
    await page.getByRole("button", { name: "Discard draft" }).click();
    await expect(page.getByText("Draft discarded.")).toBeVisible();
    // The toast came in a cookie: the address stays the policy's own.
    await expect(page).toHaveURL(/\/admin\/policies\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { name: "Write version 2" })).toBeVisible();
    await expect(editor).toHaveValue(published);
    await expect(page.getByLabel(/^What changed/)).toHaveValue("");
    await expect(page.getByRole("button", { name: /^Publish version/ })).toHaveCount(0);
  });

  await test.step("a material version first says how many organisations and people it gates", async () => {
    await page.getByLabel(/^Policy text/).fill("# Program terms\n\nCommission is paid **monthly**.\n\n- Be honest with your audience.");
    await page.getByLabel(/^What changed/).fill("Monthly payments");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Draft saved.")).toBeVisible();
    await page.getByRole("checkbox", { name: "Material change" }).check();
    await page.getByRole("button", { name: "Publish version 2" }).click();
    await expect(page.getByRole("heading", { name: "Publish version 2 as a material change?" })).toBeVisible();
    // Sunbeam's owner at least; earlier journeys may have onboarded more partners.
    const counts = page.getByText(/^This gates \d+ organisations?, \d+ (person|people)\.$/);
    await expect(counts).toBeVisible();
    const [, organisations, people] = /(\d+) organisations?, (\d+)/.exec((await counts.textContent())!)!;
    expect(Number(people)).toBeGreaterThanOrEqual(Number(organisations));
    expect(Number(organisations)).toBeGreaterThanOrEqual(1);
    await expect(page.locator(":focus")).toHaveAttribute("aria-labelledby", "confirm-publish-title");
    await expectAccessible(page, "material publication to confirm");
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalOverflow(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    // Cancelling publishes nothing.
    await page.getByRole("link", { name: "Cancel" }).click();
    await expect(page.getByRole("heading", { name: "Publish version 2 as a material change?" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Version 2", exact: true })).toHaveCount(0);
    await page.getByRole("checkbox", { name: "Material change" }).check();
    await page.getByRole("button", { name: "Publish version 2" }).click();
    await page.getByRole("button", { name: "Yes, publish version 2" }).click();
    await expect(page.getByText("Published. Partners must accept it before they continue")).toBeVisible();
    // One email to each person it gated, Sunbeam's owner among them, linking to the policies page.
    await page.goto("/admin/outbox");
    await expect(page.getByRole("link", { name: "Program terms changed: accept version 2 to continue" })).toHaveCount(Number(people));
    expect(await linkFromOutbox(page, /Program terms changed/, /partner\/policies$/)).toMatch(/\/partner\/policies$/);
  });

  await publishVersion(
    page,
    "Disclosure rules",
    "# Disclosure rules\n\nPartners of the program follow these disclosure rules.\n\n- Be honest with your audience.\n- Ask when in doubt.\n- Write #ad first.",
    { summary: "Example added" },
  );
  await signOut(page);

  await signIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/partner\/policies\?redirectTo=%2Fpartner$/);
  await expect(page.getByText("One policy to accept before you continue")).toBeVisible();
  await expect(page.getByRole("list", { name: "Changed policies to accept" })).toContainText("Program terms, version 2: Monthly payments");
  await page.getByRole("link", { name: "Start reading" }).click();
  await expect(page.getByText("Version 2 changes the terms you accepted")).toBeVisible();
  await expect(page.locator(".policy-diff ins").first()).toBeVisible();
  await page.getByRole("checkbox", { name: /^I have read and accept/ }).check();
  await page.getByRole("button", { name: "Accept version 2" }).click();

  // Next comes the minor update; skipping it leaves the partner area open, with a notice.
  await expect(page.getByRole("heading", { name: "Disclosure rules", level: 1 })).toBeVisible();
  await expect(page.getByText("This is a minor change: your access continues.")).toBeVisible();
  await page.getByRole("link", { name: "Home", exact: true }).click();
  await expect(page.getByRole("heading", { name: COMPANY, level: 1 })).toBeVisible();
  await expect(page.getByText("A policy was updated")).toBeVisible();
  await expect(page.getByRole("list", { name: "Updated policies" }).getByRole("link", { name: "Disclosure rules, version 2" })).toBeVisible();
  await page.getByRole("link", { name: "Review the update" }).click();
  await expect(page.getByText("Policies were updated")).toBeVisible();
  await acceptEverything(page, 1, "Read the update");
  await expect(page.getByText("You have accepted every required policy.")).toBeVisible();
  await expectAccessible(page, "policies, all accepted");
  await page.getByRole("link", { name: "Continue to the partner home" }).click();
  await expect(page.getByRole("heading", { name: COMPANY, level: 1 })).toBeVisible();
  await expect(page.getByText("A policy was updated")).toHaveCount(0);
  await signOut(page);
  expect(errors).toEqual([]);
});

test("the owner invites a member, who is gated until they accept for themselves", async ({ page }) => {
  const errors = watchForPageErrors(page);

  await test.step("the owner invites a colleague; a mistyped address keeps what was typed", async () => {
    await signIn(page, OWNER.email, OWNER.password);
    await expect(page.getByRole("heading", { name: COMPANY, level: 1 })).toBeVisible();
    await page.getByRole("link", { name: "Team", exact: true }).click();
    await page.getByLabel(/^Their email address/).fill("milo@sunbeam");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByText("Enter a valid email address.")).toBeVisible();
    await expect(page.getByLabel(/^Their email address/)).toHaveValue("milo@sunbeam");
    await page.getByLabel(/^Their email address/).fill(MEMBER.email);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByText("If this person can join, they will receive an invitation.")).toBeVisible();
    await expect(page.getByRole("cell", { name: MEMBER.email })).toBeVisible();
    await expectAccessible(page, "partner team");
    await signOut(page);
  });

  await test.step("the member joins through the emailed link and meets the gate", async () => {
    await signInAsAdmin(page);
    const url = await linkFromOutbox(page, new RegExp(`Join ${COMPANY}`), /\/invitation\?token=/);
    await signOut(page);
    await page.goto(url);
    await expect(page.getByText(`join ${COMPANY}'s partner team`)).toBeVisible();
    await activateInvitation(page, url, MEMBER);
    await expect(page).toHaveURL(/\/partner\/policies/);
    await expect(page.getByText("4 policies to accept before you continue")).toBeVisible();
    // Their organisation's owner accepted already; the record says so, but the member must accept too.
    await expect(page.getByRole("cell", { name: new RegExp(OWNER.name) }).first()).toBeVisible();
    await acceptEverything(page, 4);
    await expect(page.getByRole("heading", { name: COMPANY, level: 1 })).toBeVisible();
    await expect(page.getByText("3 of 8 steps done")).toBeVisible();
  });

  await test.step("a member sees the team but cannot manage it", async () => {
    await page.getByRole("link", { name: "Team", exact: true }).click();
    await expect(page.getByText(`${OWNER.name} manages the team.`)).toBeVisible();
    await expect(page.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
    await page.setViewportSize({ width: 375, height: 740 });
    await expectNoHorizontalOverflow(page);
    await page.goto("/partner/policies");
    await expectNoHorizontalOverflow(page);
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await test.step("the admin sees the organisation covered for the current terms", async () => {
    await signInAsAdmin(page);
    await page.goto("/admin/policies");
    await page.getByRole("link", { name: "Program terms", exact: true }).click();
    await page.getByRole("link", { name: "Who has not accepted, and reminders" }).click();
    const row = page.getByRole("row", { name: new RegExp(COMPANY) });
    await expect(row.getByText("Covered", { exact: true })).toBeVisible();
    await expect(row.getByText("2 of 2")).toBeVisible();
    await expectAccessible(page, "coverage");
    await signOut(page);
  });

  await test.step("the owner removes the member after a confirmation that names them", async () => {
    await signIn(page, OWNER.email, OWNER.password);
    await page.getByRole("link", { name: "Team", exact: true }).click();
    // The owner is signed in right now; the member last signed in when they joined.
    await expect(page.getByRole("row", { name: new RegExp(OWNER.email) }).getByRole("cell", { name: "Now", exact: true })).toBeVisible();
    await expect(page.getByRole("row", { name: new RegExp(MEMBER.email) }).getByText("Never")).toHaveCount(0);
    await page.getByRole("link", { name: `Remove ${MEMBER.name}` }).click();
    await expect(page.getByRole("heading", { name: `Remove ${MEMBER.name}?`, level: 1 })).toBeVisible();
    await expect(
      page.getByText(`Remove ${MEMBER.name} (${MEMBER.email}) from ${COMPANY}? They are signed out at once and can no longer open the partner area.`),
    ).toBeVisible();
    await expectAccessible(page, "remove member confirmation");
    await page.setViewportSize({ width: 390, height: 800 });
    await expectNoHorizontalOverflow(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    // Cancel changes nothing.
    await page.getByRole("link", { name: "Cancel" }).click();
    await expect(page.getByRole("row", { name: new RegExp(MEMBER.email) })).toBeVisible();
    await page.getByRole("link", { name: `Remove ${MEMBER.name}` }).click();
    await page.getByRole("button", { name: `Remove ${MEMBER.name}` }).click();
    await expect(page).toHaveURL(/\/partner\/team$/);
    await expect(page.getByText(`${MEMBER.name} was removed from the team and signed out.`)).toBeVisible();
    await expect(page.getByRole("row", { name: new RegExp(MEMBER.email) })).toHaveCount(0);
    await expectAccessible(page, "team after removal");
    await signOut(page);
    await signIn(page, MEMBER.email, MEMBER.password);
    await expect(page.getByText(/email or password/i)).toBeVisible();
  });

  expect(errors).toEqual([]);
});
