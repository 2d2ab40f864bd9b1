import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { WEBHOOK_MANAGER_ROLES } from "~/domain/accounts/roles";
import { deleteEndpoint, getEndpoint } from "~/domain/webhooks/endpoints.server";
import { DeleteEndpointSchema } from "~/domain/webhooks/schemas.server";
import { domainFailure, mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam, invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { WEBHOOKS_PATH } from "~/components/webhook-parts";
import { Button, ButtonLink, Card, CheckboxField, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Delete ${data.endpoint.url} · Webhooks` : "Delete an endpoint · Webhooks" }];

/** The confirmation before an endpoint and its delivery log are deleted: a page of its own, so it works without JavaScript. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, WEBHOOK_MANAGER_ROLES);
  const endpoint = await mapDomainErrors(getEndpoint(context.app, idParam(params, "webhookId")), { context, request });
  return { endpoint };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, WEBHOOK_MANAGER_ROLES);
  const endpointId = idParam(params, "webhookId");
  const formData = await request.formData();
  const parsed = parseForm(formData, DeleteEndpointSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  let deleted: { url: string };
  try {
    deleted = await deleteEndpoint(context.app, actorOf(admin, context), endpointId);
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, WEBHOOKS_PATH, { kind: "success", title: "Endpoint deleted", message: `Nothing more is sent to ${deleted.url}.` });
}

export default function DeleteWebhookRoute() {
  const { endpoint } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const here = `${WEBHOOKS_PATH}/${endpoint.id}`;
  return (
    <>
      <PageHeader
        title="Delete this endpoint?"
        breadcrumbs={[{ to: WEBHOOKS_PATH, label: "Webhooks" }, { to: here, label: endpoint.url }, { label: "Delete" }]}
      />
      <Card>
        <Form method="post" className="stack" aria-label="Delete the endpoint">
          <FormError>{failure?.formError}</FormError>
          <p>
            <strong className="webhook-url">{endpoint.url}</strong> stops receiving events at once, and its delivery log is deleted with it. The audit trail
            keeps that it existed. To pause it instead, disable it.
          </p>
          <CheckboxField label="Yes, delete the endpoint and its delivery log" name="confirm" error={failure?.errors.confirm} />
          <div className="cluster">
            <Button type="submit" variant="danger" pending={pending} pendingText="Deleting…">
              Delete endpoint
            </Button>
            <ButtonLink to={here} variant="secondary">
              Cancel
            </ButtonLink>
          </div>
        </Form>
      </Card>
    </>
  );
}
