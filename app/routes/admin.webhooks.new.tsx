import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { WEBHOOK_MANAGER_ROLES } from "~/domain/accounts/roles";
import { createEndpoint } from "~/domain/webhooks/endpoints.server";
import { EndpointSchema } from "~/domain/webhooks/schemas.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { EndpointFields, WebhookSecretPanel, WEBHOOKS_PATH } from "~/components/webhook-parts";
import { Button, Card, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "New endpoint · Webhooks" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, WEBHOOK_MANAGER_ROLES);
  return null;
}

/**
 * Registers the endpoint and answers with its signing secret, rendered once
 * on this page: never in a URL, a redirect or a toast (pages are sent with
 * Cache-Control: no-store).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, WEBHOOK_MANAGER_ROLES);
  const formData = await request.formData();
  const parsed = parseForm(formData, EndpointSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const { endpoint, secret } = await createEndpoint(context.app, actorOf(admin, context), parsed.data);
    return { ok: true as const, created: { id: endpoint.id, url: endpoint.url, secret } };
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

export default function NewWebhookRoute() {
  const answer = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const breadcrumbs = [{ to: WEBHOOKS_PATH, label: "Webhooks" }];
  if (answer && "created" in answer) {
    return (
      <>
        <PageHeader title="Your new webhook endpoint" breadcrumbs={breadcrumbs} />
        <WebhookSecretPanel
          title={`${answer.created.url} is ready`}
          secret={answer.created.secret}
          url={answer.created.url}
          backTo={{ to: `${WEBHOOKS_PATH}/${answer.created.id}`, label: "I have copied it: open the endpoint" }}
        />
      </>
    );
  }
  const failure = answer ?? null;
  return (
    <>
      <PageHeader title="New webhook endpoint" breadcrumbs={breadcrumbs} description="The address of one of your systems and the events it should receive." />
      <Card>
        <Form method="post" className="stack form-narrow" noValidate aria-label="New webhook endpoint">
          <FormError>{failure?.formError}</FormError>
          <EndpointFields
            values={{
              url: failure?.values.url ?? "",
              description: failure?.values.description ?? "",
              eventTypes: (failure?.values.eventTypes ?? "").split(",").filter(Boolean),
            }}
            errors={failure?.errors}
          />
          <div className="cluster">
            <Button type="submit" variant="primary" pending={pending} pendingText="Creating…">
              Create endpoint
            </Button>
            <Link to={WEBHOOKS_PATH}>Cancel</Link>
          </div>
        </Form>
      </Card>
    </>
  );
}
