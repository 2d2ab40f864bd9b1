import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import {
  claims,
  creativeFiles,
  creatives,
  creativeVersionFiles,
  creativeVersions,
  partnerOrganisations,
  users,
  type ClaimSnapshot,
  type Creative,
} from "#db/schema/index";
import { recordAudit, SYSTEM_ACTOR, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { enqueueEmail } from "~/lib/outbox.server";
import { CREATIVE_NOTIFIED_ROLES, type InternalRole } from "../accounts/roles";
import { labelOf } from "../applications/catalog";
import { DomainError, ForbiddenError, NotFoundError } from "../errors";
import { creativeSubmittedEmail, creativeWithdrawnEmail } from "../notifications/emails.server";
import { internalUsersWithRoles, notify } from "../notifications/notify.server";
import { refreshPartnerHealth } from "../partners/health-score.server";
import { approveVersion } from "../review/decisions.server";
import { cancelOpenStages, endVersion, routeNewVersion, stageReviewerRoles } from "../review/stages.server";
import { emailBrand, getBranding, getProgramRules } from "../settings/program.server";
import { isEditable, isWithdrawable, WITHDRAWABLE_STATUSES } from "./catalog";
import { prescreenCreative } from "./prescreen-run.server";
import type { CreativeDraftInput } from "./schemas.server";
import { emitWebhookEvent } from "../webhooks/emit.server";

/** A partner user acting on their own organisation's creatives. */
export type PartnerActor = Actor & { id: string; name: string; partnerOrgId: string };

const NOT_FOUND = "Creative not found.";

/** Paused and terminated partners send nothing for review (PRODUCT.md, Partners: the kill switch). */
export async function assertOrganisationMaySubmit(tx: Db, partnerOrgId: string): Promise<void> {
  const [org] = await tx.select({ status: partnerOrganisations.status }).from(partnerOrganisations).where(eq(partnerOrganisations.id, partnerOrgId));
  if (!org) throw new NotFoundError(NOT_FOUND);
  if (org.status === "paused" || org.status === "terminated") {
    throw new ForbiddenError(
      `Your partnership is ${org.status}, so creatives cannot be changed or sent for review. Your contact at the program can tell you more.`,
      `partner_${org.status}`,
    );
  }
}

/** The creative, locked for the rest of the transaction; another organisation's id reads as missing. */
async function lockOwnCreative(tx: Db, partnerOrgId: string, creativeId: string): Promise<Creative> {
  const [row] = await tx
    .select()
    .from(creatives)
    .where(and(eq(creatives.id, creativeId), eq(creatives.organisationId, partnerOrgId)))
    .for("update");
  if (!row) throw new NotFoundError(NOT_FOUND);
  return row;
}

function assertEditable(creative: Creative): void {
  if (!isEditable(creative.status)) {
    throw new DomainError(`This creative is ${creative.status.replace("_", " ")}, so it cannot be changed now.`, { kind: "conflict" });
  }
}

async function assertKnownChannel(db: Db, channel: string): Promise<void> {
  const rules = await getProgramRules(db);
  if (!(rules.channelsOffered as readonly string[]).includes(channel))
    throw new DomainError("The program does not offer this channel. Choose one from the list.", { field: "channel" });
}

async function assertKnownClaims(tx: Db, claimIds: readonly string[]): Promise<void> {
  if (!claimIds.length) return;
  const found = await tx
    .select({ id: claims.id })
    .from(claims)
    .where(and(inArray(claims.id, [...claimIds]), eq(claims.status, "approved")));
  if (found.length !== new Set(claimIds).size)
    throw new DomainError("Choose claims from the library: one of them is no longer offered.", { field: "claimIds" });
}

const draftColumns = (input: CreativeDraftInput) => ({
  title: input.title,
  channel: input.channel,
  placement: input.placement ?? "",
  plannedLaunchOn: input.plannedLaunchOn,
  destinationUrl: input.destinationUrl ?? "",
  copy: input.copy,
  claimIds: [...new Set(input.claimIds)],
  disclosure: input.disclosure ?? "",
});

/** A new draft: saved as typed, no brand rule applied yet (those run on submit). */
export async function createCreativeDraft(ctx: AppContext, partner: PartnerActor, input: CreativeDraftInput): Promise<{ id: string }> {
  await assertKnownChannel(ctx.db, input.channel);
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    await assertOrganisationMaySubmit(tx, partner.partnerOrgId);
    await assertKnownClaims(tx, input.claimIds);
    const [row] = await tx
      .insert(creatives)
      .values({ ...draftColumns(input), organisationId: partner.partnerOrgId, createdById: partner.id, createdAt: now, updatedAt: now })
      .returning({ id: creatives.id });
    await recordAudit(tx, {
      actor: partner,
      action: "creative.draft_created",
      subjectType: "creative",
      subjectId: row!.id,
      partnerOrgId: partner.partnerOrgId,
      data: { title: input.title, channel: input.channel },
      at: now,
    });
    return { id: row!.id };
  });
}

