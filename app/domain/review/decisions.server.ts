import { and, eq } from "drizzle-orm";
import {
  creatives,
  creativeVersions,
  partnerOrganisations,
  reviewStages,
  users,
  type Creative,
  type CreativeVersion,
  type EmailPayload,
  type ReviewStage,
} from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { formatDate } from "~/lib/dates";
import { transaction, type Db } from "~/lib/db.server";
import { hasRole, REVIEW_STAGE_ROLES, REVOKER_ROLES } from "../accounts/roles";
import { creativeStatusOf } from "../creatives/catalog";
import { DomainError, ForbiddenError, NotFoundError } from "../errors";
import { shortLinkUrl } from "../links/catalog";
import { issueCreativeLink, notifyCreativeLinksChanged } from "../links/links.server";
import {
  creativeApprovalRevokedEmail,
  creativeApprovedEmail,
  creativeChangesRequestedEmail,
  creativeRejectedEmail,
  creativeStageApprovedEmail,
  creativeStageOpenedEmail,
} from "../notifications/emails.server";
import { internalUsersWithRoles, notify, partnerMembers } from "../notifications/notify.server";
import { refreshPartnerHealth } from "../partners/health-score.server";
import { assertMayReviewCreative } from "../separation-of-duties.server";
import { emailBrand, getBranding } from "../settings/program.server";
import { canonicalOrigin } from "../settings/site.server";
import { isStageDecision, REVIEW_LIMITS, type StageDecision } from "./catalog";
import { REVIEW_STAGES, stageLabel, type ReviewStageName } from "./matrix";
import { cancelOpenStages, clockOfMatrix, endVersion, isOpenStage, openedStage, stageReviewerRoles, stagesOfVersion } from "./stages.server";
import { emitWebhookEvent } from "../webhooks/emit.server";

/** A member of the brand team acting on a review; their role and organisation are read from their account, not trusted from here. */
export type ReviewerActor = Actor & { id: string };

/** A creative waits for a decision in these states. */
export const IN_REVIEW_STATUSES: readonly Creative["status"][] = ["submitted", "in_review"];

const conflict = (message: string) => new DomainError(message, { kind: "conflict" });

/** How emails to a partner are signed and where their links point. */
export type EmailSender = { brand: ReturnType<typeof emailBrand>; origin: string };

export async function emailSender(ctx: Pick<AppContext, "db" | "config" | "siteOriginCache">): Promise<EmailSender> {
  const [branding, origin] = await Promise.all([getBranding(ctx.db), canonicalOrigin(ctx)]);
  return { brand: emailBrand(branding, origin), origin };
}

/**
 * Tells every active person of the organisation about a decision on one of
 * its creatives: an in-app notification each, linking to the creative, and
 * their own email unless they turned these emails off.
 */
export async function notifyPartner(
  tx: Db,
  creative: Pick<Creative, "id" | "organisationId">,
  notice: { title: string; body: string; now: Date },
  email: (to: string) => EmailPayload,
): Promise<void> {
  await notify(
    tx,
    { now: notice.now },
    {
      recipients: await partnerMembers(tx, creative.organisationId),
      kind: "creative_decision",
      title: notice.title,
      body: notice.body,
      href: `/partner/creatives/${creative.id}`,
      subject: { type: "creative", id: creative.id },
      email: (person) => email(person.email),
    },
  );
}

const partnerCreativeUrl = (sender: EmailSender, creativeId: string) => `${sender.origin}/partner/creatives/${creativeId}`;

/**
 * Approves a version for good: the version's outcome, the creative's
 * `approved` with the version that was approved, the `creative.approved`
 * event (what issuing a tracking link will follow) and the partner's email.
 */
