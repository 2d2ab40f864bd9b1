import { Form } from "@remix-run/react";
import { CHANNELS, REGIONS } from "~/domain/applications/catalog";
import { Button, CheckboxGroupField, Field, FormError, SelectField, TextareaField } from "./ui";

export type ClaimFormValues = {
  text: string;
  disclaimers: string;
  category: string;
  channels: string[];
  regions: string[];
  substantiation: string;
  ownerId: string;
  reviewBy: string;
  expiresOn: string;
};

type Failure = { errors: Record<string, string[] | undefined>; formError: string | null; values: Record<string, string> } | null | undefined;

/** What was typed, after a failed submit, or the claim's current values. */
export function claimFormValues(failure: Failure, current: ClaimFormValues): ClaimFormValues {
  if (!failure) return current;
  const v = failure.values;
  const list = (value: string | undefined) => (value ? value.split(",") : []);
  return {
    text: v.text ?? "",
    disclaimers: v.disclaimers ?? "",
    category: v.category ?? "",
    channels: list(v.channels),
    regions: list(v.regions),
    substantiation: v.substantiation ?? "",
    ownerId: v.ownerId ?? "",
    reviewBy: v.reviewBy ?? "",
    expiresOn: v.expiresOn ?? "",
  };
}

/** The claim editor, for a new claim and for changes to an existing one. */
export function ClaimForm({
  values,
  failure,
  owners,
  categories,
  submitLabel,
  pending,
}: {
  values: ClaimFormValues;
  failure: Failure;
  owners: { id: string; name: string }[];
  categories: string[];
  submitLabel: string;
  pending: boolean;
}) {
  const errors = failure?.errors ?? {};
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value="save" />
      {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
      <TextareaField label="Claim" name="text" rows={3} required description="Exactly as partners may use it." defaultValue={values.text} error={errors.text} />
      <TextareaField
        label="Required disclaimers"
        name="disclaimers"
        rows={3}
        required
        description="One per line. Partners always copy the claim together with these."
        defaultValue={values.disclaimers}
        error={errors.disclaimers}
      />
      <Field
        label="Category"
        name="category"
        required
        description="For example Energy savings or Product features."
        defaultValue={values.category}
        error={errors.category}
        inputProps={{ list: "claim-categories" }}
      />
      <datalist id="claim-categories">
        {categories.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <CheckboxGroupField
        legend="Allowed channels"
        name="channels"
        options={CHANNELS}
        defaultValue={values.channels}
        error={errors.channels}
        columns
        required
      />
      <CheckboxGroupField legend="Regions" name="regions" options={REGIONS} defaultValue={values.regions} error={errors.regions} columns required />
      <TextareaField
        label="Substantiation"
        name="substantiation"
        rows={3}
        description="Internal: the evidence behind the claim (study, test report, ticket). Never shown to partners."
        defaultValue={values.substantiation}
        error={errors.substantiation}
      />
      <SelectField
        label="Owner"
        name="ownerId"
        required
        options={owners.map((o) => ({ value: o.id, label: o.name }))}
        defaultValue={values.ownerId}
        error={errors.ownerId}
        placeholder="Choose the owner"
      />
      <div className="form-grid">
        <Field label="Review by" name="reviewBy" type="date" required defaultValue={values.reviewBy} error={errors.reviewBy} />
        <Field
          label="Expires on"
          name="expiresOn"
          type="date"
          description="Optional. Partners stop seeing it after this day."
          defaultValue={values.expiresOn}
          error={errors.expiresOn}
        />
      </div>
      <div className="cluster">
        <Button type="submit" variant="primary" pending={pending}>
          {submitLabel}
        </Button>
      </div>
    </Form>
  );
}
