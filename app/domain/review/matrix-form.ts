// Shared with the browser bundle: Settings → Review's form as it is typed
// (a draft: strings and ticked boxes, never refused), how it is read from the
// posted fields, the unsaved edits its buttons make (add, move, remove), and
// each rule in words. The schema that turns a draft into MatrixSettings is
// matrix-schema.server.ts; the matrix itself is matrix.ts.
import { describeConditions, isCatchAll, REVIEW_STAGES, type ApprovalRule, type MatrixSettings } from "./matrix";

export const MATRIX_FORM_LIMITS = {
  rules: { min: 1, max: 30 },
  nameChars: 80,
  slaHours: { min: 1, max: 720 },
  hour: { min: 0, max: 24 },
} as const;

/** One rule as the form holds it. The field names are these paths: "rules.2.tiers". */
export type RuleDraft = {
  name: string;
  tiers: string[];
  channels: string[];
  partnerTypes: string[];
  usesClaims: string;
  stages: string[];
  autoApproveWhenClean: boolean;
};

export type MatrixDraft = {
  rules: RuleDraft[];
  mode: string;
  slaHours: { brand: string; legal: string };
  businessHours: { enabled: boolean; timeZone: string; startHour: string; endHour: string };
};

/** The form's field of a rule's property: "rules.2.name". Errors are keyed the same way. */
export const ruleField = (index: number, key: keyof RuleDraft | null = null) => (key ? `rules.${index}.${key}` : `rules.${index}`);

export function draftOf(settings: MatrixSettings): MatrixDraft {
  return {
    rules: settings.rules.map((rule) => ({
      name: rule.name,
      tiers: [...rule.when.tiers],
      channels: [...rule.when.channels],
      partnerTypes: [...rule.when.partnerTypes],
      usesClaims: rule.when.usesClaims,
      stages: [...rule.stages],
      autoApproveWhenClean: rule.autoApproveWhenClean,
    })),
    mode: settings.mode,
    slaHours: { brand: String(settings.slaHours.brand), legal: String(settings.slaHours.legal) },
    businessHours: {
      enabled: settings.businessHours.enabled,
      timeZone: settings.businessHours.timeZone,
      startHour: String(settings.businessHours.startHour),
      endHour: String(settings.businessHours.endHour),
    },
  };
}

// What a posted form may hold at most: enough to show a refusal with what was
// typed (one rule too many, a name too long), never a page that echoes a
// crafted megabyte back.
const KEPT = { rules: MATRIX_FORM_LIMITS.rules.max + 1, chars: 200, choices: 50 };

type FormFields = Pick<FormData, "get" | "getAll" | "keys">;

const textOf = (form: FormFields, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value.slice(0, KEPT.chars) : "";
};
const choicesOf = (form: FormFields, name: string) =>
  [...new Set(form.getAll(name).filter((v): v is string => typeof v === "string"))].slice(0, KEPT.choices).map((v) => v.slice(0, KEPT.chars));

/**
 * The draft a posted form (or, in the browser, the form as it stands) holds.
 * Rules are the indices that have a name field, in order; nothing is checked
 * here but size, so a refusal can show exactly what was typed.
 */
export function draftFromForm(form: FormFields): MatrixDraft {
  const indices = [...new Set([...form.keys()].map((key) => /^rules\.(\d{1,4})\.name$/.exec(key)?.[1]).filter((i): i is string => i !== undefined))]
    .map(Number)
    .sort((a, b) => a - b)
    .slice(0, KEPT.rules);
  return {
    rules: indices.map((i) => ({
      name: textOf(form, ruleField(i, "name")),
      tiers: choicesOf(form, ruleField(i, "tiers")),
      channels: choicesOf(form, ruleField(i, "channels")),
      partnerTypes: choicesOf(form, ruleField(i, "partnerTypes")),
      usesClaims: textOf(form, ruleField(i, "usesClaims")),
      stages: choicesOf(form, ruleField(i, "stages")),
      autoApproveWhenClean: form.get(ruleField(i, "autoApproveWhenClean")) !== null,
    })),
    mode: textOf(form, "mode"),
    slaHours: { brand: textOf(form, "slaHours.brand"), legal: textOf(form, "slaHours.legal") },
    businessHours: {
      enabled: form.get("businessHours.enabled") !== null,
      timeZone: textOf(form, "businessHours.timeZone"),
      startHour: textOf(form, "businessHours.startHour"),
      endHour: textOf(form, "businessHours.endHour"),
    },
  };
}