export async function approveVersion(
  tx: Db,
  input: {
    creative: Pick<Creative, "id" | "organisationId" | "title">;
    version: Pick<CreativeVersion, "id" | "number">;
    actor: Actor;
    data: Record<string, unknown>;
    sender: EmailSender;
    now: Date;
  },
): Promise<void> {
  const { creative, version, now } = input;
  await endVersion(tx, version.id, "approved", now);
  await tx.update(creatives).set({ status: "approved", decidedAt: now, approvedVersion: version.number, updatedAt: now }).where(eq(creatives.id, creative.id));
  await recordAudit(tx, {
    actor: input.actor,
    action: "creative.approved",
    subjectType: "creative",
    subjectId: creative.id,
    partnerOrgId: creative.organisationId,
    data: { version: version.number, ...input.data },
    at: now,
  });
  await emitWebhookEvent(tx, { now }, "creative.approved", {
    creativeId: creative.id,
    partnerId: creative.organisationId,
    title: creative.title,
    version: version.number,
    status: "approved",
    at: now,
  });
  // The partner's tracking link for this version, in the approval's transaction.
  const link = await issueCreativeLink(tx, { creative, versionId: version.id, actor: input.actor, now });
  const automatic = input.data.automatic === true;
  await notifyPartner(
    tx,
    creative,
    {
      title: `"${creative.title}" is approved`,
      body: automatic
        ? `Version ${version.number} was approved without a reviewer: the pre-screen found nothing to flag.`
        : `Version ${version.number} passed every review it needed.`,
      now,
    },
    (to) =>
      creativeApprovedEmail({
        to,
        ...input.sender.brand,
        title: creative.title,
        version: version.number,
        automatic,
        shortUrl: link ? shortLinkUrl(input.sender.origin, link.code) : null,
        url: partnerCreativeUrl(input.sender, creative.id),
      }),
  );
}

/** Tells the next stage's reviewers (but not the person whose approval opened it: they may not decide it) that it waits for them. */
async function notifyStageReviewers(
  tx: Db,
  input: {
    creative: Pick<Creative, "id" | "organisationId" | "title">;
    version: Pick<CreativeVersion, "number">;
    stage: ReviewStageName;
    after: ReviewStageName;
    dueAt: Date;
    sender: EmailSender;
    decider: string;
    now: Date;
  },
): Promise<void> {
  const [org] = await tx
    .select({ name: partnerOrganisations.name })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.id, input.creative.organisationId));
  await notify(
    tx,
    { now: input.now },
    {
      recipients: await internalUsersWithRoles(tx, stageReviewerRoles([input.stage]), { except: input.decider }),
      kind: "review_assigned",
      title: `"${input.creative.title}" is ready for ${stageLabel(input.stage).toLowerCase()} review`,
      body: `${org?.name ?? "A partner"}, version ${input.version.number}: ${stageLabel(input.after).toLowerCase()} review approved it.`,
      href: `/admin/creatives/${input.creative.id}`,
      subject: { type: "creative", id: input.creative.id },
      email: ({ email }) =>
        creativeStageOpenedEmail({
          to: email,
          ...input.sender.brand,
          organisationName: org?.name ?? "A partner",
          title: input.creative.title,
          version: input.version.number,
          stage: stageLabel(input.stage),
          after: stageLabel(input.after),
          dueAt: input.dueAt,
          url: `${input.sender.origin}/admin/creatives/${input.creative.id}`,
        }),
    },
  );
}

/** The creative, locked for the rest of the transaction; drafts are the partner's own and read as missing. */
async function lockSubmittedCreative(tx: Db, creativeId: string): Promise<Creative> {
  const [row] = await tx.select().from(creatives).where(eq(creatives.id, creativeId)).for("update");
  if (!row || row.status === "draft") throw new NotFoundError("Creative not found.");
  return row;
}

async function versionRow(tx: Db, creativeId: string, number: number): Promise<CreativeVersion> {
  const [row] = await tx
    .select()
    .from(creativeVersions)
    .where(and(eq(creativeVersions.creativeId, creativeId), eq(creativeVersions.number, number)));
  if (!row) throw new NotFoundError("Creative not found.");
  return row;
}

type Reviewer = { id: string; name: string; role: string; partnerOrgId: string | null };

