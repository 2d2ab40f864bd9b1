import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { countOutboxByStatus } from "~/domain/notifications/outbox.server";
import { getEmailSettings, sendTestEmail, updateEmailSettings } from "~/domain/settings/email.server";
import { getBranding } from "~/domain/settings/program.server";
import { EmailSettingsFormSchema } from "~/domain/settings/schemas.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { fromWithName, mailModeOf } from "~/lib/mail.server";
import { redirectWithToast } from "~/lib/toast.server";
import { SettingsShell } from "~/components/settings-shell";
import { Alert, Badge, Button, Card, Field, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Email · Settings" }];

const HERE = "/admin/settings/email";

/** The SMTP server's host and port, never its credentials. */
function smtpServerOf(smtpUrl: string | null): string | null {
  if (!smtpUrl) return null;
  try {
    const url = new URL(smtpUrl);
    return `${url.hostname}${url.port ? `:${url.port}` : ""}${url.protocol === "smtps:" ? " (TLS)" : ""}`;
  } catch {
    return "the configured server";
  }
}

/** How MAIL_FROM reads with the chosen name, as recipients will see it. */
function displayFrom(mailFrom: string, name: string | null): string {
  const from = fromWithName(mailFrom, name);
  return typeof from === "string" ? from : `${from.name} <${from.address}>`;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, ["admin"]);
  const { config, db } = context.app;
  const [settings, counts, branding] = await Promise.all([getEmailSettings(db), countOutboxByStatus(db), getBranding(db)]);
  return {
    settings,
    programName: branding.name,
    mailMode: mailModeOf(config),
    smtpServer: smtpServerOf(config.smtpUrl),
    mailFrom: config.mailFrom,
    fromAsSent: displayFrom(config.mailFrom, settings.name),
    waiting: (counts["pending"] ?? 0) + (counts["sending"] ?? 0),
    dead: counts["dead"] ?? 0,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, ["admin"]);
  const formData = await request.formData();
  const parsed = parseForm(formData, EmailSettingsFormSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  if (parsed.data.intent === "test") {
    await sendTestEmail(context.app, { ...actorOf(admin, context), email: admin.email });
    return redirectWithToast(context, HERE, {
      kind: "success",
      title: "Test email queued",
      message: `It goes to ${admin.email} with the next outbox run; its delivery shows in the outbox.`,
    });
  }
  const { intent: _, ...sender } = parsed.data;
  const { changed } = await updateEmailSettings(context.app, actorOf(admin, context), sender);
  if (!changed.length) return redirectWithToast(context, HERE, { kind: "info", message: "Nothing changed." });
  return redirectWithToast(context, HERE, { kind: "success", title: "Email sender saved", message: "Every email from now on is sent with it." });
}

export default function EmailSettingsRoute() {
  const { settings, programName, mailMode, smtpServer, mailFrom, fromAsSent, waiting, dead } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() ?? null;
  const navigation = useNavigation();
  const pendingIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const errors = failure?.errors ?? {};
  return (
    <>
      <PageHeader
        title="Email"
        breadcrumbs={[{ to: "/admin/settings", label: "Settings" }]}
        description="How the program's email leaves: invitations, decisions, reminders and notifications all go through the outbox."
      />
      <SettingsShell current="email">
        <Card
          title="Delivery"
          description="Set on the server: SMTP_URL chooses the mail server and MAIL_FROM the address mail comes from."
          actions={<Badge tone={mailMode === "smtp" ? "success" : "info"}>{mailMode === "smtp" ? "Sending by SMTP" : "Keeping emails"}</Badge>}
        >
          <dl className="detail-list">
            <dt>Mail server</dt>
            <dd>{smtpServer ?? "None: without SMTP_URL, emails are kept in the outbox for admins to read and pass on."}</dd>
            <dt>From address</dt>
            <dd>{mailFrom}</dd>
            <dt>Recipients see</dt>
            <dd>{fromAsSent}</dd>
            <dt>Outbox</dt>
            <dd>
              {waiting === 0 && dead === 0 ? "Nothing waiting. " : null}
              {waiting > 0 ? `${waiting} waiting to be sent. ` : null}
              {dead > 0 ? `${dead} could not be delivered after every retry. ` : null}
              <Link to="/admin/outbox">Open the outbox</Link>
            </dd>
          </dl>
          {dead > 0 ? (
            <Alert tone="warning" live={false} title="Some emails were not delivered">
              <p>Check SMTP_URL and the mail server’s log; the outbox shows each message’s last error.</p>
            </Alert>
          ) : null}
          <Form method="post" className="cluster" noValidate>
            <input type="hidden" name="intent" value="test" />
            <Button type="submit" variant="secondary" pending={pendingIntent === "test"} pendingText="Queueing…">
              Send a test email to me
            </Button>
          </Form>
        </Card>
        <Card title="Sender" description="The name people see the program's email come from, and where their replies go. The address itself stays MAIL_FROM's.">
          <Form method="post" className="stack form-narrow" noValidate aria-label="Email sender">
            <input type="hidden" name="intent" value="sender" />
            <FormError>{failure?.formError}</FormError>
            <Field
              label="Sender name"
              name="name"
              defaultValue={failure?.values["name"] ?? settings.name ?? ""}
              description={`Such as “${programName} Partners”. Empty: MAIL_FROM's own name.`}
              error={errors["name"]}
              inputProps={{ maxLength: 80, autoComplete: "off" }}
            />
            <Field
              label="Reply-to address"
              name="replyTo"
              type="email"
              defaultValue={failure?.values["replyTo"] ?? settings.replyTo ?? ""}
              description="Where replies to the program's email go, such as your partner team's inbox. Empty: replies go to the from address."
              error={errors["replyTo"]}
              inputProps={{ maxLength: 254, autoComplete: "off" }}
            />
            <div>
              <Button type="submit" variant="primary" pending={pendingIntent === "sender"}>
                Save sender
              </Button>
            </div>
          </Form>
        </Card>
      </SettingsShell>
    </>
  );
}
