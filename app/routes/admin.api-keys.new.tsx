import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { API_KEY_MANAGER_ROLES } from "~/domain/accounts/roles";
import { API_KEY_LIMITS, API_KEY_SCOPE_DETAILS, API_KEY_SCOPES, type ApiKeyScope } from "~/domain/api-keys/catalog";
import { createApiKey } from "~/domain/api-keys/keys.server";
import { NewApiKeySchema } from "~/domain/api-keys/schemas.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { formatDate } from "~/components/format";
import { CopyField } from "~/components/link-parts";
import { Alert, Button, ButtonLink, Card, CheckboxGroupField, Field, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "New key · API keys" }];

const LIST_PATH = "/admin/api-keys";
const API_DOCS_PATH = "/admin/api";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, API_KEY_MANAGER_ROLES);
  // The earliest expiry the form offers: today, in UTC (the key then works until midnight UTC).
  return { today: context.app.clock.now().toISOString().slice(0, 10) };
}

/**
 * Makes the key and answers with its secret, rendered once on this page: it
 * is never put in a URL, a redirect or a toast, so nothing keeps it after
 * this response (pages are sent with Cache-Control: no-store).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, API_KEY_MANAGER_ROLES);
  const formData = await request.formData();
  const parsed = parseForm(formData, NewApiKeySchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const { key, secret } = await createApiKey(context.app, actorOf(admin, context), parsed.data);
    return { ok: true as const, created: { name: key.name, prefix: key.prefix, scopes: key.scopes, expiresAt: key.expiresAt, secret } };
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

const SCOPE_OPTIONS = API_KEY_SCOPES.map((scope) => ({
  value: scope,
  label: (
    <>
      {API_KEY_SCOPE_DETAILS[scope].label} <code className="small">{scope}</code>
    </>
  ),
  description: API_KEY_SCOPE_DETAILS[scope].description,
}));

export default function NewApiKeyRoute() {
  const { today } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const breadcrumbs = [{ to: LIST_PATH, label: "API keys" }];
  if (answer && "created" in answer) {
    return (
      <>
        <PageHeader title="Your new API key" breadcrumbs={breadcrumbs} />
        <NewKeySecret created={answer.created} />
      </>
    );
  }
  const failure = answer ?? null;
  const typed = (name: string) => failure?.values[name] ?? "";
  const typedScopes = (failure?.values.scopes ?? "").split(",").filter(Boolean);
  return (
    <>
      <PageHeader
        title="New API key"
        breadcrumbs={breadcrumbs}
        description="One key per system that calls the API, with only the scopes it needs: you can then revoke one without stopping the others."
      />
      <Card>
        <Form method="post" className="stack form-narrow" noValidate aria-label="New API key">
          <FormError>{failure?.formError}</FormError>
          <Field
            label="Name"
            name="name"
            required
            defaultValue={typed("name")}
            error={failure?.errors.name}
            description="Which system uses it, so you know which key to revoke, e.g. Shop checkout (production)."
            inputProps={{ maxLength: API_KEY_LIMITS.nameMax, autoComplete: "off" }}
          />
          <CheckboxGroupField
            legend="Scopes"
            name="scopes"
            required
            options={SCOPE_OPTIONS}
            defaultValue={typedScopes}
            error={failure?.errors.scopes}
            description="What the key may do. A request outside its scopes is refused with 403."
          />
          <Field
            label="Expires after (optional)"
            name="expiresOn"
            type="date"
            defaultValue={typed("expiresOn")}
            error={failure?.errors.expiresOn}
            description="The last day the key works; it stops at the end of that day, UTC. Leave empty for a key that works until you revoke it."
            inputProps={{ min: today }}
          />
          <div className="cluster">
            <Button type="submit" variant="primary" pending={pending} pendingText="Creating…">
              Create key
            </Button>
            <Link to={LIST_PATH}>Cancel</Link>
          </div>
        </Form>
      </Card>
    </>
  );
}

/**
 * The secret, once, with a way to copy it. Focus moves here so a screen
 * reader hears it appear; it works the same without JavaScript (the action's
 * answer is this page).
 */
function NewKeySecret({ created }: { created: { name: string; prefix: string; scopes: ApiKeyScope[]; expiresAt: Date | string | null; secret: string } }) {
  const region = useRef<HTMLElement>(null);
  useEffect(() => region.current?.focus(), []);
  return (
    <section ref={region} tabIndex={-1} aria-labelledby="new-key-title" className="new-key-panel">
      <Card title={<span id="new-key-title">{`“${created.name}” is ready`}</span>}>
        <div className="stack">
          <Alert tone="warning" live={false} title="Copy the key now: it will not be shown again">
            Cobrand keeps only a fingerprint of it, so no one can show it to you later. Store it in your system&apos;s secret settings. If it is lost, revoke it
            and make a new one.
          </Alert>
          <CopyField id="api-key-secret" label="Secret key" name={created.name} value={created.secret} what="key" />
          <dl className="detail-list">
            <dt>Scopes</dt>
            <dd>{created.scopes.map((scope) => API_KEY_SCOPE_DETAILS[scope].label).join(", ")}</dd>
            <dt>Expires</dt>
            <dd>
              {created.expiresAt
                ? `At the end of ${formatDate(new Date(new Date(created.expiresAt).getTime() - 1))} (UTC)`
                : "Never: revoke it when it is no longer used"}
            </dd>
          </dl>
          <p>
            Send it with every request in the <code>Authorization</code> header: <code>Authorization: Bearer {created.prefix}…</code>. The{" "}
            <Link to={API_DOCS_PATH}>API documentation</Link> lists the endpoints, with examples.
          </p>
          <div>
            <ButtonLink to={LIST_PATH} variant="primary">
              I have copied it: back to API keys
            </ButtonLink>
          </div>
        </div>
      </Card>
    </section>
  );
}
