import { z } from "zod";
import { OptionalText, RequiredText } from "~/lib/forms.server";
import { CHANNEL_VALUES } from "../applications/catalog";
import { CREATIVE_LIMITS, CREATIVE_STATUSES } from "./catalog";

const isoDateOrNull = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the launch date as a date.")
      .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "Enter the launch date as a date.")
      .nullable(),
  );

/**
 * The working copy of a creative as the partner's form sends it. Nothing
 * here is a brand rule: drafts save with whatever the pre-screen would say;
 * the rules run on submit (and live, as advice, while typing).
 */
export const CreativeDraftSchema = z.object({
  title: RequiredText("A title", CREATIVE_LIMITS.titleChars),
  channel: z.enum(CHANNEL_VALUES, { error: "Choose the channel from the list." }),
  placement: OptionalText("The placement", CREATIVE_LIMITS.placementChars),
  plannedLaunchOn: isoDateOrNull,
  destinationUrl: OptionalText("The destination", CREATIVE_LIMITS.destinationChars),
  copy: z
    .string()
    // Line endings as the browser sends them (CRLF) would shift every offset the pre-screen reports,
    // and the browser counts them as one character against maxlength.
    .overwrite((v) => v.replace(/\r\n?/g, "\n"))
    .max(CREATIVE_LIMITS.copyChars, `Keep the copy to ${CREATIVE_LIMITS.copyChars.toLocaleString("en")} characters.`)
    .default(""),
  claimIds: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.uuid("Choose claims from the library.")).max(20, "Use at most 20 claims."),
  ),
  disclosure: OptionalText("The disclosure", CREATIVE_LIMITS.disclosureChars),
});

export type CreativeDraftInput = z.infer<typeof CreativeDraftSchema>;

export const WithdrawSchema = z.object({
  reason: RequiredText("A reason", CREATIVE_LIMITS.withdrawReasonChars),
});

const STATUS_VALUES = CREATIVE_STATUSES.map((s) => s.value) as [string, ...string[]];

export const CreativeFiltersSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  status: z.enum(STATUS_VALUES).optional().catch(undefined),
  channel: z.enum(CHANNEL_VALUES).optional().catch(undefined),
});

export type CreativeFilters = z.infer<typeof CreativeFiltersSchema>;

/** The creative page's buttons: save or submit the form, withdraw with a reason, remove a file. */
export const CreativeActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save") }),
  z.object({ intent: z.literal("submit") }),
  z.object({ intent: z.literal("withdraw"), reason: RequiredText("A reason", CREATIVE_LIMITS.withdrawReasonChars) }),
  z.object({ intent: z.literal("remove_file"), fileId: z.uuid("Choose a file from the list.") }),
]);

/** What the editor sends the live check: the copy and what it is checked against, as typed so far. */
export const LiveCheckSchema = z.object({
  copy: z
    .string()
    .max(CREATIVE_LIMITS.copyChars * 2)
    .transform((v) => v.replace(/\r\n?/g, "\n")),
  channel: z.string().max(100),
  claimIds: z.array(z.uuid()).max(20).default([]),
  destinationUrl: z
    .string()
    .max(CREATIVE_LIMITS.destinationChars)
    .default("")
    .transform((v) => v.trim() || null),
  creativeId: z.uuid().nullable().default(null),
});

/** The review queue's tabs: the open stages by stage, the viewer's own, all open ones, and creatives already decided. */
export const QUEUE_TAB_VALUES = ["brand", "legal", "mine", "open", "decided"] as const;
export type QueueTab = (typeof QUEUE_TAB_VALUES)[number];

/**
 * The queue's GET parameters. Like the list filters, a value that is not one
 * of the choices is dropped (the page shows the unfiltered tab) rather than
 * refused: a stale bookmark still opens the queue.
 */
export const ReviewQueueFiltersSchema = z.object({
  tab: z.enum(QUEUE_TAB_VALUES).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  channel: z.enum(CHANNEL_VALUES).optional().catch(undefined),
  partner: z.string().trim().max(100).optional().catch(undefined),
  tier: z.string().trim().max(32).optional().catch(undefined),
  status: z.enum(["submitted", "in_review"]).optional().catch(undefined),
  warnings: z.literal("yes").optional().catch(undefined),
  mine: z.literal("yes").optional().catch(undefined),
});

export type ReviewQueueFilters = z.infer<typeof ReviewQueueFiltersSchema>;

const VersionNumber = z
  .string()
  .regex(/^[1-9]\d{0,5}$/, "Choose versions by their number.")
  .transform(Number)
  .optional();

/** Which two versions the compare page shows (`?a=1&b=2`, missing ones default to the two newest), and the PDF page (`&page=3`). */
export const CompareVersionsSchema = z.object({
  a: VersionNumber,
  b: VersionNumber,
  // A page past the last is shown as the last; nonsense is page 1.
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
