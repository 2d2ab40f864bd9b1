import { Form, Link } from "@remix-run/react";
import { creativeStatusOf } from "~/domain/creatives/catalog";
import { typeName } from "~/domain/assets/catalog";
import { Pagination } from "./pagination";
import { Badge, Button, Card, DataTable, EmptyState, Field, FileIcon, SearchIcon, SelectField } from "./ui";
import { formatBytes, formatDateTime } from "./format";

/** A finding of the pre-screen as pages receive it (app/domain/prescreen/types.ts). */
export type ShownFinding = { code: string; severity: "error" | "warning"; message: string; start: number | null; end: number | null };

export function CreativeStatusBadge({ status }: { status: string }) {
  const shown = creativeStatusOf(status);
  return (
    <Badge tone={shown.tone} dot>
      {shown.label}
    </Badge>
  );
}

const FINDING_TITLES: Record<string, string> = {
  missing_disclosure: "Disclosure missing",
  missing_disclaimer: "Disclaimer missing",
  claim_not_allowed: "Claim not allowed",
  banned_term: "Banned term",
  destination_not_allowed: "Destination not allowed",
  file_type_not_allowed: "File type not allowed",
  file_too_large: "File too large",
  image_too_small: "Image too small",
  pdf_too_many_pages: "Too many pages",
  possible_unapproved_claim: "Possible unapproved claim",
  disclosure_in_hashtag_run: "Disclosure buried in hashtags",
  copy_too_long: "Copy too long",
};

export const findingTitle = (code: string) => FINDING_TITLES[code] ?? code.replace(/_/g, " ");

/** Errors first, then warnings, each in the order the pre-screen gave (by place in the copy). */
export function sortedFindings(findings: readonly ShownFinding[]): ShownFinding[] {
  return [...findings.filter((f) => f.severity === "error"), ...findings.filter((f) => f.severity === "warning")];
}

/**
 * The pre-screen's findings as a list: each says what is wrong and how to fix
 * it; `onShow` (the editor's) selects the words a finding is about.
 */
