import { and, asc, eq, inArray } from "drizzle-orm";
import { approvalMatrices, creativeVersions, partnerOrganisations, reviewStages, type Creative, type ReviewStage, type VersionRouting } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { REVIEW_STAGE_ROLES, type InternalRole } from "../accounts/roles";
import { DEFAULT_MATRIX, routeSubmission, routingReason, type Matrix, type ReviewStageName } from "./matrix";
import { currentMatrix } from "./matrix.server";
import { stageDueAt } from "./sla";

// Where each stage of a version stands, from routing at submit to the
// decision that ends the version: the rows of review_stages and the rules that
// write them, shared by submissions, decisions, withdrawal and reminders.

export type StageStatus = ReviewStage["status"];
export type VersionOutcome = NonNullable<(typeof creativeVersions.$inferSelect)["outcome"]>;

/** A stage still to decide: `waiting` for its turn or `pending` with its SLA clock running. */
export const OPEN_STAGE_STATUSES = ["waiting", "pending"] as const satisfies readonly StageStatus[];

export const isOpenStage = (status: string) => (OPEN_STAGE_STATUSES as readonly string[]).includes(status);

/** What a stage's SLA clock reads from the matrix. */
export type StageClock = Pick<Matrix, "slaHours" | "businessHours">;

/** A stage opening at `now`: pending, due after its SLA hours. */
export function openedStage(stage: ReviewStageName, now: Date, clock: StageClock) {
  return { status: "pending" as const, startedAt: now, dueAt: stageDueAt(now, clock.slaHours[stage], clock.businessHours) };
}

export type PlannedStage = Pick<
  typeof reviewStages.$inferInsert,
  "stage" | "position" | "status" | "requiredBy" | "confirmsVersion" | "carriedFromVersion" | "startedAt" | "dueAt" | "decidedById" | "decidedAt"
>;

/** The version before, when its stages carry into the next one (it ended "approved with required changes"). */
export type CarryOver = { number: number; stages: readonly Pick<ReviewStage, "stage" | "status" | "decidedById" | "decidedAt">[] };

/**
 * The stages a newly submitted version starts with. Without a carry-over every
 * routed stage starts fresh. With one, a stage that approved the previous
 * version keeps its approval (carried, with who decided), and the stage that
 * approved it with required changes comes back to confirm them; stages that
 * never decided start fresh. Sequentially the first stage not yet approved
 * opens and the later ones wait their turn; in parallel every open stage runs.
 */
export function planStages(routing: VersionRouting, previous: CarryOver | null, now: Date, clock: StageClock): PlannedStage[] {
  const requiredBy = routingReason(routing);
  let turnTaken = false;
  return routing.stages.map((stage, index): PlannedStage => {
    const position = routing.mode === "sequential" ? index : 0;
    const earlier = previous?.stages.find((s) => s.stage === stage);
    if (previous && earlier?.status === "approved") {
      return {
        stage,
        position,
        status: "approved",
        requiredBy,
        carriedFromVersion: previous.number,
        decidedById: earlier.decidedById,
        decidedAt: earlier.decidedAt,
      };
    }
    const confirmsVersion = previous && earlier?.status === "approved_with_changes" ? previous.number : null;
    if (routing.mode === "parallel" || !turnTaken) {
      turnTaken = true;
      return { stage, position, requiredBy, confirmsVersion, ...openedStage(stage, now, clock) };
    }
    return { stage, position, status: "waiting", requiredBy, confirmsVersion };
  });
}

/**
 * The SLA settings of the matrix a version was routed by: a later change of
 * the matrix never moves work already in review, due times included.
 */
export async function clockOfMatrix(db: Db, matrixVersion: number): Promise<StageClock> {
  const [row] = await db
    .select({ slaHours: approvalMatrices.slaHours, businessHours: approvalMatrices.businessHours })
    .from(approvalMatrices)
    .where(eq(approvalMatrices.version, matrixVersion));
  if (!row) return DEFAULT_MATRIX;
  return { slaHours: { ...DEFAULT_MATRIX.slaHours, ...row.slaHours }, businessHours: { ...DEFAULT_MATRIX.businessHours, ...row.businessHours } };
}

