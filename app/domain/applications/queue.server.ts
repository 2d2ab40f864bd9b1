import { and, arrayContains, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { applications, auditEvents, partnerOrganisations, userTokens, users } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { tokenState } from "../accounts/tokens.server";
import { paginate } from "../pagination.server";
import { APPLICATION_STATUS_VALUES, PARTNER_TYPE_VALUES, REGION_VALUES, type ApplicationStatus, type PartnerType, type Region } from "./catalog";

export const QUEUE_PAGE_SIZE = 25;
export const QUEUE_SORTS = ["score", "oldest", "newest"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export type QueueFilters = { status: ApplicationStatus | "all"; partnerType: PartnerType | null; region: Region | null; sort: QueueSort };

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | null =>
  value && (values as readonly string[]).includes(value) ? (value as T) : null;

/** Filters from the queue's URL; anything unknown falls back to the default view (pending, best first). */
export function queueFiltersFrom(url: URL): QueueFilters {
  const p = url.searchParams;
  return {
    status: p.get("status") === "all" ? "all" : (oneOf(APPLICATION_STATUS_VALUES, p.get("status")) ?? "submitted"),
    partnerType: oneOf(PARTNER_TYPE_VALUES, p.get("type")),
    region: oneOf(REGION_VALUES, p.get("region")),
    sort: oneOf(QUEUE_SORTS, p.get("sort")) ?? "score",
  };
}

const ORDER: Record<QueueSort, SQL[]> = {
  score: [desc(applications.fitScore), asc(applications.submittedAt)],
  oldest: [asc(applications.submittedAt)],
  newest: [desc(applications.submittedAt)],
};

export function listApplications(db: Db, filters: QueueFilters, page: number) {
  const where = and(
    filters.status === "all" ? undefined : eq(applications.status, filters.status),
    filters.partnerType ? eq(applications.partnerType, filters.partnerType) : undefined,
    filters.region ? arrayContains(applications.regions, [filters.region]) : undefined,
  );
  return paginate(
    page,
    QUEUE_PAGE_SIZE,
    (limit, offset) =>
      db
        .select({
          id: applications.id,
          reference: applications.reference,
          company: applications.company,
          contactName: applications.contactName,
          partnerType: applications.partnerType,
          regions: applications.regions,
          audienceSize: applications.audienceSize,
          status: applications.status,
          fitScore: applications.fitScore,
          flags: applications.flags,
          submittedAt: applications.submittedAt,
        })
        .from(applications)
        .where(where)
        .orderBy(...ORDER[filters.sort], asc(applications.id))
        .limit(limit)
        .offset(offset),
    () =>
      db
        .select({ n: sql<number>`count(*)::int` })
        .from(applications)
        .where(where),
  );
}

export async function countApplicationsByStatus(db: Db): Promise<Record<ApplicationStatus, number>> {
  const rows = await db
    .select({ status: applications.status, n: sql<number>`count(*)::int` })
    .from(applications)
    .groupBy(applications.status);
  const counts = Object.fromEntries(APPLICATION_STATUS_VALUES.map((s) => [s, 0])) as Record<ApplicationStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** Everything a reviewer needs to decide: answers, score, flags, history, and after approval the organisation and its invitations. */
export async function getApplicationForReview(db: Db, id: string, now: Date) {
  const [row] = await db
    .select({ application: applications, decidedBy: users.name })
    .from(applications)
    .leftJoin(users, eq(users.id, applications.decidedById))
    .where(eq(applications.id, id));
  if (!row) return null;
  const { application } = row;
  const [history, organisation, invitations] = await Promise.all([
    db
      .select({
        id: auditEvents.id,
        occurredAt: auditEvents.occurredAt,
        actorLabel: auditEvents.actorLabel,
        action: auditEvents.action,
        data: auditEvents.data,
      })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, "application"), eq(auditEvents.subjectId, id)))
      .orderBy(asc(auditEvents.id)),
    application.partnerOrgId
      ? db
          .select()
          .from(partnerOrganisations)
          .where(eq(partnerOrganisations.id, application.partnerOrgId))
          .then((r) => r[0] ?? null)
      : Promise.resolve(null),
    application.partnerOrgId
      ? db
          .select()
          .from(userTokens)
          .where(and(eq(userTokens.purpose, "invitation"), eq(userTokens.partnerOrgId, application.partnerOrgId)))
          .orderBy(desc(userTokens.createdAt))
      : Promise.resolve([]),
  ]);
  return {
    application,
    decidedBy: row.decidedBy,
    history,
    organisation,
    invitations: invitations.map((t) => ({
      id: t.id,
      email: t.email,
      partnerRole: t.partnerRole,
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
      usedAt: t.usedAt,
      state: tokenState(t, now),
    })),
  };
}
