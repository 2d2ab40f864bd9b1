import { z } from "zod";
import { COMMERCIAL_MODEL_VALUES } from "../partners/catalog";
import { ATTRIBUTED_BY_VALUES, ATTRIBUTION_MODEL_VALUES } from "./catalog";

/**
 * The request bodies of the conversions API. The same schemas validate the
 * requests and generate the OpenAPI document (zod-to-openapi reads `.meta`),
 * so the document cannot drift from what the API accepts. Objects are strict:
 * a misspelt field ("ammount") is an error that names it, not silently ignored.
 */

export const CONVERSION_LIMITS = {
  idMax: 200,
  codeMax: 64,
  reasonMax: 500,
  metadataBytesMax: 4096,
  // 10¹³ minor units: ten thousand billion cents, far beyond any order, well inside a safe integer.
  amountMax: 10_000_000_000_000,
} as const;

// ISO 4217 codes this Node knows; a made-up "ABC" is refused with the field named.
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

const Identifier = (what: string, max: number = CONVERSION_LIMITS.idMax) =>
  z
    .string({ error: `${what} must be a string.` })
    .trim()
    .min(1, `${what} must not be empty.`)
    .max(max, `${what} must be at most ${max} characters.`)
    // Printable characters only: ids are shown to people and put in CSV files.
    .regex(/^[\x21-\x7e][\x20-\x7e]*$/, `${what} must be printable ASCII characters.`);

const MinorUnits = (what: string, min: number) =>
  z
    .number({ error: `${what} must be a whole number of minor units (cents), such as 1999 for 19.99.` })
    .int(`${what} must be a whole number of minor units (cents), such as 1999 for 19.99.`)
    .min(min, `${what} must be at least ${min}.`)
    .max(CONVERSION_LIMITS.amountMax, `${what} is too large.`);

const Timestamp = (what: string) =>
  z.iso
    .datetime({ offset: true, error: `${what} must be an ISO 8601 date and time with a time zone, such as 2026-11-30T14:05:00Z.` })
    .transform((v) => new Date(v));

export const CurrencyCode = z
  .string({ error: "currency must be a string." })
  .regex(/^[A-Z]{3}$/, "currency must be a three-letter ISO 4217 code in capitals, such as USD.")
  .refine((code) => KNOWN_CURRENCIES.has(code), "currency is not an ISO 4217 currency code.")
  .meta({ description: "The currency of the amount: its three-letter ISO 4217 code, in capitals.", example: "USD" });

/** Whether a JSON value has the NUL character in a string or a key, anywhere. */
function holdsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\0");
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === "object") return Object.entries(value).some(([key, inner]) => key.includes("\0") || holdsNul(inner));
  return false;
}

const Metadata = z
  .record(z.string(), z.unknown(), { error: "metadata must be an object." })
  .refine(
    (value) => Buffer.byteLength(JSON.stringify(value)) <= CONVERSION_LIMITS.metadataBytesMax,
    `metadata must be at most ${CONVERSION_LIMITS.metadataBytesMax} bytes of JSON.`,
  )
  // PostgreSQL's jsonb cannot hold the NUL character: refused here with the field named, not failed on write.
  .refine((value) => !holdsNul(value), "metadata must not contain the NUL character (\\u0000).");

export const ConversionInput = z
  .strictObject(
    {
      orderId: Identifier("orderId").meta({ description: "Your order id. A conversion is counted once per order id, forever.", example: "ORD-10042" }),
      amount: MinorUnits("amount", 0).meta({ description: "Order value in minor units of the currency (cents).", example: 4999 }),
      currency: CurrencyCode,
      occurredAt: Timestamp("occurredAt").meta({ description: "When the order was placed.", example: "2026-11-30T14:05:00Z" }),
      clickId: Identifier("clickId", CONVERSION_LIMITS.codeMax)
        .optional()
        .meta({ description: "The click id your landing page read from the click id parameter (cb_click by default)." }),
      couponCode: Identifier("couponCode", CONVERSION_LIMITS.codeMax)
        .optional()
        .meta({ description: "A partner's coupon code, used when no click id attributes the order." }),
      customerId: Identifier("customerId").optional().meta({ description: "Your customer id, kept for your own reconciliation." }),
      metadata: Metadata.optional().meta({
        description: `Anything else to keep with the conversion (at most ${CONVERSION_LIMITS.metadataBytesMax} bytes of JSON).`,
      }),
      test: z
        .boolean({ error: "test must be true or false." })
        .default(false)
        .meta({ description: "A test conversion: attributed (to test clicks too) but never counted or paid." }),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown field: ${issue.keys.join(", ")}.` : "The body must be a JSON object.") },
  )
  .meta({ id: "ConversionInput" });

export type ConversionInput = z.infer<typeof ConversionInput>;

export const RefundInput = z
  .strictObject(
    {
      refundId: Identifier("refundId").meta({ description: "Your refund id. A refund is applied once per refund id of the order.", example: "RF-77" }),
      amount: MinorUnits("amount", 1).meta({ description: "Refunded amount in minor units; at most what is left unrefunded.", example: 1500 }),
      occurredAt: Timestamp("occurredAt").optional().meta({ description: "When the refund happened; the time of the request when left out." }),
      reason: z.string().trim().max(CONVERSION_LIMITS.reasonMax, `reason must be at most ${CONVERSION_LIMITS.reasonMax} characters.`).optional(),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown field: ${issue.keys.join(", ")}.` : "The body must be a JSON object.") },
  )
  .meta({ id: "RefundInput" });

