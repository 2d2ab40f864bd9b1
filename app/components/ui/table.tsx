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
  /** Shown in place of rows when there are none, e.g. an <EmptyState headingLevel={3} />. */
  empty?: ReactNode;
  className?: string;
};

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
    // A wide table scrolls inside this box on phones. Keyboard users can only
    // scroll a region that takes focus, and a focusable region needs a name.
    <div className={cx("table-wrap", className)} role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table">
        <caption id={captionId} className={captionHidden ? "visually-hidden" : undefined}>
          {caption}
        </caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={column.align === "right" ? "is-right" : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td className="data-table__empty" colSpan={columns.length}>
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row, index) => (
              <tr key={getRowKey(row, index)}>
                {columns.map((column) => {
                  const className = column.align === "right" ? "is-right" : undefined;
                  const content = renderCell(row, column.key);
                  return column.rowHeader ? (
                    <th key={column.key} scope="row" className={className}>
                      {content}
                    </th>
                  ) : (
                    <td key={column.key} className={className}>
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
