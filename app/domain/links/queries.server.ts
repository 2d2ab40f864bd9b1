import { and, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { creatives, creativeVersions, partnerOrganisations, trackingLinks, users } from "#db/schema/index";
import { containsPattern, type Db } from "~/lib/db.server";
import { NotFoundError } from "../errors";
import { paginate, type Page } from "../pagination.server";
import type { PartnerStatus } from "../partners/catalog";
import type { FallbackReason, LinkKind, LinkStatus } from "./catalog";
import { allowedHosts, fallbackReasonOf } from "./resolve.server";
import type { LinkFilters } from "./schemas.server";
import { clickTotals, dailyClicks, EMPTY_SUMMARY, linkSummaries, type LinkClickSummary, type StatsRange } from "./stats.server";

export const LINKS_PAGE_SIZE = 25;

export type LinkRow = {
  id: string;
  code: string;
  kind: LinkKind;
  label: string;
  status: LinkStatus;
  destinationUrl: string;
  utmMedium: string;
  creativeId: string | null;
  versionNumber: number | null;
  organisationId: string;
  organisationName: string;
  organisationStatus: PartnerStatus;
  disabledReason: string | null;
  disabledAt: Date | null;
  createdAt: Date;
  createdByName: string | null;
  /** Why a click on it goes to the fallback page now (the redirect's own rule), or null when it reaches the destination. */
  fallbackReason: FallbackReason | null;
  clicks: LinkClickSummary;
};

const linkColumns = {
  id: trackingLinks.id,
  code: trackingLinks.code,
  kind: trackingLinks.kind,
  label: trackingLinks.label,
  status: trackingLinks.status,
  destinationUrl: trackingLinks.destinationUrl,
  utmMedium: trackingLinks.utmMedium,
  creativeId: trackingLinks.creativeId,
  versionNumber: creativeVersions.number,
  organisationId: trackingLinks.organisationId,
  organisationName: partnerOrganisations.name,
  organisationStatus: partnerOrganisations.status,
  disabledReason: trackingLinks.disabledReason,
  disabledAt: trackingLinks.disabledAt,
  createdAt: trackingLinks.createdAt,
  createdByName: users.name,
  creativeStatus: creatives.status,
};

type SelectedLink = Omit<LinkRow, "fallbackReason" | "clicks"> & { creativeStatus: string | null };

/** The links' effective state, judged as the redirect judges a click now, and their click counts. */
async function withStateAndClicks<T extends SelectedLink>(
  db: Db,
  rows: T[],
  now: Date,
): Promise<(Omit<T, "creativeStatus"> & Pick<LinkRow, "fallbackReason" | "clicks">)[]> {
  if (!rows.length) return [];
  const [summaries, allowed] = await Promise.all([
    linkSummaries(
      db,
      rows.map((row) => row.id),
      now,
    ),
    allowedHosts(db),
  ]);
  return rows.map(({ creativeStatus, ...row }) => ({
    ...row,
    fallbackReason: fallbackReasonOf(
      {
        status: row.status,
        partnerStatus: row.organisationStatus,
        approvalRevoked: creativeStatus === "revoked",
        destinationHost: new URL(row.destinationUrl).hostname,
      },
      allowed,
    ),
    clicks: summaries.get(row.id) ?? EMPTY_SUMMARY,
  }));
}

async function listLinks(db: Db, where: SQL | undefined, page: number, now: Date): Promise<Page<LinkRow>> {
  const result = await paginate(
    page,
    LINKS_PAGE_SIZE,
    (limit, offset) =>
      db
        .select(linkColumns)
        .from(trackingLinks)
        .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, trackingLinks.organisationId))
        .leftJoin(creativeVersions, eq(creativeVersions.id, trackingLinks.creativeVersionId))
        .leftJoin(creatives, eq(creatives.id, trackingLinks.creativeId))
        .leftJoin(users, eq(users.id, trackingLinks.createdById))
        .where(where)
        .orderBy(desc(trackingLinks.createdAt), desc(trackingLinks.id))
        .limit(limit)
        .offset(offset),
    () => db.select({ n: count() }).from(trackingLinks).innerJoin(partnerOrganisations, eq(partnerOrganisations.id, trackingLinks.organisationId)).where(where),
  );
  return { ...result, rows: await withStateAndClicks(db, result.rows, now) };
}

