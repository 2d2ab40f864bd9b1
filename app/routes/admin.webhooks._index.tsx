import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { WEBHOOK_MANAGER_ROLES } from "~/domain/accounts/roles";
import { getWebhookSettings, listEndpoints, updateWebhookSettings } from "~/domain/webhooks/endpoints.server";
import { WebhookSettingsSchema } from "~/domain/webhooks/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDate } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { EndpointStatusBadge, WEBHOOK_EVENTS_PATH, WEBHOOKS_PATH } from "~/components/webhook-parts";
import { Button, ButtonLink, Card, CheckboxField, DataTable, EmptyState, FormError, LinkIcon, PageHeader, PlusIcon } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Webhooks" }];

/** Every webhook endpoint, newest first, with its events and status; and the private-receivers setting. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, WEBHOOK_MANAGER_ROLES);
  const [endpoints, settings] = await Promise.all([listEndpoints(context.app, pageNumberFrom(request)), getWebhookSettings(context.app.db)]);
  return { endpoints, settings };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, WEBHOOK_MANAGER_ROLES);
  const formData = await request.formData();
  const parsed = parseForm(formData, WebhookSettingsSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    await updateWebhookSettings(context.app, actorOf(admin, context), parsed.data);
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, WEBHOOKS_PATH, {
    kind: "success",
    title: "Webhook settings saved",
    message: parsed.data.allowPrivateReceivers
      ? "Receivers on private, loopback and link-local addresses (and plain http) are allowed."
      : "Webhooks go only to public https addresses.",
  });
}

export default function WebhooksRoute() {
  const { endpoints, settings } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const { rows, total, page, pageCount } = endpoints;
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Webhooks tell your own systems the moment something happens in the program: an application approved, a partner paused, a creative decided, a conversion recorded. Each request is signed so the receiver can check it came from here."
        actions={
          <ButtonLink to={`${WEBHOOKS_PATH}/new`} variant="primary" icon={<PlusIcon />}>
            New endpoint
          </ButtonLink>
        }
      />
      <Card flush={rows.length > 0}>
        <DataTable
          caption={`${total} webhook ${total === 1 ? "endpoint" : "endpoints"}, newest first`}
          captionHidden
          columns={[
            { key: "url", header: "Endpoint", rowHeader: true },
            { key: "events", header: "Events" },
            { key: "created", header: "Created" },
            { key: "status", header: "Status" },
          ]}
          rows={rows}
          getRowKey={(row) => row.id}
          empty={
            <EmptyState
              headingLevel={2}
              icon={<LinkIcon />}
              title="No webhook endpoints yet"
              description={
                <>
                  <p>
                    An endpoint is an address of one of your systems (a CRM, a data warehouse, a chat bot) that Cobrand sends events to as they happen, so it
                    never has to poll the API. You choose which events it gets; each request is signed with the endpoint&apos;s secret.
                  </p>
                  <p>
                    The <Link to={WEBHOOK_EVENTS_PATH}>event catalogue</Link> lists every event with an example of its data.
                  </p>
                </>
              }
              action={
                <ButtonLink to={`${WEBHOOKS_PATH}/new`} variant="primary" icon={<PlusIcon />}>
                  Add the first endpoint
                </ButtonLink>
              }
            />
          }
          renderCell={(row, key) => {
            switch (key) {
              case "url":
                return (
                  <span className="stack stack--xs">
                    <Link to={`${WEBHOOKS_PATH}/${row.id}`} className="webhook-url">
                      {row.url}
                    </Link>
                    {row.description ? <span className="muted small">{row.description}</span> : null}
                  </span>
                );
              case "events":
                return <span className="small">{row.eventTypes.join(", ")}</span>;
              case "created":
                return (
                  <span className="stack stack--xs">
                    <span>{formatDate(row.createdAt)}</span>
                    {row.createdByName ? <span className="muted small">by {row.createdByName}</span> : null}
                  </span>
                );
              case "status":
                return (
                  <span className="stack stack--xs">
                    <EndpointStatusBadge enabled={row.enabled} />
                    {!row.enabled && row.disabledReason ? <span className="muted small">{row.disabledReason}</span> : null}
                  </span>
                );
              default:
                return null;
            }
          }}
        />
        <Pagination page={page} pageCount={pageCount} />
      </Card>
      <Card title="Private receivers" description="For a receiver on your own network (a self-hosted server without a public address).">
        <Form method="post" className="stack" aria-label="Webhook settings">
          <FormError>{failure?.formError}</FormError>
          <CheckboxField
            label="Allow receivers on private, loopback and link-local addresses"
            name="allowPrivateReceivers"
            defaultChecked={settings.allowPrivateReceivers}
            error={failure?.errors.allowPrivateReceivers}
            description="Off by default: webhooks then go only to public https addresses, so no one can aim them at services inside your network (a cloud's metadata address, an admin port). When on, plain http is accepted too."
          />
          <div>
            <Button type="submit" variant="secondary" pending={pending} pendingText="Saving…">
              Save setting
            </Button>
          </div>
        </Form>
      </Card>
      <p className="muted small">
        See the <Link to={WEBHOOK_EVENTS_PATH}>event catalogue</Link> and how to verify signatures.
      </p>
    </>
  );
}
