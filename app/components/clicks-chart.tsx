import { useEffect, useState, type ReactNode } from "react";
import { formatEarningsPerClick } from "~/domain/conversions/metrics";
import { formatMoney } from "~/lib/money";
import type { ClicksOfDay, ConversionsOfDay } from "./clicks-chart-plot";
import { formatDate } from "./format";
import { formatCount, formatShare } from "./link-parts";
import { useHydrated } from "./use-hydrated";
import { DataTable } from "./ui";

const dayLabel = (day: string) => formatDate(`${day}T00:00:00Z`);
const botShareOf = (d: ClicksOfDay) => (d.clicks + d.botClicks > 0 ? d.botClicks / (d.clicks + d.botClicks) : null);

type PlotModule = typeof import("./clicks-chart-plot");

/**
 * The plots, fetched once the page is interactive: recharts and its
 * dependencies are some 140 KB gzipped, paid only by pages that draw a chart.
 */
function usePlots(): PlotModule | null {
  const [plots, setPlots] = useState<PlotModule | null>(null);
  useEffect(() => {
    let mounted = true;
    void import("./clicks-chart-plot").then((module) => {
      if (mounted) setPlots(module);
    });
    return () => {
      mounted = false;
    };
  }, []);
  return plots;
}

/** The range a chart covers, for its spoken summary. */
function rangeOf(days: readonly { day: string }[]): string {
  return days.length ? `from ${dayLabel(days[0]!.day)} to ${dayLabel(days.at(-1)!.day)}` : "";
}

/**
 * A chart with its figures as a table. Recharts 3 draws nothing on the
 * server (it lays the chart out in effects; recharts issue #5997), so the
 * plot is drawn once the page is interactive, in a box of fixed height that
 * keeps the page from jumping; without JavaScript the same figures are a
 * table. The table is there either way, for screen readers and exact numbers.
 */
function ChartWithTable({ title, summary, plot, table }: { title: string; summary: string; plot: ReactNode | null; table: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <div className="clicks-chart">
      {plot ? (
        <div className="clicks-chart__plot" role="img" aria-label={summary}>
          {plot}
        </div>
      ) : (
        <div className="clicks-chart__plot" aria-hidden="true" />
      )}
      {hydrated ? (
        <details className="clicks-chart__numbers">
          <summary>{title} as a table</summary>
          {table}
        </details>
      ) : (
        <noscript>{table}</noscript>
      )}
    </div>
  );
}

/** One sentence of what the clicks chart shows, for screen readers (the table holds every figure). */
function clicksSummary(title: string, days: readonly ClicksOfDay[]): string {
  const total = days.reduce((sum, d) => sum + d.clicks, 0);
  const busiest = days.reduce<ClicksOfDay | null>((best, d) => (d.clicks > (best?.clicks ?? 0) ? d : best), null);
  return `${title}, ${rangeOf(days)}: ${formatCount(total)} clicks${busiest ? `, most on ${dayLabel(busiest.day)} (${formatCount(busiest.clicks)})` : ""}. The table below has every day.`;
}

/** Clicks by day: people as bars with the bots stacked on them, unique visitors as a line. */
export function ClicksByDay({ title, days }: { title: string; days: readonly ClicksOfDay[] }) {
  const plots = usePlots();
  return (
    <ChartWithTable
      title={title}
      summary={clicksSummary(title, days)}
      plot={plots ? <plots.ClicksPlot days={days} /> : null}
      table={
        <DataTable
          caption={title}
          captionHidden
          columns={[
            { key: "day", header: "Day", rowHeader: true },
            { key: "clicks", header: "Clicks", align: "right" },
            { key: "unique", header: "Unique clicks", align: "right" },
            { key: "bots", header: "Bot clicks", align: "right" },
            { key: "share", header: "Bot share", align: "right" },
          ]}
          rows={days}
          getRowKey={(d) => d.day}
          renderCell={(d, key) => {
            if (key === "day") return dayLabel(d.day);
            if (key === "clicks") return formatCount(d.clicks);
            if (key === "unique") return formatCount(d.uniqueClicks);
            if (key === "bots") return formatCount(d.botClicks);
            return formatShare(botShareOf(d));
          }}
        />
      }
    />
  );
}

export type PerformanceOfDay = ConversionsOfDay & { clicks: number; refundedMinor: number; conversionRate: number | null; epcMinor: number | null };

/** One sentence of what the conversions chart shows, for screen readers. */
function conversionsSummary(title: string, days: readonly PerformanceOfDay[], currency: string): string {
  const conversions = days.reduce((sum, d) => sum + d.conversions, 0);
  const revenue = days.reduce((sum, d) => sum + d.revenueMinor, 0);
  return `${title}, ${rangeOf(days)}: ${formatCount(conversions)} conversions, ${formatMoney(revenue, currency)} revenue. The table below has every day.`;
}

/**
 * Conversions by day in the program's currency: conversions as bars, revenue
 * as a line; the table adds the clicks, commission, refunds, conversion rate
 * and earnings per click of each day.
 */
export function ConversionsByDay({ title, days, currency }: { title: string; days: readonly PerformanceOfDay[]; currency: string }) {
  const plots = usePlots();
  return (
    <ChartWithTable
      title={title}
      summary={conversionsSummary(title, days, currency)}
      plot={plots ? <plots.ConversionsPlot days={days} currency={currency} /> : null}
      table={
        <DataTable
          caption={title}
          captionHidden
          columns={[
            { key: "day", header: "Day", rowHeader: true },
            { key: "clicks", header: "Clicks", align: "right" },
            { key: "conversions", header: "Conversions", align: "right" },
            { key: "revenue", header: "Revenue", align: "right" },
            { key: "commission", header: "Commission", align: "right" },
            { key: "refunded", header: "Refunded", align: "right" },
            { key: "rate", header: "Conversion rate", align: "right" },
            { key: "epc", header: "EPC", align: "right" },
          ]}
          rows={days}
          getRowKey={(d) => d.day}
          renderCell={(d, key) => {
            if (key === "day") return dayLabel(d.day);
            if (key === "clicks") return formatCount(d.clicks);
            if (key === "conversions") return formatCount(d.conversions);
            if (key === "revenue") return formatMoney(d.revenueMinor, currency);
            if (key === "commission") return formatMoney(d.commissionMinor, currency);
            if (key === "refunded") return formatMoney(d.refundedMinor, currency);
            if (key === "rate") return formatShare(d.conversionRate);
            return formatEarningsPerClick(d.epcMinor, currency);
          }}
        />
      }
    />
  );
}
