import { z } from "zod";
import { Email, RequiredText } from "~/lib/forms.server";
import { manyOf } from "../settings/schemas.server";
import { CHANNEL_VALUES, PARTNER_TYPE_VALUES, REGION_VALUES } from "./catalog";

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
