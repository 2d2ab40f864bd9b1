import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { REPORT_READER_ROLES } from "~/domain/accounts/roles";
import { programCurrency } from "~/domain/conversions/stats.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import {
  cachedPerformanceSnapshot,
  PERFORMANCE_GROUPINGS,
  snapshotTable,
  snapshotTotals,
  type PerformanceGroupingName,
  type PerformanceRow,
  type PeriodFigures,
} from "~/domain/reports/performance.server";
import { REPORT_CACHE_TTL_MS } from "~/domain/reports/range";
import { parseReportRange, rangeQuery } from "~/domain/reports/range.server";
import { requireInternalUser } from "~/lib/guards.server";
import { formatDate, formatDateTime } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { InvalidRangeNotice, PrintedRange, RangePicker } from "~/components/reports/range-picker";
import { ReportChart, type ChartPoint, type ValueFormat } from "~/components/reports/report-chart";
import { Compared, ReportCsvLink } from "~/components/reports/report-parts";
import { Card, ChartIcon, DataTable, EmptyState } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Performance · Reports" }];

const pageParam = (grouping: PerformanceGroupingName) => `${grouping}Page`;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, REPORT_READER_ROLES);
  const { db, clock } = context.app;
  const parsed = parseReportRange(new URL(request.url).searchParams, clock.now());
  if (!parsed.ok) return data({ ok: false as const, input: parsed.input, errors: parsed.errors, message: parsed.message }, { status: 400 });
  const { range, input } = parsed;
  const currency = await programCurrency(db);
  const snapshot = await cachedPerformanceSnapshot(context.app, range, currency);
  const tables = await Promise.all(
    PERFORMANCE_GROUPINGS.map((grouping) => snapshotTable(db, snapshot, grouping, pageNumberFrom(request, pageParam(grouping)))),
  );
  return {
    ok: true as const,
    input,
    range,
    query: rangeQuery(input),
    currency,
    computedAt: snapshot.computedAt,
    totals: snapshotTotals(snapshot),
    overTime: snapshot.overTime,
    tables: PERFORMANCE_GROUPINGS.map((grouping, index) => ({ grouping, page: tables[index]! })),
  };
}

/** The figures every table and the summary show, in order, with how each reads. */
const FIGURES: { key: keyof PeriodFigures; label: string; format: ValueFormat; lowerIsBetter?: boolean }[] = [
  { key: "clicks", label: "Clicks", format: "count" },
  { key: "uniqueClicks", label: "Unique clicks", format: "count" },
  { key: "botShare", label: "Bot share", format: "share", lowerIsBetter: true },
  { key: "conversions", label: "Conversions", format: "count" },
  { key: "revenueMinor", label: "Revenue", format: "money" },
  { key: "conversionRate", label: "Conversion rate", format: "share" },
  { key: "epcMinor", label: "EPC", format: "money" },
  { key: "commissionMinor", label: "Commission", format: "money" },
  { key: "aovMinor", label: "AOV", format: "money" },
  { key: "refundRate", label: "Refund rate", format: "share", lowerIsBetter: true },
];

const TABLES: Record<PerformanceGroupingName, { title: string; column: string; empty: string }> = {
  partner: { title: "By partner", column: "Partner", empty: "No partner had a click or a conversion in these dates." },
  creative: { title: "By creative", column: "Creative", empty: "No creative's links had a click or a conversion in these dates." },
  channel: { title: "By channel", column: "Channel", empty: "No channel had a click or a conversion in these dates." },
  tier: { title: "By tier", column: "Tier", empty: "No tier had a click or a conversion in these dates." },
};

const dayLabel = (day: string) => formatDate(`${day}T00:00:00Z`);
const monthLabel = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

type Loaded = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { ok: true }>;

