import { sql } from "drizzle-orm";
import { DAY_MS, utcDay } from "~/lib/dates";
import { rowsOf, timestamptz, type Db } from "~/lib/db.server";
import { HEALTH_SNAPSHOT_RETENTION_DAYS } from "./health-snapshots";

// The stored health scores kept once a day (decision 029, addendum), so the
// Brand & trust report can set the distribution at a past moment beside
// now's: recomputing 2,000 scores as of that moment costs half a second a
// view, copying the stored ones once a day costs one statement.

const countOf = (result: unknown) => Number(rowsOf<{ n: unknown }>(result)[0]?.n ?? 0);

/**
 * Keeps today's (UTC) snapshot of the stored scores and deletes snapshots
 * past the retention. Run by housekeeping right after its hourly refresh, so
 * the first run of a day copies scores computed moments before: one row per
 * partner not terminated, its score (null when not scored) and when that
 * score was computed. Later runs that day find the day's rows and write
 * nothing; two instances running at once both try, and the key keeps one
 * row per partner and day (`on conflict do nothing`). A partner that joins
 * after the day's snapshot is in the next day's.
 */
export async function keepHealthSnapshot(db: Db, now: Date): Promise<{ written: number; deleted: number }> {
  const today = utcDay(now);
  const written = countOf(
    await db.execute(sql`
      with written as (
        insert into partner_health_snapshots (day, partner_organisation_id, score, computed_at)
        select ${today}::date, o.id, o.health_score, coalesce(o.health_scored_at, ${timestamptz(now)})
        from partner_organisations o
        where o.status <> 'terminated'
          and not exists (select 1 from partner_health_snapshots s where s.day = ${today}::date)
        on conflict do nothing
        returning 1
      )
      select count(*)::int as n from written`),
  );
  const oldest = utcDay(new Date(now.getTime() - HEALTH_SNAPSHOT_RETENTION_DAYS * DAY_MS));
  const deleted = countOf(
    await db.execute(sql`
      with deleted as (delete from partner_health_snapshots where day < ${oldest}::date returning 1)
      select count(*)::int as n from deleted`),
  );
  return { written, deleted };
}
