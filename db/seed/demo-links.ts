import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { creatives, trackingLinks, users } from "#db/schema/index";
import { writeClicks, type PendingClick } from "~/domain/links/click-recorder.server";
import { ClickIdSource } from "~/domain/links/codes.server";
import { createEvergreenLink, setLinkStatus } from "~/domain/links/links.server";
import { saveLinkSettings } from "~/domain/links/settings.server";
import { DEFAULT_LINK_SETTINGS } from "~/domain/links/catalog";
import type { PartnerActor } from "~/domain/creatives/submissions.server";
import type { AppContext } from "~/lib/context.server";
import { DEMO_BRAND_DOMAIN } from "./demo-creatives";

// Tracking links with a few weeks of clicks, for the demo (issue 15).
// Northwind's approved creatives already have their links (issued by the
// approvals in demo-creatives.ts); here Northwind makes two evergreen links,
// the brand disables one, and visitors click: the clicks go through the
// recorder's own batch writer, so the daily counts, the unique visitors and
// Northwind's "first link live" are what real traffic would leave behind.

const DAY = 86_400_000;

const daysAgo = (app: AppContext, days: number): AppContext => ({ ...app, clock: { now: () => new Date(app.clock.now().getTime() - days * DAY) } });

/** The same numbers on every seeding: a small deterministic generator (mulberry32). */
export function randomFrom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const REFERRERS = ["www.instagram.com", "northwind.test", "t.co", null, null, "l.facebook.com", "news.google.com"];
const COUNTRIES = ["US", "US", "US", "CA", "GB", "DE", "NL"];
const BOT_AGENTS = ["bot", "bot", "unknown"] as const;

export async function seedLinks(app: AppContext): Promise<void> {
  const db = app.db;
  const [admin] = await db.select().from(users).where(eq(users.email, "admin@demo.cobrand.test"));
  const adminActor = { id: admin!.id, label: admin!.email, ip: "127.0.0.1" };
  await saveLinkSettings(daysAgo(app, 40), adminActor, {
    ...DEFAULT_LINK_SETTINGS,
    fallbackUrl: `https://www.${DEMO_BRAND_DOMAIN}/partners`,
    defaultDestinationUrl: `https://www.${DEMO_BRAND_DOMAIN}/`,
  });

  const [nora] = await db.select().from(users).where(eq(users.email, "owner@northwind.test"));
  const partner: PartnerActor = { id: nora!.id, label: nora!.email, ip: "198.51.100.23", name: nora!.name, partnerOrgId: nora!.partnerOrgId! };
  await createEvergreenLink(daysAgo(app, 24), partner, {
    label: "Blog sidebar: shop Lumen",
    destinationUrl: `https://www.${DEMO_BRAND_DOMAIN}/bulbs?ref=sidebar`,
    channel: "website_blog",
  });
  const newsletter = await createEvergreenLink(daysAgo(app, 18), partner, {
    label: "Newsletter footer",
    destinationUrl: `https://www.${DEMO_BRAND_DOMAIN}/starter-kit`,
    channel: "email",
  });

  const links = await db.select().from(trackingLinks).where(eq(trackingLinks.organisationId, partner.partnerOrgId));
  // The brand disables the newsletter link two days ago (below); its visitors have gone to the fallback page since.
  const newsletterDisabledAt = new Date(app.clock.now().getTime() - 2 * DAY);
  const random = randomFrom(20_261_201);
  const clickIds = new ClickIdSource();
  const now = app.clock.now();
  const clicks: PendingClick[] = [];
  for (const link of links) {
    // The revoked creative's link was live for a while; after the revocation its visitors go to the fallback page.
    const creativeRevokedAt = link.creativeId ? await revokedAtOf(app, link.creativeId) : null;
    const popularity = link.kind === "evergreen" ? 14 : 30;
    for (let at = link.createdAt.getTime() + DAY / 4; at < now.getTime(); at += DAY / (popularity * (0.6 + random()))) {
      const clickedAt = new Date(at);
      const weekend = [0, 6].includes(clickedAt.getUTCDay());
      if (weekend && random() < 0.35) continue;
      const revoked = creativeRevokedAt !== null && clickedAt > creativeRevokedAt;
      const disabled = link.id === newsletter.id && clickedAt > newsletterDisabledAt;
      // Old posts keep some traffic after the revocation, less and less of it.
      if (revoked && random() < 0.7) continue;
      const isBot = random() < 0.07;
      const visitor = `v${Math.floor(random() * popularity * 18)}`;
      clicks.push({
        clickedAt,
        clickId: clickIds.next(clickedAt.getTime()),
        linkId: link.id,
        organisationId: link.organisationId,
        requestedCode: null,
        visitorHash: crypto
          .createHash("sha256")
          .update(`${link.id}:${visitor}:${clickedAt.toISOString().slice(0, 10)}`)
          .digest("base64url")
          .slice(0, 22),
        userAgentClass: isBot ? BOT_AGENTS[Math.floor(random() * BOT_AGENTS.length)]! : "browser",
        referrerHost: REFERRERS[Math.floor(random() * REFERRERS.length)]!,
        country: COUNTRIES[Math.floor(random() * COUNTRIES.length)]!,
        isBot,
        isTest: false,
        fallbackReason: revoked ? "approval_revoked" : disabled ? "link_disabled" : null,
      });
    }
    // Nora tried each link once before sharing it.
    const triedAt = new Date(link.createdAt.getTime() + 60_000);
    clicks.push({
      clickedAt: triedAt,
      clickId: clickIds.next(triedAt.getTime()),
      linkId: link.id,
      organisationId: link.organisationId,
      requestedCode: null,
      visitorHash: "nora-test",
      userAgentClass: "browser",
      referrerHost: null,
      country: "US",
      isBot: false,
      isTest: true,
      fallbackReason: null,
    });
  }
  clicks.sort((a, b) => a.clickedAt.getTime() - b.clickedAt.getTime());
  for (let start = 0; start < clicks.length; start += 500) await writeClicks(db, clicks.slice(start, start + 500));

  // The brand paused the newsletter link for a wording problem in the footer.
  await setLinkStatus({ ...app, clock: { now: () => newsletterDisabledAt } }, adminActor, newsletter.id, {
    status: "disabled",
    reason: "The newsletter footer calls the starter kit “free”; it is not. Re-enable once the footer is fixed.",
  });
}

async function revokedAtOf(app: AppContext, creativeId: string): Promise<Date | null> {
  const [row] = await app.db.select({ revokedAt: creatives.revokedAt }).from(creatives).where(eq(creatives.id, creativeId));
  return row?.revokedAt ?? null;
}
