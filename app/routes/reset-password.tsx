import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { describeResetToken, resetPassword } from "~/domain/accounts/passwords.server";
import { ResetPasswordSchema } from "~/domain/accounts/schemas.server";
import { getBranding } from "~/domain/settings/program.server";
import { clientMeta, invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { redirectWithToast } from "~/lib/toast.server";
import { AuthShell } from "~/components/shell";
import { Button, Field, FormError } from "~/components/ui";
import { PasswordHint } from "~/components/password-hint";

// The token is in the URL: keep it out of Referer headers.
export const meta: MetaFunction = () => [{ title: "Choose a new password" }, { name: "referrer", content: "no-referrer" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  const [branding, state] = await Promise.all([getBranding(context.app.db), describeResetToken(context.app, token)]);
  return { branding, token, state };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(formData, ResetPasswordSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    await resetPassword(context.app, parsed.data.token, parsed.data.password, clientMeta(request, context));
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(
    context,
    "/login",
    { kind: "success", message: "Your password has been changed. Sign in with the new one." },
    { headers: { "Set-Cookie": context.app.auth.blankCookie() } },
  );
}

export default function ResetPasswordRoute() {
  const { branding, token, state } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  if (!state.valid) {
    return (
      <AuthShell branding={branding} title="This link can't be used" description={state.message}>
        <p>
          <Link to="/forgot-password" className="button button--primary">
            Ask for a new link
          </Link>
        </p>
      </AuthShell>
    );
  }
  return (
    <AuthShell branding={branding} title="Choose a new password" description={`For ${state.email}. Every signed-in session of this account will end.`}>
      <Form method="post" className="stack" noValidate>
        {actionData?.formError ? <FormError>{actionData.formError}</FormError> : null}
        <input type="hidden" name="token" value={token ?? ""} />
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          description={<PasswordHint />}
          error={actionData?.errors.password}
        />
        <Field
          label="Repeat the new password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          error={actionData?.errors.confirmPassword}
        />
        <Button type="submit" variant="primary" pending={pending}>
          Save new password
        </Button>
      </Form>
    </AuthShell>
  );
}
