import { sql } from "drizzle-orm";
import { bigint, check, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { timestamps } from "./columns";
import { partnerOrganisations } from "./partners";

/**
 * Where a submission stands (PRODUCT.md, "Creative review"): `draft` until the
 * partner submits; `submitted` waits for a reviewer; `in_review` once one
 * takes it; a decision ends in `changes_requested` (the partner resubmits a new
 * version), `approved` or `rejected`; `withdrawn` when the partner took it back
 * before a decision; `revoked` when an approval was taken back (admin or
 * legal, with a reason).
 */
export const creativeStatus = pgEnum("creative_status", [
  "draft",
  "submitted",
  "in_review",
  "changes_requested",
  "approved",
  "rejected",
  "withdrawn",
  "revoked",
]);

export const creativeFileKind = pgEnum("creative_file_kind", ["image", "pdf", "video"]);

/** One finding of the pre-screen, as stored with the version it ran on. */
export type StoredFinding = { code: string; severity: "error" | "warning"; message: string; start: number | null; end: number | null };

/** Why a version needs the stages it has: the matching rule, as it read when the version was routed. */
export type VersionRouting = {
  matrixVersion: number;
  ruleIndex: number;
  ruleName: string;
  /** The rule's conditions in words ("channel is Paid social"), or empty for the catch-all. */
  reasons: string[];
  stages: ("brand" | "legal")[];
  mode: "sequential" | "parallel";
  autoApproved: boolean;
};

/** A library claim as it stood when the version was submitted: reviewers judge the version against this. */
export type ClaimSnapshot = { id: string; text: string; disclaimers: string[] };

/**
 * A co-branded creative a partner organisation submits for review. The row
 * holds the working copy (the draft, or the next version being prepared after
 * changes were requested); what was submitted lives in `creative_versions`,
 * which never change.
 */
export const creatives = pgTable(
  "creatives",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => partnerOrganisations.id),
    status: creativeStatus("status").notNull().default("draft"),
    title: text("title").notNull(),
    channel: text("channel").notNull(),
    placement: text("placement").notNull().default(""),
    plannedLaunchOn: date("planned_launch_on"),
    destinationUrl: text("destination_url").notNull().default(""),
    copy: text("copy").notNull().default(""),
    claimIds: uuid("claim_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    disclosure: text("disclosure").notNull().default(""),
    // The newest submitted version; 0 while it is a first draft.
    latestVersion: integer("latest_version").notNull().default(0),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
    withdrawnReason: text("withdrawn_reason"),
    // The version that was finally approved, and a revocation of that approval.
    approvedVersion: integer("approved_version"),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedById: uuid("revoked_by_id").references(() => users.id),
    revokedReason: text("revoked_reason"),
    // Submissions the pre-screen refused since the last version: the next version records it (first-try pass rate).
    prescreenBlockedAttempts: integer("prescreen_blocked_attempts").notNull().default(0),
    createdById: uuid("created_by_id")
      .notNull()
      .references(() => users.id),
    ...timestamps(),
  },
  (t) => [
    index("creatives_org_idx").on(t.organisationId, t.updatedAt),
    index("creatives_status_idx").on(t.status, t.submittedAt),
    check("creatives_copy_length_ck", sql`char_length(${t.copy}) <= 5000`),
  ],
);

/**
 * A file uploaded to a creative. Objects are written before the row (the
 * orphan sweep removes objects with no row); a file a version refers to is
 * never deleted, only detached from the working copy.
 */
export const creativeFiles = pgTable(
  "creative_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    creativeId: uuid("creative_id")
      .notNull()
      .references(() => creatives.id),
    kind: creativeFileKind("kind").notNull(),
    storageKey: text("storage_key").notNull(),
    // A PNG made once from the image, the first GIF frame or the first PDF page; null when none can be made (video).
    previewKey: text("preview_key"),
    contentType: text("content_type").notNull(),
    originalFilename: text("original_filename").notNull(),
    byteSize: bigint("byte_size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    width: integer("width"),
    height: integer("height"),
    pageCount: integer("page_count"),
    // Set when the partner removes it from the working copy; versions keep what they had.
    detachedAt: timestamp("detached_at", { withTimezone: true }),
    uploadedById: uuid("uploaded_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("creative_files_creative_idx").on(t.creativeId, t.createdAt), uniqueIndex("creative_files_storage_key_uq").on(t.storageKey)],
);

/**
 * A submitted version: everything the reviewers decide on, frozen at submit
 * (copy, metadata, files, the claims as they stood, the pre-screen's findings
 * and the rule-set version they came from).
 */
export const creativeVersions = pgTable(
  "creative_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    creativeId: uuid("creative_id")
      .notNull()
      .references(() => creatives.id),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    channel: text("channel").notNull(),
    placement: text("placement").notNull(),
    plannedLaunchOn: date("planned_launch_on"),
    destinationUrl: text("destination_url").notNull(),
    copy: text("copy").notNull(),
    claims: jsonb("claims").$type<ClaimSnapshot[]>().notNull(),
    disclosure: text("disclosure").notNull(),
    findings: jsonb("findings").$type<StoredFinding[]>().notNull(),
    ruleSetVersion: integer("rule_set_version").notNull(),
    // Submissions the pre-screen refused before this version went through (0: it passed at the first try).
    prescreenBlockedAttempts: integer("prescreen_blocked_attempts").notNull().default(0),
    // The approval matrix's answer for this version; null for versions submitted before review routing existed.
    routing: jsonb("routing").$type<VersionRouting>(),
    // How the version ended: the decision that closed it, or withdrawn/revoked; null while in review.
    outcome: text("outcome").$type<"approved" | "approved_with_changes" | "changes_requested" | "rejected" | "withdrawn" | "revoked">(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    submittedById: uuid("submitted_by_id")
      .notNull()
      .references(() => users.id),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("creative_versions_number_uq").on(t.creativeId, t.number),
    // Submissions and decisions over a range (Admin → Reports → Workflow).
    index("creative_versions_submitted_idx").on(t.submittedAt),
    index("creative_versions_decided_idx").on(t.decidedAt),
  ],
);

/** The files of a version, in the order the partner gave them. */
export const creativeVersionFiles = pgTable(
  "creative_version_files",
  {
    versionId: uuid("version_id")
      .notNull()
      .references(() => creativeVersions.id),
    fileId: uuid("file_id")
      .notNull()
      .references(() => creativeFiles.id),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.fileId] })],
);

/**
 * The pre-screen's rules, one row per saved version (numbered by `version`);
 * the newest applies. Versions record which rules a submission was checked
 * against, so a later change never rewrites history.
 */
export const prescreenRuleSets = pgTable("prescreen_rule_sets", {
  version: integer("version").primaryKey(),
  rules: jsonb("rules").notNull(),
  createdById: uuid("created_by_id").references(() => users.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Creative = typeof creatives.$inferSelect;
export type CreativeFile = typeof creativeFiles.$inferSelect;
export type CreativeVersion = typeof creativeVersions.$inferSelect;
