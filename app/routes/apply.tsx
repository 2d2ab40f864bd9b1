import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { applicationStatusPath } from "~/domain/applications/catalog";
import { ApplySchema } from "~/domain/applications/schemas.server";
import { submitApplication } from "~/domain/applications/submit.server";
import { getBranding, getProgramRules } from "~/domain/settings/program.server";
import { clientMeta, domainFailure, invalid, parseForm } from "~/lib/forms.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { getUser } from "~/lib/guards.server";
import { AuthShell, PublicShell } from "~/components/shell";
import { ApplicationForm } from "~/components/application-form";

export const meta: MetaFunction = () => [{ title: "Apply to become a partner" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [branding, rules, user] = await Promise.all([getBranding(context.app.db), getProgramRules(context.app.db), getUser(context, request)]);
  return { branding, rules: { partnerTypesOffered: rules.partnerTypesOffered, channelsOffered: rules.channelsOffered }, user: user && { name: user.name, email: user.email, role: user.role } };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(formData, ApplySchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const { reference } = await submitApplication(context.app, parsed.data, clientMeta(request, context), await canonicalOrigin(context.app));
    return { ok: true as const, reference, email: parsed.data.email };
  } catch (error) {
    return domainFailure(error, formData);
  }
}

export default function ApplyRoute() {
  const { branding, rules, user } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";

  if (actionData && "reference" in actionData) {
    return (
      <AuthShell branding={branding} user={user} title="Application received">
        <p>
          Thank you. Your reference is <strong className="reference">{actionData.reference}</strong>.
        </p>
        <p className="muted">
          We sent a confirmation to {actionData.email}. Our team reviews every application and will email you with a decision.
        </p>
        <p>
          <Link to={applicationStatusPath(actionData.reference)}>Check your application's status</Link> · <Link to="/">Back to the program page</Link>
        </p>
      </AuthShell>
    );
  }

  const failure = actionData && !("reference" in actionData) ? actionData : null;
  return (
    <PublicShell branding={branding} user={user}>
      <div className="stack stack--lg apply">
        <header className="stack stack--sm">
          <h1>Apply to {branding.name}</h1>
          <p className="lead">{branding.tagline}</p>
          <p className="muted">Tell us about you and your audience. It takes about five minutes; fields marked * are required.</p>
        </header>
        <ApplicationForm offered={rules} values={failure?.values ?? {}} failure={failure} pending={pending} submitLabel="Submit application" />
      </div>
    </PublicShell>
  );
}