export function FindingList({
  findings,
  copy,
  onShow,
  emptyText,
}: {
  findings: readonly ShownFinding[];
  copy?: string;
  onShow?: (finding: ShownFinding) => void;
  emptyText: string;
}) {
  if (!findings.length) {
    return <p className="finding-list__empty">{emptyText}</p>;
  }
  return (
    <ul className="finding-list">
      {sortedFindings(findings).map((finding, index) => {
        const quoted = copy !== undefined && finding.start !== null && finding.end !== null ? copy.slice(finding.start, finding.end) : null;
        return (
          <li key={`${finding.code}-${finding.start ?? "x"}-${index}`} className={`finding finding--${finding.severity}`}>
            <div className="finding__head">
              <Badge tone={finding.severity === "error" ? "danger" : "warning"}>{finding.severity === "error" ? "Error" : "Warning"}</Badge>
              <strong>{findingTitle(finding.code)}</strong>
            </div>
            <p className="finding__message">{finding.message}</p>
            {quoted ? (
              onShow ? (
                <button type="button" className="finding__quote" onClick={() => onShow(finding)}>
                  <span className="visually-hidden">Show in the copy: </span>“{quoted.length > 80 ? `${quoted.slice(0, 80)}…` : quoted}”
                </button>
              ) : (
                <q className="finding__quote">{quoted.length > 80 ? `${quoted.slice(0, 80)}…` : quoted}</q>
              )
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

type Piece = { text: string; severity: "error" | "warning" | null; cut: boolean };

/**
 * The copy cut at every finding's edge (and at the feed's cut-off point), each
 * piece marked with the worst severity over it: what the editor's backdrop and
 * the reviewer's read-only copy both draw.
 */
export function highlightPieces(copy: string, findings: readonly ShownFinding[], cutAt: number | null = null): Piece[] {
  const spans = findings.filter((f) => f.start !== null && f.end !== null && f.end > f.start) as (ShownFinding & { start: number; end: number })[];
  const edges = new Set<number>([0, copy.length]);
  for (const span of spans) {
    edges.add(Math.min(span.start, copy.length));
    edges.add(Math.min(span.end, copy.length));
  }
  if (cutAt !== null && cutAt > 0 && cutAt < copy.length) edges.add(cutAt);
  const sorted = [...edges].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i < sorted.length - 1; i++) {
    const from = sorted[i]!;
    const to = sorted[i + 1]!;
    const over = spans.filter((s) => s.start <= from && s.end >= to);
    const severity = over.some((s) => s.severity === "error") ? "error" : over.length ? "warning" : null;
    pieces.push({ text: copy.slice(from, to), severity, cut: cutAt !== null && to === cutAt });
  }
  return pieces;
}

/** Offset in `copy` (UTF-16 units) of the `n`th character as people count them (an emoji is one). */
export function offsetOfCharacter(copy: string, n: number): number {
  let count = 0;
  for (let offset = 0; offset < copy.length;) {
    if (count === n) return offset;
    const code = copy.codePointAt(offset)!;
    offset += code > 0xffff ? 2 : 1;
    count++;
  }
  return copy.length;
}

/** The copy with the findings marked, for pages that read it (versions, the reviewer's view). */
export function HighlightedCopy({ copy, findings }: { copy: string; findings: readonly ShownFinding[] }) {
  if (!copy) return <p className="muted">No copy: the creative is the file alone.</p>;
  return (
    <div className="highlighted-copy">
      {highlightPieces(copy, findings).map((piece, i) =>
        piece.severity ? (
          <mark key={i} className={`hl hl--${piece.severity}`}>
            {piece.text}
          </mark>
        ) : (
          <span key={i}>{piece.text}</span>
        ),
      )}
    </div>
  );
}

export type ShownFile = {
  id: string;
  kind: string;
  contentType: string;
  originalFilename: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  pageCount: number | null;
  hasPreview: boolean;
};

export function fileFacts(file: ShownFile): string {
  const parts = [typeName(file.contentType), formatBytes(file.byteSize)];
  if (file.width && file.height) parts.push(`${file.width} × ${file.height} px`);
  if (file.pageCount) parts.push(`${file.pageCount} ${file.pageCount === 1 ? "page" : "pages"}`);
  return parts.join(" · ");
}

/** A file with its preview (or a clear "no preview"), its facts and a download link. */
export function FileTile({ file, baseUrl, children }: { file: ShownFile; baseUrl: string; children?: React.ReactNode }) {
  return (
    <li className="file-tile">
      <div className="file-tile__preview">
        {file.hasPreview ? (
          <img src={`${baseUrl}/${file.id}?preview`} alt={`Preview of ${file.originalFilename}`} loading="lazy" />
        ) : (
          <div className="file-tile__none">
            <FileIcon aria-hidden="true" />
            <span className="small">{file.kind === "video" ? "No preview for video: download it to watch." : "No preview"}</span>
          </div>
        )}
      </div>
      <div className="file-tile__body">
        <a href={`${baseUrl}/${file.id}`} className="file-tile__name" download>
          {file.originalFilename}
        </a>
        <span className="muted small">{fileFacts(file)}</span>
        {children}
      </div>
    </li>
  );
}

export type CreativeRow = {
  id: string;
  title: string;
  channel: string;
  placement: string;
  status: string;
  latestVersion: number;
  updatedAt: string | Date;
  organisationName?: string;
};

/**
 * The list of creatives, for the partner (their organisation's) and the brand
 * team (every submission, with the partner's name): status tabs with counts,
 * search and channel filter, a table and its pages, and an empty state that
 * says whether nothing exists yet or nothing matches.
 */
export function CreativeList({
  rows,
  page,
  pageCount,
  total,
  counts,
  filters,
  channels,
  hrefFor,
  withPartner,
  empty,
  statuses,
}: {
  rows: CreativeRow[];
  page: number;
  pageCount: number;
  total: number;
  counts: Record<string, number>;
  filters: { q?: string | undefined; status?: string | undefined; channel?: string | undefined };
  channels: { value: string; label: string }[];
  hrefFor: (id: string) => string;
  withPartner: boolean;
  empty: React.ReactNode;
  statuses: readonly { value: string; label: string }[];
}) {
  const filtered = Boolean(filters.q || filters.status || filters.channel);
  const tabHref = (status: string) =>
    `?${new URLSearchParams({ ...(status ? { status } : {}), ...(filters.q ? { q: filters.q } : {}), ...(filters.channel ? { channel: filters.channel } : {}) })}`;
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  const labelOfChannel = new Map(channels.map((c) => [c.value, c.label]));
  return (
    <>
      <nav className="tabs" aria-label="Status">
        <Link className="tabs__link" to={tabHref("")} aria-current={!filters.status ? "page" : undefined}>
          All <span className="muted tabular">({all})</span>
        </Link>
        {statuses
          .filter((s) => counts[s.value])
          .map((s) => (
            <Link key={s.value} className="tabs__link" to={tabHref(s.value)} aria-current={filters.status === s.value ? "page" : undefined}>
              {s.label} <span className="muted tabular">({counts[s.value]})</span>
            </Link>
          ))}
      </nav>
      <Card>
        <Form method="get" className="filter-bar" role="search" aria-label="Search creatives">
          {filters.status ? <input type="hidden" name="status" value={filters.status} /> : null}
          <Field
            label="Search"
            name="q"
            type="search"
            defaultValue={filters.q ?? ""}
            placeholder={withPartner ? "Title, placement, copy or partner" : "Title, placement or copy"}
          />
          <SelectField label="Channel" name="channel" options={[{ value: "", label: "All channels" }, ...channels]} defaultValue={filters.channel ?? ""} />
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </Form>
      </Card>
      <Card flush>
        <DataTable
          caption={`Creatives (${total})`}
          captionHidden
          columns={[
            { key: "title", header: "Creative", rowHeader: true },
            ...(withPartner ? [{ key: "partner" as const, header: "Partner" }] : []),
            { key: "channel", header: "Channel" },
            { key: "status", header: "Status" },
            { key: "version", header: "Version", align: "right" as const },
            { key: "updated", header: "Last change" },
          ]}
          rows={rows}
          getRowKey={(row) => row.id}
          empty={
            filtered ? (
              <EmptyState headingLevel={2} icon={<SearchIcon />} title="No creatives match" description="Try another status, channel or search." />
            ) : (
              empty
            )
          }
          renderCell={(row, key) => {
            switch (key) {
              case "title":
                return (
                  <>
                    <Link to={hrefFor(row.id)}>{row.title}</Link>
                    {row.placement ? <div className="muted small">{row.placement}</div> : null}
                  </>
                );
              case "partner":
                return row.organisationName ?? "";
              case "channel":
                return labelOfChannel.get(row.channel) ?? row.channel;
              case "status":
                return <CreativeStatusBadge status={row.status} />;
              case "version":
                return row.latestVersion ? `v${row.latestVersion}` : "—";
              case "updated":
                return formatDateTime(new Date(row.updatedAt));
            }
          }}
        />
      </Card>
      <Pagination page={page} pageCount={pageCount} />
    </>
  );
}