/** The acting person as their account stands now: a disabled account or a vanished one reviews nothing. */
async function reviewerOf(tx: Db, actor: ReviewerActor): Promise<Reviewer> {
  const [row] = await tx
    .select({ id: users.id, name: users.name, role: users.role, partnerOrgId: users.partnerOrgId, status: users.status })
    .from(users)
    .where(eq(users.id, actor.id));
  if (!row || row.status !== "active") throw new ForbiddenError("Your account cannot review creatives.", "role");
  return row;
}

const nameOf = async (tx: Db, id: string | null): Promise<string> => {
  if (!id) return "someone";
  const [row] = await tx.select({ name: users.name }).from(users).where(eq(users.id, id));
  return row?.name ?? "someone";
};

function assertKnownStage(stage: string): asserts stage is ReviewStageName {
  if (!REVIEW_STAGES.some((s) => s.value === stage)) throw new DomainError("Choose the brand or the legal stage.", { field: "stage" });
}

function assertStageRole(reviewer: Reviewer, stage: ReviewStageName): void {
  if (!hasRole(reviewer.role, REVIEW_STAGE_ROLES[stage]))
    throw new ForbiddenError(`Only ${stage === "brand" ? "admins and brand reviewers" : "admins and legal reviewers"} decide the ${stage} review.`, "role");
}

/** Why a stage row is not open for a claim or a decision, in words that say what happened instead (409). */
async function assertStagePending(tx: Db, stages: ReviewStage[], stage: ReviewStageName, version: number): Promise<ReviewStage> {
  const row = stages.find((s) => s.stage === stage);
  const label = stageLabel(stage);
  if (!row) throw conflict(`Version ${version} needs no ${stage} review.`);
  if (row.status === "pending") return row;
  if (row.status === "waiting") {
    const first = stages.find((s) => s.position < row.position && s.status !== "approved");
    throw conflict(`${label} review has not started: ${first ? stageLabel(first.stage).toLowerCase() : "the stage before"} review comes first.`);
  }
  if (row.status === "cancelled") throw conflict(`${label} review of version ${version} is closed: another decision ended this version.`);
  const carried = row.carriedFromVersion ? ` (on version ${row.carriedFromVersion}, carried over)` : "";
  throw conflict(
    `${label} review of version ${version} was already decided by ${await nameOf(tx, row.decidedById)} on ${formatDate(row.decidedAt ?? row.createdAt)}${carried}. Nothing was changed.`,
  );
}

type OpenStage = { creative: Creative; version: CreativeVersion; stages: ReviewStage[]; row: ReviewStage; reviewer: Reviewer };

/**
 * Locks the creative and finds the open stage someone means to act on, then
 * checks they may: their role for the stage and separation of duties.
 * `version`, when given, is the version the person saw: a newer one refuses.
 */
async function lockOpenStage(tx: Db, actor: ReviewerActor, creativeId: string, stage: ReviewStageName, version?: number): Promise<OpenStage> {
  const creative = await lockSubmittedCreative(tx, creativeId);
  if (version !== undefined && version !== creative.latestVersion) {
    throw conflict(`Version ${version} was replaced by version ${creative.latestVersion}: open the latest version to decide on it. Nothing was changed.`);
  }
  if (!IN_REVIEW_STATUSES.includes(creative.status)) {
    throw conflict(`This creative is no longer in review (it is ${creativeStatusOf(creative.status).label.toLowerCase()}). Nothing was changed.`);
  }
  const versionRowFound = await versionRow(tx, creativeId, creative.latestVersion);
  const stages = await stagesOfVersion(tx, versionRowFound.id);
  const row = await assertStagePending(tx, stages, stage, creative.latestVersion);
  const reviewer = await reviewerOf(tx, actor);
  assertStageRole(reviewer, stage);
  assertMayReviewCreative({ decider: reviewer, creative, version: versionRowFound, stage, decisions: stages });
  return { creative, version: versionRowFound, stages, row, reviewer };
}

/**
 * Takes a stage (assigns it to oneself) so two reviewers do not work on the
 * same item; the first claim moves a submitted creative into review. Claiming
 * again what one holds changes nothing; someone else's claim refuses (409).
 */
