import { Form } from "@remix-run/react";
import { PARTNER_TYPES } from "~/domain/applications/catalog";
import { CHANNEL_FILE_RULE_FIELDS, channelFieldName, RULES_FORM_LIMITS, type ChannelFileRuleKey } from "~/domain/creatives/rules-form";
import { ErrorSummary, type ErrorSummaryItem } from "./error-summary";
import { Button, Card, CheckboxGroupField, Field, TextareaField } from "./ui";

/** The rules as the form shows them: lists one entry per line, numbers as typed. */
export type RulesFormValues = {
  disclosurePhrases: string;
  ambiguousDisclosureMarkers: string;
  disclosureChannels: string[];
  disclosurePartnerTypes: string[];
  disclosureWithinChars: string;
  bannedTerms: string;
  claimTriggers: string;
  claimTriggerExceptions: string;
  allowedDomains: string;
  /** Keyed by channelFieldName(channel, key); "" is no limit. */
  channelFields: Record<string, string>;
};

type Errors = Record<string, string[] | undefined>;

const LIST_FIELDS = ["disclosurePhrases", "ambiguousDisclosureMarkers", "bannedTerms", "claimTriggers", "claimTriggerExceptions", "allowedDomains"] as const;

/** After a refused save: what was typed, field by field (checkboxes come back comma-joined), over nothing else. */
export function typedValues(values: Record<string, string>, channels: readonly string[]): RulesFormValues {
  const list = (name: string) => (values[name] ? values[name].split(",") : []);
  return {
    ...(Object.fromEntries(LIST_FIELDS.map((name) => [name, values[name] ?? ""])) as Record<(typeof LIST_FIELDS)[number], string>),
    disclosureChannels: list("disclosureChannels"),
    disclosurePartnerTypes: list("disclosurePartnerTypes"),
    disclosureWithinChars: values["disclosureWithinChars"] ?? "",
    channelFields: Object.fromEntries(
      channels.flatMap((channel) => CHANNEL_FILE_RULE_FIELDS.map((f) => [channelFieldName(channel, f.key), values[channelFieldName(channel, f.key)] ?? ""])),
    ),
  };
}

// The summary names each field, since its messages are read away from the field.
const FIELD_LABELS: [name: string, label: string][] = [
  ["disclosurePhrases", "Disclosure phrases"],
  ["ambiguousDisclosureMarkers", "Unclear markers"],
  ["disclosureChannels", "Channels that need a disclosure"],
  ["disclosurePartnerTypes", "Partner types that always disclose"],
  ["disclosureWithinChars", "Disclosure position"],
  ["bannedTerms", "Banned terms"],
  ["claimTriggers", "Claim triggers"],
  ["claimTriggerExceptions", "Trigger exceptions"],
  ["allowedDomains", "Allowed destinations"],
];

function summaryItems(errors: Errors, channels: readonly string[], channelLabel: (c: string) => string): ErrorSummaryItem[] {
  const channelNames = channels.flatMap((channel) =>
    CHANNEL_FILE_RULE_FIELDS.map((f) => ({ name: channelFieldName(channel, f.key), prefix: `${channelLabel(channel)}, ${f.label.toLowerCase()}: ` })),
  );
  return [
    ...FIELD_LABELS.flatMap(([name, label]) => (errors[name] ?? []).map((message) => ({ message: `${label}: ${message}`, target: `field-${name}` }))),
    ...channelNames.flatMap(({ name, prefix }) => (errors[name] ?? []).map((message) => ({ message: `${prefix}${message}`, target: `field-${name}` }))),
  ];
}

const lines = { autoCapitalize: "off", spellCheck: false, maxLength: RULES_FORM_LIMITS.listChars } as const;

/**
 * Settings → Pre-screen rules: every list one entry per line, the channels
 * and partner types as checkboxes, and each channel's file rules as a row of
 * numbers (empty: no limit). One form, one save: each save is a version.
 */
