import { and, asc, count, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { creativeFiles, creatives, creativeVersionFiles, creativeVersions, partnerOrganisations, users } from "#db/schema/index";
import { containsPattern, type Db } from "~/lib/db.server";
import type { AppContext } from "~/lib/context.server";
import { labelOf } from "../applications/catalog";
import { listClaimsForPartner } from "../claims/claims.server";
import { paginate, type Page } from "../pagination.server";
import { getProgramRules } from "../settings/program.server";
import type { CreativeFilters } from "./schemas.server";

export const CREATIVES_PAGE_SIZE = 25;

const LIST_FIELDS = {
  id: creatives.id,
  title: creatives.title,
  channel: creatives.channel,
  placement: creatives.placement,
  status: creatives.status,
  latestVersion: creatives.latestVersion,
  plannedLaunchOn: creatives.plannedLaunchOn,
  submittedAt: creatives.submittedAt,
  updatedAt: creatives.updatedAt,
};

export type CreativeListRow = { [K in keyof typeof LIST_FIELDS]: (typeof creatives.$inferSelect)[K] };

/**
 * The list filters as SQL. `partnerName`: the search also matches the
 * partner organisation's name (the brand's list, which joins it in); a
 * partner's own list has no other organisation to find.
 */
function filterConditions(filters: CreativeFilters, options: { partnerName?: boolean } = {}): SQL[] {
  const conditions: SQL[] = [];
  if (filters.status) conditions.push(sql`${creatives.status} = ${filters.status}`);
  if (filters.channel) conditions.push(eq(creatives.channel, filters.channel));
  if (filters.q) {
    const pattern = containsPattern(filters.q);
    const fields = [creatives.title, creatives.placement, creatives.copy, ...(options.partnerName ? [partnerOrganisations.name] : [])];
    conditions.push(or(...fields.map((field) => ilike(field, pattern)))!);
  }
  return conditions;
}

/** An organisation's creatives, newest change first; the organisation is always the session's. */
export async function listCreativesForOrganisation(db: Db, partnerOrgId: string, filters: CreativeFilters, page: number): Promise<Page<CreativeListRow>> {
  const where = and(eq(creatives.organisationId, partnerOrgId), ...filterConditions(filters));
  return paginate(
    page,
    CREATIVES_PAGE_SIZE,
    (limit, offset) => db.select(LIST_FIELDS).from(creatives).where(where).orderBy(desc(creatives.updatedAt), desc(creatives.id)).limit(limit).offset(offset),
    () => db.select({ n: count() }).from(creatives).where(where),
  );
}

export type TeamCreativeRow = CreativeListRow & { organisationId: string; organisationName: string };

/**
 * The brand's list of submissions: everything past draft (a draft is the
 * partner's own until submitted), oldest waiting first. The search also finds
 * a partner by its organisation's name.
 */
export async function listCreativesForTeam(db: Db, filters: CreativeFilters, page: number): Promise<Page<TeamCreativeRow>> {
  const where = and(sql`${creatives.status} <> 'draft'`, ...filterConditions(filters, { partnerName: true }));
  const fields = { ...LIST_FIELDS, organisationId: creatives.organisationId, organisationName: partnerOrganisations.name };
  return paginate(
    page,
    CREATIVES_PAGE_SIZE,
    (limit, offset) =>
      db
        .select(fields)
        .from(creatives)
        .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, creatives.organisationId))
        .where(where)
        .orderBy(sql`case when ${creatives.status} in ('submitted', 'in_review') then 0 else 1 end`, asc(creatives.submittedAt), desc(creatives.id))
        .limit(limit)
        .offset(offset),
    // The same join as the rows: the search reads the organisation's name.
    () => db.select({ n: count() }).from(creatives).innerJoin(partnerOrganisations, eq(partnerOrganisations.id, creatives.organisationId)).where(where),
  );
}

