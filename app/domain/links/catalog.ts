// Tracking links as plain data: defaults, labels and limits the server, the
// redirect fast path and the browser bundle share (no drizzle, no zod).

/** The path short links live under: `/l/<code>`. */
export const SHORT_LINK_PREFIX = "/l/";

/** The short URL of a link on the site's canonical origin (never the request's Host). */
export const shortLinkUrl = (origin: string, code: string) => `${origin.replace(/\/$/, "")}${SHORT_LINK_PREFIX}${code}`;

/** Codes are 8 base62 characters from the CSPRNG (47 bits); the redirect answers only this shape. */
export const SHORT_CODE_LENGTH = 8;
export const SHORT_CODE_PATTERN = /^[0-9A-Za-z]{7,32}$/;

/** The UTM parameters the convention sets on every destination, whatever it already had. */
export const UTM_PARAMS = ["utm_source", "utm_medium", "utm_campaign", "utm_content"] as const;

/** utm_campaign of a link not made for a creative. */
export const EVERGREEN_CAMPAIGN = "evergreen";

/** Query parameter of a partner's "send a test click": a signed token, valid the day it was made. */
export const TEST_CLICK_PARAM = "cb_test";

export type LinkSettings = {
  /** Where disabled links, paused partners, revoked approvals and hosts no longer allowed send visitors; empty: the program's public page. */
  fallbackUrl: string;
  /** Destination of a creative's link when the creative has none of its own; empty: the creative gets no link. */
  defaultDestinationUrl: string;
  /** The click id parameter appended for attribution. */
  clickIdParam: string;
  /** Evergreen links an organisation may have, per tier (a tier not listed: DEFAULT_EVERGREEN_LIMIT). */
  evergreenLimits: Record<string, number>;
  /** Months of raw clicks kept; older monthly partitions are dropped (daily counts stay). */
  clickRetentionMonths: number;
};

export const DEFAULT_EVERGREEN_LIMIT = 10;

export const DEFAULT_LINK_SETTINGS: LinkSettings = {
  fallbackUrl: "",
  defaultDestinationUrl: "",
  clickIdParam: "cb_click",
  evergreenLimits: { strategic: 50, standard: 20, trial: 5 },
  clickRetentionMonths: 25,
};

export const LINK_LIMITS = {
  labelMax: 80,
  urlMax: 2000,
  reasonMin: 5,
  reasonMax: 500,
  evergreenMax: 1000,
  retentionMinMonths: 3,
  retentionMaxMonths: 120,
} as const;

/** A click id parameter name: lower case letters, digits and underscores, not one of the UTM names. */
export const CLICK_ID_PARAM_PATTERN = /^[a-z][a-z0-9_]{1,31}$/;

export const FALLBACK_REASON_LABELS = {
  link_disabled: "Link disabled",
  partner_paused: "Partner paused",
  partner_terminated: "Partner terminated",
  approval_revoked: "Creative approval revoked",
  host_not_allowed: "Destination no longer allowed",
  unknown_code: "Unknown link",
} as const;

export type FallbackReason = keyof typeof FALLBACK_REASON_LABELS;

export const LINK_STATUS_LABELS = { active: "Active", disabled: "Disabled" } as const;
export type LinkStatus = keyof typeof LINK_STATUS_LABELS;

export const LINK_KIND_LABELS = { creative: "Creative", evergreen: "Evergreen" } as const;
export type LinkKind = keyof typeof LINK_KIND_LABELS;

/** The date ranges the stats pages offer, in days (today included). */
export const STATS_RANGE_DAYS = [7, 30, 90] as const;
export type StatsRangeDays = (typeof STATS_RANGE_DAYS)[number];
export const DEFAULT_STATS_DAYS: StatsRangeDays = 30;
