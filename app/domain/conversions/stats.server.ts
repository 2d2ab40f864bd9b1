import { and, asc, desc, eq, gte, inArray, lte, ne, sql, type SQL } from "drizzle-orm";
import { conversionDaily, linkClickDaily, NO_LINK_ID, partnerOrganisations, trackingLinks } from "#db/schema/index";
import { recordAuditNow, type Actor } from "~/lib/audit.server";
import { toCsv } from "~/lib/csv.server";
import type { Db } from "~/lib/db.server";
import { plainAmount } from "~/lib/money";
import { NotFoundError } from "../errors";
import type { LinkKind, LinkStatus } from "../links/catalog";
import { clicksByCreative, dailyClicks, type CreativeClickRow, type DailyClicks, type StatsRange, type StatsScope } from "../links/stats.server";
import { paginate, type Page } from "../pagination.server";
import { getConversionSettings } from "./settings.server";
import {
  addFigures,
  conversionRate,
  earningsPerClickMinor,
  NO_CONVERSIONS,
  plainEarningsPerClick,
  type ConversionFigures,
  type CurrencyFigures,
} from "./metrics";

// Conversion stats for partners and the brand team: what links, creatives
// and partners brought, next to their clicks. Like the click stats, they read
// only the daily rollups (conversion_daily beside link_click_daily), never
// the conversions or the raw clicks. A rollup row is one of a few slots of a
// (partner, link, day, currency): every figure here sums the slots. Revenue
// is net of refunds already; test conversions are never in the rollup.
//
// Money is reported in the program's currency; conversions the brand posted
// in another currency are reported apart, per currency, never converted by
// guess. Conversions a coupon code attributed have no link (NO_LINK_ID):
// they count for their partner, on a "Coupon codes" line of their own, and
// stay out of conversion rates and earnings per click, since no click
// brought them.

/** The currency the program reports money in (Settings → Conversions), USD until an admin chooses. */
export async function programCurrency(db: Db): Promise<string> {
  return (await getConversionSettings(db)).programCurrency;
}

/** A partner's, one link's or one creative's figures in the program's currency, with what came in other currencies beside them. */
export type Performance = ConversionFigures & {
  currency: string;
  /** People who clicked: bots and tests left out (as the click stats count them). */
  clicks: number;
  uniqueClicks: number;
  /** Conversions brought by clicks, in any currency, per unique click; null without unique clicks. */
  conversionRate: number | null;
  /** Commission in the program's currency from conversions clicks brought, per click, in minor units; null without clicks. */
  epcMinor: number | null;
  otherCurrencies: CurrencyFigures[];
  /** The partner's coupon code conversions (included in the figures above); null when there were none in the range. */
  coupons: { figures: ConversionFigures; otherCurrencies: CurrencyFigures[] } | null;
};

export type DailyPerformance = DailyClicks &
  ConversionFigures & {
    conversionRate: number | null;
    epcMinor: number | null;
    otherCurrencies: CurrencyFigures[];
  };

export type PerformanceReport = { currency: string; range: StatsRange; totals: Performance; days: DailyPerformance[] };

const sums = {
  conversions: sql<number>`coalesce(sum(${conversionDaily.conversions}), 0)`.mapWith(Number),
  revenueMinor: sql<number>`coalesce(sum(${conversionDaily.revenueMinor}), 0)`.mapWith(Number),
  commissionMinor: sql<number>`coalesce(sum(${conversionDaily.commissionMinor}), 0)`.mapWith(Number),
  refundedMinor: sql<number>`coalesce(sum(${conversionDaily.refundedMinor}), 0)`.mapWith(Number),
};

// A literal, not a parameter: the grouped query selects and groups by the same expression, which two parameters would not be to PostgreSQL.
const viaCoupon = sql<boolean>`${conversionDaily.linkId} = ${sql.raw(`'${NO_LINK_ID}'::uuid`)}`;

const inRange = (range: StatsRange) => and(gte(conversionDaily.day, range.from), lte(conversionDaily.day, range.to));

/** The rollup rows of a scope: a partner's (coupon codes included), one of its links, one of its creatives' links, or the whole program's. */
function scopeFilter(scope: StatsScope, range: StatsRange): SQL {
  if (!("organisationId" in scope)) return inRange(range)!;
  const filters = [eq(conversionDaily.organisationId, scope.organisationId), inRange(range)!];
  if (scope.linkId) filters.push(eq(conversionDaily.linkId, scope.linkId));
  if (scope.creativeId) {
    filters.push(
      inArray(
        conversionDaily.linkId,
        sql`(select ${trackingLinks.id} from ${trackingLinks} where ${trackingLinks.creativeId} = ${scope.creativeId} and ${trackingLinks.organisationId} = ${scope.organisationId})`,
      ),
    );
  }
  return and(...filters)!;
}

