import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { ASSET_MANAGER_ROLES, DOWNLOAD_LOG_READER_ROLES, hasRole } from "~/domain/accounts/roles";
import { listDownloadFilterOptions, listDownloads } from "~/domain/assets/download-log.server";
import { DownloadLogFiltersSchema } from "~/domain/assets/schemas.server";
import { requireInternalUser } from "~/lib/guards.server";
import { formatDateTime } from "~/components/format";
import { Button, ButtonLink, Card, DataTable, DownloadIcon, EmptyState, PageHeader, SelectField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Download log · Assets" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, DOWNLOAD_LOG_READER_ROLES);
  const params = new URL(request.url).searchParams;
  const filters = DownloadLogFiltersSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
  const [rows, options] = await Promise.all([
    listDownloads(context.app.db, { assetId: filters.asset, partnerOrgId: filters.partner }),
    listDownloadFilterOptions(context.app.db),
  ]);
  // Analysts read the log but cannot open the asset hub, so they get no link into it.
  return { rows, options, filters, query: params.toString(), managesAssets: hasRole(user.role, ASSET_MANAGER_ROLES) };
}

export default function DownloadLogRoute() {
  const { rows, options, filters, query, managesAssets } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  return (
    <>
      <PageHeader
        title="Download log"
        breadcrumbs={managesAssets ? [{ to: "/admin/assets", label: "Assets" }] : undefined}
        description="Every download by partners: who, for which organisation, what, in which format, when."
        actions={
          <ButtonLink to={`/admin/downloads.csv${query ? `?${query}` : ""}`} reloadDocument variant="secondary" icon={<DownloadIcon />}>
            Export CSV
          </ButtonLink>
        }
      />
      <Card>
        <Form method="get" className="filter-bar" aria-label="Filter the download log" onChange={(e) => submit(e.currentTarget, { replace: true })}>
          <SelectField
            label="Partner"
            name="partner"
            options={[{ value: "", label: "All partners" }, ...options.organisations.map((o) => ({ value: o.id, label: o.name }))]}
            defaultValue={filters.partner ?? ""}
          />
          <SelectField
            label="Asset"
            name="asset"
            options={[{ value: "", label: "All assets" }, ...options.assets.map((a) => ({ value: a.id, label: a.title }))]}
            defaultValue={filters.asset ?? ""}
          />
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </Form>
      </Card>
      <Card flush={rows.length > 0}>
        <DataTable
          caption="Downloads"
          captionHidden
          columns={[
            { key: "when", header: "When" },
            { key: "who", header: "Who" },
            { key: "what", header: "What" },
            { key: "as", header: "As" },
          ]}
          rows={rows}
          getRowKey={(r) => r.id}
          empty={<EmptyState headingLevel={2} title="No downloads" description="Downloads by partners appear here as they happen." />}
          renderCell={(r, key) =>
            key === "when" ? (
              formatDateTime(r.occurredAt)
            ) : key === "who" ? (
              <div>
                <div>{r.userName}</div>
                <div className="muted small">
                  <Link to={`/admin/partners/${r.partnerOrgId}`}>{r.organisation}</Link>
                </div>
              </div>
            ) : key === "what" ? (
              r.kitName ? (
                `Kit: ${r.kitName}`
              ) : (
                `${r.assetTitle ?? "?"}${r.versionNumber ? `, version ${r.versionNumber}` : ""}`
              )
            ) : (
              r.rendition
            )
          }
        />
      </Card>
    </>
  );
}
