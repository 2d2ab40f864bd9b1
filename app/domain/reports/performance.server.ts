import { inArray, sql, type SQL } from "drizzle-orm";
import { creatives, NO_LINK_ID, partnerOrganisations } from "#db/schema/index";
import { toCsv } from "~/lib/csv.server";
import { rowsOf, type Db } from "~/lib/db.server";
import { plainAmount } from "~/lib/money";
import { labelOf } from "../applications/catalog";
import { performanceReport } from "../conversions/stats.server";
import { epcFractionDigits } from "../conversions/metrics";
import { WHOLE_PROGRAM, type StatsRange } from "../links/stats.server";
import { tierLabel } from "../partners/catalog";
import type { Page } from "../pagination.server";
import { figureCells, figureHeaders, type FigureColumn } from "./figure-columns.server";
import type { ReportRange } from "./range";

// The Performance report: the whole program's clicks and conversions over a
// range, per partner, creative, channel and tier, each beside the previous
// period's. Like the partner pages it reads only the daily rollups
// (link_click_daily, conversion_daily) joined to indexed tables, never the
// raw clicks or the conversions; both periods come from one grouped read of
// each rollup (FILTER per period).
//
// Money is in the program's currency; conversions posted in other currencies
// count as conversions (and in the conversion rate) but not in the money
// columns, which never convert by guess (see conversions/stats.server.ts).
// Coupon code conversions have no link: they count for their partner and
// tier, form a "Coupon codes" channel, and have no creative.

export const PERFORMANCE_GROUPINGS = ["partner", "creative", "channel", "tier"] as const;
export type PerformanceGroupingName = (typeof PERFORMANCE_GROUPINGS)[number];

/** The grouping a CSV link names (`?table=`), or null for anything else. */
export const performanceGroupingOf = (value: string | null): PerformanceGroupingName | null =>
  PERFORMANCE_GROUPINGS.find((grouping) => grouping === value) ?? null;

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

/** The channel key of coupon code conversions (no link, so no channel). */
export const COUPON_CHANNEL = "~coupon";

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

/** The key each grouping sums by, on the click rollup (d) and the conversion rollup (c), with the joins it needs. */
function groupingSql(grouping: PerformanceGroupingName | "total"): { clickKey: SQL; clickJoin: SQL; conversionKey: SQL; conversionJoin: SQL } {
  const none = sql``;
  switch (grouping) {
    case "total":
      return { clickKey: sql`'all'`, clickJoin: none, conversionKey: sql`'all'`, conversionJoin: none };
    case "partner":
      return { clickKey: sql`d.organisation_id::text`, clickJoin: none, conversionKey: sql`c.organisation_id::text`, conversionJoin: none };
    case "creative":
      // Creative links only: evergreen links and coupon codes belong to no creative.
      return {
        clickKey: sql`l.creative_id::text`,
        clickJoin: sql`join tracking_links l on l.id = d.link_id and l.creative_id is not null`,
        conversionKey: sql`l.creative_id::text`,
        conversionJoin: sql`join tracking_links l on l.id = c.link_id and l.creative_id is not null`,
      };
    case "channel":
      // A link's channel is its utm_medium, fixed when it was made (the creative version's channel, or the one an evergreen link was made for).
      return {
        clickKey: sql`l.utm_medium`,
        clickJoin: sql`join tracking_links l on l.id = d.link_id`,
        conversionKey: sql`case when c.link_id = ${NO_LINK} then ${COUPON_CHANNEL} else l.utm_medium end`,
        conversionJoin: sql`left join tracking_links l on l.id = c.link_id`,
      };
    case "tier":
      // The partner's tier today: a partner moved to another tier takes its history with it.
      return {
        clickKey: sql`p.tier`,
        clickJoin: sql`join partner_organisations p on p.id = d.organisation_id`,
        conversionKey: sql`p.tier`,
        conversionJoin: sql`join partner_organisations p on p.id = c.organisation_id`,
      };
  }
}

const between = (column: SQL, range: StatsRange) => sql`${column} between ${range.from}::date and ${range.to}::date`;