const figuresOf = (row: ConversionFigures): ConversionFigures => ({
  conversions: row.conversions,
  revenueMinor: row.revenueMinor,
  commissionMinor: row.commissionMinor,
  refundedMinor: row.refundedMinor,
});

/** Rows of one currency or another, split into the program currency's and the others', each other currency once, alphabetically. */
class CurrencySplit {
  figures: ConversionFigures = NO_CONVERSIONS;
  private others = new Map<string, ConversionFigures>();
  constructor(private readonly currency: string) {}
  add(currency: string, figures: ConversionFigures): void {
    if (currency === this.currency) this.figures = addFigures(this.figures, figures);
    else this.others.set(currency, addFigures(this.others.get(currency) ?? NO_CONVERSIONS, figures));
  }
  get otherCurrencies(): CurrencyFigures[] {
    return [...this.others].sort(([a], [b]) => a.localeCompare(b)).map(([currency, figures]) => ({ currency, ...figures }));
  }
  get isEmpty(): boolean {
    return this.figures.conversions === 0 && this.figures.refundedMinor === 0 && this.others.size === 0;
  }
}

/** What one day (or a whole range) adds up to, kept apart as the rates need it. */
class Tally {
  all: CurrencySplit;
  coupons: CurrencySplit;
  /** Conversions clicks brought, whatever their currency: the rate's numerator. */
  clickConversions = 0;
  /** Their commission in the program currency: earnings per click's numerator. */
  clickCommissionMinor = 0;
  constructor(private readonly currency: string) {
    this.all = new CurrencySplit(currency);
    this.coupons = new CurrencySplit(currency);
  }
  add(row: ConversionFigures & { currency: string; viaCoupon: boolean }): void {
    const figures = figuresOf(row);
    this.all.add(row.currency, figures);
    if (row.viaCoupon) {
      this.coupons.add(row.currency, figures);
    } else {
      this.clickConversions += row.conversions;
      if (row.currency === this.currency) this.clickCommissionMinor += row.commissionMinor;
    }
  }
}

/**
 * A scope's conversions and clicks over a range: totals, and every day of the
 * range (zero when nothing happened), from two grouped reads of the rollups.
 */
export async function performanceReport(db: Db, scope: StatsScope, range: StatsRange, currency: string): Promise<PerformanceReport> {
  const [clickDays, rows] = await Promise.all([
    dailyClicks(db, scope, range),
    db
      .select({
        day: sql<string>`${conversionDaily.day}::text`,
        currency: conversionDaily.currency,
        viaCoupon,
        ...sums,
      })
      .from(conversionDaily)
      .where(scopeFilter(scope, range))
      .groupBy(conversionDaily.day, conversionDaily.currency, viaCoupon),
  ]);
  const byDay = new Map<string, Tally>();
  const whole = new Tally(currency);
  for (const row of rows) {
    let tally = byDay.get(row.day);
    if (!tally) byDay.set(row.day, (tally = new Tally(currency)));
    tally.add(row);
    whole.add(row);
  }
  let clicks = 0;
  let uniqueClicks = 0;
  const days = clickDays.map((day): DailyPerformance => {
    clicks += day.clicks;
    uniqueClicks += day.uniqueClicks;
    const tally = byDay.get(day.day) ?? new Tally(currency);
    return {
      ...day,
      ...tally.all.figures,
      conversionRate: conversionRate(tally.clickConversions, day.uniqueClicks),
      epcMinor: earningsPerClickMinor(tally.clickCommissionMinor, day.clicks),
      otherCurrencies: tally.all.otherCurrencies,
    };
  });
  return {
    currency,
    range,
    days,
    totals: {
      currency,
      clicks,
      uniqueClicks,
      ...whole.all.figures,
      conversionRate: conversionRate(whole.clickConversions, uniqueClicks),
      epcMinor: earningsPerClickMinor(whole.clickCommissionMinor, clicks),
      otherCurrencies: whole.all.otherCurrencies,
      coupons: whole.coupons.isEmpty ? null : { figures: whole.coupons.figures, otherCurrencies: whole.coupons.otherCurrencies },
    },
  };
}

