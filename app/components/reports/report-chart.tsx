import { useEffect, useState } from "react";
import { useHydrated } from "../use-hydrated";
import { Button, DataTable } from "../ui";
import { formatValue, type ChartPoint, type ChartSeries } from "./report-chart-format";

export type { ChartPoint, ChartSeries, ValueFormat } from "./report-chart-format";

type PlotModule = typeof import("./report-chart-plot");

/** recharts is fetched once the page is interactive, only by pages that draw a chart (as clicks-chart.tsx does). */
function usePlot(): PlotModule | null {
  const [plot, setPlot] = useState<PlotModule | null>(null);
  useEffect(() => {
    let mounted = true;
    void import("./report-chart-plot").then((module) => {
      if (mounted) setPlot(module);
    });
    return () => {
      mounted = false;
    };
  }, []);
  return plot;
}

/**
 * A report's chart with a table view of the same figures. The table is what
 * a screen reader, a printout and a page without JavaScript get; once the
 * page is interactive a button switches between the chart and the table
 * (`aria-pressed`), and the chart's spoken summary points at the table.
 */
export function ReportChart({
  title,
  summary,
  points,
  series,
  currency,
  xHeader,
  empty,
}: {
  title: string;
  /** One sentence of what the chart shows, for screen readers. */
  summary: string;
  points: readonly ChartPoint[];
  series: readonly ChartSeries[];
  currency: string;
  /** The first column's name ("Day", "Month"). */
  xHeader: string;
  /** Shown instead of the chart and table when no point has a value. */
  empty?: React.ReactNode;
}) {
  const hydrated = useHydrated();
  const plot = usePlot();
  const [asTable, setAsTable] = useState(false);
  const hasValues = points.some((p) => series.some((s) => typeof p[s.key] === "number" && p[s.key] !== 0));
  if (!hasValues && empty) return <>{empty}</>;
  const table = (
    <DataTable
      caption={title}
      captionHidden
      columns={[{ key: "label", header: xHeader, rowHeader: true }, ...series.map((s) => ({ key: s.key, header: s.label, align: "right" as const }))]}
      rows={points}
      getRowKey={(p) => p.key}
      renderCell={(p, key) =>
        key === "label" ? p.label : formatValue(typeof p[key] === "number" ? (p[key] as number) : null, series.find((s) => s.key === key)!.format, currency)
      }
    />
  );
  const showTable = !hydrated || asTable;
  return (
    <div className="report-chart">
      {hydrated ? (
        <div className="report-chart__bar no-print">
          <Button variant="ghost" size="sm" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
            Table view
            <span className="visually-hidden"> ({title})</span>
          </Button>
        </div>
      ) : null}
      {hydrated && !asTable ? (
        <div className="clicks-chart__plot report-chart__plot" role="img" aria-label={`${summary} "Table view" shows every figure.`}>
          {plot ? <plot.ReportPlot points={points} series={series} currency={currency} /> : null}
        </div>
      ) : null}
      {/* The table is always printed: a chart drawn for the screen may not fit the page. */}
      <div className={showTable ? undefined : "print-only"}>{table}</div>
    </div>
  );
}