/** The stages of one version, in review order (brand before legal). */
export function stagesOfVersion(db: Db, versionId: string): Promise<ReviewStage[]> {
  return db.select().from(reviewStages).where(eq(reviewStages.versionId, versionId)).orderBy(asc(reviewStages.position), asc(reviewStages.stage));
}

/** A version's previous one, when its stages carry over: only "approved with required changes" hands anything on. */
async function carryOverFrom(tx: Db, creativeId: string, number: number): Promise<CarryOver | null> {
  if (number < 1) return null;
  const [previous] = await tx
    .select({ id: creativeVersions.id, outcome: creativeVersions.outcome })
    .from(creativeVersions)
    .where(and(eq(creativeVersions.creativeId, creativeId), eq(creativeVersions.number, number)));
  if (previous?.outcome !== "approved_with_changes") return null;
  return { number, stages: await stagesOfVersion(tx, previous.id) };
}

export type RoutedVersion = {
  routing: VersionRouting;
  /** The stages whose review starts now (their reviewers are told). */
  opened: ReviewStageName[];
  /** Nothing is left to decide: the matrix approved it by itself, or every stage it needs carried its approval over. */
  approved: boolean;
};

/**
 * Routes a version inside its submit transaction: the matrix in force and the
 * organisation's tier and type pick the stages (recorded on the version with
 * the rule that decided), then the version's stage rows are written.
 */
export async function routeNewVersion(
  tx: Db,
  input: { creative: Pick<Creative, "id" | "organisationId" | "channel">; versionId: string; number: number; usesClaims: boolean; clean: boolean; now: Date },
): Promise<RoutedVersion> {
  const matrix = await currentMatrix(tx);
  const [org] = await tx
    .select({ tier: partnerOrganisations.tier, partnerType: partnerOrganisations.partnerType })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.id, input.creative.organisationId));
  const routing = routeSubmission(matrix, {
    tier: org!.tier,
    partnerType: org!.partnerType,
    channel: input.creative.channel,
    usesClaims: input.usesClaims,
    clean: input.clean,
  });
  await tx.update(creativeVersions).set({ routing }).where(eq(creativeVersions.id, input.versionId));
  if (routing.autoApproved) return { routing, opened: [], approved: true };
  const planned = planStages(routing, await carryOverFrom(tx, input.creative.id, input.number - 1), input.now, matrix);
  await tx
    .insert(reviewStages)
    .values(planned.map((stage) => ({ ...stage, creativeId: input.creative.id, versionId: input.versionId, versionNumber: input.number })));
  return {
    routing,
    opened: planned.filter((stage) => stage.status === "pending").map((stage) => stage.stage),
    approved: !planned.some((stage) => isOpenStage(stage.status)),
  };
}

/** Who is told a stage's review starts: the roles that may decide it (admins always among them). */
export const stageReviewerRoles = (stages: readonly ReviewStageName[]): InternalRole[] => [...new Set(stages.flatMap((stage) => REVIEW_STAGE_ROLES[stage]))];

/** Closes the stages a version no longer needs (withdrawn, or another stage's decision ended it). */
export async function cancelOpenStages(tx: Db, versionId: string): Promise<void> {
  await tx
    .update(reviewStages)
    .set({ status: "cancelled" })
    .where(and(eq(reviewStages.versionId, versionId), inArray(reviewStages.status, [...OPEN_STAGE_STATUSES])));
}

/** Records how a version ended. */
export async function endVersion(tx: Db, versionId: string, outcome: VersionOutcome, now: Date): Promise<void> {
  await tx.update(creativeVersions).set({ outcome, decidedAt: now }).where(eq(creativeVersions.id, versionId));
}
