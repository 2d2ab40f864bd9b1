import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { creatives, creativeVersions, partnerOrganisations, reviewStages, users } from "#db/schema/index";
import { containsPattern, type Db } from "~/lib/db.server";
import type { AppContext } from "~/lib/context.server";
import { REVIEW_STAGE_ROLES, type InternalRole } from "../accounts/roles";
import type { QueueTab, ReviewQueueFilters } from "../creatives/schemas.server";
import { paginate, type Page } from "../pagination.server";
import type { ReviewStageName } from "./matrix";
import { dueLabel } from "./sla";

export const QUEUE_PAGE_SIZE = 25;

/** What a decided creative can be: the Decided tab's statuses. */
export const DECIDED_STATUSES = ["approved", "rejected", "changes_requested", "withdrawn", "revoked"] as const;

export type QueueViewer = { id: string; role: InternalRole };

/** The tab a reviewer lands on: their own stage; admins and analysts see every open stage. */
export function defaultQueueTab(role: InternalRole): QueueTab {
  if (role === "brand_reviewer") return "brand";
  if (role === "legal_reviewer") return "legal";
  return "open";
}

/** Whether `role` may take (claim, decide) a stage: admins and the stage's own reviewers, analysts never. */
export const mayTakeStage = (role: InternalRole, stage: ReviewStageName) => (REVIEW_STAGE_ROLES[stage] as readonly InternalRole[]).includes(role);

export type OpenStageRow = {
  kind: "stage";
  stageId: string;
  creativeId: string;
  title: string;
  channel: string;
  placement: string;
  status: string;
  partnerName: string;
  partnerTier: string;
  stage: ReviewStageName;
  versionNumber: number;
  confirmsVersion: number | null;
  warnings: number;
  dueAt: Date | null;
  assigneeId: string | null;
  assigneeName: string | null;
  /** Unassigned and the viewer's role may take this stage: the row offers "Claim". */
  canClaim: boolean;
  due: { text: string; overdue: boolean } | null;
};

export type DecidedRow = {
  kind: "decided";
  creativeId: string;
  title: string;
  channel: string;
  placement: string;
  status: string;
  partnerName: string;
  partnerTier: string;
  versionNumber: number;
  warnings: number;
  decidedAt: Date | null;
};

export type QueueRow = OpenStageRow | DecidedRow;
export type QueueCounts = Record<QueueTab, number>;

const OPEN_CREATIVE = sql`${creatives.status} in ('submitted', 'in_review')`;
const PENDING_STAGE = sql`${reviewStages.status} = 'pending'`;
const DECIDED_CREATIVE = sql`${creatives.status} in (${sql.join(
  DECIDED_STATUSES.map((s) => sql`${s}`),
  sql`, `,
)})`;
// Findings are stored with the version they were found in; "warnings" counts them all, errors included (a reviewer wants either).
const WARNINGS = sql<number>`jsonb_array_length(${creativeVersions.findings})`.mapWith(Number);
// A withdrawal or revocation is the latest word on a creative when it has one.
const DECIDED_AT = sql<Date | null>`greatest(${creatives.decidedAt}, ${creatives.withdrawnAt}, ${creatives.revokedAt})`;

/** Which tables a set of filters reads, so counts join only what they must. */
const needsPartner = (f: ReviewQueueFilters) => Boolean(f.q || f.partner || f.tier);

/** Filters every tab shares, on the creative, its partner and the version the row is about. */
function sharedConditions(filters: ReviewQueueFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.channel) conditions.push(eq(creatives.channel, filters.channel));
  if (filters.tier) conditions.push(eq(partnerOrganisations.tier, filters.tier));
  if (filters.partner) conditions.push(ilike(partnerOrganisations.name, containsPattern(filters.partner)));
  if (filters.warnings) conditions.push(sql`jsonb_array_length(${creativeVersions.findings}) > 0`);
  if (filters.q) {
    const pattern = containsPattern(filters.q);
    conditions.push(or(...[creatives.title, creatives.placement, creatives.copy, partnerOrganisations.name].map((field) => ilike(field, pattern)))!);
  }
  return conditions;
}

/** The open stages under the filters (every open tab is a narrowing of these). */
function openConditions(viewer: QueueViewer, filters: ReviewQueueFilters): SQL[] {
  const conditions = [PENDING_STAGE, OPEN_CREATIVE, ...sharedConditions(filters)];
  if (filters.status) conditions.push(eq(creatives.status, filters.status));
  if (filters.mine) conditions.push(eq(reviewStages.assigneeId, viewer.id));
  return conditions;
}

function tabCondition(tab: Exclude<QueueTab, "decided">, viewer: QueueViewer): SQL | undefined {
  if (tab === "brand" || tab === "legal") return eq(reviewStages.stage, tab);
  if (tab === "mine") return eq(reviewStages.assigneeId, viewer.id);
  return undefined;
}

/**
 * The number behind each tab, under the current filters: the open tabs in one
 * grouped pass over the pending stages (a few thousand rows at most, found
 * through review_stages_open_idx), the decided creatives in one count. Each
 * joins only the tables its filters read.
 */
