import { sql } from "drizzle-orm";
import { check, date, index, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { timestamps } from "./columns";

export const claimStatus = pgEnum("claim_status", ["draft", "approved", "retired"]);

/**
 * An approved product claim partners may use, with the disclaimers that must
 * go with it. `substantiation` and `ownerId` are internal: they never reach a
 * partner page.
 */
export const claims = pgTable(
  "claims",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    text: text("text").notNull(),
    disclaimers: text("disclaimers").array().notNull(),
    category: text("category").notNull(),
    channels: text("channels").array().notNull(),
    regions: text("regions").array().notNull(),
    substantiation: text("substantiation").notNull().default(""),
    ownerId: uuid("owner_id").references(() => users.id),
    reviewBy: date("review_by").notNull(),
    expiresOn: date("expires_on"),
    status: claimStatus("status").notNull().default("draft"),
    approvedById: uuid("approved_by_id").references(() => users.id),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
    createdById: uuid("created_by_id").references(() => users.id),
    ...timestamps(),
  },
  (t) => [
    index("claims_status_idx").on(t.status, t.category),
    index("claims_channels_idx").using("gin", t.channels),
    index("claims_regions_idx").using("gin", t.regions),
    check("claims_disclaimer_required_ck", sql`cardinality(${t.disclaimers}) > 0`),
  ],
);

export type Claim = typeof claims.$inferSelect;
