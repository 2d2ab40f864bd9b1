import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import {
  INCIDENT_OBJECT_LABELS,
  INCIDENT_SEVERITY_LABELS,
  INCIDENT_SEVERITY_TONE,
  INCIDENT_STATUS_LABELS,
  INCIDENT_STATUS_TONE,
  type IncidentObjectKind,
  type IncidentSeverity,
  type IncidentStatus,
} from "~/domain/incidents/catalog";
import { formatDate, formatDateTime } from "./format";
import { Badge, ButtonLink, Card, DataTable, PlusIcon, WarningIcon, EmptyState } from "./ui";

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  return (
    <Badge tone={INCIDENT_STATUS_TONE[status]} dot>
      {INCIDENT_STATUS_LABELS[status]}
    </Badge>
  );
}

export function IncidentSeverityBadge({ severity }: { severity: IncidentSeverity }) {
  return <Badge tone={INCIDENT_SEVERITY_TONE[severity]}>{INCIDENT_SEVERITY_LABELS[severity]}</Badge>;
}

type Entry = {
  id: number;
  kind: string;
  visibility: "internal" | "partner";
  body: string | null;
  fromValue: string | null;
  toValue: string | null;
  objectKind: IncidentObjectKind | null;
  createdAt: string | Date;
  authorName: string | null;
  byPartner: boolean;
};

const statusWord = (value: string | null) => (value && value in INCIDENT_STATUS_LABELS ? INCIDENT_STATUS_LABELS[value as IncidentStatus] : (value ?? "–"));
const severityWord = (value: string | null) =>
  value && value in INCIDENT_SEVERITY_LABELS ? INCIDENT_SEVERITY_LABELS[value as IncidentSeverity] : (value ?? "–");

/** One line saying what an entry is, by whom (an entry with no person is the system's, "the program" to the partner). */
function headline(entry: Entry, audience: "brand" | "partner"): ReactNode {
  const who = entry.authorName ?? (audience === "brand" ? "The system" : "The program");
  switch (entry.kind) {
    case "opened":
      return `${who} opened the incident`;
    case "note":
      return `${who} added a note`;
    case "partner_reply":
      return audience === "partner" ? `${who} replied` : `${who} (partner) replied`;
    case "status_changed":
      return `${who} changed the status from ${statusWord(entry.fromValue)} to ${statusWord(entry.toValue)}`;
    case "owner_changed":
      return entry.toValue ? `${who} made ${entry.toValue} the owner` : `${who} removed the owner${entry.fromValue ? ` (${entry.fromValue})` : ""}`;
    case "severity_changed":
      return `${who} changed the severity from ${severityWord(entry.fromValue)} to ${severityWord(entry.toValue)}`;
    case "shared":
      return `${who} shared the incident with the partner`;
    case "unshared":
      return `${who} stopped sharing the incident with the partner`;
    case "object_linked":
      return `${who} linked a ${entry.objectKind ? INCIDENT_OBJECT_LABELS[entry.objectKind].toLowerCase() : "object"}: ${entry.body ?? ""}`;
    case "partner_status":
      return `${who} ${entry.toValue === "terminated" ? "terminated" : "paused"} the partnership (kill switch)`;
    default:
      return entry.kind;
  }
}

/** Entries whose body is a text someone wrote (shown under the headline). */
const WRITTEN = new Set(["opened", "note", "partner_reply", "status_changed", "partner_status"]);

/**
 * The incident's timeline, oldest first. The brand's view marks each entry
 * as internal or seen by the partner; the partner's view only ever receives
 * the entries meant for them (the query filters, not this component).
 */
export function IncidentTimeline({ entries, audience }: { entries: readonly Entry[]; audience: "brand" | "partner" }) {
  if (!entries.length) return <p className="muted">Nothing recorded yet.</p>;
  return (
    <ol className="timeline incident-timeline" aria-label="Timeline, oldest first">
      {entries.map((entry) => (
        <li key={entry.id} className={entry.byPartner ? "incident-timeline__reply" : undefined}>
          <time dateTime={new Date(entry.createdAt).toISOString()}>{formatDateTime(new Date(entry.createdAt))}</time>
          <span className="cluster cluster--sm">
            <span>{headline(entry, audience)}</span>
            {audience === "brand" ? entry.visibility === "partner" ? <Badge tone="info">Partner sees this</Badge> : <Badge>Internal</Badge> : null}
          </span>
          {entry.body && WRITTEN.has(entry.kind) ? <p className="prose-block">{entry.body}</p> : null}
        </li>
      ))}
    </ol>
  );
}

export type IncidentSummary = { id: string; reference: string; title: string; status: IncidentStatus; severity: IncidentSeverity; openedAt: string | Date };

/**
 * A short list of incidents on another page (a partner, a creative, a link),
 * with the button that opens a new one about it (for those who may).
 */
export function IncidentsCard({
  rows,
  openHref,
  description,
  footer,
  emptyText,
}: {
  rows: readonly IncidentSummary[];
  openHref: string | null;
  description?: ReactNode;
  footer?: ReactNode;
  emptyText: string;
}) {
  return (
    <Card
      title="Incidents"
      id="incidents"
      description={description}
      flush={rows.length > 0}
      footer={footer}
      actions={
        openHref ? (
          <ButtonLink to={openHref} variant="secondary" size="sm" icon={<PlusIcon />}>
            Open incident
          </ButtonLink>
        ) : null
      }
    >
      <DataTable
        caption="Incidents"
        captionHidden
        columns={[
          { key: "title", header: "Incident", rowHeader: true },
          { key: "status", header: "Status" },
          { key: "opened", header: "Opened" },
        ]}
        rows={rows}
        getRowKey={(r) => r.id}
        empty={<EmptyState headingLevel={3} icon={<WarningIcon />} title="No incidents" description={emptyText} />}
        renderCell={(r, key) => {
          if (key === "title")
            return (
              <span className="stack stack--xs">
                <Link to={`/admin/incidents/${r.id}`}>{r.title}</Link>
                <span className="muted small">
                  <span className="reference">{r.reference}</span> · <IncidentSeverityBadge severity={r.severity} />
                </span>
              </span>
            );
          if (key === "status") return <IncidentStatusBadge status={r.status} />;
          return formatDate(new Date(r.openedAt));
        }}
      />
    </Card>
  );
}
