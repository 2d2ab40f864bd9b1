import { Readable } from "node:stream";
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import { ZipFile } from "yazl";
import { assetDownloads, assets, assetVersions, kitItems, kits } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import type { RenditionFormat } from "~/lib/images.server";
import { ORIGINAL_SIZE } from "./catalog";
import type { DownloadChoice, DownloadDecision } from "./downloads.server";
import { claimsSheetCsv, listClaimsForPartner } from "../claims/claims.server";
import { DomainError, NotFoundError } from "../errors";
import { getBranding } from "../settings/program.server";
import { latestVersion, listAssetsForTeam } from "./listing.server";
import { assertPartnerMayDownload } from "../partners/lifecycle.server";
import { visibleKitItems } from "./visibility.server";
import { allowedOrNull, decideDownload, downloadFile, downloadOffer, openDownload } from "./downloads.server";

export type KitInput = { name: string; description: string; includeClaims: boolean };
export type KitItemInput = { assetId: string; format: "original" | RenditionFormat; width: number | typeof ORIGINAL_SIZE | null; background: string };

export async function createKit(db: Db, actor: Actor & { id: string }, input: KitInput): Promise<{ id: string }> {
  return transaction(db, async (tx) => {
    const [row] = await tx
      .insert(kits)
      .values({ ...input, createdById: actor.id })
      .returning({ id: kits.id });
    await recordAudit(tx, {
      actor,
      action: "kit.created",
      subjectType: "kit",
      subjectId: row!.id,
      data: { name: input.name, includeClaims: input.includeClaims },
    });
    return row!;
  });
}

async function lockKit(tx: Db, kitId: string) {
  const [kit] = await tx.select().from(kits).where(eq(kits.id, kitId)).for("update");
  if (!kit) throw new NotFoundError("Kit not found.");
  return kit;
}

export async function updateKit(db: Db, actor: Actor, kitId: string, input: KitInput): Promise<void> {
  await transaction(db, async (tx) => {
    await lockKit(tx, kitId);
    await tx.update(kits).set(input).where(eq(kits.id, kitId));
    await recordAudit(tx, { actor, action: "kit.updated", subjectType: "kit", subjectId: kitId, data: { ...input } });
  });
}

export async function setKitRetired(db: Db, actor: Actor, kitId: string, retired: boolean): Promise<void> {
  await transaction(db, async (tx) => {
    const kit = await lockKit(tx, kitId);
    if ((kit.status === "retired") === retired) return;
    await tx
      .update(kits)
      .set({ status: retired ? "retired" : "active" })
      .where(eq(kits.id, kitId));
    await recordAudit(tx, { actor, action: retired ? "kit.retired" : "kit.restored", subjectType: "kit", subjectId: kitId, data: { name: kit.name } });
  });
}

/**
 * Adds an asset to a kit in a form partners may download: the same rule as a
 * single download (decideDownload), for the asset's newest version, so an
 * original the brand does not offer cannot be bundled.
 */
export async function addKitItem(db: Db, actor: Actor, kitId: string, item: KitItemInput, now: Date): Promise<void> {
  await transaction(db, async (tx) => {
    await lockKit(tx, kitId);
    const [found] = await tx
      .select({ asset: assets, version: assetVersions })
      .from(assets)
      .innerJoin(assetVersions, eq(assetVersions.id, latestVersion))
      .where(eq(assets.id, item.assetId));
    if (!found) throw new DomainError("Choose an asset from the list.", { field: "assetId" });
    const { asset, version } = found;
    if (asset.kind === "guideline") throw new DomainError("Guideline pages are read in the hub, not bundled.", { field: "assetId" });
    decideDownload(downloadOffer(asset, version, (await getBranding(tx)).brandColor), item);
    const [last] = await tx
      .select({ n: sql<number>`coalesce(max(${kitItems.position}), 0)::int` })
      .from(kitItems)
      .where(eq(kitItems.kitId, kitId));
    // A rendition at the original size is stored without a width: it follows each new version's own.
    const width = item.format === "original" || item.width === ORIGINAL_SIZE ? null : item.width;
    await tx.insert(kitItems).values({ kitId, ...item, width, position: Number(last?.n ?? 0) + 1 });
    await tx.update(kits).set({ updatedAt: now }).where(eq(kits.id, kitId));
    await recordAudit(tx, {
      actor,
      action: "kit.item_added",
      subjectType: "kit",
      subjectId: kitId,
      data: { asset: asset.title, format: item.format, width: item.width },
    });
  });
}