/** A link's figures over a range, for lists: its clicks too, so the rates can be worked out. */
export type LinkPerformance = ConversionFigures & {
  clicks: number;
  uniqueClicks: number;
  conversionRate: number | null;
  epcMinor: number | null;
  otherCurrencies: CurrencyFigures[];
};

export const NO_LINK_PERFORMANCE: LinkPerformance = {
  ...NO_CONVERSIONS,
  clicks: 0,
  uniqueClicks: 0,
  conversionRate: null,
  epcMinor: null,
  otherCurrencies: [],
};

/**
 * How the brand's reports group a range's figures: per partner, or per
 * partner and link. A partner's coupon code conversions have no link: by
 * link, they are a row of their own under NO_LINK_ID.
 */
export type PerformanceGrouping = "partner" | "link";

/** Where performancesBy puts a partner's figures, or a partner's link's (coupon codes: NO_LINK_ID). */
export const performanceKey = (organisationId: string, linkId?: string) => (linkId === undefined ? organisationId : `${organisationId}/${linkId}`);

/**
 * The figures of some partners, or some of their links, over a range (a page
 * of a list), keyed by performanceKey; those without any are left out of the
 * map. `linkIds` narrows the links read; by partner, leave it out.
 */
export async function performancesBy(
  db: Db,
  grouping: PerformanceGrouping,
  keys: { organisationIds: readonly string[]; linkIds?: readonly string[] },
  range: StatsRange,
  currency: string,
): Promise<Map<string, LinkPerformance>> {
  const result = new Map<string, LinkPerformance>();
  if (!keys.organisationIds.length || keys.linkIds?.length === 0) return result;
  const byLink = grouping === "link";
  // By partner the link is no part of the key: a constant in its place, so both groupings read their rows alike.
  const clickLink = byLink ? sql<string>`${linkClickDaily.linkId}` : sql<string>`''`;
  const conversionLink = byLink ? sql<string>`${conversionDaily.linkId}` : sql<string>`''`;
  const keyOf = (row: { organisationId: string; linkId: string }) => performanceKey(row.organisationId, byLink ? row.linkId : undefined);
  const [clickRows, conversionRows] = await Promise.all([
    db
      .select({
        organisationId: linkClickDaily.organisationId,
        linkId: clickLink,
        clicks: sql<number>`coalesce(sum(${linkClickDaily.clicks} - ${linkClickDaily.botClicks}), 0)`.mapWith(Number),
        uniqueClicks: sql<number>`coalesce(sum(${linkClickDaily.uniqueClicks}), 0)`.mapWith(Number),
      })
      .from(linkClickDaily)
      .where(
        and(
          inArray(linkClickDaily.organisationId, [...keys.organisationIds]),
          keys.linkIds ? inArray(linkClickDaily.linkId, [...keys.linkIds]) : undefined,
          gte(linkClickDaily.day, range.from),
          lte(linkClickDaily.day, range.to),
        ),
      )
      .groupBy(...(byLink ? [linkClickDaily.organisationId, linkClickDaily.linkId] : [linkClickDaily.organisationId])),
    db
      .select({ organisationId: conversionDaily.organisationId, linkId: conversionLink, currency: conversionDaily.currency, viaCoupon, ...sums })
      .from(conversionDaily)
      .where(
        and(
          inArray(conversionDaily.organisationId, [...keys.organisationIds]),
          keys.linkIds ? inArray(conversionDaily.linkId, [...keys.linkIds]) : undefined,
          inRange(range),
        ),
      )
      .groupBy(...(byLink ? [conversionDaily.organisationId, conversionDaily.linkId] : [conversionDaily.organisationId]), conversionDaily.currency, viaCoupon),
  ]);
  const tallies = new Map<string, Tally>();
  for (const row of conversionRows) {
    const key = keyOf(row);
    let tally = tallies.get(key);
    if (!tally) tallies.set(key, (tally = new Tally(currency)));
    tally.add(row);
  }
  const clicksOf = new Map(clickRows.map((row) => [keyOf(row), row]));
  for (const key of new Set([...clicksOf.keys(), ...tallies.keys()])) {
    const { clicks, uniqueClicks } = clicksOf.get(key) ?? { clicks: 0, uniqueClicks: 0 };
    const tally = tallies.get(key) ?? new Tally(currency);
    result.set(key, {
      ...tally.all.figures,
      clicks,
      uniqueClicks,
      conversionRate: conversionRate(tally.clickConversions, uniqueClicks),
      epcMinor: earningsPerClickMinor(tally.clickCommissionMinor, clicks),
      otherCurrencies: tally.all.otherCurrencies,
    });
  }
  return result;
}

