import { and, eq, gte, inArray, isNotNull, isNull, lt } from "drizzle-orm";
import { creativeVersions, reviewStages } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { REVIEW_STAGES, type ReviewStageName } from "./matrix";

// How review performs over a period, for the reports: time in each stage
// against its SLA, how often a first version is approved, and how often the
// pre-screen lets a submission through at the first attempt.

const HOUR = 3_600_000;

/** A stage's decisions, as opposed to `cancelled`: the stage did its work. */
const DECIDED = ["approved", "approved_with_changes", "changes_requested", "rejected"] as const;

export type StageMeasures = {
  stage: ReviewStageName;
  decided: number;
  /** Hours from the stage opening to its decision; null without decisions. */
  averageHours: number | null;
  medianHours: number | null;
  slaMet: number;
  slaBreached: number;
};

export type ReviewMeasures = {
  stages: StageMeasures[];
  /** Version 1 approved (by a reviewer or the matrix), of the first versions decided in the period; null when none were. */
  firstPassRate: number | null;
  /** Versions submitted in the period that passed the pre-screen at the first attempt; null when none were submitted. */
  prescreenFirstTryRate: number | null;
};

/** The middle value (the mean of the two middle ones for an even count), as percentile_cont(0.5) reads it. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The measures of decisions taken in [from, to). A stage counts when someone
 * decided it in the period; approvals carried over from an earlier version
 * are that version's decision and are not counted twice.
 */
export async function reviewMeasures(db: Db, period: { from: Date; to: Date }): Promise<ReviewMeasures> {
  const decided = await db
    .select({ stage: reviewStages.stage, startedAt: reviewStages.startedAt, dueAt: reviewStages.dueAt, decidedAt: reviewStages.decidedAt })
    .from(reviewStages)
    .where(
      and(
        inArray(reviewStages.status, [...DECIDED]),
        isNull(reviewStages.carriedFromVersion),
        isNotNull(reviewStages.startedAt),
        gte(reviewStages.decidedAt, period.from),
        lt(reviewStages.decidedAt, period.to),
      ),
    );
  const stages = REVIEW_STAGES.map(({ value: stage }): StageMeasures => {
    const rows = decided.filter((r) => r.stage === stage);
    const hours = rows.map((r) => (r.decidedAt!.getTime() - r.startedAt!.getTime()) / HOUR);
    const met = rows.filter((r) => r.dueAt && r.decidedAt! <= r.dueAt).length;
    return {
      stage,
      decided: rows.length,
      averageHours: hours.length ? hours.reduce((a, b) => a + b, 0) / hours.length : null,
      medianHours: median(hours),
      slaMet: met,
      slaBreached: rows.length - met,
    };
  });

  const firsts = await db
    .select({ outcome: creativeVersions.outcome })
    .from(creativeVersions)
    .where(
      and(
        eq(creativeVersions.number, 1),
        isNotNull(creativeVersions.outcome),
        gte(creativeVersions.decidedAt, period.from),
        lt(creativeVersions.decidedAt, period.to),
      ),
    );
  const firstDecided = firsts.filter((v) => v.outcome !== "withdrawn");
  // A revoked version had been approved: it passed at the first try even if the approval was later taken back.
  const firstApproved = firstDecided.filter((v) => v.outcome === "approved" || v.outcome === "revoked");

  const submitted = await db
    .select({ blocked: creativeVersions.prescreenBlockedAttempts })
    .from(creativeVersions)
    .where(and(gte(creativeVersions.submittedAt, period.from), lt(creativeVersions.submittedAt, period.to)));

  return {
    stages,
    firstPassRate: firstDecided.length ? firstApproved.length / firstDecided.length : null,
    prescreenFirstTryRate: submitted.length ? submitted.filter((v) => v.blocked === 0).length / submitted.length : null,
  };
}
