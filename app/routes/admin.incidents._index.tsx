import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { hasRole, INCIDENT_MANAGER_ROLES, INCIDENT_READER_ROLES } from "~/domain/accounts/roles";
import { INCIDENT_KIND_LABELS, INCIDENT_SEVERITY_LABELS, INCIDENT_STATUS_LABELS } from "~/domain/incidents/catalog";
import { incidentCounts, listIncidents, partnerChoices } from "~/domain/incidents/queries.server";
import { incidentFiltersFrom } from "~/domain/incidents/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { requireInternalUser } from "~/lib/guards.server";
import { formatDate } from "~/components/format";
import { IncidentSeverityBadge, IncidentStatusBadge } from "~/components/incident-parts";
import { Pagination } from "~/components/pagination";
import { Badge, Button, ButtonLink, Card, DataTable, EmptyState, PageHeader, PlusIcon, SearchIcon, SelectField, Stat, WarningIcon } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Incidents" }];

/** Every incident about a partner (issue 17 point 2), newest first, filtered by status, severity, kind and partner. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, INCIDENT_READER_ROLES);
  const db = context.app.db;
  const filters = incidentFiltersFrom(new URL(request.url));
  const [page, counts, partners] = await Promise.all([listIncidents(db, filters, pageNumberFrom(request)), incidentCounts(db), partnerChoices(db)]);
  return { ...page, filters, counts, partners, canOpen: hasRole(user.role, INCIDENT_MANAGER_ROLES) };
}

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

export default function AdminIncidentsRoute() {
  const { rows, total, page, pageCount, filters, counts, partners, canOpen } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.status || filters.severity || filters.kind || filters.partner);
  const filterKey = [filters.status, filters.severity, filters.kind, filters.partner].join("|");
  return (
    <>
      <PageHeader
        title="Incidents"
        description="Problems with a partner's creatives, links or conversions: who owns each, where it stands, and what the partner was told. The kill switch opens one by itself."
        actions={
          canOpen ? (
            <ButtonLink to="/admin/incidents/new" icon={<PlusIcon />}>
              Open incident
            </ButtonLink>
          ) : null
        }
      />
      <div className="stat-grid">
        <Stat label={<Link to="/admin/incidents?status=open">Open</Link>} value={<span className="tabular">{counts.open}</span>} />
        <Stat label={<Link to="/admin/incidents?status=investigating">Investigating</Link>} value={<span className="tabular">{counts.investigating}</span>} />
        <Stat label={<Link to="/admin/incidents?status=resolved">Resolved</Link>} value={<span className="tabular">{counts.resolved}</span>} />
      </div>
      <Card>
        <Form key={filterKey} method="get" className="filter-bar" role="search" aria-label="Filter incidents">
          <SelectField
            label="Status"
            name="status"
            options={[{ value: "", label: "All statuses" }, ...options(INCIDENT_STATUS_LABELS)]}
            defaultValue={filters.status ?? ""}
          />
          <SelectField
            label="Severity"
            name="severity"
            options={[{ value: "", label: "All severities" }, ...options(INCIDENT_SEVERITY_LABELS)]}
            defaultValue={filters.severity ?? ""}
          />
          <SelectField
            label="Kind"
            name="kind"
            options={[{ value: "", label: "All kinds" }, ...options(INCIDENT_KIND_LABELS)]}
            defaultValue={filters.kind ?? ""}
          />
          <SelectField
            label="Partner"
            name="partner"
            options={[{ value: "", label: "All partners" }, ...partners.map((p) => ({ value: p.id, label: p.name }))]}
            defaultValue={filters.partner ?? ""}
          />
          <Button type="submit" variant="secondary" icon={<SearchIcon />}>
            Show incidents
          </Button>
          {filtered ? <Link to="/admin/incidents">Clear</Link> : null}
        </Form>
      </Card>
      <Card flush={rows.length > 0}>
        <DataTable
          caption={`${total} ${total === 1 ? "incident" : "incidents"}${filtered ? " matching the filters" : ""}, newest first`}
          captionHidden
          columns={[
            { key: "incident", header: "Incident", rowHeader: true },
            { key: "partner", header: "Partner" },
            { key: "severity", header: "Severity" },
            { key: "status", header: "Status" },
            { key: "owner", header: "Owner" },
            { key: "opened", header: "Opened" },
          ]}
          rows={rows}
          getRowKey={(r) => r.id}
          empty={
            filtered ? (
              <EmptyState
                headingLevel={2}
                icon={<SearchIcon />}
                title="No incidents match"
                description="Try fewer filters."
                action={<Link to="/admin/incidents">Clear the filters</Link>}
              />
            ) : (
              <EmptyState
                headingLevel={2}
                icon={<WarningIcon />}
                title="No incidents yet"
                description="Open one from a creative, a link or a partner's page when something is wrong; pausing or terminating a partner opens one by itself."
                action={canOpen ? <Link to="/admin/incidents/new">Open an incident</Link> : undefined}
              />
            )
          }
          renderCell={(r, key) => {
            switch (key) {
              case "incident":
                return (
                  <span className="stack stack--xs">
                    <Link to={`/admin/incidents/${r.id}`}>{r.title}</Link>
                    <span className="muted small">
                      <span className="reference">{r.reference}</span> · {INCIDENT_KIND_LABELS[r.kind]}
                      {r.source === "kill_switch" ? " · kill switch" : ""}
                      {r.sharedWithPartner ? (
                        <>
                          {" "}
                          <Badge tone="info">Shared</Badge>
                        </>
                      ) : null}
                    </span>
                  </span>
                );
              case "partner":
                return <Link to={`/admin/partners/${r.organisationId}`}>{r.organisationName}</Link>;
              case "severity":
                return <IncidentSeverityBadge severity={r.severity} />;
              case "status":
                return <IncidentStatusBadge status={r.status} />;
              case "owner":
                return r.ownerName ?? <span className="muted">Nobody</span>;
              case "opened":
                return formatDate(r.openedAt);
              default:
                return null;
            }
          }}
        />
        <Pagination page={page} pageCount={pageCount} labels={["← Newer", "Older →"]} />
      </Card>
    </>
  );
}
