// Conversions as plain data: defaults, limits and the words for how a
// conversion was attributed, shared by the server and the browser bundle (no
// drizzle, no zod).
import type { AttributionNote } from "#db/schema/conversions";
import { formatDate, formatDateTime } from "~/lib/dates";

export type { AttributionNote };

export const ATTRIBUTION_MODELS = [
  {
    value: "last_click",
    label: "Last click",
    description: "The click whose id the brand's systems post with the order earns it: the visitor's most recent click before buying.",
  },
  {
    value: "first_click",
    label: "First click",
    description:
      "The visitor's earliest countable click within the window earns it, whoever's link it was. Visitors are recognised only within one day (UTC): their identity is hashed with a salt that changes daily.",
  },
] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number]["value"];
export const ATTRIBUTION_MODEL_VALUES = ATTRIBUTION_MODELS.map((m) => m.value) as [AttributionModel, ...AttributionModel[]];
export const attributionModelLabel = (model: string) => ATTRIBUTION_MODELS.find((m) => m.value === model)?.label ?? model;

export const ATTRIBUTED_BY = [
  { value: "click", label: "Click" },
  { value: "coupon", label: "Coupon code" },
  { value: "none", label: "Unattributed" },
] as const;
export type AttributedBy = (typeof ATTRIBUTED_BY)[number]["value"];
export const ATTRIBUTED_BY_VALUES = ATTRIBUTED_BY.map((a) => a.value) as [AttributedBy, ...AttributedBy[]];
export const attributedByLabel = (value: string) => ATTRIBUTED_BY.find((a) => a.value === value)?.label ?? value;

export type ConversionSettings = {
  /** Days before the order in which a click earns it. */
  attributionWindowDays: number;
  attributionModel: AttributionModel;
  /** The currency reports are shown in first; conversions in others are reported apart, never converted. */
  programCurrency: string;
  /** Whether partner owners may make their own coupon codes. */
  partnersCreateCoupons: boolean;
};

export const DEFAULT_CONVERSION_SETTINGS: ConversionSettings = {
  attributionWindowDays: 30,
  attributionModel: "last_click",
  programCurrency: "USD",
  partnersCreateCoupons: false,
};

export const CONVERSION_SETTINGS_LIMITS = { windowMinDays: 1, windowMaxDays: 365 } as const;

/**
 * How far the brand's clock may be behind ours: a click recorded up to this
 * long after the order's time still earns it. The order's time comes from the
 * brand's servers and the click's from ours; a shop that stamps the order when
 * the basket opens, or runs a few minutes slow, would otherwise lose its
 * freshest clicks.
 */
export const CLICK_CLOCK_SKEW_MS = 5 * 60_000;

/** An order time further ahead of our clock than this is refused: a mistake, not a skew. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

export const COUPON_LIMITS = { codeMin: 3, codeMax: 32 } as const;
/** What a coupon code may be made of: what people type at a checkout without ambiguity. */
export const COUPON_CODE_PATTERN = /^[A-Za-z0-9_-]+$/;

export const CONVERSIONS_PAGE_SIZE = 25;
export const COUPONS_PAGE_SIZE = 25;
/** How many coupons the links page and the partner page show before "see all". */
export const COUPONS_SHOWN = 5;

export type CouponStatus = "active" | "expired" | "disabled";
export const COUPON_STATUS_LABELS: Record<CouponStatus, string> = { active: "Active", expired: "Expired", disabled: "Disabled" };
export const COUPON_STATUS_TONE = { active: "success", expired: "neutral", disabled: "danger" } as const;

const NOT_COUNTABLE: Record<Extract<AttributionNote, { kind: "click_not_countable" }>["reason"], string> = {
  test: "was a test click, which only test conversions are attributed to",
  bot: "came from a bot or a link preview, not a person",
  fallback: "was sent to the fallback page (the link could not send visitors on at the time)",
  orphan: "was on a short link that does not exist",
};

/**
 * One attribution note in words, for the admin's conversion page.
 * `partnerName` names the partner of a coupon that lost to a click.
 */
export function attributionNoteText(note: AttributionNote, context: { windowDays: number; partnerName?: (id: string) => string | null }): string {
  switch (note.kind) {
    case "click_unknown":
      return `The click id ${note.clickId} matches no recorded click (mistyped, made up, or from a click older than the clicks kept).`;
    case "click_outside_window":
      return `The click ${note.clickId} was made ${formatDateTime(note.clickedAt)}, outside the ${context.windowDays}-day attribution window before the order.`;
    case "click_not_countable":
      return `The click ${note.clickId} ${NOT_COUNTABLE[note.reason]}, so it earns nothing.`;
    case "coupon_unknown":
      return `No coupon has the code ${note.code}.`;
    case "coupon_expired":
      return `The coupon ${note.code} had expired when the order was placed.`;
    case "coupon_disabled":
      return `The coupon ${note.code} is disabled.`;
    case "coupon_partner_inactive":
      return `The coupon ${note.code} belongs to a partner whose partnership was ${note.partnerStatus} when the order came in, so it earns nothing.`;
    case "coupon_conflict": {
      const partner = context.partnerName?.(note.couponOrganisationId) ?? "another partner";
      return `The coupon ${note.code} belongs to ${partner}. The click and the coupon named different partners: the click wins.`;
    }
    case "first_click":
      return `First-click model: the same visitor's earlier click that day wins over the click id that was posted (${note.postedClickId}).`;
  }
}

/** "Valid until 3 Dec 2026" style wording of a coupon's expiry (it expires at the end of its last day, UTC). */
export function couponExpiryText(expiresAt: Date | string | null): string {
  if (!expiresAt) return "No expiry";
  const lastDay = new Date(new Date(expiresAt).getTime() - 1);
  return `Until ${formatDate(lastDay)}`;
}
