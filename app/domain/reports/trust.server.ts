import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "~/lib/db.server";
import { toCsv } from "~/lib/csv.server";
import { INCIDENT_KIND_LABELS, INCIDENT_KINDS, INCIDENT_SEVERITIES, type IncidentKind, type IncidentSeverity } from "../incidents/catalog";
import { HEALTH_BAND_LABELS, healthBandOf, healthBucketOf, type HealthBand } from "../partners/health-score";
import { partnerStatusLabel } from "../partners/catalog";
import { paginate, type Page } from "../pagination.server";

/** A time as a typed parameter: postgres.js takes no Date inside raw SQL. */
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

// The Brand & trust report (PRODUCT.md, Reporting): compliance rate,
// incidents per partner, policy acceptance coverage and the health score's
// distribution. Definitions are docs/health-score.md's, so the report and the
// score never disagree about what "compliant" means.

/** UTC days, both ends included, as the reports' range picker gives them. */
export type TrustRange = { from: string; to: string };

export const TRUST_PAGE_SIZE = 25;

const DAY = 86_400_000;
const startOf = (day: string) => new Date(`${day}T00:00:00.000Z`);
const endOf = (day: string) => new Date(startOf(day).getTime() + DAY);
const num = (v: unknown) => Number(v ?? 0);

/** The decisions that count a creative: its first version decided (docs/health-score.md, Compliance). */
const DECIDED_FIRST = sql`('approved', 'approved_with_changes', 'changes_requested', 'rejected', 'revoked')`;

/** Per organisation: creatives counted and compliant, incidents by severity, in [start, end). */
function perPartnerSql(start: Date, end: Date) {
  return sql`
    with firsts as (
      select c.organisation_id as org, count(*)::int as counted,
        count(*) filter (where v.outcome = 'approved' and not exists (
          select 1 from incident_links l join creative_versions lv on lv.id = l.object_id
          where l.object_kind = 'creative_version' and lv.creative_id = c.id and l.linked_at < ${ts(end)}
        ))::int as compliant
      from creative_versions v join creatives c on c.id = v.creative_id
      where v.number = 1 and v.outcome in ${DECIDED_FIRST} and v.decided_at >= ${ts(start)} and v.decided_at < ${ts(end)}
      group by c.organisation_id
    ),
    inc as (
      select organisation_id as org, count(*)::int as incidents,
        count(*) filter (where severity = 'critical')::int as critical,
        count(*) filter (where severity = 'high')::int as high,
        count(*) filter (where severity = 'medium')::int as medium,
        count(*) filter (where severity = 'low')::int as low
      from incidents where opened_at >= ${ts(start)} and opened_at < ${ts(end)}
      group by organisation_id
    ),
    rows as (
      select o.id, o.name, o.status, o.health_score as "healthScore",
        coalesce(f.counted, 0) as counted, coalesce(f.compliant, 0) as compliant,
        coalesce(i.incidents, 0) as incidents, coalesce(i.critical, 0) as critical, coalesce(i.high, 0) as high,
        coalesce(i.medium, 0) as medium, coalesce(i.low, 0) as low
      from partner_organisations o
      left join firsts f on f.org = o.id
      left join inc i on i.org = o.id
      where f.org is not null or i.org is not null
    )`;
}

export type TrustPartnerRow = {
  id: string;
  name: string;
  status: string;
  healthScore: number | null;
  counted: number;
  compliant: number;
  /** compliant ÷ counted, null when no creative was counted. */
  complianceRate: number | null;
  incidents: number;
  bySeverity: Record<IncidentSeverity, number>;
  byKind: Partial<Record<IncidentKind, number>>;
};

type RawPartnerRow = {
  id: string;
  name: string;
  status: string;
  healthScore: unknown;
  counted: unknown;
  compliant: unknown;
  incidents: unknown;
  critical: unknown;
  high: unknown;
  medium: unknown;
  low: unknown;
};

// Worst first: the lowest compliance rate, then the most incidents; the id keeps paging stable.
const ORDER = sql`order by (compliant::float / nullif(counted, 0)) asc nulls last, incidents desc, lower(name), id`;

