import { and, asc, desc, eq, getTableColumns, gt, isNotNull, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { creatives, creativeVersions, reviewStages, users, type Creative, type ReviewStage } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { hasRole, REVOKER_ROLES } from "../accounts/roles";
import { creativeReviewConflict } from "../separation-of-duties.server";
import { mayWorkOnStage, IN_REVIEW_STATUSES } from "./decisions.server";
import { stageLabel, type ReviewStageName } from "./matrix";
import { dueLabel } from "./sla";

// What the review pages read: the stages of a creative with who decided and
// who holds them, what the person looking may do now, a partner's track
// record, and the sentence that tells a partner what happens next.

export type StageWithNames = ReviewStage & { decidedByName: string | null; assigneeName: string | null };

const decider = alias(users, "decider");
const assignee = alias(users, "assignee");

function stagesWithNames(db: Db, where: SQL): Promise<StageWithNames[]> {
  return db
    .select({ ...getTableColumns(reviewStages), decidedByName: decider.name, assigneeName: assignee.name })
    .from(reviewStages)
    .leftJoin(decider, eq(decider.id, reviewStages.decidedById))
    .leftJoin(assignee, eq(assignee.id, reviewStages.assigneeId))
    .where(where)
    .orderBy(desc(reviewStages.versionNumber), asc(reviewStages.position), asc(reviewStages.stage));
}

/** Every stage of every version of a creative, newest version first, each in review order. */
export function stagesOfCreative(db: Db, creativeId: string): Promise<StageWithNames[]> {
  return stagesWithNames(db, eq(reviewStages.creativeId, creativeId));
}

export type TeamStageView = StageWithNames & {
  label: string;
  due: { text: string; overdue: boolean } | null;
  /** The viewer may decide this stage now (it is open, their role fits, and separation of duties allows it). */
  mayDecide: boolean;
  mayClaim: boolean;
  mayRelease: boolean;
  /** Why the viewer may not decide an open stage, when separation of duties is the reason. */
  conflict: string | null;
};

export type TeamReviewState = {
  creative: Pick<Creative, "id" | "status" | "latestVersion" | "organisationId" | "approvedVersion">;
  version: { id: string; number: number; routing: (typeof creativeVersions.$inferSelect)["routing"]; outcome: string | null; submittedById: string };
  stages: TeamStageView[];
  /** The stages the viewer may decide right now. */
  decidable: ReviewStageName[];
  mayRevoke: boolean;
};

/**
 * The latest version's review as a member of the brand team sees it: each
 * stage with its due time, and what this viewer may do (decide, claim,
 * release, revoke), judged by the rules the domain enforces on the write.
 * Null for a draft or an unknown id.
 */
export async function reviewStateForTeam(
  db: Db,
  creativeId: string,
  now: Date,
  viewer: { id: string; role: string; partnerOrgId?: string | null },
): Promise<TeamReviewState | null> {
  const [creative] = await db.select().from(creatives).where(eq(creatives.id, creativeId));
  if (!creative || creative.status === "draft" || creative.latestVersion < 1) return null;
  const [version] = await db
    .select()
    .from(creativeVersions)
    .where(and(eq(creativeVersions.creativeId, creativeId), eq(creativeVersions.number, creative.latestVersion)));
  if (!version) return null;
  const rows = await stagesWithNames(db, eq(reviewStages.versionId, version.id));
  const inReview = IN_REVIEW_STATUSES.includes(creative.status);
  const stages = rows.map((row): TeamStageView => {
    const open = inReview && row.status === "pending";
    const conflict = creativeReviewConflict({
      decider: { id: viewer.id, partnerOrgId: viewer.partnerOrgId ?? null },
      creative,
      version,
      stage: row.stage,
      decisions: rows,
    });
    const mayDecide = open && mayWorkOnStage(viewer.role, row.stage) && conflict === null;
    return {
      ...row,
      label: stageLabel(row.stage),
      due: row.status === "pending" && row.dueAt ? dueLabel(now, row.dueAt) : null,
      mayDecide,
      mayClaim: mayDecide && row.assigneeId === null,
      mayRelease: open && row.assigneeId !== null && (row.assigneeId === viewer.id || viewer.role === "admin"),
      conflict: open ? conflict : null,
    };
  });
  return {
    creative: {
      id: creative.id,
      status: creative.status,
      latestVersion: creative.latestVersion,
      organisationId: creative.organisationId,
      approvedVersion: creative.approvedVersion,
    },
    version: { id: version.id, number: version.number, routing: version.routing, outcome: version.outcome, submittedById: version.submittedById },
    stages,
    decidable: stages.filter((s) => s.mayDecide).map((s) => s.stage),
    mayRevoke: creative.status === "approved" && hasRole(viewer.role, REVOKER_ROLES),
  };
}

export type PartnerHistory = {
  submitted: number;
  approved: number;
  /** Approved at version 1, of the creatives whose first version was decided; null before any was. */
  firstPassRate: number | null;
  /** Submissions the pre-screen let through at the first attempt, of all submitted versions; null before any. */
  prescreenFirstTryRate: number | null;
  lastSubmissions: { id: string; title: string; status: Creative["status"]; latestVersion: number; submittedAt: Date | null }[];
};

const rate = (part: number, whole: number) => (whole ? part / whole : null);

/** A partner organisation's track record, for the review page: what reviewers weigh a new submission against. */
export async function partnerHistory(db: Db, partnerOrgId: string): Promise<PartnerHistory> {
  const first = alias(creativeVersions, "first_version");
  const rows = await db
    .select({
      id: creatives.id,
      title: creatives.title,
      status: creatives.status,
      latestVersion: creatives.latestVersion,
      submittedAt: creatives.submittedAt,
      approvedVersion: creatives.approvedVersion,
      firstOutcome: first.outcome,
    })
    .from(creatives)
    .leftJoin(first, and(eq(first.creativeId, creatives.id), eq(first.number, 1)))
    .where(and(eq(creatives.organisationId, partnerOrgId), gt(creatives.latestVersion, 0)))
    .orderBy(desc(creatives.submittedAt), desc(creatives.id));
  const versions = await db
    .select({ blocked: creativeVersions.prescreenBlockedAttempts })
    .from(creativeVersions)
    .innerJoin(creatives, eq(creatives.id, creativeVersions.creativeId))
    .where(eq(creatives.organisationId, partnerOrgId));
  const decided = rows.filter((r) => r.firstOutcome !== null && r.firstOutcome !== "withdrawn");
  return {
    submitted: rows.length,
    approved: rows.filter((r) => r.approvedVersion !== null).length,
    firstPassRate: rate(decided.filter((r) => r.approvedVersion === 1).length, decided.length),
    prescreenFirstTryRate: rate(versions.filter((v) => v.blocked === 0).length, versions.length),
    lastSubmissions: rows.slice(0, 5).map(({ id, title, status, latestVersion, submittedAt }) => ({ id, title, status, latestVersion, submittedAt })),
  };
}

/** Whether any creative of the organisation was ever approved, by a reviewer or by the matrix (the onboarding checklist's step). */
export async function hasApprovedCreative(db: Db, partnerOrgId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: creatives.id })
    .from(creatives)
    .where(and(eq(creatives.organisationId, partnerOrgId), isNotNull(creatives.approvedVersion)))
    .limit(1);
  return Boolean(row);
}

