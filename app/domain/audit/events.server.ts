import { and, asc, count, desc, eq, gte, ilike, inArray, lt, max, or, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  apiKeys,
  applications,
  assets,
  auditEvents,
  claims,
  coupons,
  incidents,
  kits,
  partnerOrganisations,
  policies,
  policyAcceptances,
  policyVersions,
  trackingLinks,
  users,
  webhookEndpoints,
  type InternalRole,
} from "#db/schema/index";
import { AUDIT_SUBJECT_KINDS, auditActionInfo, auditActionsAbout, type AuditSubjectKind } from "~/lib/audit-actions";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { containsPattern, transaction, type Db } from "~/lib/db.server";
import { paginate, type Page } from "../pagination.server";
import { incidentReference } from "../incidents/catalog";
import { auditDetails, type AuditDetail } from "./details";
import { partnerOrganisationPath, personPath, subjectPath } from "./links";
import type { AuditFilters } from "./schemas.server";

export const AUDIT_PAGE_SIZE = 50;
const EXPORT_BATCH_SIZE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUBJECT_NAME_MAX = 80;

/** One event as the viewer and the CSV show it: labels, names and links resolved. */
export type AuditEventView = {
  id: number;
  occurredAt: Date;
  action: string;
  /** The catalogue label, or the raw action for one the catalogue does not list. */
  actionLabel: string;
  actor: { label: string; name: string | null; href: string | null; ip: string | null };
  subject: { kind: string; id: string | null; name: string | null; href: string | null };
  partner: { id: string; name: string; href: string } | null;
  details: AuditDetail[];
};

/** Stored subject types that name a catalogue kind differently (rows written before the catalogue). */
const SUBJECT_TYPE_ALIASES: Record<string, AuditSubjectKind> = { partner: "partner_organisation", audit_chain: "audit_trail" };

function subjectKindOf(action: string, subjectType: string): AuditSubjectKind | null {
  const catalogued = auditActionInfo(action)?.subject;
  if (catalogued) return catalogued;
  if (Object.hasOwn(AUDIT_SUBJECT_KINDS, subjectType)) return subjectType as AuditSubjectKind;
  return SUBJECT_TYPE_ALIASES[subjectType] ?? null;
}

const startOfDay = (day: string) => new Date(`${day}T00:00:00Z`);
const startOfNextDay = (day: string) => new Date(startOfDay(day).getTime() + 24 * 60 * 60 * 1000);

/** The filters as one condition; days are UTC days, like every time the app shows, and `to` includes its whole day. */
function whereOf(db: Db, filters: AuditFilters): SQL | undefined {
  const conditions: SQL[] = [];
  if (filters.actor) {
    const pattern = containsPattern(filters.actor);
    const namedPeople = db
      .select({ id: users.id })
      .from(users)
      .where(or(ilike(users.name, pattern), ilike(users.email, pattern)));
    // The label is the email as typed at the time, so a failed sign-in with an unknown email is found too.
    conditions.push(or(ilike(auditEvents.actorLabel, pattern), inArray(auditEvents.actorId, namedPeople))!);
  }
  if (filters.action) conditions.push(eq(auditEvents.action, filters.action));
  if (filters.subject) conditions.push(inArray(auditEvents.action, auditActionsAbout(filters.subject)));
  if (filters.partner) conditions.push(eq(auditEvents.partnerOrgId, filters.partner));
  if (filters.from) conditions.push(gte(auditEvents.occurredAt, startOfDay(filters.from)));
  if (filters.to) conditions.push(lt(auditEvents.occurredAt, startOfNextDay(filters.to)));
  return and(...conditions);
}

const actorUser = alias(users, "actor_user");

function selectEvents(db: Db) {
  return db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      actorId: auditEvents.actorId,
      actorLabel: auditEvents.actorLabel,
      actorName: actorUser.name,
      actorPartnerOrgId: actorUser.partnerOrgId,
      ip: auditEvents.ip,
      action: auditEvents.action,
      subjectType: auditEvents.subjectType,
      subjectId: auditEvents.subjectId,
      partnerOrgId: auditEvents.partnerOrgId,
      partnerName: partnerOrganisations.name,
      data: auditEvents.data,
    })
    .from(auditEvents)
    .leftJoin(actorUser, eq(actorUser.id, auditEvents.actorId))
    .leftJoin(partnerOrganisations, eq(partnerOrganisations.id, auditEvents.partnerOrgId));
}

type EventRow = Awaited<ReturnType<ReturnType<typeof selectEvents>["execute"]>>[number];
type SubjectInfo = { name: string; href: string | null };

const shorten = (text: string) => (text.length > SUBJECT_NAME_MAX ? `${text.slice(0, SUBJECT_NAME_MAX - 1)}…` : text);

/**
 * Names (and pages) of the subjects of a batch of events: one query per kind
 * of subject present, keyed "kind:id". Subjects stored under something other
 * than an id (an invitation's email) are shown as stored.
 */
