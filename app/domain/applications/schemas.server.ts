import { z } from "zod";
import { Email, OptionalText, RequiredText, WholeNumber } from "~/lib/forms.server";
import { manyOf } from "../settings/schemas.server";
import { commercialTermsFields, requireTermOfModel } from "../partners/schemas.server";
import { AUDIENCE_SIZE_MAX, CHANNEL_VALUES, LONG_ANSWER_MAX, PARTNER_TYPE_VALUES, REGION_VALUES, REJECTION_REASON_VALUES, REPLY_MAX_CHARS } from "./catalog";

/** The public apply form. Unknown fields are dropped by zod, never stored. */
export const ApplySchema = z.object({
  company: RequiredText("Company", 120),
  contactName: RequiredText("Your name", 120),
  email: Email,
  website: OptionalText("Website", 300).refine(
    // Letters of any script: an internationalised domain (exämple.com) is a website too.
    (v) => v === null || /^(https?:\/\/)?[\p{L}\p{N}.-]+\.(?:\p{L}{2,}|xn--[a-z0-9-]+)(\/\S*)?$/iu.test(v),
    "Enter a website address such as https://example.com.",
  ),
  partnerType: z.enum(PARTNER_TYPE_VALUES, { error: "Choose the kind of partner you are." }),
  channels: manyOf(CHANNEL_VALUES, "Choose channels from the list.").refine((v) => v.length > 0, "Choose at least one channel."),
  audienceSize: WholeNumber("your audience size", 0, AUDIENCE_SIZE_MAX),
  regions: manyOf(REGION_VALUES, "Choose regions from the list.").refine((v) => v.length > 0, "Choose at least one region."),
  audienceDescription: RequiredText("Audience description", LONG_ANSWER_MAX),
  promotionPlan: RequiredText("How you would promote us", LONG_ANSWER_MAX),
  socialHandles: OptionalText("Social handles", 500),
  privacyConsent: z.literal("yes", { error: "Please agree to the privacy notice to apply." }),
  // Honeypot: hidden from people, filled in by bots.
  fax: z.string().max(0, "Leave this field empty.").optional(),
});

export type ApplyInput = z.infer<typeof ApplySchema>;

export const ApproveSchema = z.object({ intent: z.literal("approve"), ...commercialTermsFields }).superRefine(requireTermOfModel);
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

/** The amended application, with the applicant's optional text answer to the request for information. */
export const AmendSchema = ApplySchema.extend({
  reply: OptionalText("Your answer", REPLY_MAX_CHARS),
});

/**
 * The confirmation page's query: a reference in the shape we issue
 * (see `newReference`), or nothing. The page only echoes it: no lookup, so
 * guessing references tells nobody anything.
 */
export const SubmittedQuerySchema = z.object({
  reference: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^APP-[A-Z2-9]{8}$/),
  amended: z.literal("1").optional(),
});

/** The reference a link prefills on the status page (see applicationStatusPath); anything unusable prefills nothing. */
export function referenceFromQuery(url: URL): string | undefined {
  const parsed = StatusCheckSchema.shape.reference.safeParse(url.searchParams.get("reference") ?? "");
  return parsed.success ? parsed.data : undefined;
}
