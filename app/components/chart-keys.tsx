// How every chart's legend and tooltip read, shared by the clicks charts and
// the report charts.
//
// Text in the page's text colour, not the series' own: a light series (bot
// clicks in grey, a pale brand colour) would fail contrast as text on white.
// The row's name says which series it is.
//
// Rows in the order the series are drawn: recharts 3 sorts the legend by
// label and the tooltip by name unless told otherwise, which put
// "Critical, High, Low, Medium" and "Approval to launch" before "Time to
// onboard".

const legendLabel = (name: string) => <span className="clicks-chart__legend">{name}</span>;

/** Props of `<Legend>`: labels in the text colour, in drawing order (`null`: no sorting). */
export const LEGEND_PROPS = { wrapperStyle: { fontSize: 13 }, formatter: legendLabel, itemSorter: null };

/** Props of `<Tooltip>`: rows in the text colour, in drawing order (every row ties, and the sort is stable). */
export const TOOLTIP_PROPS = { itemStyle: { color: "var(--text)" }, itemSorter: () => 0 };
