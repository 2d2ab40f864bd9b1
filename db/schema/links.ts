import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { creatives, creativeVersions } from "./creatives";
import { partnerOrganisations } from "./partners";

export const linkStatus = pgEnum("link_status", ["active", "disabled"]);

/** `creative`: issued when a creative version was approved, bound to it; `evergreen`: made by the partner to an allowlisted page. */
export const linkKind = pgEnum("link_kind", ["creative", "evergreen"]);

/**
 * A tracking link (PRODUCT.md, "Tracking links"). The UTM values are fixed
 * when the link is made, so a later rename never splits its reports; the
 * destination's host is checked against the allowlist again on every click.
 */
export const trackingLinks = pgTable(
  "tracking_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Unguessable: 8 base62 characters from the CSPRNG.
    code: text("code").notNull(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => partnerOrganisations.id),
    kind: linkKind("kind").notNull(),
    creativeId: uuid("creative_id").references(() => creatives.id),
    creativeVersionId: uuid("creative_version_id").references(() => creativeVersions.id),
    // What the partner calls it (the creative's title for creative links).
    label: text("label").notNull(),
    destinationUrl: text("destination_url").notNull(),
    utmSource: text("utm_source").notNull(),
    utmMedium: text("utm_medium").notNull(),
    utmCampaign: text("utm_campaign").notNull(),
    utmContent: text("utm_content").notNull(),
    status: linkStatus("status").notNull().default("active"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledReason: text("disabled_reason"),
    createdById: uuid("created_by_id").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("tracking_links_code_uq").on(t.code),
    index("tracking_links_org_idx").on(t.organisationId, t.createdAt),
    index("tracking_links_creative_idx").on(t.creativeId),
    uniqueIndex("tracking_links_version_uq")
      .on(t.creativeVersionId)
      .where(sql`${t.creativeVersionId} is not null`),
  ],
);

/** Why a click went to the fallback page instead of the link's destination. */
export const clickFallbackReason = pgEnum("click_fallback_reason", [
  "link_disabled",
  "partner_paused",
  "partner_terminated",
  "approval_revoked",
  "host_not_allowed",
  "unknown_code",
]);

export const userAgentClass = pgEnum("user_agent_class", ["browser", "bot", "unknown"]);

/**
 * One visit to a short link, written in batches after the response. The
 * table is partitioned by month (migration 0019; housekeeping makes the
 * partitions ahead and drops the ones past retention), so its key includes
 * the time. No raw IP is stored: `visitorHash` is an HMAC of IP and user agent
 * under a salt that changes every day. Orphan visits (an unknown code) have no
 * link and keep the code asked for.
 */
export const linkClicks = pgTable(
  "link_clicks",
  {
    clickedAt: timestamp("clicked_at", { withTimezone: true }).notNull(),
    // The click id appended to the destination (`cb_click` by default): conversions name it.
    clickId: text("click_id").notNull(),
    linkId: uuid("link_id"),
    organisationId: uuid("organisation_id"),
    requestedCode: text("requested_code"),
    visitorHash: text("visitor_hash").notNull(),
    userAgentClass: userAgentClass("user_agent_class").notNull(),
    referrerHost: text("referrer_host"),
    country: text("country"),
    isBot: boolean("is_bot").notNull(),
    isUnique: boolean("is_unique").notNull(),
    isTest: boolean("is_test").notNull(),
    fallbackReason: clickFallbackReason("fallback_reason"),
  },
  // The primary key is the only index, on purpose: every index costs each of
  // the thousands of clicks a second its insert (bench/README.md). A click is
  // found by its id through the key, since the id's first characters are its
  // millisecond (app/domain/links/codes.server.ts); reports read the rollups.
  (t) => [primaryKey({ columns: [t.clickedAt, t.clickId] })],
);

/**
 * Counts per link and day, upserted once per batch per link (never a row
 * updated per click). Stats pages read only these. `day` is the UTC date.
 */
export const linkClickDaily = pgTable(
  "link_click_daily",
  {
    linkId: uuid("link_id")
      .notNull()
      .references(() => trackingLinks.id),
    day: date("day").notNull(),
    organisationId: uuid("organisation_id").notNull(),
    clicks: integer("clicks").notNull().default(0),
    uniqueClicks: integer("unique_clicks").notNull().default(0),
    botClicks: integer("bot_clicks").notNull().default(0),
    testClicks: integer("test_clicks").notNull().default(0),
    fallbackClicks: integer("fallback_clicks").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.linkId, t.day] }),
    index("link_click_daily_org_idx").on(t.organisationId, t.day),
    // The whole program's days over a range (Admin → Reports): the key leads with the link and the other index with the partner.
    index("link_click_daily_day_idx").on(t.day),
  ],
);

/**
 * link_click_daily summed per link and calendar month (`month` is its first
 * day), upserted by the same statement as the day's row (decision 031): a
 * report over whole months reads one row per link and month instead of one
 * per day. Counts are bigint: a month of a busy link outgrows an integer.
 */
export const linkClickMonthly = pgTable(
  "link_click_monthly",
  {
    linkId: uuid("link_id")
      .notNull()
      .references(() => trackingLinks.id),
    month: date("month").notNull(),
    organisationId: uuid("organisation_id").notNull(),
    clicks: bigint("clicks", { mode: "number" }).notNull().default(0),
    uniqueClicks: bigint("unique_clicks", { mode: "number" }).notNull().default(0),
    botClicks: bigint("bot_clicks", { mode: "number" }).notNull().default(0),
    testClicks: bigint("test_clicks", { mode: "number" }).notNull().default(0),
    fallbackClicks: bigint("fallback_clicks", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.linkId, t.month] }),
    index("link_click_monthly_org_idx").on(t.organisationId, t.month),
    index("link_click_monthly_month_idx").on(t.month),
    check("link_click_monthly_month_start_ck", sql`extract(day from ${t.month}) = 1`),
  ],
);

/**
 * Which visitors a link has seen today: a batch inserts its visitors here
 * with ON CONFLICT DO NOTHING, and those it could insert are the day's unique
 * clicks, right across instances. Rows older than yesterday are removed.
 */
export const linkDailyVisitors = pgTable(
  "link_daily_visitors",
  {
    linkId: uuid("link_id").notNull(),
    day: date("day").notNull(),
    visitorHash: text("visitor_hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.linkId, t.day, t.visitorHash] })],
);

/** Evergreen links a partner organisation may have, per tier. */
export type EvergreenLimits = Record<string, number>;

/**
 * The program's link settings: one row (id is always true). Absent until an
 * admin saves them; the defaults in app/domain/links/catalog.ts apply meanwhile.
 */
export const linkSettings = pgTable("link_settings", {
  id: boolean("id").primaryKey().default(true),
  fallbackUrl: text("fallback_url").notNull().default(""),
  defaultDestinationUrl: text("default_destination_url").notNull().default(""),
  clickIdParam: text("click_id_param").notNull().default("cb_click"),
  evergreenLimits: jsonb("evergreen_limits").$type<EvergreenLimits>().notNull().default({}),
  clickRetentionMonths: integer("click_retention_months").notNull().default(25),
  updatedById: uuid("updated_by_id").references(() => users.id),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type TrackingLink = typeof trackingLinks.$inferSelect;
export type LinkClick = typeof linkClicks.$inferInsert;
export type LinkSettingsRow = typeof linkSettings.$inferSelect;
