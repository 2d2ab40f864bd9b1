import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { commercialModel, partnerOrganisations } from "./partners";
import { creatives, creativeVersions } from "./creatives";
import { trackingLinks } from "./links";

/** What an API key may do. */
export const apiKeyScopes = ["conversions:write", "reports:read", "links:read"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/**
 * A key for the brand's own systems to call the API. Only a SHA-256 of the
 * secret is kept (the secret is a 256-bit random token, shown once);
 * `prefix` is its first characters, so people can tell keys apart.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull(),
    scopes: text("scopes").array().$type<ApiKeyScope[]>().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdById: uuid("created_by_id").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedById: uuid("revoked_by_id").references(() => users.id),
  },
  (t) => [uniqueIndex("api_keys_token_hash_uq").on(t.tokenHash), index("api_keys_created_idx").on(t.createdAt)],
);

/**
 * A coupon code that attributes conversions to a partner when no click id
 * does. Unique whatever its case: `codeKey` is the code in lower case.
 */
export const coupons = pgTable(
  "coupons",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => partnerOrganisations.id),
    code: text("code").notNull(),
    codeKey: text("code_key").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdById: uuid("created_by_id").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("coupons_code_key_uq").on(t.codeKey), index("coupons_org_idx").on(t.organisationId, t.createdAt)],
);

export const attributionSource = pgEnum("attribution_source", ["click", "coupon", "none"]);
export const attributionModel = pgEnum("attribution_model", ["last_click", "first_click"]);

/**
 * A conversion the brand's systems posted (PRODUCT.md, "Conversions"). The
 * order id is unique with no expiry, so a retry can never count twice; the
 * row keeps what was sent (to answer a repeat, or name what differs), how it
 * was attributed and under which window and model, and the commercial terms
 * it was paid under. Only the refunded totals change after it is written.
 */
export const conversions = pgTable(
  "conversions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orderId: text("order_id").notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    clickId: text("click_id"),
    couponCode: text("coupon_code"),
    customerId: text("customer_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    isTest: boolean("is_test").notNull().default(false),
    apiKeyId: uuid("api_key_id").references(() => apiKeys.id),
    // Attribution, fixed when the conversion is written.
    attributedBy: attributionSource("attributed_by").notNull(),
    attributionModel: attributionModel("attribution_model").notNull(),
    attributionWindowDays: integer("attribution_window_days").notNull(),
    organisationId: uuid("organisation_id").references(() => partnerOrganisations.id),
    linkId: uuid("link_id").references(() => trackingLinks.id),
    creativeId: uuid("creative_id").references(() => creatives.id),
    creativeVersionId: uuid("creative_version_id").references(() => creativeVersions.id),
    // The click that won (first click may differ from the one posted) and when it happened.
    attributedClickId: text("attributed_click_id"),
    attributedClickAt: timestamp("attributed_click_at", { withTimezone: true }),
    couponId: uuid("coupon_id").references(() => coupons.id),
    // Why the posted click id or coupon did not attribute, or which coupon lost to the click.
    attributionNote: jsonb("attribution_note").$type<AttributionNote[]>().notNull().default([]),
    // The partner's terms at conversion time, and what they earned.
    commissionModel: commercialModel("commission_model"),
    commissionRateBasisPoints: integer("commission_rate_basis_points"),
    commissionMinor: bigint("commission_minor", { mode: "number" }).notNull().default(0),
    refundedMinor: bigint("refunded_minor", { mode: "number" }).notNull().default(0),
    refundedCommissionMinor: bigint("refunded_commission_minor", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    uniqueIndex("conversions_order_id_uq").on(t.orderId),
    index("conversions_org_idx").on(t.organisationId, t.occurredAt),
    index("conversions_link_idx").on(t.linkId, t.occurredAt),
    index("conversions_received_idx").on(t.receivedAt),
    check("conversions_amount_positive", sql`${t.amountMinor} >= 0`),
    check("conversions_refund_bounded", sql`${t.refundedMinor} between 0 and ${t.amountMinor}`),
  ],
);

/** One reason an attribution went the way it did, shown to admins on the conversion. */
export type AttributionNote =
  | { kind: "click_unknown"; clickId: string }
  | { kind: "click_outside_window"; clickId: string; clickedAt: string }
  | { kind: "click_not_countable"; clickId: string; reason: "test" | "bot" | "fallback" | "orphan" }
  | { kind: "coupon_unknown"; code: string }
  | { kind: "coupon_expired"; code: string }
  | { kind: "coupon_disabled"; code: string }
  | { kind: "coupon_conflict"; code: string; couponOrganisationId: string }
  | { kind: "coupon_partner_inactive"; code: string; partnerStatus: "paused" | "terminated" }
  | { kind: "first_click"; postedClickId: string };

/** A refund of part or all of a conversion; idempotent per refund id within its conversion. */
export const conversionRefunds = pgTable(
  "conversion_refunds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conversionId: uuid("conversion_id")
      .notNull()
      .references(() => conversions.id),
    refundId: text("refund_id").notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    commissionReversedMinor: bigint("commission_reversed_minor", { mode: "number" }).notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    reason: text("reason"),
    apiKeyId: uuid("api_key_id").references(() => apiKeys.id),
  },
  (t) => [uniqueIndex("conversion_refunds_refund_uq").on(t.conversionId, t.refundId), check("conversion_refunds_amount_positive", sql`${t.amountMinor} > 0`)],
);

