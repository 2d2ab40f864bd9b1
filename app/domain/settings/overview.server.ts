import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { applications, assets, auditEvents, claims, outboxMessages, partnerOrganisations, policies, userTokens, users } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { todayIso } from "../claims/claims.server";

const count = sql<number>`count(*)::int`;

/** Figures for the internal home page, each one a single indexed count; open and overdue as of `now`. */
export async function getOverview(db: Db, now: Date) {
  const [
    [team],
    [invites],
    [partners],
    [delivered],
    [waiting],
    [audits],
    [branding],
    [toReview],
    [withApplicant],
    [unpublished],
    [claimDrafts],
    [claimsOverdue],
    [activeAssets],
  ] = await Promise.all([
    db
      .select({ n: count })
      .from(users)
      .where(and(ne(users.role, "partner"), eq(users.status, "active"))),
    db
      .select({ n: count })
      .from(userTokens)
      .where(and(eq(userTokens.purpose, "invitation"), isNull(userTokens.usedAt), isNull(userTokens.revokedAt), gt(userTokens.expiresAt, now))),
    db.select({ n: count }).from(partnerOrganisations),
    db
      .select({ n: count })
      .from(outboxMessages)
      .where(sql`${outboxMessages.status} in ('sent', 'kept')`),
    db
      .select({ n: count })
      .from(outboxMessages)
      .where(sql`${outboxMessages.status} in ('pending', 'sending')`),
    db.select({ n: count }).from(auditEvents),
    db.select({ n: count }).from(auditEvents).where(eq(auditEvents.action, "settings.branding_updated")),
    db.select({ n: count }).from(applications).where(eq(applications.status, "submitted")),
    db.select({ n: count }).from(applications).where(eq(applications.status, "info_requested")),
    db
      .select({ n: count })
      .from(policies)
      .where(
        and(eq(policies.required, true), sql`not exists (select 1 from policy_versions pv where pv.policy_id = "policies"."id" and pv.status = 'published')`),
      ),
    db.select({ n: count }).from(claims).where(eq(claims.status, "draft")),
    db
      .select({ n: count })
      .from(claims)
      .where(and(eq(claims.status, "approved"), sql`${claims.reviewBy} < ${todayIso(now)}`)),
    db.select({ n: count }).from(assets).where(eq(assets.status, "active")),
  ]);
  return {
    activeTeam: team?.n ?? 0,
    openInvitations: invites?.n ?? 0,
    partners: partners?.n ?? 0,
    emailsDelivered: delivered?.n ?? 0,
    emailsWaiting: waiting?.n ?? 0,
    auditEvents: audits?.n ?? 0,
    applicationsToReview: toReview?.n ?? 0,
    applicationsWithApplicant: withApplicant?.n ?? 0,
    requiredPoliciesUnpublished: unpublished?.n ?? 0,
    claimsToApprove: claimDrafts?.n ?? 0,
    claimsPastReview: claimsOverdue?.n ?? 0,
    activeAssets: activeAssets?.n ?? 0,
    // Setup stores defaults; the program counts as described once an admin saved the settings.
    brandingSet: (branding?.n ?? 0) > 0,
  };
}