export async function removeKitItem(db: Db, actor: Actor, kitId: string, itemId: string): Promise<void> {
  await transaction(db, async (tx) => {
    await lockKit(tx, kitId);
    const deleted = await tx
      .delete(kitItems)
      .where(and(eq(kitItems.id, itemId), eq(kitItems.kitId, kitId)))
      .returning({ id: kitItems.id });
    if (!deleted.length) throw new NotFoundError("Item not found.");
    await recordAudit(tx, { actor, action: "kit.item_removed", subjectType: "kit", subjectId: kitId, data: { itemId } });
  });
}

/** The assets a kit may bundle (active, not guideline pages), each with what it offers partners: the kit editor's lists. */
export async function kitCandidates(db: Db) {
  const [{ rows }, { brandColor }] = await Promise.all([listAssetsForTeam(db, { status: "active", sort: "title" }, 1, 500), getBranding(db)]);
  return rows.filter((a) => a.kind !== "guideline").map((a) => ({ id: a.id, title: a.title, kind: a.kind, offer: downloadOffer(a, a, brandColor) }));
}

export async function listKitsForTeam(db: Db) {
  return db
    .select({
      id: kits.id,
      name: kits.name,
      description: kits.description,
      includeClaims: kits.includeClaims,
      status: kits.status,
      updatedAt: kits.updatedAt,
      items: sql<number>`(select count(*)::int from kit_items i where i.kit_id = "kits"."id")`,
    })
    .from(kits)
    .orderBy(asc(kits.status), asc(kits.name));
}

/** A kit item's stored choice, as decideDownload reads it (a rendition stored without a width is at the original size). */
const choiceOf = (item: { format: string; width: number | null; background: string }): DownloadChoice => ({
  format: item.format as KitItemInput["format"],
  width: item.width ?? ORIGINAL_SIZE,
  background: item.background,
});

export async function getKitForTeam(db: Db, kitId: string) {
  const [kit] = await db.select().from(kits).where(eq(kits.id, kitId));
  if (!kit) return null;
  const rows = await db
    .select({ item: kitItems, asset: assets, version: assetVersions })
    .from(kitItems)
    .innerJoin(assets, eq(assets.id, kitItems.assetId))
    .innerJoin(assetVersions, eq(assetVersions.id, latestVersion))
    .where(eq(kitItems.kitId, kitId))
    .orderBy(asc(kitItems.position));
  const { brandColor } = await getBranding(db);
  const items = rows.map(({ item, asset, version }) => ({
    id: item.id,
    assetId: item.assetId,
    format: item.format,
    width: item.width,
    background: item.background,
    title: asset.title,
    kind: asset.kind,
    assetStatus: asset.status,
    // False when the asset no longer offers this choice (say, its original was switched off): partners do not get it.
    offered: allowedOrNull(downloadOffer(asset, version, brandColor), choiceOf(item)) !== null,
  }));
  const [downloads] = await db.select({ n: count() }).from(assetDownloads).where(eq(assetDownloads.kitId, kitId));
  return { kit, items, downloadCount: Number(downloads?.n ?? 0) };
}

/**
 * The kits' items this partner may have (tier, retirement, window), in
 * order, by kit, each with what decideDownload allows of it. An item the
 * asset no longer offers (an original switched off after it was bundled, a
 * background that left the set) is left out rather than swapped for another
 * rendition: the brand chose that file, a substitute would be a file nobody
 * chose (and may already be in the kit), and the kit editor shows the item
 * as left out so the brand can decide.
 */
async function visibleItemsByKit(db: Db, partnerOrgId: string, kitIds: string[], now: Date) {
  const [rows, branding] = await Promise.all([visibleKitItems(db, partnerOrgId, kitIds, now), getBranding(db)]);
  const byKit = new Map<string, (Awaited<ReturnType<typeof visibleKitItems>>[number] & { decision: DownloadDecision })[]>();
  for (const row of rows) {
    const decision = allowedOrNull(downloadOffer(row.asset, row.version, branding.brandColor), choiceOf(row.item));
    if (!decision) continue;
    byKit.set(row.item.kitId, [...(byKit.get(row.item.kitId) ?? []), { ...row, decision }]);
  }
  return byKit;
}

