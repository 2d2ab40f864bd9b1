import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { WEBHOOK_MANAGER_ROLES } from "~/domain/accounts/roles";
import {
  disableEndpoint,
  enableEndpoint,
  getEndpoint,
  listDeliveries,
  redeliver,
  rotateSecret,
  sendTestEvent,
  updateEndpoint,
} from "~/domain/webhooks/endpoints.server";
import { EndpointActionSchema } from "~/domain/webhooks/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { domainFailure, mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam, invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import type { Toast } from "~/lib/toast";
import { formatDateTime } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { DeliveryStatusBadge, EndpointFields, EndpointStatusBadge, WebhookSecretPanel, WEBHOOKS_PATH } from "~/components/webhook-parts";
import { Alert, Button, ButtonLink, Card, CheckboxField, DataTable, EmptyState, FormError, InboxIcon, PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.endpoint.url} · Webhooks` : "Endpoint · Webhooks" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, WEBHOOK_MANAGER_ROLES);
  const endpointId = idParam(params, "webhookId");
  const endpoint = await mapDomainErrors(getEndpoint(context.app, endpointId), { context, request });
  const deliveries = await listDeliveries(context.app, endpointId, pageNumberFrom(request));
  const graceEnds = endpoint.previousSecretExpiresAt;
  return { endpoint, deliveries, previousSecretSignsUntil: graceEnds && graceEnds.getTime() > context.app.clock.now().getTime() ? graceEnds : null };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, WEBHOOK_MANAGER_ROLES);
  const endpointId = idParam(params, "webhookId");
  const formData = await request.formData();
  const parsed = parseForm(formData, EndpointActionSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const actor = actorOf(admin, context);
  const here = `${WEBHOOKS_PATH}/${endpointId}`;
  let toast: Toast;
  try {
    switch (parsed.data.intent) {
      case "update":
        await updateEndpoint(context.app, actor, endpointId, parsed.data);
        toast = { kind: "success", title: "Endpoint saved", message: "Events from now on follow the new settings." };
        break;
      case "rotate":
        // The new secret is this answer's, once: never in a redirect or a toast.
        return { ok: true as const, rotated: { secret: await rotateSecret(context.app, actor, endpointId, { revokeOld: parsed.data.revokeOld }) } };
      case "disable":
        await disableEndpoint(context.app, actor, endpointId);
        toast = { kind: "success", title: "Endpoint disabled", message: "No events are sent to it until it is enabled again." };
        break;
      case "enable":
        await enableEndpoint(context.app, actor, endpointId);
        toast = { kind: "success", title: "Endpoint enabled", message: "Deliveries waiting for it go out now." };
        break;
      case "test": {
        const delivery = await sendTestEvent(context.app, actor, endpointId);
        toast = {
          kind: "success",
          title: "Test event queued",
          message: `A webhook.test event (${delivery.messageId}) goes out within seconds: reload to see its result.`,
        };
        break;
      }
      case "redeliver":
        await redeliver(context.app, actor, endpointId, parsed.data.deliveryId);
        toast = { kind: "success", title: "Delivery queued again", message: "It is sent again within seconds, with the same webhook-id." };
        break;
    }
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, here, toast);
}

export default function WebhookEndpointRoute() {
  const { endpoint, deliveries, previousSecretSignsUntil } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const here = `${WEBHOOKS_PATH}/${endpoint.id}`;
  const breadcrumbs = [{ to: WEBHOOKS_PATH, label: "Webhooks" }];
  if (answer && "rotated" in answer) {
    return (
      <>
        <PageHeader title="New signing secret" breadcrumbs={breadcrumbs} />
        <WebhookSecretPanel
          title={`The secret of ${endpoint.url} is replaced`}
          secret={answer.rotated.secret}
          url={endpoint.url}
          backTo={{ to: here, label: "I have copied it: back to the endpoint" }}
        />
      </>
    );
  }
  const failure = answer && "ok" in answer && answer.ok === false ? answer : null;
  const editing = failure?.values.intent === "update";
  const { rows, total, page, pageCount } = deliveries;
  return (
    <>
      <PageHeader
        title={endpoint.url}
        breadcrumbs={breadcrumbs}
        description={endpoint.description || undefined}
        meta={<EndpointStatusBadge enabled={endpoint.enabled} />}
        actions={
          <Form method="post" aria-label="Send a test event">
            <input type="hidden" name="intent" value="test" />
            <Button type="submit" variant="secondary" pending={submitting("test")} pendingText="Queueing…" disabled={!endpoint.enabled}>
              Send test event
            </Button>
          </Form>
        }
      />
      {failure && !editing ? <FormError>{failure.formError ?? Object.values(failure.errors).flat()[0]}</FormError> : null}
      {!endpoint.enabled ? (
        <Alert tone="warning" title="This endpoint is disabled" live={false}>
          {endpoint.disabledReason ?? "It was disabled."} {endpoint.disabledAt ? `(${formatDateTime(endpoint.disabledAt)})` : null} Events are not sent to it;
          enable it to send the deliveries that wait for it.
        </Alert>
      ) : null}

      <Card
        title="Delivery log"
        description="Each event sent to this endpoint, newest first: its answer, how long it took and how many attempts it needed."
        flush={rows.length > 0}
        id="deliveries"
      >
        <DataTable
          caption={`${total} ${total === 1 ? "delivery" : "deliveries"}, newest first`}
          captionHidden
          columns={[
            { key: "event", header: "Event", rowHeader: true },
            { key: "status", header: "Status" },
            { key: "code", header: "Response" },
            { key: "time", header: "Time" },
            { key: "attempts", header: "Attempts" },
            { key: "at", header: "Created" },
            { key: "actions", header: "Actions" },
          ]}
          rows={rows}
          getRowKey={(row) => String(row.id)}
          empty={
            <EmptyState
              headingLevel={3}
              icon={<InboxIcon />}
              title="Nothing sent yet"
              description="Deliveries appear here as events happen. Send a test event to check that the receiver answers and verifies the signature."
            />
          }
          renderCell={(row, key) => {
            switch (key) {
              case "event":
                return (
                  <span className="stack stack--xs">
                    <Link to={`${here}/deliveries/${row.id}`}>
                      <code>{row.eventType}</code>
                    </Link>
                    <span className="muted small">{row.messageId}</span>
                  </span>
                );
              case "status":
                return <DeliveryStatusBadge status={row.status} />;
              case "code":
                return row.lastStatusCode !== null ? (
                  <span>{row.lastStatusCode}</span>
                ) : row.lastError ? (
                  <span className="muted small">{row.lastError}</span>
                ) : (
                  <span className="muted">–</span>
                );
              case "time":
                return row.lastResponseMs !== null ? `${row.lastResponseMs} ms` : <span className="muted">–</span>;
              case "attempts":
                return String(row.attempts);
              case "at":
                return formatDateTime(row.createdAt);
              case "actions":
                return row.status === "delivered" || row.status === "dead" || row.status === "failed" ? (
                  <Form method="post" aria-label={`Redeliver ${row.messageId}`}>
                    <input type="hidden" name="intent" value="redeliver" />
                    <input type="hidden" name="deliveryId" value={row.id} />
                    <Button type="submit" size="sm" variant="ghost" disabled={!endpoint.enabled}>
                      Redeliver
                      <span className="visually-hidden">
                        {" "}
                        {row.eventType} {row.messageId}
                      </span>
                    </Button>
                  </Form>
                ) : null;
              default:
                return null;
            }
          }}
        />
        <Pagination page={page} pageCount={pageCount} anchor="deliveries" />
      </Card>

      <Card title="Settings">
        <Form method="post" className="stack form-narrow" noValidate aria-label="Endpoint settings">
          <input type="hidden" name="intent" value="update" />
          {editing ? <FormError>{failure.formError}</FormError> : null}
          <EndpointFields
            values={
              editing
                ? {
                    url: failure.values.url ?? "",
                    description: failure.values.description ?? "",
                    eventTypes: (failure.values.eventTypes ?? "").split(",").filter(Boolean),
                  }
                : endpoint
            }
            errors={editing ? failure.errors : undefined}
          />
          <div>
            <Button type="submit" variant="primary" pending={submitting("update")} pendingText="Saving…">
              Save endpoint
            </Button>
          </div>
        </Form>
      </Card>

      <Card
        title="Signing secret"
        description="Shown once, when it is made. Rotate it if it may have leaked: the new one signs every request from then on, so give it to the receiver."
      >
        <dl className="detail-list">
          <dt>Created</dt>
          <dd>{`${formatDateTime(endpoint.createdAt)}${endpoint.createdByName ? ` by ${endpoint.createdByName}` : ""}`}</dd>
          <dt>Secret last rotated</dt>
          <dd>{endpoint.secretRotatedAt ? formatDateTime(endpoint.secretRotatedAt) : "Never"}</dd>
          {previousSecretSignsUntil ? (
            <>
              <dt>Previous secret</dt>
              <dd>{`Still signs beside the new one until ${formatDateTime(previousSecretSignsUntil)}`}</dd>
            </>
          ) : null}
          <dt>Failed deliveries in a row</dt>
          <dd>{endpoint.consecutiveFailures}</dd>
        </dl>
        <div className="cluster">
          <Form method="post" className="stack stack--xs" aria-label="Rotate the signing secret">
            <input type="hidden" name="intent" value="rotate" />
            <CheckboxField
              label="The old secret may have leaked: stop it signing now"
              name="revokeOld"
              description="Otherwise it keeps signing beside the new one for 24 hours, so the receiver verifies while you give it the new secret."
            />
            <div>
              <Button type="submit" variant="secondary" pending={submitting("rotate")} pendingText="Rotating…">
                Rotate secret
              </Button>
            </div>
          </Form>
          <Form method="post" aria-label={endpoint.enabled ? "Disable the endpoint" : "Enable the endpoint"}>
            <input type="hidden" name="intent" value={endpoint.enabled ? "disable" : "enable"} />
            <Button type="submit" variant="secondary" pending={submitting("disable") || submitting("enable")}>
              {endpoint.enabled ? "Disable endpoint" : "Enable endpoint"}
            </Button>
          </Form>
          <ButtonLink to={`${here}/delete`} variant="danger">
            Delete endpoint
          </ButtonLink>
        </div>
      </Card>
    </>
  );
}
