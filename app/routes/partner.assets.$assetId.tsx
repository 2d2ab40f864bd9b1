import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { getAssetForPartner } from "~/domain/assets/assets.server";
import { assetKindLabel, isImageLike, RENDITION_FORMATS, typeName, WIDTHS } from "~/domain/assets/catalog";
import { renderGuidelineMarkdown } from "~/domain/policies/markdown.server";
import { idParam } from "~/lib/forms.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { formatDate } from "~/components/format";
import { PolicyText } from "~/components/policy-parts";
import { Badge, Button, ButtonLink, Card, DownloadIcon, Field, PageHeader, RadioGroupField, SelectField } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.asset.title} · Brand assets` : "Asset" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  // Another tier's, retired, scheduled or expired assets are simply not found.
  const found = await getAssetForPartner(context.app.db, user.partnerOrgId, idParam(params, "assetId"));
  if (!found) throw new Response("Not found", { status: 404 });
  const { asset, version } = found;
  return {
    asset: { id: asset.id, kind: asset.kind, title: asset.title, description: asset.description, category: asset.category, tags: asset.tags, expiresAt: asset.expiresAt, allowOriginal: asset.allowOriginal },
    version: { number: version.number, contentType: version.contentType, width: version.width, height: version.height, createdAt: version.createdAt },
    guidelineHtml: asset.kind === "guideline" && version.body ? renderGuidelineMarkdown(version.body) : null,
  };
}

export default function PartnerAssetRoute() {
  const { asset, version, guidelineHtml } = useLoaderData<typeof loader>();
  const image = isImageLike(version.contentType);
  const [format, setFormat] = useState("png");
  const widths = WIDTHS.filter((w, i) => !version.width || w <= version.width || i === 0);
  const formats = [...RENDITION_FORMATS, ...(asset.allowOriginal && version.contentType ? [{ value: "original", label: `Original ${typeName(version.contentType)}` }] : [])];
  return (
    <>
      <PageHeader
        title={asset.title}
        breadcrumbs={[{ to: "/partner/assets", label: "Brand assets" }]}
        description={asset.description || undefined}
        meta={
          <div className="cluster cluster--sm">
            <Badge>{assetKindLabel(asset.kind)}</Badge>
            {asset.category ? <Badge>{asset.category}</Badge> : null}
            {asset.tags.map((t) => (
              <Badge key={t}>{t}</Badge>
            ))}
          </div>
        }
      />
      <div className="review-layout">
        <Card title={`Version ${version.number}`} description={[version.contentType ? typeName(version.contentType) : null, version.width ? `${version.width} × ${version.height} px` : null, `updated ${formatDate(version.createdAt)}`, asset.expiresAt ? `available until ${formatDate(asset.expiresAt)}` : null].filter(Boolean).join(" · ")}>
          {image ? (
            <div className="asset-preview">
              <img src={`/partner/assets/${asset.id}/preview?v=${version.number}`} alt={`Preview of ${asset.title}`} />
            </div>
          ) : guidelineHtml ? (
            <PolicyText html={guidelineHtml} />
          ) : (
            <p className="muted">{version.contentType ? `A ${typeName(version.contentType)} document.` : "A document."}</p>
          )}
        </Card>
        {image ? (
          <Card title="Download">
            <form method="get" action={`/partner/assets/${asset.id}/download`} className="stack" aria-label="Download options">
              <div onChange={(e) => setFormat((e.target as HTMLInputElement).value)}>
                <RadioGroupField legend="Format" name="format" options={formats} defaultValue="png" />
              </div>
              {format !== "original" ? (
                <SelectField label="Width" name="width" options={widths.map((w) => ({ value: String(w), label: `${Math.min(w, version.width ?? w)} px` }))} defaultValue={String(widths.includes(1024) ? 1024 : widths[widths.length - 1])} description="Never larger than the original." />
              ) : null}
              {format === "jpeg" ? (
                <Field label="Background colour" name="background" type="color" defaultValue="#ffffff" description="JPEG has no transparency: this colour fills transparent areas." />
              ) : null}
              <div>
                <Button type="submit" variant="primary" icon={<DownloadIcon />}>
                  Download
                </Button>
              </div>
            </form>
          </Card>
        ) : guidelineHtml ? null : (
          <Card title="Download">
            <ButtonLink to={`/partner/assets/${asset.id}/download`} reloadDocument variant="primary" icon={<DownloadIcon />}>
              {`Download ${version.contentType ? typeName(version.contentType) : "file"}`}
            </ButtonLink>
          </Card>
        )}
      </div>
    </>
  );
}