async function resolveSubjects(db: Db, rows: readonly EventRow[], reader: InternalRole): Promise<Map<string, SubjectInfo>> {
  const idsByKind = new Map<AuditSubjectKind, Set<string>>();
  for (const row of rows) {
    const kind = subjectKindOf(row.action, row.subjectType);
    if (!kind || !row.subjectId || !UUID.test(row.subjectId)) continue;
    const ids = idsByKind.get(kind) ?? new Set<string>();
    ids.add(row.subjectId);
    idsByKind.set(kind, ids);
  }
  const idsOf = (...kinds: AuditSubjectKind[]) => [...new Set(kinds.flatMap((kind) => [...(idsByKind.get(kind) ?? [])]))];
  const found = new Map<string, SubjectInfo>();
  const put = (kinds: AuditSubjectKind[], id: string, info: SubjectInfo) => kinds.forEach((kind) => found.set(`${kind}:${id}`, info));

  const lookups: Promise<void>[] = [];
  const people = idsOf("user", "session");
  if (people.length) {
    lookups.push(
      db
        .select({ id: users.id, name: users.name, email: users.email, partnerOrgId: users.partnerOrgId })
        .from(users)
        .where(inArray(users.id, people))
        .then((list) => list.forEach((u) => put(["user", "session"], u.id, { name: `${u.name} (${u.email})`, href: personPath(u, reader) }))),
    );
  }
  const organisations = idsOf("partner_organisation");
  if (organisations.length) {
    lookups.push(
      db
        .select({ id: partnerOrganisations.id, name: partnerOrganisations.name })
        .from(partnerOrganisations)
        .where(inArray(partnerOrganisations.id, organisations))
        .then((list) => list.forEach((o) => put(["partner_organisation"], o.id, { name: o.name, href: partnerOrganisationPath(o.id) }))),
    );
  }
  const byId = <T extends { id: string }>(kind: AuditSubjectKind, list: T[], nameOf: (row: T) => string) =>
    list.forEach((row) => put([kind], row.id, { name: shorten(nameOf(row)), href: subjectPath(kind, row.id, reader) }));
  const simple: [AuditSubjectKind, (ids: string[]) => Promise<void>][] = [
    [
      "application",
      (ids) =>
        db
          .select({ id: applications.id, company: applications.company, reference: applications.reference })
          .from(applications)
          .where(inArray(applications.id, ids))
          .then((l) => byId("application", l, (a) => `${a.company} (${a.reference})`)),
    ],
    [
      "asset",
      (ids) =>
        db
          .select({ id: assets.id, title: assets.title })
          .from(assets)
          .where(inArray(assets.id, ids))
          .then((l) => byId("asset", l, (a) => a.title)),
    ],
    [
      "kit",
      (ids) =>
        db
          .select({ id: kits.id, name: kits.name })
          .from(kits)
          .where(inArray(kits.id, ids))
          .then((l) => byId("kit", l, (k) => k.name)),
    ],
    [
      "claim",
      (ids) =>
        db
          .select({ id: claims.id, text: claims.text })
          .from(claims)
          .where(inArray(claims.id, ids))
          .then((l) => byId("claim", l, (c) => c.text)),
    ],
    [
      "policy",
      (ids) =>
        db
          .select({ id: policies.id, title: policies.title })
          .from(policies)
          .where(inArray(policies.id, ids))
          .then((l) => byId("policy", l, (p) => p.title)),
    ],
    [
      "tracking_link",
      (ids) =>
        db
          .select({ id: trackingLinks.id, label: trackingLinks.label, code: trackingLinks.code })
          .from(trackingLinks)
          .where(inArray(trackingLinks.id, ids))
          .then((l) => byId("tracking_link", l, (link) => `${link.label} (${link.code})`)),
    ],
    [
      "api_key",
      (ids) =>
        db
          .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix })
          .from(apiKeys)
          .where(inArray(apiKeys.id, ids))
          .then((l) => byId("api_key", l, (key) => `${key.name} (${key.prefix}…)`)),
    ],
    [
      "incident",
      (ids) =>
        db
          .select({ id: incidents.id, number: incidents.number, title: incidents.title })
          .from(incidents)
          .where(inArray(incidents.id, ids))
          .then((l) => byId("incident", l, (i) => `${incidentReference(i.number)} ${i.title}`)),
    ],
    [
      "webhook_endpoint",
      (ids) =>
        db
          .select({ id: webhookEndpoints.id, url: webhookEndpoints.url })
          .from(webhookEndpoints)
          .where(inArray(webhookEndpoints.id, ids))
          .then((l) => byId("webhook_endpoint", l, (endpoint) => endpoint.url)),
    ],
    [
      // A coupon has no page of its own: its code names it, and its partner's page is linked from the event's partner.
      "coupon",
      (ids) =>
        db
          .select({ id: coupons.id, code: coupons.code })
          .from(coupons)
          .where(inArray(coupons.id, ids))
          .then((l) => byId("coupon", l, (c) => c.code)),
    ],
  ];
  for (const [kind, lookup] of simple) {
    const ids = idsOf(kind);
    if (ids.length) lookups.push(lookup(ids));
  }
  const acceptances = idsOf("policy_acceptance");
  if (acceptances.length) {
    // An acceptance has no admin page of its own: it links to its policy.
    lookups.push(
      db
        .select({ id: policyAcceptances.id, policyId: policies.id, title: policies.title, number: policyVersions.number })
        .from(policyAcceptances)
        .innerJoin(policyVersions, eq(policyVersions.id, policyAcceptances.policyVersionId))
        .innerJoin(policies, eq(policies.id, policyVersions.policyId))
        .where(inArray(policyAcceptances.id, acceptances))
        .then((list) =>
          list.forEach((a) =>
            put(["policy_acceptance"], a.id, { name: shorten(`${a.title}, version ${a.number ?? "?"}`), href: subjectPath("policy", a.policyId, reader) }),
          ),
        ),
    );
  }
  await Promise.all(lookups);
  return found;
}

