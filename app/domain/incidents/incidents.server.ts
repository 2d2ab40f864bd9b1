import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import { incidentEvents, incidentLinks, incidents, partnerOrganisations, users, type Incident } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AuditAction } from "~/lib/audit-actions";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { refreshPartnerHealth } from "../partners/health-score.server";
import { INCIDENT_MANAGER_ROLES } from "../accounts/roles";
import { DomainError, NotFoundError } from "../errors";
import { incidentReplyEmail, incidentSharedEmail } from "../notifications/emails.server";
import { internalUsersWithRoles, notify, oneUser, partnerMembers } from "../notifications/notify.server";
import { emitWebhookEvent } from "../webhooks/emit.server";
import { emailBrand, getBranding } from "../settings/program.server";
import {
  INCIDENT_SEVERITY_LABELS,
  INCIDENT_STATUS_LABELS,
  incidentReference,
  type IncidentKind,
  type IncidentObjectKind,
  type IncidentSeverity,
  type IncidentStatus,
} from "./catalog";
import { describeObject, objectNoun } from "./objects.server";

// Incidents (issue 17 point 2; docs/decisions/020-incidents.md). One function
// per transition; each locks the incident, checks, changes, writes its
// timeline entry and its audit event in one transaction, and queues the
// email it sends through the outbox in the same transaction.

/** A person of the brand team acting on an incident. */
export type StaffActor = Actor & { id: string };
/** A partner user replying on an incident shared with their organisation. */
export type PartnerIncidentActor = Actor & { id: string; name: string; partnerOrgId: string };

export type Visibility = "internal" | "partner";

const NOT_FOUND = "Incident not found.";

type EventInput = Omit<typeof incidentEvents.$inferInsert, "id" | "incidentId" | "createdAt">;

async function addEvent(tx: Db, incidentId: string, event: EventInput, now: Date): Promise<void> {
  await tx.insert(incidentEvents).values({ ...event, incidentId, createdAt: now });
}

async function audit(
  tx: Db,
  actor: Actor,
  action: AuditAction,
  incident: Pick<Incident, "id" | "organisationId" | "number">,
  data: Record<string, unknown>,
  now: Date,
) {
  await recordAudit(tx, {
    actor,
    action,
    subjectType: "incident",
    subjectId: incident.id,
    partnerOrgId: incident.organisationId,
    data: { reference: incidentReference(incident.number), ...data },
    at: now,
  });
}

/** The incident, locked for the transaction's change (two people acting at once see each other's change). */
async function lockIncident(tx: Db, incidentId: string): Promise<Incident> {
  const [incident] = await tx.select().from(incidents).where(eq(incidents.id, incidentId)).for("update");
  if (!incident) throw new NotFoundError(NOT_FOUND);
  return incident;
}

async function touch(tx: Db, incidentId: string, now: Date, set: Partial<typeof incidents.$inferInsert> = {}) {
  await tx
    .update(incidents)
    .set({ ...set, updatedAt: now })
    .where(eq(incidents.id, incidentId));
}

/** An owner must be an active member of the brand team who works incidents. */
async function assertOwner(tx: Db, ownerId: string): Promise<string> {
  const [owner] = await tx.select({ id: users.id, role: users.role, status: users.status, name: users.name }).from(users).where(eq(users.id, ownerId));
  const roles: readonly string[] = INCIDENT_MANAGER_ROLES;
  if (!owner || owner.status !== "active" || !roles.includes(owner.role)) {
    throw new DomainError("Choose the owner from the list: an active admin or reviewer.", { field: "ownerId" });
  }
  return owner.name;
}

/**
 * Links an object to the incident in the caller's transaction: it must exist
 * and belong to the incident's partner; linking the same object twice is a
 * conflict. The timeline says who linked it and when.
 */
