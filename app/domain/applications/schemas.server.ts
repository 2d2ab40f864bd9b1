import { z } from "zod";
import { Email, RequiredText } from "~/lib/forms.server";
import { manyOf } from "../settings/schemas.server";
import { COMMERCIAL_MODEL_VALUES, CURRENCIES, RATE_MODELS } from "../partners/catalog";
import { CHANNEL_VALUES, PARTNER_TYPE_VALUES, REGION_VALUES, REJECTION_REASON_VALUES } from "./catalog";

const OptionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .optional()
    .transform((v) => (v ? v : null));

/** The public apply form. Unknown fields are dropped by zod, never stored. */
export const ApplySchema = z.object({
  company: RequiredText("Company", 120),
  contactName: RequiredText("Your name", 120),
  email: Email,
  website: OptionalText("Website", 300).refine(
    (v) => v === null || /^(https?:\/\/)?[a-z0-9.-]+\.[a-z]{2,}(\/\S*)?$/i.test(v),
    "Enter a website address such as https://example.com.",
  ),
  partnerType: z.enum(PARTNER_TYPE_VALUES, { error: "Choose the kind of partner you are." }),
  channels: manyOf(CHANNEL_VALUES, "Choose channels from the list.").refine((v) => v.length > 0, "Choose at least one channel."),
  audienceSize: z.coerce
    .number({ error: "Enter your audience size as a number." })
    .int("Use a whole number.")
    .min(0, "Use 0 or more.")
    .max(2_000_000_000, "That number is too large."),
  regions: manyOf(REGION_VALUES, "Choose regions from the list.").refine((v) => v.length > 0, "Choose at least one region."),
  audienceDescription: RequiredText("Audience description", 2000),
  promotionPlan: RequiredText("How you would promote us", 2000),
  socialHandles: OptionalText("Social handles", 500),
  privacyConsent: z.literal("yes", { error: "Please agree to the privacy notice to apply." }),
  // Honeypot: hidden from people, filled in by bots.
  fax: z.string().max(0, "Leave this field empty.").optional(),
});

export type ApplyInput = z.infer<typeof ApplySchema>;

const decimal = (label: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim().replace(/,/g, "")) : v),
    z.coerce
      .number({ error: `Enter the ${label} as a number.` })
      .positive(`The ${label} must be more than 0.`)
      .max(max, `The ${label} must be at most ${max.toLocaleString("en")}.`)
      .refine((n) => Number.isInteger(Math.round(n * 100)) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, `Use at most two decimals for the ${label}.`)
      .optional(),
  );

export const ApproveSchema = z
  .object({
    intent: z.literal("approve"),
    tier: z.string({ error: "Choose a tier." }).trim().min(1, "Choose a tier.").max(32, "Choose a tier from the list."),
    commercialModel: z.enum(COMMERCIAL_MODEL_VALUES, { error: "Choose a commercial model." }),
    rate: decimal("rate", 100),
    amount: decimal("amount", 10_000_000),
    currency: z.enum(CURRENCIES, { error: "Choose a currency." }).optional(),
  })
  .superRefine((input, ctx) => {
    if (RATE_MODELS.includes(input.commercialModel)) {
      if (input.rate === undefined) ctx.addIssue({ code: "custom", path: ["rate"], message: "Enter the rate as a percentage, such as 12.5." });
    } else {
      if (input.amount === undefined) ctx.addIssue({ code: "custom", path: ["amount"], message: "Enter the amount." });
      if (input.currency === undefined) ctx.addIssue({ code: "custom", path: ["currency"], message: "Choose a currency." });
    }
  });
export type ApproveInput = z.infer<typeof ApproveSchema>;

export const RejectSchema = z.object({
  intent: z.literal("reject"),
  reason: z.enum(REJECTION_REASON_VALUES, { error: "Choose a reason." }),
  note: OptionalText("The note", 2000),
});
export type RejectInput = z.infer<typeof RejectSchema>;

export const RequestInfoSchema = z.object({
  intent: z.literal("request_info"),
  message: RequiredText("Your question", 2000),
});
export type RequestInfoInput = z.infer<typeof RequestInfoSchema>;

export const InvitationIntentSchema = z.object({
  intent: z.enum(["resend_invitation", "revoke_invitation"]),
  invitationId: z.uuid({ error: "Invitation not found." }),
});

export const DecisionSchema = z.discriminatedUnion("intent", [ApproveSchema, RejectSchema, RequestInfoSchema, InvitationIntentSchema]);

export const StatusCheckSchema = z.object({
  reference: z
    .string({ error: "Enter your reference." })
    .trim()
    .toUpperCase()
    .min(1, "Enter your reference.")
    .max(40, "That is not a reference from our emails."),
  email: Email,
});
