import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CHANNELS, PARTNER_TYPES, REGIONS } from "~/domain/applications/catalog";
import { ApplySchema } from "~/domain/applications/schemas.server";
import { submitApplication } from "~/domain/applications/submit.server";
import { getBranding, getProgramRules } from "~/domain/settings/program.server";
import { appOrigin, clientMeta, domainFailure, invalid, parseForm } from "~/lib/forms.server";
import { getUser } from "~/lib/guards.server";
import { PublicShell } from "~/components/shell";
import { Alert, Button, Card, CheckboxField, CheckboxGroupField, Field, FormError, RadioGroupField, TextareaField } from "~/components/ui";

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
    const { reference } = await submitApplication(context.app, parsed.data, clientMeta(request, context), appOrigin(request, context.app.config.publicUrl));
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
      <PublicShell branding={branding} user={user}>
        <section className="auth-card" aria-labelledby="done-title">
          <h1 id="done-title">Application received</h1>
          <p>
            Thank you. Your reference is <strong className="reference">{actionData.reference}</strong>.
          </p>
          <p className="muted">
            We sent a confirmation to {actionData.email}. Our team reviews every application and will email you with a decision.
          </p>
          <p>
            <Link to="/">Back to the program page</Link>
          </p>
        </section>
      </PublicShell>
    );
  }

  const failure = actionData && !("reference" in actionData) ? actionData : null;
  const v = failure?.values ?? {};
  const e = failure?.errors ?? {};
  const many = (name: string) => v[name]?.split(",");
  return (
    <PublicShell branding={branding} user={user}>
      <div className="stack stack--lg apply">
        <header className="stack stack--sm">
          <h1>Apply to {branding.name}</h1>
          <p className="lead">{branding.tagline}</p>
          <p className="muted">Tell us about you and your audience. It takes about five minutes; fields marked * are required.</p>
        </header>
        <Form method="post" className="stack stack--lg" noValidate>
          {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
          {failure && !failure.formError ? (
            <Alert tone="danger" title="Please check the highlighted fields">
              Everything you typed is still here.
            </Alert>
          ) : null}
          <Card title="About you">
            <div className="grid-2">
              <Field label="Company" name="company" autoComplete="organization" required defaultValue={v.company} error={e.company} />
              <Field label="Your name" name="contactName" autoComplete="name" required defaultValue={v.contactName} error={e.contactName} />
              <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={v.email} error={e.email} />
              <Field label="Website" name="website" type="url" autoComplete="url" placeholder="https://example.com" defaultValue={v.website} error={e.website} />
            </div>
            <Field label="Social handles" name="socialHandles" description="For example @yourbrand on Instagram, youtube.com/@yourchannel" defaultValue={v.socialHandles} error={e.socialHandles} />
          </Card>
          <Card title="Your partnership">
            <RadioGroupField legend="What kind of partner are you?" name="partnerType" required options={PARTNER_TYPES.filter((t) => rules.partnerTypesOffered.includes(t.value))} defaultValue={v.partnerType} error={e.partnerType} columns />
            <CheckboxGroupField legend="Channels you would use" name="channels" required options={CHANNELS.filter((c) => rules.channelsOffered.includes(c.value))} defaultValue={many("channels")} error={e.channels} columns />
            <CheckboxGroupField legend="Regions your audience is in" name="regions" required options={[...REGIONS]} defaultValue={many("regions")} error={e.regions} columns />
            <Field label="Audience size" name="audienceSize" type="number" required description="Monthly readers, subscribers or followers, whichever is largest." defaultValue={v.audienceSize} error={e.audienceSize} inputProps={{ min: 0, step: 1, inputMode: "numeric" }} />
          </Card>
          <Card title="Your audience and plan">
            <TextareaField label="Describe your audience" name="audienceDescription" rows={4} required defaultValue={v.audienceDescription} error={e.audienceDescription} />
            <TextareaField label="How would you promote us?" name="promotionPlan" rows={4} required defaultValue={v.promotionPlan} error={e.promotionPlan} />
          </Card>
          <div className="visually-hidden" aria-hidden="true">
            <label htmlFor="apply-fax">Leave this field empty</label>
            <input id="apply-fax" name="fax" tabIndex={-1} autoComplete="off" />
          </div>
          <CheckboxField
            label="I agree that the program may store and use these details to review my application, as described in the privacy notice."
            name="privacyConsent"
            value="yes"
            required
            defaultChecked={v.privacyConsent === "yes"}
            error={e.privacyConsent}
          />
          <div>
            <Button type="submit" variant="primary" pending={pending}>
              Submit application
            </Button>
          </div>
        </Form>
      </div>
    </PublicShell>
  );
}
