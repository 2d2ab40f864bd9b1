import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ASSET_MANAGER_ROLES } from "~/domain/accounts/roles";
import { setAssetRetired, updateAssetDetails } from "~/domain/assets/authoring.server";
import { getAsset, getAssetForTeam } from "~/domain/assets/listing.server";
import { assetKindLabel, isImageLike, typeName, VERSION_NOTE_MAX } from "~/domain/assets/catalog";
import { AssetActionSchema, AssetDetailsSchema } from "~/domain/assets/schemas.server";
import { uploadNewVersion } from "~/domain/assets/upload-flow.server";
import { tierLabel } from "~/domain/partners/catalog";
import { renderGuidelineMarkdown } from "~/domain/policies/markdown.server";
import { getProgramRules } from "~/domain/settings/program.server";
import { invalid, parseForm, idParam, outcomeForPage } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { notFound } from "~/lib/http.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { AssetDetailsFields, detailsValues } from "~/components/asset-fields";
import { formatBytes, formatDateTime } from "~/components/format";
import { IntentButton } from "~/components/intent-button";
import { PolicyText } from "~/components/policy-parts";
import { UploadForm, type UploadFailure } from "~/components/upload-form";
import { Badge, Button, Card, DataTable, FieldErrorMessage, FormError, PageHeader, TextareaField } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.asset.title} · Assets` : "Asset" }];

async function requireManager({ context, request, params }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, ASSET_MANAGER_ROLES);
  return { user, assetId: idParam(params, "assetId") };
}

const dayOf = (value: Date | null) => (value ? value.toISOString().slice(0, 10) : "");

export async function loader(args: LoaderFunctionArgs) {
  const { assetId } = await requireManager(args);
  const found = await getAssetForTeam(args.context.app.db, assetId);
  if (!found) notFound();
  const rules = await getProgramRules(args.context.app.db);
  const { asset, versions, downloads, downloadCount } = found;
  const current = versions[0]!.version;
  return {
    asset,
    tiers: rules.partnerTiers,
    current: { number: current.number, contentType: current.contentType, width: current.width, height: current.height, byteSize: current.byteSize },
    guidelineHtml: asset.kind === "guideline" && current.body ? renderGuidelineMarkdown(current.body) : null,
    guidelineBody: current.body,
    versions: versions.map(({ version: v, authorName }) => ({
      number: v.number,
      contentType: v.contentType,
      filename: v.originalFilename,
      byteSize: v.byteSize,
      width: v.width,
      height: v.height,
      createdAt: v.createdAt,
      note: v.note,
      authorName,
      hasFile: Boolean(v.storageKey),
    })),
    downloads,
    downloadCount,
    details: {
      title: asset.title,
      description: asset.description,
      category: asset.category,
      tags: asset.tags.join(", "),
      visibility: asset.visibleTiers.length ? ("tiers" as const) : ("all" as const),
      tiers: asset.visibleTiers,
      availableFrom: dayOf(asset.availableFrom),
      expiresAt: dayOf(asset.expiresAt),
      allowOriginal: asset.allowOriginal,
      extraBackgrounds: asset.extraBackgrounds.map((c) => `#${c}`).join(", "),
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, assetId } = await requireManager(args);
  const { request, context } = args;
  const actor = { ...actorOf(user, context), id: user.id };
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    const asset = await getAsset(context.app.db, assetId);
    if (!asset) notFound();
    return outcomeForPage(await uploadNewVersion(context.app, actor, request, asset), context);
  }
  const formData = await request.formData();
  try {
    if (formData.get("intent") === "details") {
      const parsed = parseForm(formData, AssetDetailsSchema);
      if (!parsed.ok) return invalid(parsed.failure);
      await updateAssetDetails(context.app.db, actor, assetId, parsed.data);
      return redirectWithToast(context, `/admin/assets/${assetId}`, { kind: "success", message: "Saved." });
    }
    const parsed = parseForm(formData, AssetActionSchema);
    if (!parsed.ok) return invalid(parsed.failure);
    const retired = parsed.data.intent === "retire";
    await setAssetRetired(context.app.db, actor, assetId, retired, context.app.clock.now());
    return redirectWithToast(context, `/admin/assets/${assetId}`, {
      kind: "success",
      message: retired ? "Retired: partners no longer see it. Its versions and download log stay on record." : "Restored: partners see it again.",
    });
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

const sizeOf = (bytes: number | null) => (bytes === null ? "" : formatBytes(bytes));

export default function AssetRoute() {
  const data = useLoaderData<typeof loader>();
  const { asset, current } = data;
  const actionData = useActionData<typeof action>() as UploadFailure | undefined;
  const navigation = useNavigation();
  const detailsFailure = actionData?.values.intent === "details" ? actionData : null;
  const uploadFailure = actionData && actionData.values.intent !== "details" ? actionData : null;
  const image = isImageLike(current.contentType);
  return (
    <>
      <PageHeader
        title={asset.title}
        breadcrumbs={[{ to: "/admin/assets", label: "Assets" }]}
        description={asset.description || undefined}
        meta={
          <div className="cluster cluster--sm">
            <Badge>{assetKindLabel(asset.kind)}</Badge>
            {asset.status === "retired" ? <Badge tone="neutral">Retired</Badge> : <Badge tone="success">Active</Badge>}
            {asset.visibleTiers.length ? <Badge>{asset.visibleTiers.map(tierLabel).join(", ")}</Badge> : <Badge tone="brand">All tiers</Badge>}
          </div>
        }
      />
      <div className="review-layout">
        <div className="stack stack--lg">
          <Card
            title={`Version ${current.number}`}
            description={[
              current.contentType ? typeName(current.contentType) : "Markdown",
              current.width ? `${current.width} × ${current.height} px` : null,
              sizeOf(current.byteSize),
            ]
              .filter(Boolean)
              .join(" · ")}
          >
            {image ? (
              <div className="asset-preview">
                <img src={`/admin/assets/${asset.id}/preview?v=${current.number}`} alt={`Preview of ${asset.title}`} />
              </div>
            ) : data.guidelineHtml ? (
              <PolicyText html={data.guidelineHtml} />
            ) : (
              <p>
                <a href={`/admin/assets/${asset.id}/original`} download>
                  Download the {current.contentType ? typeName(current.contentType) : "file"}
                </a>
              </p>
            )}
          </Card>
          <Card title="Upload a new version" description="Partners get the newest version; earlier ones stay here.">
            <UploadForm uploadUrl={`/admin/assets/upload?asset=${asset.id}`} serverFailure={uploadFailure} className="stack" label="Upload a new version">
              {({ failure, uploading }) => (
                <>
                  {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
                  {asset.kind === "guideline" ? (
                    <TextareaField
                      label="Page"
                      name="body"
                      rows={12}
                      required
                      defaultValue={failure?.values.body ?? data.guidelineBody ?? ""}
                      error={failure?.errors.body}
                    />
                  ) : (
                    <div className="field">
                      <label className="field__label" htmlFor="version-file">
                        File
                      </label>
                      <input
                        id="version-file"
                        className="input"
                        type="file"
                        name="file"
                        required
                        aria-invalid={failure?.errors.file ? true : undefined}
                        aria-describedby={failure?.errors.file ? "version-file-error" : undefined}
                      />
                      {failure?.errors.file ? <FieldErrorMessage id="version-file-error" messages={failure.errors.file} /> : null}
                    </div>
                  )}
                  <TextareaField
                    label="What changed"
                    name="note"
                    rows={2}
                    description={`Optional, up to ${VERSION_NOTE_MAX} characters. Shown in the version history, and to partners with this version.`}
                    defaultValue={failure?.values.note ?? ""}
                    error={failure?.errors.note}
                    textareaProps={{ maxLength: VERSION_NOTE_MAX }}
                  />
                  <div className="cluster">
                    <Button type="submit" variant="primary" pending={uploading}>
                      {asset.kind === "guideline" ? "Publish new version" : "Upload version"}
                    </Button>
                  </div>
                </>
              )}
            </UploadForm>
          </Card>
          <Card
            title="Download log"
            description={`${data.downloadCount} ${data.downloadCount === 1 ? "download" : "downloads"} by partners`}
            flush={data.downloads.length > 0}
            actions={<Link to={`/admin/downloads?asset=${asset.id}`}>Filter and export</Link>}
          >
            <DataTable
              caption="Downloads of this asset"
              captionHidden
              columns={[
                { key: "when", header: "When" },
                { key: "who", header: "Who" },
                { key: "what", header: "What" },
              ]}
              rows={data.downloads}
              getRowKey={(d, i) => `${d.occurredAt}-${i}`}
              empty={<p className="muted">No downloads yet.</p>}
              renderCell={(d, key) =>
                key === "when" ? (
                  formatDateTime(d.occurredAt)
                ) : key === "who" ? (
                  <div>
                    <div>{d.userName}</div>
                    <div className="muted small">{d.organisation}</div>
                  </div>
                ) : (
                  `${d.rendition}${d.versionNumber ? `, version ${d.versionNumber}` : ""}`
                )
              }
            />
          </Card>
        </div>
        <div className="stack stack--lg">
          <Card title="Details">
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="details" />
              {detailsFailure?.formError ? <FormError>{detailsFailure.formError}</FormError> : null}
              <AssetDetailsFields
                values={detailsValues(detailsFailure, data.details)}
                errors={detailsFailure?.errors ?? {}}
                tiers={data.tiers}
                backgrounds={image}
              />
              <div className="cluster">
                <Button type="submit" variant="primary" pending={navigation.state === "submitting" && navigation.formData?.get("intent") === "details"}>
                  Save details
                </Button>
              </div>
            </Form>
          </Card>
          <Card
            title={asset.status === "retired" ? "Retired" : "Retire"}
            description={asset.status === "retired" ? "Hidden from partners." : "Hides it from partners; nothing is deleted."}
          >
            {asset.status === "retired" ? (
              <IntentButton intent="restore" variant="secondary">
                Restore
              </IntentButton>
            ) : (
              <IntentButton intent="retire" variant="danger">
                Retire asset
              </IntentButton>
            )}
          </Card>
          <Card title="Versions">
            <ol className="timeline">
              {data.versions.map((v) => (
                <li key={v.number}>
                  <div>
                    Version {v.number}
                    {v.filename ? <span className="muted small"> · {v.filename}</span> : null}
                  </div>
                  {v.note ? <p className="version-note">{v.note}</p> : null}
                  <time dateTime={new Date(v.createdAt).toISOString()}>
                    {formatDateTime(v.createdAt)}
                    {v.authorName ? ` · ${v.authorName}` : ""}
                  </time>
                  {v.hasFile ? (
                    <a className="small" href={`/admin/assets/${asset.id}/original?version=${v.number}`} download>
                      Download {v.contentType ? typeName(v.contentType) : "file"} ({sizeOf(v.byteSize)})
                    </a>
                  ) : null}
                </li>
              ))}
            </ol>
          </Card>
        </div>
      </div>
    </>
  );
}
