import { and, desc, eq, gte, inArray, lt, sql, sum } from "drizzle-orm";
import { linkClickDaily, linkDailyVisitors, trackingLinks } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import type { StatsRangeDays } from "./catalog";
import { utcDay } from "./visitors.server";

// Stats read only the daily counts (link_click_daily), never the raw clicks
// (ARCHITECTURE.md, "Reports"). "Clicks" are people: every counted click that
// was not a bot; the bot share is of all counted clicks. Test clicks are never
// counted.

export type ClickTotals = { clicks: number; uniqueClicks: number; botClicks: number; allClicks: number; fallbackClicks: number };
export type LinkClickSummary = { today: number; last7Days: number; total: number; uniqueTotal: number; botShare: number | null };
export type DailyClicks = { day: string; clicks: number; uniqueClicks: number; botClicks: number };

const DAY_MS = 86_400_000;

/** Removes the visitor keys of days before yesterday: uniqueness is per day, so only today's (and a late batch's yesterday) matter. */
export async function pruneDailyVisitors(db: Db, now: Date): Promise<void> {
  await db.delete(linkDailyVisitors).where(lt(linkDailyVisitors.day, utcDay(new Date(now.getTime() - DAY_MS))));
}

const sums = {
  all: sql<number>`coalesce(sum(${linkClickDaily.clicks}), 0)::int`,
  unique: sql<number>`coalesce(sum(${linkClickDaily.uniqueClicks}), 0)::int`,
  bots: sql<number>`coalesce(sum(${linkClickDaily.botClicks}), 0)::int`,
  fallbacks: sql<number>`coalesce(sum(${linkClickDaily.fallbackClicks}), 0)::int`,
};

const botShare = (bots: number, all: number) => (all > 0 ? bots / all : null);

export type StatsRange = { from: string; to: string };

/** The last `days` UTC days, today included. */
export function statsRange(now: Date, days: StatsRangeDays): StatsRange {
  return { from: utcDay(new Date(now.getTime() - (days - 1) * DAY_MS)), to: utcDay(now) };
}

/** Today, the last 7 days (today included) and all time, per link, for the links given. */
export async function linkSummaries(db: Db, linkIds: string[], now: Date): Promise<Map<string, LinkClickSummary>> {
  const result = new Map<string, LinkClickSummary>();
  if (!linkIds.length) return result;
  const today = utcDay(now);
  const weekStart = utcDay(new Date(now.getTime() - 6 * DAY_MS));
  const rows = await db
    .select({
      linkId: linkClickDaily.linkId,
      today: sql<number>`coalesce(sum(${linkClickDaily.clicks} - ${linkClickDaily.botClicks}) filter (where ${linkClickDaily.day} = ${today}), 0)::int`,
      week: sql<number>`coalesce(sum(${linkClickDaily.clicks} - ${linkClickDaily.botClicks}) filter (where ${linkClickDaily.day} >= ${weekStart}), 0)::int`,
      all: sums.all,
      unique: sums.unique,
      bots: sums.bots,
    })
    .from(linkClickDaily)
    .where(inArray(linkClickDaily.linkId, linkIds))
    .groupBy(linkClickDaily.linkId);
  for (const row of rows) {
    result.set(row.linkId, {
      today: row.today,
      last7Days: row.week,
      total: row.all - row.bots,
      uniqueTotal: row.unique,
      botShare: botShare(row.bots, row.all),
    });
  }
  return result;
}

export const EMPTY_SUMMARY: LinkClickSummary = { today: 0, last7Days: 0, total: 0, uniqueTotal: 0, botShare: null };

/** One organisation's figures, or one of its links', or one creative's links'. */
export type OrganisationScope = { organisationId: string; linkId?: string; creativeId?: string };

/** Every partner's figures together: the brand's own reports (the API's performance report), never a partner's page. */
export const WHOLE_PROGRAM = { wholeProgram: true } as const;

// A union rather than an optional organisation id, so that a partner's page cannot leave its organisation out by mistake: the whole program is asked for by name.
export type StatsScope = OrganisationScope | typeof WHOLE_PROGRAM;

