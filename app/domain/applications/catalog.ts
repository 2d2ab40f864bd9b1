// Shared with the browser bundle: the fixed vocabularies of the apply form.

/** The rubric page reviewers read (docs/fit-score.md, rendered). */
export const FIT_SCORE_PATH = "/admin/fit-score";

export const PARTNER_TYPES = [
  { value: "affiliate", label: "Affiliate" },
  { value: "publisher", label: "Publisher" },
  { value: "creator", label: "Creator" },
  { value: "reseller", label: "Reseller" },
  { value: "strategic", label: "Strategic partner" },
] as const;

export const CHANNELS = [
  { value: "website_blog", label: "Website or blog" },
  { value: "email", label: "Email" },
  { value: "paid_social", label: "Paid social" },
  { value: "organic_social", label: "Organic social" },
  { value: "video", label: "Video" },
  { value: "events", label: "Events" },
  { value: "marketplace", label: "Marketplace" },
] as const;

export const REGIONS = [
  { value: "north_america", label: "North America" },
  { value: "latin_america", label: "Latin America" },
  { value: "europe", label: "Europe" },
  { value: "uk_ireland", label: "UK & Ireland" },
  { value: "middle_east_africa", label: "Middle East & Africa" },
  { value: "asia_pacific", label: "Asia Pacific" },
] as const;

export type PartnerType = (typeof PARTNER_TYPES)[number]["value"];
export type Channel = (typeof CHANNELS)[number]["value"];
export type Region = (typeof REGIONS)[number]["value"];

export const PARTNER_TYPE_VALUES = PARTNER_TYPES.map((t) => t.value) as [PartnerType, ...PartnerType[]];
export const CHANNEL_VALUES = CHANNELS.map((c) => c.value) as [Channel, ...Channel[]];
export const REGION_VALUES = REGIONS.map((r) => r.value) as [Region, ...Region[]];

const labels = new Map<string, string>([...PARTNER_TYPES, ...CHANNELS, ...REGIONS].map((o) => [o.value, o.label]));
export const labelOf = (value: string) => labels.get(value) ?? value;

export const APPLICATION_STATUSES = [
  { value: "submitted", label: "Pending review" },
  { value: "info_requested", label: "Information requested" },
  { value: "approved", label: "Approved" },
  { value: "rejected", label: "Rejected" },
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number]["value"];
export const APPLICATION_STATUS_VALUES = APPLICATION_STATUSES.map((s) => s.value) as [ApplicationStatus, ...ApplicationStatus[]];

/** Structured rejection reasons: they are told to the applicant and counted in reports. */
export const REJECTION_REASONS = [
  { value: "audience_fit", label: "Audience is not a fit for the program" },
  { value: "audience_size", label: "Audience is below the program's minimum" },
  { value: "region", label: "Region not served by the program" },
  { value: "channel", label: "Channels not offered by the program" },
  { value: "brand_safety", label: "Brand safety concerns" },
  { value: "incomplete", label: "Not enough information to assess" },
  { value: "duplicate", label: "Duplicate of another application" },
  { value: "other", label: "Other" },
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number]["value"];
export const REJECTION_REASON_VALUES = REJECTION_REASONS.map((r) => r.value) as [RejectionReason, ...RejectionReason[]];

const statusLabels = new Map<string, string>([...APPLICATION_STATUSES, ...REJECTION_REASONS].map((o) => [o.value, o.label]));
export const applicationLabelOf = (value: string) => statusLabels.get(value) ?? labelOf(value);

/** The apply form's limits: the schema enforces them, the form shows them (`maxlength`, counters, hints). */
export const LONG_ANSWER_MAX = 2000;
export const AUDIENCE_SIZE_MAX = 2_000_000_000;
export const REPLY_MAX_CHARS = 2000;

/**
 * The status page, with the reference filled in when we know it (confirmation
 * page and email), so the applicant only types the email they applied with.
 */
export const applicationStatusPath = (reference?: string) => (reference ? `/apply/status?reference=${encodeURIComponent(reference)}` : "/apply/status");
