import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { partnerOrganisations, policies, policyAcceptances, policyVersions, users } from "#db/schema/index";
import { recordAudit, userActor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { rowsOf, type Db, transaction } from "~/lib/db.server";
import { DomainError, NotFoundError } from "../errors";
import { refreshPartnerHealth } from "../partners/health-score.server";

/**
 * Where one partner user stands with one policy's current version:
 * - `accepted`: they accepted the current version;
 * - `blocking`: a required policy whose latest material version they have not
 *   accepted: the partner area stays closed until they do;
 * - `update`: a required policy changed in a minor way since they accepted:
 *   they are asked to accept, not blocked;
 * - `optional`: a policy that is not required and not yet accepted.
 */
export type PolicyState = "accepted" | "blocking" | "update" | "optional";

export type PolicyStanding = {
  policyId: string;
  key: string;
  title: string;
  description: string;
  required: boolean;
  versionId: string;
  number: number;
  contentHash: string;
  material: boolean;
  publishedAt: Date;
  changeSummary: string;
  acceptedNumber: number | null;
  acceptedAt: Date | null;
  state: PolicyState;
};

type StandingRow = Omit<PolicyStanding, "state" | "publishedAt" | "acceptedAt"> & {
  lastMaterialNumber: number;
  publishedAt: string | Date;
  acceptedAt: string | Date | null;
};

export function stateOf(row: { required: boolean; number: number; lastMaterialNumber: number; acceptedNumber: number | null }): PolicyState {
  if (row.acceptedNumber !== null && row.acceptedNumber >= row.number) return "accepted";
  if (!row.required) return "optional";
  if (row.acceptedNumber === null || row.acceptedNumber < row.lastMaterialNumber) return "blocking";
  return "update";
}

/**
 * Every policy that has a published version, with the user's standing
 * against its current version. Policies with nothing published ask nothing.
 */
export async function policyStandingFor(db: Db, userId: string): Promise<PolicyStanding[]> {
  const rows = rowsOf<StandingRow>(
    await db.execute(sql`
      with current_versions as (
        select distinct on (v.policy_id) v.policy_id, v.id, v.number, v.content_hash, v.material, v.published_at, v.change_summary
        from ${policyVersions} v
        where v.status = 'published'
        order by v.policy_id, v.number desc
      ),
      last_material as (
        select policy_id, max(number) as number from ${policyVersions} where status = 'published' and material group by policy_id
      ),
      accepted as (
        select v.policy_id, max(v.number) as number, max(a.accepted_at) as accepted_at
        from ${policyAcceptances} a join ${policyVersions} v on v.id = a.policy_version_id
        where a.user_id = ${userId}
        group by v.policy_id
      )
      select p.id as "policyId", p.key, p.title, p.description, p.required,
             c.id as "versionId", c.number, c.content_hash as "contentHash", c.material,
             c.published_at as "publishedAt", c.change_summary as "changeSummary",
             coalesce(m.number, 1) as "lastMaterialNumber",
             a.number as "acceptedNumber", a.accepted_at as "acceptedAt"
      from ${policies} p
      join current_versions c on c.policy_id = p.id
      left join last_material m on m.policy_id = p.id
      left join accepted a on a.policy_id = p.id
      order by p.required desc, p.created_at asc, p.title asc
    `),
  );
  return rows.map((row) => {
    const number = Number(row.number);
    const acceptedNumber = row.acceptedNumber === null ? null : Number(row.acceptedNumber);
    const { lastMaterialNumber, ...rest } = row;
    return {
      ...rest,
      number,
      acceptedNumber,
      publishedAt: new Date(row.publishedAt),
      acceptedAt: row.acceptedAt ? new Date(row.acceptedAt) : null,
      state: stateOf({ required: row.required, number, lastMaterialNumber: Number(lastMaterialNumber), acceptedNumber }),
    };
  });
}

/** A required policy that changed since the user accepted it: what they must do about it follows from `state`. */
export type PolicyChange = { policyId: string; title: string; number: number; changeSummary: string; state: "blocking" | "update" };

export type PartnerGate = { blocked: boolean; blocking: number; updates: number; optional: number; changed: PolicyChange[] };

const gateCache = new WeakMap<Request, Promise<PartnerGate>>();

/**
 * The user's policy gate for this request, computed once per request (the
 * partner guard, which the runtime hands it as `partnerGate`, and the layout share it).
 */
export function partnerGateFor(db: Db, request: Request, userId: string): Promise<PartnerGate> {
  let pending = gateCache.get(request);
  if (!pending) {
    pending = policyStandingFor(db, userId).then(gateOf);
    gateCache.set(request, pending);
  }
  return pending;
}

export function gateOf(standing: PolicyStanding[]): PartnerGate {
  const count = (state: PolicyState) => standing.filter((p) => p.state === state).length;
  const blocking = count("blocking");
  // Someone who never accepted a policy is onboarding, not told of a change.
  const changed = standing.flatMap((p) =>
    p.acceptedNumber !== null && (p.state === "blocking" || p.state === "update")
      ? [{ policyId: p.policyId, title: p.title, number: p.number, changeSummary: p.changeSummary, state: p.state }]
      : [],
  );
  return { blocked: blocking > 0, blocking, updates: count("update"), optional: count("optional"), changed };
}

export type AcceptingUser = { id: string; email: string; partnerOrgId: string; partnerRole: "owner" | "member" };

/**
 * Records that the user accepted the current version of a policy, exactly as
 * they read it (`contentHash` comes from the page they accepted on). When the
 * organisation's owner has thereby accepted every required policy for the
 * first time, the organisation leaves onboarding.
 */
export async function acceptPolicyVersion(
  ctx: AppContext,
  user: AcceptingUser,
  input: { versionId: string; contentHash: string },
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ alreadyAccepted: boolean; activated: boolean }> {
  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const [version] = await tx
      .select({
        id: policyVersions.id,
        policyId: policyVersions.policyId,
        number: policyVersions.number,
        contentHash: policyVersions.contentHash,
        key: policies.key,
      })
      .from(policyVersions)
      .innerJoin(policies, eq(policies.id, policyVersions.policyId))
      .where(and(eq(policyVersions.id, input.versionId), eq(policyVersions.status, "published")));
    if (!version) throw new NotFoundError("Policy version not found.");
    const [newest] = await tx
      .select({ number: sql<number>`max(${policyVersions.number})` })
      .from(policyVersions)
      .where(and(eq(policyVersions.policyId, version.policyId), eq(policyVersions.status, "published")));
    if (Number(newest?.number) !== version.number || version.contentHash !== input.contentHash) {
      throw new DomainError("This policy was updated while you were reading it. Read the new version, then accept it.", { kind: "conflict" });
    }
    const inserted = await tx
      .insert(policyAcceptances)
      .values({
        userId: user.id,
        partnerOrgId: user.partnerOrgId,
        policyVersionId: version.id,
        contentHash: version.contentHash,
        acceptedAt: now,
        ipAddress: meta.ip,
        userAgent: meta.userAgent?.slice(0, 512) ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: policyAcceptances.id });
    if (!inserted.length) return { alreadyAccepted: true, activated: false };
    const actor = userActor(user, meta.ip);
    await recordAudit(tx, {
      actor,
      action: "policy.accepted",
      subjectType: "policy_acceptance",
      subjectId: inserted[0]!.id,
      partnerOrgId: user.partnerOrgId,
      data: { policy: version.key, number: version.number, contentHash: version.contentHash, userAgent: meta.userAgent?.slice(0, 512) ?? null },
      at: now,
    });
    const activated = user.partnerRole === "owner" && (await activateIfOnboarded(tx, user, actor, now));
    // The acceptance (and an activation) moves the organisation's policy currency: its stored score follows at once (docs/health-score.md).
    await refreshPartnerHealth(tx, user.partnerOrgId, now);
    return { alreadyAccepted: false, activated };
  });
}

