import { z } from "zod";
import { RequiredText } from "~/lib/forms.server";
import { CHANNEL_VALUES, PARTNER_TYPE_VALUES, REGION_VALUES } from "../applications/catalog";

export const BrandingSchema = z.object({
  intent: z.literal("branding"),
  name: RequiredText("Program name", 80),
  tagline: RequiredText("Tagline", 140),
  description: RequiredText("Description", 2000),
  brandColor: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, "Use a hex colour such as #4f46e5."),
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
    .transform((text) => [...new Set(text.split(/[\s,]+/).map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean))])
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
    .transform((text) => [...new Set(text.split(/[\n,]+/).map((t) => t.trim().toLowerCase().replace(/\s+/g, "_")).filter(Boolean))])
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

export const SettingsSchema = z.discriminatedUnion("intent", [BrandingSchema, RulesSchema, SiteAddressSchema]);
