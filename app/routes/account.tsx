import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { changePassword } from "~/domain/accounts/passwords.server";
import { emailPreferencesFor, setEmailPreferences, type EmailPreference } from "~/domain/notifications/notify.server";
import { EmailPreferencesSchema } from "~/domain/notifications/schemas.server";
import { ChangePasswordSchema } from "~/domain/accounts/schemas.server";
import { roleLabel } from "~/domain/accounts/roles";
import { clientMeta, invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { actorOf, requireUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { AreaShell } from "~/components/area-shell";
import { Button, Card, CheckboxGroupField, Field, FormError, PageHeader } from "~/components/ui";
import { PasswordHint } from "~/components/password-hint";
import type { RootData } from "~/root";

export const meta: MetaFunction = () => [{ title: "Your account" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(context, request);
  return { roleLabel: roleLabel(user.role), preferences: await emailPreferencesFor(context.app.db, user) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(context, request);
  const formData = await request.formData();
  // Two forms: the email preferences say so with their intent; the password form has none.
  if (formData.has("intent")) {
    const prefs = parseForm(formData, EmailPreferencesSchema);
    if (!prefs.ok) return invalid(prefs.failure);
    try {
      const { changed } = await setEmailPreferences(context.app, actorOf(user, context), user, prefs.data.email);
      return redirectWithToast(context, "/account", { kind: "success", message: changed ? "Your email preferences are saved." : "Nothing changed." });
    } catch (error) {
      return domainFailure(error, formData, { context, request });
    }
  }
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
  const { preferences } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting";
  const preferencesSent = navigation.formData?.get("intent") === "email_preferences";
  const pending = submitting && !preferencesSent;
  const preferencesFailure = actionData?.values.intent === "email_preferences" ? actionData : null;
  const failure = preferencesFailure ? null : (actionData ?? null);
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
      <EmailPreferencesCard preferences={preferences} failure={preferencesFailure} pending={submitting && preferencesSent} />
    </AreaShell>
  );
}

const CHOICE_NOTE: Record<EmailPreference["choice"], string | null> = {
  optional: null,
  always: "Always emailed: security and policy emails cannot be turned off.",
  none: "Shown in the app only: no email is sent.",
};

/** One checkbox per kind the person's role receives; security and policy kinds shown ticked and fixed. */
function EmailPreferencesCard({
  preferences,
  failure,
  pending,
}: {
  preferences: EmailPreference[];
  failure: { errors: Record<string, string[] | undefined>; formError: string | null; values: Record<string, string> } | null;
  pending: boolean;
}) {
  if (preferences.length === 0) return null;
  // After an error the boxes show what was sent, not what is stored.
  const typed = failure ? (failure.values.email ?? "").split(",").filter(Boolean) : null;
  const checked = preferences.filter((p) => (p.choice === "optional" && typed ? typed.includes(p.kind) : p.email)).map((p) => p.kind);
  return (
    <Card title="Email notifications" description="Everything below shows in your notifications (the bell). Choose which are also emailed to you.">
      <Form method="post" className="stack form-narrow" noValidate aria-label="Email notifications">
        {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
        <input type="hidden" name="intent" value="email_preferences" />
        <CheckboxGroupField
          legend="Email me about"
          name="email"
          defaultValue={checked}
          error={failure?.errors.email}
          options={preferences.map((p) => ({
            value: p.kind,
            label: p.label,
            description: CHOICE_NOTE[p.choice] ? `${p.description} ${CHOICE_NOTE[p.choice]}` : p.description,
            disabled: p.choice !== "optional",
          }))}
        />
        <div>
          <Button type="submit" variant="primary" pending={pending}>
            Save email preferences
          </Button>
        </div>
      </Form>
    </Card>
  );
}