/** The per-period sums of both rollups for one grouping, a page of groups at a time, ranked by the current period's revenue, then clicks. */
async function groupedFigures(
  db: Db,
  grouping: PerformanceGroupingName | "total",
  range: ReportRange,
  currency: string,
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: { key: string; current: RawFigures; previous: RawFigures | null }[] }> {
  const { clickKey, clickJoin, conversionKey, conversionJoin } = groupingSql(grouping);
  const periods = range.previous
    ? ([["cur", range.current] as const, ["prev", range.previous] as const] as const)
    : ([["cur", range.current] as const] as const);
  const span: StatsRange = { from: range.previous?.from ?? range.current.from, to: range.current.to };
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
      select ${clickKey} as key, ${sql.join(clickSums, sql`, `)}
      from link_click_daily d ${clickJoin}
      where ${between(sql`d.day`, span)}
      group by 1
    ), v as (
      select ${conversionKey} as key, ${sql.join(conversionSums, sql`, `)}
      from conversion_daily c ${conversionJoin}
      where ${between(sql`c.day`, span)}
      group by 1
    )
    select coalesce(k.key, v.key) as key, ${sql.join(outer, sql`, `)}, count(*) over () as total
    from k full outer join v on v.key = k.key
    order by coalesce(v.cur_revenue, 0) desc, coalesce(k.cur_clicks, 0) desc, coalesce(v.cur_conversions, 0) desc, 1
    limit ${page.limit} offset ${page.offset}`);
  const rows = rowsOf<Record<string, string | number | null>>(result);
  const read = (row: Record<string, string | number | null>, name: string) =>
    Object.fromEntries(FIGURE_FIELDS.map((f) => [f, Number(row[`${name}_${f}`] ?? 0)])) as RawFigures;
  return {
    total: Number(rows[0]?.total ?? 0),
    rows: rows.map((row) => ({ key: String(row.key), current: read(row, "cur"), previous: range.previous ? read(row, "prev") : null })),
  };
}

/** What the rows of a grouping are called: partners and creatives by name, channels and tiers by their labels. */
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
  } else {
    for (const key of keys) {
      labels.set(key, { label: grouping === "tier" ? tierLabel(key) : key === COUPON_CHANNEL ? "Coupon codes" : labelOf(key), detail: null });
    }
  }
  return labels;
}

/** A page of one grouping's rows, with their names. */
export async function performanceTable(
  db: Db,
  grouping: PerformanceGroupingName,
  range: ReportRange,
  currency: string,
  page: number,
  pageSize = PERFORMANCE_PAGE_SIZE,
): Promise<Page<PerformanceRow>> {
  const { total, rows } = await groupedFigures(db, grouping, range, currency, { limit: pageSize, offset: (page - 1) * pageSize });
  const labels = await labelsOf(
    db,
    grouping,
    rows.map((row) => row.key),
  );
  return {
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    rows: rows.map((row) => ({
      key: row.key,
      label: labels.get(row.key)?.label ?? row.key,
      detail: labels.get(row.key)?.detail ?? null,
      current: figuresOf(row.current),
      previous: row.previous ? figuresOf(row.previous) : null,
    })),
  };
}

/** Every row of a grouping, for its CSV (a grouping's rows are partners at most: a few thousand). */
export async function performanceTableAll(db: Db, grouping: PerformanceGroupingName, range: ReportRange, currency: string): Promise<PerformanceRow[]> {
  return (await performanceTable(db, grouping, range, currency, 1, 100_000)).rows;
}

/** The whole program's figures in both periods. */
export async function performanceTotals(db: Db, range: ReportRange, currency: string): Promise<{ current: PeriodFigures; previous: PeriodFigures | null }> {
  const { rows } = await groupedFigures(db, "total", range, currency, { limit: 1, offset: 0 });
  const row = rows[0];
  const zero = Object.fromEntries(FIGURE_FIELDS.map((f) => [f, 0])) as RawFigures;
  return { current: figuresOf(row?.current ?? zero), previous: range.previous ? figuresOf(row?.previous ?? zero) : null };
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
 * The program's clicks and conversions over the range, by day up to 92 days
 * and by month beyond (a year of daily bars is unreadable), from the same
 * daily rollups the partner pages read.
 */
export async function performanceOverTime(db: Db, range: ReportRange, currency: string): Promise<{ unit: "day" | "month"; points: PerformancePoint[] }> {
  const report = await performanceReport(db, WHOLE_PROGRAM, range.current, currency);
  const unit = range.days > 92 ? "month" : "day";
  const points = new Map<string, PerformancePoint>();
  for (const day of report.days) {
    const key = unit === "day" ? day.day : day.day.slice(0, 7);
    const point = points.get(key) ?? { key, from: day.day, to: day.day, clicks: 0, uniqueClicks: 0, conversions: 0, revenueMinor: 0, commissionMinor: 0 };
    point.to = day.day;
    point.clicks += day.clicks;
    point.uniqueClicks += day.uniqueClicks;
    point.conversions += day.conversions;
    point.revenueMinor += day.revenueMinor;
    point.commissionMinor += day.commissionMinor;
    points.set(key, point);
  }
  return { unit, points: [...points.values()] };
}

const GROUPING_HEADERS: Record<PerformanceGroupingName, string> = { partner: "Partner", creative: "Creative", channel: "Channel", tier: "Tier" };

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
  const header = [GROUPING_HEADERS[grouping], ...(grouping === "partner" ? ["Slug"] : []), ...figureHeaders(columns, compared)];
  return toCsv([
    header,
    ...rows.map((row) => [row.label, ...(grouping === "partner" ? [row.detail ?? ""] : []), ...figureCells(columns, compared, row.current, row.previous)]),
  ]);
}
