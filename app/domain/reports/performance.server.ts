import { inArray, sql, type SQL } from "drizzle-orm";
import { creatives, NO_LINK_ID, partnerOrganisations, trackingLinks } from "#db/schema/index";
import { toCsv } from "~/lib/csv.server";
import type { AppContext } from "~/lib/context.server";
import { rowsOf, type Db } from "~/lib/db.server";
import { plainAmount } from "~/lib/money";
import { labelOf } from "../applications/catalog";
import { performanceReport } from "../conversions/stats.server";
import { epcFractionDigits } from "../conversions/metrics";
import type { StatsRange } from "../links/stats.server";
import { tierLabel } from "../partners/catalog";
import type { Page } from "../pagination.server";
import { monthsOf } from "./calendar-months";
import { figureCells, figureHeaders, type FigureColumn } from "./figure-columns.server";
import { COUPON_CHANNEL } from "./performance-keys";
import type { ReportRange } from "./range";
import { reportCacheKey } from "./range.server";
import { CLICK_ROLLUP, CONVERSION_ROLLUP, rollupRows } from "./rollup-rows.server";
import { scopedOrganisation, WHOLE_PROGRAM, type ReportScope } from "./scope.server";

// The Performance report: the whole program's clicks and conversions over a
// range, per partner, creative, channel and tier, each beside the previous
// period's. Like the partner pages it reads only the rollups joined to
// indexed tables, never the raw clicks or the conversions; both periods come
// from one grouped read of each rollup (FILTER per period), summed per link,
// and the tables are added up from those sums (decision 023, addendum). The
// whole calendar months of a period are read from the monthly rollups
// (link_click_monthly, conversion_monthly), its other days from the daily
// ones: the same sums from a row per link and month instead of one per day
// (decision 031).
//
// Money is in the program's currency; conversions posted in other currencies
// count as conversions (and in the conversion rate) but not in the money
// columns, which never convert by guess (see conversions/stats.server.ts).
// Coupon code conversions have no link: they count for their partner and
// tier, form a "Coupon codes" channel (and a "Coupon codes" row among the
// links), and have no creative.
//
// One implementation for two readers (decision 027): the brand's report reads
// the whole program, a partner's own Reports page the same queries with its
// organisation as the scope (each rollup read through its organisation index).

/** The program's tables (Admin → Reports). */
export const PERFORMANCE_GROUPINGS = ["partner", "creative", "channel", "tier"] as const;
/** A partner's own tables (Partner → Reports): by partner or tier would be one row, its own. */
export const PARTNER_PERFORMANCE_GROUPINGS = ["creative", "channel", "link"] as const;
export type PerformanceGroupingName = (typeof PERFORMANCE_GROUPINGS)[number] | (typeof PARTNER_PERFORMANCE_GROUPINGS)[number];

/** The grouping a CSV link names (`?table=`) among those a page offers, or null for anything else. */
export const performanceGroupingOf = (
  value: string | null,
  groupings: readonly PerformanceGroupingName[] = PERFORMANCE_GROUPINGS,
): PerformanceGroupingName | null => groupings.find((grouping) => grouping === value) ?? null;

export const PERFORMANCE_PAGE_SIZE = 20;

/** One period's figures of a row; amounts in minor units of the program's currency. */
export type PeriodFigures = {
  /** People: counted clicks less bots (tests are never counted). */
  clicks: number;
  uniqueClicks: number;
  botClicks: number;
  /** Bots of all counted clicks; null without clicks. */
  botShare: number | null;
  /** Every currency's conversions. */
  conversions: number;
  revenueMinor: number;
  commissionMinor: number;
  refundedMinor: number;
  /** Conversions clicks brought (coupon codes left out) per unique click; null without unique clicks. */
  conversionRate: number | null;
  /** Commission (program currency) from conversions clicks brought, per click, in minor units; null without clicks. */
  epcMinor: number | null;
  /** Average order value: revenue per conversion in the program's currency; null without any. */
  aovMinor: number | null;
  /** Refunds as a share of the gross revenue (revenue net of refunds plus refunds); null without revenue. */
  refundRate: number | null;
};

