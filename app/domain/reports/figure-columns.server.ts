import { changeOf } from "./range";

// The reports' CSVs set each figure beside the previous period's, the same
// way on every tab: the figure, then (when compared) the previous period's
// and the change in percent.

type Cell = string | number | null;

/** One figure of a CSV row: how it is written, and the number its change is computed from. */
export type FigureColumn<F> = { header: string; cell: (f: F) => Cell; value: (f: F) => number | null };

/** The change as a cell: percent with one decimal, empty when the previous period had nothing to compare with. */
export function changeCell(current: number | null, previous: number | null): string {
  const change = changeOf(current, previous);
  return change === null ? "" : (change * 100).toFixed(1);
}

/** The columns' headers: each figure, then (when compared) "…, previous period" and "…, change (%)". */
export function figureHeaders<F>(columns: readonly FigureColumn<F>[], compared: boolean, previous = "previous period"): string[] {
  return columns.flatMap((c) => (compared ? [c.header, `${c.header}, ${previous}`, `${c.header}, change (%)`] : [c.header]));
}

/** One row's cells under `figureHeaders`; a row with nothing in the previous period (`previous` null) leaves those cells empty. */
export function figureCells<F>(columns: readonly FigureColumn<F>[], compared: boolean, current: F, previous: F | null): Cell[] {
  return columns.flatMap((c) => {
    if (!compared) return [c.cell(current)];
    return previous ? [c.cell(current), c.cell(previous), changeCell(c.value(current), c.value(previous))] : [c.cell(current), "", ""];
  });
}
