import type { TrackingLink } from "#db/schema/index";
import type { PendingClick } from "~/domain/links/click-recorder.server";
import { currentRuleSet, saveRuleSet } from "~/domain/creatives/rules.server";
import { DEFAULT_LINK_SETTINGS, type LinkSettings } from "~/domain/links/catalog";
import { createEvergreenLink } from "~/domain/links/links.server";
import { saveLinkSettings } from "~/domain/links/settings.server";
import type { Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import type { DatabaseConfig } from "~/lib/config.server";
import { openDatabase } from "~/lib/db.server";
import { createTestContext, createUser } from "./context";
import { creativePartner, type CreativePartner } from "./creatives";

// A program ready for tracking links, made through the domain as an admin
// would: the brand's shop allowlisted, a fallback page, an active partner and
// its evergreen links.

export const SHOP_DOMAIN = "shop.example";
export const FALLBACK_URL = "https://brand.example/partners/link-unavailable";
export const SHOP_PAGE = `https://${SHOP_DOMAIN}/lamps?colour=warm#reviews`;

/** The admin who set the program up, as the actor domain calls take. */
export type LinkProgram = { adminActor: Actor & { id: string }; settings: LinkSettings };

/** Allowlists `domains` (the shop by default) and sets the fallback page: what every redirect test starts from. */
export async function linkProgram(app: AppContext, options: { domains?: string[]; settings?: Partial<LinkSettings> } = {}): Promise<LinkProgram> {
  const admin = await createUser(app.db, { role: "admin", name: "Link Admin" });
  const adminActor = { id: admin.id, label: admin.email };
  await allowDomains(app, adminActor, options.domains ?? [SHOP_DOMAIN]);
  const settings = { ...DEFAULT_LINK_SETTINGS, fallbackUrl: FALLBACK_URL, ...options.settings };
  await saveLinkSettings(app, adminActor, settings);
  return { adminActor, settings };
}

/** Replaces the destination allowlist (the pre-screen rules' list), as the rules page saves it. */
export async function allowDomains(app: AppContext, actor: Actor & { id: string }, domains: string[]): Promise<void> {
  const { rules } = await currentRuleSet(app.db);
  await saveRuleSet(app, actor, { ...rules, allowedDomains: domains });
}

/** An evergreen link of `partner` to `destinationUrl` on its blog channel. */
export function evergreenLink(
  app: AppContext,
  partner: Pick<CreativePartner, "actor">,
  destinationUrl = SHOP_PAGE,
  label = "Spring lamps",
): Promise<TrackingLink> {
  return createEvergreenLink(app, partner.actor, { label, destinationUrl, channel: "website_blog" });
}

/** An active partner with one evergreen link to the shop. */
export async function partnerWithLink(app: AppContext, name = "Lumen Blog", destinationUrl = SHOP_PAGE) {
  const partner = await creativePartner(app, name);
  const link = await evergreenLink(app, partner, destinationUrl);
  return { ...partner, link };
}

/** A desktop Chrome's user agent: counted as a person. */
export const BROWSER_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/**
 * Migrates the database `config` names, sets up the program and `count`
 * partners with a link each in it, and closes it again: what a server
 * process started on it then redirects (the shutdown test, the redirect bench).
 */
export async function seedLinksDatabase(config: DatabaseConfig, count: number): Promise<TrackingLink[]> {
  const database = await openDatabase(config);
  try {
    const app = createTestContext(database.db);
    await linkProgram(app);
    const links: TrackingLink[] = [];
    for (let i = 1; i <= count; i++) links.push((await partnerWithLink(app, i === 1 ? "Lumen Blog" : `Lumen Blog ${i}`)).link);
    return links;
  } finally {
    await database.close();
  }
}

/** seedLinksDatabase with one partner link. */
export async function seedLinkDatabase(config: DatabaseConfig): Promise<TrackingLink> {
  return (await seedLinksDatabase(config, 1))[0]!;
}

let sequence = 0;

/** A click as the redirect queues it: a person's browser on the link, at `at`, unless `fields` say otherwise. */
export function pendingClick(link: { id: string; organisationId: string }, at: Date, fields: Partial<PendingClick> = {}): PendingClick {
  sequence++;
  return {
    clickedAt: at,
    clickId: `c${sequence}${Math.random().toString(36).slice(2, 12)}`,
    linkId: link.id,
    organisationId: link.organisationId,
    requestedCode: null,
    visitorHash: `visitor-${sequence}`,
    userAgentClass: "browser",
    referrerHost: null,
    country: null,
    isBot: false,
    isTest: false,
    fallbackReason: null,
    ...fields,
  };
}
