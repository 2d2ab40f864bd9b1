import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ASSET_MANAGER_ROLES } from "~/domain/accounts/roles";
import { createKit, listKitsForTeam } from "~/domain/assets/kits.server";
import { KitSchema } from "~/domain/assets/schemas.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDate } from "~/components/format";
import { Badge, Button, Card, CheckboxField, DataTable, EmptyState, Field, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Kits · Assets" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, ASSET_MANAGER_ROLES);
  return { kits: await listKitsForTeam(context.app.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireInternalUser(context, request, ASSET_MANAGER_ROLES);
  const formData = await request.formData();
  const parsed = parseForm(formData, KitSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const { id } = await createKit(context.app.db, { ...actorOf(user, context), id: user.id }, parsed.data);
    return redirectWithToast(context, `/admin/kits/${id}`, { kind: "success", message: "Kit created. Add the files partners should get." });
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

export default function KitsRoute() {
  const { kits } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader
        title="Kits"
        breadcrumbs={[{ to: "/admin/assets", label: "Assets" }]}
        description="Named bundles partners download as one ZIP: chosen assets in chosen formats, and the claims sheet if you like."
      />
      <Card flush={kits.length > 0}>
        <DataTable
          caption="Kits"
          captionHidden
          columns={[
            { key: "name", header: "Kit", rowHeader: true },
            { key: "items", header: "Files" },
            { key: "status", header: "Status" },
            { key: "updated", header: "Updated" },
          ]}
          rows={kits}
          getRowKey={(k) => k.id}
          empty={
            <EmptyState headingLevel={2} title="No kits yet" description="Bundle the assets a new partner needs first, such as logos and product photos." />
          }
          renderCell={(k, key) =>
            key === "name" ? (
              <div>
                <Link to={`/admin/kits/${k.id}`}>{k.name}</Link>
                {k.description ? <div className="muted small">{k.description}</div> : null}
              </div>
            ) : key === "items" ? (
              `${k.items}${k.includeClaims ? " + claims sheet" : ""}`
            ) : key === "status" ? (
              k.status === "active" ? (
                <Badge tone="success">Active</Badge>
              ) : (
                <Badge>Retired</Badge>
              )
            ) : (
              formatDate(k.updatedAt)
            )
          }
        />
      </Card>
      <Card title="New kit">
        <Form method="post" className="stack form-narrow" noValidate>
          {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
          <Field label="Name" name="name" required defaultValue={failure?.values.name} error={failure?.errors.name} description="For example Starter kit." />
          <Field label="Description" name="description" defaultValue={failure?.values.description} error={failure?.errors.description} />
          <CheckboxField
            label="Include the claims sheet"
            name="includeClaims"
            description="A CSV of the claims each partner may use, with their disclaimers."
            defaultChecked={failure?.values.includeClaims === "on"}
          />
          <div>
            <Button type="submit" variant="primary" pending={pending}>
              Create kit
            </Button>
          </div>
        </Form>
      </Card>
    </>
  );
}
