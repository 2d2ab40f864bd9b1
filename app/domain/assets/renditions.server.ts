import { and, eq } from "drizzle-orm";
import { assetRenditions, type AssetVersion } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import { renderImage } from "~/lib/images.server";
import { NotFoundError } from "../errors";
import { isImageLike } from "./catalog";
import type { AllowedRendition } from "./downloads.server";
import { previewKey, renditionKey } from "./storage-keys";

// The stored objects served for a version other than its original: the
// renditions partners download and the preview pages show.

export type ServedObject = { key: string; sha256: string; size: number; contentType: string };

/**
 * The stored rendition, made with sharp on first request and served from
 * storage afterwards. Only what decideDownload allowed gets here (its width
 * already capped at the original's, JPEG's background already chosen), which
 * bounds how many renditions a version can have.
 */
export async function renditionOf(ctx: AppContext, version: AssetVersion, wanted: AllowedRendition): Promise<ServedObject> {
  if (!version.storageKey || !isImageLike(version.contentType)) throw new NotFoundError("This asset has no image renditions.");
  const { width, background } = wanted;
  const contentType = `image/${wanted.format}`;
  const [existing] = await ctx.db
    .select()
    .from(assetRenditions)
    .where(
      and(
        eq(assetRenditions.versionId, version.id),
        eq(assetRenditions.format, wanted.format),
        eq(assetRenditions.width, width),
        eq(assetRenditions.background, background),
      ),
    );
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

/** The stored preview (a rasterized PNG, never the upload itself) of a version. */
export function previewObject(version: AssetVersion): ServedObject | null {
  if (!version.storageKey || !isImageLike(version.contentType)) return null;
  // The preview's bytes are fixed for a version; its ETag is the version's own hash plus a marker.
  return { key: previewKey(version.assetId, version.id), sha256: `${version.sha256}-preview`, size: -1, contentType: "image/png" };
}