export async function claimStage(ctx: AppContext, actor: ReviewerActor, creativeId: string, stage: string): Promise<void> {
  assertKnownStage(stage);
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const { creative, row } = await lockOpenStage(tx, actor, creativeId, stage);
    if (row.assigneeId === actor.id) return;
    if (row.assigneeId) {
      throw conflict(`${await nameOf(tx, row.assigneeId)} has already claimed the ${stage} review. Ask them to release it, or choose another creative.`);
    }
    await tx.update(reviewStages).set({ assigneeId: actor.id, assignedAt: now }).where(eq(reviewStages.id, row.id));
    if (creative.status === "submitted") await tx.update(creatives).set({ status: "in_review", updatedAt: now }).where(eq(creatives.id, creativeId));
    await recordAudit(tx, {
      actor,
      action: "creative.stage_claimed",
      subjectType: "creative",
      subjectId: creativeId,
      partnerOrgId: creative.organisationId,
      data: { stage, version: creative.latestVersion },
      at: now,
    });
  });
}

/** Hands a claimed stage back to the queue: the person holding it, or an admin (someone away). */
export async function releaseStage(ctx: AppContext, actor: ReviewerActor, creativeId: string, stage: string): Promise<void> {
  assertKnownStage(stage);
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const creative = await lockSubmittedCreative(tx, creativeId);
    const version = await versionRow(tx, creativeId, creative.latestVersion);
    const row = (await stagesOfVersion(tx, version.id)).find((s) => s.stage === stage);
    if (!row || row.status !== "pending" || !row.assigneeId)
      throw conflict(`Nobody holds the ${stage} review of this creative, so there is nothing to release.`);
    const reviewer = await reviewerOf(tx, actor);
    if (row.assigneeId !== reviewer.id && reviewer.role !== "admin") {
      throw new ForbiddenError(`${await nameOf(tx, row.assigneeId)} holds the ${stage} review: only they or an admin can release it.`, "role");
    }
    await tx.update(reviewStages).set({ assigneeId: null, assignedAt: null }).where(eq(reviewStages.id, row.id));
    await recordAudit(tx, {
      actor,
      action: "creative.stage_released",
      subjectType: "creative",
      subjectId: creativeId,
      partnerOrgId: creative.organisationId,
      data: { stage, version: creative.latestVersion, heldBy: row.assigneeId },
      at: now,
    });
  });
}

export type DecideInput = { stage: string; version: number; decision: string; comment?: string | null };

export type DecisionOutcome =
  /** This stage approved; `next` still has to decide. */
  { result: "stage_approved"; next: ReviewStageName[] } | { result: "approved" | "changes_requested" | "rejected" };

/** The comment as stored: required (and at most 5000 characters) for every decision but a plain approval. */
function decisionComment(decision: StageDecision, comment: string | null | undefined): string | null {
  const trimmed = comment?.trim() ?? "";
  if (trimmed.length > REVIEW_LIMITS.commentChars)
    throw new DomainError(`Keep the comment to ${REVIEW_LIMITS.commentChars} characters (it has ${trimmed.length}).`, { field: "comment" });
  if (!trimmed && decision !== "approve")
    throw new DomainError("Say what the partner must change or why: a comment is required for this decision.", { field: "comment" });
  return trimmed || null;
}

/** What each closing decision makes of the stage, the version and the creative. */
const CLOSING = {
  approve_with_changes: { stage: "approved_with_changes", creative: "changes_requested", action: "creative.changes_requested" },
  request_changes: { stage: "changes_requested", creative: "changes_requested", action: "creative.changes_requested" },
  reject: { stage: "rejected", creative: "rejected", action: "creative.rejected" },
} as const;

/**
 * One stage's decision on the version the reviewer saw. A decision on a
 * replaced version or on a stage that is not open is refused (409): with the
 * creative locked, the second of two simultaneous decisions finds the first
 * one's result. An approval opens the next stage, or approves the creative
 * when it was the last; any other decision ends the version (its remaining
 * stages cancelled). The stage, the creative, the audit events and the
 * partner's emails change together or not at all.
 */
