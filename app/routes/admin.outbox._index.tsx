import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listOutboxMessages } from "~/domain/notifications/outbox.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { requireInternalUser } from "~/lib/guards.server";
import { mailModeOf } from "~/lib/mail.server";
import { Badge, Card, DataTable, EmptyState, InboxIcon, PageHeader } from "~/components/ui";
import { Pagination } from "~/components/pagination";
import { formatDateTime } from "~/components/format";
import { OutboxStatusBadge } from "~/components/outbox-status";

export const meta: MetaFunction = () => [{ title: "Outbox" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, ["admin"]);
  const page = pageNumberFrom(request);
  const result = await listOutboxMessages(context.app.db, page);
  return { ...result, mailMode: mailModeOf(context.app.config) };
}

export default function OutboxRoute() {
  const { rows, page, pageCount, total, mailMode } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Outbox"
        description={
          mailMode === "smtp"
            ? "Every email the program sends, with its delivery status. Failed deliveries are retried with increasing delays."
            : "SMTP is not configured, so emails are kept here instead of being sent. Set SMTP_URL to deliver them."
        }
        actions={<Badge tone={mailMode === "smtp" ? "success" : "info"}>{mailMode === "smtp" ? "Sending by SMTP" : "Keeping emails"}</Badge>}
      />
      <Card>
        {total === 0 ? (
          <EmptyState icon={<InboxIcon />} title="No emails yet" description="Invitations, password resets and notifications will appear here." />
        ) : (
          <>
            <DataTable
              caption="Emails"
              columns={[
                { key: "subject", header: "Subject" },
                { key: "to", header: "To" },
                { key: "status", header: "Status" },
                { key: "created", header: "Queued" },
              ]}
              rows={rows}
              getRowKey={(r) => String(r.id)}
              renderCell={(r, key) => {
                switch (key) {
                  case "subject":
                    return <Link to={`/admin/outbox/${r.id}`}>{r.subject}</Link>;
                  case "to":
                    return r.to;
                  case "status":
                    return <OutboxStatusBadge status={r.status} attempts={r.attempts} />;
                  case "created":
                    return formatDateTime(r.createdAt);
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
