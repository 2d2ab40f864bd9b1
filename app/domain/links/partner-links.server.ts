import { and, eq } from "drizzle-orm";
import { partnerOrganisations, trackingLinks } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import type { Db } from "~/lib/db.server";
import { slugify } from "~/lib/slug";
import { performanceReport, programCurrency, dailyPerformanceCsv } from "../conversions/stats.server";
import { NotFoundError } from "../errors";
import { canonicalOrigin } from "../settings/site.server";
import { shortLinkUrl, type StatsRangeDays } from "./catalog";
import type { LinkRow } from "./queries.server";
import { getLinkSettings } from "./settings.server";
import { statsRange } from "./stats.server";
import { testClickUrl } from "./visitors.server";

type SiteContext = Pick<AppContext, "config" | "db" | "siteOriginCache" | "clock">;

export type LinkAddresses = { shortUrl: string; testClickUrl: string };

/**
 * The addresses a partner shares a link by and tests it with, built on the
 * site's own origin (PUBLIC_URL or the one recorded at setup), never on a
 * request's Host header. Reads the origin once for a page of links.
 */
export async function linkAddresses(ctx: SiteContext): Promise<(code: string) => LinkAddresses> {
  const origin = await canonicalOrigin(ctx);
  const now = ctx.clock.now();
  return (code) => {
    const shortUrl = shortLinkUrl(origin, code);
    return { shortUrl, testClickUrl: testClickUrl(ctx.config.appSecret, shortUrl, code, now) };
  };
}

/** What the partner's pages show of a link: no one's names, no internal ids beyond its own and its creative's. */
export function partnerLinkView(row: LinkRow, addressOf: (code: string) => LinkAddresses) {
  return {
    id: row.id,
    label: row.label,
    kind: row.kind,
    status: row.status,
    fallbackReason: row.fallbackReason,
    disabledReason: row.disabledReason,
    destinationUrl: row.destinationUrl,
    channel: row.utmMedium,
    creativeId: row.creativeId,
    versionNumber: row.versionNumber,
    createdAt: row.createdAt,
    clicks: row.clicks,
    ...addressOf(row.code),
  };
}

export type PartnerLinkView = ReturnType<typeof partnerLinkView>;

/** A link of the organisation: another organisation's, or none, reads as missing. */
async function ownLink(db: Db, organisationId: string, linkId: string) {
  const [link] = await db
    .select({ id: trackingLinks.id, code: trackingLinks.code, label: trackingLinks.label })
    .from(trackingLinks)
    .where(and(eq(trackingLinks.id, linkId), eq(trackingLinks.organisationId, organisationId)));
  if (!link) throw new NotFoundError("Link not found.");
  return link;
}

/** A file name that says which link a download is of: its name and its code. */
const fileStem = (link: { code: string; label: string }) => `${slugify(link.label, { fallback: "link", maxLength: 40 })}-${link.code}`;

/** What a link's QR code encodes (its short URL) and the name of the download. */
export async function qrCodeOfLink(ctx: SiteContext, organisationId: string, linkId: string, extension: string): Promise<{ text: string; filename: string }> {
  const link = await ownLink(ctx.db, organisationId, linkId);
  return { text: shortLinkUrl(await canonicalOrigin(ctx), link.code), filename: `${fileStem(link)}-qr.${extension}` };
}

/** A link's clicks and conversions by day over the last `days`, as CSV, the download's name, and the range (for the export's audit event). */
export async function linkStatsCsv(
  ctx: SiteContext,
  organisationId: string,
  linkId: string,
  days: StatsRangeDays,
): Promise<{ csv: string; filename: string; range: { from: string; to: string } }> {
  const link = await ownLink(ctx.db, organisationId, linkId);
  const range = statsRange(ctx.clock.now(), days);
  const report = await performanceReport(ctx.db, { organisationId, linkId: link.id }, range, await programCurrency(ctx.db));
  return { csv: dailyPerformanceCsv(report), filename: `${fileStem(link)}-stats-${range.from}-to-${range.to}.csv`, range };
}

/** What the help page fills the UTM convention in with for this organisation: its partner code, the click id's name, whether a fallback page is set. */
export async function linkConventionFor(db: Db, organisationId: string): Promise<{ slug: string; clickIdParam: string; hasFallbackPage: boolean }> {
  const [[org], settings] = await Promise.all([
    db.select({ slug: partnerOrganisations.slug }).from(partnerOrganisations).where(eq(partnerOrganisations.id, organisationId)),
    getLinkSettings(db),
  ]);
  if (!org) throw new NotFoundError("Partner organisation not found.");
  return { slug: org.slug, clickIdParam: settings.clickIdParam, hasFallbackPage: settings.fallbackUrl !== "" };
}
