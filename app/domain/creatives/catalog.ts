// Shared with the browser bundle: the vocabulary and limits of creative submissions.

export const CREATIVE_STATUSES = [
  { value: "draft", label: "Draft", tone: "neutral" },
  { value: "submitted", label: "Submitted", tone: "info" },
  { value: "in_review", label: "In review", tone: "info" },
  { value: "changes_requested", label: "Changes requested", tone: "warning" },
  { value: "approved", label: "Approved", tone: "success" },
  { value: "rejected", label: "Rejected", tone: "danger" },
  { value: "withdrawn", label: "Withdrawn", tone: "neutral" },
  // Final: the approval was taken back, so the creative may no longer run; the partner starts a new one.
  { value: "revoked", label: "Approval revoked", tone: "danger" },
] as const;

export type CreativeStatus = (typeof CREATIVE_STATUSES)[number]["value"];

export const creativeStatusOf = (status: string) => CREATIVE_STATUSES.find((s) => s.value === status) ?? CREATIVE_STATUSES[0];

/** The partner may change the working copy (and upload files) only in these states. */
export const EDITABLE_STATUSES: readonly CreativeStatus[] = ["draft", "changes_requested"];
/** Before a decision the partner may take a submission back. */
export const WITHDRAWABLE_STATUSES: readonly CreativeStatus[] = ["submitted", "in_review"];

export const isEditable = (status: string) => (EDITABLE_STATUSES as readonly string[]).includes(status);
export const isWithdrawable = (status: string) => (WITHDRAWABLE_STATUSES as readonly string[]).includes(status);

const MB = 1024 * 1024;

export const CREATIVE_LIMITS = {
  titleChars: 120,
  placementChars: 120,
  copyChars: 5000,
  disclosureChars: 300,
  destinationChars: 2000,
  filesPerCreative: 10,
  withdrawReasonChars: 500,
} as const;

/** What a creative file may be, decided from its content, with its own size limit. */
export const CREATIVE_FILE_TYPES = {
  "image/png": { kind: "image", maxBytes: 25 * MB },
  "image/jpeg": { kind: "image", maxBytes: 25 * MB },
  "image/webp": { kind: "image", maxBytes: 25 * MB },
  "image/gif": { kind: "image", maxBytes: 25 * MB },
  "application/pdf": { kind: "pdf", maxBytes: 100 * MB },
  "video/mp4": { kind: "video", maxBytes: 200 * MB },
  "video/webm": { kind: "video", maxBytes: 200 * MB },
} as const satisfies Record<string, { kind: "image" | "pdf" | "video"; maxBytes: number }>;

export type CreativeFileType = keyof typeof CREATIVE_FILE_TYPES;

/** The largest file of any type: where an upload is cut off before its type is known. */
export const CREATIVE_MAX_FILE_BYTES = Math.max(...Object.values(CREATIVE_FILE_TYPES).map((t) => t.maxBytes));

/** The file picker's accept list (a hint to the browser; the server decides from the content). */
export const CREATIVE_ACCEPT = ".png,.jpg,.jpeg,.webp,.gif,.pdf,.mp4,.webm";
