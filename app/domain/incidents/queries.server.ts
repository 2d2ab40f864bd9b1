import { and, asc, count, desc, eq, inArray, ne, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { creativeVersions, incidentEvents, incidentLinks, incidents, partnerOrganisations, users } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { INCIDENT_MANAGER_ROLES } from "../accounts/roles";
import { NotFoundError } from "../errors";
import { paginate, type Page } from "../pagination.server";
import {
  incidentReference,
  INCIDENT_OBJECT_KINDS,
  INCIDENT_STATUSES,
  type IncidentKind,
  type IncidentObjectKind,
  type IncidentSeverity,
  type IncidentStatus,
} from "./catalog";
import { describeObjects, type IncidentObject } from "./objects.server";

export const INCIDENTS_PAGE_SIZE = 25;

const owner = alias(users, "incident_owner");

export type IncidentFilters = {
  status?: IncidentStatus | undefined;
  severity?: IncidentSeverity | undefined;
  kind?: IncidentKind | undefined;
  partner?: string | undefined;
};

const rowColumns = {
  id: incidents.id,
  number: incidents.number,
  title: incidents.title,
  kind: incidents.kind,
  severity: incidents.severity,
  status: incidents.status,
  source: incidents.source,
  sharedWithPartner: incidents.sharedWithPartner,
  openedAt: incidents.openedAt,
  updatedAt: incidents.updatedAt,
  organisationId: incidents.organisationId,
  organisationName: partnerOrganisations.name,
  ownerName: owner.name,
};

const withReference = <T extends { number: number }>(row: T) => ({ ...row, reference: incidentReference(row.number) });

/** The brand team's list: newest first, filtered by status, severity, kind and partner. */
export async function listIncidents(db: Db, filters: IncidentFilters, page: number) {
  const where: SQL[] = [];
  if (filters.status) where.push(eq(incidents.status, filters.status));
  if (filters.severity) where.push(eq(incidents.severity, filters.severity));
  if (filters.kind) where.push(eq(incidents.kind, filters.kind));
  if (filters.partner) where.push(eq(incidents.organisationId, filters.partner));
  const condition = where.length ? and(...where) : undefined;
  const result = await paginate(
    page,
    INCIDENTS_PAGE_SIZE,
    (limit, offset) =>
      db
        .select(rowColumns)
        .from(incidents)
        .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, incidents.organisationId))
        .leftJoin(owner, eq(owner.id, incidents.ownerId))
        .where(condition)
        .orderBy(desc(incidents.openedAt), desc(incidents.number))
        .limit(limit)
        .offset(offset),
    () => db.select({ n: count() }).from(incidents).where(condition),
  );
  return { ...result, rows: result.rows.map(withReference) };
}

/** How many incidents are in each status, for the list's tiles. */
export async function incidentCounts(db: Db): Promise<Record<IncidentStatus, number>> {
  const rows = await db.select({ status: incidents.status, n: count() }).from(incidents).groupBy(incidents.status);
  return Object.fromEntries(INCIDENT_STATUSES.map((s) => [s, rows.find((r) => r.status === s)?.n ?? 0])) as Record<IncidentStatus, number>;
}

/** Every partner, for the partner filter and the new-incident form. */
export function partnerChoices(db: Db) {
  return db.select({ id: partnerOrganisations.id, name: partnerOrganisations.name }).from(partnerOrganisations).orderBy(asc(partnerOrganisations.name));
}

/** Who may own an incident: the active members of the brand team who work incidents. */
export function ownerChoices(db: Db) {
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(inArray(users.role, [...INCIDENT_MANAGER_ROLES]), eq(users.status, "active")))
    .orderBy(asc(users.name));
}

export type TimelineEntry = {
  id: number;
  kind: (typeof incidentEvents.$inferSelect)["kind"];
  visibility: "internal" | "partner";
  body: string | null;
  fromValue: string | null;
  toValue: string | null;
  objectKind: IncidentObjectKind | null;
  objectId: string | null;
  createdAt: Date;
  authorName: string | null;
  /** Whether the author is one of the partner's people (a reply). */
  byPartner: boolean;
};

async function timeline(db: Db, incidentId: string, partnerView: boolean): Promise<TimelineEntry[]> {
  const rows = await db
    .select({
      id: incidentEvents.id,
      kind: incidentEvents.kind,
      visibility: incidentEvents.visibility,
      body: incidentEvents.body,
      fromValue: incidentEvents.fromValue,
      toValue: incidentEvents.toValue,
      objectKind: incidentEvents.objectKind,
      objectId: incidentEvents.objectId,
      createdAt: incidentEvents.createdAt,
      authorName: users.name,
      authorRole: users.role,
    })
    .from(incidentEvents)
    .leftJoin(users, eq(users.id, incidentEvents.authorId))
    .where(and(eq(incidentEvents.incidentId, incidentId), partnerView ? eq(incidentEvents.visibility, "partner") : undefined))
    .orderBy(asc(incidentEvents.id));
  return rows.map(({ authorRole, ...row }) => ({ ...row, byPartner: authorRole === "partner" }));
}

