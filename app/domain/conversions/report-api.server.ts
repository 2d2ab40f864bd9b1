import { eq } from "drizzle-orm";
import { NO_LINK_ID, partnerOrganisations } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import { DomainError } from "../errors";
import { WHOLE_PROGRAM, type StatsRange, type StatsScope } from "../links/stats.server";
import type { CurrencyFigures } from "./metrics";
import {
  linksActiveIn,
  NO_LINK_PERFORMANCE,
  otherCurrencyTotals,
  partnersActiveIn,
  performanceKey,
  performanceReport,
  performancesBy,
  programCurrency,
  type LinkPerformance,
} from "./stats.server";
import {
  REPORT_RANGE_DEFAULT_DAYS,
  REPORT_RANGE_MAX_DAYS,
  type PerformanceQuery,
  type PerformanceReportView,
  type PerformanceRowView,
  type ReportGrouping,
} from "./report-schemas.server";

// The API's performance report (`GET /api/v1/reports/performance`, scope
// reports:read): the brand's own dashboards read clicks, conversions, revenue
// and commission per partner, link or day. The figures are the stats pages'
// own (stats.server.ts, from the rollups only); this module picks the range,
// pages the rows and writes them the way the API speaks: amounts in minor
// units, dates as UTC days.

const DAY_MS = 86_400_000;

const dayOffset = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The report's days: `to` defaults to today (UTC, by the clock), `from` to
 * 29 days before `to`. A range that runs backwards or covers more than 366
 * days is refused, naming the parameters the request gave.
 */
export function reportRange(query: Pick<PerformanceQuery, "from" | "to">, now: Date): StatsRange {
  const to = query.to ?? now.toISOString().slice(0, 10);
  const from = query.from ?? dayOffset(to, -(REPORT_RANGE_DEFAULT_DAYS - 1));
  const given = (["from", "to"] as const).filter((name) => query[name] !== undefined);
  const toSaid = query.to === undefined ? `today (${to})` : to;
  if (from > to) throw new DomainError(`from (${from}) is after to, ${toSaid}: the range's first day comes first.`, { fields: given });
  const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
  if (days > REPORT_RANGE_MAX_DAYS) {
    throw new DomainError(`The range from ${from} to ${toSaid} covers ${days} days; a report covers at most ${REPORT_RANGE_MAX_DAYS}: ask for it in parts.`, {
      fields: given,
    });
  }
  return { from, to };
}

// The cursor names the grouping it pages and the last row's place in its
// order (partner slug; partner slug and link code, "" for coupon codes; day),
// so the next page starts right after it even if rows were added meanwhile.
// Opaque to clients: base64url of a JSON array.
type ReportCursor = { groupBy: "partner"; slug: string } | { groupBy: "link"; slug: string; code: string } | { groupBy: "day"; day: string };

const CURSOR_REFUSED = "cursor is not one this report gave out: pass the nextCursor of the previous page as it is, with the same groupBy.";
const CURSOR_PART_MAX = 200;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function encodeReportCursor(cursor: ReportCursor): string {
  const parts = cursor.groupBy === "partner" ? [cursor.slug] : cursor.groupBy === "link" ? [cursor.slug, cursor.code] : [cursor.day];
  return Buffer.from(JSON.stringify([cursor.groupBy, ...parts])).toString("base64url");
}

function decodeReportCursor(text: string, groupBy: ReportGrouping): ReportCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    value = null;
  }
  const parts = Array.isArray(value) && value.every((part) => typeof part === "string" && part.length <= CURSOR_PART_MAX) ? (value as string[]) : [];
  const [kind, first, second] = parts;
  if (kind === groupBy && first !== undefined) {
    if (groupBy === "partner" && parts.length === 2) return { groupBy, slug: first };
    if (groupBy === "link" && parts.length === 3 && second !== undefined) return { groupBy, slug: first, code: second };
    if (groupBy === "day" && parts.length === 2 && DATE.test(first)) return { groupBy, day: first };
  }
  throw new DomainError(CURSOR_REFUSED, { field: "cursor" });
}

/** A share or an amount per click to 4 decimals: finer than any dashboard shows, without the float's trailing digits. */
const fourDecimals = (value: number | null) => (value === null ? null : Math.round(value * 10_000) / 10_000);

const currencyFiguresView = (figures: CurrencyFigures) => ({
  currency: figures.currency,
  conversions: figures.conversions,
  revenue: figures.revenueMinor,
  commission: figures.commissionMinor,
  refunded: figures.refundedMinor,
});

type RowFigures = Omit<PerformanceRowView, "partner" | "link" | "day">;

function figuresView(performance: LinkPerformance): RowFigures {
  return {
    clicks: performance.clicks,
    uniqueClicks: performance.uniqueClicks,
    conversions: performance.conversions,
    revenue: performance.revenueMinor,
    commission: performance.commissionMinor,
    refunded: performance.refundedMinor,
    conversionRate: fourDecimals(performance.conversionRate),
    epc: fourDecimals(performance.epcMinor),
    otherCurrencies: performance.otherCurrencies.map(currencyFiguresView),
  };
}