async function countTabs(db: Db, viewer: QueueViewer, filters: ReviewQueueFilters): Promise<QueueCounts> {
  let open = db
    .select({
      brand: sql<number>`count(*) filter (where ${reviewStages.stage} = 'brand')`.mapWith(Number),
      legal: sql<number>`count(*) filter (where ${reviewStages.stage} = 'legal')`.mapWith(Number),
      mine: sql<number>`count(*) filter (where ${reviewStages.assigneeId} = ${viewer.id})`.mapWith(Number),
      open: count(),
    })
    .from(reviewStages)
    .innerJoin(creatives, eq(creatives.id, reviewStages.creativeId))
    .$dynamic();
  if (needsPartner(filters)) open = open.innerJoin(partnerOrganisations, eq(partnerOrganisations.id, creatives.organisationId));
  if (filters.warnings) open = open.innerJoin(creativeVersions, eq(creativeVersions.id, reviewStages.versionId));

  let decided = db.select({ n: count() }).from(creatives).$dynamic();
  if (needsPartner(filters)) decided = decided.innerJoin(partnerOrganisations, eq(partnerOrganisations.id, creatives.organisationId));
  if (filters.warnings) decided = decided.innerJoin(creativeVersions, latestVersionOf);

  const [[stages], [closed]] = await Promise.all([
    open.where(and(...openConditions(viewer, filters))),
    decided.where(and(DECIDED_CREATIVE, ...sharedConditions(filters))),
  ]);
  return { brand: stages?.brand ?? 0, legal: stages?.legal ?? 0, mine: stages?.mine ?? 0, open: stages?.open ?? 0, decided: closed?.n ?? 0 };
}

const latestVersionOf = and(eq(creativeVersions.creativeId, creatives.id), eq(creativeVersions.number, creatives.latestVersion))!;

const ROW_FIELDS = {
  creativeId: creatives.id,
  title: creatives.title,
  channel: creatives.channel,
  placement: creatives.placement,
  status: creatives.status,
  partnerName: partnerOrganisations.name,
  partnerTier: partnerOrganisations.tier,
  warnings: WARNINGS,
};

function openStageRows(db: Db, viewer: QueueViewer, tab: Exclude<QueueTab, "decided">, filters: ReviewQueueFilters, limit: number, offset: number) {
  return (
    db
      .select({
        ...ROW_FIELDS,
        stageId: reviewStages.id,
        stage: reviewStages.stage,
        versionNumber: reviewStages.versionNumber,
        confirmsVersion: reviewStages.confirmsVersion,
        dueAt: reviewStages.dueAt,
        assigneeId: reviewStages.assigneeId,
        assigneeName: users.name,
      })
      .from(reviewStages)
      .innerJoin(creatives, eq(creatives.id, reviewStages.creativeId))
      .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, creatives.organisationId))
      .innerJoin(creativeVersions, eq(creativeVersions.id, reviewStages.versionId))
      .leftJoin(users, eq(users.id, reviewStages.assigneeId))
      .where(and(...openConditions(viewer, filters), tabCondition(tab, viewer)))
      // Soonest due first, so overdue stages lead; the index on (status, due_at) hands them over in this order.
      .orderBy(sql`${reviewStages.dueAt} asc nulls last`, asc(reviewStages.creativeId), asc(reviewStages.stage))
      .limit(limit)
      .offset(offset)
  );
}

function decidedRows(db: Db, filters: ReviewQueueFilters, limit: number, offset: number) {
  return db
    .select({ ...ROW_FIELDS, versionNumber: creatives.latestVersion, decidedAt: DECIDED_AT })
    .from(creatives)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, creatives.organisationId))
    .innerJoin(creativeVersions, latestVersionOf)
    .where(and(DECIDED_CREATIVE, ...sharedConditions(filters)))
    .orderBy(sql`${DECIDED_AT} desc nulls last`, desc(creatives.id))
    .limit(limit)
    .offset(offset);
}

/**
 * The reviewers' queue (issue 14, §2): one row per open stage (a creative in
 * parallel review shows once per stage), soonest due first, or the decided
 * creatives newest decision first; the counts of every tab; each open row
 * with its due label at `ctx.clock.now()` and whether the viewer may claim it.
 */
export async function reviewQueue(
  ctx: Pick<AppContext, "db" | "clock">,
  viewer: QueueViewer,
  filters: ReviewQueueFilters,
  pageNumber: number,
): Promise<{ tab: QueueTab; counts: QueueCounts; page: Page<QueueRow> }> {
  const tab = filters.tab ?? defaultQueueTab(viewer.role);
  const now = ctx.clock.now();
  const counts = countTabs(ctx.db, viewer, filters);
  // Awaited below (and by the page count); should the rows fail first, this failure is not left unhandled.
  counts.catch(() => undefined);
  const page = await paginate<QueueRow>(
    pageNumber,
    QUEUE_PAGE_SIZE,
    async (limit, offset) => {
      if (tab === "decided") return (await decidedRows(ctx.db, filters, limit, offset)).map((row) => ({ kind: "decided" as const, ...row }));
      const rows = await openStageRows(ctx.db, viewer, tab, filters, limit, offset);
      return rows.map((row) => ({
        kind: "stage" as const,
        ...row,
        canClaim: row.assigneeId === null && mayTakeStage(viewer.role, row.stage),
        due: row.dueAt ? dueLabel(now, row.dueAt) : null,
      }));
    },
    // The tab's own count is its total: no second count for the pages.
    async () => [{ n: (await counts)[tab] }],
  );
  return { tab, counts: await counts, page };
}
