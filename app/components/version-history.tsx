import { formatDateTime } from "./format";
import { Pagination } from "./pagination";
import { Card, DataTable, EmptyState, ShieldIcon } from "./ui";

/** One saved version of a numbered setting (pre-screen rules, approval matrix), as its history lists it. */
export type SavedVersion = { version: number; createdAt: string | Date; createdByName: string | null; changed: string[] };

/**
 * The paged history of a numbered, audited setting: who saved which version
 * when, and what it changed (`describeChanges` words the changed keys).
 */
export function VersionHistory({
  caption,
  description,
  rows,
  page,
  pageCount,
  describeChanges,
  empty,
}: {
  caption: string;
  description: string;
  rows: SavedVersion[];
  page: number;
  pageCount: number;
  describeChanges: (changed: string[]) => string;
  empty: { title: string; description: string };
}) {
  return (
    <>
      <Card title="Versions" description={description} flush>
        <DataTable
          caption={caption}
          captionHidden
          columns={[
            { key: "version", header: "Version", rowHeader: true },
            { key: "saved", header: "Saved" },
            { key: "by", header: "By" },
            { key: "changed", header: "Changed" },
          ]}
          rows={rows}
          getRowKey={(row) => row.version}
          empty={<EmptyState headingLevel={3} icon={<ShieldIcon />} title={empty.title} description={empty.description} />}
          renderCell={(row, key) => {
            switch (key) {
              case "version":
                return `v${row.version}`;
              case "saved":
                return formatDateTime(new Date(row.createdAt));
              case "by":
                return row.createdByName ?? <span className="muted">Unknown</span>;
              case "changed":
                return row.changed.length ? describeChanges(row.changed) : <span className="muted">Not recorded</span>;
            }
          }}
        />
      </Card>
      <Pagination page={page} pageCount={pageCount} />
    </>
  );
}
