import { z } from "zod";

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
  .meta({ example: "USD" });

const Metadata = z
  .record(z.string(), z.unknown(), { error: "metadata must be an object." })
  .refine(
    (value) => Buffer.byteLength(JSON.stringify(value)) <= CONVERSION_LIMITS.metadataBytesMax,
    `metadata must be at most ${CONVERSION_LIMITS.metadataBytesMax} bytes of JSON.`,
  );

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
