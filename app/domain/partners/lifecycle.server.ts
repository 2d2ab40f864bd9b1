import { and, eq, isNull } from "drizzle-orm";
import { partnerOrganisations, userTokens, type PartnerOrganisation } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { withdrawOpenSubmissions } from "../creatives/submissions.server";
import { DomainError, ForbiddenError, NotFoundError } from "../errors";
import { openKillSwitchIncident, type KillSwitchIncident } from "../incidents/incidents.server";
import { notifyLinksChanged } from "../links/notify.server";
import { partnerStatusChangedEmail } from "../notifications/emails.server";
import { notify, partnerMembers } from "../notifications/notify.server";
import { emailBrand, getBranding } from "../settings/program.server";
import { refreshPartnerHealth } from "./health-score.server";
import { partnerStatusLabel, type PartnerStatus } from "./catalog";
import { emitWebhookEvent } from "../webhooks/emit.server";

// The partner lifecycle and its kill switch (PRODUCT.md, Partners):
// onboarding → active ⇄ paused → terminated; onboarding may be paused or
// terminated too, and terminated is final. Each change is one transaction:
// the organisation row locked, the transition checked, the status changed,
// the audit event and the whole cascade (cascade() below) written with it, so
// either everything happened or nothing did.
//
// What the status alone already stops, wherever it is checked at the time of
// the request: the redirect (fallbackReasonOf: partner_paused /
// partner_terminated), evergreen links (createEvergreenLink), creative
// submissions (assertOrganisationMaySubmit), coupon changes, coupon
// attribution (attribute) and downloads (assertPartnerMayDownload below).
// What the cascade does besides, because a status check cannot: tell every
// instance's redirect cache, withdraw open submissions, end sessions, revoke
// invitations, and email the members.

export type LifecycleChange = "paused" | "resumed" | "terminated";

export type LifecycleOutcome = {
  status: PartnerStatus;
  /** Submissions waiting for a decision that the change withdrew. */
  withdrawn: number;
  /** Members whose sessions ended (terminate only). */
  signedOut: number;
  /** Open invitations to the organisation withdrawn (terminate only). */
  invitationsRevoked: number;
  /** Members emailed about the change. */
  notified: number;
  /** The incident a pause or termination opened, or the open one it was recorded on (null on resume). */
  incident: KillSwitchIncident | null;
};

const FROM: Record<LifecycleChange, readonly PartnerStatus[]> = {
  paused: ["onboarding", "active"],
  resumed: ["paused"],
  terminated: ["onboarding", "active", "paused"],
};

function refusal(change: LifecycleChange, status: PartnerStatus): string {
  if (status === "terminated") return "This partnership is terminated, which is final: it cannot be paused, resumed or terminated again.";
  if (change === "paused") return "This partner is already paused.";
  return `This partner is ${partnerStatusLabel(status).toLowerCase()}, not paused: there is nothing to resume.`;
}

/** Why a partner may not download assets or kits now, or null when they may. */
export function downloadRefusal(status: string): string | null {
  if (status !== "paused" && status !== "terminated") return null;
  return `Your partnership is ${status}, so assets and kits cannot be downloaded. Your contact at the program can tell you more.`;
}

/** Downloads and kits are refused to a paused or terminated partner (403 with the reason). */
export async function assertPartnerMayDownload(db: Db, partnerOrgId: string): Promise<void> {
  const [org] = await db.select({ status: partnerOrganisations.status }).from(partnerOrganisations).where(eq(partnerOrganisations.id, partnerOrgId));
  if (!org) throw new NotFoundError("Partner organisation not found.");
  const refused = downloadRefusal(org.status);
  if (refused) throw new ForbiddenError(refused, `partner_${org.status}`);
}

/** Pauses a partnership: its links go to the fallback page and it can no longer download, submit or make links, until resumed. */
export function pausePartner(ctx: AppContext, actor: Actor, partnerOrgId: string, input: { reason: string }, origin: string): Promise<LifecycleOutcome> {
  return changeStatus(ctx, actor, partnerOrgId, "paused", input.reason, origin);
}

/** Resumes a paused partnership: what the pause stopped works again (withdrawn submissions stay withdrawn). */
export function resumePartner(
  ctx: AppContext,
  actor: Actor,
  partnerOrgId: string,
  input: { reason?: string | undefined },
  origin: string,
): Promise<LifecycleOutcome> {
  return changeStatus(ctx, actor, partnerOrgId, "resumed", input.reason?.trim() || null, origin);
}

/**
 * Ends a partnership for good: everything a pause does, and every member is
 * signed out and every open invitation withdrawn. `confirmation` must be the
 * organisation's name as the admin typed it (the form asks for it).
 */
export async function terminatePartner(
  ctx: AppContext,
  actor: Actor,
  partnerOrgId: string,
  input: { reason: string; confirmation: string },
  origin: string,
): Promise<LifecycleOutcome> {
  return changeStatus(ctx, actor, partnerOrgId, "terminated", input.reason, origin, (org) => {
    if (normaliseName(input.confirmation) !== normaliseName(org.name)) {
      throw new DomainError(`Type the partner's name, ${org.name}, to confirm.`, { field: "confirmation" });
    }
  });
}

const normaliseName = (name: string) => name.trim().replace(/\s+/g, " ").toLowerCase();

