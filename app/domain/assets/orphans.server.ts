import { inArray } from "drizzle-orm";
import { assetVersions } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import { sweepOrphanObjects } from "../orphans.server";
import { ASSET_KEY_PARTS } from "./storage-keys";

/** Deletes asset objects that no version row points at (see sweepOrphanObjects). */
export function sweepOrphanAssetObjects(ctx: AppContext, options: { olderThanMs?: number } = {}): Promise<{ checked: number; deleted: number }> {
  return sweepOrphanObjects(ctx, {
    prefix: "assets/",
    ownerOf: (key) => ASSET_KEY_PARTS.exec(key)?.[2] ?? null,
    existing: async (ids) =>
      new Set((await ctx.db.select({ id: assetVersions.id }).from(assetVersions).where(inArray(assetVersions.id, ids))).map((r) => r.id)),
    ...options,
  });
}