/** Active kits with what this partner would get in each at `now`. */
export async function listKitsForPartner(db: Db, partnerOrgId: string, now: Date) {
  const rows = await db.select().from(kits).where(eq(kits.status, "active")).orderBy(asc(kits.name));
  const items = await visibleItemsByKit(
    db,
    partnerOrgId,
    rows.map((k) => k.id),
    now,
  );
  return rows
    .map((kit) => ({ kit, files: (items.get(kit.id)?.length ?? 0) + (kit.includeClaims ? 1 : 0) }))
    .filter(({ files }) => files > 0)
    .map(({ kit, files }) => ({ id: kit.id, name: kit.name, description: kit.description, includeClaims: kit.includeClaims, files }));
}

/** One name per entry, made from titles, versions and formats; a repeat gets a number. */
function uniqueName(taken: Set<string>, name: string): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = name.replace(/(\.[a-z0-9]+)$/, `-${n}$1`);
  taken.add(candidate);
  return candidate;
}

/**
 * A kit as a ZIP that is streamed while it is built: each entry is made (a
 * rendition on first use) and read from storage only when the archive gets to
 * it, so memory stays flat however large the kit. The download is logged and
 * audited before the first byte, unless `record` is false (a browser's
 * prefetch: nobody has downloaded anything yet).
 */
export async function streamKit(
  ctx: AppContext,
  actor: Actor & { id: string; partnerOrgId: string },
  kitId: string,
  options: { record: boolean } = { record: true },
): Promise<{ name: string; stream: Readable }> {
  await assertPartnerMayDownload(ctx.db, actor.partnerOrgId);
  const [kit] = await ctx.db
    .select()
    .from(kits)
    .where(and(eq(kits.id, kitId), eq(kits.status, "active")));
  if (!kit) throw new NotFoundError("Kit not found.");
  const items = (await visibleItemsByKit(ctx.db, actor.partnerOrgId, [kitId], ctx.clock.now())).get(kitId) ?? [];
  if (items.length === 0 && !kit.includeClaims) throw new NotFoundError("Kit not found.");

  if (options.record)
    await transaction(ctx.db, async (tx) => {
      await tx.insert(assetDownloads).values({ userId: actor.id, partnerOrgId: actor.partnerOrgId, kitId, rendition: "kit" });
      await recordAudit(tx, {
        actor,
        action: "kit.downloaded",
        subjectType: "kit",
        subjectId: kitId,
        partnerOrgId: actor.partnerOrgId,
        data: { name: kit.name, files: items.length, claims: kit.includeClaims },
      });
    });

  const zip = new ZipFile();
  const taken = new Set<string>();
  for (const { asset, version, decision } of items) {
    const name = uniqueName(taken, downloadFile(asset, version, decision).filename);
    zip.addReadStreamLazy(name, (callback) => {
      openDownload(ctx, version, decision)
        .then((object) => ctx.storage.get(object.key))
        .then(
          (stream) => callback(null, stream),
          (error: Error) => callback(error, undefined as never),
        );
    });
  }
  if (kit.includeClaims) {
    const { claims } = await listClaimsForPartner(ctx, actor.partnerOrgId);
    zip.addBuffer(Buffer.from(claimsSheetCsv(claims), "utf8"), uniqueName(taken, "claims.csv"));
  }
  const output = zip.outputStream as Readable;
  // A file that fails half-way cannot be taken back: end the download with an error rather than a silently short ZIP.
  zip.on("error", (error: Error) => {
    ctx.log.error("kit.stream_failed", { kitId, error: String(error) });
    output.destroy(error);
  });
  zip.end();
  return { name: kit.name, stream: output };
}

/** Whether the organisation has downloaded a kit: the onboarding step "brand kit downloaded". */
export async function hasDownloadedKit(db: Db, partnerOrgId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: assetDownloads.id })
    .from(assetDownloads)
    .where(and(eq(assetDownloads.partnerOrgId, partnerOrgId), sql`${assetDownloads.kitId} is not null`))
    .orderBy(desc(assetDownloads.occurredAt))
    .limit(1);
  return Boolean(row);
}
