import { z } from "zod";
import { canonicalEmail, OptionalText, RequiredText } from "~/lib/forms.server";
import { CHANNEL_VALUES, PARTNER_TYPE_VALUES, REGION_VALUES } from "../applications/catalog";
import { COMMISSION_MODEL_VALUES, EARNINGS_RANGE_MAX, MAX_EARNINGS_ROWS, normaliseHexColour, SUMMARY_LIMITS } from "./catalog";

/**
 * The colour picker and the hex field both submit. Without JavaScript they
 * are not kept in step, so the field wins when it was edited (it differs
 * from the saved colour), and the picker otherwise.
 */
const chosenColour = (v: { brandColor: string; brandColorPicker?: string | undefined; brandColorSaved?: string | undefined }) =>
  v.brandColorPicker && v.brandColor.trim() === (v.brandColorSaved ?? "").trim() ? v.brandColorPicker : v.brandColor;

export const BrandingSchema = z
  .object({
    intent: z.literal("branding"),
    name: RequiredText("Program name", 80),
    tagline: RequiredText("Tagline", 140),
    description: RequiredText("Description", 2000),
    brandColor: z.string().max(40, "Use a hex colour such as #4f46e5 or #fff.").default(""),
    brandColorPicker: z.string().max(40).optional(),
    brandColorSaved: z.string().max(40).optional(),
  })
  .superRefine((v, ctx) => {
    const chosen = chosenColour(v);
    if (!normaliseHexColour(chosen)) {
      ctx.addIssue({
        code: "custom",
        path: ["brandColor"],
        message: chosen.trim()
          ? `"${chosen.trim().slice(0, 20)}" is not a hex colour. Use # and 3 or 6 digits 0–9 and a–f, such as #4f46e5 or #fff.`
          : "Enter a hex colour such as #4f46e5.",
      });
    }
  })
  .transform(({ intent, name, tagline, description, ...colour }) => ({
    intent,
    name,
    tagline,
    description,
    brandColor: normaliseHexColour(chosenColour(colour))!,
  }));

const markdownPart = (label: string, max: number) =>
  z
    .string()
    .max(max, `${label} can be up to ${max.toLocaleString("en")} characters.`)
    .default("")
    .transform((text) => text.replace(/\r\n?/g, "\n").trim());

/**
 * The earnings table arrives as numbered rows (earnings.N.tier, .model, .range),
 * one per tier: numbered rather than repeated names so what was typed is kept
 * row by row after an error. A row with neither model nor range is left out.
 */
const earningsRowFields = Object.fromEntries(
  Array.from({ length: MAX_EARNINGS_ROWS }, (_, i) => [
    [`earnings.${i}.tier`, z.string().max(32).optional()],
    [`earnings.${i}.model`, z.string().max(40).optional()],
    [`earnings.${i}.range`, z.string().max(EARNINGS_RANGE_MAX, `Keep the range under ${EARNINGS_RANGE_MAX} characters.`).optional()],
  ]).flat(),
) as Record<string, z.ZodOptional<z.ZodString>>;

export const SummarySchema = z
  .object({
    intent: z.literal("summary"),
    summaryEarnings: markdownPart("What partners earn", SUMMARY_LIMITS.summaryEarnings),
    summaryRequirements: markdownPart("Requirements", SUMMARY_LIMITS.summaryRequirements),
    summaryFaq: markdownPart("The FAQ", SUMMARY_LIMITS.summaryFaq),
    ...earningsRowFields,
  })
  .superRefine((v, ctx) => {
    const fields = v as Record<string, string | undefined>;
    for (let i = 0; i < MAX_EARNINGS_ROWS; i++) {
      const tier = fields[`earnings.${i}.tier`]?.trim() ?? "";
      const model = fields[`earnings.${i}.model`]?.trim() ?? "";
      const range = fields[`earnings.${i}.range`]?.trim() ?? "";
      if (!model && !range) continue;
      if (model && !(COMMISSION_MODEL_VALUES as string[]).includes(model))
        ctx.addIssue({ code: "custom", path: [`earnings.${i}.model`], message: "Choose a model from the list." });
      if (!model && range)
        ctx.addIssue({ code: "custom", path: [`earnings.${i}.model`], message: `Choose how the ${tier || "tier"} tier is paid, or clear its range.` });
      if (model && !range)
        ctx.addIssue({ code: "custom", path: [`earnings.${i}.range`], message: `Give the ${tier || "tier"} tier's range, such as "10–15% of each sale".` });
    }
  })
  .transform((v) => {
    const fields = v as Record<string, string | undefined>;
    const earningsRows = Array.from({ length: MAX_EARNINGS_ROWS }, (_, i) => ({
      tier: fields[`earnings.${i}.tier`]?.trim() ?? "",
      model: fields[`earnings.${i}.model`]?.trim() ?? "",
      range: fields[`earnings.${i}.range`]?.trim().replace(/\s+/g, " ") ?? "",
    })).filter((row) => row.tier && row.model && row.range);
    return { intent: v.intent, summaryEarnings: v.summaryEarnings, summaryRequirements: v.summaryRequirements, summaryFaq: v.summaryFaq, earningsRows };
  });

