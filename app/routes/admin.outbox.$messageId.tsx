import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getOutboxMessage } from "~/domain/notifications/outbox.server";
import { requireInternalUser } from "~/lib/guards.server";
import { Card, PageHeader } from "~/components/ui";
import { formatDateTime } from "~/components/format";
import { OutboxStatusBadge } from "~/components/outbox-status";
import { LinkifiedText } from "~/components/linkified-text";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.message.payload.subject ?? "Email" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, ["admin"]);
  const id = Number(params.messageId);
  const message = Number.isSafeInteger(id) && id > 0 ? await getOutboxMessage(context.app.db, id) : null;
  if (!message) throw new Response("Not found", { status: 404 });
  return { message };
}

export default function OutboxMessageRoute() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={message.payload.subject}
        breadcrumbs={[{ to: "/admin/outbox", label: "Outbox" }]}
        meta={<OutboxStatusBadge status={message.status} attempts={message.attempts} />}
      />
      <Card>
        <dl className="details-list">
          <dt>To</dt>
          <dd>{message.payload.to}</dd>
          <dt>Queued</dt>
          <dd>{formatDateTime(message.createdAt)}</dd>
          <dt>Delivered</dt>
          <dd>{message.deliveredAt ? formatDateTime(message.deliveredAt) : "Not yet"}</dd>
          <dt>Attempts</dt>
          <dd>{message.attempts}</dd>
          {message.lastError ? (
            <>
              <dt>Last error</dt>
              <dd>{message.lastError}</dd>
            </>
          ) : null}
        </dl>
      </Card>
      <Card title="Message">
        <div className="email-body">
          <LinkifiedText text={message.payload.text} />
        </div>
      </Card>
      <p>
        <Link to="/admin/outbox">← Back to the outbox</Link>
      </p>
    </>
  );
}
