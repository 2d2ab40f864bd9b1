import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { API_KEY_MANAGER_ROLES } from "~/domain/accounts/roles";
import { API_KEY_SCOPE_DETAILS, maskedKey } from "~/domain/api-keys/catalog";
import { getApiKey, revokeApiKey } from "~/domain/api-keys/keys.server";
import { domainFailure, mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDate, formatDateTime } from "~/components/format";
import { Button, ButtonLink, Card, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Revoke ${data.key.name} · API keys` : "Revoke a key · API keys" }];

const LIST_PATH = "/admin/api-keys";

/**
 * The confirmation before a key is revoked: a page of its own, so it works
 * without JavaScript and names the key (and its last use) before anything
 * happens. No reason is asked: revoking is always allowed and cannot be undone.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, API_KEY_MANAGER_ROLES);
  const key = await mapDomainErrors(getApiKey(context.app, idParam(params, "keyId")), { context, request });
  return { key };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, API_KEY_MANAGER_ROLES);
  const keyId = idParam(params, "keyId");
  const formData = await request.formData();
  let revoked: { name: string; prefix: string };
  try {
    revoked = await revokeApiKey(context.app, actorOf(admin, context), keyId);
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, LIST_PATH, {
    kind: "success",
    title: "Key revoked",
    message: `${revoked.name} (${maskedKey(revoked.prefix)}) no longer works: every request with it is refused within a few seconds.`,
  });
}

export default function RevokeApiKeyRoute() {
  const { key } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const breadcrumbs = [{ to: LIST_PATH, label: "API keys" }, { label: "Revoke a key" }];
  if (key.revokedAt) {
    return (
      <>
        <PageHeader title={`${key.name} is revoked`} breadcrumbs={breadcrumbs} />
        <Card>
          <p>
            {`This key (${maskedKey(key.prefix)}) was revoked on ${formatDateTime(key.revokedAt)}${key.revokedByName ? ` by ${key.revokedByName}` : ""}. `}
            Requests with it are refused.
          </p>
          <p>
            <ButtonLink to={LIST_PATH} variant="secondary">
              Back to API keys
            </ButtonLink>
          </p>
        </Card>
      </>
    );
  }
  return (
    <>
      <PageHeader title={`Revoke ${key.name}?`} breadcrumbs={breadcrumbs} />
      <Card>
        <Form method="post" className="stack" aria-labelledby="revoke-question">
          {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
          <p id="revoke-question">
            <strong>{`Revoke the key ${key.name} (${maskedKey(key.prefix)})?`}</strong> Every request made with it is refused from then on, within a few seconds
            on every server. This cannot be undone: the system using it will need a new key.
          </p>
          <dl className="detail-list">
            <dt>Scopes</dt>
            <dd>{key.scopes.map((scope) => API_KEY_SCOPE_DETAILS[scope].label).join(", ")}</dd>
            <dt>Created</dt>
            <dd>{`${formatDate(key.createdAt)}${key.createdByName ? ` by ${key.createdByName}` : ""}`}</dd>
            <dt>Last used</dt>
            <dd>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "Never"}</dd>
          </dl>
          <div className="cluster">
            <Button type="submit" variant="danger" pending={pending} pendingText="Revoking…">
              {`Revoke ${key.name}`}
            </Button>
            <ButtonLink to={LIST_PATH} variant="secondary">
              Cancel
            </ButtonLink>
          </div>
        </Form>
      </Card>
    </>
  );
}
