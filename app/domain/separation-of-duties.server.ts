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