export async function decideStage(ctx: AppContext, actor: ReviewerActor, creativeId: string, input: DecideInput): Promise<DecisionOutcome> {
  assertKnownStage(input.stage);
  const stage = input.stage;
  if (!isStageDecision(input.decision)) throw new DomainError("Choose a decision.", { field: "decision" });
  const decision = input.decision;
  const comment = decisionComment(decision, input.comment);
  const sender = await emailSender(ctx);
  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const open = await lockOpenStage(tx, actor, creativeId, stage, input.version);
    const outcome = await applyDecision(tx, ctx, actor, open, { stage, decision, comment, sender, now });
    // A version decided moves the partner's compliance and responsiveness: the stored score follows at once (docs/health-score.md).
    if (outcome.result !== "stage_approved") await refreshPartnerHealth(tx, open.creative.organisationId, now);
    return outcome;
  });
}

/** The decision on the open stage `lockOpenStage` found, in the decision's transaction: what `decideStage` describes. */
async function applyDecision(
  tx: Db,
  ctx: AppContext,
  actor: ReviewerActor,
  { creative, version, stages, row }: OpenStage,
  input: { stage: ReviewStageName; decision: StageDecision; comment: string | null; sender: EmailSender; now: Date },
): Promise<DecisionOutcome> {
  const { stage, decision, comment, sender, now } = input;
  const creativeId = creative.id;
  const brand = sender.brand;
  const decided = { decidedById: actor.id, decidedAt: now, comment };
  const audit = { actor, subjectType: "creative", subjectId: creativeId, partnerOrgId: creative.organisationId, at: now };
  const notice = { title: creative.title, version: version.number, url: partnerCreativeUrl(sender, creativeId) };
  await recordAudit(tx, { ...audit, action: "creative.stage_decided", data: { stage, version: version.number, decision, comment } });

  if (decision === "approve") {
    await tx
      .update(reviewStages)
      .set({ status: "approved", ...decided })
      .where(eq(reviewStages.id, row.id));
    const others = stages.filter((s) => s.id !== row.id);
    // Sequentially, the next stage's turn (and SLA clock) starts now; in parallel it is already running.
    const next = others.filter((s) => s.status === "waiting").sort((a, b) => a.position - b.position)[0];
    if (next && !others.some((s) => s.status === "pending")) {
      const clock = await clockOfMatrix(tx, version.routing?.matrixVersion ?? 0);
      const opened = openedStage(next.stage, now, clock);
      await tx.update(reviewStages).set(opened).where(eq(reviewStages.id, next.id));
      await notifyStageReviewers(tx, { creative, version, stage: next.stage, after: stage, dueAt: opened.dueAt, sender, decider: actor.id, now });
    }
    const open = others.filter((s) => isOpenStage(s.status));
    if (open.length) {
      if (creative.status === "submitted") await tx.update(creatives).set({ status: "in_review", updatedAt: now }).where(eq(creatives.id, creativeId));
      const waitingFor = open.map((s) => s.stage);
      const nextStage = waitingFor.map(stageLabel).join(" and ");
      await notifyPartner(
        tx,
        creative,
        { title: `${stageLabel(stage)} review approved "${creative.title}"`, body: `${nextStage} review decides next; nothing is needed from you.`, now },
        (to) => creativeStageApprovedEmail({ to, ...brand, ...notice, stage: stageLabel(stage), nextStage }),
      );
      return { result: "stage_approved", next: waitingFor };
    }
    const approvals = stages.map((s) => ({ stage: s.stage, by: s.id === row.id ? actor.id : s.decidedById }));
    await approveVersion(tx, { creative, version, actor, data: { automatic: false, stages: approvals }, sender, now });
    return { result: "approved" };
  }

  const closing = CLOSING[decision];
  await tx
    .update(reviewStages)
    .set({ status: closing.stage, ...decided })
    .where(eq(reviewStages.id, row.id));
  await cancelOpenStages(tx, version.id);
  await endVersion(tx, version.id, closing.stage, now);
  await tx.update(creatives).set({ status: closing.creative, decidedAt: now, updatedAt: now }).where(eq(creatives.id, creativeId));
  await recordAudit(tx, { ...audit, action: closing.action, data: { version: version.number, stage, decision } });
  await emitWebhookEvent(tx, ctx, closing.action, {
    creativeId,
    partnerId: creative.organisationId,
    title: creative.title,
    version: version.number,
    status: closing.creative,
    at: now,
  });
  const said = comment ?? "";
  const title =
    decision === "reject"
      ? `"${creative.title}" was not approved`
      : decision === "approve_with_changes"
        ? `"${creative.title}" is approved once you make the required changes`
        : `Changes requested on "${creative.title}"`;
  await notifyPartner(tx, creative, { title, body: said, now }, (to) =>
    decision === "reject"
      ? creativeRejectedEmail({ to, ...brand, ...notice, stage: stageLabel(stage), comment: said })
      : creativeChangesRequestedEmail({ to, ...brand, ...notice, stage: stageLabel(stage), comment: said, confirm: decision === "approve_with_changes" }),
  );
  return { result: closing.creative };
}

