// Shared with the browser bundle: the approval matrix's vocabulary, its
// defaults and how it routes a submission (a pure function, so the settings
// page can show what a rule set would do and tests need no database).
import type { ApprovalRule, BusinessHours, VersionRouting } from "#db/schema/index";
import { labelOf } from "../applications/catalog";

export type { ApprovalRule, BusinessHours, VersionRouting };

export const REVIEW_STAGES = [
  { value: "brand", label: "Brand" },
  { value: "legal", label: "Legal" },
] as const;

export type ReviewStageName = (typeof REVIEW_STAGES)[number]["value"];

export const stageLabel = (stage: string) => REVIEW_STAGES.find((s) => s.value === stage)?.label ?? stage;

export type ReviewMode = "sequential" | "parallel";

/** What an admin saves: the ordered rules and how the stages' clocks run. */
export type MatrixSettings = {
  rules: ApprovalRule[];
  mode: ReviewMode;
  slaHours: { brand: number; legal: number };
  businessHours: BusinessHours;
};

export type Matrix = MatrixSettings & { version: number };

const ANY = { tiers: [], channels: [], partnerTypes: [], usesClaims: "any" } as const satisfies ApprovalRule["when"];

/**
 * PRODUCT.md's default: brand for all; legal as well for strategic partners,
 * paid channels and any creative that uses claims. First match wins, so the
 * rules that add legal come before the catch-all.
 */
export const DEFAULT_MATRIX: MatrixSettings = {
  rules: [
    { name: "Strategic tier", when: { ...ANY, tiers: ["strategic"] }, stages: ["brand", "legal"], autoApproveWhenClean: false },
    { name: "Strategic partners", when: { ...ANY, partnerTypes: ["strategic"] }, stages: ["brand", "legal"], autoApproveWhenClean: false },
    { name: "Paid channels", when: { ...ANY, channels: ["paid_social"] }, stages: ["brand", "legal"], autoApproveWhenClean: false },
    { name: "Uses claims", when: { ...ANY, usesClaims: "yes" }, stages: ["brand", "legal"], autoApproveWhenClean: false },
    { name: "Everything else", when: { ...ANY }, stages: ["brand"], autoApproveWhenClean: false },
  ],
  mode: "sequential",
  slaHours: { brand: 48, legal: 48 },
  businessHours: { enabled: false, timeZone: "UTC", startHour: 9, endHour: 17 },
};

/** What routing reads of a submitted version and its partner. */
export type RoutingFacts = {
  tier: string;
  partnerType: string | null;
  channel: string;
  usesClaims: boolean;
  /** The pre-screen found nothing at all (no warnings either): what "auto-approve when clean" asks. */
  clean: boolean;
};

export const isCatchAll = (rule: ApprovalRule) =>
  !rule.when.tiers.length && !rule.when.channels.length && !rule.when.partnerTypes.length && rule.when.usesClaims === "any";

export function ruleMatches(rule: ApprovalRule, facts: RoutingFacts): boolean {
  const { tiers, channels, partnerTypes, usesClaims } = rule.when;
  if (tiers.length && !tiers.includes(facts.tier)) return false;
  if (channels.length && !channels.includes(facts.channel)) return false;
  if (partnerTypes.length && (facts.partnerType === null || !partnerTypes.includes(facts.partnerType))) return false;
  if (usesClaims === "yes" && !facts.usesClaims) return false;
  if (usesClaims === "no" && facts.usesClaims) return false;
  return true;
}

const tierLabel = (tier: string) => tier.charAt(0).toUpperCase() + tier.slice(1).replaceAll("_", " ");
const either = (labels: string[]) => (labels.length > 1 ? `${labels.slice(0, -1).join(", ")} or ${labels.at(-1)}` : (labels[0] ?? ""));

/** A rule's conditions in words, for the review page ("channel is Paid social") and the settings page. */
export function describeConditions(rule: ApprovalRule): string[] {
  const { tiers, channels, partnerTypes, usesClaims } = rule.when;
  const reasons: string[] = [];
  if (tiers.length) reasons.push(`tier is ${either(tiers.map(tierLabel))}`);
  if (partnerTypes.length) reasons.push(`partner type is ${either(partnerTypes.map(labelOf))}`);
  if (channels.length) reasons.push(`channel is ${either(channels.map(labelOf))}`);
  if (usesClaims === "yes") reasons.push("uses library claims");
  if (usesClaims === "no") reasons.push("uses no library claims");
  return reasons;
}

/**
 * The stages a submission needs: the first rule that matches decides (the
 * last rule matches everything; should a saved matrix lack one, brand review
 * is the floor). A matching "auto-approve when clean" rule approves a version
 * the pre-screen found nothing in, and the routing says so.
 */
export function routeSubmission(matrix: Pick<Matrix, "version" | "rules" | "mode">, facts: RoutingFacts): VersionRouting {
  const index = matrix.rules.findIndex((rule) => ruleMatches(rule, facts));
  const rule = index >= 0 ? matrix.rules[index]! : null;
  const stages = REVIEW_STAGES.map((s) => s.value).filter((stage) => (rule ? rule.stages : ["brand"]).includes(stage));
  return {
    matrixVersion: matrix.version,
    ruleIndex: index,
    ruleName: rule?.name ?? "Brand review for all",
    reasons: rule ? describeConditions(rule) : [],
    stages: stages.length ? stages : ["brand"],
    mode: matrix.mode,
    autoApproved: Boolean(rule?.autoApproveWhenClean && facts.clean),
  };
}

/** "Rule 3 “Paid channels” (channel is Paid social)": why a version needs a stage, as the review page says it. */
export function routingReason(routing: Pick<VersionRouting, "ruleIndex" | "ruleName" | "reasons">): string {
  const name = routing.ruleIndex >= 0 ? `Rule ${routing.ruleIndex + 1} “${routing.ruleName}”` : routing.ruleName;
  return routing.reasons.length ? `${name} (${routing.reasons.join("; ")})` : `${name} (applies to every creative)`;
}
