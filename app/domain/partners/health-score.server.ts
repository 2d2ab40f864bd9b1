import { eq, inArray, sql, type SQL } from "drizzle-orm";
import { partnerOrganisations } from "#db/schema/index";
import { DAY_MS, utcDay } from "~/lib/dates";
import { rowsOf, timestamptz, type Db } from "~/lib/db.server";
import { computeHealthScore, HEALTH_WINDOW_DAYS, type HealthInputs, type HealthScore, type IncidentSeverity, type PartnerStatus } from "./health-score";

// What the health score reads (docs/health-score.md), for many partners at
// once: the click and conversion rollups, creative versions and their
// decisions, incidents and policy acceptances, each through an index on the
// organisation or a small table. Never the raw click table.

type Window = { from: Date; asOf: Date };

function windowOf(asOf: Date): Window {
  return { from: new Date(asOf.getTime() - HEALTH_WINDOW_DAYS * DAY_MS), asOf };
}

/** `column in (ids)`, or true for all organisations. */
function orgFilter(column: SQL, orgIds: readonly string[] | null): SQL {
  if (orgIds === null) return sql`true`;
  if (!orgIds.length) return sql`false`;
  return sql`${column} in (${sql.join(
    orgIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
}

const num = (v: unknown) => Number(v ?? 0);
const dateOf = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

/** The partner's status at `asOf`, from the dates on its row (status changes keep them). */
function statusAt(org: { status: PartnerStatus; activatedAt: Date | null; terminatedAt: Date | null }, asOf: Date): PartnerStatus {
  if (org.terminatedAt && org.terminatedAt <= asOf) return "terminated";
  if (!org.activatedAt || org.activatedAt > asOf) return "onboarding";
  return org.status === "terminated" || org.status === "onboarding" ? "active" : org.status;
}

/**
 * Every input of the score, for the given organisations (all when null), as
 * things stood at `asOf`: the window is the 90 days before it, and nothing
 * after it counts, so a month's end can be scored again later.
 */
export async function healthInputs(db: Db, asOf: Date, orgIds: readonly string[] | null, view: HealthView = "brand"): Promise<Map<string, HealthInputs>> {
  const w = windowOf(asOf);
  // The partner's own view counts only incidents shared with it: an internal investigation must not show through its score.
  const visible = view === "partner" ? sql`and i.shared_with_partner` : sql``;
  // Rollups are by UTC day: the window is the 90 days ending with asOf's day.
  const firstDay = utcDay(new Date(w.asOf.getTime() - (HEALTH_WINDOW_DAYS - 1) * DAY_MS));
  const lastDay = utcDay(w.asOf);
  const [orgs, clicks, conversions, creatives, requests, incidents, requiredPolicies, policyRows] = await Promise.all([
    db
      .select({
        id: partnerOrganisations.id,
        status: partnerOrganisations.status,
        activatedAt: partnerOrganisations.activatedAt,
        terminatedAt: partnerOrganisations.terminatedAt,
        createdAt: partnerOrganisations.createdAt,
      })
      .from(partnerOrganisations)
      .where(orgIds === null ? undefined : orgIds.length ? inArray(partnerOrganisations.id, [...orgIds]) : sql`false`),
    db.execute(sql`
      select organisation_id as org, sum(clicks - bot_clicks)::bigint as n
      from link_click_daily
      where ${orgFilter(sql`organisation_id`, orgIds)} and day between ${firstDay}::date and ${lastDay}::date
      group by organisation_id`),
    db.execute(sql`
      select organisation_id as org, sum(conversions)::bigint as n
      from conversion_daily
      where ${orgFilter(sql`organisation_id`, orgIds)} and day between ${firstDay}::date and ${lastDay}::date
      group by organisation_id`),
    db.execute(sql`
      select c.organisation_id as org, count(*)::int as decided,
        count(*) filter (where v.outcome = 'approved' and not exists (
          select 1 from incident_links l join creative_versions lv on lv.id = l.object_id join incidents i on i.id = l.incident_id
          where l.object_kind = 'creative_version' and lv.creative_id = c.id and l.linked_at <= ${timestamptz(w.asOf)} ${visible}
        ))::int as compliant
      from creative_versions v join creatives c on c.id = v.creative_id
      where ${orgFilter(sql`c.organisation_id`, orgIds)} and v.number = 1
        and v.outcome in ('approved', 'approved_with_changes', 'changes_requested', 'rejected', 'revoked')
        and v.decided_at > ${timestamptz(w.from)} and v.decided_at <= ${timestamptz(w.asOf)}
      group by c.organisation_id`),
    db.execute(sql`
      select c.organisation_id as org, v.decided_at as "decidedAt", n.submitted_at as "nextAt", c.withdrawn_at as "withdrawnAt"
      from creative_versions v
      join creatives c on c.id = v.creative_id
      left join creative_versions n on n.creative_id = v.creative_id and n.number = v.number + 1
      where ${orgFilter(sql`c.organisation_id`, orgIds)}
        and v.outcome in ('changes_requested', 'approved_with_changes')
        and v.decided_at > ${timestamptz(w.from)} and v.decided_at <= ${timestamptz(w.asOf)}`),
    db.execute(sql`
      select i.organisation_id as org, i.severity, count(*)::int as n
      from incidents i
      where ${orgFilter(sql`i.organisation_id`, orgIds)} and i.opened_at > ${timestamptz(w.from)} and i.opened_at <= ${timestamptz(w.asOf)} ${visible}
      group by i.organisation_id, i.severity`),
    currentRequiredVersions(db, w.asOf),
    db.execute(sql`
      with current_versions as (${currentRequiredVersionsSql(w.asOf)}),
      members as (
        select u.id, u.partner_org_id, u.created_at from users u
        where ${partnerMembersAt(w.asOf)} and ${orgFilter(sql`u.partner_org_id`, orgIds)}
      )
      select m.partner_org_id as org, cv.policy_id as "policyId",
        count(*) filter (where a.id is null)::int as missing,
        min(greatest(cv.published_at, m.created_at)) filter (where a.id is null) as "dueSince"
      from current_versions cv
      cross join members m
      left join policy_acceptances a on a.policy_version_id = cv.id and a.user_id = m.id and a.accepted_at <= ${timestamptz(w.asOf)}
      group by m.partner_org_id, cv.policy_id`),
  ]);

  const inputs = new Map<string, HealthInputs>();
  for (const row of orgs) {
    // Partners made active before activation was recorded count from their creation.
    const org = { ...row, activatedAt: row.activatedAt ?? (row.status === "active" || row.status === "paused" ? row.createdAt : null) };
    inputs.set(org.id, {
      status: statusAt(org, w.asOf),
      activeDays: org.activatedAt && org.activatedAt <= w.asOf ? Math.floor((w.asOf.getTime() - org.activatedAt.getTime()) / DAY_MS) : null,
      humanClicks: 0,
      conversions: 0,
      creativesDecided: 0,
      creativesCompliant: 0,
      incidents: { low: 0, medium: 0, high: 0, critical: 0 },
      changeResponses: [],
      changesWaiting: [],
      policies: [],
      noMembers: true,
    });
  }
  for (const r of rowsOf<{ org: string; n: unknown }>(clicks)) {
    const i = inputs.get(r.org);
    if (i) i.humanClicks = num(r.n);
  }
  for (const r of rowsOf<{ org: string; n: unknown }>(conversions)) {
    const i = inputs.get(r.org);
    if (i) i.conversions = Math.max(0, num(r.n));
  }
  for (const r of rowsOf<{ org: string; decided: unknown; compliant: unknown }>(creatives)) {
    const i = inputs.get(r.org);
    if (i) {
      i.creativesDecided = num(r.decided);
      i.creativesCompliant = num(r.compliant);
    }
  }
  for (const r of rowsOf<{ org: string; decidedAt: unknown; nextAt: unknown; withdrawnAt: unknown }>(requests)) {
    const i = inputs.get(r.org);
    if (!i) continue;
    const decidedAt = dateOf(r.decidedAt);
    const nextAt = r.nextAt ? dateOf(r.nextAt) : null;
    if (nextAt && nextAt <= w.asOf) i.changeResponses.push((nextAt.getTime() - decidedAt.getTime()) / DAY_MS);
    else if (r.withdrawnAt && dateOf(r.withdrawnAt) <= w.asOf)
      continue; // the partner withdrew it instead: nothing left to answer
    else i.changesWaiting.push((w.asOf.getTime() - decidedAt.getTime()) / DAY_MS);
  }
  for (const r of rowsOf<{ org: string; severity: IncidentSeverity; n: unknown }>(incidents)) {
    const i = inputs.get(r.org);
    if (i) i.incidents[r.severity] += num(r.n);
  }
  for (const i of inputs.values()) {
    i.changeResponses.sort((a, b) => a - b);
    i.changesWaiting.sort((a, b) => a - b);
  }
  const byOrgPolicy = new Map<string, { missing: number; dueSince: Date | null }>();
  for (const r of rowsOf<{ org: string; policyId: string; missing: unknown; dueSince: unknown }>(policyRows)) {
    byOrgPolicy.set(`${r.org}:${r.policyId}`, { missing: num(r.missing), dueSince: r.dueSince ? dateOf(r.dueSince) : null });
  }
  for (const [orgId, i] of inputs) {
    const rows = requiredPolicies.map((p) => ({ policy: p, row: byOrgPolicy.get(`${orgId}:${p.policyId}`) }));
    i.noMembers = requiredPolicies.length > 0 && rows.every((r) => !r.row);
    if (i.noMembers) continue;
    i.policies = rows.map(({ policy, row }) => ({
      title: policy.title,
      covered: (row?.missing ?? 0) === 0,
      overdueDays: row?.dueSince ? Math.max(0, Math.floor((w.asOf.getTime() - row.dueSince.getTime()) / DAY_MS)) : 0,
    }));
  }
  return inputs;
}

/**
 * Who was a partner member at `asOf` (users as `u`): joined by then and not
 * removed by then. Removing a member disables the account and keeps the date;
 * a member removed and invited back later counts throughout, as coming back
 * clears it. Now, that is every active partner member.
 */
export function partnerMembersAt(asOf: Date): SQL {
  return sql`u.role = 'partner' and u.created_at <= ${timestamptz(asOf)} and (u.status = 'active' or u.disabled_at > ${timestamptz(asOf)})`;
}

function currentRequiredVersionsSql(asOf: Date): SQL {
  return sql`
    select distinct on (v.policy_id) v.policy_id, v.id, v.number, v.published_at, p.title, p.created_at as policy_created_at
    from policy_versions v join policies p on p.id = v.policy_id
    where p.required and v.status = 'published' and v.published_at <= ${timestamptz(asOf)}
    order by v.policy_id, v.number desc`;
}

async function currentRequiredVersions(db: Db, asOf: Date) {
  const rows = rowsOf<{ policy_id: string; title: string; policy_created_at: unknown }>(
    await db.execute(sql`select * from (${currentRequiredVersionsSql(asOf)}) cv order by policy_created_at, title`),
  );
  return rows.map((r) => ({ policyId: r.policy_id, title: r.title }));
}

/**
 * Whose view: the brand team's counts every incident; the partner's own
 * (its home page) only those shared with it (decision 026).
 */
export type HealthView = "brand" | "partner";

/** The scores of the given organisations (all when null) as of `asOf`. */
export async function healthScores(db: Db, asOf: Date, orgIds: readonly string[] | null, view: HealthView = "brand"): Promise<Map<string, HealthScore>> {
  const inputs = await healthInputs(db, asOf, orgIds, view);
  return new Map([...inputs].map(([id, i]) => [id, computeHealthScore(i)]));
}

/** One partner's score now, with its components. */
export async function partnerHealth(db: Db, partnerOrgId: string, now: Date, view: HealthView = "brand"): Promise<HealthScore | null> {
  return (await healthScores(db, now, [partnerOrgId], view)).get(partnerOrgId) ?? null;
}

export type HealthTrendPoint = { period: string; asOf: Date; score: number | null };

export const HEALTH_TREND_MONTHS = 6;

/**
 * The score at the end of each of the last months and now (decision 026): the
 * same function over the same inputs, as they stood then. The current month
 * is "now", so the last point is the score the page shows.
 */
export async function partnerHealthTrend(
  db: Db,
  partnerOrgId: string,
  now: Date,
  view: HealthView = "brand",
  months = HEALTH_TREND_MONTHS,
): Promise<HealthTrendPoint[]> {
  const points: { period: string; asOf: Date }[] = [];
  for (let back = months - 1; back >= 1; back--) {
    // The last millisecond of the month `back` months ago (UTC).
    const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back + 1, 1) - 1);
    points.push({ period: end.toISOString().slice(0, 7), asOf: end });
  }
  points.push({ period: now.toISOString().slice(0, 7), asOf: now });
  const scores = await Promise.all(points.map((p) => partnerHealth(db, partnerOrgId, p.asOf, view)));
  return points.map((p, i) => {
    const s = scores[i];
    return { ...p, score: s?.scored ? s.total : null };
  });
}

/**
 * Writes every partner's current score on its row (null when not scored),
 * in one statement; run by housekeeping and after the demo seed. Returns how
 * many partners were scored.
 */
export async function refreshHealthScores(db: Db, now: Date, orgIds: readonly string[] | null = null): Promise<number> {
  const scores = await healthScores(db, now, orgIds);
  if (!scores.size) return 0;
  const values = [...scores].map(([id, s]) => sql`(${id}::uuid, ${s.scored ? s.total : null}::smallint)`);
  await db.execute(sql`
    update partner_organisations p set health_score = v.score, health_scored_at = ${timestamptz(now)}
    from (values ${sql.join(values, sql`, `)}) as v(id, score)
    where p.id = v.id`);
  return [...scores.values()].filter((s) => s.scored).length;
}

/** After a change that moves one partner's score (an incident, a decision, a status change): its stored score, now. */
export async function refreshPartnerHealth(db: Db, partnerOrgId: string, now: Date): Promise<void> {
  await refreshHealthScores(db, now, [partnerOrgId]);
}

/** The stored score and when it was computed, for a quick read without recomputing. */
export async function storedHealth(db: Db, partnerOrgId: string) {
  const [row] = await db
    .select({ score: partnerOrganisations.healthScore, scoredAt: partnerOrganisations.healthScoredAt })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.id, partnerOrgId));
  return row ?? null;
}