/** The figures of some links of an organisation (a page of a list) over a range; links without any are left out of the map. */
export async function linkPerformances(
  db: Db,
  organisationId: string,
  linkIds: readonly string[],
  range: StatsRange,
  currency: string,
): Promise<Map<string, LinkPerformance>> {
  const figures = await performancesBy(db, "link", { organisationIds: [organisationId], linkIds }, range, currency);
  const result = new Map<string, LinkPerformance>();
  for (const linkId of linkIds) {
    const performance = figures.get(performanceKey(organisationId, linkId));
    if (performance) result.set(linkId, performance);
  }
  return result;
}

/** A partner as the brand's reports name it. */
export type ReportPartner = { id: string; slug: string; name: string };

/** A row of a report by link: the partner, and its link, or null for its coupon code conversions. */
export type ReportLinkKey = { partner: ReportPartner; link: { id: string; code: string } | null };

/** Every (partner, link) with a click or a conversion in the range, from both rollups: what a report lists (rows of nothing but zeros are left out). */
function activityIn(db: Db, range: StatsRange, organisationId: string | undefined) {
  return db
    .select({ organisationId: linkClickDaily.organisationId, linkId: linkClickDaily.linkId })
    .from(linkClickDaily)
    .where(
      and(
        organisationId ? eq(linkClickDaily.organisationId, organisationId) : undefined,
        gte(linkClickDaily.day, range.from),
        lte(linkClickDaily.day, range.to),
      ),
    )
    .union(
      db
        .select({ organisationId: conversionDaily.organisationId, linkId: conversionDaily.linkId })
        .from(conversionDaily)
        .where(and(organisationId ? eq(conversionDaily.organisationId, organisationId) : undefined, inRange(range))),
    )
    .as("activity");
}

/**
 * The partners (every one, or just `organisationId`) with clicks or
 * conversions in a range, by slug, at most `limit` after `afterSlug`: the
 * rows of a report by partner, a page at a time.
 */
export async function partnersActiveIn(
  db: Db,
  range: StatsRange,
  page: { organisationId?: string; afterSlug?: string; limit: number },
): Promise<ReportPartner[]> {
  const activity = activityIn(db, range, page.organisationId);
  return db
    .selectDistinct({ id: partnerOrganisations.id, slug: partnerOrganisations.slug, name: partnerOrganisations.name })
    .from(activity)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, activity.organisationId))
    .where(page.afterSlug === undefined ? undefined : sql`${partnerOrganisations.slug} > ${page.afterSlug}`)
    .orderBy(asc(partnerOrganisations.slug))
    .limit(page.limit);
}

// A partner's coupon code row sorts before its links: its code is the empty string, which no link code is.
const linkCodeKey = sql<string>`coalesce(${trackingLinks.code}, '')`;

/**
 * The links (and partners' coupon codes) with clicks or conversions in a
 * range, by partner slug then link code, a partner's coupon codes first, at
 * most `limit` after `after`: the rows of a report by link, a page at a time.
 */
export async function linksActiveIn(
  db: Db,
  range: StatsRange,
  page: { organisationId?: string; after?: { slug: string; code: string }; limit: number },
): Promise<ReportLinkKey[]> {
  const activity = activityIn(db, range, page.organisationId);
  const rows = await db
    .select({
      partnerId: partnerOrganisations.id,
      slug: partnerOrganisations.slug,
      name: partnerOrganisations.name,
      linkId: activity.linkId,
      code: linkCodeKey,
    })
    .from(activity)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, activity.organisationId))
    .leftJoin(trackingLinks, eq(trackingLinks.id, activity.linkId))
    .where(
      and(
        sql`(${activity.linkId} = ${sql.raw(`'${NO_LINK_ID}'::uuid`)} or ${trackingLinks.id} is not null)`,
        page.after === undefined ? undefined : sql`(${partnerOrganisations.slug}, ${linkCodeKey}) > (${page.after.slug}, ${page.after.code})`,
      ),
    )
    .orderBy(asc(partnerOrganisations.slug), asc(linkCodeKey))
    .limit(page.limit);
  return rows.map((row) => ({
    partner: { id: row.partnerId, slug: row.slug, name: row.name },
    link: row.linkId === NO_LINK_ID ? null : { id: row.linkId, code: row.code },
  }));
}

