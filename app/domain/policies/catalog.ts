// Shared with the browser bundle.

import { POLICIES_PATH } from "~/lib/paths";

/** Where a partner with policies to accept is sent, and comes back from (app/lib's partner guard sends them). */
export { POLICIES_PATH };

export const policyPath = (policyId: string, redirectTo?: string | null) =>
  `${POLICIES_PATH}/${policyId}${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`;

export const POLICY_STATE_LABELS = {
  accepted: { label: "Accepted", tone: "success" },
  blocking: { label: "To accept", tone: "warning" },
  update: { label: "Updated", tone: "info" },
  optional: { label: "Optional", tone: "neutral" },
} as const;
