import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { assetDownloads, assetRenditions, assets, assetVersions, kitItems, kits, partnerOrganisations, users, type Asset, type AssetVersion } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { type Db, transaction } from "~/lib/db.server";
import { renderImage } from "~/lib/images.server";
import { DomainError } from "../errors";
import { paginate } from "../pagination.server";
import { isImageLike, type AssetKindValue, type AssetSort, type FileAssetKind } from "./catalog";
import { foldSql, matchesEveryWordPrefix, queryWords } from "./search.server";
import { inspectStoredFile, receiveFileForm, UPLOAD_LIMITS, type InspectedFile, type ReceivedUpload, type StoredFile } from "./files.server";
import type { AllowedRendition } from "./downloads.server";
import type { AssetDetailsInput } from "./schemas.server";

const FIELD_LIMIT_BYTES = 64 * 1024;
const MAX_FIELDS = 100;
const LARGEST_UPLOAD = Math.max(...Object.values(UPLOAD_LIMITS));

export const originalKey = (assetId: string, versionId: string) => `assets/${assetId}/${versionId}/original`;
export const previewKey = (assetId: string, versionId: string) => `assets/${assetId}/${versionId}/preview.png`;
const renditionKey = (assetId: string, versionId: string, r: AllowedRendition) => `assets/${assetId}/${versionId}/r-${r.format}-${r.width}-${r.background || "none"}`;

export type { ReceivedUpload };

/**
 * Reads a multipart form whose file part is streamed straight to storage at
 * `key` (never buffered), with the size limit of the asset's kind. The kind
 * comes from `fixedKind` (a new version) or from a `kind` field placed before
 * the file in the form. Text fields are capped at 64 KB each, and at 100.
 */
export async function receiveUpload(ctx: AppContext, request: Request, key: string, fixedKind?: FileAssetKind): Promise<ReceivedUpload> {
  let kindField: string | undefined;
  return receiveFileForm(ctx.storage, request, {
    key,
    field: "file",
    fieldLimitBytes: FIELD_LIMIT_BYTES,
    maxFields: MAX_FIELDS,
    maxBytes: () => {
      const kind = fixedKind ?? (kindField as FileAssetKind | undefined);
      return kind && kind in UPLOAD_LIMITS ? UPLOAD_LIMITS[kind] : LARGEST_UPLOAD;
    },
    onField: (name, value) => {
      if (name === "kind") kindField ??= value;
    },
  });
}

/** Checks what was uploaded and stores its preview; on any refusal the upload is deleted. */
async function acceptFile(ctx: AppContext, assetId: string, versionId: string, file: StoredFile, kind: FileAssetKind): Promise<InspectedFile> {
  try {
    const inspected = await inspectStoredFile(ctx.storage, file, kind);
    if (inspected.preview) await ctx.storage.put(previewKey(assetId, versionId), Readable.from([inspected.preview]), { maxBytes: 10 * 1024 * 1024, contentType: "image/png" });
    return inspected;
  } catch (error) {
    await discardObjects(ctx, assetId, versionId);
    throw error;
  }
}

async function discardObjects(ctx: AppContext, assetId: string, versionId: string) {
  await Promise.all([ctx.storage.delete(originalKey(assetId, versionId)), ctx.storage.delete(previewKey(assetId, versionId))]);
}

const detailsColumns = (input: AssetDetailsInput) => ({
  title: input.title,
  description: input.description,
  category: input.category,
  tags: input.tags,
  visibleTiers: input.visibleTiers,
  availableFrom: input.availableFrom,
  expiresAt: input.expiresAt,
  allowOriginal: input.allowOriginal,
  extraBackgrounds: input.extraBackgrounds ?? [],
});

export type NewVersionContent = { kind: "file"; file: StoredFile & { filename: string } } | { kind: "body"; body: string };

async function versionValues(ctx: AppContext, assetId: string, versionId: string, kind: AssetKindValue, content: NewVersionContent | null) {
  if (kind === "guideline") {
    if (content?.kind !== "body" || !content.body.trim()) throw new DomainError("Write the guideline page.", { field: "body" });
    return { body: content.body.trim() };
  }
  if (content?.kind !== "file") throw new DomainError("Choose a file to upload.", { field: "file" });
  const inspected = await acceptFile(ctx, assetId, versionId, content.file, kind);
  return {
    storageKey: content.file.key,
    contentType: inspected.contentType,
    originalFilename: content.file.filename,
    byteSize: inspected.size,
    sha256: inspected.sha256,
    width: inspected.width,
    height: inspected.height,
  };
}

