import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { acceptInvitation, describeInvitation } from "~/domain/accounts/invitations.server";
import { AcceptInvitationSchema } from "~/domain/accounts/schemas.server";
import { roleLabel } from "~/domain/accounts/roles";
import { getBranding } from "~/domain/settings/program.server";
import { clientMeta, invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { homePathFor } from "~/lib/guards.server";
import { AuthShell } from "~/components/shell";
import { Button, Field, FormError } from "~/components/ui";
import { PasswordHint } from "~/components/password-hint";

export const meta: MetaFunction = () => [{ title: "Accept your invitation" }, { name: "referrer", content: "no-referrer" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  const [branding, invitation] = await Promise.all([getBranding(context.app.db), describeInvitation(context.app, token)]);
  return { branding, token, invitation: invitation.valid ? { ...invitation, roleLabel: roleLabel(invitation.role) } : invitation };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(formData, AcceptInvitationSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const result = await acceptInvitation(context.app, parsed.data.token, parsed.data, clientMeta(request, context));
    return redirect(homePathFor({ role: result.role as "partner" }), { headers: { "Set-Cookie": result.setCookie } });
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

export default function InvitationRoute() {
  const { branding, token, invitation } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  if (!invitation.valid) {
    return (
      <AuthShell branding={branding} title="This invitation can't be used" description={invitation.message}>
        <p className="muted">Ask the person who invited you to send a new invitation.</p>
        <p>
          <Link to="/login">Go to sign in</Link>
        </p>
      </AuthShell>
    );
  }
  return (
    <AuthShell
      branding={branding}
      title={`Join ${branding.name}`}
      description={`${
        invitation.organisationName
          ? invitation.partnerRole === "owner"
            ? `You are invited to set up ${invitation.organisationName}'s partner account as its owner, with ${invitation.email}.`
            : `You are invited to join ${invitation.organisationName}'s partner team, with ${invitation.email}.`
          : `You have been invited as ${invitation.roleLabel.toLowerCase()} with ${invitation.email}.`
      } ${invitation.name ? "Check your name and choose a password to activate your account." : "Choose your name and a password to activate your account."}`}
    >
      <Form method="post" className="stack" noValidate>
        {actionData?.formError ? <FormError>{actionData.formError}</FormError> : null}
        <input type="hidden" name="token" value={token ?? ""} />
        <Field
          label="Your name"
          name="name"
          autoComplete="name"
          required
          defaultValue={actionData?.values.name ?? invitation.name ?? undefined}
          error={actionData?.errors.name}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          description={<PasswordHint />}
          error={actionData?.errors.password}
        />
        <Field
          label="Repeat the password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          error={actionData?.errors.confirmPassword}
        />
        <Button type="submit" variant="primary" pending={pending}>
          Activate account
        </Button>
      </Form>
    </AuthShell>
  );
}