/** Onboarding ends at the owner's first complete acceptance of the required policies. */
async function activateIfOnboarded(tx: Db, owner: AcceptingUser, actor: ReturnType<typeof userActor>, now: Date): Promise<boolean> {
  const [org] = await tx.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, owner.partnerOrgId)).for("update");
  if (!org || org.status !== "onboarding") return false;
  const standing = await policyStandingFor(tx, owner.id);
  if (standing.some((p) => p.required && p.state !== "accepted")) return false;
  const activatedAt = now;
  await tx.update(partnerOrganisations).set({ status: "active", activatedAt }).where(eq(partnerOrganisations.id, org.id));
  await recordAudit(tx, {
    actor,
    action: "partner.activated",
    subjectType: "partner_organisation",
    subjectId: org.id,
    partnerOrgId: org.id,
    data: { from: "onboarding", to: "active", onboardingStartedAt: org.onboardingStartedAt.toISOString(), activatedAt: activatedAt.toISOString() },
    at: now,
  });
  return true;
}

/** One published version as a partner reads it, with their own acceptance of it. */
export async function getVersionForPartner(db: Db, policyId: string, userId: string) {
  const standing = await policyStandingFor(db, userId);
  const current = standing.find((p) => p.policyId === policyId);
  if (!current) return null;
  const [version] = await db.select({ body: policyVersions.body }).from(policyVersions).where(eq(policyVersions.id, current.versionId));
  const previous =
    current.acceptedNumber !== null && current.acceptedNumber < current.number
      ? ((
          await db
            .select({ body: policyVersions.body })
            .from(policyVersions)
            .where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.number, current.acceptedNumber)))
        )[0]?.body ?? null)
      : null;
  return { standing: current, body: version!.body, previouslyAcceptedBody: previous, all: standing };
}