/** Counts per status, for the filter tabs. */
export async function countCreativesByStatus(db: Db, partnerOrgId: string | null): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: creatives.status, n: count() })
    .from(creatives)
    .where(partnerOrgId ? eq(creatives.organisationId, partnerOrgId) : sql`${creatives.status} <> 'draft'`)
    .groupBy(creatives.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

const FILE_FIELDS = {
  id: creativeFiles.id,
  kind: creativeFiles.kind,
  contentType: creativeFiles.contentType,
  originalFilename: creativeFiles.originalFilename,
  byteSize: creativeFiles.byteSize,
  width: creativeFiles.width,
  height: creativeFiles.height,
  pageCount: creativeFiles.pageCount,
  hasPreview: sql<boolean>`${creativeFiles.previewKey} is not null`,
  createdAt: creativeFiles.createdAt,
};

export type CreativeFileRow = {
  id: string;
  kind: "image" | "pdf" | "video";
  contentType: string;
  originalFilename: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  pageCount: number | null;
  hasPreview: boolean;
  createdAt: Date;
};

/** The files on the working copy, in upload order. */
export async function listWorkingFiles(db: Db, creativeId: string): Promise<CreativeFileRow[]> {
  return db
    .select(FILE_FIELDS)
    .from(creativeFiles)
    .where(and(eq(creativeFiles.creativeId, creativeId), isNull(creativeFiles.detachedAt)))
    .orderBy(asc(creativeFiles.createdAt), asc(creativeFiles.id));
}

/** Every version, newest first, each with its files. */
export async function listVersions(db: Db, creativeId: string) {
  const versions = await db
    .select({ version: creativeVersions, submittedByName: users.name })
    .from(creativeVersions)
    .innerJoin(users, eq(users.id, creativeVersions.submittedById))
    .where(eq(creativeVersions.creativeId, creativeId))
    .orderBy(desc(creativeVersions.number));
  const ids = versions.map((v) => v.version.id);
  const files = ids.length
    ? await db
        .select({ versionId: creativeVersionFiles.versionId, position: creativeVersionFiles.position, file: FILE_FIELDS })
        .from(creativeVersionFiles)
        .innerJoin(creativeFiles, eq(creativeFiles.id, creativeVersionFiles.fileId))
        .where(inArray(creativeVersionFiles.versionId, ids))
        .orderBy(asc(creativeVersionFiles.position))
    : [];
  return versions.map(({ version, submittedByName }) => ({
    ...version,
    submittedByName,
    files: files.filter((f) => f.versionId === version.id).map((f) => f.file as CreativeFileRow),
  }));
}

/** A creative of the partner's own organisation, or null (another organisation's id reads as missing). */
export async function getCreativeForOrganisation(db: Db, partnerOrgId: string, creativeId: string) {
  const [row] = await db
    .select()
    .from(creatives)
    .where(and(eq(creatives.id, creativeId), eq(creatives.organisationId, partnerOrgId)));
  if (!row) return null;
  const [files, versions] = await Promise.all([listWorkingFiles(db, row.id), listVersions(db, row.id)]);
  return { creative: row, files, versions };
}

/** A submitted creative for the brand team, or null (drafts stay the partner's own). */
export async function getCreativeForTeam(db: Db, creativeId: string) {
  const [row] = await db
    .select({
      creative: creatives,
      organisation: {
        id: partnerOrganisations.id,
        name: partnerOrganisations.name,
        tier: partnerOrganisations.tier,
        partnerType: partnerOrganisations.partnerType,
        status: partnerOrganisations.status,
      },
    })
    .from(creatives)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, creatives.organisationId))
    .where(and(eq(creatives.id, creativeId), sql`${creatives.status} <> 'draft'`));
  if (!row) return null;
  const versions = await listVersions(db, row.creative.id);
  return { ...row, versions };
}

/** Whether the organisation has sent anything for review (the onboarding checklist's step). */
export async function hasSubmittedCreative(db: Db, partnerOrgId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: creativeVersions.id })
    .from(creativeVersions)
    .innerJoin(creatives, eq(creatives.id, creativeVersions.creativeId))
    .where(eq(creatives.organisationId, partnerOrgId))
    .limit(1);
  return Boolean(row);
}

const STORED_FILE_FIELDS = {
  storageKey: creativeFiles.storageKey,
  previewKey: creativeFiles.previewKey,
  contentType: creativeFiles.contentType,
  originalFilename: creativeFiles.originalFilename,
  byteSize: creativeFiles.byteSize,
  sha256: creativeFiles.sha256,
};

