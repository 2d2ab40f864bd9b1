import { desc, eq } from "drizzle-orm";
import { assets, assetVersions, type Asset } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { type Db, transaction } from "~/lib/db.server";
import { DomainError, NotFoundError } from "../errors";
import type { AssetKindValue } from "./catalog";
import { discardObjects, versionValues, type NewVersionContent } from "./intake.server";
import type { AssetDetailsInput } from "./schemas.server";

// The brand team's writes to the catalogue: a new asset, a new version, its
// details, retiring and restoring it. Every one is audited.

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
        data: {
          kind: input.kind,
          title: input.title,
          contentType: "contentType" in version ? version.contentType : "text/markdown",
          tiers: input.visibleTiers,
        },
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
  const [current] = await tx
    .select({ number: assetVersions.number, sha256: assetVersions.sha256, body: assetVersions.body })
    .from(assetVersions)
    .where(eq(assetVersions.assetId, assetId))
    .orderBy(desc(assetVersions.number))
    .limit(1);
  return current ?? null;
}

/**
 * Refuses a version that would change nothing: the same bytes (SHA-256; for
 * an SVG, of its sanitized form, which is what is stored) or the same page
 * text as the current version. Only the current one: going back to an
 * earlier version's file is a real change.
 */
function refuseIdentical(current: { number: number; sha256: string | null; body: string | null }, version: { sha256?: string; body?: string }) {
  if (version.sha256 !== undefined && version.sha256 === current.sha256)
    throw new DomainError(`This file is identical to version ${current.number}.`, { kind: "conflict", field: "file" });
  if (version.body !== undefined && version.body === current.body)
    throw new DomainError(`This page is identical to version ${current.number}.`, { kind: "conflict", field: "body" });
}

/** A new version, newest from now on, with the brand's note of what changed ("" for none). */
export async function addAssetVersion(
  ctx: AppContext,
  actor: Actor & { id: string },
  assetId: string,
  versionId: string,
  content: NewVersionContent | null,
  note = "",
): Promise<{ number: number }> {
  const [asset] = await ctx.db.select().from(assets).where(eq(assets.id, assetId));
  if (!asset) {
    if (content?.kind === "file") await discardObjects(ctx, assetId, versionId);
    throw new NotFoundError("Asset not found.");
  }
  const version = await versionValues(ctx, assetId, versionId, asset.kind, content);
  try {
    return await transaction(ctx.db, async (tx) => {
      await tx.select({ id: assets.id }).from(assets).where(eq(assets.id, assetId)).for("update");
      const current = await currentVersionOf(tx, assetId);
      if (current) refuseIdentical(current, version);
      const number = (current?.number ?? 0) + 1;
      await tx.insert(assetVersions).values({ id: versionId, assetId, number, ...version, note, createdById: actor.id });
      await tx.update(assets).set({ updatedAt: ctx.clock.now() }).where(eq(assets.id, assetId));
      await recordAudit(tx, {
        actor,
        action: "asset.version_added",
        subjectType: "asset",
        subjectId: assetId,
        data: { number, sha256: "sha256" in version ? version.sha256 : null, note },
      });
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
    if (!asset) throw new NotFoundError("Asset not found.");
    await tx.update(assets).set(detailsColumns(input)).where(eq(assets.id, assetId));
    const changed = Object.entries(detailsColumns(input))
      .filter(([key, value]) => JSON.stringify(asset[key as keyof Asset]) !== JSON.stringify(value))
      .map(([key]) => key);
    // The colours themselves are kept: each one widens what partners may have rendered.
    const backgrounds = changed.includes("extraBackgrounds") ? { extraBackgrounds: input.extraBackgrounds ?? [] } : {};
    await recordAudit(tx, { actor, action: "asset.updated", subjectType: "asset", subjectId: assetId, data: { changed, ...backgrounds } });
  });
}

/** Retired assets are hidden from partners and kept, with their versions and download log. `now` is when (the caller's clock). */
export async function setAssetRetired(db: Db, actor: Actor, assetId: string, retired: boolean, now: Date): Promise<void> {
  await transaction(db, async (tx) => {
    const [asset] = await tx.select().from(assets).where(eq(assets.id, assetId)).for("update");
    if (!asset) throw new NotFoundError("Asset not found.");
    if ((asset.status === "retired") === retired) return;
    await tx
      .update(assets)
      .set({ status: retired ? "retired" : "active", retiredAt: retired ? now : null })
      .where(eq(assets.id, assetId));
    await recordAudit(tx, {
      actor,
      action: retired ? "asset.retired" : "asset.restored",
      subjectType: "asset",
      subjectId: assetId,
      data: { title: asset.title },
    });
  });
}
