import { sql } from "drizzle-orm";
import { integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Program-wide settings and instance facts, one row per key. */
export const instanceSettings = pgTable("instance_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One line of the public earnings table: what a tier earns, and how. */
export type EarningsRow = { tier: string; model: string; range: string };

/**
 * The uploaded logo: its objects live under `prefix` (the original, a PNG for
 * emails and the favicons); `sha256` is the original's, so it versions them all.
 */
export type StoredLogo = { prefix: string; contentType: string; sha256: string; width: number; height: number };

/** The program's public identity: one row. */
export const programSettings = pgTable("program_settings", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  tagline: text("tagline").notNull(),
  description: text("description").notNull(),
  brandColor: text("brand_color").notNull(),
  logo: jsonb("logo").$type<StoredLogo>(),
  // The terms summary on the public page (Markdown); empty parts are not shown.
  summaryEarnings: text("summary_earnings").notNull().default(""),
  earningsRows: jsonb("earnings_rows").$type<EarningsRow[]>().notNull().default([]),
  summaryRequirements: text("summary_requirements").notNull().default(""),
  summaryFaq: text("summary_faq").notNull().default(""),
  // Application rules: they drive the apply form, the fit score and the risk flags.
  partnerTypesOffered: text("partner_types_offered")
    .array()
    .notNull()
    .default(sql`'{affiliate,publisher,creator,reseller,strategic}'::text[]`),
  channelsOffered: text("channels_offered")
    .array()
    .notNull()
    .default(sql`'{website_blog,email,paid_social,organic_social,video,events,marketplace}'::text[]`),
  targetRegions: text("target_regions")
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  regionsServed: text("regions_served")
    .array()
    .notNull()
    .default(sql`'{north_america,latin_america,europe,uk_ireland,middle_east_africa,asia_pacific}'::text[]`),
  minAudienceSize: integer("min_audience_size").notNull().default(1000),
  blockedEmailDomains: text("blocked_email_domains")
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  reapplyCooldownDays: integer("reapply_cooldown_days").notNull().default(30),
  // Partner tiers, best first; assets and kits are shown per tier.
  partnerTiers: text("partner_tiers")
    .array()
    .notNull()
    .default(sql`'{strategic,standard,trial}'::text[]`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type ProgramSettings = typeof programSettings.$inferSelect;
