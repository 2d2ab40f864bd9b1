// Shared with the browser bundle: the decisions a review stage can take and the limits of what reviewers write.

export const STAGE_DECISIONS = [
  { value: "approve", label: "Approve" },
  { value: "approve_with_changes", label: "Approve with required changes" },
  { value: "request_changes", label: "Request changes" },
  { value: "reject", label: "Reject" },
] as const;

export type StageDecision = (typeof STAGE_DECISIONS)[number]["value"];

export const isStageDecision = (value: string): value is StageDecision => STAGE_DECISIONS.some((d) => d.value === value);

export const REVIEW_LIMITS = {
  /** A decision's comment: required for every decision but a plain approval. */
  commentChars: 5000,
  revokeReasonChars: 1000,
} as const;

/** The words a stage's status reads as on the review page and in the partner's history. */
export const STAGE_STATUS_LABELS = {
  waiting: "Waiting for its turn",
  pending: "In review",
  approved: "Approved",
  approved_with_changes: "Approved with required changes",
  changes_requested: "Changes requested",
  rejected: "Rejected",
  cancelled: "Not needed",
} as const;

/** A reviewer's comment as the viewer and the list get it (see commentsOfCreative; dates as ISO strings: it goes to the browser). */
export type ReviewComment = {
  id: string;
  number: number;
  version: number;
  fileId: string | null;
  page: number | null;
  x: number | null;
  y: number | null;
  body: string;
  authorName: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedByName: string | null;
};
