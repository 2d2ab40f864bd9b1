import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useSubmit } from "@remix-run/react";
import { APPLICATION_STATUSES, PARTNER_TYPES, REGIONS, labelOf } from "~/domain/applications/catalog";
import { countApplicationsByStatus, listApplications, queueFiltersFrom } from "~/domain/applications/queue.server";
import { APPLICATION_REVIEWER_ROLES } from "~/domain/accounts/roles";
import { pageNumberFrom } from "~/domain/pagination.server";
import { requireInternalUser } from "~/lib/guards.server";
import { ApplicationStatusBadge, FitScore, FlagBadges } from "~/components/application-parts";
import { formatAge, formatDateTime } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { Button, Card, DataTable, EmptyState, InboxIcon, PageHeader, SelectField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Applications" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, APPLICATION_REVIEWER_ROLES);
  const filters = queueFiltersFrom(new URL(request.url));
  const [page, counts] = await Promise.all([listApplications(context.app.db, filters, pageNumberFrom(request)), countApplicationsByStatus(context.app.db)]);
  // The ages in the list are worked out from the server's clock, sent with the rows: the browser
  // reckoning its own "now" while hydrating can round a row to another minute than the server did.
  return { ...page, counts, filters, now: context.app.clock.now().getTime() };
}

const SORTS = [
  { value: "score", label: "Best fit first" },
  { value: "oldest", label: "Oldest first" },
  { value: "newest", label: "Newest first" },
];

export default function ApplicationQueueRoute() {
  const { rows, total, page, pageCount, counts, filters, now } = useLoaderData<typeof loader>();
  const location = useLocation();
  const submit = useSubmit();
  const statusTabs = [
    ...APPLICATION_STATUSES.map((s) => ({ value: s.value, label: s.label, count: counts[s.value] })),
    { value: "all", label: "All", count: Object.values(counts).reduce((a, b) => a + b, 0) },
  ];
  const tabHref = (status: string) => {
    const params = new URLSearchParams(location.search);
    params.set("status", status);
    params.delete("page");
    return `?${params}`;
  };
  const filtered = filters.partnerType !== null || filters.region !== null;

  return (
    <>
      <PageHeader
        title="Applications"
        description="Vet who joins the program. Each application is scored against the program's rules and flagged for risks when it arrives."
      />
      <nav className="tabs" aria-label="Application status">
        {statusTabs.map((tab) => (
          <Link key={tab.value} className="tabs__link" to={tabHref(tab.value)} aria-current={filters.status === tab.value ? "page" : undefined}>
            {tab.label} <span className="muted tabular">({tab.count})</span>
          </Link>
        ))}
      </nav>
      <Card>
        <Form method="get" className="filter-bar" aria-label="Filter applications" onChange={(event) => submit(event.currentTarget, { replace: true })}>
          <input type="hidden" name="status" value={filters.status} />
          <SelectField
            label="Partner type"
            name="type"
            options={[{ value: "", label: "All types" }, ...PARTNER_TYPES]}
            defaultValue={filters.partnerType ?? ""}
          />
          <SelectField label="Region" name="region" options={[{ value: "", label: "All regions" }, ...REGIONS]} defaultValue={filters.region ?? ""} />
          <SelectField label="Sort" name="sort" options={SORTS} defaultValue={filters.sort} />
          <noscript>
            <Button type="submit">Apply filters</Button>
          </noscript>
        </Form>
      </Card>
      <Card flush>
        <DataTable
          caption={`${total} ${total === 1 ? "application" : "applications"}`}
          captionHidden
          columns={[
            { key: "applicant", header: "Applicant", rowHeader: true },
            { key: "type", header: "Type" },
            { key: "regions", header: "Regions" },
            { key: "audience", header: "Audience", align: "right" },
            { key: "score", header: "Fit score" },
            { key: "flags", header: "Flags" },
            { key: "submitted", header: "Submitted" },
            ...(filters.status === "all" ? [{ key: "status", header: "Status" }] : []),
          ]}
          rows={rows}
          getRowKey={(r) => r.id}
          empty={
            <EmptyState
              headingLevel={2}
              icon={<InboxIcon />}
              title={filtered ? "No applications match these filters" : filters.status === "submitted" ? "Nothing waiting for review" : "No applications here"}
              description={filtered ? "Try another partner type or region." : "New applications from the public apply page will appear here."}
              action={filtered ? <Link to={`?status=${filters.status}`}>Clear filters</Link> : undefined}
            />
          }
          renderCell={(r, key) => {
            switch (key) {
              case "applicant":
                return (
                  <span className="stack stack--xs">
                    <Link to={`/admin/applications/${r.id}`}>{r.company}</Link>
                    <span className="muted text-sm">{r.contactName}</span>
                  </span>
                );
              case "type":
                return labelOf(r.partnerType);
              case "regions":
                return r.regions.map(labelOf).join(", ");
              case "audience":
                return <span className="tabular">{r.audienceSize.toLocaleString("en")}</span>;
              case "score":
                return <FitScore score={r.fitScore} />;
              case "flags":
                return <FlagBadges flags={r.flags} />;
              case "submitted":
                return (
                  <time dateTime={new Date(r.submittedAt).toISOString()} title={formatDateTime(r.submittedAt)}>
                    {formatAge(r.submittedAt, now)}
                  </time>
                );
              case "status":
                return <ApplicationStatusBadge status={r.status} />;
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
