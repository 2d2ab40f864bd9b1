import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { WEBHOOK_MANAGER_ROLES } from "~/domain/accounts/roles";
import { getDelivery, getEndpoint, redeliver } from "~/domain/webhooks/endpoints.server";
import { domainFailure, mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDateTime } from "~/components/format";
import { CodeBlock, DeliveryStatusBadge, WEBHOOKS_PATH } from "~/components/webhook-parts";
import { Button, Card, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.delivery.eventType} · ${data.endpoint.url}` : "Delivery · Webhooks" }];

/** One delivery: the request sent (body and headers; the secret is never among them) and the receiver's last answer. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, WEBHOOK_MANAGER_ROLES);
  const endpointId = idParam(params, "webhookId");
  const deliveryId = idParam(params, "deliveryId", "serial");
  const endpoint = await mapDomainErrors(getEndpoint(context.app, endpointId), { context, request });
  const delivery = await mapDomainErrors(getDelivery(context.app, endpointId, deliveryId), { context, request });
  return { endpoint, delivery };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, WEBHOOK_MANAGER_ROLES);
  const endpointId = idParam(params, "webhookId");
  const deliveryId = idParam(params, "deliveryId", "serial");
  const formData = await request.formData();
  try {
    await redeliver(context.app, actorOf(admin, context), endpointId, deliveryId);
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, `${WEBHOOKS_PATH}/${endpointId}/deliveries/${deliveryId}`, {
    kind: "success",
    title: "Delivery queued again",
    message: "It is sent again within seconds, with the same webhook-id.",
  });
}

export default function WebhookDeliveryRoute() {
  const { endpoint, delivery } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const endpointPath = `${WEBHOOKS_PATH}/${endpoint.id}`;
  const redeliverable = delivery.status === "delivered" || delivery.status === "failed" || delivery.status === "dead";
  return (
    <>
      <PageHeader
        title={delivery.eventType}
        meta={<DeliveryStatusBadge status={delivery.status} />}
        breadcrumbs={[{ to: WEBHOOKS_PATH, label: "Webhooks" }, { to: endpointPath, label: endpoint.url }, { label: delivery.messageId }]}
        actions={
          redeliverable ? (
            <Form method="post" aria-label="Redeliver">
              <Button type="submit" variant="secondary" pending={pending} pendingText="Queueing…" disabled={!endpoint.enabled}>
                Redeliver
              </Button>
            </Form>
          ) : null
        }
      />
      <FormError>{failure?.formError}</FormError>
      <Card title="Outcome">
        <dl className="detail-list">
          <dt>Webhook id</dt>
          <dd>
            <code>{delivery.messageId}</code>
          </dd>
          <dt>Created</dt>
          <dd>{formatDateTime(delivery.createdAt)}</dd>
          <dt>Attempts</dt>
          <dd>{delivery.attempts}</dd>
          <dt>Last attempt</dt>
          <dd>{delivery.lastAttemptAt ? formatDateTime(delivery.lastAttemptAt) : "Not yet"}</dd>
          {delivery.status === "failed" ? (
            <>
              <dt>Next attempt</dt>
              <dd>{formatDateTime(delivery.nextAttemptAt)}</dd>
            </>
          ) : null}
          <dt>Response status</dt>
          <dd>{delivery.lastStatusCode ?? "None"}</dd>
          <dt>Response time</dt>
          <dd>{delivery.lastResponseMs !== null ? `${delivery.lastResponseMs} ms` : "–"}</dd>
          {delivery.lastError ? (
            <>
              <dt>Error</dt>
              <dd>{delivery.lastError}</dd>
            </>
          ) : null}
          {delivery.deliveredAt ? (
            <>
              <dt>Delivered</dt>
              <dd>{formatDateTime(delivery.deliveredAt)}</dd>
            </>
          ) : null}
        </dl>
      </Card>
      <Card title="Request">
        <h3 className="small">Headers</h3>
        {delivery.lastRequestHeaders ? (
          <CodeBlock label="Request headers">
            {Object.entries(delivery.lastRequestHeaders)
              .map(([name, value]) => `${name}: ${value}`)
              .join("\n")}
          </CodeBlock>
        ) : (
          <p className="muted">Not sent yet.</p>
        )}
        <h3 className="small">Body</h3>
        <CodeBlock label="Request body">{JSON.stringify(delivery.payload, null, 2)}</CodeBlock>
      </Card>
      <Card title="Response body" description="The first few kilobytes of the receiver's last answer.">
        {delivery.lastResponseBody ? <CodeBlock label="Response body">{delivery.lastResponseBody}</CodeBlock> : <p className="muted">Empty.</p>}
      </Card>
    </>
  );
}
