import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import sharp from "sharp";
import { E2E_SETUP_TOKEN } from "../../playwright.config";

// Moderate findings (heading order, landmarks) change how a screen reader user
// moves through a page, so they fail a journey too; minor ones are reported only.
const BLOCKING_IMPACTS: readonly string[] = ["moderate", "serious", "critical"];

type AxeViolation = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];
const describeViolation = (v: AxeViolation) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`;

/** Fails on moderate, serious or critical accessibility violations of the page as it is now; prints minor ones. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((v) => BLOCKING_IMPACTS.includes(v.impact ?? ""));
  const minor = results.violations.filter((v) => !BLOCKING_IMPACTS.includes(v.impact ?? ""));
  if (minor.length) console.warn(`accessibility of ${label}, minor:\n  ${minor.map(describeViolation).join("\n  ")}`);
  // Soft, so one run lists the findings of every page a journey visits.
  expect.soft(blocking.map(describeViolation), `accessibility of ${label}`).toEqual([]);
}

/**
 * No sideways scrolling: the page fits the viewport. Measured until it holds
 * for up to two seconds (a page still settling after a client-side
 * navigation); a failure names the innermost elements that stick out.
 */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  await expect(async () => {
    const { overflow, culprits } = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const describe = (el: Element) =>
        `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.classList.length ? `.${[...el.classList].join(".")}` : ""} (right edge ${Math.round(el.getBoundingClientRect().right)}px): ${(el.textContent ?? "").trim().slice(0, 60)}`;
      const sticking = [...document.body.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().right > width + 0.5);
      // Innermost only: an element whose children all fit is where the overflow starts.
      const innermost = sticking.filter((el) => !sticking.some((other) => other !== el && el.contains(other)));
      return { overflow: document.documentElement.scrollWidth - width, culprits: innermost.slice(0, 5).map(describe) };
    });
    expect(overflow, `${page.url()} scrolls sideways by ${overflow}px; sticking out: ${culprits.join(" | ")}`).toBeLessThanOrEqual(0);
  }).toPass({ timeout: 2_000 });
}

/** The program's first admin; whichever journey runs first creates it through the setup page. */
export const ADMIN = { name: "Ada Admin", email: "ada@acme.test", password: "a long admin passphrase" };

/** Signs the admin in, running first-run setup if no journey has yet. */
export async function signInAsAdmin(page: Page): Promise<void> {
  const setup = await page.request.get(`/setup?token=${E2E_SETUP_TOKEN}`);
  if (setup.status() === 200) {
    await page.goto(`/setup?token=${E2E_SETUP_TOKEN}`);
    await page.getByLabel("Program name").fill("Acme Partner Program");
    await page.getByLabel("Your name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create admin account" }).click();
    await expect(page.getByText("Your program is ready")).toBeVisible();
    return;
  }
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: "Hello, Ada" })).toBeVisible();
}

/** The href of the newest Outbox email whose subject matches, opened as the admin. */
export async function linkFromOutbox(page: Page, subject: RegExp, link: RegExp): Promise<string> {
  await page.goto("/admin/outbox");
  await page.getByRole("link", { name: subject }).first().click();
  return (await page.getByRole("link", { name: link }).getAttribute("href"))!;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Signs out as a person would at the page's width: on a phone the button sits
 * in the closed menu, so the menu is opened first.
 */
export async function signOut(page: Page): Promise<void> {
  const button = page.getByRole("button", { name: "Sign out" });
  const menu = page.locator(".app-nav-toggle > summary");
  // Right after a navigation neither may be shown yet; deciding then would aim at the phone menu on a wide page.
  await expect(button.or(menu).filter({ visible: true }).first(), "the page shows Sign out or its menu").toBeVisible();
  if (!(await button.isVisible())) await menu.click();
  await button.click();
  await expect(page, "signing out leads to the sign-in page").toHaveURL(/\/login$/);
  await expect(page.getByText("You have signed out.")).toBeVisible();
}

/** Collects uncaught errors in the page; a journey fails if any appear. */
export function watchForPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

export type Person = { name: string; email: string; password: string };

/** Activates an account from an emailed invitation link and waits until it lands. */
export async function activateInvitation(page: Page, url: string, person: Person): Promise<void> {
  await page.goto(url);
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel(/^Password/).fill(person.password);
  await page.getByLabel("Repeat the password").fill(person.password);
  await page.getByRole("button", { name: "Activate account" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/invitation"));
  // The URL changes a moment before the signed-in page renders: wait for its shell, so callers act on it.
  await expect(page.getByRole("button", { name: "Sign out" }), "the signed-in page has rendered").toBeAttached();
}

/**
 * A colleague of the brand team with a role, invited by the admin and joined
 * through the Outbox email, unless they exist already. Returns signed out.
 */
export async function ensureTeamMember(page: Page, person: Person, role: string): Promise<void> {
  await signInAsAdmin(page);
  await page.goto("/admin/users");
  if (await page.getByText(person.email, { exact: true }).count()) return signOut(page);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText("Invitation sent.")).toBeVisible();
  const url = await linkFromOutbox(page, /You're invited/, /\/invitation\?token=/);
  await signOut(page);
  await activateInvitation(page, url, person);
  await expect(page.getByRole("heading", { name: `Hello, ${person.name.split(" ")[0]}` })).toBeVisible();
  await signOut(page);
}

/** A stable documentation-range address (RFC 5737) per applicant email. */
function applicantAddress(email: string): string {
  let hash = 0;
  for (const char of email) hash = (hash * 31 + char.charCodeAt(0)) % 254;
  return `198.51.100.${hash + 1}`;
}

/**
 * A partner organisation made the way a real one is: it applies (website and
 * email, Europe), the admin approves it, and its owner activates the emailed
 * invitation. Returns with the owner signed in (on the policies page if
 * policies are published, else on the partner home).
 */
export async function onboardPartner(page: Page, company: string, owner: Person): Promise<void> {
  // Each applicant applies from its own network (the server trusts the loopback proxy).
  await page.setExtraHTTPHeaders({ "X-Forwarded-For": applicantAddress(owner.email) });
  await page.goto("/apply");
  await page.getByLabel(/^Company/).fill(company);
  await page.getByLabel(/^Your name/).fill(owner.name);
  await page.getByRole("textbox", { name: /^Email/ }).fill(owner.email);
  await page.getByRole("textbox", { name: /^Website/ }).fill(`https://${owner.email.split("@")[1]}`);
  await page.getByRole("radio", { name: "Publisher" }).check();
  await page.getByRole("checkbox", { name: "Website or blog" }).check();
  await page.getByRole("checkbox", { name: "Email", exact: true }).check();
  await page.getByRole("checkbox", { name: "Europe", exact: true }).check();
  await page.getByLabel(/^Audience size/).fill("40000");
  await page.getByLabel(/^Describe your audience/).fill("Readers comparing smart bulbs and home lighting.");
  await page.getByLabel(/^How would you promote us/).fill("Honest reviews and a seasonal buying guide.");
  await page.getByRole("checkbox", { name: /I agree that the program may store/ }).check();
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page.getByRole("heading", { name: "Application received" })).toBeVisible();
  await page.setExtraHTTPHeaders({});

  await signInAsAdmin(page);
  await page.goto("/admin/applications");
  await page.getByRole("link", { name: company }).click();
  await page.getByRole("radio", { name: "Revenue share" }).check();
  await page.getByLabel(/^Rate/).fill("10");
  await page.getByRole("button", { name: "Approve and invite" }).click();
  await expect(page.getByText("Approved. The partner organisation exists")).toBeVisible();
  const invitation = await linkFromOutbox(page, /your application is approved/, /\/invitation\?token=/);
  await signOut(page);
  await activateInvitation(page, invitation, owner);
}