async function changeStatus(
  ctx: AppContext,
  actor: Actor,
  partnerOrgId: string,
  change: LifecycleChange,
  reason: string | null,
  origin: string,
  check?: (org: PartnerOrganisation) => void,
): Promise<LifecycleOutcome> {
  const branding = await getBranding(ctx.db);
  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    // Locked so that two admins acting at once see each other's change (the second gets a conflict).
    const [org] = await tx.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, partnerOrgId)).for("update");
    if (!org) throw new NotFoundError("Partner not found.");
    if (!FROM[change].includes(org.status)) throw new DomainError(refusal(change, org.status), { kind: "conflict" });
    check?.(org);

    // A resumed partner is back where it was: active once it had accepted the policies, else still onboarding.
    const to: PartnerStatus = change === "paused" ? "paused" : change === "terminated" ? "terminated" : org.activatedAt ? "active" : "onboarding";
    await tx
      .update(partnerOrganisations)
      .set({
        status: to,
        pausedAt: change === "paused" ? now : change === "resumed" ? null : org.pausedAt,
        terminatedAt: change === "terminated" ? now : null,
        statusReason: change === "resumed" ? null : reason,
        updatedAt: now,
      })
      .where(eq(partnerOrganisations.id, org.id));

    const effects = await cascade(ctx, tx, { actor, org, change, reason, now, origin, brand: emailBrand(branding, origin) });
    // The status (and the kill switch's incident) move the score: the directory shows the new one at once.
    await refreshPartnerHealth(tx, org.id, now);
    await recordAudit(tx, {
      actor,
      action: `partner.${change}`,
      subjectType: "partner_organisation",
      subjectId: org.id,
      partnerOrgId: org.id,
      data: { from: org.status, to, reason, ...effects },
      at: now,
    });
    await emitWebhookEvent(tx, ctx, `partner.${change}`, { partnerId: org.id, partnerName: org.name, status: to, previousStatus: org.status, reason, at: now });
    return { status: to, ...effects };
  });
}

type CascadeInput = {
  actor: Actor;
  org: PartnerOrganisation;
  change: LifecycleChange;
  reason: string | null;
  now: Date;
  origin: string;
  brand: ReturnType<typeof emailBrand>;
};

/**
 * Everything a status change sets off, in the change's transaction. The one
 * place to add what governance brings (the incident opened or linked, the
 * in-app notifications): each goes here, so one action still stops a
 * partner everywhere at once, on record. (The partner.* webhook is emitted
 * beside the audit event in changeStatus, which knows the new status.)
 */
async function cascade(ctx: AppContext, tx: Db, input: CascadeInput): Promise<Omit<LifecycleOutcome, "status">> {
  const { actor, org, change, reason, now } = input;

  // Every instance's redirect forgets what it cached (delivered on commit): the next click sees the new status.
  await notifyLinksChanged(tx);

  let withdrawn = 0;
  let incident: KillSwitchIncident | null = null;
  if (change !== "resumed") {
    const why = `${change === "paused" ? "The partnership was paused" : "The partnership was terminated"}: ${reason}`;
    withdrawn = await withdrawOpenSubmissions(tx, actor, org.id, why, now);
    // On record as an incident: opened now, or this step added to the partner's open one (incidents.server.ts).
    incident = await openKillSwitchIncident(tx, ctx, { organisationId: org.id, action: change, reason: reason ?? "", actor });
  }

  const members = await partnerMembers(tx, org.id);

  let signedOut = 0;
  let invitationsRevoked = 0;
  if (change === "terminated") {
    for (const member of members) await ctx.auth.invalidateUserSessions(tx, member.id);
    signedOut = members.length;
    const revoked = await tx
      .update(userTokens)
      .set({ revokedAt: now })
      .where(and(eq(userTokens.purpose, "invitation"), eq(userTokens.partnerOrgId, org.id), isNull(userTokens.usedAt), isNull(userTokens.revokedAt)))
      .returning({ id: userTokens.id });
    invitationsRevoked = revoked.length;
  }

  // A policy notification: its email cannot be turned off.
  await notify(
    tx,
    { now },
    {
      recipients: members,
      kind: "partner_status",
      title: {
        paused: `${org.name}'s partnership is paused`,
        resumed: `${org.name}'s partnership is active again`,
        terminated: `${org.name}'s partnership has ended`,
      }[change],
      body: reason ? `Why: ${reason}` : "",
      href: "/partner",
      subject: { type: "partner_organisation", id: org.id },
      email: (member) =>
        partnerStatusChangedEmail({
          to: member.email,
          ...input.brand,
          name: member.name,
          organisationName: org.name,
          change,
          reason,
          withdrawn,
          url: `${input.origin}/partner`,
        }),
    },
  );
  return { withdrawn, signedOut, invitationsRevoked, notified: members.length, incident };
}

/** What the partner area's banner says about a paused or terminated partnership, or null for one in good standing. */
export async function partnershipStanding(
  db: Db,
  partnerOrgId: string,
): Promise<{ status: "paused" | "terminated"; since: Date | null; reason: string | null } | null> {
  const [org] = await db
    .select({
      status: partnerOrganisations.status,
      pausedAt: partnerOrganisations.pausedAt,
      terminatedAt: partnerOrganisations.terminatedAt,
      reason: partnerOrganisations.statusReason,
    })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.id, partnerOrgId));
  if (!org || (org.status !== "paused" && org.status !== "terminated")) return null;
  return { status: org.status, since: org.status === "paused" ? org.pausedAt : org.terminatedAt, reason: org.reason };
}
