import { useId, type ReactNode } from "react";

import { cx } from "./cx";

export type DataTableColumn<K extends string = string> = {
  key: K;
  header: ReactNode;
  align?: "left" | "right";
  /** Marks this column's cells as row headers (<th scope="row">), usually the name column. */
  rowHeader?: boolean;
};

export type DataTableProps<T, K extends string = string> = {
  /** Names the table for screen readers; shown as a title unless captionHidden. */
  caption: ReactNode;
  captionHidden?: boolean;
  columns: readonly DataTableColumn<K>[];
  rows: readonly T[];
  renderCell: (row: T, key: K) => ReactNode;
  getRowKey: (row: T, index: number) => string | number;
  /** Shown in place of rows when there are none, e.g. an <EmptyState />, its heading one level below the one above the table. */
  empty?: ReactNode;
  className?: string;
};

/** Plain-text column names label each value when rows stack on phones. */
function labelOf(header: ReactNode): string | undefined {
  return typeof header === "string" || typeof header === "number" ? String(header) : undefined;
}

export function DataTable<T, K extends string = string>({
  caption,
  captionHidden = false,
  columns,
  rows,
  renderCell,
  getRowKey,
  empty = "Nothing here yet.",
  className,
}: DataTableProps<T, K>) {
  const captionId = useId();
  return (
    // A table too wide for its box scrolls inside it. Keyboard users can only
    // scroll a region that takes focus, and a focusable region needs a name.
    // On phones each row stacks into a labelled block (see .data-table in
    // app.css); the explicit roles keep the table semantics that some
    // browsers drop once table parts are no longer display: table-*.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must take focus for keyboard users to scroll it (WCAG 2.1.1; axe: scrollable-region-focusable).
    <div className={cx("table-wrap", className)} role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table" role="table">
        <caption id={captionId} className={captionHidden ? "visually-hidden" : undefined}>
          {caption}
        </caption>
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((column) => (
              <th key={column.key} scope="col" role="columnheader" className={column.align === "right" ? "is-right" : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.length === 0 ? (
            <tr role="row">
              <td className="data-table__empty" colSpan={columns.length} role="cell">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row, index) => (
              <tr key={getRowKey(row, index)} role="row">
                {columns.map((column) => {
                  const className = column.align === "right" ? "is-right" : undefined;
                  const content = renderCell(row, column.key);
                  const label = labelOf(column.header);
                  return column.rowHeader ? (
                    <th key={column.key} scope="row" role="rowheader" className={className} data-label={label}>
                      {content}
                    </th>
                  ) : (
                    <td key={column.key} role="cell" className={className} data-label={label}>
                      {content}
                    </td>
                  );
                })}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
