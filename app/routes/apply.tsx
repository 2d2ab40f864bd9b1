import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ApplySchema } from "~/domain/applications/schemas.server";
import { submittedLocation, submitApplication } from "~/domain/applications/submit.server";
import { getBranding, getProgramRules } from "~/domain/settings/program.server";
import { clientMeta, invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { getUser } from "~/lib/guards.server";
import { PublicShell } from "~/components/shell";
import { ApplicationForm } from "~/components/application-form";

export const meta: MetaFunction = () => [{ title: "Apply to become a partner" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [branding, rules, user] = await Promise.all([getBranding(context.app.db), getProgramRules(context.app.db), getUser(context, request)]);
  return {
    branding,
    rules: { partnerTypesOffered: rules.partnerTypesOffered, channelsOffered: rules.channelsOffered },
    user: user && { name: user.name, email: user.email, role: user.role },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseForm(formData, ApplySchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const { reference } = await submitApplication(context.app, parsed.data, clientMeta(request, context), await canonicalOrigin(context.app));
    // Post/redirect/get: reloading the confirmation shows it again instead of an empty form.
    return redirect(submittedLocation(reference));
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

export default function ApplyRoute() {
  const { branding, rules, user } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";

  const failure = actionData ?? null;
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