async function kindsOf(db: Db, orgIds: string[], start: Date, end: Date): Promise<Map<string, Partial<Record<IncidentKind, number>>>> {
  const kinds = new Map<string, Partial<Record<IncidentKind, number>>>();
  if (!orgIds.length) return kinds;
  const rows = rowsOf<{ org: string; kind: IncidentKind; n: unknown }>(
    await db.execute(sql`
      select organisation_id as org, kind, count(*)::int as n from incidents
      where organisation_id in (${sql.join(
        orgIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) and opened_at >= ${ts(start)} and opened_at < ${ts(end)}
      group by organisation_id, kind`),
  );
  for (const r of rows) kinds.set(r.org, { ...kinds.get(r.org), [r.kind]: num(r.n) });
  return kinds;
}

function partnerRowOf(r: RawPartnerRow, byKind: Partial<Record<IncidentKind, number>>): TrustPartnerRow {
  const counted = num(r.counted);
  const compliant = num(r.compliant);
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    healthScore: r.healthScore === null || r.healthScore === undefined ? null : num(r.healthScore),
    counted,
    compliant,
    complianceRate: counted ? compliant / counted : null,
    incidents: num(r.incidents),
    bySeverity: { critical: num(r.critical), high: num(r.high), medium: num(r.medium), low: num(r.low) },
    byKind,
  };
}

/** One page of the partners with a creative counted or an incident in the range, worst first. */
export async function trustPartners(db: Db, range: TrustRange, page: number): Promise<Page<TrustPartnerRow>> {
  const start = startOf(range.from);
  const end = endOf(range.to);
  const result = await paginate(
    page,
    TRUST_PAGE_SIZE,
    async (limit, offset) =>
      rowsOf<RawPartnerRow>(await db.execute(sql`${perPartnerSql(start, end)} select * from rows ${ORDER} limit ${limit} offset ${offset}`)),
    async () => rowsOf<{ n: number }>(await db.execute(sql`${perPartnerSql(start, end)} select count(*)::int as n from rows`)).map((r) => ({ n: num(r.n) })),
  );
  const kinds = await kindsOf(
    db,
    result.rows.map((r) => r.id),
    start,
    end,
  );
  return { ...result, rows: result.rows.map((r) => partnerRowOf(r, kinds.get(r.id) ?? {})) };
}

export type TrustSummary = {
  compliance: { counted: number; compliant: number; rate: number | null; partners: number };
  incidents: {
    total: number;
    bySeverity: Record<IncidentSeverity, number>;
    byKind: { kind: IncidentKind; label: string; total: number; bySeverity: Record<IncidentSeverity, number> }[];
    partners: number;
  };
  coverage: PolicyVersionCoverage[];
  health: HealthDistribution;
};

export type PolicyVersionCoverage = {
  policyId: string;
  title: string;
  required: boolean;
  versionId: string;
  number: number;
  current: boolean;
  material: boolean;
  publishedAt: Date;
  /** Active partners covered (every active member accepted this version), of all active partners. */
  covered: number;
  partners: number;
  share: number | null;
};

export type HealthDistribution = {
  /** Ten buckets: 0–9, 10–19, … 90–100. */
  buckets: { label: string; from: number; to: number; partners: number }[];
  bands: { band: HealthBand; label: string; partners: number }[];
  scored: number;
  notScored: number;
  median: number | null;
  /** The oldest stored score's time: the distribution is no older than this. */
  scoredAt: Date | null;
};

/**
 * Policy acceptance coverage per published version: the share of active
 * partners (status active) covered for it, where covered means every active
 * member accepted it (as on the policy coverage page). The range does not
 * apply: coverage is where things stand now.
 */
