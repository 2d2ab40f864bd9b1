import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CLAIM_EDITOR_ROLES } from "~/domain/accounts/roles";
import { labelOf } from "~/domain/applications/catalog";
import { CLAIM_STATUSES, claimStatusOf } from "~/domain/claims/catalog";
import { countClaimsByStatus, listClaimsForTeam, todayIso } from "~/domain/claims/claims.server";
import { TeamClaimFiltersSchema } from "~/domain/claims/schemas.server";
import { requireInternalUser } from "~/lib/guards.server";
import { formatDate } from "~/components/format";
import { Badge, Button, ButtonLink, Card, DataTable, EmptyState, Field, FileIcon, PageHeader, PlusIcon } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Claims" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, CLAIM_EDITOR_ROLES);
  const params = new URL(request.url).searchParams;
  const filters = TeamClaimFiltersSchema.parse({ status: params.get("status") ?? "all", q: params.get("q") || undefined });
  const [rows, counts] = await Promise.all([listClaimsForTeam(context.app.db, filters), countClaimsByStatus(context.app.db)]);
  return { filters, claims: rows, counts, today: todayIso(context.app.clock.now()) };
}

export default function ClaimsRoute() {
  const { filters, claims, counts, today } = useLoaderData<typeof loader>();
  const tabs = [
    { value: "all", label: "All", count: Object.values(counts).reduce((a, b) => a + b, 0) },
    ...CLAIM_STATUSES.map((s) => ({ value: s.value, label: s.label, count: counts[s.value] ?? 0 })),
  ];
  const href = (status: string) => `?${new URLSearchParams({ status, ...(filters.q ? { q: filters.q } : {}) })}`;
  return (
    <>
      <PageHeader
        title="Claims"
        description="The approved-claims library: what partners may say about the products, with the disclaimers that must go with it. Legal reviewers approve each claim."
        actions={
          <ButtonLink to="/admin/claims/new" variant="primary" icon={<PlusIcon />}>
            New claim
          </ButtonLink>
        }
      />
      <nav className="tabs" aria-label="Claim status">
        {tabs.map((tab) => (
          <Link key={tab.value} className="tabs__link" to={href(tab.value)} aria-current={filters.status === tab.value ? "page" : undefined}>
            {tab.label} <span className="muted tabular">({tab.count})</span>
          </Link>
        ))}
      </nav>
      <Card>
        <Form method="get" className="filter-bar" role="search" aria-label="Search claims">
          <input type="hidden" name="status" value={filters.status} />
          <Field label="Search" name="q" type="search" defaultValue={filters.q ?? ""} placeholder="Words in the claim or its category" />
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </Form>
      </Card>
      <Card flush>
        <DataTable
          caption="Claims"
          captionHidden
          columns={[
            { key: "text", header: "Claim", rowHeader: true },
            { key: "category", header: "Category" },
            { key: "status", header: "Status" },
            { key: "review", header: "Review by" },
            { key: "owner", header: "Owner" },
          ]}
          rows={claims}
          getRowKey={(c) => c.id}
          empty={
            <EmptyState
              headingLevel={2}
              icon={<FileIcon />}
              title={filters.q || filters.status !== "all" ? "No claims match" : "No claims yet"}
              description={
                filters.q || filters.status !== "all"
                  ? "Try another status or search."
                  : "Write the first claim; a legal reviewer approves it before partners see it."
              }
            />
          }
          renderCell={(c, key) => {
            switch (key) {
              case "text":
                return (
                  <div>
                    <Link to={`/admin/claims/${c.id}`}>{c.text}</Link>
                    <div className="muted small">{c.channels.map(labelOf).join(", ")}</div>
                  </div>
                );
              case "category":
                return c.category;
              case "status": {
                const expired = c.expiresOn !== null && c.expiresOn < today;
                const { label, tone } = claimStatusOf(c.status);
                return (
                  <div className="cluster cluster--sm">
                    <Badge tone={tone}>{label}</Badge>
                    {expired && c.status !== "retired" ? <Badge tone="danger">Expired</Badge> : null}
                  </div>
                );
              }
              case "review":
                return c.reviewBy < today && c.status !== "retired" ? (
                  <Badge tone="danger">{`Overdue: ${formatDate(c.reviewBy)}`}</Badge>
                ) : (
                  formatDate(c.reviewBy)
                );
              case "owner":
                return c.ownerName ?? <span className="muted">None</span>;
              default:
                return null;
            }
          }}
        />
      </Card>
    </>
  );
}
