import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { changePassword } from "~/domain/accounts/passwords.server";
import { ChangePasswordSchema } from "~/domain/accounts/schemas.server";
import { roleLabel } from "~/domain/accounts/roles";
import { clientMeta, invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { requireUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { AreaShell } from "~/components/area-shell";
import { Button, Card, Field, FormError, PageHeader } from "~/components/ui";
import { PasswordHint } from "~/components/password-hint";
import type { RootData } from "~/root";

export const meta: MetaFunction = () => [{ title: "Your account" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(context, request);
  return { roleLabel: roleLabel(user.role) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(context, request);
  const formData = await request.formData();
  const parsed = parseForm(formData, ChangePasswordSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const { setCookie } = await changePassword(context.app, user.id, parsed.data, clientMeta(request, context));
    // Every old session is gone, this one included: redirect with the new cookie
    // so the next page loads under the new session.
    return redirectWithToast(
      context,
      "/account",
      { kind: "success", message: "Your password has been changed. Your other sessions have been signed out." },
      { headers: { "Set-Cookie": setCookie } },
    );
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

export default function AccountRoute() {
  const root = useRouteLoaderData<RootData>("root");
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const failure = actionData ?? null;
  const user = root?.user;
  if (!root || !user) return null;
  return (
    <AreaShell branding={root.branding} user={user}>
      <PageHeader title="Your account" description={`${user.email} · ${roleLabel(user.role)}`} />
      <Card title="Change password">
        <Form method="post" className="stack form-narrow" noValidate>
          {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            error={failure?.errors.currentPassword}
          />
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            description={<PasswordHint />}
            error={failure?.errors.newPassword}
          />
          <Field
            label="Repeat the new password"
            name="confirmPassword"
            type="password"
            autoComplete="new-password"
            required
            error={failure?.errors.confirmPassword}
          />
          <div>
            <Button type="submit" variant="primary" pending={pending}>
              Change password
            </Button>
          </div>
        </Form>
      </Card>
    </AreaShell>
  );
}
