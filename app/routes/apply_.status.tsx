import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { referenceFromQuery, StatusCheckSchema } from "~/domain/applications/schemas.server";
import { checkApplicationStatus } from "~/domain/applications/status.server";
import { getBranding } from "~/domain/settings/program.server";
import { clientMeta, invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { getUser } from "~/lib/guards.server";
import { ApplicationStatusBadge } from "~/components/application-parts";
import { formatDate } from "~/components/format";
import { PublicShell } from "~/components/shell";
import { Alert, Button, Field, FormError } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Check your application" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [branding, user] = await Promise.all([getBranding(context.app.db), getUser(context, request)]);
  return { branding, user: user && { name: user.name, email: user.email, role: user.role }, reference: referenceFromQuery(new URL(request.url)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(formData, StatusCheckSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const answer = await checkApplicationStatus(context.app, parsed.data, clientMeta(request, context));
    return data({ ok: true as const, answer, values: { reference: parsed.data.reference, email: parsed.data.email } });
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

const EXPLANATIONS = {
  submitted: "Our team is reviewing it. We will email you with a decision.",
  info_requested: "Our team asked you for more information. Use the link in our email to update your application and send it back.",
  approved: "Welcome aboard. We emailed you an invitation to set up your partner account.",
  rejected: "We were not able to accept this application.",
} as const;

export default function ApplicationStatusRoute() {
  const { branding, user, reference } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const answer = actionData && "answer" in actionData ? actionData.answer : null;
  const failure = actionData && !("answer" in actionData) ? actionData : null;
  // After a check, what was typed; before, the reference from the confirmation's link.
  const values: { reference?: string; email?: string } = actionData?.values ?? { reference };

  return (
    <PublicShell branding={branding} user={user}>
      <section className="auth-card stack" aria-labelledby="status-title">
        <h1 id="status-title">Check your application</h1>
        <p className="muted">
          {reference && !actionData
            ? "Your reference is filled in: enter the email address you applied with."
            : "Enter the reference from your confirmation email and the email address you applied with."}
        </p>
        {answer?.found ? (
          <div className="stack stack--sm" role="status">
            <Alert
              tone={answer.status === "rejected" ? "warning" : answer.status === "approved" ? "success" : "info"}
              title={`${answer.company} · ${answer.reference}`}
              live={false}
            >
              <p>
                <ApplicationStatusBadge status={answer.status} />
              </p>
              <p>{EXPLANATIONS[answer.status]}</p>
              {answer.question ? <p className="prose-block">Our question: {answer.question}</p> : null}
              {answer.reapplyFrom ? <p>You can apply again from {formatDate(answer.reapplyFrom)}.</p> : null}
              <p className="muted text-sm">
                Submitted {formatDate(answer.submittedAt)}
                {answer.decidedAt ? `, decided ${formatDate(answer.decidedAt)}` : ""}.
              </p>
            </Alert>
          </div>
        ) : null}
        {answer && !answer.found ? (
          <FormError title="No application found">
            No application matches this reference and email address. Check both against your confirmation email.
          </FormError>
        ) : null}
        {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
        <Form method="post" className="stack" noValidate>
          <Field
            label="Reference"
            name="reference"
            required
            placeholder="APP-XXXXXXXX"
            defaultValue={values.reference}
            error={failure?.errors.reference}
            inputProps={{ autoCapitalize: "characters", spellCheck: false }}
          />
          <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={values.email} error={failure?.errors.email} />
          <Button type="submit" variant="primary" pending={pending}>
            Check status
          </Button>
        </Form>
        <p className="muted text-sm">
          Not applied yet? <Link to="/apply">Apply to {branding.name}</Link>
        </p>
      </section>
    </PublicShell>
  );
}