/** One incident as the brand team reads it: everything, internal notes included, and the objects it is about. */
export async function incidentDetail(db: Db, incidentId: string) {
  const opener = alias(users, "incident_opener");
  const [row] = await db
    .select({
      ...rowColumns,
      description: incidents.description,
      ownerId: incidents.ownerId,
      openedByName: opener.name,
      resolvedAt: incidents.resolvedAt,
      resolutionNote: incidents.resolutionNote,
      organisationStatus: partnerOrganisations.status,
    })
    .from(incidents)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, incidents.organisationId))
    .leftJoin(owner, eq(owner.id, incidents.ownerId))
    .leftJoin(opener, eq(opener.id, incidents.openedById))
    .where(eq(incidents.id, incidentId));
  if (!row) throw new NotFoundError("Incident not found.");
  const links = await db.select().from(incidentLinks).where(eq(incidentLinks.incidentId, incidentId)).orderBy(asc(incidentLinks.linkedAt));
  const described = (
    await Promise.all(
      INCIDENT_OBJECT_KINDS.map((kind) =>
        describeObjects(
          db,
          kind,
          links.filter((l) => l.objectKind === kind).map((l) => l.objectId),
        ),
      ),
    )
  ).flat();
  const objects: (IncidentObject & { linkedAt: Date })[] = links.flatMap((l) => {
    const found = described.find((d) => d.kind === l.objectKind && d.id === l.objectId);
    return found ? [{ ...found, linkedAt: l.linkedAt }] : [];
  });
  return { incident: withReference(row), objects, timeline: await timeline(db, incidentId, false) };
}

/** The incidents of one partner shared with them, newest first (the partner's list). */
export async function listIncidentsForPartner(db: Db, organisationId: string, page: number) {
  const condition = and(eq(incidents.organisationId, organisationId), eq(incidents.sharedWithPartner, true));
  const result = await paginate(
    page,
    INCIDENTS_PAGE_SIZE,
    (limit, offset) =>
      db
        .select({
          id: incidents.id,
          number: incidents.number,
          title: incidents.title,
          kind: incidents.kind,
          status: incidents.status,
          openedAt: incidents.openedAt,
          updatedAt: incidents.updatedAt,
        })
        .from(incidents)
        .where(condition)
        .orderBy(desc(incidents.openedAt), desc(incidents.number))
        .limit(limit)
        .offset(offset),
    () => db.select({ n: count() }).from(incidents).where(condition),
  );
  return { ...result, rows: result.rows.map(withReference) } satisfies Page<unknown>;
}

/**
 * One incident as its partner reads it: only when it is theirs and shared
 * with them (anything else is not found, the same answer whether it exists or
 * not), with the timeline entries meant for them only.
 */
export async function incidentForPartner(db: Db, organisationId: string, incidentId: string) {
  const [row] = await db
    .select({
      id: incidents.id,
      number: incidents.number,
      title: incidents.title,
      kind: incidents.kind,
      status: incidents.status,
      description: incidents.description,
      openedAt: incidents.openedAt,
      resolvedAt: incidents.resolvedAt,
      resolutionNote: incidents.resolutionNote,
    })
    .from(incidents)
    .where(and(eq(incidents.id, incidentId), eq(incidents.organisationId, organisationId), eq(incidents.sharedWithPartner, true)));
  if (!row) throw new NotFoundError("Incident not found.");
  return { incident: withReference(row), timeline: await timeline(db, incidentId, true) };
}

export type IncidentSummaryRow = { id: string; reference: string; title: string; status: IncidentStatus; severity: IncidentSeverity; openedAt: Date };

const SUMMARY_LIMIT = 5;

const summaryColumns = {
  id: incidents.id,
  number: incidents.number,
  title: incidents.title,
  status: incidents.status,
  severity: incidents.severity,
  openedAt: incidents.openedAt,
};

/** A partner page's card: how many are unresolved, and the newest few. */
export async function incidentsOfPartner(db: Db, organisationId: string): Promise<{ open: number; total: number; rows: IncidentSummaryRow[] }> {
  const [rows, [open], [total]] = await Promise.all([
    db.select(summaryColumns).from(incidents).where(eq(incidents.organisationId, organisationId)).orderBy(desc(incidents.openedAt)).limit(SUMMARY_LIMIT),
    db
      .select({ n: count() })
      .from(incidents)
      .where(and(eq(incidents.organisationId, organisationId), ne(incidents.status, "resolved"))),
    db.select({ n: count() }).from(incidents).where(eq(incidents.organisationId, organisationId)),
  ]);
  return { open: open?.n ?? 0, total: total?.n ?? 0, rows: rows.map(withReference) };
}

/** The incidents about some objects (a link; a creative's versions), newest first. */
export async function incidentsAbout(db: Db, kind: IncidentObjectKind, objectIds: readonly string[]): Promise<IncidentSummaryRow[]> {
  if (!objectIds.length) return [];
  const rows = await db
    .selectDistinct(summaryColumns)
    .from(incidents)
    .innerJoin(incidentLinks, eq(incidentLinks.incidentId, incidents.id))
    .where(and(eq(incidentLinks.objectKind, kind), inArray(incidentLinks.objectId, [...objectIds])))
    .orderBy(desc(incidents.openedAt))
    .limit(SUMMARY_LIMIT);
  return rows.map(withReference);
}

/** The incidents about any version of a creative. */
export async function incidentsAboutCreative(db: Db, creativeId: string): Promise<IncidentSummaryRow[]> {
  const versions = await db.select({ id: creativeVersions.id }).from(creativeVersions).where(eq(creativeVersions.creativeId, creativeId));
  return incidentsAbout(
    db,
    "creative_version",
    versions.map((v) => v.id),
  );
}
