import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDate } from "./format";
import { formatCount } from "./link-parts";

export type ClicksOfDay = { day: string; clicks: number; uniqueClicks: number; botClicks: number };

const shortDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const tickLabel = (day: string) => shortDay.format(new Date(`${day}T00:00:00Z`));

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
        <Tooltip labelFormatter={(day) => formatDate(`${String(day)}T00:00:00Z`)} formatter={(value) => formatCount(Number(value))} />
        {/* Legend text in the page's text colour: the bots' light grey would be unreadable as text. */}
        <Legend wrapperStyle={{ fontSize: 13 }} formatter={(name) => <span className="clicks-chart__legend">{name}</span>} />
        <Bar dataKey="clicks" name="Clicks" stackId="all" fill="var(--brand)" isAnimationActive={false} />
        <Bar dataKey="botClicks" name="Bot clicks" stackId="all" fill="var(--gray-300)" isAnimationActive={false} />
        <Line dataKey="uniqueClicks" name="Unique clicks" type="monotone" stroke="var(--gray-800)" strokeWidth={2} dot={false} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
