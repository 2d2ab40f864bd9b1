import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { LEGEND_PROPS, TOOLTIP_PROPS } from "../chart-keys";
import { formatValue, type ChartPoint, type ChartSeries } from "./report-chart-format";

/**
 * Series colours in order: the brand's, then colours with at least 3:1
 * contrast against the white plot (WCAG 1.4.11) that stay apart from each
 * other: near-black, mid-grey, amber. A pale grey fourth series was all but
 * invisible.
 */
const COLOURS = ["var(--brand)", "var(--gray-800)", "var(--gray-500)", "var(--warning-solid)"];

/**
 * A report's chart: bars and lines over the same x values (days, weeks or
 * months), a series on the right axis when it is in other units. Loaded once
 * the page is interactive, as clicks-chart-plot.tsx is.
 */
export function ReportPlot({ points, series, currency }: { points: readonly ChartPoint[]; series: readonly ChartSeries[]; currency: string }) {
  const left = series.find((s) => s.axis !== "right");
  const right = series.find((s) => s.axis === "right");
  // Counts are whole: without this a small count's axis reads 0, 0, 1, 1, 1.
  const allowsDecimals = (s: ChartSeries | undefined) => (s?.format ?? "count") !== "count";
  const format = (s: ChartSeries | undefined) => (value: unknown) =>
    formatValue(typeof value === "number" ? value : null, s?.format ?? "count", currency, true);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={points as ChartPoint[]} margin={{ top: 8, right: right ? 0 : 8, bottom: 0, left: -8 }} accessibilityLayer={false}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="label" minTickGap={24} tick={{ fontSize: 12 }} tickLine={false} />
        <YAxis
          yAxisId="left"
          tickFormatter={format(left)}
          allowDecimals={allowsDecimals(left)}
          tick={{ fontSize: 12 }}
          tickLine={false}
          axisLine={false}
          width={64}
        />
        {right ? (
          <YAxis
            yAxisId="right"
            orientation="right"
            tickFormatter={format(right)}
            allowDecimals={allowsDecimals(right)}
            tick={{ fontSize: 12 }}
            tickLine={false}
            axisLine={false}
            width={72}
          />
        ) : null}
        <Tooltip
          {...TOOLTIP_PROPS}
          formatter={(value, name) => formatValue(typeof value === "number" ? value : null, series.find((s) => s.label === name)?.format ?? "count", currency)}
        />
        <Legend {...LEGEND_PROPS} />
        {series.map((s, index) =>
          s.kind === "bar" ? (
            <Bar key={s.key} yAxisId={s.axis ?? "left"} dataKey={s.key} name={s.label} fill={COLOURS[index % COLOURS.length]} isAnimationActive={false} />
          ) : (
            <Line
              key={s.key}
              yAxisId={s.axis ?? "left"}
              dataKey={s.key}
              name={s.label}
              // Straight between points, and gaps where a month had nothing to measure: a curve would invent values.
              type="linear"
              connectNulls={false}
              stroke={COLOURS[index % COLOURS.length]}
              strokeWidth={2}
              // Filled: a month between two without data is a lone point, and recharts' default hollow ring hardly shows.
              dot={points.length <= 31 ? { r: 3.5, fill: COLOURS[index % COLOURS.length], strokeWidth: 0 } : false}
              isAnimationActive={false}
            />
          ),
        )}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
