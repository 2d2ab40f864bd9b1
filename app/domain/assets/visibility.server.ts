import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { assets, assetVersions, kitItems, partnerOrganisations } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { NotFoundError } from "../errors";
import { ASSET_PAGE_SIZE, filterConditions, latestVersion, pageOfAssets, type AssetFilters } from "./listing.server";

// What a partner organisation may see of the catalogue, and the reads made
// of it: the hub's list and facets, one asset, a kit's items. `now` is the
// moment the usage windows are judged at (the caller's clock).

/**
 * What a partner organisation may see: active, inside its usage window, and
 * either for every tier or for the organisation's tier.
 */
function visibleTo(tier: string, now: Date): SQL {
  return and(
    eq(assets.status, "active"),
    or(isNull(assets.availableFrom), lte(assets.availableFrom, now)),
    or(isNull(assets.expiresAt), gt(assets.expiresAt, now)),
    or(sql`cardinality(${assets.visibleTiers}) = 0`, sql`${tier} = any(${assets.visibleTiers})`),
  )!;
}

async function tierOf(db: Db, partnerOrgId: string): Promise<string> {
  const [org] = await db.select({ tier: partnerOrganisations.tier }).from(partnerOrganisations).where(eq(partnerOrganisations.id, partnerOrgId));
  if (!org) throw new NotFoundError("Partner organisation not found.");
  return org.tier;
}

export async function listAssetsForPartner(db: Db, partnerOrgId: string, filters: AssetFilters, now: Date, page = 1, pageSize = ASSET_PAGE_SIZE) {
  const tier = await tierOf(db, partnerOrgId);
  const conditions = [visibleTo(tier, now), ...filterConditions(filters)];
  const found = await pageOfAssets(db, conditions, filters.sort, page, pageSize);
  // Partners do not see which tiers an asset is limited to, nor where it is stored.
  return {
    ...found,
    rows: found.rows.map(
      ({ visibleTiers: _tiers, status: _status, storageKey: _key, allowOriginal: _original, extraBackgrounds: _backgrounds, ...row }) => row,
    ),
  };
}

/** Facets for the partner's filters, from what the partner can see. */
export async function assetFacetsForPartner(db: Db, partnerOrgId: string, now: Date) {
  const tier = await tierOf(db, partnerOrgId);
  const rows = await db.select({ category: assets.category, tags: assets.tags }).from(assets).where(visibleTo(tier, now));
  const categories = [...new Set(rows.map((r) => r.category).filter(Boolean))].sort();
  const tags = [...new Set(rows.flatMap((r) => r.tags))].sort();
  return { categories, tags };
}

/**
 * Rows of `kit_items` joined to assets the partner may see, with each asset's
 * newest version: one query for any number of kits.
 */
export async function visibleKitItems(db: Db, partnerOrgId: string, kitIds: string[], now: Date) {
  if (kitIds.length === 0) return [];
  const tier = await tierOf(db, partnerOrgId);
  return db
    .select({ item: kitItems, asset: assets, version: assetVersions })
    .from(kitItems)
    .innerJoin(assets, eq(assets.id, kitItems.assetId))
    .innerJoin(assetVersions, eq(assetVersions.id, latestVersion))
    .where(and(inArray(kitItems.kitId, kitIds), visibleTo(tier, now), isNotNull(assetVersions.storageKey)))
    .orderBy(asc(kitItems.kitId), asc(kitItems.position));
}

/** One asset with its newest version, if the partner may see it; null otherwise (another tier, retired, outside its window, unknown). */
export async function getAssetForPartner(db: Db, partnerOrgId: string, assetId: string, now: Date) {
  const tier = await tierOf(db, partnerOrgId);
  const [row] = await db
    .select({ asset: assets, version: assetVersions })
    .from(assets)
    .innerJoin(assetVersions, eq(assetVersions.id, latestVersion))
    .where(and(eq(assets.id, assetId), visibleTo(tier, now)));
  return row ?? null;
}
