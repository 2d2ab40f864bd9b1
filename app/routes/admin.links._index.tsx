import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { hasRole, LINK_MANAGER_ROLES, LINK_READER_ROLES, LINK_SETTINGS_EDITOR_ROLES } from "~/domain/accounts/roles";
import { linkCounts, partnersWithLinks } from "~/domain/links/admin-queries.server";
import { LINK_KIND_LABELS, LINK_STATUS_LABELS, shortLinkUrl } from "~/domain/links/catalog";
import { allLinks } from "~/domain/links/queries.server";
import { LinkFiltersSchema } from "~/domain/links/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { requireInternalUser } from "~/lib/guards.server";
import { formatDate } from "~/components/format";
import { ClickCount, LinkStateBadges, LinkStatusForm } from "~/components/link-parts";
import { Pagination } from "~/components/pagination";
import { Button, ButtonLink, Card, DataTable, EmptyState, Field, LinkIcon, PageHeader, SearchIcon, SelectField, SettingsIcon, Stat } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Links" }];

/**
 * Every partner's tracking links (issue 15 §1): filtered by a search, the
 * partner, the kind and the status; where each one's visitors go now (the
 * redirect's own rule), its clicks, and for link managers a way to disable
 * or enable it with a reason.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, LINK_READER_ROLES);
  const db = context.app.db;
  const url = new URL(request.url);
  const filters = LinkFiltersSchema.parse(Object.fromEntries([...url.searchParams].filter(([key, value]) => key !== "page" && value !== "")));
  const [page, counts, partners, origin] = await Promise.all([
    allLinks(db, filters, pageNumberFrom(request), context.app.clock.now()),
    linkCounts(db),
    partnersWithLinks(db),
    // The configured address, never the request's Host: a short URL is what partners share.
    canonicalOrigin(context.app),
  ]);
  return {
    ...page,
    rows: page.rows.map((row) => ({
      id: row.id,
      code: row.code,
      shortUrl: shortLinkUrl(origin, row.code),
      label: row.label,
      kind: row.kind,
      organisationId: row.organisationId,
      organisationName: row.organisationName,
      creativeId: row.creativeId,
      versionNumber: row.versionNumber,
      destinationUrl: row.destinationUrl,
      status: row.status,
      disabledReason: row.disabledReason,
      fallbackReason: row.fallbackReason,
      clicks: row.clicks,
      createdAt: row.createdAt,
    })),
    filters,
    counts,
    partners,
    canManage: hasRole(user.role, LINK_MANAGER_ROLES),
    canEditSettings: hasRole(user.role, LINK_SETTINGS_EDITOR_ROLES),
    returnTo: `${url.pathname}${url.search}`,
  };
}

const KIND_OPTIONS = Object.entries(LINK_KIND_LABELS).map(([value, label]) => ({ value, label }));
const STATUS_OPTIONS = Object.entries(LINK_STATUS_LABELS).map(([value, label]) => ({ value, label }));

export default function AdminLinksRoute() {
  const { rows, total, page, pageCount, filters, counts, partners, canManage, canEditSettings, returnTo } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.q || filters.partner || filters.kind || filters.status);
  const filterKey = [filters.q, filters.partner, filters.kind, filters.status].join("|");
  return (
    <>
      <PageHeader
        title="Links"
        description="Every partner's tracking links: where each sends its visitors now, and how many came. Disabled links, paused partners and revoked approvals send visitors to the fallback page."
        actions={
          canEditSettings ? (
            <ButtonLink to="/admin/settings/links" variant="secondary" icon={<SettingsIcon />}>
              Link settings
            </ButtonLink>
          ) : null
        }
      />
      <div className="stat-grid">
        <CountStat label="All links" value={counts.total} to="/admin/links" />
        <CountStat label="Active" value={counts.active} to="/admin/links?status=active" />
        <CountStat label="Disabled" value={counts.disabled} to="/admin/links?status=disabled" />
        <CountStat label="For creatives" value={counts.creative} to="/admin/links?kind=creative" />
        <CountStat label="Evergreen" value={counts.evergreen} to="/admin/links?kind=evergreen" />
      </div>
      <Card>
        {/* Keyed by the filters so that the count tiles and "Clear" reset what the fields show. */}
        <Form key={filterKey} method="get" className="filter-bar" role="search" aria-label="Find links">
          <Field label="Search" name="q" type="search" defaultValue={filters.q ?? ""} placeholder="Code, name, destination, partner" />
          <SelectField
            label="Partner"
            name="partner"
            options={[{ value: "", label: "All partners" }, ...partners.map((p) => ({ value: p.id, label: p.name }))]}
            defaultValue={filters.partner ?? ""}
          />
          <SelectField label="Kind" name="kind" options={[{ value: "", label: "All kinds" }, ...KIND_OPTIONS]} defaultValue={filters.kind ?? ""} />
          <SelectField label="Status" name="status" options={[{ value: "", label: "All statuses" }, ...STATUS_OPTIONS]} defaultValue={filters.status ?? ""} />
          <Button type="submit" variant="secondary" icon={<SearchIcon />}>
            Show links
          </Button>
          {filtered ? <Link to="/admin/links">Clear</Link> : null}
        </Form>
      </Card>
      <Card flush={rows.length > 0}>
        <DataTable
          caption={`${total} ${total === 1 ? "link" : "links"}${filtered ? " matching the filters" : ""}, newest first`}
          captionHidden
          className="links-table"
          columns={[
            { key: "link", header: "Link", rowHeader: true },
            { key: "partner", header: "Partner" },
            { key: "destination", header: "Destination" },
            { key: "status", header: "Status" },
            { key: "today", header: "Today", align: "right" },
            { key: "week", header: "7 days", align: "right" },
            { key: "total", header: "Total", align: "right" },
            { key: "created", header: "Created" },
          ]}
          rows={rows}
          getRowKey={(r) => r.id}
          empty={
            filtered ? (
              <EmptyState
                headingLevel={2}
                icon={<SearchIcon />}
                title="No links match"
                description="Try other words or fewer filters."
                action={<Link to="/admin/links">Clear search and filters</Link>}
              />
            ) : (
              <EmptyState
                headingLevel={2}
                icon={<LinkIcon />}
                title="No links yet"
                description={
                  <>
                    <p>
                      A tracking link is issued when a creative is approved: one per approved version, to the creative&apos;s destination (or the program&apos;s
                      default destination). Partners can also make evergreen links to allowlisted pages once they have accepted the program&apos;s policies.
                    </p>
                    {canEditSettings ? <p>Set the fallback page and the default destination in the link settings before the first approval.</p> : null}
                  </>
                }
                action={<Link to="/admin/creatives">Go to creatives</Link>}
              />
            )
          }
          renderCell={(r, key) => {
            switch (key) {
              case "link":
                return (
                  <span className="stack stack--xs">
                    <Link to={`/admin/links/${r.id}`}>{r.label}</Link>
                    <code className="small">{r.shortUrl}</code>
                    <span className="muted small">
                      {r.kind === "creative" && r.creativeId ? (
                        <>
                          Creative, <Link to={`/admin/creatives/${r.creativeId}`}>version {r.versionNumber ?? "?"}</Link>
                        </>
                      ) : (
                        LINK_KIND_LABELS[r.kind]
                      )}
                    </span>
                  </span>
                );
              case "partner":
                return <Link to={`/admin/partners/${r.organisationId}`}>{r.organisationName}</Link>;
              case "destination":
                // Text, not a link: an admin opens a partner's destination deliberately.
                return <code className="small">{r.destinationUrl}</code>;
              case "status":
                return (
                  <div className="stack stack--xs">
                    <LinkStateBadges status={r.status} fallbackReason={r.fallbackReason} />
                    {r.status === "disabled" && r.disabledReason ? <p className="muted small prose-block">{r.disabledReason}</p> : null}
                    {canManage ? <LinkStatusForm link={r} failure={null} returnTo={returnTo} /> : null}
                  </div>
                );
              case "today":
                return <ClickCount value={r.clicks.today} />;
              case "week":
                return <ClickCount value={r.clicks.last7Days} />;
              case "total":
                return <ClickCount value={r.clicks.total} />;
              case "created":
                return formatDate(r.createdAt);
              default:
                return null;
            }
          }}
        />
        <Pagination page={page} pageCount={pageCount} labels={["← Newer", "Older →"]} />
      </Card>
      <p className="muted small">Clicks count people: bots and test clicks are left out. Counts are kept per day (UTC).</p>
    </>
  );
}

/** A count of all links that opens the list filtered to them. */
function CountStat({ label, value, to }: { label: string; value: number; to: string }) {
  return <Stat label={<Link to={to}>{label}</Link>} value={<span className="tabular">{value.toLocaleString("en")}</span>} />;
}