function PerformanceTable({ grouping, page, currency, compared, query }: Loaded["tables"][number] & { currency: string; compared: boolean; query: string }) {
  const table = TABLES[grouping];
  const anchor = `by-${grouping}`;
  return (
    <Card
      id={anchor}
      title={table.title}
      description={page.total ? `${page.total} ${page.total === 1 ? "row" : "rows"}, highest revenue first.` : undefined}
      actions={page.total ? <ReportCsvLink href={`/admin/reports/performance.csv?table=${grouping}&${query}`} what={table.title.toLowerCase()} /> : null}
    >
      <DataTable
        caption={`Performance ${table.title.toLowerCase()}`}
        captionHidden
        columns={[{ key: "label", header: table.column, rowHeader: true }, ...FIGURES.map((f) => ({ key: f.key, header: f.label, align: "right" as const }))]}
        rows={page.rows}
        getRowKey={(row: PerformanceRow) => row.key}
        renderCell={(row: PerformanceRow, key) => {
          if (key === "label") {
            return (
              <>
                {row.label}
                {row.detail ? <span className="report-cell__previous">{row.detail}</span> : null}
              </>
            );
          }
          const figure = FIGURES.find((f) => f.key === key)!;
          return (
            <Compared
              current={row.current[figure.key]}
              previous={row.previous?.[figure.key] ?? null}
              format={figure.format}
              currency={currency}
              lowerIsBetter={figure.lowerIsBetter}
              compared={compared}
            />
          );
        }}
        empty={<EmptyState headingLevel={3} title="Nothing in these dates" description={table.empty} />}
      />
      <Pagination
        page={page.page}
        pageCount={page.pageCount}
        param={pageParam(grouping)}
        label={`${table.title} pages`}
        anchor={anchor}
        labels={["← Previous", "Next →"]}
      />
    </Card>
  );
}

export default function PerformanceReport() {
  const loaded = useLoaderData<typeof loader>();
  if (!loaded.ok) return <InvalidRangeNotice message={loaded.message} input={loaded.input} errors={loaded.errors} />;
  const { input, range, query, currency, totals, overTime, tables, computedAt } = loaded;
  const compared = range.previous !== null;
  const points: ChartPoint[] = overTime.points.map((p) => ({
    key: p.key,
    label: overTime.unit === "day" ? dayLabel(p.from) : monthLabel.format(new Date(`${p.from}T00:00:00Z`)),
    clicks: p.clicks,
    conversions: p.conversions,
    revenue: p.revenueMinor,
  }));
  return (
    <>
      <RangePicker input={input} range={range} />
      <PrintedRange range={range} />
      <p className="muted small">
        Figures as of {formatDateTime(computedAt)}. The report is worked out again at most every {REPORT_CACHE_TTL_MS / 60_000} minutes, for everyone who reads
        it.
      </p>
      <section className="report-section" aria-labelledby="performance-summary">
        <h2 id="performance-summary" className="visually-hidden">
          The whole program
        </h2>
        <div className="stat-grid stat-grid--report">
          {FIGURES.map((f) => (
            <div className="stat" key={f.key}>
              <p className="stat__label">{f.label}</p>
              <p className="stat__value">
                <Compared
                  current={totals.current[f.key]}
                  previous={totals.previous?.[f.key] ?? null}
                  format={f.format}
                  currency={currency}
                  lowerIsBetter={f.lowerIsBetter}
                  compared={compared}
                />
              </p>
            </div>
          ))}
        </div>
        <Card title={overTime.unit === "day" ? "Clicks, conversions and revenue by day" : "Clicks, conversions and revenue by month"}>
          <ReportChart
            title="Clicks, conversions and revenue over time"
            summary={`Clicks and conversions as bars, revenue in ${currency} as a line, by ${overTime.unit}, ${dayLabel(range.current.from)} to ${dayLabel(range.current.to)}.`}
            xHeader={overTime.unit === "day" ? "Day" : "Month"}
            points={points}
            currency={currency}
            series={[
              { key: "clicks", label: "Clicks", kind: "bar", format: "count" },
              { key: "conversions", label: "Conversions", kind: "bar", format: "count" },
              { key: "revenue", label: `Revenue (${currency})`, kind: "line", format: "money", axis: "right" },
            ]}
            empty={
              <EmptyState
                headingLevel={3}
                icon={<ChartIcon />}
                title="No clicks or conversions in these dates"
                description="Choose a longer range, or come back once partners' links are live."
              />
            }
          />
        </Card>
        <p className="muted small">
          Money is in {currency}, net of refunds; conversions in other currencies count as conversions only. Clicks leave out bots and tests; the conversion
          rate is conversions from clicks per unique click; EPC is commission from clicks per click; AOV is revenue per conversion; the refund rate is refunds
          of revenue before refunds.
        </p>
      </section>
      {tables.map((table) => (
        <section className="report-section" key={table.grouping}>
          <PerformanceTable {...table} currency={currency} compared={compared} query={query} />
        </section>
      ))}
    </>
  );
}