async function linkObjectTx(tx: Db, actor: StaffActor, incident: Incident, object: { kind: IncidentObjectKind; id: string }, now: Date) {
  const found = await describeObject(tx, object.kind, object.id);
  const noun = objectNoun(object.kind);
  if (!found) throw new DomainError(`No ${noun} has that id. Pick one from the list or paste the id from its page.`, { field: "objectId" });
  if (found.organisationId !== incident.organisationId) {
    const [other] = found.organisationId
      ? await tx.select({ name: partnerOrganisations.name }).from(partnerOrganisations).where(eq(partnerOrganisations.id, found.organisationId))
      : [];
    throw new DomainError(
      other
        ? `That ${noun} belongs to another partner (${other.name}): an incident links only its own partner's objects.`
        : `That ${noun} is not attributed to any partner: an incident links only its own partner's objects.`,
      { field: "objectId" },
    );
  }
  const inserted = await tx
    .insert(incidentLinks)
    .values({ incidentId: incident.id, objectKind: object.kind, objectId: object.id, linkedAt: now })
    .onConflictDoNothing()
    .returning({ id: incidentLinks.objectId });
  if (!inserted.length) throw new DomainError(`That ${noun} is already linked to this incident.`, { kind: "conflict", field: "objectId" });
  await addEvent(
    tx,
    incident.id,
    { kind: "object_linked", visibility: "internal", authorId: actor.id, objectKind: object.kind, objectId: object.id, body: found.label },
    now,
  );
  return found;
}

export type OpenIncidentInput = {
  organisationId: string;
  title: string;
  kind: IncidentKind;
  severity: IncidentSeverity;
  description: string;
  ownerId: string | null;
  object: { kind: IncidentObjectKind; id: string } | null;
};

/** Opens an incident about a partner, optionally about one of its objects from the start. */
export async function openIncident(ctx: AppContext, actor: StaffActor, input: OpenIncidentInput): Promise<{ id: string; reference: string }> {
  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const [org] = await tx.select({ id: partnerOrganisations.id }).from(partnerOrganisations).where(eq(partnerOrganisations.id, input.organisationId));
    if (!org) throw new DomainError("Choose the partner from the list.", { field: "organisationId" });
    if (input.ownerId) await assertOwner(tx, input.ownerId);
    const [incident] = await tx
      .insert(incidents)
      .values({
        organisationId: org.id,
        title: input.title,
        kind: input.kind,
        severity: input.severity,
        description: input.description,
        ownerId: input.ownerId,
        source: "staff",
        openedById: actor.id,
        openedAt: now,
        updatedAt: now,
      })
      .returning();
    await addEvent(tx, incident!.id, { kind: "opened", visibility: "partner", authorId: actor.id, body: input.description }, now);
    const linked = input.object ? await linkObjectTx(tx, actor, incident!, input.object, now) : null;
    await audit(
      tx,
      actor,
      "incident.opened",
      incident!,
      {
        title: input.title,
        kind: input.kind,
        severity: input.severity,
        ownerId: input.ownerId,
        source: "staff",
        linked: linked ? `${linked.kind}: ${linked.label}` : null,
      },
      now,
    );
    await announceOpened(tx, actor, incident!, now);
    await refreshPartnerHealth(tx, org.id, now);
    return { id: incident!.id, reference: incidentReference(incident!.number) };
  });
}

/** A note on the timeline: internal (the brand team only) or for the partner too (read once the incident is shared). */
export async function addNote(ctx: AppContext, actor: StaffActor, incidentId: string, input: { body: string; visibility: Visibility }): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const incident = await lockIncident(tx, incidentId);
    await addEvent(tx, incident.id, { kind: "note", visibility: input.visibility, authorId: actor.id, body: input.body }, now);
    await touch(tx, incident.id, now);
    await audit(tx, actor, "incident.note_added", incident, { visibility: input.visibility, length: input.body.length }, now);
  });
}

/**
 * Open ⇄ investigating → resolved, and a resolved incident may be reopened.
 * Resolving needs a resolution note, which the partner reads when the incident is shared with them.
 */
