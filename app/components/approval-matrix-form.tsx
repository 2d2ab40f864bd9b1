import { Form } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import { labelOf, PARTNER_TYPES } from "~/domain/applications/catalog";
import { tierLabel } from "~/domain/partners/catalog";
import { REVIEW_STAGES } from "~/domain/review/matrix";
import { describeRule, draftFromForm, MATRIX_FORM_LIMITS, ruleField, type MatrixDraft, type RuleDraft } from "~/domain/review/matrix-form";
import { ErrorSummary, type ErrorSummaryItem } from "./error-summary";
import { Alert, Button, Card, CheckboxField, CheckboxGroupField, Field, FieldErrorMessage, RadioGroupField, SelectField } from "./ui";

type Errors = Record<string, string[] | undefined>;

/** What the page holds after a post that did not save: the draft, its problems, and what an edit button did. */
export type MatrixFormState = {
  draft: MatrixDraft;
  errors: Errors;
  formError: string | null;
  /** What an add, move or remove did to the (unsaved) draft. */
  notice: string | null;
  /** The rule to put the keyboard back on after an edit. */
  focus: number | null;
};

const USES_CLAIMS_OPTIONS = [
  { value: "any", label: "Any: with or without claims" },
  { value: "yes", label: "Uses library claims" },
  { value: "no", label: "Uses no library claims" },
];

const RULE_FIELD_LABELS: Partial<Record<keyof RuleDraft, string>> = {
  name: "name",
  tiers: "tiers",
  partnerTypes: "partner types",
  channels: "channels",
  usesClaims: "uses claims",
  stages: "stages",
  autoApproveWhenClean: "auto-approve",
};

const FIELD_LABELS: Record<string, string> = {
  rules: "Rules",
  mode: "Order of the stages",
  "slaHours.brand": "Brand review hours",
  "slaHours.legal": "Legal review hours",
  "businessHours.timeZone": "Time zone",
  "businessHours.startHour": "Day starts at",
  "businessHours.endHour": "Day ends at",
};

const ruleAnchor = (index: number) => `rule-${index}`;

/** Each error as the summary lists it, named and linked to its field; a rule's own problems link to the rule. */
function summaryItems(errors: Errors): ErrorSummaryItem[] {
  return Object.entries(errors).flatMap(([key, messages]) => {
    const rule = /^rules\.(\d+)(?:\.(\w+))?$/.exec(key);
    const label = rule
      ? `Rule ${Number(rule[1]) + 1}${rule[2] ? `, ${RULE_FIELD_LABELS[rule[2] as keyof RuleDraft] ?? rule[2]}` : ""}`
      : (FIELD_LABELS[key] ?? key);
    const target = rule && !rule[2] ? ruleAnchor(Number(rule[1])) : key === "rules" ? "matrix-rules" : `field-${key}`;
    return (messages ?? []).map((message) => ({ message: `${label}: ${message}`, target }));
  });
}

/**
 * Settings → Review: the approval matrix's ordered rules, the order of the
 * stages, their due times and business hours. One form: Save saves it as a
 * new version; add, move and remove are submit buttons too, so they work
 * without JavaScript, and come back with the change made but not saved.
 */
