import { and, asc, desc, eq, type SQL } from "drizzle-orm";
import { assetDownloads, assets, assetVersions, kits, partnerOrganisations, users } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import { type Db, transaction } from "~/lib/db.server";

// Who downloaded what: written with each partner download, read by the
// brand team (the download log and its CSV).

/** One line of the download log, audited with it. */
export async function recordDownload(
  db: Db,
  actor: Actor & { id: string; partnerOrgId: string },
  asset: { id: string; title: string },
  version: { id: string; number: number },
  rendition: string,
): Promise<void> {
  await transaction(db, async (tx) => {
    await tx.insert(assetDownloads).values({ userId: actor.id, partnerOrgId: actor.partnerOrgId, assetId: asset.id, versionId: version.id, rendition });
    await recordAudit(tx, {
      actor,
      action: "asset.downloaded",
      subjectType: "asset",
      subjectId: asset.id,
      partnerOrgId: actor.partnerOrgId,
      data: { title: asset.title, version: version.number, rendition },
    });
  });
}

export type DownloadLogFilters = { assetId?: string | undefined; partnerOrgId?: string | undefined };

/** The download log for the brand team, newest first, by asset and/or organisation. */
export async function listDownloads(db: Db, filters: DownloadLogFilters, limit = 200) {
  const conditions: SQL[] = [];
  if (filters.assetId) conditions.push(eq(assetDownloads.assetId, filters.assetId));
  if (filters.partnerOrgId) conditions.push(eq(assetDownloads.partnerOrgId, filters.partnerOrgId));
  return db
    .select({
      id: assetDownloads.id,
      occurredAt: assetDownloads.occurredAt,
      userName: users.name,
      userEmail: users.email,
      organisation: partnerOrganisations.name,
      partnerOrgId: assetDownloads.partnerOrgId,
      assetTitle: assets.title,
      versionNumber: assetVersions.number,
      kitName: kits.name,
      rendition: assetDownloads.rendition,
    })
    .from(assetDownloads)
    .innerJoin(users, eq(users.id, assetDownloads.userId))
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, assetDownloads.partnerOrgId))
    .leftJoin(assets, eq(assets.id, assetDownloads.assetId))
    .leftJoin(assetVersions, eq(assetVersions.id, assetDownloads.versionId))
    .leftJoin(kits, eq(kits.id, assetDownloads.kitId))
    .where(and(...conditions))
    .orderBy(desc(assetDownloads.occurredAt))
    .limit(limit);
}

export async function listDownloadFilterOptions(db: Db) {
  const [orgs, assetRows] = await Promise.all([
    db.select({ id: partnerOrganisations.id, name: partnerOrganisations.name }).from(partnerOrganisations).orderBy(asc(partnerOrganisations.name)),
    db.select({ id: assets.id, title: assets.title }).from(assets).orderBy(asc(assets.title)),
  ]);
  return { organisations: orgs, assets: assetRows };
}
