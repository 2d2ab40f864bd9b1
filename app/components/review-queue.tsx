import { Form, Link } from "@remix-run/react";
import { stageLabel } from "~/domain/review/matrix";
import type { QueueRow } from "~/domain/review/queue-rows";
import { tierLabel } from "~/domain/partners/catalog";
import { CreativeStatusBadge } from "./creative-parts";
import { formatDateTime } from "./format";
import { Pagination } from "./pagination";
import { Badge, Button, Card, CheckboxField, DataTable, EmptyState, Field, ImageIcon, InboxIcon, SearchIcon, SelectField, WarningIcon } from "./ui";

type QueueTab = "brand" | "legal" | "mine" | "open" | "decided";

/** The queue's filters as the page receives them back (every value kept in the form). */
export type QueueFilterValues = {
  tab?: QueueTab | undefined;
  q?: string | undefined;
  channel?: string | undefined;
  partner?: string | undefined;
  tier?: string | undefined;
  status?: string | undefined;
  warnings?: string | undefined;
  mine?: string | undefined;
};

/** A queue row as the loader sends it: dates as strings once serialised (or Dates when rendered from server data directly). */
export type QueueRowView = QueueRow<string | Date>;

const TABS: { value: QueueTab; label: string; empty: { title: string; description: string } }[] = [
  { value: "brand", label: "Brand", empty: { title: "Nothing waits for brand review", description: "New submissions arrive here first." } },
  {
    value: "legal",
    label: "Legal",
    empty: { title: "Nothing waits for legal review", description: "Creatives come here when the approval matrix asks for legal review." },
  },
  {
    value: "mine",
    label: "Assigned to me",
    empty: { title: "Nothing is assigned to you", description: "Claim a stage in the Brand or Legal tab and it waits for you here." },
  },
  { value: "open", label: "All open", empty: { title: "Nothing waits for review", description: "Every submitted creative has been decided." } },
  { value: "decided", label: "Decided", empty: { title: "No decisions yet", description: "Approved, rejected and returned creatives show here." } },
];

const FILTER_KEYS = ["q", "partner", "channel", "tier", "status", "warnings", "mine"] as const;

/** The filters of a URL, the tab left out (each tab link sets its own) and the page too (a new tab starts at 1). */
function filterParams(filters: QueueFilterValues): Record<string, string> {
  return Object.fromEntries(FILTER_KEYS.flatMap((key) => (filters[key] ? [[key, filters[key]!]] : [])));
}

type Option = { value: string; label: string };

/**
 * The reviewers' queue: tabs with their counts, the filters (a GET form that
 * works without JavaScript and keeps its values), one row per open stage with
 * its due time, or the decided creatives, and the pages.
 */
