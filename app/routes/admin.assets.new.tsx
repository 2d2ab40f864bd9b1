import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { ASSET_MANAGER_ROLES } from "~/domain/accounts/roles";
import { ASSET_KINDS } from "~/domain/assets/catalog";
import { uploadNewAsset } from "~/domain/assets/upload-flow.server";
import { outcomeForPage } from "~/lib/forms.server";
import { getProgramRules } from "~/domain/settings/program.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { AssetDetailsFields, detailsValues, EMPTY_DETAILS } from "~/components/asset-fields";
import { UploadForm } from "~/components/upload-form";
import { Button, Card, FieldErrorMessage, FormError, PageHeader, RadioGroupField, TextareaField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Upload an asset · Assets" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, ASSET_MANAGER_ROLES);
  const rules = await getProgramRules(context.app.db);
  return { tiers: rules.partnerTiers };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireInternalUser(context, request, ASSET_MANAGER_ROLES);
  const outcome = await uploadNewAsset(context.app, { ...actorOf(user, context), id: user.id }, request);
  return outcomeForPage(outcome, context);
}

export default function NewAssetRoute() {
  const { tiers } = useLoaderData<typeof loader>();
  const serverFailure = useActionData<typeof action>() ?? null;
  const [kind, setKind] = useState(serverFailure?.values.kind ?? "logo");
  return (
    <>
      <PageHeader
        title="Upload an asset"
        breadcrumbs={[{ to: "/admin/assets", label: "Assets" }]}
        description="Files are checked from their content: logos SVG or PNG, images PNG, JPEG or WebP (up to 25 MB), documents PDF (up to 100 MB). SVG is cleaned of scripts and external references before it is stored."
      />
      <Card className="form-narrow">
        <UploadForm uploadUrl="/admin/assets/upload" serverFailure={serverFailure} className="stack" label="Upload an asset">
          {({ failure, uploading }) => (
            <>
              {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
              <div onChange={(e) => setKind((e.target as HTMLInputElement).value)}>
                <RadioGroupField
                  legend="Kind"
                  name="kind"
                  options={ASSET_KINDS.map((k) => ({ value: k.value, label: k.label, description: k.hint }))}
                  defaultValue={kind}
                  error={failure?.errors.kind}
                />
              </div>
              {kind === "guideline" ? (
                <TextareaField
                  label="Page"
                  name="body"
                  rows={12}
                  required
                  description="Markdown: # headings, **bold**, lists, links."
                  defaultValue={failure?.values.body}
                  error={failure?.errors.body}
                />
              ) : (
                <div className="field">
                  <label className="field__label" htmlFor="asset-file">
                    File{" "}
                    <span className="field__required" aria-hidden="true">
                      *
                    </span>
                  </label>
                  <input
                    id="asset-file"
                    className="input"
                    type="file"
                    name="file"
                    required
                    aria-invalid={failure?.errors.file ? true : undefined}
                    aria-describedby={failure?.errors.file ? "asset-file-error" : undefined}
                    accept={kind === "document" ? "application/pdf" : kind === "logo" ? "image/svg+xml,image/png" : "image/png,image/jpeg,image/webp"}
                  />
                  {failure?.errors.file ? <FieldErrorMessage id="asset-file-error" messages={failure.errors.file} /> : null}
                </div>
              )}
              <AssetDetailsFields values={detailsValues(failure, EMPTY_DETAILS)} errors={failure?.errors ?? {}} tiers={tiers} />
              <div className="cluster">
                <Button type="submit" variant="primary" pending={uploading}>
                  Upload
                </Button>
              </div>
            </>
          )}
        </UploadForm>
      </Card>
    </>
  );
}
