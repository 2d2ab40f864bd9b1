import { and, eq, like, or, sql } from "drizzle-orm";
import { applications, partnerOrganisations, userTokens, type Application } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { slugify } from "~/lib/slug";
import { enqueueEmail } from "~/lib/outbox.server";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { createInvitationToken, invitationUrl, lockOpenInvitation } from "../accounts/invitations.server";
import { assertResendAllowed, type ResendTrail } from "../accounts/resend-limit.server";
import { findUserByEmail } from "../accounts/users.server";
import { DomainError, NotFoundError } from "../errors";
import { applicationApprovedEmail, applicationInfoRequestedEmail, applicationRejectedEmail } from "../notifications/emails.server";
import { storedTermsOf } from "../partners/terms.server";
import { emailBrand, getBranding, getProgramRules } from "../settings/program.server";
import { canonicalOrigin } from "../settings/site.server";
import { applicationLabelOf } from "./catalog";
import { reapplyFrom } from "./cooldown";
import type { ApproveInput, RejectInput, RequestInfoInput } from "./schemas.server";
import { emitWebhookEvent } from "../webhooks/emit.server";

export type Reviewer = Actor & { id: string; name: string };

export const AMEND_LINK_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * Locks the application for a decision. Only a pending application can be
 * decided: whoever locks it second sees the first decision and is refused,
 * so two reviewers deciding at once never both win.
 */
async function lockPendingApplication(tx: Db, id: string): Promise<Application> {
  const [row] = await tx.select().from(applications).where(eq(applications.id, id)).for("update");
  if (!row) throw new NotFoundError("Application not found.");
  if (row.status === "submitted") return row;
  const messages: Record<Exclude<Application["status"], "submitted">, string> = {
    approved: `This application was already approved on ${formatDate(row.decidedAt ?? row.updatedAt)}. Nothing was changed.`,
    rejected: `This application was already rejected on ${formatDate(row.decidedAt ?? row.updatedAt)}. Nothing was changed.`,
    info_requested: "More information was already requested from the applicant. You can decide once they send the updated application.",
  };
  throw new DomainError(messages[row.status], { kind: "conflict" });
}

/** A partner organisation's slug before it is made unique: its name, "partner" for a name of symbols only. */
export const partnerSlug = (name: string): string => slugify(name, { fallback: "partner" });

