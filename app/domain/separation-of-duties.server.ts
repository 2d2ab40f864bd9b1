import { ForbiddenError } from "./errors";

/**
 * Separation of duties (PRODUCT.md §1): a person may not approve their own
 * work. Claims use it for the author of the current draft; creative review
 * will use it for the submitter and for the brand and legal stages.
 */
export function isAuthor(authorId: string | null, deciderId: string): boolean {
  return authorId !== null && authorId === deciderId;
}

/** Refuses (403, logged as authz_fail by the route) a decision by the work's author. */
export function assertNotAuthor(authorId: string | null, deciderId: string, message: string): void {
  if (isAuthor(authorId, deciderId)) throw new ForbiddenError(message, "separation_of_duties");
}

/**
 * Why `decider` may not decide `stage` of a creative's version, or null when
 * they may: nobody decides on work they authored or submitted, or that their
 * own organisation sent, and the stages of one version need different people
 * (a decision carried over from the previous version counts as the person's).
 * Pure, so the review page can say who may decide without asking twice.
 */
export function creativeReviewConflict(input: {
  decider: { id: string; partnerOrgId: string | null };
  creative: { createdById: string; organisationId: string };
  version: { submittedById: string };
  stage: string;
  /** Who decided each stage of the version so far (carried decisions included). */
  decisions: readonly { stage: string; decidedById: string | null }[];
}): string | null {
  const { decider, creative, version } = input;
  if (isAuthor(creative.createdById, decider.id) || isAuthor(version.submittedById, decider.id))
    return "You created or submitted this creative, so someone else must review it.";
  if (decider.partnerOrgId !== null && decider.partnerOrgId === creative.organisationId)
    return "You belong to the partner organisation that submitted this creative, so someone else must review it.";
  const other = input.decisions.find((d) => d.stage !== input.stage && isAuthor(d.decidedById, decider.id));
  if (other) return `You decided the ${other.stage} review of this version; each stage needs a different person.`;
  return null;
}

/** Refuses (403, separation_of_duties) a creative review decision the rules above forbid. */
export function assertMayReviewCreative(input: Parameters<typeof creativeReviewConflict>[0]): void {
  const conflict = creativeReviewConflict(input);
  if (conflict) throw new ForbiddenError(conflict, "separation_of_duties");
}
