import { DEFAULT_RULES, prescreen, type ClaimRule, type Finding, type PrescreenInput, type PrescreenRules } from "~/domain/prescreen";

// A small Northwind Coffee program for the rule tests; each test overrides
// only what it is about.

export const NOW = new Date("2025-06-15T12:00:00Z");

export function claim(overrides: Partial<ClaimRule> & Pick<ClaimRule, "id" | "text">): ClaimRule {
  return { disclaimers: [], channels: null, regions: null, status: "approved", expiresAt: null, ...overrides };
}

export function rules(overrides: Partial<PrescreenRules> = {}): PrescreenRules {
  return {
    ...DEFAULT_RULES,
    brandName: "Northwind",
    disclosurePhrases: ["#ad", "#sponsored", "Paid partnership with Northwind"],
    bannedTerms: ["cure", "weight loss"],
    allowedDomains: ["northwindcoffee.com"],
    claims: [],
    ...overrides,
  };
}

export function check(copy: string, input: Partial<PrescreenInput> = {}, ruleSet: PrescreenRules = rules()): Finding[] {
  return prescreen({ copy, channel: "email", now: NOW, ...input }, ruleSet);
}

export const codes = (findings: readonly Finding[]) => findings.map((f) => f.code);
export const ofCode = (findings: readonly Finding[], code: Finding["code"]) => findings.filter((f) => f.code === code);
/** What each finding of a code points at in the copy. */
export const marked = (copy: string, findings: readonly Finding[], code: Finding["code"]) =>
  ofCode(findings, code).map((f) => (f.start === null ? null : copy.slice(f.start, f.end!)));
