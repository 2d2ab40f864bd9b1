import { sql } from "drizzle-orm";
import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { partnerOrganisations } from "./partners";
import { timestamps } from "./columns";

/**
 * A policy partners accept: program terms, brand guidelines, disclosure
 * rules, data handling, or a kind an admin adds. `required` ones gate the
 * partner area until the current version is accepted.
 */
export const policies = pgTable(
  "policies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    required: boolean("required").notNull().default(true),
    ...timestamps(),
  },
  (t) => [uniqueIndex("policies_key_uq").on(t.key)],
);

export const policyVersionStatus = pgEnum("policy_version_status", ["draft", "published"]);

/**
 * Versions of a policy. A draft gets its number and content hash when it is
 * published; from then on the database refuses any change to it.
 */
export const policyVersions = pgTable(
  "policy_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    policyId: uuid("policy_id")
      .notNull()
      .references(() => policies.id),
    status: policyVersionStatus("status").notNull().default("draft"),
    number: integer("number"),
    body: text("body").notNull(),
    changeSummary: text("change_summary").notNull().default(""),
    contentHash: text("content_hash"),
    material: boolean("material").notNull().default(false),
    authorId: uuid("author_id").references(() => users.id),
    publishedById: uuid("published_by_id").references(() => users.id),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("policy_versions_number_uq").on(t.policyId, t.number),
    // One draft at a time per policy: the next version being written.
    uniqueIndex("policy_versions_one_draft_uq")
      .on(t.policyId)
      .where(sql`${t.status} = 'draft'`),
    index("policy_versions_policy_idx").on(t.policyId, t.publishedAt),
  ],
);

/**
 * Evidence that one partner user accepted one published version: who, for
 * which organisation, exactly which text (its hash), when, from where. Rows
 * are only ever inserted; the database refuses updates and deletes.
 */
export const policyAcceptances = pgTable(
  "policy_acceptances",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    partnerOrgId: uuid("partner_org_id")
      .notNull()
      .references(() => partnerOrganisations.id),
    policyVersionId: uuid("policy_version_id")
      .notNull()
      .references(() => policyVersions.id),
    contentHash: text("content_hash").notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }).notNull().defaultNow(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
  },
  (t) => [
    uniqueIndex("policy_acceptances_user_version_uq").on(t.userId, t.policyVersionId),
    index("policy_acceptances_org_idx").on(t.partnerOrgId, t.acceptedAt),
    index("policy_acceptances_version_idx").on(t.policyVersionId),
  ],
);

export type Policy = typeof policies.$inferSelect;
export type PolicyVersion = typeof policyVersions.$inferSelect;
export type PolicyAcceptance = typeof policyAcceptances.$inferSelect;