/** The name's slug, or the first free `slug-2`, `slug-3`… Slugs are never reused. */
async function uniqueSlug(tx: Db, name: string): Promise<string> {
  const base = partnerSlug(name);
  // Two approvals of same-named companies take turns here, so both get a free slug.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`partner-slug:${base}`}))`);
  const taken = new Set(
    (
      await tx
        .select({ slug: partnerOrganisations.slug })
        .from(partnerOrganisations)
        .where(or(eq(partnerOrganisations.slug, base), like(partnerOrganisations.slug, `${base}-%`)))
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Approves a pending application: creates the partner organisation with its
 * tier and terms, and invites the applicant as its owner.
 */
export async function approveApplication(
  ctx: AppContext,
  reviewer: Reviewer,
  applicationId: string,
  input: ApproveInput,
  origin: string,
): Promise<{ partnerOrgId: string; slug: string }> {
  const [rules, branding] = await Promise.all([getProgramRules(ctx.db), getBranding(ctx.db)]);
  if (!rules.partnerTiers.includes(input.tier)) throw new DomainError("Choose a tier from the list.", { field: "tier" });
  const terms = storedTermsOf(input);

  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const application = await lockPendingApplication(tx, applicationId);
    if (await findUserByEmail(tx, application.email)) {
      throw new DomainError(
        `${application.email} already has an account here, so it cannot be invited as a new partner. Ask the applicant for another address.`,
        { kind: "conflict" },
      );
    }
    const slug = await uniqueSlug(tx, application.company);
    const [organisation] = await tx
      .insert(partnerOrganisations)
      .values({
        name: application.company,
        slug,
        partnerType: application.partnerType,
        tier: input.tier,
        ...terms,
        website: application.website,
        regions: application.regions,
        channels: application.channels,
      })
      .returning({ id: partnerOrganisations.id });
    const partnerOrgId = organisation!.id;
    await tx.update(applications).set({ status: "approved", decidedAt: now, decidedById: reviewer.id, partnerOrgId }).where(eq(applications.id, applicationId));

    const { token, expiresAt } = await createInvitationToken(
      tx,
      {
        email: application.email,
        role: "partner",
        partnerOrgId,
        partnerRole: "owner",
        createdById: reviewer.id,
      },
      now,
    );
    await enqueueEmail(
      tx,
      applicationApprovedEmail({
        to: application.email,
        ...emailBrand(branding, origin),
        contactName: application.contactName,
        reference: application.reference,
        organisationName: application.company,
        url: invitationUrl(origin, token),
        expiresAt,
      }),
    );
    await recordAudit(tx, {
      actor: reviewer,
      action: "partner.created",
      subjectType: "partner",
      subjectId: partnerOrgId,
      partnerOrgId,
      data: { name: application.company, slug, tier: input.tier, ...terms, fromApplication: application.reference },
      at: now,
    });
    await recordAudit(tx, {
      actor: reviewer,
      action: "application.approved",
      subjectType: "application",
      subjectId: applicationId,
      partnerOrgId,
      data: { reference: application.reference, tier: input.tier, ...terms, slug, invited: application.email },
      at: now,
    });
    await emitWebhookEvent(tx, ctx, "application.approved", {
      applicationId,
      reference: application.reference,
      company: application.company,
      partnerId: partnerOrgId,
      partnerName: application.company,
      tier: input.tier,
      decidedAt: now,
    });
    return { partnerOrgId, slug };
  });
}

/** Rejects a pending application; the applicant may reapply after the cooldown. */
export async function rejectApplication(ctx: AppContext, reviewer: Reviewer, applicationId: string, input: RejectInput): Promise<void> {
  const [rules, branding, origin] = await Promise.all([getProgramRules(ctx.db), getBranding(ctx.db), canonicalOrigin(ctx)]);
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const application = await lockPendingApplication(tx, applicationId);
    await tx
      .update(applications)
      .set({ status: "rejected", decidedAt: now, decidedById: reviewer.id, rejectionReason: input.reason, decisionNote: input.note })
      .where(eq(applications.id, applicationId));
    const mayReapplyFrom = reapplyFrom(now, rules.reapplyCooldownDays);
    await enqueueEmail(
      tx,
      applicationRejectedEmail({
        to: application.email,
        ...emailBrand(branding, origin),
        contactName: application.contactName,
        reference: application.reference,
        reason: applicationLabelOf(input.reason),
        note: input.note,
        reapplyFrom: mayReapplyFrom,
      }),
    );
    await recordAudit(tx, {
      actor: reviewer,
      action: "application.rejected",
      subjectType: "application",
      subjectId: applicationId,
      data: { reference: application.reference, reason: input.reason, note: input.note, reapplyFrom: mayReapplyFrom.toISOString() },
      at: now,
    });
    await emitWebhookEvent(tx, ctx, "application.rejected", {
      applicationId,
      reference: application.reference,
      company: application.company,
      reason: input.reason,
      decidedAt: now,
    });
  });
}