/** Object first, then the rows in one transaction; a failed transaction removes the object again. */
export async function createAsset(
  ctx: AppContext,
  actor: Actor & { id: string },
  ids: { assetId: string; versionId: string },
  input: AssetDetailsInput & { kind: AssetKindValue },
  content: NewVersionContent | null,
): Promise<{ id: string }> {
  const version = await versionValues(ctx, ids.assetId, ids.versionId, input.kind, content);
  try {
    return await transaction(ctx.db, async (tx) => {
      await tx.insert(assets).values({ id: ids.assetId, kind: input.kind, ...detailsColumns(input), createdById: actor.id });
      await tx.insert(assetVersions).values({ id: ids.versionId, assetId: ids.assetId, number: 1, ...version, createdById: actor.id });
      await recordAudit(tx, {
        actor,
        action: "asset.created",
        subjectType: "asset",
        subjectId: ids.assetId,
        data: { kind: input.kind, title: input.title, contentType: "contentType" in version ? version.contentType : "text/markdown", tiers: input.visibleTiers },
      });
      return { id: ids.assetId };
    });
  } catch (error) {
    await discardObjects(ctx, ids.assetId, ids.versionId);
    throw error;
  }
}

/** The newest version of an asset, inside a transaction that holds the asset's lock. */
async function currentVersionOf(tx: Db, assetId: string) {
  const [current] = await tx.select({ number: assetVersions.number, sha256: assetVersions.sha256, body: assetVersions.body }).from(assetVersions).where(eq(assetVersions.assetId, assetId)).orderBy(desc(assetVersions.number)).limit(1);
  return current ?? null;
}

/**
 * Refuses a version that would change nothing: the same bytes (SHA-256; for
 * an SVG, of its sanitized form, which is what is stored) or the same page
 * text as the current version. Only the current one: going back to an
 * earlier version's file is a real change.
 */
function refuseIdentical(current: { number: number; sha256: string | null; body: string | null }, version: { sha256?: string; body?: string }) {
  if (version.sha256 !== undefined && version.sha256 === current.sha256) throw new DomainError(`This file is identical to version ${current.number}.`, { status: 409, field: "file" });
  if (version.body !== undefined && version.body === current.body) throw new DomainError(`This page is identical to version ${current.number}.`, { status: 409, field: "body" });
}

/** A new version, newest from now on, with the brand's note of what changed ("" for none). */
export async function addAssetVersion(ctx: AppContext, actor: Actor & { id: string }, assetId: string, versionId: string, content: NewVersionContent | null, note = ""): Promise<{ number: number }> {
  const [asset] = await ctx.db.select().from(assets).where(eq(assets.id, assetId));
  if (!asset) {
    if (content?.kind === "file") await discardObjects(ctx, assetId, versionId);
    throw new DomainError("Asset not found.", { status: 404 });
  }
  const version = await versionValues(ctx, assetId, versionId, asset.kind, content);
  try {
    return await transaction(ctx.db, async (tx) => {
      await tx.select({ id: assets.id }).from(assets).where(eq(assets.id, assetId)).for("update");
      const current = await currentVersionOf(tx, assetId);
      if (current) refuseIdentical(current, version);
      const number = (current?.number ?? 0) + 1;
      await tx.insert(assetVersions).values({ id: versionId, assetId, number, ...version, note, createdById: actor.id });
      await tx.update(assets).set({ updatedAt: new Date() }).where(eq(assets.id, assetId));
      await recordAudit(tx, { actor, action: "asset.version_added", subjectType: "asset", subjectId: assetId, data: { number, sha256: "sha256" in version ? version.sha256 : null, note } });
      return { number };
    });
  } catch (error) {
    await discardObjects(ctx, assetId, versionId);
    throw error;
  }
}

export async function updateAssetDetails(db: Db, actor: Actor, assetId: string, input: AssetDetailsInput): Promise<void> {
  await transaction(db, async (tx) => {
    const [asset] = await tx.select().from(assets).where(eq(assets.id, assetId)).for("update");
    if (!asset) throw new DomainError("Asset not found.", { status: 404 });
    await tx.update(assets).set(detailsColumns(input)).where(eq(assets.id, assetId));
    const changed = Object.entries(detailsColumns(input))
      .filter(([key, value]) => JSON.stringify(asset[key as keyof Asset]) !== JSON.stringify(value))
      .map(([key]) => key);
    // The colours themselves are kept: each one widens what partners may have rendered.
    const backgrounds = changed.includes("extraBackgrounds") ? { extraBackgrounds: input.extraBackgrounds ?? [] } : {};
    await recordAudit(tx, { actor, action: "asset.updated", subjectType: "asset", subjectId: assetId, data: { changed, ...backgrounds } });
  });
}

