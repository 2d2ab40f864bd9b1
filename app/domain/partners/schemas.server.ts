import { z } from "zod";
import { Email, parseDecimal, RequiredText } from "~/lib/forms.server";
import { PARTNER_TYPE_VALUES, REGION_VALUES } from "../applications/catalog";
import { COMMERCIAL_MODEL_VALUES, CURRENCIES, PARTNER_STATUS_VALUES, RATE_MODELS } from "./catalog";

const Id = z.uuid("Not found");

/** Whether a value from a URL can name a row at all (anything else names nothing). */
export const isId = (value: unknown): value is string => Id.safeParse(value).success;

export const TeamActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("invite"), email: Email }),
  z.object({ intent: z.literal("resend_invitation"), invitationId: Id }),
  z.object({ intent: z.literal("revoke_invitation"), invitationId: Id }),
  z.object({
    intent: z.literal("transfer_ownership"),
    userId: z.uuid("Choose the member who becomes the owner."),
    confirm: z.literal("on", { error: "Tick the box to confirm: you will no longer manage the team." }),
  }),
]);

// See `parseDecimal`: "12,5" is 12.5; a value that is no number stays a string and gets the message below.
const decimal = (label: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : (parseDecimal(v) ?? v)) : v),
    z
      .number({ error: `Enter the ${label} as a number.` })
      .positive(`The ${label} must be more than 0.`)
      .max(max, `The ${label} must be at most ${max.toLocaleString("en")}.`)
      .refine((n) => Number.isInteger(Math.round(n * 100)) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, `Use at most two decimals for the ${label}.`)
      .optional(),
  );

/**
 * Tier and commercial terms as one form asks for them, at approval and when
 * an admin changes them later. The rate or the amount is required depending
 * on the model (see `requireTermOfModel`).
 */
export const commercialTermsFields = {
  tier: z.string({ error: "Choose a tier." }).trim().min(1, "Choose a tier.").max(32, "Choose a tier from the list."),
  commercialModel: z.enum(COMMERCIAL_MODEL_VALUES, { error: "Choose a commercial model." }),
  rate: decimal("rate", 100),
  amount: decimal("amount", 10_000_000),
  currency: z.enum(CURRENCIES, { error: "Choose a currency." }).optional(),
};

type TermsDraft = {
  commercialModel: (typeof COMMERCIAL_MODEL_VALUES)[number];
  rate?: number | undefined;
  amount?: number | undefined;
  currency?: string | undefined;
};

/** A rate model needs its rate; an amount model needs its amount and currency. */
export function requireTermOfModel(input: TermsDraft, ctx: z.RefinementCtx): void {
  if (RATE_MODELS.includes(input.commercialModel)) {
    if (input.rate === undefined) ctx.addIssue({ code: "custom", path: ["rate"], message: "Enter the rate as a percentage, such as 12.5." });
  } else {
    if (input.amount === undefined) ctx.addIssue({ code: "custom", path: ["amount"], message: "Enter the amount." });
    if (input.currency === undefined) ctx.addIssue({ code: "custom", path: ["currency"], message: "Choose a currency." });
  }
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export const ChangeTermsSchema = z
  .object({
    intent: z.literal("change_terms"),
    ...commercialTermsFields,
    renewalDate: z
      .string()
      .trim()
      .max(40, "Enter the renewal date as a date, such as 2027-01-31.")
      .optional()
      .transform((v) => (v ? v : null))
      .refine((v) => v === null || (isoDate.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))), "Enter the renewal date as a date, such as 2027-01-31."),
    reason: RequiredText("The reason", 500),
  })
  .superRefine(requireTermOfModel);
export type ChangeTermsInput = z.infer<typeof ChangeTermsSchema>;

/** The lifecycle actions of the partner page (lifecycle.server.ts); the reason is recorded and sent to the partner. */
export const LIFECYCLE_REASON_CHARS = 1000;
export const PausePartnerSchema = z.object({ intent: z.literal("pause"), reason: RequiredText("The reason", LIFECYCLE_REASON_CHARS) });
export const ResumePartnerSchema = z.object({
  intent: z.literal("resume"),
  reason: z.string().trim().max(LIFECYCLE_REASON_CHARS, `The note must be at most ${LIFECYCLE_REASON_CHARS} characters.`).optional(),
});
export const TerminatePartnerSchema = z.object({
  intent: z.literal("terminate"),
  reason: RequiredText("The reason", LIFECYCLE_REASON_CHARS),
  confirmation: RequiredText("The partner's name, typed to confirm,", 200),
});
export const LIFECYCLE_INTENTS = ["pause", "resume", "terminate"] as const;

export const PartnerActionSchema = z.discriminatedUnion("intent", [ChangeTermsSchema, PausePartnerSchema, ResumePartnerSchema, TerminatePartnerSchema]);

export const DIRECTORY_SORTS = ["name", "newest", "tier", "health", "health_low"] as const;

/** The directory's query string; anything unknown falls back to "all" or the default sort. */
export const DirectoryFiltersSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  status: z.enum(PARTNER_STATUS_VALUES).optional().catch(undefined),
  tier: z.string().trim().max(32).optional().catch(undefined),
  type: z.enum(PARTNER_TYPE_VALUES).optional().catch(undefined),
  region: z.enum(REGION_VALUES).optional().catch(undefined),
  sort: z.enum(DIRECTORY_SORTS).catch("name").default("name"),
});
export type DirectoryFilters = z.infer<typeof DirectoryFiltersSchema>;

/** Filters from a URL's query (empty values mean "all"). */
export function directoryFiltersFrom(url: URL): DirectoryFilters {
  return DirectoryFiltersSchema.parse(Object.fromEntries([...url.searchParams].filter(([key, v]) => v !== "" && key !== "page")));
}