export async function policyCoverage(db: Db): Promise<PolicyVersionCoverage[]> {
  const rows = rowsOf<{
    policyId: string;
    title: string;
    required: boolean;
    versionId: string;
    number: unknown;
    material: boolean;
    publishedAt: unknown;
    current: boolean;
    covered: unknown;
    partners: unknown;
  }>(
    await db.execute(sql`
      with orgs as (select id from partner_organisations where status = 'active'),
      members as (
        select u.id, u.partner_org_id from users u
        join orgs o on o.id = u.partner_org_id
        where u.role = 'partner' and u.status = 'active'
      ),
      versions as (
        select v.id, v.policy_id, v.number, v.material, v.published_at,
          v.number = max(v.number) over (partition by v.policy_id) as current
        from policy_versions v where v.status = 'published'
      ),
      per_org as (
        select v.id as version_id, m.partner_org_id as org, count(*) as members, count(a.id) as accepted
        from versions v cross join members m
        left join policy_acceptances a on a.policy_version_id = v.id and a.user_id = m.id
        group by v.id, m.partner_org_id
      )
      select p.id as "policyId", p.title, p.required, v.id as "versionId", v.number, v.material, v.published_at as "publishedAt", v.current,
        (select count(*)::int from per_org po where po.version_id = v.id and po.accepted = po.members) as covered,
        (select count(*)::int from orgs) as partners
      from versions v join policies p on p.id = v.policy_id
      order by p.required desc, p.created_at asc, p.title asc, v.number desc`),
  );
  return rows.map((r) => {
    const covered = num(r.covered);
    const partners = num(r.partners);
    return {
      policyId: r.policyId,
      title: r.title,
      required: r.required,
      versionId: r.versionId,
      number: num(r.number),
      current: r.current,
      material: r.material,
      publishedAt: r.publishedAt instanceof Date ? r.publishedAt : new Date(String(r.publishedAt)),
      covered,
      partners,
      share: partners ? covered / partners : null,
    };
  });
}

/** The stored scores of partners not terminated, in buckets of ten and in bands. */
export async function healthDistribution(db: Db): Promise<HealthDistribution> {
  const rows = rowsOf<{ score: unknown; scoredAt: unknown }>(
    await db.execute(sql`select health_score as score, health_scored_at as "scoredAt" from partner_organisations where status <> 'terminated'`),
  );
  const scores = rows.filter((r) => r.score !== null && r.score !== undefined).map((r) => num(r.score));
  const buckets = Array.from({ length: 10 }, (_, i) => ({
    label: i === 9 ? "90–100" : `${i * 10}–${i * 10 + 9}`,
    from: i * 10,
    to: i === 9 ? 100 : i * 10 + 9,
    partners: 0,
  }));
  for (const s of scores) buckets[healthBucketOf(s)]!.partners++;
  const bands = (["strong", "fair", "at_risk"] as const).map((band) => ({
    band,
    label: HEALTH_BAND_LABELS[band],
    partners: scores.filter((s) => healthBandOf(s) === band).length,
  }));
  const sorted = [...scores].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const times = rows.filter((r) => r.scoredAt).map((r) => new Date(r.scoredAt instanceof Date ? r.scoredAt.getTime() : String(r.scoredAt)).getTime());
  return {
    buckets,
    bands,
    scored: scores.length,
    notScored: rows.length - scores.length,
    median: sorted.length ? (sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2) : null,
    scoredAt: times.length ? new Date(Math.min(...times)) : null,
  };
}

/** The report's figures over the whole program for the range. */
export async function trustSummary(db: Db, range: TrustRange): Promise<TrustSummary> {
  const start = startOf(range.from);
  const end = endOf(range.to);
  const [totals, kindRows, coverage, health] = await Promise.all([
    db.execute(sql`${perPartnerSql(start, end)}
      select coalesce(sum(counted), 0)::int as counted, coalesce(sum(compliant), 0)::int as compliant,
        count(*) filter (where counted > 0)::int as "compliancePartners",
        count(*) filter (where incidents > 0)::int as "incidentPartners"
      from rows`),
    db.execute(sql`
      select kind, severity, count(*)::int as n from incidents
      where opened_at >= ${ts(start)} and opened_at < ${ts(end)}
      group by kind, severity`),
    policyCoverage(db),
    healthDistribution(db),
  ]);
  const [t] = rowsOf<{ counted: unknown; compliant: unknown; compliancePartners: unknown; incidentPartners: unknown }>(totals);
  const counted = num(t?.counted);
  const compliant = num(t?.compliant);
  const cells = rowsOf<{ kind: IncidentKind; severity: IncidentSeverity; n: unknown }>(kindRows);
  const zero = (): Record<IncidentSeverity, number> => ({ low: 0, medium: 0, high: 0, critical: 0 });
  const byKind = INCIDENT_KINDS.map((kind) => {
    const bySeverity = zero();
    for (const c of cells.filter((c) => c.kind === kind)) bySeverity[c.severity] += num(c.n);
    return { kind, label: INCIDENT_KIND_LABELS[kind], total: Object.values(bySeverity).reduce((a, b) => a + b, 0), bySeverity };
  });
  const bySeverity = zero();
  for (const s of INCIDENT_SEVERITIES) bySeverity[s] = byKind.reduce((sum, k) => sum + k.bySeverity[s], 0);
  return {
    compliance: { counted, compliant, rate: counted ? compliant / counted : null, partners: num(t?.compliancePartners) },
    incidents: { total: byKind.reduce((sum, k) => sum + k.total, 0), bySeverity, byKind, partners: num(t?.incidentPartners) },
    coverage,
    health,
  };
}

