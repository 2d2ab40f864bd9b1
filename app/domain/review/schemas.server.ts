import { z } from "zod";
import { RequiredText } from "~/lib/forms.server";
import { sameSitePath } from "~/lib/redirects";
import { REVIEW_LIMITS, STAGE_DECISIONS } from "./catalog";
import { REVIEW_STAGES } from "./matrix";

const STAGE_VALUES = REVIEW_STAGES.map((s) => s.value) as [string, ...string[]];
const DECISION_VALUES = STAGE_DECISIONS.map((d) => d.value) as [string, ...string[]];

const stage = z.enum(STAGE_VALUES, { error: "Choose the brand or the legal stage." });

/**
 * Where a review form sends the reviewer back to: a page of the team's
 * creatives (the queue with its filters, or the creative), never anywhere
 * else; null when the form named none or somewhere it may not send them.
 */
export function reviewReturnPath(target: unknown): string | null {
  const path = sameSitePath(target, "");
  return path === "/admin/creatives" || /^\/admin\/creatives[/?#]/.test(path) ? path : null;
}

/** The assignment buttons: claim a stage for oneself, or give it back. */
export const AssignmentSchema = z.object({
  intent: z.enum(["claim", "release"], { error: "Choose to claim or release the stage." }),
  stage,
  returnTo: z
    .string()
    .optional()
    .transform((v) => reviewReturnPath(v)),
});

/** A stage's decision on the version the reviewer saw; the domain checks the comment (required but for approve). */
export const DecisionSchema = z.object({
  stage,
  version: z.coerce.number({ error: "Reload the page: the version is missing." }).int().positive("Reload the page: the version is missing."),
  decision: z.enum(DECISION_VALUES, { error: "Choose a decision." }),
  comment: z.string().max(REVIEW_LIMITS.commentChars, `Keep the comment to ${REVIEW_LIMITS.commentChars} characters.`).optional(),
});

export const RevokeSchema = z.object({
  reason: RequiredText("A reason", REVIEW_LIMITS.revokeReasonChars),
});