export function ApprovalMatrixForm({
  basedOn,
  state,
  choices,
  failure,
  pendingIntent,
}: {
  /** The version the form was filled from: a save made meanwhile by someone else is refused, not overwritten. */
  basedOn: number;
  state: MatrixFormState;
  choices: { tiers: readonly string[]; channels: readonly string[] };
  /** The refused answer, if any: each new one moves focus to the summary. */
  failure: object | null;
  pendingIntent: string | null;
}) {
  const { draft, errors, formError, notice, focus } = state;
  // The previews follow what is ticked as the admin edits (with JavaScript); without it they describe the form as sent.
  const [live, setLive] = useState(draft);
  const refresh = (event: FormEvent<HTMLFormElement>) => setLive(draftFromForm(new FormData(event.currentTarget)));
  useEffect(() => {
    if (focus !== null) document.getElementById(ruleAnchor(focus))?.focus();
  }, [focus]);
  const items = summaryItems(errors);
  const unsaved = Boolean(notice) || items.length > 0 || Boolean(formError);
  const { slaHours, hour } = MATRIX_FORM_LIMITS;
  return (
    <Form method="post" className="stack stack--lg approval-matrix" noValidate aria-label="Approval matrix" onChange={refresh}>
      {/* Enter in a field submits with the form's first button: this one, so it saves rather than moves a rule. */}
      <button type="submit" name="intent" value="save" className="visually-hidden" tabIndex={-1} aria-hidden="true">
        Save
      </button>
      <input type="hidden" name="basedOn" value={basedOn} />
      <ErrorSummary
        failure={failure}
        items={formError ? [{ message: formError, target: "matrix-rules" }, ...items] : items}
        intro="Nothing was saved. Everything you entered is still here; fix these and save again:"
      />
      {notice ? (
        <Alert tone="warning" title="Not saved yet">
          <p>{notice} The matrix changes only when you press “Save as a new version”.</p>
        </Alert>
      ) : null}
      <Card
        id="approval-matrix"
        title="Rules"
        description="Rules are evaluated top to bottom and the first that matches a submission decides its stages. An empty list of tiers, partner types or channels means any. The last rule applies to every creative no rule above matches."
      >
        <ol className="matrix-rules" id="matrix-rules" tabIndex={-1}>
          {draft.rules.map((rule, index) => (
            <RuleCard key={index} rule={rule} index={index} count={draft.rules.length} current={live.rules[index] ?? rule} errors={errors} choices={choices} />
          ))}
        </ol>
        <FieldErrorMessage id="matrix-rules-error" messages={errors["rules"] ?? []} />
        <div className="cluster">
          <Button type="submit" name="intent" value="add" variant="secondary" disabled={draft.rules.length >= MATRIX_FORM_LIMITS.rules.max}>
            Add a rule
          </Button>
          <span className="muted small">A new rule goes just above the last one, where it can still apply.</span>
        </div>
      </Card>
      <Card title="Order of the stages" description="For submissions that need both brand and legal review.">
        <RadioGroupField
          legend="Review the stages"
          name="mode"
          options={[
            { value: "sequential", label: "Sequential: brand, then legal", description: "Legal's review and due time start once brand approves." },
            { value: "parallel", label: "Parallel: both at once", description: "Both stages start when the creative is submitted." },
          ]}
          defaultValue={draft.mode}
          error={errors["mode"]}
        />
      </Card>
      <Card id="sla" title="Due times" description="How long each stage has to decide once it starts. Reviewers see “due in 5 h” or “overdue by 2 h”.">
        <div className="stack">
          <div className="matrix-sla">
            {REVIEW_STAGES.map((stage) => (
              <Field
                key={stage.value}
                label={`${stage.label} review: hours to decide`}
                name={`slaHours.${stage.value}`}
                type="number"
                required
                defaultValue={draft.slaHours[stage.value]}
                description={`From ${slaHours.min} to ${slaHours.max}.`}
                error={errors[`slaHours.${stage.value}`]}
                className="field--short"
                inputProps={{ min: slaHours.min, max: slaHours.max, step: 1, inputMode: "numeric" }}
              />
            ))}
          </div>
          <fieldset className="fieldset matrix-hours">
            <legend className="field__label">Business hours</legend>
            <CheckboxField
              label="Count only business hours, Monday to Friday"
              name="businessHours.enabled"
              defaultChecked={draft.businessHours.enabled}
              description="Otherwise the clock runs around the clock, weekends included."
            />
            <div className="matrix-hours__row">
              <Field
                label="Time zone"
                name="businessHours.timeZone"
                defaultValue={draft.businessHours.timeZone}
                description="Such as Europe/Berlin, America/New_York or UTC."
                error={errors["businessHours.timeZone"]}
                inputProps={{ autoCapitalize: "off", spellCheck: false, maxLength: 100 }}
              />
              <Field
                label="Day starts at (hour)"
                name="businessHours.startHour"
                type="number"
                defaultValue={draft.businessHours.startHour}
                error={errors["businessHours.startHour"]}
                className="field--short"
                inputProps={{ min: hour.min, max: hour.max - 1, step: 1, inputMode: "numeric" }}
              />
              <Field
                label="Day ends at (hour)"
                name="businessHours.endHour"
                type="number"
                defaultValue={draft.businessHours.endHour}
                error={errors["businessHours.endHour"]}
                className="field--short"
                inputProps={{ min: hour.min + 1, max: hour.max, step: 1, inputMode: "numeric" }}
              />
            </div>
          </fieldset>
        </div>
      </Card>
      <div className="cluster">
        <Button type="submit" name="intent" value="save" variant="primary" pending={pendingIntent === "save"}>
          Save as a new version
        </Button>
        <span className="muted small">
          {unsaved ? "You have changes that are not saved. " : ""}A change applies to new submissions only: versions in review keep the stages they were given.
        </span>
      </div>
    </Form>
  );
}