async function viewsOf(db: Db, rows: readonly EventRow[], reader: InternalRole): Promise<AuditEventView[]> {
  const subjects = await resolveSubjects(db, rows, reader);
  return rows.map((row) => {
    const kind = subjectKindOf(row.action, row.subjectType);
    const resolved = kind && row.subjectId ? subjects.get(`${kind}:${row.subjectId}`) : undefined;
    return {
      id: row.id,
      occurredAt: row.occurredAt,
      action: row.action,
      actionLabel: auditActionInfo(row.action)?.label ?? row.action,
      actor: {
        label: row.actorLabel,
        name: row.actorName,
        // The label of a failed sign-in is whatever email was typed; it links nowhere.
        href: row.actorId && row.actorName !== null ? personPath({ partnerOrgId: row.actorPartnerOrgId }, reader) : null,
        ip: row.ip,
      },
      subject: {
        kind: kind ? AUDIT_SUBJECT_KINDS[kind] : row.subjectType,
        id: row.subjectId,
        name: resolved?.name ?? row.subjectId,
        href: resolved?.href ?? (kind && !row.subjectId ? subjectPath(kind, null, reader) : null),
      },
      partner:
        row.partnerOrgId && row.partnerName !== null ? { id: row.partnerOrgId, name: row.partnerName, href: partnerOrganisationPath(row.partnerOrgId) } : null,
      details: auditDetails(row.data),
    };
  });
}

/** One page of the trail, newest first, with the filters applied. */
export async function listAuditEvents(db: Db, filters: AuditFilters, page: number, reader: InternalRole): Promise<Page<AuditEventView>> {
  const where = whereOf(db, filters);
  const result = await paginate(
    page,
    AUDIT_PAGE_SIZE,
    (limit, offset) => selectEvents(db).where(where).orderBy(desc(auditEvents.id)).limit(limit).offset(offset),
    () => db.select({ n: count() }).from(auditEvents).where(where),
  );
  return { ...result, rows: await viewsOf(db, result.rows, reader) };
}

/** Choices for the partner filter. */
export function listAuditFilterOptions(db: Db) {
  return db.select({ id: partnerOrganisations.id, name: partnerOrganisations.name }).from(partnerOrganisations).orderBy(asc(partnerOrganisations.name));
}

export type AuditExport = { rows: number; upToId: number };

/**
 * Records an export of the trail as an `audit.exported` event (who, with
 * which filters, how many rows) and fixes what it contains: the matching rows
 * up to the newest one now, so the file holds exactly the rows recorded.
 */
export async function recordAuditExport(ctx: AppContext, actor: Actor, filters: AuditFilters): Promise<AuditExport> {
  return transaction(ctx.db, async (tx) => {
    const [matching] = await tx
      .select({ rows: count(), upToId: max(auditEvents.id) })
      .from(auditEvents)
      .where(whereOf(tx, filters));
    const exported = { rows: matching?.rows ?? 0, upToId: matching?.upToId ?? 0 };
    await recordAudit(tx, { actor, action: "audit.exported", subjectType: "audit_trail", data: { filters, rows: exported.rows }, at: ctx.clock.now() });
    return exported;
  });
}

/** The exported rows, newest first, in batches read by id so memory stays flat however long the trail. */
export async function* auditEventsForExport(db: Db, filters: AuditFilters, upToId: number, reader: InternalRole): AsyncGenerator<AuditEventView[]> {
  let below = upToId + 1;
  for (;;) {
    const rows = await selectEvents(db)
      .where(and(whereOf(db, filters), lt(auditEvents.id, below)))
      .orderBy(desc(auditEvents.id))
      .limit(EXPORT_BATCH_SIZE);
    if (rows.length === 0) return;
    yield await viewsOf(db, rows, reader);
    below = rows[rows.length - 1]!.id;
  }
}