/** Retired assets are hidden from partners and kept, with their versions and download log. */
export async function setAssetRetired(db: Db, actor: Actor, assetId: string, retired: boolean): Promise<void> {
  await transaction(db, async (tx) => {
    const [asset] = await tx.select().from(assets).where(eq(assets.id, assetId)).for("update");
    if (!asset) throw new DomainError("Asset not found.", { status: 404 });
    if ((asset.status === "retired") === retired) return;
    await tx.update(assets).set({ status: retired ? "retired" : "active", retiredAt: retired ? new Date() : null }).where(eq(assets.id, assetId));
    await recordAudit(tx, { actor, action: retired ? "asset.retired" : "asset.restored", subjectType: "asset", subjectId: assetId, data: { title: asset.title } });
  });
}

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

export type AssetFilters = { q?: string | undefined; kind?: AssetKindValue | undefined; category?: string | undefined; tag?: string | undefined; sort?: AssetSort | undefined };

/** How many assets a page of the hub or the team's list shows. */
export const ASSET_PAGE_SIZE = 24;

/** Title, description, category and tags, folded for search (see search.server.ts). */
const searchableText = foldSql(sql`${assets.title} || ' ' || ${assets.description} || ' ' || ${assets.category} || ' ' || array_to_string(${assets.tags}, ' ')`);

function filterConditions(filters: AssetFilters): SQL[] {
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
function pageOfAssets(db: Db, conditions: SQL[], sort: AssetSort | undefined, page: number, pageSize: number) {
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
    () => db.select({ n: count() }).from(assets).where(and(...conditions)),
  );
}

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
  if (!org) throw new Response("Not found", { status: 404 });
  return org.tier;
}

export async function listAssetsForPartner(db: Db, partnerOrgId: string, filters: AssetFilters, page = 1, pageSize = ASSET_PAGE_SIZE) {
  const tier = await tierOf(db, partnerOrgId);
  const conditions = [visibleTo(tier, new Date()), ...filterConditions(filters)];
  const found = await pageOfAssets(db, conditions, filters.sort, page, pageSize);
  // Partners do not see which tiers an asset is limited to, nor where it is stored.
  return { ...found, rows: found.rows.map(({ visibleTiers: _tiers, status: _status, storageKey: _key, allowOriginal: _original, extraBackgrounds: _backgrounds, ...row }) => row) };
}

/** Facets for the partner's filters, from what the partner can see. */
export async function assetFacetsForPartner(db: Db, partnerOrgId: string) {
  const tier = await tierOf(db, partnerOrgId);
  const rows = await db.select({ category: assets.category, tags: assets.tags }).from(assets).where(visibleTo(tier, new Date()));
  const categories = [...new Set(rows.map((r) => r.category).filter(Boolean))].sort();
  const tags = [...new Set(rows.flatMap((r) => r.tags))].sort();
  return { categories, tags };
}

/** One asset with its newest version, if the partner may see it; null otherwise (another tier, retired, outside its window, unknown). */
/**
 * Rows of `kit_items` joined to assets the partner may see, with each asset's
 * newest version: one query for any number of kits.
 */
export async function visibleKitItems(db: Db, partnerOrgId: string, kitIds: string[]) {
  if (kitIds.length === 0) return [];
  const tier = await tierOf(db, partnerOrgId);
  return db
    .select({ item: kitItems, asset: assets, version: assetVersions })
    .from(kitItems)
    .innerJoin(assets, eq(assets.id, kitItems.assetId))
    .innerJoin(assetVersions, eq(assetVersions.id, latestVersion))
    .where(and(inArray(kitItems.kitId, kitIds), visibleTo(tier, new Date()), isNotNull(assetVersions.storageKey)))
    .orderBy(asc(kitItems.kitId), asc(kitItems.position));
}