function RuleCard({
  rule,
  index,
  count,
  current,
  errors,
  choices,
}: {
  rule: RuleDraft;
  index: number;
  count: number;
  /** The rule as it now stands in the form (the same as `rule` until the admin edits it). */
  current: RuleDraft;
  errors: Errors;
  choices: { tiers: readonly string[]; channels: readonly string[] };
}) {
  const field = (key: keyof RuleDraft) => ruleField(index, key);
  const own = errors[ruleField(index)] ?? [];
  const number = index + 1;
  const last = index === count - 1;
  const name = current.name.trim();
  return (
    <li className="matrix-rule">
      <fieldset
        className="matrix-rule__fieldset"
        id={ruleAnchor(index)}
        tabIndex={-1}
        aria-describedby={[`${ruleAnchor(index)}-preview`, own.length ? `${ruleAnchor(index)}-error` : ""].filter(Boolean).join(" ")}
      >
        <legend className="matrix-rule__legend">
          Rule {number}
          {name ? `: ${name}` : ""}
          {last ? <span className="muted small"> (every other creative)</span> : null}
        </legend>
        <p className="matrix-rule__preview" id={`${ruleAnchor(index)}-preview`}>
          {describeRule(current, { last })}
        </p>
        <FieldErrorMessage id={`${ruleAnchor(index)}-error`} messages={own} />
        <Field
          label="Name"
          name={field("name")}
          required
          defaultValue={rule.name}
          error={errors[field("name")]}
          inputProps={{ maxLength: MATRIX_FORM_LIMITS.nameChars }}
        />
        <div className="matrix-rule__conditions">
          <CheckboxGroupField
            legend="Partner tier"
            description="None ticked: any tier."
            name={field("tiers")}
            options={choices.tiers.map((tier) => ({ value: tier, label: tierLabel(tier) }))}
            defaultValue={rule.tiers}
            error={errors[field("tiers")]}
          />
          <CheckboxGroupField
            legend="Partner type"
            description="None ticked: any type."
            name={field("partnerTypes")}
            options={PARTNER_TYPES}
            defaultValue={rule.partnerTypes}
            error={errors[field("partnerTypes")]}
          />
          <CheckboxGroupField
            legend="Channel"
            description="None ticked: any channel."
            name={field("channels")}
            options={choices.channels.map((channel) => ({ value: channel, label: labelOf(channel) }))}
            defaultValue={rule.channels}
            error={errors[field("channels")]}
          />
        </div>
        <SelectField
          label="Uses claims"
          name={field("usesClaims")}
          options={USES_CLAIMS_OPTIONS}
          defaultValue={rule.usesClaims}
          error={errors[field("usesClaims")]}
        />
        <CheckboxGroupField
          legend="Review stages"
          name={field("stages")}
          required
          options={REVIEW_STAGES}
          defaultValue={rule.stages}
          error={errors[field("stages")]}
          columns
        />
        <CheckboxField
          label="Auto-approve when the pre-screen is clean"
          name={field("autoApproveWhenClean")}
          defaultChecked={rule.autoApproveWhenClean}
          description="For low-risk combinations only: a submission the pre-screen finds nothing in is approved without a reviewer, and the approval says which rule did it."
          error={errors[field("autoApproveWhenClean")]}
        />
        <div className="cluster matrix-rule__actions">
          <Button type="submit" name="intent" value={`up:${index}`} variant="ghost" size="sm" disabled={index === 0}>
            Move up<span className="visually-hidden"> rule {number}</span>
          </Button>
          <Button type="submit" name="intent" value={`down:${index}`} variant="ghost" size="sm" disabled={last}>
            Move down<span className="visually-hidden"> rule {number}</span>
          </Button>
          <Button type="submit" name="intent" value={`remove:${index}`} variant="ghost" size="sm" disabled={count <= MATRIX_FORM_LIMITS.rules.min}>
            Remove<span className="visually-hidden"> rule {number}</span>
          </Button>
        </div>
      </fieldset>
    </li>
  );
}
