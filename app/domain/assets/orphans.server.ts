import { sql } from "drizzle-orm";
import { assetVersions } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import { ASSET_KEY_PARTS } from "./storage-keys";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes asset objects that no version row points at: what a crash between
 * writing an object and committing its row leaves behind. Only objects older
 * than `olderThanMs` (by the context's clock) are touched, so an upload in
 * progress is never swept.
 */
export async function sweepOrphanAssetObjects(ctx: AppContext, options: { olderThanMs?: number } = {}): Promise<{ checked: number; deleted: number }> {
  const cutoff = ctx.clock.now().getTime() - (options.olderThanMs ?? DAY_MS);
  const candidates: { key: string; versionId: string }[] = [];
  let checked = 0;
  for await (const object of ctx.storage.list("assets/")) {
    checked++;
    const parts = ASSET_KEY_PARTS.exec(object.key);
    if (parts && object.lastModified.getTime() <= cutoff) candidates.push({ key: object.key, versionId: parts[2]! });
  }
  let deleted = 0;
  for (let i = 0; i < candidates.length; i += 500) {
    const batch = candidates.slice(i, i + 500);
    const ids = [...new Set(batch.map((c) => c.versionId))];
    const known = new Set(
      (
        await ctx.db
          .select({ id: assetVersions.id })
          .from(assetVersions)
          .where(
            sql`${assetVersions.id} in (${sql.join(
              ids.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`,
          )
      ).map((r) => r.id),
    );
    for (const candidate of batch) {
      if (known.has(candidate.versionId)) continue;
      await ctx.storage.delete(candidate.key);
      deleted++;
    }
  }
  return { checked, deleted };
}