/** Checkbox groups arrive as nothing, one string or several. */
export const manyOf = <T extends [string, ...string[]]>(values: T, message: string) =>
  z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(values, { error: message })));

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const TIER = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export const RulesSchema = z.object({
  intent: z.literal("rules"),
  partnerTypesOffered: manyOf(PARTNER_TYPE_VALUES, "Choose partner types from the list.").refine((v) => v.length > 0, "Offer at least one partner type."),
  channelsOffered: manyOf(CHANNEL_VALUES, "Choose channels from the list.").refine((v) => v.length > 0, "Offer at least one channel."),
  targetRegions: manyOf(REGION_VALUES, "Choose regions from the list."),
  regionsServed: manyOf(REGION_VALUES, "Choose regions from the list.").refine((v) => v.length > 0, "Serve at least one region."),
  minAudienceSize: z.coerce
    .number({ error: "Enter a number." })
    .int("Use a whole number.")
    .min(0, "Use 0 or more.")
    .max(1_000_000_000, "That is more than anyone's audience."),
  blockedEmailDomains: z
    .string()
    .max(10_000, "That list is too long.")
    .default("")
    .transform((text) => [
      ...new Set(
        text
          .split(/[\s,]+/)
          .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
          .filter(Boolean),
      ),
    ])
    .superRefine((domains, ctx) => {
      const bad = domains.filter((d) => !DOMAIN.test(d));
      if (bad.length) ctx.addIssue({ code: "custom", message: `Not a domain: ${bad.slice(0, 3).join(", ")}` });
    }),
  reapplyCooldownDays: z.coerce
    .number({ error: "Enter a number of days." })
    .int("Use a whole number of days.")
    .min(0, "Use 0 or more days.")
    .max(3650, "Use at most 3650 days."),
  partnerTiers: z
    .string()
    .max(2_000, "That list is too long.")
    .default("")
    .transform((text) => [
      ...new Set(
        text
          .split(/[\n,]+/)
          .map((t) => t.trim().toLowerCase().replace(/\s+/g, "_"))
          .filter(Boolean),
      ),
    ])
    .superRefine((tiers, ctx) => {
      if (tiers.length === 0) ctx.addIssue({ code: "custom", message: "Keep at least one tier." });
      if (tiers.length > 12) ctx.addIssue({ code: "custom", message: "Use at most 12 tiers." });
      const bad = tiers.filter((t) => !TIER.test(t));
      if (bad.length) ctx.addIssue({ code: "custom", message: `Use letters, digits and underscores, up to 32 characters: ${bad.slice(0, 3).join(", ")}` });
    }),
});

/** "https://partners.example.com" (a trailing slash is fine); null for anything with more or less than scheme and host. */
export function siteOriginOf(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password && !value.endsWith("?") && !value.endsWith("#");
  return (url.protocol === "https:" || url.protocol === "http:") && bare ? url.origin : null;
}

export const SiteAddressSchema = z.object({
  intent: z.literal("site_address"),
  siteOrigin: z
    .string({ error: "Enter the site address." })
    .trim()
    .min(1, "Enter the site address.")
    .max(200, "That address is too long.")
    .refine((value) => siteOriginOf(value) !== null, "Enter only the scheme and host, such as https://partners.example.com.")
    .transform((value) => siteOriginOf(value)!),
});

export const SettingsSchema = z.discriminatedUnion("intent", [BrandingSchema, SummarySchema, RulesSchema, SiteAddressSchema]);

/** Settings → Email: the sender's name and reply-to address; both may be left empty. */
export const EmailSenderSchema = z.object({
  intent: z.literal("sender"),
  name: OptionalText("Sender name", 80).refine((v) => v === null || !/[<>"\r\n]/.test(v), "A sender name cannot contain < > or quotation marks."),
  replyTo: z
    .string()
    .trim()
    .max(254, "That email address is too long.")
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      const email = canonicalEmail(value);
      if (email === null) {
        ctx.addIssue({ code: "custom", message: "Enter a valid email address, such as partners@example.com, or leave it empty." });
        return z.NEVER;
      }
      return email;
    }),
});

export const EmailSettingsFormSchema = z.discriminatedUnion("intent", [EmailSenderSchema, z.object({ intent: z.literal("test") })]);
