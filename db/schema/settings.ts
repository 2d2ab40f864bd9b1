import { sql } from "drizzle-orm";
import { integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Program-wide settings and instance facts, one row per key. */
export const instanceSettings = pgTable("instance_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The program's public identity: one row. */
export const programSettings = pgTable("program_settings", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  tagline: text("tagline").notNull(),
  description: text("description").notNull(),
  brandColor: text("brand_color").notNull(),
  // Application rules: they drive the apply form, the fit score and the risk flags.
  partnerTypesOffered: text("partner_types_offered")
    .array()
    .notNull()
    .default(sql`'{affiliate,publisher,creator,reseller,strategic}'::text[]`),
  channelsOffered: text("channels_offered")
    .array()
    .notNull()
    .default(sql`'{website_blog,email,paid_social,organic_social,video,events,marketplace}'::text[]`),
  targetRegions: text("target_regions").array().notNull().default(sql`'{}'::text[]`),
  regionsServed: text("regions_served")
    .array()
    .notNull()
    .default(sql`'{north_america,latin_america,europe,uk_ireland,middle_east_africa,asia_pacific}'::text[]`),
  minAudienceSize: integer("min_audience_size").notNull().default(1000),
  blockedEmailDomains: text("blocked_email_domains").array().notNull().default(sql`'{}'::text[]`),
  reapplyCooldownDays: integer("reapply_cooldown_days").notNull().default(30),
  // Partner tiers, best first; assets and kits are shown per tier.
  partnerTiers: text("partner_tiers").array().notNull().default(sql`'{strategic,standard,trial}'::text[]`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type ProgramSettings = typeof programSettings.$inferSelect;