/** Every partner row of the range (worst first) as formula-safe CSV; the route records the export. */
export async function trustPartnersCsv(db: Db, range: TrustRange): Promise<{ csv: string; count: number }> {
  const start = startOf(range.from);
  const end = endOf(range.to);
  const raw = rowsOf<RawPartnerRow>(await db.execute(sql`${perPartnerSql(start, end)} select * from rows ${ORDER} limit 100000`));
  const kinds = await kindsOf(
    db,
    raw.map((r) => r.id),
    start,
    end,
  );
  const rows = raw.map((r) => partnerRowOf(r, kinds.get(r.id) ?? {}));
  const csv = toCsv([
    [
      "Partner",
      "Status",
      "Health score",
      "Creatives decided",
      "Approved as submitted",
      "Compliance rate (%)",
      "Incidents",
      "Critical",
      "High",
      "Medium",
      "Low",
      ...INCIDENT_KINDS.map((k) => INCIDENT_KIND_LABELS[k]),
    ],
    ...rows.map((r) => [
      r.name,
      partnerStatusLabel(r.status),
      r.healthScore,
      r.counted,
      r.compliant,
      r.complianceRate === null ? "" : (r.complianceRate * 100).toFixed(1),
      r.incidents,
      r.bySeverity.critical,
      r.bySeverity.high,
      r.bySeverity.medium,
      r.bySeverity.low,
      ...INCIDENT_KINDS.map((k) => r.byKind[k] ?? 0),
    ]),
  ]);
  return { csv, count: rows.length };
}

export const TRUST_TABLES = ["partners", "incidents", "coverage", "health"] as const;
export type TrustTable = (typeof TRUST_TABLES)[number];

export const trustTableOf = (value: string): TrustTable | null => ((TRUST_TABLES as readonly string[]).includes(value) ? (value as TrustTable) : null);

const percent = (share: number | null) => (share === null ? "" : (share * 100).toFixed(1));

/** One of the report's tables as formula-safe CSV; the route records the export on the audit trail. */
export async function trustCsv(db: Db, table: TrustTable, range: TrustRange): Promise<string> {
  if (table === "partners") return (await trustPartnersCsv(db, range)).csv;
  const summary = await trustSummary(db, range);
  if (table === "incidents") {
    return toCsv([
      ["Kind", "Critical", "High", "Medium", "Low", "Total"],
      ...summary.incidents.byKind.map((k) => [k.label, k.bySeverity.critical, k.bySeverity.high, k.bySeverity.medium, k.bySeverity.low, k.total]),
      [
        "All kinds",
        summary.incidents.bySeverity.critical,
        summary.incidents.bySeverity.high,
        summary.incidents.bySeverity.medium,
        summary.incidents.bySeverity.low,
        summary.incidents.total,
      ],
    ]);
  }
  if (table === "coverage") {
    return toCsv([
      ["Policy", "Required", "Version", "Current", "Material", "Published (UTC)", "Active partners covered", "Active partners", "Coverage (%)"],
      ...summary.coverage.map((c) => [
        c.title,
        c.required ? "yes" : "no",
        c.number,
        c.current ? "yes" : "no",
        c.material ? "yes" : "no",
        c.publishedAt.toISOString(),
        c.covered,
        c.partners,
        percent(c.share),
      ]),
    ]);
  }
  return toCsv([["Health score", "Partners"], ...summary.health.buckets.map((b) => [b.label, b.partners]), ["Not scored", summary.health.notScored]]);
}