export async function changeStatus(
  ctx: AppContext,
  actor: StaffActor,
  incidentId: string,
  input: { status: IncidentStatus; note: string | null },
): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const incident = await lockIncident(tx, incidentId);
    if (incident.status === input.status) {
      throw new DomainError(`This incident is already ${INCIDENT_STATUS_LABELS[input.status].toLowerCase()}.`, { kind: "conflict", field: "status" });
    }
    const resolving = input.status === "resolved";
    if (resolving && !input.note)
      throw new DomainError("Say how it was resolved: the partner reads this note if the incident is shared with them.", { field: "note" });
    await touch(tx, incident.id, now, {
      status: input.status,
      resolvedAt: resolving ? now : null,
      resolutionNote: resolving ? input.note : null,
    });
    await addEvent(
      tx,
      incident.id,
      { kind: "status_changed", visibility: "partner", authorId: actor.id, fromValue: incident.status, toValue: input.status, body: input.note },
      now,
    );
    await audit(tx, actor, "incident.status_changed", incident, { from: incident.status, to: input.status, note: input.note }, now);
    await incidentWebhook(tx, now, "incident.updated", { ...incident, status: input.status }, { change: "status", previousStatus: incident.status });
  });
}

/** Gives the incident an owner (or none): the person the partner's replies are emailed to. */
export async function assignOwner(ctx: AppContext, actor: StaffActor, incidentId: string, input: { ownerId: string | null }): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const incident = await lockIncident(tx, incidentId);
    if (incident.ownerId === input.ownerId) throw new DomainError("That is already the owner.", { kind: "conflict", field: "ownerId" });
    const name = input.ownerId ? await assertOwner(tx, input.ownerId) : null;
    const [previous] = incident.ownerId ? await tx.select({ name: users.name }).from(users).where(eq(users.id, incident.ownerId)) : [];
    await touch(tx, incident.id, now, { ownerId: input.ownerId });
    await addEvent(
      tx,
      incident.id,
      { kind: "owner_changed", visibility: "internal", authorId: actor.id, fromValue: previous?.name ?? null, toValue: name },
      now,
    );
    await audit(tx, actor, "incident.owner_changed", incident, { from: incident.ownerId, to: input.ownerId }, now);
  });
}

export async function changeSeverity(ctx: AppContext, actor: StaffActor, incidentId: string, input: { severity: IncidentSeverity }): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const incident = await lockIncident(tx, incidentId);
    if (incident.severity === input.severity) {
      throw new DomainError(`The severity is already ${INCIDENT_SEVERITY_LABELS[input.severity].toLowerCase()}.`, { kind: "conflict", field: "severity" });
    }
    await touch(tx, incident.id, now, { severity: input.severity });
    await addEvent(
      tx,
      incident.id,
      { kind: "severity_changed", visibility: "internal", authorId: actor.id, fromValue: incident.severity, toValue: input.severity },
      now,
    );
    await audit(tx, actor, "incident.severity_changed", incident, { from: incident.severity, to: input.severity }, now);
    await refreshPartnerHealth(tx, incident.organisationId, now);
    await incidentWebhook(tx, now, "incident.updated", { ...incident, severity: input.severity }, { change: "severity", previousSeverity: incident.severity });
  });
}

/**
 * Shares the incident with its partner: its members then see it, its
 * description and the timeline entries meant for them (never internal
 * notes), and may reply. The partner's owners are emailed.
 */
export async function shareWithPartner(ctx: AppContext, actor: StaffActor, incidentId: string, origin: string): Promise<{ notified: number }> {
  const branding = await getBranding(ctx.db);
  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const incident = await lockIncident(tx, incidentId);
    if (incident.sharedWithPartner) throw new DomainError("This incident is already shared with the partner.", { kind: "conflict" });
    await touch(tx, incident.id, now, { sharedWithPartner: true });
    await addEvent(tx, incident.id, { kind: "shared", visibility: "internal", authorId: actor.id }, now);
    const [org] = await tx.select({ name: partnerOrganisations.name }).from(partnerOrganisations).where(eq(partnerOrganisations.id, incident.organisationId));
    // Every member can read it and reply: each is told, in the app and by email.
    const members = await partnerMembers(tx, incident.organisationId);
    const reference = incidentReference(incident.number);
    await notify(
      tx,
      { now },
      {
        recipients: members,
        kind: "incident_shared",
        title: `${reference} shared with you: ${incident.title}`,
        body: "Read it and reply on its page.",
        href: `/partner/incidents/${incident.id}`,
        subject: { type: "incident", id: incident.id },
        email: (member) =>
          incidentSharedEmail({
            to: member.email,
            ...emailBrand(branding, origin),
            name: member.name,
            organisationName: org?.name ?? "",
            reference,
            title: incident.title,
            url: `${origin}/partner/incidents/${incident.id}`,
          }),
      },
    );
    await audit(tx, actor, "incident.shared", incident, { notified: members.length }, now);
    return { notified: members.length };
  });
}

