import { sql } from "drizzle-orm";
import { date, index, integer, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";

export const partnerStatus = pgEnum("partner_status", ["onboarding", "active", "paused", "terminated"]);

export const commercialModel = pgEnum("commercial_model", ["revenue_share", "fixed_fee", "co_op", "lead_share"]);

/**
 * A partner organisation, created when its application is approved. Its slug
 * is the `utm_source` of every link it gets, so it never changes.
 */
export const partnerOrganisations = pgTable(
  "partner_organisations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    status: partnerStatus("status").notNull().default("onboarding"),
    partnerType: text("partner_type"),
    tier: text("tier").notNull().default("standard"),
    commercialModel: commercialModel("commercial_model").notNull().default("revenue_share"),
    // Percent in basis points (revenue and lead share): 1250 = 12.5 %.
    rateBasisPoints: integer("rate_basis_points"),
    // Fixed fee or co-op budget in minor units of `currency`.
    amountMinor: integer("amount_minor"),
    currency: text("currency"),
    website: text("website"),
    regions: text("regions")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // The channels it promotes through (from its application): which claims it sees.
    channels: text("channels")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    renewalDate: date("renewal_date"),
    // The nearest reminder stage (days before renewalDate: 30, then 7) already
    // sent for the current renewal date; cleared when the date changes.
    renewalRemindedDays: smallint("renewal_reminded_days"),
    // Onboarding starts when the organisation is created; it ends (status
    // `active`) at the owner's first complete acceptance of the required policies.
    onboardingStartedAt: timestamp("onboarding_started_at", { withTimezone: true }).notNull().defaultNow(),
    activatedAt: timestamp("activated_at", { withTimezone: true }),
    // The first click on one of its links that was neither a test nor a bot:
    // it ends "time to onboard", kept in seconds from the application.
    firstLinkLiveAt: timestamp("first_link_live_at", { withTimezone: true }),
    timeToOnboardSeconds: integer("time_to_onboard_seconds"),
    // A test conversion was attributed to one of its test clicks: "Tracking validated".
    trackingValidatedAt: timestamp("tracking_validated_at", { withTimezone: true }),
    // The kill switch (lifecycle.server.ts): when the partnership was paused
    // (cleared on resume) or terminated, and the admin's reason, which the
    // partner's banner and the admin's Status card show.
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    terminatedAt: timestamp("terminated_at", { withTimezone: true }),
    statusReason: text("status_reason"),
    // The current health score (docs/health-score.md), 0-100, or null when the
    // partner is not scored (onboarding, terminated, no data): written by
    // housekeeping and after the changes that move it, so the directory can
    // sort 2,000 partners by it without computing any (decision 026).
    healthScore: smallint("health_score"),
    healthScoredAt: timestamp("health_scored_at", { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("partner_organisations_slug_uq").on(t.slug),
    // Launches over a range (Admin → Reports → Workflow).
    index("partner_organisations_first_live_idx").on(t.firstLinkLiveAt),
    // The directory's default order (directory.server.ts): a page of it reads 25 index entries instead of sorting every partner.
    index("partner_organisations_name_idx").on(sql`lower(${t.name})`, t.id),
    // The directory's health sort (decision 026).
    index("partner_organisations_health_idx").on(t.healthScore),
  ],
);

/**
 * Every partner's stored health score as it stood once a day (decision 029,
 * addendum): written by the first housekeeping run of each UTC day for the
 * partners not terminated then, so the Brand & trust report can set the
 * distribution at the end of a past period beside now's without recomputing
 * 2,000 scores. `score` is null when the partner was not scored; the key
 * leads with the day, which is how the report and the retention read it.
 */
export const partnerHealthSnapshots = pgTable(
  "partner_health_snapshots",
  {
    day: date("day").notNull(),
    partnerOrganisationId: uuid("partner_organisation_id")
      .notNull()
      .references(() => partnerOrganisations.id),
    score: smallint("score"),
    // When the score was computed (the stored score's `health_scored_at`), not when the row was written.
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.partnerOrganisationId] })],
);

export type PartnerOrganisation = typeof partnerOrganisations.$inferSelect;