/** What conversions in currencies other than the program's add up to over a range, per currency, for a scope. */
export async function otherCurrencyTotals(db: Db, scope: StatsScope, range: StatsRange, currency: string): Promise<CurrencyFigures[]> {
  const rows = await db
    .select({ currency: conversionDaily.currency, ...sums })
    .from(conversionDaily)
    .where(and(scopeFilter(scope, range), ne(conversionDaily.currency, currency)))
    .groupBy(conversionDaily.currency);
  const split = new CurrencySplit(currency);
  for (const row of rows) split.add(row.currency, figuresOf(row));
  return split.otherCurrencies;
}

export const PERFORMANCE_LINKS_PAGE_SIZE = 10;

export type LinkPerformanceRow = LinkPerformance & { id: string; code: string; label: string; kind: LinkKind; status: LinkStatus };

/**
 * An organisation's links ranked by what they earned over a range (then
 * conversions, clicks, newest), a page at a time: the brand team's "which
 * links work" table. Every link is listed, those without a click too.
 */
export async function linksByPerformance(db: Db, organisationId: string, range: StatsRange, currency: string, page: number): Promise<Page<LinkPerformanceRow>> {
  const clicks = db
    .select({
      linkId: linkClickDaily.linkId,
      clicks: sql<number>`sum(${linkClickDaily.clicks} - ${linkClickDaily.botClicks})`.as("clicks"),
    })
    .from(linkClickDaily)
    .where(and(eq(linkClickDaily.organisationId, organisationId), gte(linkClickDaily.day, range.from), lte(linkClickDaily.day, range.to)))
    .groupBy(linkClickDaily.linkId)
    .as("range_clicks");
  const earned = db
    .select({
      linkId: conversionDaily.linkId,
      commission: sql<number>`sum(${conversionDaily.commissionMinor}) filter (where ${conversionDaily.currency} = ${currency})`.as("commission"),
      conversions: sql<number>`sum(${conversionDaily.conversions})`.as("conversions"),
    })
    .from(conversionDaily)
    .where(and(eq(conversionDaily.organisationId, organisationId), inRange(range)))
    .groupBy(conversionDaily.linkId)
    .as("range_conversions");
  const ranked = await paginate(
    page,
    PERFORMANCE_LINKS_PAGE_SIZE,
    (limit, offset) =>
      db
        .select({ id: trackingLinks.id, code: trackingLinks.code, label: trackingLinks.label, kind: trackingLinks.kind, status: trackingLinks.status })
        .from(trackingLinks)
        .leftJoin(clicks, eq(clicks.linkId, trackingLinks.id))
        .leftJoin(earned, eq(earned.linkId, trackingLinks.id))
        .where(eq(trackingLinks.organisationId, organisationId))
        .orderBy(
          sql`coalesce(${earned.commission}, 0) desc`,
          sql`coalesce(${earned.conversions}, 0) desc`,
          sql`coalesce(${clicks.clicks}, 0) desc`,
          desc(trackingLinks.createdAt),
          asc(trackingLinks.id),
        )
        .limit(limit)
        .offset(offset),
    () =>
      db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(trackingLinks)
        .where(eq(trackingLinks.organisationId, organisationId)),
  );
  const figures = await linkPerformances(
    db,
    organisationId,
    ranked.rows.map((row) => row.id),
    range,
    currency,
  );
  return { ...ranked, rows: ranked.rows.map((row) => ({ ...row, ...(figures.get(row.id) ?? NO_LINK_PERFORMANCE) })) };
}

export type CreativePerformanceRow = CreativeClickRow &
  ConversionFigures & { conversionRate: number | null; epcMinor: number | null; otherCurrencies: CurrencyFigures[] };

