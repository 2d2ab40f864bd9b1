import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { creatives, creativeVersions, partnerOrganisations, reviewStages, users } from "#db/schema/index";
import { containsPattern, type Db } from "~/lib/db.server";
import type { AppContext } from "~/lib/context.server";
import { REVIEW_STAGE_ROLES, type InternalRole } from "../accounts/roles";
import type { QueueTab, ReviewQueueFilters } from "../creatives/schemas.server";
import { paginate, type Page } from "../pagination.server";
import type { ReviewStageName } from "./matrix";
import { dueLabel } from "./sla";
import type { DecidedRow, OpenStageRow, QueueRow } from "./queue-rows";

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

export type { DecidedRow, OpenStageRow, QueueRow };
/** The count of each tab; null where none is taken (Decided, see countOpenTabs). */
export type QueueCounts = Record<QueueTab, number | null>;

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
 * The number behind each open tab, under the current filters, in one grouped
 * pass over the pending stages (a few thousand rows at most, found through
 * review_stages_open_idx), joining only the tables the filters read. The
 * Decided tab has no number: counting every decided creative on each visit
 * would scan most of the table; its own page counts it once, for paging.
 */
async function countOpenTabs(db: Db, viewer: QueueViewer, filters: ReviewQueueFilters): Promise<QueueCounts> {
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
  const [stages] = await open.where(and(...openConditions(viewer, filters)));
  return { brand: stages?.brand ?? 0, legal: stages?.legal ?? 0, mine: stages?.mine ?? 0, open: stages?.open ?? 0, decided: null };
}

async function hasSubmissions(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: creatives.id })
    .from(creatives)
    .where(sql`${creatives.status} <> 'draft'`)
    .limit(1);
  return Boolean(row);
}

/** The decided creatives under the filters: the Decided tab's total, for its pages. */
async function countDecided(db: Db, filters: ReviewQueueFilters): Promise<number> {
  let decided = db.select({ n: count() }).from(creatives).$dynamic();
  if (needsPartner(filters)) decided = decided.innerJoin(partnerOrganisations, eq(partnerOrganisations.id, creatives.organisationId));
  if (filters.warnings) decided = decided.innerJoin(creativeVersions, latestVersionOf);
  const [row] = await decided.where(and(DECIDED_CREATIVE, ...sharedConditions(filters)));
  return row?.n ?? 0;
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

/**
 * One page of decided creatives, newest decision first: the page's ids are
 * picked from creatives alone (joining only what the filters read), and only
 * those 25 are joined to their partner and latest version.
 */
function decidedRows(db: Db, filters: ReviewQueueFilters, limit: number, offset: number) {
  // Aliased apart from the columns of the tables joined to them (creatives.id, creatives.decided_at).
  let ids = db
    .select({
      id: sql<string>`${creatives.id}`.as("page_creative_id"),
      decidedAt: sql<Date | null>`${DECIDED_AT}`.mapWith(creatives.decidedAt).as("page_decided_at"),
    })
    .from(creatives)
    .$dynamic();
  if (needsPartner(filters)) ids = ids.innerJoin(partnerOrganisations, eq(partnerOrganisations.id, creatives.organisationId));
  if (filters.warnings) ids = ids.innerJoin(creativeVersions, latestVersionOf);
  const pageIds = ids
    .where(and(DECIDED_CREATIVE, ...sharedConditions(filters)))
    .orderBy(sql`${DECIDED_AT} desc nulls last`, desc(creatives.id))
    .limit(limit)
    .offset(offset)
    .as("decided_page");
  return db
    .select({ ...ROW_FIELDS, versionNumber: creatives.latestVersion, decidedAt: pageIds.decidedAt })
    .from(pageIds)
    .innerJoin(creatives, eq(creatives.id, pageIds.id))
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, creatives.organisationId))
    .innerJoin(creativeVersions, latestVersionOf)
    .orderBy(sql`${pageIds.decidedAt} desc nulls last`, desc(creatives.id));
}

/**
 * The reviewers' queue (issue 14, §2): one row per open stage (a creative in
 * parallel review shows once per stage), soonest due first, or the decided
 * creatives newest decision first; the counts of the tabs; each open row
 * with its due label at `ctx.clock.now()` and whether the viewer may claim it.
 */
export async function reviewQueue(
  ctx: Pick<AppContext, "db" | "clock">,
  viewer: QueueViewer,
  filters: ReviewQueueFilters,
  pageNumber: number,
): Promise<{ tab: QueueTab; counts: QueueCounts; page: Page<QueueRow>; anySubmitted: boolean }> {
  const tab = filters.tab ?? defaultQueueTab(viewer.role);
  const now = ctx.clock.now();
  const openCounts = countOpenTabs(ctx.db, viewer, filters);
  const decidedCount = tab === "decided" ? countDecided(ctx.db, filters) : Promise.resolve(null);
  // Both are awaited below (one by the page count); should the rows fail first, these failures are not left unhandled.
  openCounts.catch(() => undefined);
  decidedCount.catch(() => undefined);
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
    async () => [{ n: tab === "decided" ? ((await decidedCount) ?? 0) : ((await openCounts)[tab] ?? 0) }],
  );
  const counts = { ...(await openCounts), decided: await decidedCount };
  // An empty tab says whether anything was ever submitted (a new program) or only this tab is clear; asked only then.
  const anySubmitted = page.total > 0 || (await hasSubmissions(ctx.db));
  return { tab, counts, page, anySubmitted };
}
