import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { POLICY_AUTHOR_ROLES } from "~/domain/accounts/roles";
import { createPolicy, listPolicies } from "~/domain/policies/policies.server";
import { CreatePolicySchema } from "~/domain/policies/schemas.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { formatDate } from "~/components/format";
import { Badge, Button, Card, CheckboxField, DataTable, EmptyState, Field, FormError, PageHeader, ShieldIcon } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Policies" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, POLICY_AUTHOR_ROLES);
  return { policies: await listPolicies(context.app.db), canAdd: user.role === "admin" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Adding a kind of policy is an admin's call; legal reviewers write the versions.
  const admin = await requireInternalUser(context, request, ["admin"]);
  const formData = await request.formData();
  const parsed = parseForm(formData, CreatePolicySchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const { id } = await createPolicy(context.app, actorOf(admin, context), parsed.data);
    return redirect(`/admin/policies/${id}`);
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

export default function PoliciesRoute() {
  const { policies, canAdd } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader title="Policies" description="What partners read and accept. Each policy has numbered versions; a published version never changes." />
      <Card flush>
        <DataTable
          caption="Policies"
          captionHidden
          columns={[
            { key: "title", header: "Policy", rowHeader: true },
            { key: "required", header: "Acceptance" },
            { key: "current", header: "Current version" },
            { key: "draft", header: "Draft" },
          ]}
          rows={policies}
          getRowKey={(p) => p.id}
          empty={<EmptyState headingLevel={2} icon={<ShieldIcon />} title="No policies yet" description="Add the policies partners must accept." />}
          renderCell={(p, key) => {
            switch (key) {
              case "title":
                return (
                  <span className="stack stack--xs">
                    <Link to={`/admin/policies/${p.id}`}>{p.title}</Link>
                    {p.description ? <span className="muted text-sm">{p.description}</span> : null}
                  </span>
                );
              case "required":
                return p.required ? <Badge tone="brand">Required</Badge> : <Badge>Optional</Badge>;
              case "current":
                return p.currentNumber ? `Version ${p.currentNumber} · ${formatDate(p.currentPublishedAt!)}` : <span className="muted">Not published</span>;
              case "draft":
                return p.hasDraft ? <Badge tone="warning">Draft open</Badge> : <span className="muted">None</span>;
              default:
                return null;
            }
          }}
        />
      </Card>
      {canAdd ? (
        <Card title="Add a policy" description="For example a code of conduct. Required policies must be accepted before the partner area opens.">
          <Form method="post" className="stack form-narrow" noValidate>
            <input type="hidden" name="intent" value="create" />
            {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
            <Field label="Name" name="title" required defaultValue={failure?.values.title} error={failure?.errors.title} />
            <Field label="Description" name="description" defaultValue={failure?.values.description} error={failure?.errors.description} />
            <CheckboxField label="Partners must accept it" name="required" defaultChecked={failure ? failure.values.required === "on" : true} />
            <div>
              <Button type="submit" variant="primary" pending={pending}>
                Add policy
              </Button>
            </div>
          </Form>
        </Card>
      ) : null}
    </>
  );
}
