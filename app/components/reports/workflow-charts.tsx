import type { ReactNode } from "react";
import { ReportChart, type ChartPoint, type ChartSeries } from "~/components/reports/report-chart";
import { formatHours, formatMonth } from "~/components/reports/report-chart-format";
import { Card, ClockIcon, EmptyState } from "~/components/ui";

// What the brand's Workflow report and a partner's Review report draw alike:
// figures by calendar month, durations in hours and shares.

/** Durations and rates have no currency; the chart's formatter wants one, so any code will do. */
const NO_CURRENCY = "USD";

type DurationMonth = { medianHours: number | null; p90Hours: number | null };

/** A review stage's figures by month, as both reports carry them. */
export type StageMonths = { stage: string; label: string; figures: { months: readonly DurationMonth[] } };

/** The chart's points: one per month of the report, its values built from the month's position. */
export function monthPoints(months: readonly string[], build: (i: number) => Record<string, number | null>): ChartPoint[] {
  return months.map((month, i) => ({ key: month, label: formatMonth(month), ...build(i) }));
}

export const durationSeries = (key: string, label: string): ChartSeries => ({ key, label, kind: "line", format: "hours" });
export const shareSeries = (key: string, label: string): ChartSeries => ({ key, label, kind: "line", format: "share" });

/** A chart's empty state when nothing of `what` happened in the range. */
export function NoDataInRange({ what }: { what: string }) {
  return <EmptyState headingLevel={3} icon={<ClockIcon />} title={`No ${what} in these dates`} description="Choose a longer range to see how it moved." />;
}

/** "–" for a percentile with nothing to take it from. */
export const hoursOrDash = (hours: number | null) => (hours === null ? "–" : formatHours(hours));

/** A line chart of monthly figures in a card titled as the chart (the chart's table view comes with it). */
export function MonthlyChart({
  title,
  summary,
  points,
  series,
  empty,
}: {
  title: string;
  summary: string;
  points: ChartPoint[];
  series: ChartSeries[];
  empty: ReactNode;
}) {
  return (
    <Card title={title}>
      <ReportChart title={title} summary={summary} xHeader="Month" currency={NO_CURRENCY} points={points} series={series} empty={empty} />
    </Card>
  );
}

/** Median and 90th percentile review time of each stage, by month. */
export function StageTimeChart({
  title,
  summary,
  months,
  stages,
  emptyWhat,
}: {
  title: string;
  summary: string;
  months: readonly string[];
  stages: readonly StageMonths[];
  emptyWhat: string;
}) {
  return (
    <MonthlyChart
      title={title}
      summary={summary}
      points={monthPoints(months, (i) =>
        Object.fromEntries(
          stages.flatMap((stage) => [
            [`${stage.stage}Median`, stage.figures.months[i]!.medianHours],
            [`${stage.stage}P90`, stage.figures.months[i]!.p90Hours],
          ]),
        ),
      )}
      series={stages.flatMap((stage) => [
        durationSeries(`${stage.stage}Median`, `${stage.label}, median`),
        durationSeries(`${stage.stage}P90`, `${stage.label}, p90`),
      ])}
      empty={<NoDataInRange what={emptyWhat} />}
    />
  );
}