export async function getAssetForPartner(db: Db, partnerOrgId: string, assetId: string) {
  const tier = await tierOf(db, partnerOrgId);
  const [row] = await db
    .select({ asset: assets, version: assetVersions })
    .from(assets)
    .innerJoin(assetVersions, eq(assetVersions.id, latestVersion))
    .where(and(eq(assets.id, assetId), visibleTo(tier, new Date())));
  return row ?? null;
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
    .select({ occurredAt: assetDownloads.occurredAt, rendition: assetDownloads.rendition, userName: users.name, organisation: partnerOrganisations.name, versionNumber: assetVersions.number })
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

export type ServedObject = { key: string; sha256: string; size: number; contentType: string };

/**
 * The stored rendition, made with sharp on first request and served from
 * storage afterwards. Only what decideDownload allowed gets here (its width
 * already capped at the original's, JPEG's background already chosen), which
 * bounds how many renditions a version can have.
 */
export async function renditionOf(ctx: AppContext, version: AssetVersion, wanted: AllowedRendition): Promise<ServedObject> {
  if (!version.storageKey || !isImageLike(version.contentType)) throw new DomainError("This asset has no image renditions.", { status: 404 });
  const { width, background } = wanted;
  const contentType = `image/${wanted.format}`;
  const [existing] = await ctx.db
    .select()
    .from(assetRenditions)
    .where(and(eq(assetRenditions.versionId, version.id), eq(assetRenditions.format, wanted.format), eq(assetRenditions.width, width), eq(assetRenditions.background, background)));
  if (existing) return { key: existing.storageKey, sha256: existing.sha256, size: existing.byteSize, contentType };
  const key = renditionKey(version.assetId, version.id, wanted);
  const source = await ctx.storage.get(version.storageKey);
  const rendered = renderImage(source, { format: wanted.format, width, background: background || null });
  const put = await ctx.storage.put(key, rendered, { maxBytes: 200 * 1024 * 1024, contentType });
  // Two first requests at once make the same bytes; the second row is simply not inserted.
  await ctx.db
    .insert(assetRenditions)
    .values({ versionId: version.id, format: wanted.format, width, background, storageKey: key, byteSize: put.size, sha256: put.sha256 })
    .onConflictDoNothing();
  return { key, sha256: put.sha256, size: put.size, contentType };
}

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

export const newIds = () => ({ assetId: randomUUID(), versionId: randomUUID() });

/** A filename partners get: the title, the version, the format; nothing taken from the uploaded name. */
export function downloadName(title: string, versionNumber: number, extension: string, suffix = ""): string {
  const base =
    title
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "asset";
  return `${base}-v${versionNumber}${suffix ? `-${suffix}` : ""}.${extension}`;
}

/** The stored preview (a rasterized PNG, never the upload itself) of a version. */
export function previewObject(version: AssetVersion): ServedObject | null {
  if (!version.storageKey || !isImageLike(version.contentType)) return null;
  // The preview's bytes are fixed for a version; its ETag is the version's own hash plus a marker.
  return { key: previewKey(version.assetId, version.id), sha256: `${version.sha256}-preview`, size: -1, contentType: "image/png" };
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

const DAY_MS = 24 * 60 * 60 * 1000;
const KEY_PARTS = /^assets\/([0-9a-f-]{36})\/([0-9a-f-]{36})\//;

/**
 * Deletes asset objects that no version row points at: what a crash between
 * writing an object and committing its row leaves behind. Only objects older
 * than `olderThanMs` are touched, so an upload in progress is never swept.
 */
export async function sweepOrphanAssetObjects(ctx: AppContext, options: { olderThanMs?: number } = {}): Promise<{ checked: number; deleted: number }> {
  const cutoff = Date.now() - (options.olderThanMs ?? DAY_MS);
  const candidates: { key: string; versionId: string }[] = [];
  let checked = 0;
  for await (const object of ctx.storage.list("assets/")) {
    checked++;
    const parts = KEY_PARTS.exec(object.key);
    if (parts && object.lastModified.getTime() <= cutoff) candidates.push({ key: object.key, versionId: parts[2]! });
  }
  let deleted = 0;
  for (let i = 0; i < candidates.length; i += 500) {
    const batch = candidates.slice(i, i + 500);
    const ids = [...new Set(batch.map((c) => c.versionId))];
    const known = new Set(
      (await ctx.db.select({ id: assetVersions.id }).from(assetVersions).where(sql`${assetVersions.id} in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`)).map((r) => r.id),
    );
    for (const candidate of batch) {
      if (known.has(candidate.versionId)) continue;
      await ctx.storage.delete(candidate.key);
      deleted++;
    }
  }
  return { checked, deleted };
}
