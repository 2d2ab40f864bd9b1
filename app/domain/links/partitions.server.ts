import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "~/lib/db.server";

// link_clicks is partitioned by month (migration 0019). Partitions are named
// link_clicks_YYYY_MM and made here rather than in a migration, because a
// migration cannot know the months it will be needed in.

const MONTHS_AHEAD = 2;

const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1));
const partitionName = (start: Date) => `link_clicks_${start.getUTCFullYear()}_${String(start.getUTCMonth() + 1).padStart(2, "0")}`;

/** Makes the partition holding `at` if it is missing (concurrent callers are fine). */
export async function ensureClickPartition(db: Db, at: Date): Promise<void> {
  const start = monthStart(at.getUTCFullYear(), at.getUTCMonth());
  const end = monthStart(at.getUTCFullYear(), at.getUTCMonth() + 1);
  const name = partitionName(start);
  try {
    await db.execute(
      sql.raw(`create table if not exists "${name}" partition of link_clicks for values from ('${start.toISOString()}') to ('${end.toISOString()}')`),
    );
  } catch (error) {
    // Two instances making the same partition at once: the loser's "already exists" is the outcome it wanted.
    if (!/already exists/i.test(String((error as { cause?: unknown }).cause ?? error))) throw error;
  }
}

/** This month's partition and the next MONTHS_AHEAD ones, so a click never waits for one to be made. */
export async function ensureClickPartitions(db: Db, now: Date): Promise<void> {
  for (let ahead = 0; ahead <= MONTHS_AHEAD; ahead++) {
    await ensureClickPartition(db, monthStart(now.getUTCFullYear(), now.getUTCMonth() + ahead));
  }
}

/**
 * Drops the monthly partitions that ended more than `retentionMonths` ago.
 * The daily counts stay, so stats keep their history; raw clicks (and the
 * click ids conversions would name) go.
 */
export async function dropExpiredClickPartitions(db: Db, now: Date, retentionMonths: number): Promise<string[]> {
  const keepFrom = monthStart(now.getUTCFullYear(), now.getUTCMonth() - retentionMonths);
  const partitions = rowsOf<{ name: string }>(
    await db.execute(sql`
      select c.relname as name from pg_inherits i
      join pg_class c on c.oid = i.inhrelid
      join pg_class p on p.oid = i.inhparent
      where p.relname = 'link_clicks'`),
  );
  const dropped: string[] = [];
  for (const { name } of partitions) {
    const match = /^link_clicks_(\d{4})_(\d{2})$/.exec(name);
    if (!match) continue;
    const start = monthStart(Number(match[1]), Number(match[2]) - 1);
    if (start < keepFrom) {
      await db.execute(sql.raw(`drop table if exists "${name}"`));
      dropped.push(name);
    }
  }
  return dropped;
}

/** Whether an insert failed because no partition holds a row's time (SQLSTATE 23514, "no partition of relation"). */
export function isMissingPartition(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    if (/no partition of relation/i.test(String((current as { message?: unknown }).message))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