// Creatives and their review, shared by the review and links journeys.

/** A path for a file a journey makes, in a directory of its own. */
export function tmpFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-e2e-")), name);
}

/** A wide banner image; its colour tells the versions apart. */
export async function bannerImage(name: string, colour: string): Promise<string> {
  const file = tmpFile(name);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800"><rect width="1200" height="800" fill="${colour}"/><circle cx="600" cy="360" r="220" fill="#f5c542"/><text x="600" y="720" font-size="80" text-anchor="middle" fill="#fff" font-family="sans-serif">Lumen Beam</text></svg>`;
  await sharp(Buffer.from(svg)).png().toFile(file);
  return file;
}

/** Onboards a partner and, should published policies hold them at the gate (as they do after the policies journey), accepts each. */
export async function onboardPartnerPastPolicies(page: Page, company: string, owner: Person): Promise<void> {
  await onboardPartner(page, company, owner);
  if (new URL(page.url()).pathname === "/partner/policies") {
    await page.getByRole("link", { name: /^(Start reading|Read the update)/ }).click();
    // Each acceptance moves on to the next policy or home: wait for one of the two before acting, so a check never aims at a page being left.
    const accept = page.getByRole("button", { name: /^Accept version/ });
    for (let left = 8; left > 0; left--) {
      await expect(accept.or(page.getByRole("heading", { name: "Getting started" }))).toBeVisible();
      if (!(await accept.isVisible())) break;
      const reading = page.url();
      await page.getByRole("checkbox", { name: /^I have read and accept/ }).check();
      await accept.click();
      await page.waitForURL((url) => url.toString() !== reading);
      await leftAcceptedPolicy(page);
    }
  }
  await expect(page).toHaveURL(/\/partner$/);
}

