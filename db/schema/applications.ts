import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { partnerOrganisations } from "./partners";
import { timestamps } from "./columns";

export const applicationStatus = pgEnum("application_status", ["submitted", "approved", "rejected", "info_requested"]);

export type StoredScore = {
  total: number;
  components: Record<"audienceFit" | "channelQuality" | "brandAlignment" | "risk", { score: number; max: number; reasons: string[] }>;
};
export type StoredFlag = { code: string; severity: "high" | "medium" | "low"; message: string };

/** A partner application, with its score and flags computed at submission. */
export const applications = pgTable(
  "applications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reference: text("reference").notNull(),
    status: applicationStatus("status").notNull().default("submitted"),
    company: text("company").notNull(),
    contactName: text("contact_name").notNull(),
    email: text("email").notNull(),
    emailDomain: text("email_domain").notNull(),
    website: text("website"),
    websiteDomain: text("website_domain"),
    partnerType: text("partner_type").notNull(),
    channels: text("channels").array().notNull(),
    audienceSize: integer("audience_size").notNull(),
    regions: text("regions").array().notNull(),
    audienceDescription: text("audience_description").notNull(),
    promotionPlan: text("promotion_plan").notNull(),
    socialHandles: text("social_handles"),
    privacyConsentAt: timestamp("privacy_consent_at", { withTimezone: true }).notNull(),
    fitScore: integer("fit_score").notNull(),
    score: jsonb("score").$type<StoredScore>().notNull(),
    flags: jsonb("flags").$type<StoredFlag[]>().notNull(),
    flagCodes: text("flag_codes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decidedById: uuid("decided_by_id").references(() => users.id),
    rejectionReason: text("rejection_reason"),
    // Shared with the applicant: the rejection note or the information request.
    decisionNote: text("decision_note"),
    // Request-information link: only its SHA-256 is stored, like every emailed token.
    amendTokenHash: text("amend_token_hash"),
    amendExpiresAt: timestamp("amend_expires_at", { withTimezone: true }),
    revision: integer("revision").notNull().default(1),
    partnerOrgId: uuid("partner_org_id").references(() => partnerOrganisations.id),
    submitterIp: text("submitter_ip"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("applications_reference_uq").on(t.reference),
    index("applications_email_idx").on(t.email),
    index("applications_website_domain_idx").on(t.websiteDomain),
    index("applications_status_score_idx").on(t.status, t.fitScore),
    index("applications_submitted_idx").on(t.submittedAt),
    uniqueIndex("applications_amend_token_uq").on(t.amendTokenHash),
  ],
);

export type Application = typeof applications.$inferSelect;

/**
 * The applicant's answer to a request for information, sent with the amended
 * application: a text reply and at most one file. The file is stored under a
 * generated key (`attachmentKey`), never a name the applicant chose; the row
 * is written only after the object passed its checks.
 */
export const applicationReplies = pgTable(
  "application_replies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    // The application's revision this reply produced (the amended one).
    revision: integer("revision").notNull(),
    message: text("message"),
    attachmentKey: text("attachment_key"),
    attachmentName: text("attachment_name"),
    attachmentContentType: text("attachment_content_type"),
    attachmentSize: integer("attachment_size"),
    attachmentSha256: text("attachment_sha256"),
    ...timestamps(),
  },
  (t) => [index("application_replies_application_idx").on(t.applicationId, t.createdAt)],
);

export type ApplicationReply = typeof applicationReplies.$inferSelect;
