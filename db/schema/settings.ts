import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

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
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type ProgramSettings = typeof programSettings.$inferSelect;