type RowsPage = { rows: PerformanceRowView[]; nextCursor: string | null; otherCurrencies: CurrencyFigures[] };

/** The figures of the program (or of one partner) over a range, grouped by partner, link or day, a page at a time. */
export async function performanceReportForApi(ctx: Pick<AppContext, "db" | "clock">, query: PerformanceQuery): Promise<PerformanceReportView> {
  const { db } = ctx;
  const range = reportRange(query, ctx.clock.now());
  if (query.partnerId !== undefined) {
    const [partner] = await db.select({ id: partnerOrganisations.id }).from(partnerOrganisations).where(eq(partnerOrganisations.id, query.partnerId));
    if (!partner) throw new DomainError("No partner has this partnerId.", { field: "partnerId" });
  }
  const cursor = query.cursor === undefined ? undefined : decodeReportCursor(query.cursor, query.groupBy);
  const scope: StatsScope = query.partnerId === undefined ? WHOLE_PROGRAM : { organisationId: query.partnerId };
  const currency = await programCurrency(db);
  const page = { range, currency, scope, organisationId: query.partnerId, limit: query.limit };
  const { rows, nextCursor, otherCurrencies } =
    query.groupBy === "partner"
      ? await partnerRows(ctx, page, cursor?.groupBy === "partner" ? cursor.slug : undefined)
      : query.groupBy === "link"
        ? await linkRows(ctx, page, cursor?.groupBy === "link" ? cursor : undefined)
        : await dayRows(ctx, page, cursor?.groupBy === "day" ? cursor.day : undefined);
  return { from: range.from, to: range.to, currency, groupBy: query.groupBy, rows, otherCurrencies: otherCurrencies.map(currencyFiguresView), nextCursor };
}

type PageRequest = { range: StatsRange; currency: string; scope: StatsScope; organisationId: string | undefined; limit: number };

async function partnerRows({ db }: Pick<AppContext, "db">, page: PageRequest, afterSlug: string | undefined): Promise<RowsPage> {
  // One more than the page: whether it exists says whether there is a next page.
  const [partners, otherCurrencies] = await Promise.all([
    partnersActiveIn(db, page.range, { organisationId: page.organisationId, afterSlug, limit: page.limit + 1 }),
    otherCurrencyTotals(db, page.scope, page.range, page.currency),
  ]);
  const shown = partners.slice(0, page.limit);
  const figures = await performancesBy(db, "partner", { organisationIds: shown.map((partner) => partner.id) }, page.range, page.currency);
  const last = shown.at(-1);
  return {
    rows: shown.map((partner) => ({ partner, ...figuresView(figures.get(performanceKey(partner.id)) ?? NO_LINK_PERFORMANCE) })),
    nextCursor: partners.length > page.limit && last ? encodeReportCursor({ groupBy: "partner", slug: last.slug }) : null,
    otherCurrencies,
  };
}

async function linkRows({ db }: Pick<AppContext, "db">, page: PageRequest, after: { slug: string; code: string } | undefined): Promise<RowsPage> {
  const [keys, otherCurrencies] = await Promise.all([
    linksActiveIn(db, page.range, { organisationId: page.organisationId, after, limit: page.limit + 1 }),
    otherCurrencyTotals(db, page.scope, page.range, page.currency),
  ]);
  const shown = keys.slice(0, page.limit);
  const linkIdOf = (key: (typeof shown)[number]) => key.link?.id ?? NO_LINK_ID;
  const figures = await performancesBy(
    db,
    "link",
    { organisationIds: [...new Set(shown.map((key) => key.partner.id))], linkIds: [...new Set(shown.map(linkIdOf))] },
    page.range,
    page.currency,
  );
  const last = shown.at(-1);
  return {
    rows: shown.map((key) => ({
      partner: key.partner,
      link: key.link,
      ...figuresView(figures.get(performanceKey(key.partner.id, linkIdOf(key))) ?? NO_LINK_PERFORMANCE),
    })),
    nextCursor: keys.length > page.limit && last ? encodeReportCursor({ groupBy: "link", slug: last.partner.slug, code: last.link?.code ?? "" }) : null,
    otherCurrencies,
  };
}

async function dayRows({ db }: Pick<AppContext, "db">, page: PageRequest, afterDay: string | undefined): Promise<RowsPage> {
  // At most 366 days, each from two grouped reads of the rollups: the whole range is read for every page.
  const report = await performanceReport(db, page.scope, page.range, page.currency);
  const remaining = afterDay === undefined ? report.days : report.days.filter((day) => day.day > afterDay);
  const shown = remaining.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    rows: shown.map((day) => ({
      day: day.day,
      ...figuresView(day),
    })),
    nextCursor: remaining.length > page.limit && last ? encodeReportCursor({ groupBy: "day", day: last.day }) : null,
    otherCurrencies: report.totals.otherCurrencies,
  };
}