/** An organisation's links, newest first, with their click counts. */
export function linksOfOrganisation(db: Db, organisationId: string, page: number, now: Date): Promise<Page<LinkRow>> {
  return listLinks(db, eq(trackingLinks.organisationId, organisationId), page, now);
}

/** Every link, for the brand team, filtered by partner, kind, status and a search of code, name, destination and partner. */
export function allLinks(db: Db, filters: LinkFilters, page: number, now: Date): Promise<Page<LinkRow>> {
  const conditions: SQL[] = [];
  if (filters.partner) conditions.push(eq(trackingLinks.organisationId, filters.partner));
  if (filters.kind) conditions.push(eq(trackingLinks.kind, filters.kind));
  if (filters.status) conditions.push(eq(trackingLinks.status, filters.status));
  if (filters.q) {
    const pattern = containsPattern(filters.q);
    conditions.push(
      or(
        eq(trackingLinks.code, filters.q),
        ilike(trackingLinks.label, pattern),
        ilike(trackingLinks.destinationUrl, pattern),
        ilike(partnerOrganisations.name, pattern),
      )!,
    );
  }
  return listLinks(db, conditions.length ? and(...conditions) : undefined, page, now);
}

/** One link with its counts; another organisation's link reads as missing when `organisationId` is given. */
export async function linkDetail(
  db: Db,
  linkId: string,
  now: Date,
  organisationId?: string,
): Promise<LinkRow & { utmSource: string; utmCampaign: string; utmContent: string }> {
  const where = organisationId ? and(eq(trackingLinks.id, linkId), eq(trackingLinks.organisationId, organisationId)) : eq(trackingLinks.id, linkId);
  const [row] = await db
    .select({ ...linkColumns, utmSource: trackingLinks.utmSource, utmCampaign: trackingLinks.utmCampaign, utmContent: trackingLinks.utmContent })
    .from(trackingLinks)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, trackingLinks.organisationId))
    .leftJoin(creativeVersions, eq(creativeVersions.id, trackingLinks.creativeVersionId))
    .leftJoin(creatives, eq(creatives.id, trackingLinks.creativeId))
    .leftJoin(users, eq(users.id, trackingLinks.createdById))
    .where(where);
  if (!row) throw new NotFoundError("Link not found.");
  const [detail] = await withStateAndClicks(db, [row], now);
  return detail!;
}

/** The link issued for a creative (its approved version's), if any, for the creative pages. */
export async function linkOfCreative(db: Db, creativeId: string, organisationId?: string): Promise<{ id: string; code: string; status: LinkStatus } | null> {
  const where = organisationId
    ? and(eq(trackingLinks.creativeId, creativeId), eq(trackingLinks.organisationId, organisationId))
    : eq(trackingLinks.creativeId, creativeId);
  const [row] = await db
    .select({ id: trackingLinks.id, code: trackingLinks.code, status: trackingLinks.status })
    .from(trackingLinks)
    .where(where)
    .orderBy(desc(trackingLinks.createdAt))
    .limit(1);
  return row ?? null;
}

/** An organisation's links (how many, how many active) and their clicks over a range, from the daily counts: the admin's partner page. */
export async function organisationLinkStats(db: Db, organisationId: string, range: StatsRange) {
  const [[counts], totals, days] = await Promise.all([
    db
      .select({ total: count(), active: sql<number>`count(*) filter (where ${trackingLinks.status} = 'active')::int` })
      .from(trackingLinks)
      .where(eq(trackingLinks.organisationId, organisationId)),
    clickTotals(db, { organisationId }, range),
    dailyClicks(db, { organisationId }, range),
  ]);
  return { counts: { total: counts?.total ?? 0, active: counts?.active ?? 0 }, totals, days };
}