/** Per creative of an organisation, over a range: its links' clicks (as clicksByCreative counts them) and what they converted. */
export async function performanceByCreative(db: Db, organisationId: string, range: StatsRange, currency: string): Promise<CreativePerformanceRow[]> {
  const [clickRows, conversionRows] = await Promise.all([
    clicksByCreative(db, organisationId, range),
    db
      .select({ creativeId: trackingLinks.creativeId, currency: conversionDaily.currency, ...sums })
      .from(conversionDaily)
      // The links named by the organisation as well: the planner then reads its few links by tracking_links_org_idx instead of
      // hashing every creative link of the program (bench/README.md, "Pages").
      .innerJoin(trackingLinks, and(eq(trackingLinks.id, conversionDaily.linkId), eq(trackingLinks.organisationId, organisationId)))
      .where(and(eq(conversionDaily.organisationId, organisationId), inRange(range), eq(trackingLinks.kind, "creative")))
      .groupBy(trackingLinks.creativeId, conversionDaily.currency),
  ]);
  const tallies = new Map<string, Tally>();
  for (const row of conversionRows) {
    if (!row.creativeId) continue;
    let tally = tallies.get(row.creativeId);
    if (!tally) tallies.set(row.creativeId, (tally = new Tally(currency)));
    tally.add({ ...row, viaCoupon: false });
  }
  return clickRows.map((row) => {
    const tally = tallies.get(row.creativeId) ?? new Tally(currency);
    return {
      ...row,
      ...tally.all.figures,
      conversionRate: conversionRate(tally.clickConversions, row.uniqueClicks),
      epcMinor: earningsPerClickMinor(tally.clickCommissionMinor, row.clicks),
      otherCurrencies: tally.all.otherCurrencies,
    };
  });
}

const percentCell = (share: number | null, digits: number) => (share === null ? "" : (share * 100).toFixed(digits));

/**
 * Clicks and conversions by day as a spreadsheet: the click columns as they
 * were, then conversions, revenue, commission and refunds in the program's
 * currency with the conversion rate and earnings per click, then the same
 * four for each other currency that had conversions in the range. Amounts are
 * plain numbers in major units, the currency in each column's name.
 */
export function dailyPerformanceCsv(report: Pick<PerformanceReport, "currency" | "days">): string {
  const { currency, days } = report;
  const others = [...new Set(days.flatMap((day) => day.otherCurrencies.map((figures) => figures.currency)))].sort();
  const money = (minor: number, code: string) => plainAmount(minor, code);
  return toCsv([
    [
      "Day",
      "Clicks",
      "Unique clicks",
      "Bot clicks",
      "Bot share (%)",
      "Conversions",
      `Revenue (${currency})`,
      `Commission (${currency})`,
      `Refunded (${currency})`,
      "Conversion rate (%)",
      `Earnings per click (${currency})`,
      ...others.flatMap((code) => [`Conversions (${code})`, `Revenue (${code})`, `Commission (${code})`, `Refunded (${code})`]),
    ],
    ...days.map((day) => {
      const allClicks = day.clicks + day.botClicks;
      return [
        day.day,
        day.clicks,
        day.uniqueClicks,
        day.botClicks,
        percentCell(allClicks > 0 ? day.botClicks / allClicks : null, 1),
        day.conversions,
        money(day.revenueMinor, currency),
        money(day.commissionMinor, currency),
        money(day.refundedMinor, currency),
        percentCell(day.conversionRate, 2),
        plainEarningsPerClick(day.epcMinor, currency),
        ...others.flatMap((code) => {
          const figures = day.otherCurrencies.find((other) => other.currency === code) ?? NO_CONVERSIONS;
          return [figures.conversions, money(figures.revenueMinor, code), money(figures.commissionMinor, code), money(figures.refundedMinor, code)];
        }),
      ];
    }),
  ]);
}

/** An organisation's clicks and conversions by day over a range as CSV (coupon code conversions included), and the download's name. */
export async function organisationPerformanceCsv(db: Db, organisationId: string, range: StatsRange): Promise<{ csv: string; filename: string }> {
  const [organisation] = await db.select({ slug: partnerOrganisations.slug }).from(partnerOrganisations).where(eq(partnerOrganisations.id, organisationId));
  if (!organisation) throw new NotFoundError("Partner not found.");
  const report = await performanceReport(db, { organisationId }, range, await programCurrency(db));
  return { csv: dailyPerformanceCsv(report), filename: `${organisation.slug}-performance-${range.from}-to-${range.to}.csv` };
}

/** Puts a download of these figures on the audit trail: whose, which link if one, which days. */
export function recordPerformanceExport(db: Db, actor: Actor, input: { organisationId: string; linkId?: string; range: StatsRange; at: Date }): Promise<void> {
  return recordAuditNow(db, {
    actor,
    action: "performance.exported",
    subjectType: "partner_organisation",
    subjectId: input.organisationId,
    partnerOrgId: input.organisationId,
    data: { ...(input.linkId ? { link: input.linkId } : {}), from: input.range.from, to: input.range.to },
    at: input.at,
  });
}
