import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { CHANNELS, PARTNER_TYPES, REGIONS } from "~/domain/applications/catalog";
import { Alert, Button, Card, CheckboxField, CheckboxGroupField, Field, FormError, RadioGroupField, TextareaField } from "./ui";

type Failure = { formError: string | null; errors: Record<string, string[] | undefined>; values: Record<string, string> } | null;

/**
 * The application's questions, for a first application and for amending one.
 * `values` are the answers to show: what was typed after a failed submit, or
 * the stored answers when amending.
 */
export function ApplicationForm({
  offered,
  values,
  failure,
  pending,
  submitLabel,
  lockedEmail,
  hidden,
}: {
  offered: { partnerTypesOffered: string[]; channelsOffered: string[] };
  values: Record<string, string | undefined>;
  failure: Failure;
  pending: boolean;
  submitLabel: string;
  /** When amending, the email address identifies the applicant and cannot change. */
  lockedEmail?: string;
  hidden?: ReactNode;
}) {
  const v = values;
  const e = failure?.errors ?? {};
  const many = (name: string) => v[name]?.split(",").filter(Boolean);
  return (
    <Form method="post" className="stack stack--lg" noValidate>
      {hidden}
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
          {lockedEmail ? (
            <Field label="Email" name="email" type="email" defaultValue={lockedEmail} description="The address you applied with; it cannot change." inputProps={{ readOnly: true }} />
          ) : (
            <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={v.email} error={e.email} />
          )}
          <Field label="Website" name="website" type="url" autoComplete="url" placeholder="https://example.com" defaultValue={v.website} error={e.website} />
        </div>
        <Field label="Social handles" name="socialHandles" description="For example @yourbrand on Instagram, youtube.com/@yourchannel" defaultValue={v.socialHandles} error={e.socialHandles} />
      </Card>
      <Card title="Your partnership">
        <RadioGroupField legend="What kind of partner are you?" name="partnerType" required options={PARTNER_TYPES.filter((t) => offered.partnerTypesOffered.includes(t.value))} defaultValue={v.partnerType} error={e.partnerType} columns />
        <CheckboxGroupField legend="Channels you would use" name="channels" required options={CHANNELS.filter((c) => offered.channelsOffered.includes(c.value))} defaultValue={many("channels")} error={e.channels} columns />
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
        label={
          <>
            I agree that the program may store and use these details to review my application, as described in the{" "}
            <a href="/privacy" target="_blank" rel="noopener">
              privacy notice
            </a>
            .
          </>
        }
        name="privacyConsent"
        value="yes"
        required
        defaultChecked={v.privacyConsent === "yes"}
        error={e.privacyConsent}
      />
      <div>
        <Button type="submit" variant="primary" pending={pending}>
          {submitLabel}
        </Button>
      </div>
    </Form>
  );
}
