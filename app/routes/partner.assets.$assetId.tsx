import { useDownloadsClosed } from "~/components/partner-standing";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { backgroundVariants, getDownloadableAsset } from "~/domain/assets/downloads.server";
import { assetKindLabel, isImageLike, ORIGINAL_SIZE, RENDITION_FORMATS, TRANSPARENT, typeName, WHITE, widthLabel } from "~/domain/assets/catalog";
import { renderGuidelineMarkdown } from "~/domain/policies/markdown.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";
import { formatDate } from "~/components/format";
import { PolicyText } from "~/components/policy-parts";
import { Badge, Button, ButtonLink, Card, DownloadIcon, PageHeader, RadioGroupField, SelectField } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.asset.title} · Brand assets` : "Asset" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  // Another tier's, retired, scheduled or expired assets are simply not found.
  const assetId = idParam(params, "assetId");
  const found = await mapDomainErrors(getDownloadableAsset(context.app.db, user.partnerOrgId, assetId, context.app.clock.now()), { context, request });
  if (!found) notFound();
  const { asset, version, offer } = found;
  return {
    asset: {
      id: asset.id,
      kind: asset.kind,
      title: asset.title,
      description: asset.description,
      category: asset.category,
      tags: asset.tags,
      expiresAt: asset.expiresAt,
    },
    // Exactly what the download route accepts: the form offers nothing else.
    offer,
    // A logo's light and dark background variants: one-click presets over the same offer.
    variants: asset.kind === "logo" ? backgroundVariants(offer) : [],
    version: {
      number: version.number,
      contentType: version.contentType,
      width: version.width,
      height: version.height,
      createdAt: version.createdAt,
      note: version.note,
    },
    guidelineHtml: asset.kind === "guideline" && version.body ? renderGuidelineMarkdown(version.body) : null,
  };
}

export default function PartnerAssetRoute() {
  const downloadsClosed = useDownloadsClosed();
  const { asset, version, offer, variants, guidelineHtml } = useLoaderData<typeof loader>();
  const image = isImageLike(version.contentType);
  const [format, setFormat] = useState("png");
  // Widths at or above the original give the original's width: offer each size once, that one as "Original size".
  const original = offer.widths.find((w) => w.value === ORIGINAL_SIZE);
  const widths = offer.widths.filter((w, i) =>
    original ? w.value === ORIGINAL_SIZE || w.pixels < original.pixels : offer.widths.findIndex((o) => o.pixels === w.pixels) === i,
  );
  const formats = [
    ...RENDITION_FORMATS.filter((f) => offer.formats.includes(f.value)),
    ...(offer.original && version.contentType ? [{ value: "original", label: `Original ${typeName(version.contentType)}` }] : []),
  ];
  // JPEG has no transparency.
  const backgrounds = offer.backgrounds.filter((b) => format !== "jpeg" || b.value !== TRANSPARENT);
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
        <Card
          title={`Version ${version.number}`}
          description={[
            version.contentType ? typeName(version.contentType) : null,
            version.width ? `${version.width} × ${version.height} px` : null,
            `updated ${formatDate(version.createdAt)}`,
            asset.expiresAt ? `available until ${formatDate(asset.expiresAt)}` : null,
          ]
            .filter(Boolean)
            .join(" · ")}
        >
          {image ? (
            <div className="asset-preview">
              <img src={`/partner/assets/${asset.id}/preview?v=${version.number}`} alt={`Preview of ${asset.title}`} />
            </div>
          ) : guidelineHtml ? (
            <PolicyText html={guidelineHtml} />
          ) : (
            <p className="muted">{version.contentType ? `A ${typeName(version.contentType)} document.` : "A document."}</p>
          )}
          {version.note ? (
            <p className="version-note">
              <strong>What changed in version {version.number}:</strong> {version.note}
            </p>
          ) : null}
        </Card>
        {downloadsClosed ? (
          <Card title="Download">
            <p className="muted">{downloadsClosed}</p>
          </Card>
        ) : image ? (
          <div className="stack stack--lg">
            {variants.length > 0 ? (
              <Card
                title="Light and dark backgrounds"
                description={`PNG at the logo's own size${variants[0]!.pixels ? ` (${variants[0]!.pixels} px wide)` : ""}, on white or on black.`}
              >
                <div className="cluster">
                  {variants.map((v) => (
                    <ButtonLink
                      key={v.query}
                      to={`/partner/assets/${asset.id}/download?${v.query}`}
                      reloadDocument
                      prefetch="none"
                      variant="secondary"
                      icon={<DownloadIcon />}
                    >
                      {v.label}
                    </ButtonLink>
                  ))}
                </div>
              </Card>
            ) : null}
            <Card title="Download">
              <form method="get" action={`/partner/assets/${asset.id}/download`} className="stack" aria-label="Download options">
                <div onChange={(e) => setFormat((e.target as HTMLInputElement).value)}>
                  <RadioGroupField legend="Format" name="format" options={formats} defaultValue="png" />
                </div>
                {format !== "original" ? (
                  <>
                    <SelectField
                      label="Width"
                      name="width"
                      options={widths.map((w) => ({ value: String(w.value), label: widthLabel(w) }))}
                      defaultValue={String(widths.some((w) => w.value === 1024) ? 1024 : widths[widths.length - 1]!.value)}
                      description="Never larger than the original."
                    />
                    <SelectField
                      key={format === "jpeg" ? "opaque" : "transparent"}
                      label="Background"
                      name="background"
                      options={backgrounds}
                      defaultValue={format === "jpeg" ? WHITE : TRANSPARENT}
                      description={
                        format === "jpeg"
                          ? "JPEG has no transparency: this colour fills transparent areas."
                          : "Fills transparent areas, or keeps them transparent."
                      }
                    />
                  </>
                ) : null}
                <div>
                  <Button type="submit" variant="primary" icon={<DownloadIcon />}>
                    Download
                  </Button>
                </div>
              </form>
            </Card>
          </div>
        ) : guidelineHtml ? null : (
          <Card title="Download">
            <ButtonLink to={`/partner/assets/${asset.id}/download`} reloadDocument prefetch="none" variant="primary" icon={<DownloadIcon />}>
              {`Download ${version.contentType ? typeName(version.contentType) : "file"}`}
            </ButtonLink>
          </Card>
        )}
      </div>
    </>
  );
}