/** A draft rule's conditions as the matrix reads them (a choice it does not know reads as "any"). */
export function ruleOf(draft: RuleDraft): ApprovalRule {
  const usesClaims = draft.usesClaims === "yes" || draft.usesClaims === "no" ? draft.usesClaims : "any";
  return {
    name: draft.name,
    when: { tiers: draft.tiers, channels: draft.channels, partnerTypes: draft.partnerTypes, usesClaims },
    stages: REVIEW_STAGES.map((s) => s.value).filter((stage) => draft.stages.includes(stage)),
    autoApproveWhenClean: draft.autoApproveWhenClean,
  };
}

export const isCatchAllDraft = (draft: RuleDraft) => isCatchAll(ruleOf(draft));

const NEW_RULE: RuleDraft = { name: "", tiers: [], channels: [], partnerTypes: [], usesClaims: "any", stages: ["brand"], autoApproveWhenClean: false };

/** What the form's buttons other than Save do to the draft (nothing is saved). */
export type MatrixEdit = { kind: "add" } | { kind: "up" | "down" | "remove"; index: number };

/** The edit a submit button's intent names ("up:2"), or null for Save and anything unknown. */
export function editOf(intent: string): MatrixEdit | null {
  if (intent === "add") return { kind: "add" };
  const match = /^(up|down|remove):(\d{1,4})$/.exec(intent);
  return match ? { kind: match[1] as "up" | "down" | "remove", index: Number(match[2]) } : null;
}

export type EditResult = { ok: true; draft: MatrixDraft; notice: string; focus: number } | { ok: false; message: string };

const ruleLabel = (rules: RuleDraft[], index: number) => {
  const name = rules[index]?.name.trim();
  return name ? `Rule ${index + 1} “${name}”` : `Rule ${index + 1}`;
};

/**
 * Applies an edit to the draft. A new rule goes before the catch-all (the
 * last rule when it matches everything), where it can still apply. `focus`
 * is the index of the rule to put the keyboard back on.
 */
export function applyEdit(draft: MatrixDraft, edit: MatrixEdit): EditResult {
  const rules = [...draft.rules];
  const { max, min } = MATRIX_FORM_LIMITS.rules;
  if (edit.kind === "add") {
    if (rules.length >= max) return { ok: false, message: `The matrix holds at most ${max} rules: remove one before adding another.` };
    const last = rules.at(-1);
    const at = last && isCatchAllDraft(last) ? rules.length - 1 : rules.length;
    rules.splice(at, 0, { ...NEW_RULE, stages: [...NEW_RULE.stages] });
    return { ok: true, draft: { ...draft, rules }, notice: `Rule ${at + 1} added: give it a name and its conditions.`, focus: at };
  }
  const { index } = edit;
  if (index >= rules.length) return { ok: false, message: "That rule is no longer in the form." };
  const label = ruleLabel(rules, index);
  if (edit.kind === "remove") {
    if (rules.length <= min) return { ok: false, message: "The matrix needs at least one rule: the last one, which applies to every creative." };
    rules.splice(index, 1);
    return { ok: true, draft: { ...draft, rules }, notice: `${label} removed.`, focus: Math.min(index, rules.length - 1) };
  }
  const to = edit.kind === "up" ? index - 1 : index + 1;
  if (to < 0 || to >= rules.length) return { ok: false, message: `${label} is already the ${edit.kind === "up" ? "first" : "last"} rule.` };
  [rules[index], rules[to]] = [rules[to]!, rules[index]!];
  return { ok: true, draft: { ...draft, rules }, notice: `${label} moved ${edit.kind} to position ${to + 1}.`, focus: to };
}

const joined = (items: string[]) => (items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : (items[0] ?? ""));

/**
 * A rule in plain words, as its card shows it: "Creatives where tier is
 * Strategic need brand and legal review." `last`: the rule that catches
 * whatever no rule above it matched.
 */
export function describeRule(draft: RuleDraft, options: { last: boolean }): string {
  const rule = ruleOf(draft);
  const conditions = describeConditions(rule);
  const who = conditions.length
    ? `Creatives where ${joined(conditions)} need`
    : options.last
      ? "Every creative no rule above matches needs"
      : "Every creative that reaches this rule needs";
  if (!rule.stages.length) return `${who} a review stage: tick brand, legal or both.`;
  const auto = rule.autoApproveWhenClean ? " If the pre-screen finds nothing at all, they are approved automatically, without a reviewer." : "";
  return `${who} ${joined(rule.stages)} review.${auto}`;
}

const PART_LABELS: Record<string, string> = { rules: "rules", mode: "order of the stages", slaHours: "due times", businessHours: "business hours" };

/** What a version changed, as the history and the toast say it: "rules, due times". */
export const matrixChangesLabel = (changed: readonly string[]) => changed.map((part) => PART_LABELS[part] ?? part).join(", ");