/** Saves the working copy of a draft (or of the next version after changes were requested). */
export async function updateCreativeDraft(ctx: AppContext, partner: PartnerActor, creativeId: string, input: CreativeDraftInput): Promise<void> {
  await assertKnownChannel(ctx.db, input.channel);
  const now = ctx.clock.now();
  await transaction(ctx.db, async (tx) => {
    await assertOrganisationMaySubmit(tx, partner.partnerOrgId);
    const creative = await lockOwnCreative(tx, partner.partnerOrgId, creativeId);
    assertEditable(creative);
    await assertKnownClaims(tx, input.claimIds);
    const columns = draftColumns(input);
    const changed = (Object.keys(columns) as (keyof typeof columns)[]).filter((key) => JSON.stringify(columns[key]) !== JSON.stringify(creative[key]));
    if (!changed.length) return;
    await tx
      .update(creatives)
      .set({ ...columns, updatedAt: now })
      .where(eq(creatives.id, creativeId));
    await recordAudit(tx, {
      actor: partner,
      action: "creative.draft_updated",
      subjectType: "creative",
      subjectId: creativeId,
      partnerOrgId: partner.partnerOrgId,
      data: { changed },
      at: now,
    });
  });
}

/** The internal people told about a submission: active admins and brand reviewers, or those of the roles given. */
async function reviewerAddresses(tx: Db, roles: readonly InternalRole[] = CREATIVE_NOTIFIED_ROLES): Promise<string[]> {
  const rows = await tx
    .select({ email: users.email })
    .from(users)
    .where(and(inArray(users.role, [...roles]), eq(users.status, "active"), isNull(users.partnerOrgId)));
  return rows.map((r) => r.email);
}

export type SubmitOutcome = {
  version: number;
  warnings: number;
  /** Nothing is left to review: the matrix approved it without a reviewer (or every stage carried its approval over). */
  approved: boolean;
};

/**
 * Sends the working copy for review as a new immutable version: the
 * pre-screen runs again here (never trusting what the browser showed), its
 * errors refuse the submission, and its warnings travel with the version.
 * From `draft` this is version 1; from `changes_requested`, the next one.
 */
export async function submitCreative(ctx: AppContext, partner: PartnerActor, creativeId: string, origin: string): Promise<SubmitOutcome> {
  const branding = await getBranding(ctx.db);
  const now = ctx.clock.now();
  try {
    return await submitVersion(ctx, partner, creativeId, { brand: emailBrand(branding, origin), origin }, now);
  } catch (error) {
    // The refused attempt rolled back; the count of refusals outlives it, for the "passed at the first try" measure.
    if (error instanceof PrescreenBlocked) await countBlockedAttempt(ctx.db, partner.partnerOrgId, creativeId);
    throw error;
  }
}

async function countBlockedAttempt(db: Db, partnerOrgId: string, creativeId: string): Promise<void> {
  await transaction(db, (tx) =>
    tx
      .update(creatives)
      .set({ prescreenBlockedAttempts: sql`${creatives.prescreenBlockedAttempts} + 1` })
      .where(and(eq(creatives.id, creativeId), eq(creatives.organisationId, partnerOrgId))),
  );
}