/** Acceptances with who accepted, for which organisation, and which version of which policy, newest first. */
function acceptanceRecords(db: Db, where: SQL | undefined) {
  return db
    .select({
      id: policyAcceptances.id,
      acceptedAt: policyAcceptances.acceptedAt,
      contentHash: policyAcceptances.contentHash,
      ipAddress: policyAcceptances.ipAddress,
      userAgent: policyAcceptances.userAgent,
      userName: users.name,
      userEmail: users.email,
      organisationName: partnerOrganisations.name,
      policyTitle: policies.title,
      policyVersionId: policyVersions.id,
      number: policyVersions.number,
      publishedAt: policyVersions.publishedAt,
    })
    .from(policyAcceptances)
    .innerJoin(users, eq(users.id, policyAcceptances.userId))
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, policyAcceptances.partnerOrgId))
    .innerJoin(policyVersions, eq(policyVersions.id, policyAcceptances.policyVersionId))
    .innerJoin(policies, eq(policies.id, policyVersions.policyId))
    .where(where)
    .orderBy(desc(policyAcceptances.acceptedAt), asc(policies.title));
}

/** What the organisation's people accepted: the partner's own record. */
export async function listOrganisationAcceptances(db: Db, partnerOrgId: string) {
  return acceptanceRecords(db, eq(policyAcceptances.partnerOrgId, partnerOrgId));
}

/** A receipt with the text accepted: one acceptance of the organisation, or null (another organisation's id included). */
export async function getAcceptanceReceipt(db: Db, partnerOrgId: string, acceptanceId: string) {
  const [row] = await acceptanceRecords(db, and(eq(policyAcceptances.id, acceptanceId), eq(policyAcceptances.partnerOrgId, partnerOrgId)));
  if (!row) return null;
  const [version] = await db.select({ body: policyVersions.body }).from(policyVersions).where(eq(policyVersions.id, row.policyVersionId));
  return { ...row, body: version!.body };
}

/**
 * For each active member of an organisation, how many current versions of
 * required policies they have not accepted (0 = all accepted). An
 * organisation is covered when every member is at 0.
 */
export async function outstandingByMember(db: Db, partnerOrgId: string): Promise<Map<string, number>> {
  const rows = rowsOf<{ userId: string; outstanding: number }>(
    await db.execute(sql`
      with current_versions as (
        select distinct on (v.policy_id) v.policy_id, v.id
        from ${policyVersions} v
        where v.status = 'published'
        order by v.policy_id, v.number desc
      )
      select u.id as "userId",
             count(c.id) filter (where p.required and a.id is null)::int as outstanding
      from users u
      left join current_versions c on true
      left join ${policies} p on p.id = c.policy_id
      left join ${policyAcceptances} a on a.user_id = u.id and a.policy_version_id = c.id
      where u.partner_org_id = ${partnerOrgId} and u.status = 'active'
      group by u.id
    `),
  );
  return new Map(rows.map((r) => [r.userId, Number(r.outstanding)]));
}
