import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { LEGEND_PROPS, TOOLTIP_PROPS } from "./chart-keys";
import { formatMoney, minorUnitsPer } from "~/lib/money";
import { formatDate } from "./format";
import { formatCount } from "./link-parts";

export type ClicksOfDay = { day: string; clicks: number; uniqueClicks: number; botClicks: number };
export type ConversionsOfDay = { day: string; conversions: number; revenueMinor: number; commissionMinor: number };

const shortDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const tickLabel = (day: string) => shortDay.format(new Date(`${day}T00:00:00Z`));
const tooltipDay = (day: unknown) => formatDate(`${String(day)}T00:00:00Z`);

/**
 * The chart itself: people as bars with the bots stacked on them, unique
 * visitors as a line. Loaded on its own once the page is interactive (see
 * ClicksByDay), so recharts' weight is paid only where a chart is drawn.
 */
export function ClicksPlot({ days }: { days: readonly ClicksOfDay[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={days as ClicksOfDay[]} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="day" tickFormatter={tickLabel} minTickGap={24} tick={{ fontSize: 12 }} tickLine={false} />
        <YAxis allowDecimals={false} tick={{ fontSize: 12 }} tickLine={false} axisLine={false} />
        <Tooltip labelFormatter={tooltipDay} formatter={(value) => formatCount(Number(value))} {...TOOLTIP_PROPS} />
        <Legend {...LEGEND_PROPS} />
        <Bar dataKey="clicks" name="Clicks" stackId="all" fill="var(--brand)" isAnimationActive={false} />
        <Bar dataKey="botClicks" name="Bot clicks" stackId="all" fill="var(--gray-300)" isAnimationActive={false} />
        <Line dataKey="uniqueClicks" name="Unique clicks" type="monotone" stroke="var(--gray-800)" strokeWidth={2} dot={false} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/**
 * Conversions by day as bars (left axis) and revenue as a line in the
 * program's currency (right axis, whole units), for the same days as the
 * clicks chart above it. Loaded the same way as ClicksPlot.
 */
export function ConversionsPlot({ days, currency }: { days: readonly ConversionsOfDay[]; currency: string }) {
  const units = minorUnitsPer(currency);
  const data = days.map((d) => ({ day: d.day, conversions: d.conversions, revenue: d.revenueMinor / units }));
  const wholeUnits = (major: number) => formatMoney(Math.round(major) * units, currency, 0);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 8, right: 0, bottom: 0, left: -16 }} accessibilityLayer={false}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="day" tickFormatter={tickLabel} minTickGap={24} tick={{ fontSize: 12 }} tickLine={false} />
        <YAxis yAxisId="count" allowDecimals={false} tick={{ fontSize: 12 }} tickLine={false} axisLine={false} />
        <YAxis yAxisId="money" orientation="right" tickFormatter={wholeUnits} tick={{ fontSize: 12 }} tickLine={false} axisLine={false} width={72} />
        <Tooltip
          {...TOOLTIP_PROPS}
          labelFormatter={tooltipDay}
          formatter={(value, name) => (name === "Conversions" ? formatCount(Number(value)) : formatMoney(Math.round(Number(value) * units), currency))}
        />
        <Legend {...LEGEND_PROPS} />
        <Bar yAxisId="count" dataKey="conversions" name="Conversions" fill="var(--brand)" isAnimationActive={false} />
        <Line
          yAxisId="money"
          dataKey="revenue"
          name={`Revenue (${currency})`}
          // Straight between days: a smoothed curve would show money on days that had none.
          type="linear"
          stroke="var(--gray-800)"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