async function submitVersion(
  ctx: AppContext,
  partner: PartnerActor,
  creativeId: string,
  sender: { brand: ReturnType<typeof emailBrand>; origin: string },
  now: Date,
): Promise<SubmitOutcome> {
  const origin = sender.origin;
  return transaction(ctx.db, async (tx) => {
    await assertOrganisationMaySubmit(tx, partner.partnerOrgId);
    const creative = await lockOwnCreative(tx, partner.partnerOrgId, creativeId);
    assertEditable(creative);
    const files = await tx
      .select()
      .from(creativeFiles)
      .where(and(eq(creativeFiles.creativeId, creativeId), isNull(creativeFiles.detachedAt)))
      .orderBy(creativeFiles.createdAt, creativeFiles.id);
    if (!files.length) throw new DomainError("Add at least one file (the image, PDF or video) before submitting.", { field: "file" });
    const screening = await prescreenCreative(tx, creative, files, now);
    const errors = screening.findings.filter((f) => f.severity === "error");
    if (errors.length) throw new PrescreenBlocked(errors.length, screening.findings);

    const number = creative.latestVersion + 1;
    const snapshot: ClaimSnapshot[] = screening.claims.map((c) => ({ id: c.id, text: c.text, disclaimers: c.disclaimers }));
    const [version] = await tx
      .insert(creativeVersions)
      .values({
        creativeId,
        number,
        title: creative.title,
        channel: creative.channel,
        placement: creative.placement,
        plannedLaunchOn: creative.plannedLaunchOn,
        destinationUrl: creative.destinationUrl,
        copy: creative.copy,
        claims: snapshot,
        disclosure: creative.disclosure,
        findings: screening.findings,
        ruleSetVersion: screening.ruleSetVersion,
        prescreenBlockedAttempts: creative.prescreenBlockedAttempts,
        submittedById: partner.id,
        submittedAt: now,
      })
      .returning({ id: creativeVersions.id });
    await tx.insert(creativeVersionFiles).values(files.map((file, position) => ({ versionId: version!.id, fileId: file.id, position })));
    await tx
      .update(creatives)
      .set({ status: "submitted", latestVersion: number, submittedAt: now, prescreenBlockedAttempts: 0, updatedAt: now })
      .where(eq(creatives.id, creativeId));
    const routed = await routeNewVersion(tx, {
      creative,
      versionId: version!.id,
      number,
      usesClaims: snapshot.length > 0,
      clean: screening.findings.length === 0,
      now,
    });

    const warnings = screening.findings.length;
    const [org] = await tx.select({ name: partnerOrganisations.name }).from(partnerOrganisations).where(eq(partnerOrganisations.id, partner.partnerOrgId));
    // Reviewers hear only of what waits for them: the stages open now (legal too, in parallel mode).
    const organisationName = org!.name;
    await notify(
      tx,
      { now },
      {
        recipients: routed.opened.length ? await internalUsersWithRoles(tx, stageReviewerRoles(routed.opened)) : [],
        kind: "review_assigned",
        title: `${organisationName} submitted ${number > 1 ? `version ${number} of ` : ""}"${creative.title}" for review`,
        body: warnings ? `The pre-screen passed it with ${warnings} warning${warnings === 1 ? "" : "s"} to check.` : "The pre-screen found nothing to flag.",
        href: `/admin/creatives/${creativeId}`,
        subject: { type: "creative", id: creativeId },
        email: ({ email }) =>
          creativeSubmittedEmail({
            to: email,
            ...sender.brand,
            organisationName,
            title: creative.title,
            channel: labelOf(creative.channel),
            version: number,
            warnings,
            url: `${origin}/admin/creatives/${creativeId}`,
          }),
      },
    );
    await recordAudit(tx, {
      actor: partner,
      action: number === 1 ? "creative.submitted" : "creative.resubmitted",
      subjectType: "creative",
      subjectId: creativeId,
      partnerOrgId: partner.partnerOrgId,
      data: {
        version: number,
        warnings,
        ruleSetVersion: screening.ruleSetVersion,
        files: files.length,
        stages: routed.routing.stages,
        matrixVersion: routed.routing.matrixVersion,
      },
      at: now,
    });
    await emitWebhookEvent(tx, { now }, "creative.submitted", {
      creativeId,
      partnerId: partner.partnerOrgId,
      partnerName: org!.name,
      title: creative.title,
      channel: creative.channel,
      version: number,
      status: "submitted",
      at: now,
    });
    if (routed.approved) {
      const { ruleName: rule, ruleIndex, matrixVersion, autoApproved } = routed.routing;
      await approveVersion(tx, {
        creative,
        version: { id: version!.id, number },
        actor: SYSTEM_ACTOR,
        // Not automatic when every stage it needed had approved before (carried over): those people decided.
        data: autoApproved ? { automatic: true, rule, ruleIndex, matrixVersion } : { automatic: false, carried: true, stages: routed.routing.stages },
        sender,
        now,
      });
    }
    // A new version answers a request for changes (responsiveness), and one approved at submission counts for compliance:
    // the partner's stored score follows at once (docs/health-score.md). A first version still waiting moves nothing.
    if (number > 1 || routed.approved) await refreshPartnerHealth(tx, partner.partnerOrgId, now);
    return { version: number, warnings, approved: routed.approved };
  });
}