export function ReviewQueue({
  tab,
  counts,
  rows,
  page,
  pageCount,
  total,
  filters,
  channels,
  tiers,
  returnTo,
  anySubmitted,
}: {
  tab: QueueTab;
  /** Null for a tab whose count is not taken (Decided, unless it is the tab shown). */
  counts: Record<QueueTab, number | null>;
  /** Whether anything was ever submitted: an empty program says so rather than "nothing waits". */
  anySubmitted: boolean;
  rows: QueueRowView[];
  page: number;
  pageCount: number;
  total: number;
  filters: QueueFilterValues;
  channels: readonly Option[];
  tiers: readonly string[];
  returnTo: string;
}) {
  const kept = filterParams(filters);
  const filtered = Object.keys(kept).length > 0;
  const decided = tab === "decided";
  const current = TABS.find((t) => t.value === tab)!;
  const channelLabel = new Map(channels.map((c) => [c.value, c.label]));
  const nothingAtAll = !anySubmitted;
  const empty = nothingAtAll ? (
    <EmptyState
      headingLevel={2}
      icon={<ImageIcon />}
      title="No creatives have been submitted yet"
      description="Partners write creatives in their area; a creative shows here once they submit it for review. Drafts stay theirs."
    />
  ) : filtered ? (
    <EmptyState headingLevel={2} icon={<SearchIcon />} title="No creatives match" description="Try another tab, or fewer filters." />
  ) : (
    <EmptyState headingLevel={2} icon={<InboxIcon />} title={current.empty.title} description={current.empty.description} />
  );
  return (
    <div className="review-queue">
      <nav className="tabs" aria-label="Queue">
        {TABS.map((t) => (
          <Link
            key={t.value}
            className="tabs__link"
            to={`?${new URLSearchParams({ tab: t.value, ...kept })}`}
            aria-current={t.value === tab ? "page" : undefined}
          >
            {t.label}
            {counts[t.value] !== null ? <span className="muted tabular"> ({counts[t.value]})</span> : null}
          </Link>
        ))}
      </nav>
      <Card>
        <Form method="get" className="filter-bar review-queue__filters" role="search" aria-label="Filter the queue">
          <input type="hidden" name="tab" value={tab} />
          <Field label="Search" name="q" type="search" defaultValue={filters.q ?? ""} placeholder="Title, placement, copy or partner" />
          <Field label="Partner" name="partner" type="search" defaultValue={filters.partner ?? ""} placeholder="Organisation name" />
          <SelectField label="Channel" name="channel" options={[{ value: "", label: "All channels" }, ...channels]} defaultValue={filters.channel ?? ""} />
          <SelectField
            label="Tier"
            name="tier"
            options={[{ value: "", label: "All tiers" }, ...tiers.map((t) => ({ value: t, label: tierLabel(t) }))]}
            defaultValue={filters.tier ?? ""}
          />
          {decided ? null : (
            <SelectField
              label="Status"
              name="status"
              options={[
                { value: "", label: "Submitted or in review" },
                { value: "submitted", label: "Submitted" },
                { value: "in_review", label: "In review" },
              ]}
              defaultValue={filters.status ?? ""}
            />
          )}
          <div className="review-queue__checks">
            <CheckboxField label="Has warnings" name="warnings" value="yes" defaultChecked={filters.warnings === "yes"} />
            {decided ? null : <CheckboxField label="Assigned to me" name="mine" value="yes" defaultChecked={filters.mine === "yes"} />}
          </div>
          <div className="review-queue__actions">
            <Button type="submit" variant="secondary">
              Filter
            </Button>
            {filtered ? <Link to={`?${new URLSearchParams({ tab })}`}>Clear filters</Link> : null}
          </div>
        </Form>
      </Card>
      <Card flush>
        <DataTable
          caption={`${current.label} (${total})`}
          captionHidden
          columns={[
            { key: "title", header: "Creative", rowHeader: true },
            { key: "partner", header: "Partner" },
            { key: "channel", header: "Channel" },
            { key: "stage", header: decided ? "Status" : "Stage" },
            { key: "version", header: "Version", align: "right" as const },
            { key: "warnings", header: "Warnings", align: "right" as const },
            ...(decided
              ? [{ key: "decided" as const, header: "Decided" }]
              : [
                  { key: "assignee" as const, header: "Assignee" },
                  { key: "due" as const, header: "Due" },
                ]),
          ]}
          rows={rows}
          getRowKey={(row) => (row.kind === "stage" ? row.stageId : row.creativeId)}
          empty={empty}
          renderCell={(row, key) => {
            switch (key) {
              case "title":
                return (
                  <>
                    <Link to={`/admin/creatives/${row.creativeId}`}>{row.title}</Link>
                    {row.placement ? <div className="muted small">{row.placement}</div> : null}
                  </>
                );
              case "partner":
                return (
                  <>
                    {row.partnerName}
                    <div className="muted small">{tierLabel(row.partnerTier)}</div>
                  </>
                );
              case "channel":
                return channelLabel.get(row.channel) ?? row.channel;
              case "stage":
                return row.kind === "stage" ? <StageCell row={row} /> : <CreativeStatusBadge status={row.status} />;
              case "version":
                return `v${row.versionNumber}`;
              case "warnings":
                return row.warnings ? (
                  <span className="review-queue__warnings">
                    <WarningIcon aria-hidden="true" /> {row.warnings}
                  </span>
                ) : (
                  <span className="muted">0</span>
                );
              case "assignee":
                return row.kind === "stage" ? <AssigneeCell row={row} returnTo={returnTo} /> : null;
              case "due":
                return row.kind === "stage" ? <DueCell due={row.due} /> : null;
              case "decided":
                return row.kind === "decided" && row.decidedAt ? formatDateTime(new Date(row.decidedAt)) : <span className="muted">—</span>;
            }
          }}
        />
      </Card>
      <Pagination page={page} pageCount={pageCount} labels={["← Previous", "Next →"]} />
    </div>
  );
}

type StageRow = Extract<QueueRowView, { kind: "stage" }>;

function StageCell({ row }: { row: StageRow }) {
  return (
    <>
      <Badge tone={row.stage === "legal" ? "brand" : "info"}>{stageLabel(row.stage)}</Badge>
      {row.confirmsVersion !== null ? <div className="muted small">confirms v{row.confirmsVersion} changes</div> : null}
    </>
  );
}

/** Who has the stage, or the claim button (posting to the review engine's assignment route, then back to this very queue URL). */
function AssigneeCell({ row, returnTo }: { row: StageRow; returnTo: string }) {
  if (row.assigneeName) return row.assigneeName;
  if (!row.canClaim) return <span className="muted">Unassigned</span>;
  return (
    <Form method="post" action={`/admin/creatives/${row.creativeId}/assignment`} className="review-queue__claim">
      <input type="hidden" name="intent" value="claim" />
      <input type="hidden" name="stage" value={row.stage} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <Button type="submit" variant="secondary" size="sm">
        Claim<span className="visually-hidden">{` ${stageLabel(row.stage).toLowerCase()} review of ${row.title}`}</span>
      </Button>
    </Form>
  );
}

function DueCell({ due }: { due: StageRow["due"] }) {
  if (!due) return <span className="muted">No due time</span>;
  if (!due.overdue) return <span className="review-queue__due">{due.text}</span>;
  return (
    <span className="review-queue__due review-queue__due--overdue">
      <Badge tone="danger">
        <WarningIcon aria-hidden="true" /> Overdue
      </Badge>{" "}
      {due.text}
    </span>
  );
}
