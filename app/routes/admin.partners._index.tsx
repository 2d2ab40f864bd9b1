import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { PARTNER_DIRECTORY_ROLES } from "~/domain/accounts/roles";
import { PARTNER_TYPES, REGIONS, labelOf } from "~/domain/applications/catalog";
import { PARTNER_STATUSES, partnerStatusLabel, PARTNER_STATUS_TONE, tierLabel } from "~/domain/partners/catalog";
import { listPartners, tiersInUse } from "~/domain/partners/directory.server";
import { directoryFiltersFrom } from "~/domain/partners/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { getProgramRules } from "~/domain/settings/program.server";
import { requireInternalUser } from "~/lib/guards.server";
import { formatDate } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { HealthBadge } from "~/components/health-parts";
import { Badge, Button, ButtonLink, Card, DataTable, DownloadIcon, EmptyState, Field, PageHeader, SelectField, UsersIcon } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Partners" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, PARTNER_DIRECTORY_ROLES);
  const db = context.app.db;
  const url = new URL(request.url);
  const filters = directoryFiltersFrom(url);
  const rules = await getProgramRules(db);
  const [page, tiers] = await Promise.all([listPartners(db, filters, pageNumberFrom(request), rules.partnerTiers), tiersInUse(db, rules.partnerTiers)]);
  // The export takes the same filters and sort, all pages.
  const exportQuery = new URLSearchParams([...url.searchParams].filter(([key, value]) => key !== "page" && value !== ""));
  return { ...page, filters, tiers, exportQuery: exportQuery.toString() };
}

const SORTS = [
  { value: "name", label: "Name (A to Z)" },
  { value: "newest", label: "Newest first" },
  { value: "tier", label: "Tier" },
  { value: "health", label: "Health (best first)" },
  { value: "health_low", label: "Health (at risk first)" },
];

export default function PartnerDirectoryRoute() {
  const { rows, total, page, pageCount, filters, tiers, exportQuery } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.q || filters.status || filters.tier || filters.type || filters.region);
  return (
    <>
      <PageHeader
        title="Partners"
        description="Every partner organisation in the program: its status, tier, type, regions and health score (refreshed hourly). Open one for its profile, terms, team, policies, downloads and what its health score is made of."
        actions={
          <ButtonLink to={`/admin/partners.csv${exportQuery ? `?${exportQuery}` : ""}`} reloadDocument variant="secondary" icon={<DownloadIcon />}>
            Export CSV
          </ButtonLink>
        }
      />
      <Card>
        <Form method="get" className="filter-bar" role="search" aria-label="Find partners">
          <Field label="Search" name="q" type="search" defaultValue={filters.q ?? ""} placeholder="Name, slug, website" />
          <SelectField label="Status" name="status" options={[{ value: "", label: "All statuses" }, ...PARTNER_STATUSES]} defaultValue={filters.status ?? ""} />
          <SelectField
            label="Tier"
            name="tier"
            options={[{ value: "", label: "All tiers" }, ...tiers.map((t) => ({ value: t, label: tierLabel(t) }))]}
            defaultValue={filters.tier ?? ""}
          />
          <SelectField label="Type" name="type" options={[{ value: "", label: "All types" }, ...PARTNER_TYPES]} defaultValue={filters.type ?? ""} />
          <SelectField label="Region" name="region" options={[{ value: "", label: "All regions" }, ...REGIONS]} defaultValue={filters.region ?? ""} />
          <SelectField label="Sort" name="sort" options={SORTS} defaultValue={filters.sort} />
          <Button type="submit" variant="secondary">
            Show partners
          </Button>
        </Form>
      </Card>
      <Card flush={rows.length > 0}>
        <DataTable
          caption={`${total} ${total === 1 ? "partner" : "partners"}`}
          captionHidden
          columns={[
            { key: "name", header: "Partner", rowHeader: true },
            { key: "status", header: "Status" },
            { key: "tier", header: "Tier" },
            { key: "type", header: "Type" },
            { key: "regions", header: "Regions" },
            { key: "health", header: "Health" },
            { key: "members", header: "Members", align: "right" },
            { key: "joined", header: "Joined" },
          ]}
          rows={rows}
          getRowKey={(r) => r.id}
          empty={
            <EmptyState
              headingLevel={2}
              icon={<UsersIcon />}
              title={filtered ? "No partners match" : "No partners yet"}
              description={filtered ? "Try other words or fewer filters." : "A partner organisation is created when an application is approved."}
              action={filtered ? <Link to="/admin/partners">Clear search and filters</Link> : <Link to="/admin/applications">Go to applications</Link>}
            />
          }
          renderCell={(r, key) => {
            switch (key) {
              case "name":
                return (
                  <span className="stack stack--xs">
                    <Link to={`/admin/partners/${r.id}`}>{r.name}</Link>
                    <span className="muted text-sm">
                      <code>{r.slug}</code>
                      {r.website ? ` · ${r.website}` : ""}
                    </span>
                  </span>
                );
              case "status":
                return <Badge tone={PARTNER_STATUS_TONE[r.status]}>{partnerStatusLabel(r.status)}</Badge>;
              case "tier":
                return tierLabel(r.tier);
              case "type":
                return r.partnerType ? labelOf(r.partnerType) : <span className="muted">Not set</span>;
              case "regions":
                return r.regions.length ? r.regions.map(labelOf).join(", ") : <span className="muted">None</span>;
              case "health":
                return <HealthBadge score={r.healthScore} />;
              case "members":
                return <span className="tabular">{r.members}</span>;
              case "joined":
                return formatDate(r.createdAt);
              default:
                return null;
            }
          }}
        />
        <Pagination page={page} pageCount={pageCount} labels={["← Previous", "Next →"]} />
      </Card>
    </>
  );
}