/**
 * Submitting was refused because the pre-screen found errors: a DomainError
 * (400, shown at the top of the form) that also carries the findings, so the
 * page shows each one at its place in the copy.
 */
export class PrescreenBlocked extends DomainError {
  constructor(
    errors: number,
    readonly findings: readonly { code: string; severity: "error" | "warning"; message: string; start: number | null; end: number | null }[],
  ) {
    super(`The pre-screen found ${errors} problem${errors === 1 ? "" : "s"} to fix before this can be submitted.`);
    this.name = "PrescreenBlocked";
  }
}

/** Takes a submission back before a decision; the brand's reviewers are told, with the partner's reason. */
export async function withdrawCreative(ctx: AppContext, partner: PartnerActor, creativeId: string, reason: string, origin: string): Promise<void> {
  const branding = await getBranding(ctx.db);
  const now = ctx.clock.now();
  await transaction(ctx.db, async (tx) => {
    const creative = await lockOwnCreative(tx, partner.partnerOrgId, creativeId);
    if (!isWithdrawable(creative.status)) {
      throw new DomainError(
        creative.status === "withdrawn" ? "This creative was already withdrawn." : "Only a creative waiting for a decision can be withdrawn.",
        { kind: "conflict" },
      );
    }
    await withdrawIn(tx, partner, creative, reason, now);
    const [org] = await tx.select({ name: partnerOrganisations.name }).from(partnerOrganisations).where(eq(partnerOrganisations.id, partner.partnerOrgId));
    for (const to of await reviewerAddresses(tx)) {
      await enqueueEmail(
        tx,
        creativeWithdrawnEmail({
          to,
          ...emailBrand(branding, origin),
          organisationName: org!.name,
          title: creative.title,
          reason,
          url: `${origin}/admin/creatives/${creativeId}`,
        }),
      );
    }
  });
}

/**
 * Withdraws a creative waiting for a decision, in the caller's transaction:
 * its open review stages close and `reason` is what the partner reads on it.
 */
async function withdrawIn(tx: Db, actor: Actor, creative: Creative, reason: string, now: Date): Promise<void> {
  await tx.update(creatives).set({ status: "withdrawn", withdrawnAt: now, withdrawnReason: reason, updatedAt: now }).where(eq(creatives.id, creative.id));
  const [version] = await tx
    .select({ id: creativeVersions.id })
    .from(creativeVersions)
    .where(and(eq(creativeVersions.creativeId, creative.id), eq(creativeVersions.number, creative.latestVersion)));
  if (version) {
    await cancelOpenStages(tx, version.id);
    await endVersion(tx, version.id, "withdrawn", now);
  }
  await recordAudit(tx, {
    actor,
    action: "creative.withdrawn",
    subjectType: "creative",
    subjectId: creative.id,
    partnerOrgId: creative.organisationId,
    data: { reason, version: creative.latestVersion, from: creative.status },
    at: now,
  });
}

/**
 * The kill switch's part (partners/lifecycle.server.ts): every submission of
 * the organisation still waiting for a decision is withdrawn, on record, with
 * `reason` for the partner to read. Decided creatives are left as they are.
 * Returns how many were withdrawn.
 */
export async function withdrawOpenSubmissions(tx: Db, actor: Actor, partnerOrgId: string, reason: string, now: Date): Promise<number> {
  const open = await tx
    .select()
    .from(creatives)
    .where(and(eq(creatives.organisationId, partnerOrgId), inArray(creatives.status, [...WITHDRAWABLE_STATUSES])))
    .for("update");
  for (const creative of open) await withdrawIn(tx, actor, creative, reason, now);
  return open.length;
}
