import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getOutboxMessageForViewer } from "~/domain/notifications/outbox.server";
import { idParam } from "~/lib/forms.server";
import { requireInternalUser } from "~/lib/guards.server";
import { mailModeOf } from "~/lib/mail.server";
import { notFound } from "~/lib/http.server";
import { Alert, Card, PageHeader } from "~/components/ui";
import { formatDateTime } from "~/components/format";
import { OutboxStatusDetails } from "~/components/outbox-status";
import { LinkifiedText } from "~/components/linkified-text";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.message.payload.subject ?? "Email" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await requireInternalUser(context, request, ["admin"]);
  const id = idParam(params, "messageId", "serial");
  const mailMode = mailModeOf(context.app.config);
  const found = await getOutboxMessageForViewer(context.app.db, id, admin, mailMode, context.app.clock.now());
  if (!found) notFound();
  return { ...found, mailMode };
}

export default function OutboxMessageRoute() {
  const { message, tokensHidden, mailMode } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={message.payload.subject} breadcrumbs={[{ to: "/admin/outbox", label: "Outbox" }]} />
      <Card>
        <dl className="details-list">
          <dt>To</dt>
          <dd>{message.payload.to}</dd>
          <dt>Queued</dt>
          <dd>{formatDateTime(message.createdAt)}</dd>
          <OutboxStatusDetails status={message.status} attempts={message.attempts} finishedAt={message.deliveredAt} />
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
      {tokensHidden ? (
        <Alert tone="info" live={false}>
          {mailMode === "smtp"
            ? "One-time links are hidden here: only the recipient receives them."
            : "This email's one-time link has been used, withdrawn or has expired, so it is hidden."}
        </Alert>
      ) : null}
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
