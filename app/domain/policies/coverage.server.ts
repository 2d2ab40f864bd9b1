import { and, desc, eq, sql } from "drizzle-orm";
import { auditEvents, policies, policyVersions } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { rowsOf, type Db, transaction } from "~/lib/db.server";
import { enqueueEmail } from "~/lib/outbox.server";
import { policyReminderEmail } from "../notifications/emails.server";
import { emailBrand, getBranding } from "../settings/program.server";
import { DomainError, NotFoundError } from "../errors";
import { listPolicies } from "./policies.server";

/**
 * Coverage: an organisation is covered for a version when every one of its
 * active members has accepted that version. Terminated organisations are left
 * out; an organisation without active members yet is not covered.
 */
const orgMembersAcceptances = (versionFilter: ReturnType<typeof sql>) => sql`
  with orgs as (
    select id, name, status from partner_organisations where status <> 'terminated'
  ),
  members as (
    select u.id, u.partner_org_id from users u where u.role = 'partner' and u.status = 'active'
  ),
  per_org as (
    select v.id as version_id, o.id as org_id, o.name, o.status,
           count(m.id)::int as members, count(a.id)::int as accepted
    from ${policyVersions} v
    cross join orgs o
    left join members m on m.partner_org_id = o.id
    left join policy_acceptances a on a.policy_version_id = v.id and a.user_id = m.id
    where v.status = 'published' and ${versionFilter}
    group by v.id, o.id, o.name, o.status
  )`;

export type VersionCoverage = { versionId: string; number: number; publishedAt: Date; material: boolean; covered: number; organisations: number };

/** For each published version of a policy: how many organisations are covered, out of how many. */
export async function coverageByVersion(db: Db, policyId: string): Promise<VersionCoverage[]> {
  const rows = rowsOf<{ versionId: string; number: number; publishedAt: string | Date; material: boolean; covered: number; organisations: number }>(
    await db.execute(sql`
      ${orgMembersAcceptances(sql`v.policy_id = ${policyId}`)}
      select v.id as "versionId", v.number, v.published_at as "publishedAt", v.material,
             (select count(*)::int from per_org p where p.version_id = v.id and p.members > 0 and p.accepted = p.members) as covered,
             (select count(*)::int from orgs) as organisations
      from ${policyVersions} v
      where v.policy_id = ${policyId} and v.status = 'published'
      order by v.number desc
    `),
  );
  return rows.map((r) => ({
    ...r,
    number: Number(r.number),
    covered: Number(r.covered),
    organisations: Number(r.organisations),
    publishedAt: new Date(r.publishedAt),
  }));
}

export type OrganisationCoverage = { id: string; name: string; status: string; members: number; accepted: number; covered: boolean };

/** Every organisation's standing on one version, those not covered first. */
export async function coverageOfVersion(db: Db, versionId: string): Promise<OrganisationCoverage[]> {
  const rows = rowsOf<Omit<OrganisationCoverage, "covered">>(
    await db.execute(sql`
      ${orgMembersAcceptances(sql`v.id = ${versionId}`)}
      select org_id as id, name, status, members, accepted from per_org
    `),
  );
  return rows
    .map((r) => ({
      ...r,
      members: Number(r.members),
      accepted: Number(r.accepted),
      covered: Number(r.members) > 0 && Number(r.accepted) === Number(r.members),
    }))
    .sort((a, b) => Number(a.covered) - Number(b.covered) || a.name.localeCompare(b.name));
}

/** When reminders for this policy went out, newest first (read from the audit trail). */
export async function listReminders(db: Db, policyId: string) {
  return db
    .select({ occurredAt: auditEvents.occurredAt, actorLabel: auditEvents.actorLabel, data: auditEvents.data })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "policy.reminder_sent"), eq(auditEvents.subjectType, "policy"), eq(auditEvents.subjectId, policyId)))
    .orderBy(desc(auditEvents.occurredAt))
    .limit(5);
}

/**
 * Emails every active member of an organisation that is not covered and who
 * has not accepted the current version. Only the current version can be
 * reminded of: older ones are no longer what partners are asked to accept.
 */
export async function remindUncovered(
  ctx: AppContext,
  actor: Actor,
  policyId: string,
  versionNumber: number,
  origin: string,
): Promise<{ recipients: number; organisations: number }> {
  const branding = await getBranding(ctx.db);
  return transaction(ctx.db, async (tx) => {
    const [policy] = await tx.select().from(policies).where(eq(policies.id, policyId));
    if (!policy) throw new NotFoundError("Policy not found.");
    const [current] = await tx
      .select({ id: policyVersions.id, number: policyVersions.number })
      .from(policyVersions)
      .where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.status, "published")))
      .orderBy(desc(policyVersions.number))
      .limit(1);
    if (!current || current.number !== versionNumber) {
      throw new DomainError("Reminders are sent for the current version only. Reload the page to see it.", { kind: "conflict" });
    }
    const recipients = rowsOf<{ email: string; name: string; partnerOrgId: string }>(
      await tx.execute(sql`
        select u.email, u.name, u.partner_org_id as "partnerOrgId"
        from users u
        join partner_organisations o on o.id = u.partner_org_id
        where u.role = 'partner' and u.status = 'active' and o.status <> 'terminated'
          and not exists (select 1 from policy_acceptances a where a.user_id = u.id and a.policy_version_id = ${current.id})
        order by u.email
      `),
    );
    if (!recipients.length) throw new DomainError("Every partner has accepted this version: there is no one to remind.", { kind: "conflict" });
    const url = `${origin}/partner/policies/${policyId}`;
    for (const person of recipients) {
      await enqueueEmail(
        tx,
        policyReminderEmail({ to: person.email, ...emailBrand(branding, origin), name: person.name, policyTitle: policy.title, number: current.number, url }),
      );
    }
    const organisations = new Set(recipients.map((r) => r.partnerOrgId)).size;
    await recordAudit(tx, {
      actor,
      action: "policy.reminder_sent",
      subjectType: "policy",
      subjectId: policyId,
      data: { key: policy.key, number: current.number, recipients: recipients.length, organisations },
      at: ctx.clock.now(),
    });
    return { recipients: recipients.length, organisations };
  });
}

export type GatePolicy = {
  id: string;
  title: string;
  required: boolean;
  currentNumber: number | null;
  currentPublishedAt: Date | null;
  hasDraft: boolean;
  /** Coverage of the newest published version; null before the first is published. */
  coverage: { covered: number; organisations: number } | null;
};

/** Settings → Policies gate: every policy, whether it gates the partner area, and how far partners have accepted its newest version. */
export async function policyGateOverview(db: Db): Promise<GatePolicy[]> {
  const rows = await listPolicies(db);
  return Promise.all(
    rows.map(async (row) => {
      const [newest] = row.currentNumber === null ? [] : await coverageByVersion(db, row.id);
      return {
        id: row.id,
        title: row.title,
        required: row.required,
        currentNumber: row.currentNumber === null ? null : Number(row.currentNumber),
        currentPublishedAt: row.currentPublishedAt ? new Date(row.currentPublishedAt) : null,
        hasDraft: row.hasDraft,
        coverage: newest ? { covered: newest.covered, organisations: newest.organisations } : null,
      };
    }),
  );
}
