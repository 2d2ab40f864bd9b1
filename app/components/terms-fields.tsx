import { useState } from "react";
import { COMMERCIAL_MODELS, CURRENCIES, RATE_MODELS, tierLabel } from "~/domain/partners/catalog";
import { Field, RadioGroupField, SelectField, type FieldError } from "./ui";
import { useHydrated } from "./use-hydrated";

export type TermsFieldValues = {
  tier?: string | undefined;
  commercialModel?: string | undefined;
  rate?: string | undefined;
  amount?: string | undefined;
  currency?: string | undefined;
};

/**
 * Tier and commercial terms, as approving an application and changing a
 * partner's terms ask for them. Without JavaScript both the rate and the
 * amount are shown (the server reads the one the model needs); once the page
 * is interactive only the model's own term is shown and sent, so a value left
 * in the other one cannot fail the form out of sight.
 */
export function CommercialTermsFields({
  tiers,
  values,
  errors = {},
}: {
  tiers: readonly string[];
  values: TermsFieldValues;
  errors?: Record<string, FieldError>;
}) {
  const [model, setModel] = useState<string>(values.commercialModel ?? "revenue_share");
  const interactive = useHydrated();
  const usesRate = (RATE_MODELS as readonly string[]).includes(model);
  const rateOff = interactive && !usesRate;
  const amountOff = interactive && usesRate;
  return (
    <>
      <SelectField
        label="Tier"
        name="tier"
        required
        options={tiers.map((t) => ({ value: t, label: tierLabel(t) }))}
        defaultValue={values.tier ?? (tiers.includes("standard") ? "standard" : tiers[0])}
        error={errors.tier}
      />
      <div
        onChange={(event) => {
          const target = event.target as HTMLInputElement;
          if (target.name === "commercialModel") setModel(target.value);
        }}
      >
        <RadioGroupField
          legend="Commercial model"
          name="commercialModel"
          required
          options={COMMERCIAL_MODELS.map((m) => ({ value: m.value, label: m.label, description: m.description }))}
          defaultValue={model}
          error={errors.commercialModel}
        />
      </div>
      <div hidden={rateOff}>
        <Field
          label="Rate (%)"
          name="rate"
          required={usesRate}
          inputProps={{ inputMode: "decimal", disabled: rateOff }}
          description={interactive ? "For example 12.5" : "For revenue share and lead share, for example 12.5"}
          defaultValue={values.rate}
          error={errors.rate}
        />
      </div>
      <div className="grid-2" hidden={amountOff}>
        <Field
          label="Amount"
          name="amount"
          required={!usesRate}
          inputProps={{ inputMode: "decimal", disabled: amountOff }}
          description={interactive ? undefined : "For a fixed fee or co-op budget"}
          defaultValue={values.amount}
          error={errors.amount}
        />
        <SelectField
          label="Currency"
          name="currency"
          required={!usesRate}
          options={CURRENCIES.map((c) => ({ value: c, label: c }))}
          defaultValue={values.currency ?? "USD"}
          error={errors.currency}
          selectProps={{ disabled: amountOff }}
        />
      </div>
    </>
  );
}
