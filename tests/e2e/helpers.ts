import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { E2E_SETUP_TOKEN } from "../../playwright.config";

/** Fails on serious or critical accessibility violations of the page as it is now. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    blocking.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    `accessibility of ${label}`,
  ).toEqual([]);
}

/** No sideways scrolling: the page fits the viewport. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
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

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page.getByText("You have signed out.")).toBeVisible();
}

/** Collects uncaught errors in the page; a journey fails if any appear. */
export function watchForPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}
