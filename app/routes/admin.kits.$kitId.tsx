import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { ASSET_MANAGER_ROLES } from "~/domain/accounts/roles";
import { ORIGINAL_SIZE, RENDITION_FORMATS, WIDTHS, widthLabel } from "~/domain/assets/catalog";
import { addKitItem, getKitForTeam, kitCandidates, removeKitItem, setKitRetired, updateKit } from "~/domain/assets/kits.server";
import { KitActionSchema } from "~/domain/assets/schemas.server";
import { invalid, parseForm, idParam } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { notFound } from "~/lib/http.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { IntentButton } from "~/components/intent-button";
import { Badge, Button, Card, CheckboxField, DataTable, Field, FormError, PageHeader, SelectField } from "~/components/ui";

const ORIGINAL_FORMAT = { value: "original", label: "Original file" };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.kit.name} · Kits` : "Kit" }];

async function requireManager({ context, request, params }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, ASSET_MANAGER_ROLES);
  return { user, kitId: idParam(params, "kitId") };
}

export async function loader(args: LoaderFunctionArgs) {
  const { kitId } = await requireManager(args);
  const found = await getKitForTeam(args.context.app.db, kitId);
  if (!found) notFound();
  return { ...found, assets: await kitCandidates(args.context.app.db) };
}

export async function action(args: ActionFunctionArgs) {
  const { user, kitId } = await requireManager(args);
  const formData = await args.request.formData();
  const parsed = parseForm(formData, KitActionSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const actor = actorOf(user, args.context);
  const db = args.context.app.db;
  const input = parsed.data;
  let message: string;
  try {
    if (input.intent === "details") {
      await updateKit(db, actor, kitId, { name: input.name, description: input.description, includeClaims: input.includeClaims });
      message = "Saved.";
    } else if (input.intent === "add_item") {
      await addKitItem(db, actor, kitId, input, args.context.app.clock.now());
      message = "Added to the kit.";
    } else if (input.intent === "remove_item") {
      await removeKitItem(db, actor, kitId, input.itemId);
      message = "Removed from the kit.";
    } else {
      await setKitRetired(db, actor, kitId, input.intent === "retire");
      message = input.intent === "retire" ? "Retired: partners no longer see this kit." : "Restored.";
    }
  } catch (error) {
    return domainFailure(error, formData, args);
  }
  return redirectWithToast(args.context, `/admin/kits/${kitId}`, { kind: "success", message });
}

export default function KitRoute() {
  const { kit, items, assets, downloadCount } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const itemFailure = failure?.values.intent === "add_item" ? failure : null;
  const detailsFailure = failure?.values.intent === "details" ? failure : null;
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  // The format, width and background lists follow the chosen asset: what it offers partners, nothing else (the server checks again).
  const [assetId, setAssetId] = useState(itemFailure?.values.assetId ?? "");
  const offer = assets.find((a) => a.id === assetId)?.offer;
  // Before an asset is chosen (or without JavaScript): every format, width and background some asset offers.
  const formats = offer
    ? [...RENDITION_FORMATS.filter((f) => offer.formats.includes(f.value)), ...(offer.original ? [ORIGINAL_FORMAT] : [])]
    : [...RENDITION_FORMATS, ORIGINAL_FORMAT];
  const widths = offer
    ? offer.widths.map((w) => ({ value: String(w.value), label: widthLabel(w) }))
    : WIDTHS.map((w) => ({ value: String(w), label: w === ORIGINAL_SIZE ? "Original size" : `${w} px` }));
  const backgrounds = offer?.backgrounds ?? assets.flatMap((a) => a.offer.backgrounds).filter((b, i, all) => all.findIndex((o) => o.value === b.value) === i);
  return (
    <>
      <PageHeader
        title={kit.name}
        breadcrumbs={[
          { to: "/admin/assets", label: "Assets" },
          { to: "/admin/kits", label: "Kits" },
        ]}
        description={kit.description || undefined}
        meta={kit.status === "active" ? <Badge tone="success">Active</Badge> : <Badge>Retired</Badge>}
      />
      {failure?.formError && !itemFailure && !detailsFailure ? <FormError>{failure.formError}</FormError> : null}
      <div className="review-layout">
        <div className="stack stack--lg">
          <Card
            title="Files"
            description={`Downloaded ${downloadCount} ${downloadCount === 1 ? "time" : "times"}. Each partner gets only the files their tier may see.`}
            flush={items.length > 0}
          >
            <DataTable
              caption="Files in this kit"
              captionHidden
              columns={[
                { key: "title", header: "Asset", rowHeader: true },
                { key: "format", header: "As" },
                { key: "actions", header: <span className="visually-hidden">Actions</span>, align: "right" },
              ]}
              rows={items}
              getRowKey={(i) => i.id}
              empty={<p className="muted">No files yet{kit.includeClaims ? "; the kit has the claims sheet only" : ""}.</p>}
              renderCell={(i, key) =>
                key === "title" ? (
                  <span>
                    {i.title}{" "}
                    {i.assetStatus === "retired" ? (
                      <Badge>Retired: left out</Badge>
                    ) : !i.offered ? (
                      <Badge tone="warning">No longer offered: left out</Badge>
                    ) : null}
                  </span>
                ) : key === "format" ? (
                  i.format === "original" ? (
                    "Original file"
                  ) : (
                    `${i.format.toUpperCase()}, ${i.width ? `${i.width} px` : "original size"}${i.background ? `, on #${i.background}` : ""}`
                  )
                ) : (
                  <IntentButton intent="remove_item" fields={{ itemId: i.id }} size="sm" variant="ghost" aria-label={`Remove ${i.title} from the kit`}>
                    Remove
                  </IntentButton>
                )
              }
            />
          </Card>
          <Card title="Add a file">
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="add_item" />
              {itemFailure?.formError ? <FormError>{itemFailure.formError}</FormError> : null}
              <SelectField
                label="Asset"
                name="assetId"
                required
                placeholder="Choose an asset"
                options={assets.map((a) => ({ value: a.id, label: a.title }))}
                defaultValue={assetId}
                error={itemFailure?.errors.assetId}
                selectProps={{ onChange: (e) => setAssetId(e.currentTarget.value) }}
              />
              <div className="form-grid" key={assetId}>
                <SelectField
                  label="Format"
                  name="format"
                  options={formats}
                  defaultValue={itemFailure?.values.format ?? formats[0]?.value}
                  error={itemFailure?.errors.format}
                />
                {offer?.formats.length !== 0 ? (
                  <>
                    <SelectField
                      label="Width"
                      name="width"
                      options={widths}
                      defaultValue={itemFailure?.values.width ?? "1024"}
                      description="Never larger than the original."
                      error={itemFailure?.errors.width}
                    />
                    <SelectField
                      label="Background"
                      name="background"
                      options={backgrounds}
                      defaultValue={itemFailure?.values.background ?? ""}
                      description="Transparent gives white in a JPEG."
                      error={itemFailure?.errors.background}
                    />
                  </>
                ) : null}
              </div>
              <div>
                <Button type="submit" variant="primary" pending={busy("add_item")}>
                  Add to kit
                </Button>
              </div>
            </Form>
          </Card>
        </div>
        <div className="stack stack--lg">
          <Card title="Details">
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="details" />
              <Field label="Name" name="name" required defaultValue={detailsFailure?.values.name ?? kit.name} error={detailsFailure?.errors.name} />
              <Field
                label="Description"
                name="description"
                defaultValue={detailsFailure?.values.description ?? kit.description}
                error={detailsFailure?.errors.description}
              />
              <CheckboxField label="Include the claims sheet" name="includeClaims" defaultChecked={kit.includeClaims} />
              <div>
                <Button type="submit" pending={busy("details")}>
                  Save
                </Button>
              </div>
            </Form>
          </Card>
          <Card title={kit.status === "active" ? "Retire" : "Retired"}>
            {kit.status === "active" ? (
              <IntentButton intent="retire" variant="danger">
                Retire kit
              </IntentButton>
            ) : (
              <IntentButton intent="restore" variant="secondary">
                Restore kit
              </IntentButton>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
