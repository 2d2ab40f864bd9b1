import { z } from "zod";
import { OptionalText, RequiredText, WholeNumber } from "~/lib/forms.server";
import { CHANNEL_VALUES } from "../applications/catalog";
import { CLICK_ID_PARAM_PATTERN, DEFAULT_STATS_DAYS, LINK_LIMITS, STATS_RANGE_DAYS, UTM_PARAMS } from "./catalog";

/** The partner's "new evergreen link" form. The destination's allowlist check is the domain's (it reads the current list). */
export const EvergreenLinkSchema = z.object({
  label: RequiredText("A name", LINK_LIMITS.labelMax),
  destinationUrl: RequiredText("The destination", LINK_LIMITS.urlMax),
  channel: z.enum(CHANNEL_VALUES, { error: "Choose the channel from the list." }),
});

/** An admin disabling or re-enabling a link: the reason goes on record. */
export const LinkStatusSchema = z.object({
  intent: z.enum(["disable", "enable"], { error: "Choose to disable or enable the link." }),
  linkId: z.uuid("Choose a link from the list."),
  reason: z
    .string()
    .trim()
    .min(LINK_LIMITS.reasonMin, `Give a reason of at least ${LINK_LIMITS.reasonMin} characters: it goes on record.`)
    .max(LINK_LIMITS.reasonMax, `Keep the reason to ${LINK_LIMITS.reasonMax} characters.`),
});

const httpsUrlOrEmpty = (what: string) =>
  OptionalText(what, LINK_LIMITS.urlMax)
    .transform((v) => v ?? "")
    // One message at a time: an address without https:// is not also "not a valid web address".
    .refine((v) => v === "" || /^https:\/\/[^\s/?#]+/i.test(v), { message: `${what} must be a full https:// address.`, abort: true })
    .refine((v) => {
      if (v === "") return true;
      try {
        new URL(v);
        return true;
      } catch {
        return false;
      }
    }, `${what} is not a valid web address.`);

// An empty limit is a mistake to point out, not a zero: WholeNumber refuses it where z.coerce would read 0.
const evergreenLimit = (tier: string) => WholeNumber(`the ${tierWords(tier)} limit`, 0, LINK_LIMITS.evergreenMax);
const tierWords = (tier: string) => tier.replace(/[-_]+/g, " ");

/** The admin's link settings form; one `limit_<tier>` field per tier of the program. */
export function linkSettingsSchema(tiers: readonly string[]) {
  return z
    .object({
      fallbackUrl: httpsUrlOrEmpty("The fallback page"),
      defaultDestinationUrl: httpsUrlOrEmpty("The default destination"),
      clickIdParam: z
        .string({ error: "Enter the click id parameter's name (for example cb_click)." })
        .trim()
        .toLowerCase()
        .regex(CLICK_ID_PARAM_PATTERN, "Use 2 to 32 lower-case letters, digits or underscores, starting with a letter (for example cb_click).")
        .refine((v) => !(UTM_PARAMS as readonly string[]).includes(v), "The click id cannot use a UTM parameter's name."),
      clickRetentionMonths: WholeNumber("the months to keep clicks", LINK_LIMITS.retentionMinMonths, LINK_LIMITS.retentionMaxMonths),
      ...Object.fromEntries(tiers.map((tier) => [`limit_${tier}`, evergreenLimit(tier)])),
    })
    .transform(({ fallbackUrl, defaultDestinationUrl, clickIdParam, clickRetentionMonths, ...limits }) => ({
      fallbackUrl,
      defaultDestinationUrl,
      clickIdParam,
      clickRetentionMonths,
      evergreenLimits: Object.fromEntries(tiers.map((tier) => [tier, (limits as Record<string, number>)[`limit_${tier}`]!])),
    }));
}

const KIND_VALUES = ["creative", "evergreen"] as const;
const STATUS_VALUES = ["active", "disabled"] as const;

/** The admin list's filters, from the query string; nonsense is ignored. */
export const LinkFiltersSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  partner: z.uuid().optional().catch(undefined),
  kind: z.enum(KIND_VALUES).optional().catch(undefined),
  status: z.enum(STATUS_VALUES).optional().catch(undefined),
});

export type LinkFilters = z.infer<typeof LinkFiltersSchema>;

/** The stats pages' `?days=`: one of the ranges offered; anything else is the default. */
export const StatsRangeSchema = z.object({
  days: z.coerce
    .number()
    .catch(DEFAULT_STATS_DAYS)
    .transform((days) => STATS_RANGE_DAYS.find((offered) => offered === days) ?? DEFAULT_STATS_DAYS),
});
