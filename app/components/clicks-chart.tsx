import { useEffect, useState } from "react";
import type { ClicksOfDay, ClicksPlot } from "./clicks-chart-plot";
import { formatDate } from "./format";
import { formatCount, formatShare } from "./link-parts";
import { useHydrated } from "./use-hydrated";
import { DataTable } from "./ui";

const dayLabel = (day: string) => formatDate(`${day}T00:00:00Z`);
const botShareOf = (d: ClicksOfDay) => (d.clicks + d.botClicks > 0 ? d.botClicks / (d.clicks + d.botClicks) : null);

/** One sentence of what the chart shows, for screen readers (the table holds every figure). */
function summaryOf(title: string, days: readonly ClicksOfDay[]): string {
  const total = days.reduce((sum, d) => sum + d.clicks, 0);
  const busiest = days.reduce<ClicksOfDay | null>((best, d) => (d.clicks > (best?.clicks ?? 0) ? d : best), null);
  const range = days.length ? `from ${dayLabel(days[0]!.day)} to ${dayLabel(days.at(-1)!.day)}` : "";
  return `${title}, ${range}: ${formatCount(total)} clicks${busiest ? `, most on ${dayLabel(busiest.day)} (${formatCount(busiest.clicks)})` : ""}. The table below has every day.`;
}

/**
 * Clicks by day: people as bars with the bots stacked on them, unique
 * visitors as a line. Recharts 3 draws nothing on the server (it lays the
 * chart out in effects; recharts issue #5997), so the chart is loaded and
 * drawn once the page is interactive, in a box of fixed height that keeps
 * the page from jumping; without JavaScript the same figures are a table.
 * The table is there either way, for screen readers and exact numbers.
 */
export function ClicksByDay({ title, days }: { title: string; days: readonly ClicksOfDay[] }) {
  const hydrated = useHydrated();
  const [Plot, setPlot] = useState<typeof ClicksPlot | null>(null);
  useEffect(() => {
    let mounted = true;
    // Recharts and its dependencies are some 140 KB gzipped: fetched only by pages that draw a chart.
    void import("./clicks-chart-plot").then((module) => {
      if (mounted) setPlot(() => module.ClicksPlot);
    });
    return () => {
      mounted = false;
    };
  }, []);
  const table = (
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
  );
  return (
    <div className="clicks-chart">
      {Plot ? (
        <div className="clicks-chart__plot" role="img" aria-label={summaryOf(title, days)}>
          <Plot days={days} />
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