export type PerformanceRow = { key: string; label: string; detail: string | null; current: PeriodFigures; previous: PeriodFigures | null };

export { COUPON_CHANNEL };

type RawFigures = {
  clicks: number;
  unique_clicks: number;
  bot_clicks: number;
  all_clicks: number;
  conversions: number;
  program_conversions: number;
  revenue: number;
  commission: number;
  refunded: number;
  click_conversions: number;
  click_commission: number;
};

const FIGURE_FIELDS: (keyof RawFigures)[] = [
  "clicks",
  "unique_clicks",
  "bot_clicks",
  "all_clicks",
  "conversions",
  "program_conversions",
  "revenue",
  "commission",
  "refunded",
  "click_conversions",
  "click_commission",
];

/** Each period's result column of each field. */
const COLUMNS = {
  cur: Object.fromEntries(FIGURE_FIELDS.map((f) => [f, `cur_${f}`])) as Record<keyof RawFigures, string>,
  prev: Object.fromEntries(FIGURE_FIELDS.map((f) => [f, `prev_${f}`])) as Record<keyof RawFigures, string>,
};

function figuresOf(raw: RawFigures): PeriodFigures {
  const gross = raw.revenue + raw.refunded;
  return {
    clicks: raw.clicks,
    uniqueClicks: raw.unique_clicks,
    botClicks: raw.bot_clicks,
    botShare: raw.all_clicks > 0 ? raw.bot_clicks / raw.all_clicks : null,
    conversions: raw.conversions,
    revenueMinor: raw.revenue,
    commissionMinor: raw.commission,
    refundedMinor: raw.refunded,
    conversionRate: raw.unique_clicks > 0 ? raw.click_conversions / raw.unique_clicks : null,
    epcMinor: raw.clicks > 0 ? raw.click_commission / raw.clicks : null,
    aovMinor: raw.program_conversions > 0 ? raw.revenue / raw.program_conversions : null,
    refundRate: gross > 0 ? raw.refunded / gross : null,
  };
}

const NO_LINK = sql.raw(`'${NO_LINK_ID}'::uuid`);

const between = (column: SQL, range: StatsRange) => sql`${column} between ${range.from}::date and ${range.to}::date`;

/**
 * The per-period sums of both rollups per link, and per partner for coupon
 * code conversions (which have no link), each with where it goes in the four
 * groupings: one grouped read of each rollup over both periods (FILTER per
 * period; whole months from its monthly table, the other days from its daily
 * one), the links and partners they name joined to the sums.
 */