export function PrescreenRulesForm({
  basedOn,
  values,
  errors,
  formError,
  failure,
  channels,
  channelLabel,
  pending,
}: {
  /** The version the form shows: a save made meanwhile by someone else is refused, not overwritten. */
  basedOn: number;
  values: RulesFormValues;
  errors: Errors;
  formError: string | null;
  failure: object | null;
  channels: readonly string[];
  channelLabel: (channel: string) => string;
  pending: boolean;
}) {
  const items = summaryItems(errors, channels, channelLabel);
  const { min, max } = RULES_FORM_LIMITS.disclosureWithin;
  return (
    <Form method="post" className="stack stack--lg prescreen-rules" noValidate aria-label="Pre-screen rules">
      <input type="hidden" name="basedOn" value={basedOn} />
      <ErrorSummary
        failure={failure}
        items={formError ? [{ message: formError, target: "field-disclosurePhrases" }, ...items] : items}
        intro="Nothing was saved. Everything you typed is still here; fix these and save again:"
      />
      <Card
        title="Disclosure"
        description="Which copy must say it is an ad, and how. A phrase counts only as a whole word or hashtag, in any case; {brand} stands for the program's name."
      >
        <div className="stack">
          <TextareaField
            label="Disclosure phrases"
            name="disclosurePhrases"
            rows={6}
            required
            defaultValue={values.disclosurePhrases}
            description="One per line, such as #ad or Paid partnership with {brand}."
            error={errors["disclosurePhrases"]}
            textareaProps={lines}
          />
          <TextareaField
            label="Unclear markers"
            name="ambiguousDisclosureMarkers"
            rows={5}
            defaultValue={values.ambiguousDisclosureMarkers}
            description="One per line. They never count as a disclosure; the pre-screen names them so the partner learns why, such as #sp or #collab."
            error={errors["ambiguousDisclosureMarkers"]}
            textareaProps={lines}
          />
          <CheckboxGroupField
            legend="Channels that need a disclosure"
            name="disclosureChannels"
            options={channels.map((value) => ({ value, label: channelLabel(value) }))}
            defaultValue={values.disclosureChannels}
            error={errors["disclosureChannels"]}
            columns
          />
          <CheckboxGroupField
            legend="Partner types that always disclose"
            name="disclosurePartnerTypes"
            description="On every channel, whatever is ticked above."
            options={[...PARTNER_TYPES]}
            defaultValue={values.disclosurePartnerTypes}
            error={errors["disclosurePartnerTypes"]}
            columns
          />
          <Field
            label="Disclosure within the first … characters"
            name="disclosureWithinChars"
            type="number"
            required
            defaultValue={values.disclosureWithinChars}
            description={`Where feeds cut the copy off with "… more" (Instagram: about 125). From ${min} to ${max}.`}
            error={errors["disclosureWithinChars"]}
            className="field--short"
            inputProps={{ min, max, step: 1, inputMode: "numeric" }}
          />
        </div>
      </Card>
      <Card title="Words" description="Matched as whole words in any case, also across hyphens and inside hashtags (weight loss catches #weightloss).">
        <div className="stack">
          <TextareaField
            label="Banned terms"
            name="bannedTerms"
            rows={6}
            defaultValue={values.bannedTerms}
            description="One per line; each is an error. End a term with * to catch its word forms too: heal* also catches heals, healed, healing."
            error={errors["bannedTerms"]}
            textareaProps={lines}
          />
          <TextareaField
            label="Claim triggers"
            name="claimTriggers"
            rows={6}
            defaultValue={values.claimTriggers}
            description="One per line. A sentence with one that is not an approved claim gets a warning. % stands for any percentage, $ £ € for any amount."
            error={errors["claimTriggers"]}
            textareaProps={lines}
          />
          <TextareaField
            label="Trigger exceptions"
            name="claimTriggerExceptions"
            rows={6}
            defaultValue={values.claimTriggerExceptions}
            description="One per line: everyday phrases a trigger sits in that are not claims, such as best friend or feel free."
            error={errors["claimTriggerExceptions"]}
            textareaProps={lines}
          />
        </div>
      </Card>
      <Card title="Destinations" description="Where creatives may link: https only, to these domains and their subdomains.">
        <TextareaField
          label="Allowed destination domains"
          name="allowedDomains"
          rows={4}
          defaultValue={values.allowedDomains}
          description="One domain per line, such as northwindcoffee.com; shop.northwindcoffee.com is then allowed too. With none, every link is refused."
          error={errors["allowedDomains"]}
          textareaProps={lines}
        />
      </Card>
      <Card title="Files and length per channel" description="Leave a box empty for no limit. File types and sizes stay as the release sets them.">
        <div className="channel-rules">
          {channels.map((channel) => (
            <fieldset key={channel} className="channel-rules__row">
              <legend className="channel-rules__channel">{channelLabel(channel)}</legend>
              {CHANNEL_FILE_RULE_FIELDS.map((f) => (
                <ChannelNumberField
                  key={f.key}
                  channel={channel}
                  field={f}
                  value={values.channelFields[channelFieldName(channel, f.key)] ?? ""}
                  error={errors[channelFieldName(channel, f.key)]}
                />
              ))}
            </fieldset>
          ))}
        </div>
      </Card>
      <div className="cluster">
        <Button type="submit" variant="primary" pending={pending}>
          Save as a new version
        </Button>
        <span className="muted small">Creatives already submitted keep the version they were checked with.</span>
      </div>
    </Form>
  );
}

function ChannelNumberField({
  channel,
  field,
  value,
  error,
}: {
  channel: string;
  field: { key: ChannelFileRuleKey; label: string; limits: { min: number; max: number } };
  value: string;
  error: string[] | undefined;
}) {
  return (
    <Field
      label={field.label}
      name={channelFieldName(channel, field.key)}
      type="number"
      defaultValue={value}
      error={error}
      inputProps={{ min: field.limits.min, max: field.limits.max, step: 1, inputMode: "numeric" }}
    />
  );
}
