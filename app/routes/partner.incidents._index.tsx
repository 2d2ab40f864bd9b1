import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { INCIDENT_KIND_LABELS } from "~/domain/incidents/catalog";
import { listIncidentsForPartner } from "~/domain/incidents/queries.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { formatDate, formatDateTime } from "~/components/format";
import { IncidentStatusBadge } from "~/components/incident-parts";
import { Pagination } from "~/components/pagination";
import { Card, CheckCircleIcon, DataTable, EmptyState, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Incidents" }];

/** The incidents the program shared with this organisation; never another's, never one it keeps internal. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  return listIncidentsForPartner(context.app.db, user.partnerOrgId, pageNumberFrom(request));
}

export default function PartnerIncidentsRoute() {
  const { rows, total, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Incidents"
        description="Problems the program raised with you about your creatives, links or conversions. Read each one and reply: your reply goes to the person handling it."
      />
      <Card flush={rows.length > 0}>
        <DataTable
          caption={`${total} ${total === 1 ? "incident" : "incidents"}, newest first`}
          captionHidden
          columns={[
            { key: "incident", header: "Incident", rowHeader: true },
            { key: "status", header: "Status" },
            { key: "opened", header: "Opened" },
            { key: "updated", header: "Last update" },
          ]}
          rows={rows}
          getRowKey={(r) => r.id}
          empty={
            <EmptyState
              headingLevel={2}
              icon={<CheckCircleIcon />}
              title="No incidents"
              description="When the program raises a problem with you, it shows here and your owners get an email."
            />
          }
          renderCell={(r, key) => {
            if (key === "incident")
              return (
                <span className="stack stack--xs">
                  <Link to={`/partner/incidents/${r.id}`}>{r.title}</Link>
                  <span className="muted small">
                    <span className="reference">{r.reference}</span> · {INCIDENT_KIND_LABELS[r.kind]}
                  </span>
                </span>
              );
            if (key === "status") return <IncidentStatusBadge status={r.status} />;
            if (key === "opened") return formatDate(r.openedAt);
            return formatDateTime(r.updatedAt);
          }}
        />
        <Pagination page={page} pageCount={pageCount} labels={["← Newer", "Older →"]} />
      </Card>
    </>
  );
}
