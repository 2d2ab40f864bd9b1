import type { ReactNode } from "react";
import type { PerformancePoint, PerformanceRow, PeriodFigures } from "~/domain/reports/performance.server";
import type { RangeInput, ReportRange } from "~/domain/reports/range";
import { formatDate } from "../format";
import { Pagination } from "../pagination";
import { Card, ChartIcon, DataTable, EmptyState } from "../ui";
import { ReportChart, type ChartPoint, type ValueFormat } from "./report-chart";
import { PrintedRange, RangePicker } from "./range-picker";
import { Compared, ReportAsOf, ReportCsvLink } from "./report-parts";

// The Performance tab's parts, shared by the brand's report (Admin → Reports)
// and a partner's own (Partner → Reports): the same figures, read the same
// way, over the whole program or one partner's rows.

/** The figures every table and the summary show, in order, with how each reads. */
export const PERFORMANCE_FIGURES: { key: keyof PeriodFigures; label: string; format: ValueFormat; lowerIsBetter?: boolean }[] = [
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

/** The `?…Page=` parameter of a table's pages, so each table pages on its own. */
export const performancePageParam = (grouping: string) => `${grouping}Page`;

const dayLabel = (day: string) => formatDate(`${day}T00:00:00Z`);
const monthLabel = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

type Totals = { current: PeriodFigures; previous: PeriodFigures | null };
type OverTime = { unit: "day" | "month"; points: PerformancePoint[] };

/**
 * The summary: each figure beside the previous period's, the chart over
 * time (with its table view), and how the figures are counted.
 */
export function PerformanceSummary({
  heading,
  totals,
  overTime,
  range,
  currency,
  emptyChart,
}: {
  /** What the figures cover ("The whole program", "All your links"), for screen readers. */
  heading: string;
  totals: Totals;
  overTime: OverTime;
  range: ReportRange;
  currency: string;
  /** What to do when nothing happened in the range. */
  emptyChart: string;
}) {
  const compared = range.previous !== null;
  const points: ChartPoint[] = overTime.points.map((p) => ({
    key: p.key,
    label: overTime.unit === "day" ? dayLabel(p.from) : monthLabel.format(new Date(`${p.from}T00:00:00Z`)),
    clicks: p.clicks,
    conversions: p.conversions,
    revenue: p.revenueMinor,
  }));
  return (
    <section className="report-section" aria-labelledby="performance-summary">
      <h2 id="performance-summary" className="visually-hidden">
        {heading}
      </h2>
      <div className="stat-grid stat-grid--report">
        {PERFORMANCE_FIGURES.map((f) => (
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
          empty={<EmptyState headingLevel={3} icon={<ChartIcon />} title="No clicks or conversions in these dates" description={emptyChart} />}
        />
      </Card>
      <p className="muted small">
        Money is in {currency}, net of refunds; conversions in other currencies count as conversions only. Clicks leave out bots and tests; the conversion rate
        is conversions from clicks per unique click; EPC is commission from clicks per click; AOV is revenue per conversion; the refund rate is refunds of
        revenue before refunds.
      </p>
    </section>
  );
}

/** A page of a grouping's rows, as `snapshotTable` gives it. */
type TablePage = { rows: PerformanceRow[]; total: number; page: number; pageCount: number };

/** How a grouping's table is titled, headed and explained when empty. */
export type PerformanceTableText = { title: string; column: string; empty: string };

/**
 * The Performance tab, whole: the range picker, the summary and a table per
 * grouping, over the program (the brand's, with the time its figures were
 * worked out) or one partner's rows.
 */
export function PerformanceReportView<G extends string>({
  input,
  range,
  query,
  currency,
  totals,
  overTime,
  tables,
  computedAt,
  heading,
  emptyChart,
  text,
  csvPath,
  renderLabel,
}: {
  input: RangeInput;
  range: ReportRange;
  query: string;
  currency: string;
  totals: Totals;
  overTime: OverTime;
  tables: { grouping: G; page: TablePage }[];
  /** When the figures were worked out, for a report kept a while; absent for one read afresh. */
  computedAt?: string | Date;
  heading: string;
  emptyChart: string;
  text: Record<G, PerformanceTableText>;
  /** The CSV route; each table adds its grouping and the range. */
  csvPath: string;
  renderLabel?: (grouping: G, row: PerformanceRow) => ReactNode;
}) {
  return (
    <>
      <RangePicker input={input} range={range} />
      <PrintedRange range={range} />
      {computedAt ? <ReportAsOf computedAt={computedAt} /> : null}
      <PerformanceSummary heading={heading} totals={totals} overTime={overTime} range={range} currency={currency} emptyChart={emptyChart} />
      {tables.map(({ grouping, page }) => (
        <section className="report-section" key={grouping}>
          <PerformanceTable
            grouping={grouping}
            page={page}
            {...text[grouping]}
            csvHref={`${csvPath}?table=${grouping}&${query}`}
            currency={currency}
            compared={range.previous !== null}
            renderLabel={renderLabel ? (row) => renderLabel(grouping, row) : undefined}
          />
        </section>
      ))}
    </>
  );
}

/** One grouping's table: a page of rows with every figure beside the previous period's, its CSV, its pages and an empty state. */
export function PerformanceTable({
  grouping,
  page,
  title,
  column,
  empty,
  csvHref,
  currency,
  compared,
  renderLabel,
}: {
  grouping: string;
  page: TablePage;
  /** "By creative". */
  title: string;
  /** The first column's header ("Creative"). */
  column: string;
  /** Why the table is empty. */
  empty: string;
  csvHref: string;
  currency: string;
  compared: boolean;
  /** A row's name as a cell (a link to it, say); its label and detail otherwise. */
  renderLabel?: (row: PerformanceRow) => ReactNode;
}) {
  const anchor = `by-${grouping}`;
  return (
    <Card
      id={anchor}
      title={title}
      description={page.total ? `${page.total} ${page.total === 1 ? "row" : "rows"}, highest revenue first.` : undefined}
      actions={page.total ? <ReportCsvLink href={csvHref} what={title.toLowerCase()} /> : null}
    >
      <DataTable
        caption={`Performance ${title.toLowerCase()}`}
        captionHidden
        columns={[
          { key: "label", header: column, rowHeader: true },
          ...PERFORMANCE_FIGURES.map((f) => ({ key: f.key, header: f.label, align: "right" as const })),
        ]}
        rows={page.rows}
        getRowKey={(row: PerformanceRow) => row.key}
        renderCell={(row: PerformanceRow, key) => {
          if (key === "label") {
            return renderLabel ? (
              renderLabel(row)
            ) : (
              <>
                {row.label}
                {row.detail ? <span className="report-cell__previous">{row.detail}</span> : null}
              </>
            );
          }
          const figure = PERFORMANCE_FIGURES.find((f) => f.key === key)!;
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
        empty={<EmptyState headingLevel={3} title="Nothing in these dates" description={empty} />}
      />
      <Pagination
        page={page.page}
        pageCount={page.pageCount}
        param={performancePageParam(grouping)}
        label={`${title} pages`}
        anchor={anchor}
        labels={["← Previous", "Next →"]}
      />
    </Card>
  );
}