/**
 * Takes an approval back (admin or legal, with a reason): the creative is
 * `revoked` for good, its approved version's outcome says so, and the partner
 * is told to stop using it.
 */
export async function revokeApproval(ctx: AppContext, actor: ReviewerActor, creativeId: string, reason: string): Promise<void> {
  const why = reason.trim();
  if (!why) throw new DomainError("Say why the approval is revoked: the partner reads it.", { field: "reason" });
  if (why.length > REVIEW_LIMITS.revokeReasonChars)
    throw new DomainError(`Keep the reason to ${REVIEW_LIMITS.revokeReasonChars} characters (it has ${why.length}).`, { field: "reason" });
  const sender = await emailSender(ctx);
  const brand = sender.brand;
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const creative = await lockSubmittedCreative(tx, creativeId);
    const reviewer = await reviewerOf(tx, actor);
    if (!hasRole(reviewer.role, REVOKER_ROLES)) throw new ForbiddenError("Only admins and legal reviewers can revoke an approval.", "role");
    if (creative.status === "revoked")
      throw conflict(`This approval was already revoked by ${await nameOf(tx, creative.revokedById)} on ${formatDate(creative.revokedAt ?? now)}.`);
    if (creative.status !== "approved" || creative.approvedVersion === null) throw conflict("Only an approved creative can have its approval revoked.");
    const approvedVersion = creative.approvedVersion;
    await tx
      .update(creatives)
      .set({ status: "revoked", revokedAt: now, revokedById: actor.id, revokedReason: why, updatedAt: now })
      .where(eq(creatives.id, creativeId));
    await tx
      .update(creativeVersions)
      .set({ outcome: "revoked" })
      .where(and(eq(creativeVersions.creativeId, creativeId), eq(creativeVersions.number, approvedVersion)));
    // A revoked approval is no longer compliant: the stored score follows at once.
    await refreshPartnerHealth(tx, creative.organisationId, now);
    await recordAudit(tx, {
      actor,
      action: "creative.approval_revoked",
      subjectType: "creative",
      subjectId: creativeId,
      partnerOrgId: creative.organisationId,
      data: { version: approvedVersion, reason: why },
      at: now,
    });
    await notifyCreativeLinksChanged(tx, creativeId);
    await notifyPartner(tx, creative, { title: `The approval of "${creative.title}" was revoked`, body: why, now }, (to) =>
      creativeApprovalRevokedEmail({ to, ...brand, title: creative.title, version: approvedVersion, reason: why, url: partnerCreativeUrl(sender, creativeId) }),
    );
  });
}

/** Whether `role` may claim and decide `stage`. */
export const mayWorkOnStage = (role: string, stage: ReviewStageName) => hasRole(role, REVIEW_STAGE_ROLES[stage]);