/**
 * The URL changes a moment before the next page renders (React renders it in a
 * transition), so the policy just accepted, its box still ticked, can still be
 * on screen: wait until it has gone before acting on the next one.
 */
export async function leftAcceptedPolicy(page: Page): Promise<void> {
  await expect(
    page.getByRole("checkbox", { name: /^I have read and accept/, checked: true }),
    "the accepted policy has left the page, and the next one is not ticked in advance",
  ).toHaveCount(0);
}

export /** Uploads a file to the creative open on the page and waits for its tile. */
async function uploadFile(page: Page, file: string): Promise<void> {
  await page.getByLabel("Add a file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.locator(".file-tiles").getByRole("link", { name: path.basename(file) })).toBeVisible();
}

/** Writes a website creative and saves it as a draft, landing on its page. */
export async function startCreative(
  page: Page,
  creative: { title: string; placement: string; copy: string; claim?: string; destinationUrl?: string },
): Promise<void> {
  await page.goto("/partner/creatives/new");
  await page.getByLabel(/^Title/).fill(creative.title);
  await page.getByLabel(/^Channel/).selectOption("website_blog");
  await page.getByLabel(/^Placement/).fill(creative.placement);
  if (creative.destinationUrl) await page.getByLabel(/^Destination/).fill(creative.destinationUrl);
  if (creative.claim) await page.getByRole("checkbox", { name: creative.claim }).check();
  await page.getByRole("textbox", { name: /^Copy/ }).fill(creative.copy);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved", { exact: true })).toBeVisible();
}

/** Signs in and waits until the sign-in has landed, so the next navigation does not race its redirect. */
export async function signInAs(page: Page, person: Person): Promise<void> {
  await signIn(page, person.email, person.password);
  await page.waitForURL((url) => url.pathname !== "/login");
}

/** Picks a decision in the decision form, writes the comment (if any) and records it. */
export async function decide(page: Page, decision: string, comment?: string): Promise<void> {
  const form = page.getByRole("form", { name: /^Your decision/ });
  await form.getByRole("radio", { name: decision, exact: true }).check();
  if (comment !== undefined) await form.getByLabel("Comment to the partner").fill(comment);
  await form.getByRole("button", { name: "Record decision" }).click();
}

/** The queue row of a creative, in a tab. */
export async function queueRow(page: Page, tab: "Brand" | "Legal", title: string) {
  await page.goto("/admin/creatives");
  await page
    .getByRole("navigation", { name: "Queue" })
    .getByRole("link", { name: new RegExp(`^${tab}`) })
    .click();
  await expect(page.getByRole("navigation", { name: "Queue" }).getByRole("link", { name: new RegExp(`^${tab}`) })).toHaveAttribute("aria-current", "page");
  return page.getByRole("row").filter({ has: page.getByRole("link", { name: title, exact: true }) });
}

/** Adds `domain` to the pre-screen rules' destination allowlist, as a signed-in admin (a new rules version; nothing when it is listed already). */
export async function allowDestinationDomain(page: Page, domain: string): Promise<void> {
  await page.goto("/admin/settings/prescreen");
  const domains = page.getByRole("textbox", { name: "Allowed destination domains" });
  const current = await domains.inputValue();
  if (current.split("\n").includes(domain)) return;
  await domains.fill([current.trim(), domain].filter(Boolean).join("\n"));
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page.getByText(/^Saved as version \d+/)).toBeVisible();
}

/** A journey's own partner organisation: its owner, and the shop (a domain) its links lead to. */
type ShopPartner = { company: string; owner: Person; shop: string };

/**
 * The admin allowlists the partner's shop; the partner onboards (past any published policies) and makes an evergreen
 * website link to `path` on the shop. Returns the link's short address, with the owner signed in on the link's page.
 */
export async function makeShopLink(page: Page, partner: ShopPartner, link: { name: string; path: string }): Promise<string> {
  await signInAsAdmin(page);
  await allowDestinationDomain(page, partner.shop);
  await signOut(page);
  await onboardPartnerPastPolicies(page, partner.company, partner.owner);
  await page.goto("/partner/links/new");
  await page.getByLabel(/^Name/).fill(link.name);
  await page.getByLabel(/^Destination/).fill(`https://${partner.shop}${link.path}`);
  await page.getByLabel(/^Channel/).selectOption("website_blog");
  await page.getByRole("button", { name: "Make the link" }).click();
  await expect(page.getByText("Link made")).toBeVisible();
  return page.getByRole("textbox", { name: `Short link of ${link.name}` }).inputValue();
}

/** A desktop Chrome's user agent: headless Chromium's own says HeadlessChrome, which the redirect counts as a bot. */
export const BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
