import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { ASSET_MANAGER_ROLES } from "~/domain/accounts/roles";
import { listAssetsForTeam } from "~/domain/assets/listing.server";
import { ASSET_KINDS, ASSET_SORTS } from "~/domain/assets/catalog";
import { TeamAssetFiltersSchema } from "~/domain/assets/schemas.server";
import { tierLabel } from "~/domain/partners/catalog";
import { pageNumberFrom } from "~/domain/pagination.server";
import { requireInternalUser } from "~/lib/guards.server";
import { AssetCard } from "~/components/asset-card";
import { AssetResults } from "~/components/asset-results";
import { Badge, Button, ButtonLink, Card, EmptyState, Field, ImageIcon, PageHeader, PlusIcon, SelectField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Assets" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, ASSET_MANAGER_ROLES);
  const params = new URL(request.url).searchParams;
  const filters = TeamAssetFiltersSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
  // Expired and scheduled are judged by the context's clock, on the server: a render must not read the time itself.
  return { filters, assets: await listAssetsForTeam(context.app.db, filters, pageNumberFrom(request)), now: context.app.clock.now().getTime() };
}

export default function AssetsRoute() {
  const { filters, assets, now } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  return (
    <>
      <PageHeader
        title="Assets"
        description="Logos, images, documents and guideline pages partners download. Each asset keeps its versions; partners get the newest."
        actions={
          <div className="cluster">
            <ButtonLink to="/admin/downloads" variant="secondary">
              Download log
            </ButtonLink>
            <ButtonLink to="/admin/kits" variant="secondary">
              Kits
            </ButtonLink>
            <ButtonLink to="/admin/assets/new" variant="primary" icon={<PlusIcon />}>
              Upload an asset
            </ButtonLink>
          </div>
        }
      />
      <Card>
        <Form method="get" className="filter-bar" role="search" aria-label="Filter assets" onChange={(e) => submit(e.currentTarget, { replace: true })}>
          <Field label="Search" name="q" type="search" defaultValue={filters.q ?? ""} placeholder="Title, description, category or tag" />
          <SelectField label="Kind" name="kind" options={[{ value: "", label: "All kinds" }, ...ASSET_KINDS]} defaultValue={filters.kind ?? ""} />
          <SelectField
            label="Status"
            name="status"
            options={[
              { value: "active", label: "Active" },
              { value: "retired", label: "Retired" },
            ]}
            defaultValue={filters.status}
          />
          <SelectField label="Sort" name="sort" options={ASSET_SORTS} defaultValue={filters.sort} />
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </Form>
      </Card>
      <AssetResults
        total={assets.total}
        page={assets.page}
        pageCount={assets.pageCount}
        query={filters.q}
        filtered={Boolean(filters.kind || filters.category || filters.tag)}
        noAssets={
          <EmptyState
            icon={<ImageIcon />}
            title={filters.status === "retired" ? "No retired assets" : "No assets yet"}
            description="Upload the brand's logos, product images and guidelines for partners."
            action={
              filters.status === "active" ? (
                <ButtonLink to="/admin/assets/new" variant="primary">
                  Upload an asset
                </ButtonLink>
              ) : undefined
            }
          />
        }
      >
        <div className="asset-grid">
          {assets.rows.map((a) => (
            <AssetCard
              key={a.id}
              asset={a}
              href={`/admin/assets/${a.id}`}
              previewUrl={`/admin/assets/${a.id}/preview?v=${a.versionNumber}`}
              extra={
                <div className="cluster cluster--sm">
                  {a.visibleTiers.length ? <Badge>{a.visibleTiers.map(tierLabel).join(", ")}</Badge> : <Badge tone="brand">All tiers</Badge>}
                  {a.expiresAt && new Date(a.expiresAt).getTime() <= now ? <Badge tone="danger">Expired</Badge> : null}
                  {a.availableFrom && new Date(a.availableFrom).getTime() > now ? <Badge tone="warning">Scheduled</Badge> : null}
                </div>
              }
            />
          ))}
        </div>
      </AssetResults>
      <p className="muted small">
        <Link to="/admin/assets?status=retired">Retired assets</Link> stay on record with their download log.
      </p>
    </>
  );
}
