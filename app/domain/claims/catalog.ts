// Shared with the browser bundle.

export const CLAIM_STATUSES = [
  { value: "draft", label: "Draft", tone: "warning" },
  { value: "approved", label: "Approved", tone: "success" },
  { value: "retired", label: "Retired", tone: "neutral" },
] as const;

export type ClaimStatus = (typeof CLAIM_STATUSES)[number]["value"];

export const claimStatusOf = (status: string) => CLAIM_STATUSES.find((s) => s.value === status) ?? CLAIM_STATUSES[0];

/** The claim as partners paste it: the claim, then each required disclaimer on its own line. */
export function claimWithDisclaimers(claim: { text: string; disclaimers: readonly string[] }): string {
  return [claim.text, ...claim.disclaimers].join("\n");
}
