import { z } from "zod";
import { WholeNumber } from "~/lib/forms.server";
import {
  ATTRIBUTED_BY_VALUES,
  ATTRIBUTION_MODEL_VALUES,
  CONVERSION_SETTINGS_LIMITS,
  COUPON_CODE_PATTERN,
  COUPON_LIMITS,
  type ConversionSettings,
} from "./catalog";

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

const Checkbox = z.preprocess((v) => v === "on" || v === "true" || v === "yes", z.boolean());

/** The admin's conversion settings form (Settings → Conversions). */
export const ConversionSettingsSchema = z.object({
  attributionWindowDays: WholeNumber("the attribution window in days", CONVERSION_SETTINGS_LIMITS.windowMinDays, CONVERSION_SETTINGS_LIMITS.windowMaxDays),
  attributionModel: z.enum(ATTRIBUTION_MODEL_VALUES, { error: "Choose last click or first click." }),
  programCurrency: z
    .string({ error: "Choose the program's currency." })
    .trim()
    .toUpperCase()
    .refine((code) => KNOWN_CURRENCIES.has(code), "Choose the program's currency from the list (an ISO 4217 code such as USD)."),
  partnersCreateCoupons: Checkbox,
}) satisfies z.ZodType<ConversionSettings, unknown>;

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A new coupon code, from the admin's or the partner owner's form. Whether it is free is the domain's to say. */
export const NewCouponSchema = z.object({
  intent: z.literal("create"),
  code: z
    .string({ error: "Enter the code." })
    .trim()
    // One message at a time: an empty code is not also "too short" and "not letters".
    .min(1, { message: "Enter the code.", abort: true })
    .max(COUPON_LIMITS.codeMax, { message: `A code is at most ${COUPON_LIMITS.codeMax} characters.`, abort: true })
    .refine((v) => v.length >= COUPON_LIMITS.codeMin, { message: `A code is at least ${COUPON_LIMITS.codeMin} characters.`, abort: true })
    .refine((v) => COUPON_CODE_PATTERN.test(v), "Use letters, digits, hyphens and underscores only: no spaces or accents."),
  expiresOn: z
    .string()
    .trim()
    .max(40, "Enter the last day as a date, such as 2027-01-31.")
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || (isoDate.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))), "Enter the last day as a date, such as 2027-01-31."),
});
export type NewCouponInput = Omit<z.infer<typeof NewCouponSchema>, "intent">;

export const DisableCouponSchema = z.object({
  intent: z.literal("disable"),
  couponId: z.uuid("Choose a coupon from the list."),
});

/** What the coupon pages' forms send: a new code, or a code to disable. */
export const CouponActionSchema = z.discriminatedUnion("intent", [NewCouponSchema, DisableCouponSchema], {
  error: "Choose to add a code or to disable one.",
});

/** The admin conversions list's filters, from the query string; nonsense is ignored. */
export const ConversionFiltersSchema = z.object({
  attributedBy: z.enum(ATTRIBUTED_BY_VALUES).optional().catch(undefined),
  partner: z.uuid().optional().catch(undefined),
  test: z.enum(["only", "exclude"]).optional().catch(undefined),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .catch(undefined),
});
export type ConversionFilters = z.infer<typeof ConversionFiltersSchema>;