async function perLinkFigures(db: Db, scope: ReportScope, range: ReportRange, currency: string): Promise<PlacedFigures[]> {
  // A partner's scope adds its organisation to both rollups' conditions (their organisation indexes): nothing of another is summed.
  const organisationId = scopedOrganisation(scope);
  const periods = range.previous
    ? ([["cur", range.current] as const, ["prev", range.previous] as const] as const)
    : ([["cur", range.current] as const] as const);
  const periodRanges = periods.map(([, period]) => period);
  const clickSums = periods.map(([name, period]) => {
    const within = between(sql`d.day`, period);
    return sql`coalesce(sum(d.clicks - d.bot_clicks) filter (where ${within}), 0)::bigint as ${sql.raw(`${name}_clicks`)},
      coalesce(sum(d.unique_clicks) filter (where ${within}), 0)::bigint as ${sql.raw(`${name}_unique_clicks`)},
      coalesce(sum(d.bot_clicks) filter (where ${within}), 0)::bigint as ${sql.raw(`${name}_bot_clicks`)},
      coalesce(sum(d.clicks) filter (where ${within}), 0)::bigint as ${sql.raw(`${name}_all_clicks`)}`;
  });
  const conversionSums = periods.map(([name, period]) => {
    const within = between(sql`c.day`, period);
    const inCurrency = sql`${within} and c.currency = ${currency}`;
    return sql`coalesce(sum(c.conversions) filter (where ${within}), 0)::bigint as ${sql.raw(`${name}_conversions`)},
      coalesce(sum(c.conversions) filter (where ${inCurrency}), 0)::bigint as ${sql.raw(`${name}_program_conversions`)},
      coalesce(sum(c.revenue_minor) filter (where ${inCurrency}), 0)::bigint as ${sql.raw(`${name}_revenue`)},
      coalesce(sum(c.commission_minor) filter (where ${inCurrency}), 0)::bigint as ${sql.raw(`${name}_commission`)},
      coalesce(sum(c.refunded_minor) filter (where ${inCurrency}), 0)::bigint as ${sql.raw(`${name}_refunded`)},
      coalesce(sum(c.conversions) filter (where ${within} and c.link_id <> ${NO_LINK}), 0)::bigint as ${sql.raw(`${name}_click_conversions`)},
      coalesce(sum(c.commission_minor) filter (where ${inCurrency} and c.link_id <> ${NO_LINK}), 0)::bigint as ${sql.raw(`${name}_click_commission`)}`;
  });
  const clickColumns = FIGURE_FIELDS.slice(0, 4);
  const conversionColumns = FIGURE_FIELDS.slice(4);
  const outer = periods.flatMap(([name]) => [
    ...clickColumns.map((f) => sql.raw(`coalesce(k.${name}_${f}, 0) as ${name}_${f}`)),
    ...conversionColumns.map((f) => sql.raw(`coalesce(v.${name}_${f}, 0) as ${name}_${f}`)),
  ]);
  const result = await db.execute(sql`
    with k as (
      select d.link_id, ${sql.join(clickSums, sql`, `)}
      from ${rollupRows(CLICK_ROLLUP, periodRanges, organisationId)} d
      group by 1
    ), v as (
      select c.link_id, case when c.link_id = ${NO_LINK} then c.organisation_id end as coupon_org, ${sql.join(conversionSums, sql`, `)}
      from ${rollupRows(CONVERSION_ROLLUP, periodRanges, organisationId)} c
      group by 1, 2
    )
    select coalesce(k.link_id, v.link_id)::text as link_id, v.coupon_org::text as coupon_org, p.id::text as partner, l.creative_id::text as creative,
      l.utm_medium as medium, p.tier, ${sql.join(outer, sql`, `)}
    from k full outer join v on v.link_id = k.link_id
    left join tracking_links l on l.id = coalesce(k.link_id, v.link_id)
    join partner_organisations p on p.id = coalesce(v.coupon_org, l.organisation_id)`);
  const read = (row: Record<string, string | number | null>, name: "cur" | "prev") => {
    const columns = COLUMNS[name];
    const value = (field: keyof RawFigures) => Number(row[columns[field]] ?? 0);
    return figures(value);
  };
  // A creative's figures are its links' (evergreen links and coupon codes belong to no creative); a link's channel is its
  // utm_medium, fixed when it was made; a partner's tier is today's (a partner moved to another tier takes its history with it).
  return rowsOf<Record<string, string | number | null>>(result).map((row) => ({
    current: read(row, "cur"),
    previous: range.previous ? read(row, "prev") : null,
    places: {
      partner: String(row.partner),
      creative: row.creative === null ? null : String(row.creative),
      channel: row.coupon_org === null ? String(row.medium) : COUPON_CHANNEL,
      tier: String(row.tier),
      link: row.coupon_org === null ? String(row.link_id) : COUPON_CHANNEL,
    },
  }));
}