export type StoredCreativeFile = {
  storageKey: string;
  previewKey: string | null;
  contentType: string;
  originalFilename: string;
  byteSize: number;
  sha256: string;
};

/** A file of the partner's own organisation's creative (working copy or any version), or null. */
export async function getCreativeFileForOrganisation(db: Db, partnerOrgId: string, creativeId: string, fileId: string): Promise<StoredCreativeFile | null> {
  const [row] = await db
    .select(STORED_FILE_FIELDS)
    .from(creativeFiles)
    .innerJoin(creatives, eq(creatives.id, creativeFiles.creativeId))
    .where(and(eq(creativeFiles.id, fileId), eq(creativeFiles.creativeId, creativeId), eq(creatives.organisationId, partnerOrgId)));
  return row ?? null;
}

/** A file of a submitted version, for the brand team: files of a working copy not yet submitted stay the partner's. */
export async function getCreativeFileForTeam(db: Db, creativeId: string, fileId: string): Promise<StoredCreativeFile | null> {
  const [row] = await db
    .select(STORED_FILE_FIELDS)
    .from(creativeFiles)
    .innerJoin(creativeVersionFiles, eq(creativeVersionFiles.fileId, creativeFiles.id))
    .where(and(eq(creativeFiles.id, fileId), eq(creativeFiles.creativeId, creativeId)))
    .limit(1);
  return row ?? null;
}

/**
 * What the partner's editor offers: the program's channels, and the library
 * claims this organisation may use (approved, unexpired, for its channels and
 * regions) with their disclaimers.
 */
export async function creativeEditorOptions(ctx: Pick<AppContext, "db" | "clock">, partnerOrgId: string) {
  const [rules, library] = await Promise.all([getProgramRules(ctx.db), listClaimsForPartner(ctx, partnerOrgId)]);
  return {
    channels: rules.channelsOffered.map((value) => ({ value, label: labelOf(value) })),
    claims: library.claims.map((c) => ({ id: c.id, text: c.text, disclaimers: c.disclaimers, channels: c.channels, regions: c.regions })),
  };
}

/** A partner's latest submissions (never its drafts) and how many it has, for its page in the directory. */
export async function recentCreativesOfPartner(db: Db, partnerOrgId: string, limit = 5) {
  const where = and(eq(creatives.organisationId, partnerOrgId), sql`${creatives.status} <> 'draft'`);
  const [rows, [total]] = await Promise.all([
    db.select(LIST_FIELDS).from(creatives).where(where).orderBy(desc(creatives.updatedAt), desc(creatives.id)).limit(limit),
    db.select({ n: count() }).from(creatives).where(where),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Whether the creative is the organisation's own: its actions answer 404 for anyone else's before reading a field. */
export async function isOwnCreative(db: Db, partnerOrgId: string, creativeId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: creatives.id })
    .from(creatives)
    .where(and(eq(creatives.id, creativeId), eq(creatives.organisationId, partnerOrgId)));
  return Boolean(row);
}

/** How long a decision stays among the partner's "creative updates" on their home page. */
const RECENT_DECISION_DAYS = 14;

/**
 * The in-app side of a decision: the organisation's creatives that need
 * something from it (changes requested) or were decided lately (approved,
 * rejected, approval revoked), newest first.
 */
export async function creativeUpdatesForPartner(db: Db, partnerOrgId: string, now: Date, limit = 5) {
  const since = new Date(now.getTime() - RECENT_DECISION_DAYS * 86_400_000);
  return db
    .select({ id: creatives.id, title: creatives.title, status: creatives.status, latestVersion: creatives.latestVersion, decidedAt: creatives.decidedAt })
    .from(creatives)
    .where(
      and(
        eq(creatives.organisationId, partnerOrgId),
        or(
          sql`${creatives.status} = 'changes_requested'`,
          and(sql`${creatives.status} in ('approved', 'rejected', 'revoked')`, sql`${creatives.decidedAt} >= ${since.toISOString()}`),
        ),
      ),
    )
    .orderBy(sql`case when ${creatives.status} = 'changes_requested' then 0 else 1 end`, desc(creatives.decidedAt), desc(creatives.id))
    .limit(limit);
}