/** `linkId` for conversions a coupon attributed: they belong to no link. */
export const NO_LINK_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Conversion counts per partner, link, day and currency, upserted in the
 * conversion's own transaction. `slot` spreads concurrent writers over a few
 * rows (Shlink's fix for a hot row); readers sum the slots. Refunds subtract
 * from the day the conversion happened. Test conversions are not counted.
 */
export const conversionDaily = pgTable(
  "conversion_daily",
  {
    organisationId: uuid("organisation_id").notNull(),
    linkId: uuid("link_id").notNull(),
    day: date("day").notNull(),
    currency: text("currency").notNull(),
    slot: smallint("slot").notNull(),
    conversions: integer("conversions").notNull().default(0),
    revenueMinor: bigint("revenue_minor", { mode: "number" }).notNull().default(0),
    commissionMinor: bigint("commission_minor", { mode: "number" }).notNull().default(0),
    refundedMinor: bigint("refunded_minor", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.linkId, t.day, t.currency, t.slot] }),
    index("conversion_daily_link_idx").on(t.linkId, t.day),
    // A partner's days over a range (its stats pages): the key leads with the partner, then the link, so without this a range reads every day of every link.
    index("conversion_daily_org_day_idx").on(t.organisationId, t.day),
    // The whole program's days over a range (Admin → Reports).
    index("conversion_daily_day_idx").on(t.day),
  ],
);

/**
 * conversion_daily summed per calendar month (`month` is its first day),
 * upserted with the day's row in the same statement (decision 031). A
 * write adds to the month's row of the slot it adds to the day's: the month
 * would otherwise be one hot row for every conversion of a busy link.
 */
export const conversionMonthly = pgTable(
  "conversion_monthly",
  {
    organisationId: uuid("organisation_id").notNull(),
    linkId: uuid("link_id").notNull(),
    month: date("month").notNull(),
    currency: text("currency").notNull(),
    slot: smallint("slot").notNull(),
    conversions: bigint("conversions", { mode: "number" }).notNull().default(0),
    revenueMinor: bigint("revenue_minor", { mode: "number" }).notNull().default(0),
    commissionMinor: bigint("commission_minor", { mode: "number" }).notNull().default(0),
    refundedMinor: bigint("refunded_minor", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    // Named: the default name of five columns is longer than PostgreSQL keeps (63 characters).
    primaryKey({ name: "conversion_monthly_pk", columns: [t.organisationId, t.linkId, t.month, t.currency, t.slot] }),
    index("conversion_monthly_org_month_idx").on(t.organisationId, t.month),
    index("conversion_monthly_month_idx").on(t.month),
    check("conversion_monthly_month_start_ck", sql`extract(day from ${t.month}) = 1`),
  ],
);

/**
 * The program's conversion settings: one row (id is always true), absent
 * until an admin saves them; the defaults in app/domain/conversions apply meanwhile.
 */
export const conversionSettings = pgTable(
  "conversion_settings",
  {
    id: boolean("id").primaryKey().default(true),
    attributionWindowDays: integer("attribution_window_days").notNull().default(30),
    attributionModel: attributionModel("attribution_model").notNull().default("last_click"),
    programCurrency: text("program_currency").notNull().default("USD"),
    partnersCreateCoupons: boolean("partners_create_coupons").notNull().default(false),
    updatedById: uuid("updated_by_id").references(() => users.id),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("conversion_settings_single_row", sql`${t.id}`)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
export type Coupon = typeof coupons.$inferSelect;
export type Conversion = typeof conversions.$inferSelect;
export type ConversionRefund = typeof conversionRefunds.$inferSelect;
export type ConversionSettingsRow = typeof conversionSettings.$inferSelect;