type StageForPartner = Pick<ReviewStage, "stage" | "status" | "versionNumber" | "dueAt" | "confirmsVersion">;

const both = (names: string[]) => names.join(" and ");

/**
 * What the partner needs to know comes next, in one sentence, from the
 * creative's state and its latest version's stages (any other version's
 * stages passed in are ignored). With `now`, a waiting stage says when it is due.
 */
export function nextStepForPartner(creative: Pick<Creative, "status" | "latestVersion">, stages: readonly StageForPartner[], now?: Date): string {
  const current = stages.filter((s) => s.versionNumber === creative.latestVersion);
  switch (creative.status) {
    case "draft":
      return "Submit it for review when it is ready: the pre-screen checks it first.";
    case "submitted":
    case "in_review": {
      const pending = current.filter((s) => s.status === "pending");
      const waiting = current.filter((s) => s.status === "waiting");
      if (!pending.length) return "Waiting for review.";
      const names = both(pending.map((s) => `${stageLabel(s.stage).toLowerCase()} review`));
      const confirming = pending.some((s) => s.confirmsVersion !== null) ? " to confirm the required changes" : "";
      const soonest = pending
        .map((s) => s.dueAt)
        .filter((d): d is Date => d !== null)
        .sort((a, b) => a.getTime() - b.getTime())[0];
      const due = now && soonest ? ` (${dueLabel(now, soonest).text})` : "";
      const then = waiting.length ? `; ${both(waiting.map((s) => `${stageLabel(s.stage).toLowerCase()} review`))} follows` : "";
      return `Waiting for ${names}${confirming}${due}${then}.`;
    }
    case "changes_requested": {
      const confirming = current.find((s) => s.status === "approved_with_changes");
      return confirming
        ? `Upload a new version that addresses the required changes; ${stageLabel(confirming.stage).toLowerCase()} review will confirm them.`
        : "Upload a new version that addresses the requested changes; it will be reviewed again.";
    }
    case "approved":
      return "Nothing more is needed: it is approved. Use it exactly as approved.";
    case "rejected":
      return "Nothing more can be done with this creative: it was rejected. Start a new one to try again.";
    case "withdrawn":
      return "You withdrew it, so nothing is waiting for review.";
    case "revoked":
      return "Stop using it wherever it runs: the approval was revoked.";
  }
}
