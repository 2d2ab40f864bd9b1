import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requestPasswordReset } from "~/domain/accounts/passwords.server";
import { ForgotPasswordSchema } from "~/domain/accounts/schemas.server";
import { getBranding } from "~/domain/settings/program.server";
import { clientMeta, invalid, parseForm } from "~/lib/forms.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { requireAnonymous } from "~/lib/guards.server";
import { AuthShell } from "~/components/shell";
import { Button, Field, FormError, FormSuccess } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Reset your password" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAnonymous(context, request);
  return { branding: await getBranding(context.app.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(context, request);
  const formData = await request.formData();
  const parsed = parseForm(formData, ForgotPasswordSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  await requestPasswordReset(context.app, parsed.data.email, clientMeta(request, context), await canonicalOrigin(context.app));
  // The same answer whether or not the address has an account.
  return { ok: true as const, email: parsed.data.email };
}

export default function ForgotPasswordRoute() {
  const { branding } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  if (actionData?.ok) {
    return (
      <AuthShell branding={branding} title="Check your email">
        <FormSuccess>If an account exists for {actionData.email}, we have sent it a link to choose a new password. The link expires in 2 hours.</FormSuccess>
        <p>
          <Link to="/login">Back to sign in</Link>
        </p>
      </AuthShell>
    );
  }
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <AuthShell
      branding={branding}
      title="Reset your password"
      description="Enter the email you sign in with and we will send you a link to choose a new password."
    >
      <Form method="post" className="stack" noValidate>
        {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={failure?.values.email} error={failure?.errors.email} />
        <Button type="submit" variant="primary" pending={pending}>
          Send reset link
        </Button>
      </Form>
      <p className="muted">
        <Link to="/login">Back to sign in</Link>
      </p>
    </AuthShell>
  );
}
