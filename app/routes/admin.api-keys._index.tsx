import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { API_KEY_MANAGER_ROLES } from "~/domain/accounts/roles";
import { API_KEY_SCOPE_DETAILS, API_KEY_STATUS_LABELS, maskedKey, type ApiKeyStatus } from "~/domain/api-keys/catalog";
import { listApiKeys } from "~/domain/api-keys/keys.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { requireInternalUser } from "~/lib/guards.server";
import { formatDate, formatDateTime } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { Badge, ButtonLink, Card, DataTable, EmptyState, KeyIcon, PageHeader, PlusIcon, type BadgeTone } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "API keys" }];

/** Where the API's reference lives (the endpoints, with curl examples). */
const API_DOCS_PATH = "/admin/api";

/** Every API key, newest first, with its scopes, who made it, its expiry, its last use and whether it still works (issue 16 §1). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, API_KEY_MANAGER_ROLES);
  return listApiKeys(context.app, pageNumberFrom(request));
}

const STATUS_TONES: Record<ApiKeyStatus, BadgeTone> = { active: "success", expired: "warning", revoked: "neutral" };

export default function ApiKeysRoute() {
  const { rows, total, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let your own systems use the Cobrand API: your shop or billing system records conversions and refunds, your dashboards read reports and tracking links. Each key is shown once, when it is made."
        actions={
          <ButtonLink to="/admin/api-keys/new" variant="primary" icon={<PlusIcon />}>
            New key
          </ButtonLink>
        }
      />
      <Card flush={rows.length > 0}>
        <DataTable
          caption={`${total} ${total === 1 ? "API key" : "API keys"}, newest first`}
          captionHidden
          className="api-keys-table"
          columns={[
            { key: "key", header: "Key", rowHeader: true },
            { key: "scopes", header: "Scopes" },
            { key: "created", header: "Created" },
            { key: "expires", header: "Expires" },
            { key: "used", header: "Last used" },
            { key: "status", header: "Status" },
          ]}
          rows={rows}
          getRowKey={(row) => row.id}
          empty={
            <EmptyState
              headingLevel={2}
              icon={<KeyIcon />}
              title="No API keys yet"
              description={
                <>
                  <p>
                    Your checkout or billing system needs a key to tell Cobrand about orders (conversions) and refunds, so partners are credited for the sales
                    they bring. Reporting tools need one to read clicks, conversions and links.
                  </p>
                  <p>
                    Give each system its own key with only the scopes it needs: you can then revoke one without stopping the others. The{" "}
                    <Link to={API_DOCS_PATH}>API documentation</Link> shows how to call each endpoint.
                  </p>
                </>
              }
              action={
                <ButtonLink to="/admin/api-keys/new" variant="primary" icon={<PlusIcon />}>
                  Make the first key
                </ButtonLink>
              }
            />
          }
          renderCell={(row, key) => {
            switch (key) {
              case "key":
                return (
                  <span className="stack stack--xs">
                    <span>{row.name}</span>
                    <code className="small">{maskedKey(row.prefix)}</code>
                  </span>
                );
              case "scopes":
                return (
                  <ul className="api-key-scopes" role="list">
                    {row.scopes.map((scope) => (
                      <li key={scope}>
                        <code className="small">{scope}</code>
                        <span className="visually-hidden"> ({API_KEY_SCOPE_DETAILS[scope].label})</span>
                      </li>
                    ))}
                  </ul>
                );
              case "created":
                return (
                  <span className="stack stack--xs">
                    <span>{formatDate(row.createdAt)}</span>
                    {row.createdByName ? <span className="muted small">by {row.createdByName}</span> : null}
                  </span>
                );
              case "expires":
                // expiresAt is the first instant it no longer works: the day before is the last day it does.
                return row.expiresAt ? formatDate(new Date(new Date(row.expiresAt).getTime() - 1)) : <span className="muted">Never</span>;
              case "used":
                return row.lastUsedAt ? formatDateTime(row.lastUsedAt) : <span className="muted">Never</span>;
              case "status":
                return (
                  <span className="stack stack--xs">
                    <Badge tone={STATUS_TONES[row.status]} dot>
                      {API_KEY_STATUS_LABELS[row.status]}
                    </Badge>
                    {row.status === "revoked" && row.revokedAt ? (
                      <span className="muted small">
                        {formatDate(row.revokedAt)}
                        {row.revokedByName ? ` by ${row.revokedByName}` : ""}
                      </span>
                    ) : (
                      <Link to={`/admin/api-keys/${row.id}/revoke`} className="small">
                        Revoke<span className="visually-hidden"> {row.name}</span>
                      </Link>
                    )}
                  </span>
                );
              default:
                return null;
            }
          }}
        />
        <Pagination page={page} pageCount={pageCount} />
      </Card>
      <p className="muted small">
        Expiry dates are in UTC: a key works until the end of its last day. &ldquo;Last used&rdquo; is updated at most once a minute. See the{" "}
        <Link to={API_DOCS_PATH}>API documentation</Link>.
      </p>
    </>
  );
}