/** Asks the applicant for more: they get a link to amend the same application. */
export async function requestApplicationInfo(
  ctx: AppContext,
  reviewer: Reviewer,
  applicationId: string,
  input: RequestInfoInput,
  origin: string,
): Promise<void> {
  const branding = await getBranding(ctx.db);
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const application = await lockPendingApplication(tx, applicationId);
    const token = generateToken();
    const expiresAt = new Date(now.getTime() + AMEND_LINK_TTL_MS);
    await tx
      .update(applications)
      .set({ status: "info_requested", decisionNote: input.message, amendTokenHash: hashToken(token), amendExpiresAt: expiresAt })
      .where(eq(applications.id, applicationId));
    await enqueueEmail(
      tx,
      applicationInfoRequestedEmail({
        to: application.email,
        ...emailBrand(branding, origin),
        contactName: application.contactName,
        reference: application.reference,
        message: input.message,
        url: `${origin}/apply/amend?token=${token}`,
        expiresAt,
      }),
    );
    await recordAudit(tx, {
      actor: reviewer,
      action: "application.info_requested",
      subjectType: "application",
      subjectId: applicationId,
      data: { reference: application.reference, message: input.message, linkExpiresAt: expiresAt.toISOString() },
      at: now,
    });
  });
}

/** The approved application's organisation; invitations are only managed through it. */
async function approvedOrganisation(tx: Db, applicationId: string) {
  const [row] = await tx
    .select({ application: applications, organisationName: partnerOrganisations.name })
    .from(applications)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, applications.partnerOrgId))
    .where(and(eq(applications.id, applicationId), eq(applications.status, "approved")));
  if (!row?.application.partnerOrgId) throw new NotFoundError("Invitation not found");
  return { ...row.application, partnerOrgId: row.application.partnerOrgId, organisationName: row.organisationName };
}

/** An organisation has one owner invitation, whatever its current token: the trail is the organisation's. */
const ownerResendTrail = (partnerOrgId: string): ResendTrail => ({
  action: "partner.invitation_resent",
  subjectType: "partner",
  subjectId: partnerOrgId,
  partnerOrgId,
});

/** Sends the owner a fresh invitation link, at most once per 5 minutes and 5 times a day; the earlier one stops working. */
export async function resendPartnerInvitation(ctx: AppContext, reviewer: Reviewer, applicationId: string, invitationId: string, origin: string): Promise<void> {
  const branding = await getBranding(ctx.db);
  await transaction(ctx.db, async (tx) => {
    const application = await approvedOrganisation(tx, applicationId);
    const previous = await lockOpenInvitation(tx, invitationId, application.partnerOrgId);
    const trail = ownerResendTrail(application.partnerOrgId);
    const now = ctx.clock.now();
    await assertResendAllowed(tx, trail, now);
    await tx.update(userTokens).set({ revokedAt: now }).where(eq(userTokens.id, previous.id));
    const { token, expiresAt } = await createInvitationToken(
      tx,
      {
        email: previous.email,
        role: "partner",
        partnerOrgId: application.partnerOrgId,
        partnerRole: previous.partnerRole ?? "owner",
        createdById: reviewer.id,
      },
      now,
    );
    await enqueueEmail(
      tx,
      applicationApprovedEmail({
        to: previous.email,
        ...emailBrand(branding, origin),
        contactName: application.contactName,
        reference: application.reference,
        organisationName: application.organisationName,
        url: invitationUrl(origin, token),
        expiresAt,
        resent: true,
      }),
    );
    await recordAudit(tx, { actor: reviewer, ...trail, data: { email: previous.email, expiresAt: expiresAt.toISOString() }, at: now });
  });
}

export async function revokePartnerInvitation(ctx: AppContext, reviewer: Reviewer, applicationId: string, invitationId: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const application = await approvedOrganisation(tx, applicationId);
    const invitation = await lockOpenInvitation(tx, invitationId, application.partnerOrgId);
    if (invitation.revokedAt) return;
    const now = ctx.clock.now();
    await tx.update(userTokens).set({ revokedAt: now }).where(eq(userTokens.id, invitation.id));
    await recordAudit(tx, {
      actor: reviewer,
      action: "partner.invitation_revoked",
      subjectType: "partner",
      subjectId: application.partnerOrgId,
      partnerOrgId: application.partnerOrgId,
      data: { email: invitation.email },
      at: now,
    });
  });
}