/** What the rows of a grouping are called: partners, creatives and links by name, channels and tiers by their labels. */
async function labelsOf(db: Db, grouping: PerformanceGroupingName, keys: string[]): Promise<Map<string, { label: string; detail: string | null }>> {
  const labels = new Map<string, { label: string; detail: string | null }>();
  if (grouping === "partner" && keys.length) {
    const rows = await db
      .select({ id: partnerOrganisations.id, name: partnerOrganisations.name, slug: partnerOrganisations.slug })
      .from(partnerOrganisations)
      .where(inArray(partnerOrganisations.id, keys));
    for (const row of rows) labels.set(row.id, { label: row.name, detail: row.slug });
  } else if (grouping === "creative" && keys.length) {
    const rows = await db.select({ id: creatives.id, title: creatives.title }).from(creatives).where(inArray(creatives.id, keys));
    for (const row of rows) labels.set(row.id, { label: row.title, detail: null });
  } else if (grouping === "link") {
    const ids = keys.filter((key) => key !== COUPON_CHANNEL);
    if (ids.length) {
      const rows = await db
        .select({ id: trackingLinks.id, label: trackingLinks.label, code: trackingLinks.code })
        .from(trackingLinks)
        .where(inArray(trackingLinks.id, ids));
      for (const row of rows) labels.set(row.id, { label: row.label, detail: row.code });
    }
    if (keys.includes(COUPON_CHANNEL)) labels.set(COUPON_CHANNEL, { label: "Coupon codes", detail: null });
  } else {
    for (const key of keys) {
      labels.set(key, { label: grouping === "tier" ? tierLabel(key) : key === COUPON_CHANNEL ? "Coupon codes" : labelOf(key), detail: null });
    }
  }
  return labels;
}

/** A group's sums in both periods, before the rates are worked out. */
type GroupFigures = { key: string; current: RawFigures; previous: RawFigures | null };

/** Figures from a function of each field, as an object of one shape: the report adds up thousands of them. */
const figures = (value: (field: keyof RawFigures) => number): RawFigures => ({
  clicks: value("clicks"),
  unique_clicks: value("unique_clicks"),
  bot_clicks: value("bot_clicks"),
  all_clicks: value("all_clicks"),
  conversions: value("conversions"),
  program_conversions: value("program_conversions"),
  revenue: value("revenue"),
  commission: value("commission"),
  refunded: value("refunded"),
  click_conversions: value("click_conversions"),
  click_commission: value("click_commission"),
});

const zeroFigures = (): RawFigures => figures(() => 0);

function addFigures(into: RawFigures, from: RawFigures): void {
  into.clicks += from.clicks;
  into.unique_clicks += from.unique_clicks;
  into.bot_clicks += from.bot_clicks;
  into.all_clicks += from.all_clicks;
  into.conversions += from.conversions;
  into.program_conversions += from.program_conversions;
  into.revenue += from.revenue;
  into.commission += from.commission;
  into.refunded += from.refunded;
  into.click_conversions += from.click_conversions;
  into.click_commission += from.click_commission;
}

/** Where a link's (or a partner's coupon codes') sums go in each grouping; null where they belong to none (no creative). */
type LinkPlaces = Record<PerformanceGroupingName, string | null>;

/** One link's (or one partner's coupon codes') sums, and where they go. */
type PlacedFigures = { current: RawFigures; previous: RawFigures | null; places: LinkPlaces };