/** Takes the incident back from the partner's view; what they already read stays read, on the record. */
export async function unshareWithPartner(ctx: AppContext, actor: StaffActor, incidentId: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const incident = await lockIncident(tx, incidentId);
    if (!incident.sharedWithPartner) throw new DomainError("This incident is not shared with the partner.", { kind: "conflict" });
    await touch(tx, incident.id, now, { sharedWithPartner: false });
    await addEvent(tx, incident.id, { kind: "unshared", visibility: "internal", authorId: actor.id }, now);
    await audit(tx, actor, "incident.unshared", incident, {}, now);
  });
}

/** Links a creative version, link or conversion of the incident's own partner (another partner's is refused). */
export async function linkObject(
  ctx: AppContext,
  actor: StaffActor,
  incidentId: string,
  object: { kind: IncidentObjectKind; id: string },
): Promise<{ label: string }> {
  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const incident = await lockIncident(tx, incidentId);
    const linked = await linkObjectTx(tx, actor, incident, object, now);
    // An incident on a creative makes it non-compliant: the stored score follows at once, as on opening.
    if (object.kind === "creative_version") await refreshPartnerHealth(tx, incident.organisationId, now);
    await touch(tx, incident.id, now);
    await audit(tx, actor, "incident.object_linked", incident, { objectKind: object.kind, objectId: object.id, label: linked.label }, now);
    return { label: linked.label };
  });
}

/**
 * A partner's reply on an incident shared with their organisation; anything
 * else (another organisation's, or one not shared) is not found. The owner is
 * emailed, or whoever opened it when it has no owner.
 */
export async function partnerReply(ctx: AppContext, actor: PartnerIncidentActor, incidentId: string, input: { body: string }, origin: string): Promise<void> {
  const branding = await getBranding(ctx.db);
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const incident = await lockIncident(tx, incidentId);
    if (incident.organisationId !== actor.partnerOrgId || !incident.sharedWithPartner) throw new NotFoundError(NOT_FOUND);
    if (incident.status === "resolved") {
      throw new DomainError("This incident is resolved, so it takes no more replies. Your contact at the program can reopen it.", {
        kind: "conflict",
        field: "body",
      });
    }
    await addEvent(tx, incident.id, { kind: "partner_reply", visibility: "partner", authorId: actor.id, body: input.body }, now);
    await touch(tx, incident.id, now);
    const recipients = await oneUser(tx, incident.ownerId ?? incident.openedById);
    const [org] = await tx.select({ name: partnerOrganisations.name }).from(partnerOrganisations).where(eq(partnerOrganisations.id, incident.organisationId));
    const reference = incidentReference(incident.number);
    await notify(
      tx,
      { now },
      {
        recipients,
        kind: "incident_reply",
        title: `${org?.name ?? "The partner"} replied on ${reference}`,
        body: input.body,
        href: `/admin/incidents/${incident.id}`,
        subject: { type: "incident", id: incident.id },
        email: (to) =>
          incidentReplyEmail({
            to: to.email,
            ...emailBrand(branding, origin),
            organisationName: org?.name ?? "",
            reference,
            title: incident.title,
            author: actor.name,
            reply: input.body,
            url: `${origin}/admin/incidents/${incident.id}`,
          }),
      },
    );
    await audit(tx, actor, "incident.partner_replied", incident, { length: input.body.length, notified: recipients.length }, now);
  });
}