export type RefundInput = z.infer<typeof RefundInput>;

// The answers. Types of the domain's views are inferred from these, so what
// the domain returns and what the OpenAPI document says cannot differ.

const Instant = z.iso.datetime({ offset: true }).meta({ example: "2026-11-30T14:05:00.000Z" });
const Minor = z.number().int();

const AttributionNoteOutput = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("click_unknown"), clickId: z.string() }).meta({ description: "The click id matches no recorded click." }),
    z
      .object({ kind: z.literal("click_outside_window"), clickId: z.string(), clickedAt: Instant })
      .meta({ description: "The click was made outside the attribution window before the order." }),
    z
      .object({ kind: z.literal("click_not_countable"), clickId: z.string(), reason: z.enum(["test", "bot", "fallback", "orphan"]) })
      .meta({ description: "The click was a test click (for a conversion that is not a test), a bot's, sent to the fallback page, or on an unknown link." }),
    z.object({ kind: z.literal("coupon_unknown"), code: z.string() }).meta({ description: "No coupon has this code." }),
    z.object({ kind: z.literal("coupon_expired"), code: z.string() }).meta({ description: "The coupon had expired when the order was placed." }),
    z.object({ kind: z.literal("coupon_disabled"), code: z.string() }).meta({ description: "The coupon is disabled." }),
    z
      .object({ kind: z.literal("coupon_partner_inactive"), code: z.string(), partnerStatus: z.enum(["paused", "terminated"]) })
      .meta({ description: "The coupon's partner was paused or terminated: the coupon attributes nothing." }),
    z
      .object({ kind: z.literal("coupon_conflict"), code: z.string(), couponOrganisationId: z.uuid() })
      .meta({ description: "The coupon belongs to another partner than the click's: the click won." }),
    z
      .object({ kind: z.literal("first_click"), postedClickId: z.string() })
      .meta({ description: "First-click model: an earlier click of the same visitor won over the posted click id." }),
  ])
  .meta({ id: "AttributionNote", description: "One reason the attribution went the way it did." });

export const ConversionOutput = z
  .object({
    id: z.uuid(),
    orderId: z.string(),
    amount: Minor.meta({ description: "Order value in minor units, as sent." }),
    currency: z.string().meta({ example: "USD" }),
    occurredAt: Instant,
    receivedAt: Instant,
    test: z.boolean(),
    attribution: z.object({
      attributedBy: z.enum(ATTRIBUTED_BY_VALUES).meta({ description: "What earned the conversion: a click, a coupon code, or nothing (kept, unattributed)." }),
      partner: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).nullable(),
      link: z.object({ id: z.uuid(), code: z.string() }).nullable(),
      creativeVersion: z.object({ id: z.uuid(), creativeId: z.uuid() }).nullable(),
      clickId: z.string().nullable().meta({ description: "The click that earned it (under the first-click model, perhaps not the one posted)." }),
      coupon: z.object({ code: z.string() }).nullable(),
      windowDays: z.number().int().meta({ description: "The attribution window in force when the conversion was received." }),
      model: z.enum(ATTRIBUTION_MODEL_VALUES),
      notes: z.array(AttributionNoteOutput),
    }),
    commission: z.object({
      model: z.enum(COMMERCIAL_MODEL_VALUES).nullable().meta({ description: "The partner's commercial model when the conversion happened." }),
      rateBasisPoints: z.number().int().nullable().meta({ description: "The rate of a revenue or lead share, in basis points (1250 = 12.5 %)." }),
      amount: Minor.meta({ description: "Commission earned, in minor units, rounded half to even. Zero for test conversions, fixed fees and co-op budgets." }),
      currency: z.string(),
    }),
    refunded: z.object({ amount: Minor, commission: Minor.meta({ description: "Commission taken back by refunds." }) }),
  })
  .meta({ id: "Conversion" });

export type ConversionView = z.infer<typeof ConversionOutput>;

export const RefundOutput = z
  .object({
    id: z.uuid(),
    refundId: z.string(),
    orderId: z.string(),
    amount: Minor,
    currency: z.string(),
    commissionReversed: Minor.meta({ description: "Commission this refund took back, in minor units." }),
    occurredAt: Instant,
    receivedAt: Instant,
    reason: z.string().nullable(),
  })
  .meta({ id: "Refund" });

export type RefundView = z.infer<typeof RefundOutput>;

export const RefundResultOutput = z.object({ refund: RefundOutput, conversion: ConversionOutput }).meta({ id: "RefundResult" });
