import { useDownloadsClosed } from "~/components/partner-standing";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSubmit } from "@remix-run/react";
import { assetFacetsForPartner, listAssetsForPartner } from "~/domain/assets/visibility.server";
import { ASSET_KINDS, ASSET_SORTS } from "~/domain/assets/catalog";
import { listKitsForPartner } from "~/domain/assets/kits.server";
import { PartnerAssetFiltersSchema } from "~/domain/assets/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { AssetCard } from "~/components/asset-card";
import { AssetResults } from "~/components/asset-results";
import { Button, ButtonLink, Card, DownloadIcon, EmptyState, Field, ImageIcon, PageHeader, SelectField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Brand assets" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const params = new URL(request.url).searchParams;
  const filters = PartnerAssetFiltersSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
  const now = context.app.clock.now();
  const [assets, facets, kits] = await mapDomainErrors(
    Promise.all([
      listAssetsForPartner(context.app.db, user.partnerOrgId, filters, now, pageNumberFrom(request)),
      assetFacetsForPartner(context.app.db, user.partnerOrgId, now),
      listKitsForPartner(context.app.db, user.partnerOrgId, now),
    ]),
    { context, request },
  );
  return { assets, facets, kits, filters, filtered: Boolean(filters.kind || filters.category || filters.tag) };
}

export default function PartnerAssetsRoute() {
  const downloadsClosed = useDownloadsClosed();
  const { assets, facets, kits, filters, filtered } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  return (
    <>
      <PageHeader
        title="Brand assets"
        description="Approved logos, images, documents and guidelines. Pick the format and size you need on each asset's page."
      />
      {kits.length > 0 ? (
        <Card title="Brand kits" description="Everything in one ZIP, in the formats the brand chose for you." flush>
          <ul className="plain-list kit-list">
            {kits.map((kit) => (
              <li key={kit.id} className="kit-list__item">
                <div>
                  <strong>{kit.name}</strong>
                  <div className="muted small">
                    {kit.description ? `${kit.description} · ` : ""}
                    {kit.files} {kit.files === 1 ? "file" : "files"}
                    {kit.includeClaims ? ", with the claims sheet" : ""}
                  </div>
                </div>
                {downloadsClosed ? (
                  <span className="muted small">{downloadsClosed}</span>
                ) : (
                  <ButtonLink
                    to={`/partner/kits/${kit.id}/download`}
                    reloadDocument
                    prefetch="none"
                    variant="secondary"
                    size="sm"
                    icon={<DownloadIcon />}
                    aria-label={`Download ${kit.name} (ZIP)`}
                  >
                    Download ZIP
                  </ButtonLink>
                )}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card>
        <Form
          method="get"
          className="filter-bar"
          role="search"
          aria-label="Filter assets"
          onChange={(e) => submit(e.currentTarget, { replace: true, preventScrollReset: true })}
        >
          <Field label="Search" name="q" type="search" defaultValue={filters.q ?? ""} placeholder="Title, description, category or tag" />
          <SelectField label="Kind" name="kind" options={[{ value: "", label: "All kinds" }, ...ASSET_KINDS]} defaultValue={filters.kind ?? ""} />
          <SelectField
            label="Category"
            name="category"
            options={[{ value: "", label: "All categories" }, ...facets.categories.map((c) => ({ value: c, label: c }))]}
            defaultValue={filters.category ?? ""}
          />
          <SelectField
            label="Tag"
            name="tag"
            options={[{ value: "", label: "All tags" }, ...facets.tags.map((t) => ({ value: t, label: t }))]}
            defaultValue={filters.tag ?? ""}
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
        filtered={filtered}
        noAssets={<EmptyState icon={<ImageIcon />} title="No assets yet" description="The brand has not published assets for your tier yet." />}
      >
        <div className="asset-grid">
          {assets.rows.map((a) => (
            <AssetCard key={a.id} asset={a} href={`/partner/assets/${a.id}`} previewUrl={`/partner/assets/${a.id}/preview?v=${a.versionNumber}`} />
          ))}
        </div>
      </AssetResults>
    </>
  );
}