/** The incident.* webhook event: what the brand's systems need to follow it, never its notes. */
async function incidentWebhook(
  tx: Db,
  now: Date,
  type: "incident.opened" | "incident.updated",
  incident: Incident,
  extra: Record<string, unknown> = {},
  partnerName?: string,
): Promise<void> {
  const name =
    partnerName ??
    (await tx.select({ name: partnerOrganisations.name }).from(partnerOrganisations).where(eq(partnerOrganisations.id, incident.organisationId)))[0]?.name;
  await emitWebhookEvent(tx, { now }, type, {
    incidentId: incident.id,
    reference: incidentReference(incident.number),
    partnerId: incident.organisationId,
    partnerName: name ?? null,
    title: incident.title,
    kind: incident.kind,
    severity: incident.severity,
    status: incident.status,
    source: incident.source,
    ...extra,
    at: now.toISOString(),
  });
}

/** Tells the admins (but whoever opened it) that an incident was opened, on their bell, and the brand's systems by webhook. */
async function announceOpened(tx: Db, actor: Actor, incident: Incident, now: Date): Promise<void> {
  const [org] = await tx.select({ name: partnerOrganisations.name }).from(partnerOrganisations).where(eq(partnerOrganisations.id, incident.organisationId));
  await incidentWebhook(tx, now, "incident.opened", incident, {}, org?.name);
  await notify(
    tx,
    { now },
    {
      recipients: await internalUsersWithRoles(tx, ["admin"], { except: actor.id }),
      kind: "incident_opened",
      title: `${incidentReference(incident.number)} opened about ${org?.name ?? "a partner"}: ${incident.title}`,
      body: `${INCIDENT_SEVERITY_LABELS[incident.severity as IncidentSeverity]} severity.`,
      href: `/admin/incidents/${incident.id}`,
      subject: { type: "incident", id: incident.id },
    },
  );
}

export type KillSwitchIncident = { id: string; reference: string; opened: boolean };

/**
 * The kill switch's incident, in the pause's or termination's own
 * transaction (lifecycle.server.ts, cascade()): the partner's unresolved
 * incident is reused (one the kill switch opened first, else the newest), with
 * an entry on its timeline; if there is none, a new one is opened, owned by
 * the admin who pulled the switch. Never shared by itself: what the partner
 * is told of a pause is the pause's own email and banner.
 */
export async function openKillSwitchIncident(
  tx: Db,
  ctx: Pick<AppContext, "clock">,
  input: { organisationId: string; action: "paused" | "terminated"; reason: string; actor: Actor },
): Promise<KillSwitchIncident> {
  const now = ctx.clock.now();
  const { organisationId, action, reason, actor } = input;
  const [existing] = await tx
    .select()
    .from(incidents)
    .where(and(eq(incidents.organisationId, organisationId), ne(incidents.status, "resolved")))
    .orderBy(desc(sql`${incidents.source} = 'kill_switch'`), desc(incidents.openedAt), asc(incidents.number))
    .limit(1)
    .for("update");
  const event = { kind: "partner_status" as const, visibility: "internal" as const, authorId: actor.id, toValue: action, body: reason };
  if (existing) {
    await addEvent(tx, existing.id, event, now);
    // A termination is as serious as it gets.
    await touch(tx, existing.id, now, action === "terminated" ? { severity: "critical" } : {});
    await audit(tx, actor, "incident.partner_status_recorded", existing, { change: action, reason }, now);
    return { id: existing.id, reference: incidentReference(existing.number), opened: false };
  }
  const title = action === "paused" ? "Partnership paused" : "Partnership terminated";
  const [incident] = await tx
    .insert(incidents)
    .values({
      organisationId,
      title,
      kind: "other",
      severity: action === "paused" ? "high" : "critical",
      description: reason,
      // The admin who pulled the switch owns what follows, until they hand it on.
      ownerId: actor.id,
      source: "kill_switch",
      openedById: actor.id,
      openedAt: now,
      updatedAt: now,
    })
    .returning();
  await addEvent(tx, incident!.id, { kind: "opened", visibility: "partner", authorId: actor.id, body: reason }, now);
  await addEvent(tx, incident!.id, event, now);
  await audit(
    tx,
    actor,
    "incident.opened",
    incident!,
    { title, kind: "other", severity: incident!.severity, source: "kill_switch", change: action, reason },
    now,
  );
  await announceOpened(tx, actor, incident!, now);
  return { id: incident!.id, reference: incidentReference(incident!.number), opened: true };
}
