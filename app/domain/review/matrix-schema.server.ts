import { z } from "zod";
import { WholeNumber, type FieldErrors } from "~/lib/forms.server";
import { PARTNER_TYPE_VALUES } from "../applications/catalog";
import { isCatchAll, REVIEW_STAGES, type ApprovalRule, type MatrixSettings } from "./matrix";
import { draftFromForm, MATRIX_FORM_LIMITS as L, ruleOf, type MatrixDraft } from "./matrix-form";

// Settings → Review: the admin's draft (matrix-form.ts) checked and turned
// into the MatrixSettings saveMatrix stores. Errors are keyed by the form's
// field names ("rules.2.tiers"), which are the draft's paths.

/** What a rule's conditions may name: the program's tiers and channels (and any a saved rule already names). */
export type MatrixChoices = { tiers: readonly string[]; channels: readonly string[] };

const quoted = (values: string[]) => values.map((v) => `“${v.length > 40 ? `${v.slice(0, 40)}…` : v}”`).join(", ");

/** Ticked boxes, each one of `allowed`, in `allowed`'s order (so ticking the same boxes is no change). */
function choicesFrom<T extends string>(allowed: readonly T[], unknown: (bad: string[]) => string) {
  return z
    .array(z.string())
    .superRefine((values, ctx) => {
      const bad = values.filter((v) => !(allowed as readonly string[]).includes(v));
      if (bad.length) ctx.addIssue({ code: "custom", message: unknown(bad) });
    })
    .transform((values): T[] => allowed.filter((v) => values.includes(v)));
}

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const CATCH_ALL_TOO_EARLY =
  "This rule has no conditions, so it matches every creative and the rules below it would never apply. Give it a condition, or move it to the end and remove the rule that is there.";
const LAST_MUST_CATCH_ALL =
  "The last rule must apply to every creative, so none goes without review: set its tiers, partner types and channels to none ticked and “Uses claims” to “Any”, or add such a rule after it.";
const NO_AUTO_APPROVE_FOR_ALL =
  "The rule for every other creative cannot approve automatically: auto-approval is for a narrower rule (a tier, a channel, no claims) that you add above it.";

const START_HOUR = WholeNumber("the hour the day starts", L.hour.min, L.hour.max - 1);
const END_HOUR = WholeNumber("the hour the day ends", L.hour.min + 1, L.hour.max);

export function matrixSchema(choices: MatrixChoices) {
  const rule = z.object({
    name: z
      .string()
      .trim()
      .min(1, "Give the rule a name, such as “Trial partners on websites”.")
      .max(L.nameChars, `Keep the name to ${L.nameChars} characters.`),
    tiers: choicesFrom(choices.tiers, (bad) => `${quoted(bad)} ${bad.length === 1 ? "is not a tier" : "are not tiers"} of the program: choose from the list.`),
    channels: choicesFrom(
      choices.channels,
      (bad) => `${quoted(bad)} ${bad.length === 1 ? "is not a channel" : "are not channels"} the program offers: choose from the list.`,
    ),
    partnerTypes: choicesFrom(
      PARTNER_TYPE_VALUES,
      (bad) => `${quoted(bad)} ${bad.length === 1 ? "is not a partner type" : "are not partner types"}: choose from the list.`,
    ),
    usesClaims: z.enum(["any", "yes", "no"], { error: "Choose whether the creative uses library claims: any, yes or no." }),
    stages: choicesFrom(
      REVIEW_STAGES.map((s) => s.value),
      () => "Choose brand, legal or both.",
    ).refine((stages) => stages.length > 0, "Tick at least one stage: brand, legal or both."),
    autoApproveWhenClean: z.boolean(),
  });
  const { min, max } = L.rules;
  return z.object({
    rules: z.array(rule).min(min, `Keep at least ${min} rule.`).max(max, `Keep at most ${max} rules: remove some before saving.`),
    mode: z.enum(["sequential", "parallel"], { error: "Choose sequential or parallel." }),
    slaHours: z.object({
      brand: WholeNumber("the brand review's hours", L.slaHours.min, L.slaHours.max),
      legal: WholeNumber("the legal review's hours", L.slaHours.min, L.slaHours.max),
    }),
    // Whether the day ends after it starts is checked in validateMatrix: zod skips an object's refinements once a field failed.
    businessHours: z.object({
      enabled: z.boolean(),
      timeZone: z
        .string()
        .trim()
        .min(1, "Enter a time zone, such as Europe/Berlin or America/New_York.")
        .refine(isTimeZone, "That is not a time zone: enter one such as Europe/Berlin, America/New_York or UTC."),
      startHour: START_HOUR,
      endHour: END_HOUR,
    }),
  });
}

/**
 * What no single field shows: a catch-all rule before the end (it hides the
 * rules below it), none at the end, an automatic catch-all, and a working day
 * that ends before it starts.
 */
function crossFieldIssues(draft: MatrixDraft): FieldErrors {
  const errors: FieldErrors = {};
  const start = START_HOUR.safeParse(draft.businessHours.startHour);
  const end = END_HOUR.safeParse(draft.businessHours.endHour);
  if (start.success && end.success && start.data >= end.data) errors["businessHours.endHour"] = ["The working day must end after it starts."];
  const rules: ApprovalRule[] = draft.rules.map(ruleOf);
  rules.forEach((rule, i) => {
    const last = i === rules.length - 1;
    if (!last && isCatchAll(rule)) errors[`rules.${i}`] = [CATCH_ALL_TOO_EARLY];
    if (last && !isCatchAll(rule)) errors[`rules.${i}`] = [LAST_MUST_CATCH_ALL];
    if (last && isCatchAll(rule) && rule.autoApproveWhenClean) errors[`rules.${i}.autoApproveWhenClean`] = [NO_AUTO_APPROVE_FOR_ALL];
  });
  return errors;
}

export type MatrixValidation = { ok: true; settings: MatrixSettings } | { ok: false; errors: FieldErrors };

/** The draft as settings to save, or every problem at its field. */
export function validateMatrix(draft: MatrixDraft, choices: MatrixChoices): MatrixValidation {
  const parsed = matrixSchema(choices).safeParse(draft);
  const errors: FieldErrors = crossFieldIssues(draft);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join(".");
      (errors[key] ??= []).push(issue.message);
    }
  }
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors };
  const form = parsed.data;
  return {
    ok: true,
    settings: {
      rules: form.rules.map(({ name, tiers, channels, partnerTypes, usesClaims, stages, autoApproveWhenClean }) => ({
        name,
        when: { tiers, channels, partnerTypes, usesClaims },
        stages,
        autoApproveWhenClean,
      })),
      mode: form.mode,
      slaHours: form.slaHours,
      businessHours: form.businessHours,
    },
  };
}

const FormMeta = z.object({
  intent: z.string().max(40).catch("save"),
  // Digits only: Number("") would read a missing field as version 0.
  basedOn: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .nullable()
    .catch(null),
});

/**
 * What the settings form posted: the draft, the version it was filled from
 * (a save made meanwhile by someone else is refused), and the button pressed
 * ("save", or an edit such as "up:2"; Enter in a field saves).
 */
export function readMatrixForm(formData: FormData): { draft: MatrixDraft; basedOn: number | null; intent: string } {
  const meta = FormMeta.parse({ intent: formData.get("intent") ?? "save", basedOn: formData.get("basedOn") ?? null });
  return { draft: draftFromForm(formData), ...meta };
}
