import { index, integer, jsonb, pgEnum, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { creativeFiles, creatives, creativeVersions } from "./creatives";

/** The two review stages of PRODUCT.md ("Creative review"): the brand team's, then legal's where the matrix asks for it. */
export const reviewStageName = pgEnum("review_stage_name", ["brand", "legal"]);

/**
 * Where one stage of one version stands. `waiting`: a sequential stage whose
 * turn has not come (no SLA clock yet); `pending`: open for a decision, its SLA
 * running; then the stage's decision; `cancelled` when the version stopped
 * needing it (withdrawn, or another stage's decision ended the version).
 */
export const reviewStageStatus = pgEnum("review_stage_status", [
  "waiting",
  "pending",
  "approved",
  "approved_with_changes",
  "changes_requested",
  "rejected",
  "cancelled",
]);

/**
 * One rule of the approval matrix: when every condition holds (an empty list
 * means any), the submission needs `stages`. With `autoApproveWhenClean`, a
 * submission the pre-screen found nothing in is approved without a reviewer
 * (a pre-approved template); otherwise the stages apply as usual.
 */
export type ApprovalRule = {
  name: string;
  when: { tiers: string[]; channels: string[]; partnerTypes: string[]; usesClaims: "any" | "yes" | "no" };
  stages: ("brand" | "legal")[];
  autoApproveWhenClean: boolean;
};

/** Business hours for SLA clocks: the due time counts only these hours, on weekdays, in the time zone. */
export type BusinessHours = { enabled: boolean; timeZone: string; startHour: number; endHour: number };

/**
 * The approval matrix, one row per saved version (numbered by `version`, the
 * newest applies). Rules are evaluated in order and the first that matches
 * decides; the last rule matches everything. Each submitted version records the
 * matrix version it was routed by, so a change never moves work in review.
 */
export const approvalMatrices = pgTable("approval_matrices", {
  version: integer("version").primaryKey(),
  rules: jsonb("rules").$type<ApprovalRule[]>().notNull(),
  // Brand then legal, or both at once.
  mode: text("mode").$type<"sequential" | "parallel">().notNull(),
  slaHours: jsonb("sla_hours").$type<{ brand: number; legal: number }>().notNull(),
  businessHours: jsonb("business_hours").$type<BusinessHours>().notNull(),
  createdById: uuid("created_by_id").references(() => users.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One stage of one version. The decision lives on the row, so a second
 * decision on the same stage is a row already decided; `versionNumber` lets a
 * decision name its version and be refused when the creative moved on.
 */
export const reviewStages = pgTable(
  "review_stages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    creativeId: uuid("creative_id")
      .notNull()
      .references(() => creatives.id),
    versionId: uuid("version_id")
      .notNull()
      .references(() => creativeVersions.id),
    versionNumber: integer("version_number").notNull(),
    stage: reviewStageName("stage").notNull(),
    // Order of the stages in sequential mode (brand 0, legal 1); both 0 in parallel.
    position: integer("position").notNull(),
    status: reviewStageStatus("status").notNull(),
    // The rule that required this stage, in words, as it read at routing.
    requiredBy: text("required_by").notNull(),
    // Set when this stage confirms the changes it required on that version ("approve with required changes").
    confirmsVersion: integer("confirms_version"),
    // Set when the stage's approval on that earlier version carries over (changes were another stage's to confirm).
    carriedFromVersion: integer("carried_from_version"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    dueAt: timestamp("due_at", { withTimezone: true }),
    assigneeId: uuid("assignee_id").references(() => users.id),
    assignedAt: timestamp("assigned_at", { withTimezone: true }),
    decidedById: uuid("decided_by_id").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    comment: text("comment"),
    // Overdue reminders: the first when the stage is overdue, then one a day.
    remindedAt: timestamp("reminded_at", { withTimezone: true }),
    reminders: integer("reminders").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("review_stages_version_stage_uq").on(t.versionId, t.stage),
    index("review_stages_open_idx").on(t.status, t.dueAt),
    index("review_stages_creative_idx").on(t.creativeId, t.versionNumber),
    index("review_stages_assignee_idx").on(t.assigneeId, t.status),
    // Decisions over a range (Admin → Reports → Workflow).
    index("review_stages_decided_idx").on(t.decidedAt),
  ],
);

/**
 * A reviewer's comment on a version, optionally pinned to a point of one of
 * its files: `page` (1-based, PDFs; 1 for images) and `x`, `y` as fractions of
 * the rendered width and height, so a pin survives zoom and rendition size.
 * A comment without a point is about the page (or the whole version).
 * `number` is the pin's label, counted per version.
 */
export const creativeComments = pgTable(
  "creative_comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    creativeId: uuid("creative_id")
      .notNull()
      .references(() => creatives.id),
    versionId: uuid("version_id")
      .notNull()
      .references(() => creativeVersions.id),
    number: integer("number").notNull(),
    fileId: uuid("file_id").references(() => creativeFiles.id),
    page: integer("page"),
    x: real("x"),
    y: real("y"),
    body: text("body").notNull(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolvedById: uuid("resolved_by_id").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("creative_comments_number_uq").on(t.versionId, t.number), index("creative_comments_creative_idx").on(t.creativeId)],
);

/** A PDF page rendered to an image once (files never change), for the review page's viewer and thumbnails. */
export const creativeFilePages = pgTable(
  "creative_file_pages",
  {
    fileId: uuid("file_id")
      .notNull()
      .references(() => creativeFiles.id),
    page: integer("page").notNull(),
    storageKey: text("storage_key").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.page] }), uniqueIndex("creative_file_pages_storage_key_uq").on(t.storageKey)],
);

export type ReviewStage = typeof reviewStages.$inferSelect;
export type CreativeComment = typeof creativeComments.$inferSelect;
export type ApprovalMatrix = typeof approvalMatrices.$inferSelect;
