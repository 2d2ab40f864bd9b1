import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { partnerOrganisations } from "./partners";
import { timestamps } from "./columns";
import { USER_ROLES } from "./roles";

export const userRole = pgEnum("user_role", USER_ROLES);
export const partnerMemberRole = pgEnum("partner_member_role", ["owner", "member"]);
export const userStatus = pgEnum("user_status", ["active", "disabled"]);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: userRole("role").notNull(),
    partnerOrgId: uuid("partner_org_id").references(() => partnerOrganisations.id),
    partnerRole: partnerMemberRole("partner_role"),
    status: userStatus("status").notNull().default("active"),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("users_email_uq").on(sql`lower(${t.email})`),
    index("users_partner_org_idx").on(t.partnerOrgId),
    // A partner user belongs to exactly one organisation; internal users to none.
    check("users_partner_membership_ck", sql`(${t.role} = 'partner') = (${t.partnerOrgId} is not null and ${t.partnerRole} is not null)`),
  ],
);

/**
 * Lucia's session table. `id` is the SHA-256 of the token in the cookie,
 * so a leaked table cannot be replayed as cookies.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const tokenPurpose = pgEnum("token_purpose", ["password_reset", "invitation"]);

/**
 * Single-use emailed tokens (password resets, invitations). Only the SHA-256
 * of the token is stored. An invitation carries what the new account will be.
 */
export const userTokens = pgTable(
  "user_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    purpose: tokenPurpose("purpose").notNull(),
    tokenHash: text("token_hash").notNull(),
    email: text("email").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    role: userRole("role"),
    partnerOrgId: uuid("partner_org_id").references(() => partnerOrganisations.id),
    partnerRole: partnerMemberRole("partner_role"),
    createdById: uuid("created_by_id").references(() => users.id),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("user_tokens_hash_uq").on(t.tokenHash), index("user_tokens_email_idx").on(t.email)],
);

/** Fixed-window counters shared by every instance (login throttling). */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull(),
  resetAt: timestamp("reset_at", { withTimezone: true }).notNull(),
});

export type User = typeof users.$inferSelect;
