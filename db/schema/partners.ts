import { pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const partnerStatus = pgEnum("partner_status", [
  "onboarding",
  "active",
  "paused",
  "terminated",
]);

/** A partner organisation; its full profile arrives with applications. */
export const partnerOrganisations = pgTable(
  "partner_organisations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    status: partnerStatus("status").notNull().default("onboarding"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [uniqueIndex("partner_organisations_slug_uq").on(t.slug)],
);

export type PartnerOrganisation = typeof partnerOrganisations.$inferSelect;