function scopeFilter(scope: StatsScope) {
  if (!("organisationId" in scope)) return undefined;
  const filters = [eq(linkClickDaily.organisationId, scope.organisationId)];
  if (scope.linkId) filters.push(eq(linkClickDaily.linkId, scope.linkId));
  if (scope.creativeId) {
    filters.push(
      inArray(linkClickDaily.linkId, sql`(select ${trackingLinks.id} from ${trackingLinks} where ${trackingLinks.creativeId} = ${scope.creativeId})`),
    );
  }
  return and(...filters);
}

/**
 * Clicks by day for an organisation (or one of its links, or one creative's
 * links, or the whole program), every day of the range present (zero when
 * nothing happened).
 */
export async function dailyClicks(db: Db, scope: StatsScope, range: StatsRange): Promise<DailyClicks[]> {
  const rows = await db
    .select({
      day: sql<string>`${linkClickDaily.day}::text`,
      clicks: sql<number>`coalesce(sum(${linkClickDaily.clicks} - ${linkClickDaily.botClicks}), 0)::int`,
      unique: sums.unique,
      bots: sums.bots,
    })
    .from(linkClickDaily)
    .where(and(scopeFilter(scope), gte(linkClickDaily.day, range.from), sql`${linkClickDaily.day} <= ${range.to}`))
    .groupBy(linkClickDaily.day);
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const days: DailyClicks[] = [];
  for (let at = Date.parse(`${range.from}T00:00:00Z`); at <= Date.parse(`${range.to}T00:00:00Z`); at += DAY_MS) {
    const day = new Date(at).toISOString().slice(0, 10);
    const row = byDay.get(day);
    days.push({ day, clicks: row?.clicks ?? 0, uniqueClicks: row?.unique ?? 0, botClicks: row?.bots ?? 0 });
  }
  return days;
}

/** Totals over a range for the same scopes. */
export async function clickTotals(db: Db, scope: StatsScope, range: StatsRange): Promise<ClickTotals> {
  const [row] = await db
    .select({ all: sums.all, unique: sums.unique, bots: sums.bots, fallbacks: sums.fallbacks })
    .from(linkClickDaily)
    .where(and(scopeFilter(scope), gte(linkClickDaily.day, range.from), sql`${linkClickDaily.day} <= ${range.to}`));
  const all = row?.all ?? 0;
  const bots = row?.bots ?? 0;
  return { clicks: all - bots, uniqueClicks: row?.unique ?? 0, botClicks: bots, allClicks: all, fallbackClicks: row?.fallbacks ?? 0 };
}

export type CreativeClickRow = { creativeId: string; title: string; links: number; clicks: number; uniqueClicks: number; botShare: number | null };

/** Per creative of an organisation, over a range: its links' clicks, unique clicks and bot share. */
export async function clicksByCreative(db: Db, organisationId: string, range: StatsRange): Promise<CreativeClickRow[]> {
  const rows = await db
    .select({
      creativeId: trackingLinks.creativeId,
      title: sql<string>`min(${trackingLinks.label})`,
      links: sql<number>`count(distinct ${trackingLinks.id})::int`,
      all: sql<number>`coalesce(sum(${linkClickDaily.clicks}), 0)::int`,
      unique: sql<number>`coalesce(sum(${linkClickDaily.uniqueClicks}), 0)::int`,
      bots: sql<number>`coalesce(sum(${linkClickDaily.botClicks}), 0)::int`,
    })
    .from(trackingLinks)
    .leftJoin(linkClickDaily, and(eq(linkClickDaily.linkId, trackingLinks.id), gte(linkClickDaily.day, range.from), sql`${linkClickDaily.day} <= ${range.to}`))
    .where(and(eq(trackingLinks.organisationId, organisationId), eq(trackingLinks.kind, "creative")))
    .groupBy(trackingLinks.creativeId)
    .orderBy(desc(sum(linkClickDaily.clicks)));
  return rows.map((row) => ({
    creativeId: row.creativeId!,
    title: row.title,
    links: row.links,
    clicks: row.all - row.bots,
    uniqueClicks: row.unique,
    botShare: botShare(row.bots, row.all),
  }));
}
