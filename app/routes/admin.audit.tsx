import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { listAuditEvents } from "~/domain/audit/events.server";
import { verifyAuditTrail } from "~/lib/audit-checkpoints.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { requireInternalUser } from "~/lib/guards.server";
import { AUDIT_READER_ROLES } from "~/domain/accounts/roles";
import { Alert, Button, Card, DataTable, EmptyState, PageHeader, ShieldIcon } from "~/components/ui";
import { Pagination } from "~/components/pagination";
import { formatDateTime } from "~/components/format";

export const meta: MetaFunction = () => [{ title: "Audit trail" }];

// Verifying only reads, so it is a GET (?verify=1) like any other query.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, AUDIT_READER_ROLES);
  const url = new URL(request.url);
  const page = pageNumberFrom(request);
  const [events, verification] = await Promise.all([
    listAuditEvents(context.app.db, page),
    url.searchParams.get("verify") === "1" ? verifyAuditTrail(context.app.db, context.app.storage) : Promise.resolve(null),
  ]);
  return { ...events, verification };
}

export default function AuditRoute() {
  const { rows, page, pageCount, total, verification } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every state change, sign-in and decision, append-only. Each entry is chained to the one before by a keyed hash (HMAC-SHA256), and checkpoints of the chain are kept in file storage, so an edited or removed entry is detected."
        actions={
          <Form method="get">
            <input type="hidden" name="verify" value="1" />
            <Button type="submit" variant="secondary">
              Verify integrity
            </Button>
          </Form>
        }
      />
      {verification ? (
        <>
          {verification.chain.ok ? (
            <Alert tone="success" title="The chain is intact">
              All {verification.chain.checked} entries match their hashes.
              {verification.chain.unkeyed ? ` The first ${verification.chain.unkeyed} were written before the chain was keyed and are checked with plain SHA-256.` : null}
            </Alert>
          ) : (
            <Alert tone="danger" title="The chain is broken">
              Entry #{verification.chain.brokenId}: {verification.chain.reason}. {verification.chain.checked} entries before it are intact.
            </Alert>
          )}
          {verification.checkpoint.status === "failed" ? (
            <Alert tone="danger" title="The chain does not match its checkpoint">
              {verification.checkpoint.reason}.
            </Alert>
          ) : verification.checkpoint.status === "ok" ? (
            <Alert tone="success" title="The newest checkpoint matches">
              {verification.checkpoint.checkpoint.rowCount} entries ending at #{verification.checkpoint.checkpoint.headId}, recorded {formatDateTime(verification.checkpoint.checkpoint.writtenAt)}.
            </Alert>
          ) : (
            <Alert tone="info" title="No checkpoint yet">
              Checkpoints are written every hour, on shutdown and by npm run audit:verify.
            </Alert>
          )}
        </>
      ) : null}
      <Card>
        {total === 0 ? (
          <EmptyState icon={<ShieldIcon />} title="Nothing recorded yet" />
        ) : (
          <>
            <DataTable
              caption="Audit events, newest first"
              columns={[
                { key: "id", header: "#" },
                { key: "when", header: "When" },
                { key: "who", header: "Who" },
                { key: "action", header: "Action" },
                { key: "subject", header: "Subject" },
                { key: "details", header: "Details" },
              ]}
              rows={rows}
              getRowKey={(r) => String(r.id)}
              renderCell={(r, key) => {
                switch (key) {
                  case "id":
                    return <span className="muted">{r.id}</span>;
                  case "when":
                    return formatDateTime(r.occurredAt);
                  case "who":
                    return (
                      <div>
                        <div>{r.actorLabel}</div>
                        {r.ip ? <div className="muted small">{r.ip}</div> : null}
                      </div>
                    );
                  case "action":
                    return <code>{r.action}</code>;
                  case "subject":
                    return (
                      <span>
                        {r.subjectType}
                        {r.subjectId ? <span className="muted small"> {r.subjectId}</span> : null}
                      </span>
                    );
                  case "details":
                    return Object.keys(r.data).length ? <code className="small">{JSON.stringify(r.data)}</code> : null;
                  default:
                    return null;
                }
              }}
            />
            <Pagination page={page} pageCount={pageCount} />
          </>
        )}
      </Card>
    </>
  );
}
