import { z } from "zod";
import { RequiredText } from "~/lib/forms.server";
import { CHANNEL_VALUES, REGION_VALUES } from "../applications/catalog";
import { manyOf } from "../settings/schemas.server";

const isoDate = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, message)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), message);

/** One disclaimer per line; blank lines are dropped. */
const Disclaimers = z
  .string({ error: "Add at least one disclaimer." })
  .max(4000, "Keep the disclaimers under 4,000 characters.")
  .transform((v) =>
    v
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(z.string().max(500, "Keep each disclaimer under 500 characters.")).min(1, "Add at least one disclaimer.").max(10, "Use at most 10 disclaimers."),
  );

export const ClaimSchema = z
  .object({
    text: RequiredText("The claim", 500),
    disclaimers: Disclaimers,
    category: RequiredText("Category", 60),
    channels: manyOf(CHANNEL_VALUES, "Choose channels from the list.").refine((v) => v.length > 0, "Choose at least one channel."),
    regions: manyOf(REGION_VALUES, "Choose regions from the list.").refine((v) => v.length > 0, "Choose at least one region."),
    substantiation: z.string().trim().max(4000, "Keep the substantiation note under 4,000 characters.").default(""),
    ownerId: z.uuid("Choose the owner from the list."),
    reviewBy: isoDate("Enter the review-by date."),
    expiresOn: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : null))
      .pipe(isoDate("Enter the expiry as a date.").nullable()),
  })
  .refine((v) => !v.expiresOn || v.expiresOn >= v.reviewBy, { path: ["expiresOn"], message: "The claim cannot expire before its review-by date." });

export type ClaimInput = z.infer<typeof ClaimSchema>;

export const ClaimActionSchema = z.discriminatedUnion("intent", [z.object({ intent: z.literal("approve") }), z.object({ intent: z.literal("retire") })]);

export const PartnerClaimFiltersSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  category: z.string().trim().max(60).optional().catch(undefined),
  channel: z.enum(CHANNEL_VALUES).optional().catch(undefined),
  region: z.enum(REGION_VALUES).optional().catch(undefined),
});

export type PartnerClaimFilters = z.infer<typeof PartnerClaimFiltersSchema>;

export const TeamClaimFiltersSchema = z.object({
  status: z.enum(["draft", "approved", "retired", "all"]).catch("all"),
  q: z.string().trim().max(100).optional().catch(undefined),
});
