import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { isSetupTokenValid, completeSetup } from "~/domain/accounts/setup.server";
import { SetupSchema } from "~/domain/accounts/schemas.server";
import { DEFAULT_BRANDING } from "~/domain/settings/program.server";
import { clientMeta, invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { notFound } from "~/lib/http.server";
import { redirectWithToast } from "~/lib/toast.server";
import { AuthShell } from "~/components/shell";
import { Button, Field, FormError } from "~/components/ui";
import { PasswordHint } from "~/components/password-hint";

export const meta: MetaFunction = () => [{ title: "Set up Cobrand" }, { name: "referrer", content: "no-referrer" }];

// Exists only on an empty database and only with the token printed at start.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  if (!(await isSetupTokenValid(context.app.db, token))) notFound();
  return { token: token!, defaultProgramName: DEFAULT_BRANDING.name, siteOrigin: new URL(request.url).origin };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const token = formData.get("token");
  if (typeof token !== "string" || !(await isSetupTokenValid(context.app.db, token))) {
    notFound();
  }
  const parsed = parseForm(formData, SetupSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    // The one place a request's own origin is used: only the token holder reaches this line.
    const siteOrigin = new URL(request.url).origin;
    const { setCookie } = await completeSetup(context.app, parsed.data, clientMeta(request, context), siteOrigin);
    const welcome = {
      kind: "success",
      title: "Your program is ready",
      message: "Next, invite your team and set the program's colour and description.",
    } as const;
    return redirectWithToast(context, "/admin", welcome, { headers: { "Set-Cookie": setCookie } });
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

export default function SetupRoute() {
  const { token, defaultProgramName, siteOrigin } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  return (
    <AuthShell
      branding={{ name: "Cobrand" }}
      title="Set up your partner program"
      description="Create the first admin account. This page works once: after this, it no longer exists."
    >
      <p className="muted small">
        Links in emails will point to <strong>{siteOrigin}</strong>, the address you opened this page at. You can change it later in Settings.
      </p>
      <Form method="post" className="stack" noValidate>
        {actionData?.formError ? <FormError>{actionData.formError}</FormError> : null}
        <input type="hidden" name="token" value={token} />
        <Field
          label="Program name"
          name="programName"
          required
          defaultValue={actionData?.values.programName ?? defaultProgramName}
          description="Shown to partners on every page. You can change it later."
          error={actionData?.errors.programName}
        />
        <Field label="Your name" name="name" autoComplete="name" required defaultValue={actionData?.values.name} error={actionData?.errors.name} />
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={actionData?.values.email} error={actionData?.errors.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          description={<PasswordHint />}
          error={actionData?.errors.password}
        />
        <Button type="submit" variant="primary" pending={pending}>
          Create admin account
        </Button>
      </Form>
    </AuthShell>
  );
}
