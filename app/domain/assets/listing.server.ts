import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import { assetDownloads, assets, assetVersions, partnerOrganisations, users, type Asset } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { paginate } from "../pagination.server";
import type { AssetKindValue, AssetSort } from "./catalog";
import { foldSql, matchesEveryWordPrefix, queryWords } from "./search.server";

// The team's reads of the catalogue, and the page of assets both the team's
// list and the partner's hub are made of (visibility.server.ts narrows it to
// what a partner may see).

/** The newest version of each asset (in a query over `assets`). */
export const latestVersion = sql`(select v.id from asset_versions v where v.asset_id = "assets"."id" order by v.number desc limit 1)`;

const LIST_FIELDS = {
  id: assets.id,
  kind: assets.kind,
  title: assets.title,
  description: assets.description,
  category: assets.category,
  tags: assets.tags,
  status: assets.status,
  visibleTiers: assets.visibleTiers,
  availableFrom: assets.availableFrom,
  expiresAt: assets.expiresAt,
  updatedAt: assets.updatedAt,
  versionId: assetVersions.id,
  versionNumber: assetVersions.number,
  contentType: assetVersions.contentType,
  width: assetVersions.width,
  height: assetVersions.height,
  byteSize: assetVersions.byteSize,
};

export type AssetFilters = {
  q?: string | undefined;
  kind?: AssetKindValue | undefined;
  category?: string | undefined;
  tag?: string | undefined;
  sort?: AssetSort | undefined;
};

/** How many assets a page of the hub or the team's list shows. */
export const ASSET_PAGE_SIZE = 24;

/** Title, description, category and tags, folded for search (see search.server.ts). */
const searchableText = foldSql(
  sql`${assets.title} || ' ' || ${assets.description} || ' ' || ${assets.category} || ' ' || array_to_string(${assets.tags}, ' ')`,
);

export function filterConditions(filters: AssetFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.kind) conditions.push(eq(assets.kind, filters.kind));
  if (filters.category) conditions.push(eq(assets.category, filters.category));
  if (filters.tag) conditions.push(sql`${filters.tag} = any(${assets.tags})`);
  if (filters.q) conditions.push(...matchesEveryWordPrefix(searchableText, queryWords(filters.q)));
  return conditions;
}

/** Newest: by the upload of the version partners get. A–Z: by title, accents and case aside. The id keeps pages stable. */
function orderOf(sort: AssetSort | undefined): SQL[] {
  return sort === "title" ? [asc(foldSql(sql`${assets.title}`)), asc(assets.title), asc(assets.id)] : [desc(assetVersions.createdAt), desc(assets.id)];
}

/** One page of the team's list (or, with a large page, every asset: the kit editor's choices). */
export async function listAssetsForTeam(db: Db, filters: AssetFilters & { status?: "active" | "retired" | undefined }, page = 1, pageSize = ASSET_PAGE_SIZE) {
  const conditions = filterConditions(filters);
  if (filters.status) conditions.push(eq(assets.status, filters.status));
  return pageOfAssets(db, conditions, filters.sort, page, pageSize);
}

/**
 * One page of assets with their current version, for the team's list and the
 * partner's hub alike (the partner's rows are stripped of internal fields).
 */
export function pageOfAssets(db: Db, conditions: SQL[], sort: AssetSort | undefined, page: number, pageSize: number) {
  return paginate(
    page,
    pageSize,
    (limit, offset) =>
      db
        .select({ ...LIST_FIELDS, allowOriginal: assets.allowOriginal, extraBackgrounds: assets.extraBackgrounds, storageKey: assetVersions.storageKey })
        .from(assets)
        .innerJoin(assetVersions, eq(assetVersions.id, latestVersion))
        .where(and(...conditions))
        .orderBy(...orderOf(sort))
        .limit(limit)
        .offset(offset),
    () =>
      db
        .select({ n: count() })
        .from(assets)
        .where(and(...conditions)),
  );
}

/** The asset row alone (its kind, title, settings), for the team's routes that need no more. */
export async function getAsset(db: Db, assetId: string): Promise<Asset | null> {
  const [asset] = await db.select().from(assets).where(eq(assets.id, assetId));
  return asset ?? null;
}

export async function getAssetForTeam(db: Db, assetId: string) {
  const asset = await getAsset(db, assetId);
  if (!asset) return null;
  const versions = await db
    .select({ version: assetVersions, authorName: users.name })
    .from(assetVersions)
    .leftJoin(users, eq(users.id, assetVersions.createdById))
    .where(eq(assetVersions.assetId, assetId))
    .orderBy(desc(assetVersions.number));
  const downloads = await db
    .select({
      occurredAt: assetDownloads.occurredAt,
      rendition: assetDownloads.rendition,
      userName: users.name,
      organisation: partnerOrganisations.name,
      versionNumber: assetVersions.number,
    })
    .from(assetDownloads)
    .innerJoin(users, eq(users.id, assetDownloads.userId))
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, assetDownloads.partnerOrgId))
    .leftJoin(assetVersions, eq(assetVersions.id, assetDownloads.versionId))
    .where(eq(assetDownloads.assetId, assetId))
    .orderBy(desc(assetDownloads.occurredAt))
    .limit(100);
  const [total] = await db.select({ n: count() }).from(assetDownloads).where(eq(assetDownloads.assetId, assetId));
  return { asset, versions, downloads, downloadCount: Number(total?.n ?? 0) };
}

export async function getVersion(db: Db, assetId: string, number: number | null) {
  const [row] = await db
    .select()
    .from(assetVersions)
    .where(and(eq(assetVersions.assetId, assetId), number === null ? undefined : eq(assetVersions.number, number)))
    .orderBy(desc(assetVersions.number))
    .limit(1);
  return row ?? null;
}
