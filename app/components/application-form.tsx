import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { AUDIENCE_SIZE_MAX, CHANNELS, LONG_ANSWER_MAX, PARTNER_TYPES, REGIONS, REPLY_MAX_CHARS } from "~/domain/applications/catalog";
import { CountedTextareaField } from "./character-count";
import { ErrorSummary, type ErrorSummaryItem } from "./error-summary";
import { Card, CheckboxField, CheckboxGroupField, Field, FieldErrorMessage, FormError, RadioGroupField, Button } from "./ui";

type Errors = Record<string, string[] | undefined>;
type Failure = { formError: string | null; errors: Errors; values: Record<string, string> } | null;

/**
 * The form's fields in page order, with where an error summary link goes:
 * the control, or a group's first option.
 */
const FIELD_ORDER: readonly (readonly [name: string, target: string])[] = [
  ["company", "field-company"],
  ["contactName", "field-contactName"],
  ["email", "field-email"],
  ["website", "field-website"],
  ["socialHandles", "field-socialHandles"],
  ["partnerType", "field-partnerType-0"],
  ["channels", "field-channels-0"],
  ["regions", "field-regions-0"],
  ["audienceSize", "field-audienceSize"],
  ["audienceDescription", "field-audienceDescription"],
  ["promotionPlan", "field-promotionPlan"],
  ["reply", "field-reply"],
  ["attachment", "field-attachment"],
  ["privacyConsent", "field-privacyConsent"],
];

function summaryItems(errors: Errors): ErrorSummaryItem[] {
  return FIELD_ORDER.flatMap(([name, target]) => (errors[name] ?? []).map((message) => ({ message, target })));
}

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
  multipart = false,
  beforeConsent,
}: {
  offered: { partnerTypesOffered: string[]; channelsOffered: string[] };
  values: Record<string, string | undefined>;
  failure: Failure;
  pending: boolean;
  submitLabel: string;
  /** When amending, the email address identifies the applicant and cannot change. */
  lockedEmail?: string;
  hidden?: ReactNode;
  /** Sent as multipart/form-data, for a form that carries a file (the amend page's reply). */
  multipart?: boolean;
  /** More questions after the standard ones (the amend page's reply). */
  beforeConsent?: ReactNode;
}) {
  const v = values;
  const e = failure?.errors ?? {};
  const many = (name: string) => v[name]?.split(",").filter(Boolean);
  return (
    <Form method="post" className="stack stack--lg" noValidate encType={multipart ? "multipart/form-data" : undefined}>
      {hidden}
      {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
      <ErrorSummary failure={failure} items={summaryItems(e)} intro="Everything you typed is still here. Fix these and send the form again:" />
      <Card title="About you">
        <div className="grid-2">
          <Field label="Company" name="company" autoComplete="organization" required defaultValue={v.company} error={e.company} />
          <Field label="Your name" name="contactName" autoComplete="name" required defaultValue={v.contactName} error={e.contactName} />
          {lockedEmail ? (
            <Field
              label="Email"
              name="email"
              defaultValue={lockedEmail}
              description="The address you applied with; it cannot change."
              inputProps={{ readOnly: true, inputMode: "email" }}
            />
          ) : (
            // type=text: a browser's type=email refuses addresses the mail path takes (zoë@exämple.com).
            <Field
              label="Email"
              name="email"
              autoComplete="email"
              required
              defaultValue={v.email}
              error={e.email}
              inputProps={{ inputMode: "email", spellCheck: false, autoCapitalize: "none" }}
            />
          )}
          {/* type=text: type=url refuses "glowco.example", which the server accepts and completes. */}
          <Field
            label="Website"
            name="website"
            autoComplete="url"
            placeholder="https://example.com"
            description="With or without https://"
            defaultValue={v.website}
            error={e.website}
            inputProps={{ inputMode: "url", spellCheck: false, autoCapitalize: "none" }}
          />
        </div>
        <Field
          label="Social handles"
          name="socialHandles"
          description="For example @yourbrand on Instagram, youtube.com/@yourchannel"
          defaultValue={v.socialHandles}
          error={e.socialHandles}
        />
      </Card>
      <Card title="Your partnership">
        <RadioGroupField
          legend="What kind of partner are you?"
          name="partnerType"
          required
          options={PARTNER_TYPES.filter((t) => offered.partnerTypesOffered.includes(t.value))}
          defaultValue={v.partnerType}
          error={e.partnerType}
          columns
        />
        <CheckboxGroupField
          legend="Channels you would use"
          name="channels"
          required
          options={CHANNELS.filter((c) => offered.channelsOffered.includes(c.value))}
          defaultValue={many("channels")}
          error={e.channels}
          columns
        />
        <CheckboxGroupField
          legend="Regions your audience is in"
          name="regions"
          required
          options={[...REGIONS]}
          defaultValue={many("regions")}
          error={e.regions}
          columns
        />
        {/* type=text: a number input refuses "85,000"; the server reads separators (WholeNumber). */}
        <Field
          label="Audience size"
          name="audienceSize"
          required
          description={`Monthly readers, subscribers or followers, whichever is largest: a whole number from 0 to ${AUDIENCE_SIZE_MAX.toLocaleString("en")}, such as 85,000.`}
          defaultValue={v.audienceSize}
          error={e.audienceSize}
          inputProps={{ inputMode: "numeric", maxLength: 40 }}
        />
      </Card>
      <Card title="Your audience and plan">
        <CountedTextareaField
          label="Describe your audience"
          name="audienceDescription"
          rows={4}
          required
          maxLength={LONG_ANSWER_MAX}
          defaultValue={v.audienceDescription}
          error={e.audienceDescription}
        />
        <CountedTextareaField
          label="How would you promote us?"
          name="promotionPlan"
          rows={4}
          required
          maxLength={LONG_ANSWER_MAX}
          defaultValue={v.promotionPlan}
          error={e.promotionPlan}
        />
      </Card>
      {beforeConsent}
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

/**
 * The amend page's answer to the reviewer: a text reply and one file
 * (PDF, PNG or JPEG up to 10 MB, checked from its content on the server).
 * A browser never refills a file input, so after an error the file must be
 * chosen again; the hint says so.
 */
export function ReplyFields({ values, errors, fileRefused }: { values: Record<string, string | undefined>; errors: Errors; fileRefused: boolean }) {
  return (
    <Card title="Your answer" description="Optional. Answer the question here, and attach a document if it helps.">
      <CountedTextareaField label="Your reply" name="reply" rows={4} maxLength={REPLY_MAX_CHARS} defaultValue={values.reply} error={errors.reply} />
      <div className="field">
        <label className="field__label" htmlFor="field-attachment">
          Attach a file
        </label>
        <div id="field-attachment-description" className="field__description">
          One PDF, PNG or JPEG, up to 10 MB.{fileRefused ? " If you had chosen a file, choose it again." : ""}
        </div>
        <input
          id="field-attachment"
          className="input"
          type="file"
          name="attachment"
          accept="application/pdf,image/png,image/jpeg"
          aria-invalid={errors.attachment ? true : undefined}
          aria-describedby={errors.attachment ? "field-attachment-description field-attachment-error" : "field-attachment-description"}
        />
        {errors.attachment ? <FieldErrorMessage id="field-attachment-error" messages={errors.attachment} /> : null}
      </div>
    </Card>
  );
}