/** Ranked as the tables show them: the current period's revenue, then clicks, then conversions, then the key. */
function byRank(a: GroupFigures, b: GroupFigures): number {
  return (
    b.current.revenue - a.current.revenue ||
    b.current.clicks - a.current.clicks ||
    b.current.conversions - a.current.conversions ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/**
 * The Performance report over a range, whole: every row of every grouping
 * (ranked), the totals and the figures over time, as of `computedAt`. The
 * rollups are read once, summed per link (and per partner's coupon codes);
 * the four groupings and the totals are added up from those sums here, so
 * the report costs one pass over the range's rollup rows, not one per table.
 */
export type PerformanceSnapshot = {
  computedAt: Date;
  /** The scope's tables (a grouping a page does not show is not worked out). */
  groupings: Map<PerformanceGroupingName, GroupFigures[]>;
  totals: { current: RawFigures; previous: RawFigures | null };
  overTime: { unit: "day" | "month"; points: PerformancePoint[] };
};

export async function performanceSnapshot(db: Db, scope: ReportScope, range: ReportRange, currency: string, computedAt: Date): Promise<PerformanceSnapshot> {
  const [perLink, overTime] = await Promise.all([perLinkFigures(db, scope, range, currency), performanceOverTime(db, scope, range, currency)]);
  // The tables the scope's page shows: the program's four, or a partner's own three.
  const groupings: readonly PerformanceGroupingName[] = scopedOrganisation(scope) === null ? PERFORMANCE_GROUPINGS : PARTNER_PERFORMANCE_GROUPINGS;
  const groups = new Map<PerformanceGroupingName, Map<string, GroupFigures>>(groupings.map((grouping) => [grouping, new Map()]));
  const totals = { current: zeroFigures(), previous: range.previous ? zeroFigures() : null };
  for (const row of perLink) {
    addFigures(totals.current, row.current);
    if (totals.previous && row.previous) addFigures(totals.previous, row.previous);
    for (const [grouping, rows] of groups) {
      const key = row.places[grouping];
      if (key === null) continue;
      let group = rows.get(key);
      if (!group) rows.set(key, (group = { key, current: zeroFigures(), previous: range.previous ? zeroFigures() : null }));
      addFigures(group.current, row.current);
      if (group.previous && row.previous) addFigures(group.previous, row.previous);
    }
  }
  return {
    computedAt,
    groupings: new Map([...groups].map(([grouping, rows]) => [grouping, [...rows.values()].sort(byRank)])),
    totals,
    overTime,
  };
}

/**
 * The whole program's snapshot of the range, from the context's report cache:
 * computed at most every REPORT_CACHE_TTL_MS (range.ts) for everyone (the
 * tables' pages, the CSVs, other readers), so paging and exporting do not
 * read the rollups again, and the CSV has exactly the figures on the page. A
 * partner's own report is read afresh: its organisation's rows are few.
 */
export async function cachedPerformanceSnapshot(ctx: Pick<AppContext, "db" | "clock" | "reportCache">, range: ReportRange, currency: string) {
  const { key, load } = performanceCacheEntry(ctx.db, range, currency);
  return (await ctx.reportCache.get(key, ctx.clock.now(), load)).value;
}

/** The program's snapshot of a range as the report cache keeps it: its key, and how it is worked out as of a moment (app/domain/reports/warm.server.ts warms it). */
export function performanceCacheEntry(db: Db, range: ReportRange, currency: string) {
  return {
    key: reportCacheKey(`performance:${currency}`, range),
    load: (at: Date) => performanceSnapshot(db, WHOLE_PROGRAM, range, currency, at),
  };
}

const withRates = (group: GroupFigures, labels: Map<string, { label: string; detail: string | null }>): PerformanceRow => ({
  key: group.key,
  label: labels.get(group.key)?.label ?? group.key,
  detail: labels.get(group.key)?.detail ?? null,
  current: figuresOf(group.current),
  previous: group.previous ? figuresOf(group.previous) : null,
});

/** A page of one grouping's rows of a snapshot, with their names. */
export async function snapshotTable(
  db: Db,
  snapshot: PerformanceSnapshot,
  grouping: PerformanceGroupingName,
  page: number,
  pageSize = PERFORMANCE_PAGE_SIZE,
): Promise<Page<PerformanceRow>> {
  const all = snapshot.groupings.get(grouping) ?? [];
  const rows = all.slice((page - 1) * pageSize, page * pageSize);
  const labels = await labelsOf(
    db,
    grouping,
    rows.map((row) => row.key),
  );
  return { total: all.length, page, pageCount: Math.max(1, Math.ceil(all.length / pageSize)), rows: rows.map((row) => withRates(row, labels)) };
}

/** The whole program's figures in both periods, from a snapshot. */
export function snapshotTotals(snapshot: PerformanceSnapshot): { current: PeriodFigures; previous: PeriodFigures | null } {
  return { current: figuresOf(snapshot.totals.current), previous: snapshot.totals.previous ? figuresOf(snapshot.totals.previous) : null };
}

/** A page of one grouping's rows, with their names (the report computed afresh). */
export async function performanceTable(
  db: Db,
  scope: ReportScope,
  grouping: PerformanceGroupingName,
  range: ReportRange,
  currency: string,
  page: number,
  pageSize = PERFORMANCE_PAGE_SIZE,
): Promise<Page<PerformanceRow>> {
  return snapshotTable(db, await performanceSnapshot(db, scope, range, currency, new Date(0)), grouping, page, pageSize);
}

/** A page of each of `groupings`' tables, each grouping on the page its own parameter names. */
export async function snapshotTables<G extends PerformanceGroupingName>(
  db: Db,
  snapshot: PerformanceSnapshot,
  groupings: readonly G[],
  pageOf: (grouping: G) => number,
): Promise<{ grouping: G; page: Page<PerformanceRow> }[]> {
  const pages = await Promise.all(groupings.map((grouping) => snapshotTable(db, snapshot, grouping, pageOf(grouping))));
  return groupings.map((grouping, index) => ({ grouping, page: pages[index]! }));
}

/** Every row of a grouping of a snapshot, for its CSV (a grouping's rows are partners or creatives at most: thousands). */
export async function snapshotTableAll(db: Db, snapshot: PerformanceSnapshot, grouping: PerformanceGroupingName): Promise<PerformanceRow[]> {
  return (await snapshotTable(db, snapshot, grouping, 1, Math.max(1, snapshot.groupings.get(grouping)?.length ?? 0))).rows;
}

/** Every row of a grouping in a scope, for its CSV (the report computed afresh). */
export async function performanceTableAll(
  db: Db,
  scope: ReportScope,
  grouping: PerformanceGroupingName,
  range: ReportRange,
  currency: string,
): Promise<PerformanceRow[]> {
  return snapshotTableAll(db, await performanceSnapshot(db, scope, range, currency, new Date(0)), grouping);
}

/** The scope's figures in both periods (the report computed afresh). */
export async function performanceTotals(
  db: Db,
  scope: ReportScope,
  range: ReportRange,
  currency: string,
): Promise<{ current: PeriodFigures; previous: PeriodFigures | null }> {
  return snapshotTotals(await performanceSnapshot(db, scope, range, currency, new Date(0)));
}

export type PerformancePoint = {
  key: string;
  from: string;
  to: string;
  clicks: number;
  uniqueClicks: number;
  conversions: number;
  revenueMinor: number;
  commissionMinor: number;
};

/**
 * The scope's clicks and conversions over the range, by day up to 92 days
 * and by month beyond (a year of daily bars is unreadable). By day, from the
 * same daily rollups the partner pages read; by month, a grouped read of the
 * rollups a month at a time where the range holds the month whole.
 */
export async function performanceOverTime(
  db: Db,
  scope: ReportScope,
  range: ReportRange,
  currency: string,
): Promise<{ unit: "day" | "month"; points: PerformancePoint[] }> {
  if (range.days > 92) return { unit: "month", points: await monthlyPoints(db, scope, range.current, currency) };
  const report = await performanceReport(db, scope, range.current, currency);
  const points = report.days.map((day) => ({
    key: day.day,
    from: day.day,
    to: day.day,
    clicks: day.clicks,
    uniqueClicks: day.uniqueClicks,
    conversions: day.conversions,
    revenueMinor: day.revenueMinor,
    commissionMinor: day.commissionMinor,
  }));
  return { unit: "day", points };
}

/**
 * A point per calendar month the range touches (its days in the range): the
 * clicks of people (bots left out), and the conversions, revenue and
 * commission in the program's currency, coupon codes' included, as the daily
 * points count them.
 */
async function monthlyPoints(db: Db, scope: ReportScope, range: StatsRange, currency: string): Promise<PerformancePoint[]> {
  const organisationId = scopedOrganisation(scope);
  const month = sql`to_char(r.day::timestamp, 'YYYY-MM')`;
  const [clickResult, conversionResult] = await Promise.all([
    db.execute(sql`
      select ${month} as month, sum(r.clicks - r.bot_clicks)::bigint as clicks, sum(r.unique_clicks)::bigint as unique_clicks
      from ${rollupRows(CLICK_ROLLUP, [range], organisationId)} r
      group by 1`),
    db.execute(sql`
      select ${month} as month, sum(r.conversions)::bigint as conversions, sum(r.revenue_minor)::bigint as revenue,
        sum(r.commission_minor)::bigint as commission
      from ${rollupRows(CONVERSION_ROLLUP, [range], organisationId)} r
      where r.currency = ${currency}
      group by 1`),
  ]);
  type Sums = Record<string, string | number>;
  const byMonth = (result: unknown) => new Map(rowsOf<Sums>(result).map((row) => [String(row.month), row]));
  const clicks = byMonth(clickResult);
  const conversions = byMonth(conversionResult);
  return monthsOf(range).map(({ key, from, to }) => {
    const value = (sums: Map<string, Sums>, field: string) => Number(sums.get(key)?.[field] ?? 0);
    return {
      key,
      from,
      to,
      clicks: value(clicks, "clicks"),
      uniqueClicks: value(clicks, "unique_clicks"),
      conversions: value(conversions, "conversions"),
      revenueMinor: value(conversions, "revenue"),
      commissionMinor: value(conversions, "commission"),
    };
  });
}

const GROUPING_HEADERS: Record<PerformanceGroupingName, string> = { partner: "Partner", creative: "Creative", channel: "Channel", tier: "Tier", link: "Link" };
/** The column after the name, for groupings whose rows carry a detail. */
const DETAIL_HEADERS: Partial<Record<PerformanceGroupingName, string>> = { partner: "Slug", link: "Short code" };

const percentCell = (share: number | null) => (share === null ? "" : (share * 100).toFixed(2));

/**
 * A grouping's rows as CSV: each figure of the range, then (when compared)
 * the previous period's and the change in percent. Amounts in major units of
 * the program's currency, named in the column; shares in percent.
 */
export function performanceCsv(grouping: PerformanceGroupingName, rows: readonly PerformanceRow[], range: ReportRange, currency: string): string {
  const money = (minor: number | null) => (minor === null ? "" : plainAmount(Math.round(minor), currency));
  const epc = (minor: number | null) => (minor === null ? "" : plainAmount(minor, currency, epcFractionDigits(currency)));
  const columns: FigureColumn<PeriodFigures>[] = [
    { header: "Clicks", cell: (f) => f.clicks, value: (f) => f.clicks },
    { header: "Unique clicks", cell: (f) => f.uniqueClicks, value: (f) => f.uniqueClicks },
    { header: "Bot share (%)", cell: (f) => percentCell(f.botShare), value: (f) => f.botShare },
    { header: "Conversions", cell: (f) => f.conversions, value: (f) => f.conversions },
    { header: `Revenue (${currency})`, cell: (f) => money(f.revenueMinor), value: (f) => f.revenueMinor },
    { header: "Conversion rate (%)", cell: (f) => percentCell(f.conversionRate), value: (f) => f.conversionRate },
    { header: `Earnings per click (${currency})`, cell: (f) => epc(f.epcMinor), value: (f) => f.epcMinor },
    { header: `Commission (${currency})`, cell: (f) => money(f.commissionMinor), value: (f) => f.commissionMinor },
    { header: `Average order value (${currency})`, cell: (f) => money(f.aovMinor), value: (f) => f.aovMinor },
    { header: "Refund rate (%)", cell: (f) => percentCell(f.refundRate), value: (f) => f.refundRate },
  ];
  const compared = range.previous !== null;
  const detail = DETAIL_HEADERS[grouping];
  const header = [GROUPING_HEADERS[grouping], ...(detail ? [detail] : []), ...figureHeaders(columns, compared)];
  return toCsv([
    header,
    ...rows.map((row) => [row.label, ...(detail ? [row.detail ?? ""] : []), ...figureCells(columns, compared, row.current, row.previous)]),
  ]);
}
