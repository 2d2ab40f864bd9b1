import type { AppContext } from "~/lib/context.server";

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 500;

export type OrphanSweep = {
  /** The storage prefix the area's objects live under ("assets/", "creatives/"). */
  prefix: string;
  /** The id of the row an object belongs to, read from its key; null for a key the area does not make. */
  ownerOf: (key: string) => string | null;
  /** Which of these ids have their row. */
  existing: (ids: string[]) => Promise<Set<string>>;
  olderThanMs?: number;
};

/**
 * Deletes objects that no row points at: what a crash between writing an
 * object and committing its row leaves behind. Only objects older than a day
 * (by the context's clock) are touched, so an upload in progress is never
 * swept. Shared by every area that stores files.
 */
export async function sweepOrphanObjects(ctx: AppContext, sweep: OrphanSweep): Promise<{ checked: number; deleted: number }> {
  const cutoff = ctx.clock.now().getTime() - (sweep.olderThanMs ?? DAY_MS);
  const candidates: { key: string; owner: string }[] = [];
  let checked = 0;
  for await (const object of ctx.storage.list(sweep.prefix)) {
    checked++;
    const owner = sweep.ownerOf(object.key);
    if (owner && object.lastModified.getTime() <= cutoff) candidates.push({ key: object.key, owner });
  }
  let deleted = 0;
  for (let i = 0; i < candidates.length; i += BATCH) {
    const batch = candidates.slice(i, i + BATCH);
    const known = await sweep.existing([...new Set(batch.map((c) => c.owner))]);
    for (const candidate of batch) {
      if (known.has(candidate.owner)) continue;
      await ctx.storage.delete(candidate.key);
      deleted++;
    }
  }
  return { checked, deleted };
}
