import { sql, type SQL } from "drizzle-orm";
import type { AppContext } from "~/lib/context.server";
import { DAY_MS, utcDay } from "~/lib/dates";
import { rowsOf, type Db } from "~/lib/db.server";
import { toCsv } from "~/lib/csv.server";
import { INCIDENT_KIND_LABELS, INCIDENT_KINDS, INCIDENT_SEVERITIES, type IncidentKind, type IncidentSeverity } from "../incidents/catalog";
import { HEALTH_BAND_LABELS, healthBandOf, healthBucketOf, type HealthBand } from "../partners/health-score";
import { partnerMembersAt } from "../partners/health-score.server";
import { HEALTH_SNAPSHOT_LOOKBACK_DAYS } from "../partners/health-snapshots";
import { partnerStatusLabel } from "../partners/catalog";
import { paginate, type Page } from "../pagination.server";
import { figureCells, figureHeaders, type FigureColumn } from "./figure-columns.server";
import type { ReportRange } from "./range";
import { reportCacheKey } from "./range.server";

/** A time as a typed parameter: postgres.js takes no Date inside raw SQL. */
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

// The Brand & trust report (PRODUCT.md, Reporting): compliance rate,
// incidents per partner, policy acceptance coverage and the health score's
// distribution. Definitions are docs/health-score.md's, so the report and the
// score never disagree about what "compliant" means. Compliance and incidents
// are counts over a period, set beside the previous period's as the other tabs
// do; coverage is where things stand at a moment, now and at the end of the
// previous period, recomputed from the dates the rows keep; the health
// distribution is the stored scores now beside the daily snapshot kept at
// the end of the previous period (decision 029 and its addendum).

/** UTC days, both ends included, as the reports' range picker gives them. */
export type TrustRange = { from: string; to: string };

/** The report's range and the period it is compared with (none when `previous` is null). */
export type TrustPeriods = Pick<ReportRange, "current" | "previous">;

export const TRUST_PAGE_SIZE = 25;

const startOf = (day: string) => new Date(`${day}T00:00:00.000Z`);
const endOf = (day: string) => new Date(startOf(day).getTime() + DAY_MS);
const num = (v: unknown) => Number(v ?? 0);
const dateOf = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

/** A period as the half-open interval [start, end) of its days. */
type Bounds = { start: Date; end: Date };
const boundsOf = (range: TrustRange): Bounds => ({ start: startOf(range.from), end: endOf(range.to) });

/** The periods by the prefix of their columns; "prev" only when compared. The previous period ends where the range starts. */
type Period = { name: "cur" | "prev"; bounds: Bounds };

function periodsOf(periods: TrustPeriods): { list: Period[]; span: Bounds } {
  const cur = boundsOf(periods.current);
  const prev = periods.previous ? boundsOf(periods.previous) : null;
  return {
    list: prev
      ? [
          { name: "cur", bounds: cur },
          { name: "prev", bounds: prev },
        ]
      : [{ name: "cur", bounds: cur }],
    span: { start: prev?.start ?? cur.start, end: cur.end },
  };
}

/** The last moment of the previous period, where coverage is set beside now: the last millisecond of its last day. */
export const previousEndOf = (periods: TrustPeriods): Date | null => (periods.previous ? new Date(endOf(periods.previous.to).getTime() - 1) : null);

const within = (column: SQL, b: Bounds) => sql`${column} >= ${ts(b.start)} and ${column} < ${ts(b.end)}`;
const col = (period: Period, name: string) => sql.raw(`${period.name}_${name}`);

/** The decisions that count a creative: its first version decided (docs/health-score.md, Compliance). */
const DECIDED_FIRST = sql`('approved', 'approved_with_changes', 'changes_requested', 'rejected', 'revoked')`;

const SEVERITY_COLUMNS = ["critical", "high", "medium", "low"] as const;
const FIGURE_COLUMNS = ["counted", "compliant", "incidents", ...SEVERITY_COLUMNS] as const;

/**
 * Per organisation and period: creatives counted and compliant, incidents by
 * severity. The range's columns keep their plain names (`counted`, …), the
 * previous period's are prefixed (`prev_counted`, …); a row is a partner with
 * something in either period.
 */
function perPartnerSql(periods: TrustPeriods) {
  const { list, span } = periodsOf(periods);
  // Compliant in a period: approved as submitted, and no incident linked to any of its versions by the period's end.
  const creativeCounts = list.map(
    (p) => sql`count(*) filter (where ${within(sql`decided_at`, p.bounds)})::int as ${col(p, "counted")},
      count(*) filter (where ${within(sql`decided_at`, p.bounds)} and approved and (flagged_at is null or flagged_at >= ${ts(p.bounds.end)}))::int
        as ${col(p, "compliant")}`,
  );
  const incidentCounts = list.map(
    (p) => sql`count(*) filter (where ${within(sql`opened_at`, p.bounds)})::int as ${col(p, "incidents")},
      ${sql.join(
        SEVERITY_COLUMNS.map((s) => sql`count(*) filter (where ${within(sql`opened_at`, p.bounds)} and severity = ${sql.raw(`'${s}'`)})::int as ${col(p, s)}`),
        sql`, `,
      )}`,
  );
  const outer = list.flatMap((p) =>
    FIGURE_COLUMNS.map((f) =>
      sql.raw(`coalesce(${f === "counted" || f === "compliant" ? "f" : "i"}.${p.name}_${f}, 0) as ${p.name === "cur" ? f : `prev_${f}`}`),
    ),
  );
  return sql`
    with flags as (
      -- When each creative was first linked to an incident: incident links are few, so once for all rather than once per decided version.
      select lv.creative_id, min(l.linked_at) as flagged_at
      from incident_links l join creative_versions lv on lv.id = l.object_id
      where l.object_kind = 'creative_version'
      group by lv.creative_id
    ),
    decided as (
      select c.organisation_id as org, v.decided_at, v.outcome = 'approved' as approved,
        case when v.outcome = 'approved' then flags.flagged_at end as flagged_at
      from creative_versions v join creatives c on c.id = v.creative_id
      left join flags on flags.creative_id = c.id
      where v.number = 1 and v.outcome in ${DECIDED_FIRST} and ${within(sql`v.decided_at`, span)}
    ),
    firsts as (
      select org, ${sql.join(creativeCounts, sql`, `)}
      from decided
      group by org
    ),
    inc as (
      select organisation_id as org, ${sql.join(incidentCounts, sql`, `)}
      from incidents where ${within(sql`opened_at`, span)}
      group by organisation_id
    ),
    rows as (
      select o.id, o.name, o.status, o.health_score as "healthScore", ${sql.join(outer, sql`, `)}
      from partner_organisations o
      left join firsts f on f.org = o.id
      left join inc i on i.org = o.id
      where f.org is not null or i.org is not null
    )`;
}

/** One period's compliance and incidents, of a partner or of the whole program. */
export type TrustFigures = {
  counted: number;
  compliant: number;
  /** compliant ÷ counted, null when no creative was counted. */
  complianceRate: number | null;
  incidents: number;
  bySeverity: Record<IncidentSeverity, number>;
  byKind: Partial<Record<IncidentKind, number>>;
};

/** A partner's figures in the range, and in the previous period when the report compares. */
export type TrustPartnerRow = TrustFigures & {
  id: string;
  name: string;
  status: string;
  healthScore: number | null;
  previous: TrustFigures | null;
};

type RawPartnerRow = { id: string; name: string; status: string; healthScore: unknown } & Record<string, unknown>;

// Worst first: the lowest compliance rate, then the most incidents (in the range); the id keeps paging stable.
const ORDER = sql`order by (compliant::float / nullif(counted, 0)) asc nulls last, incidents desc, lower(name), id`;

type KindCounts = Partial<Record<IncidentKind, number>>;

/** Incidents by kind per organisation and period. */
async function kindsOf(db: Db, orgIds: string[], periods: TrustPeriods): Promise<Map<string, Record<Period["name"], KindCounts>>> {
  const kinds = new Map<string, Record<Period["name"], KindCounts>>();
  if (!orgIds.length) return kinds;
  const { list, span } = periodsOf(periods);
  const rows = rowsOf<{ org: string; kind: IncidentKind } & Record<string, unknown>>(
    await db.execute(sql`
      select organisation_id as org, kind, ${sql.join(
        list.map((p) => sql`count(*) filter (where ${within(sql`opened_at`, p.bounds)})::int as ${col(p, "n")}`),
        sql`, `,
      )}
      from incidents
      where organisation_id in (${sql.join(
        orgIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) and ${within(sql`opened_at`, span)}
      group by organisation_id, kind`),
  );
  for (const r of rows) {
    const entry = kinds.get(r.org) ?? { cur: {}, prev: {} };
    for (const p of list) if (num(r[`${p.name}_n`]) > 0) entry[p.name][r.kind] = num(r[`${p.name}_n`]);
    kinds.set(r.org, entry);
  }
  return kinds;
}

function figuresOf(r: Record<string, unknown>, prefix: "" | "prev_", byKind: KindCounts): TrustFigures {
  const counted = num(r[`${prefix}counted`]);
  const compliant = num(r[`${prefix}compliant`]);
  return {
    counted,
    compliant,
    complianceRate: counted ? compliant / counted : null,
    incidents: num(r[`${prefix}incidents`]),
    bySeverity: {
      critical: num(r[`${prefix}critical`]),
      high: num(r[`${prefix}high`]),
      medium: num(r[`${prefix}medium`]),
      low: num(r[`${prefix}low`]),
    },
    byKind,
  };
}

function partnerRowOf(r: RawPartnerRow, compared: boolean, kinds: Record<Period["name"], KindCounts> | undefined): TrustPartnerRow {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    healthScore: r.healthScore === null || r.healthScore === undefined ? null : num(r.healthScore),
    ...figuresOf(r, "", kinds?.cur ?? {}),
    previous: compared ? figuresOf(r, "prev_", kinds?.prev ?? {}) : null,
  };
}

async function partnerRowsOf(db: Db, periods: TrustPeriods, raw: RawPartnerRow[]): Promise<TrustPartnerRow[]> {
  const kinds = await kindsOf(
    db,
    raw.map((r) => r.id),
    periods,
  );
  return raw.map((r) => partnerRowOf(r, periods.previous !== null, kinds.get(r.id)));
}

/** One page of the partners with a creative counted or an incident in the range or the previous period, worst first. */
export async function trustPartners(db: Db, periods: TrustPeriods, page: number): Promise<Page<TrustPartnerRow>> {
  const result = await paginate(
    page,
    TRUST_PAGE_SIZE,
    async (limit, offset) =>
      rowsOf<RawPartnerRow>(await db.execute(sql`${perPartnerSql(periods)} select * from rows ${ORDER} limit ${limit} offset ${offset}`)),
    async () => rowsOf<{ n: number }>(await db.execute(sql`${perPartnerSql(periods)} select count(*)::int as n from rows`)).map((r) => ({ n: num(r.n) })),
  );
  return { ...result, rows: await partnerRowsOf(db, periods, result.rows) };
}

/** The whole report over its periods, as of `computedAt`: the summary and every partner row (a few thousand at most), for the page to slice. */
export type TrustSnapshot = { computedAt: Date; summary: TrustSummary; partners: TrustPartnerRow[] };

/**
 * The report from the context's report cache: worked out at most every
 * REPORT_CACHE_TTL_MS (range.ts) for everyone who reads it, as the
 * Performance tab is (decision 023, addendum); the policy coverage at two
 * moments and the per-partner figures are its cost.
 */
export async function cachedTrustReport(ctx: Pick<AppContext, "db" | "clock" | "reportCache">, periods: TrustPeriods): Promise<TrustSnapshot> {
  const { key, load } = trustCacheEntry(ctx.db, periods);
  return (await ctx.reportCache.get(key, ctx.clock.now(), load)).value;
}

/** The report over its periods as the report cache keeps it: its key, and how it is worked out as of a moment (app/domain/reports/warm.server.ts warms it). */
export function trustCacheEntry(db: Db, periods: TrustPeriods) {
  return {
    key: reportCacheKey("trust", periods),
    load: async (at: Date): Promise<TrustSnapshot> => {
      const [summary, raw] = await Promise.all([
        trustSummary(db, periods),
        db.execute(sql`${perPartnerSql(periods)} select * from rows ${ORDER}`).then((result) => rowsOf<RawPartnerRow>(result)),
      ]);
      return { computedAt: at, summary, partners: await partnerRowsOf(db, periods, raw) };
    },
  };
}

/** One page of a snapshot's partners, worst first. */
export function trustPartnersPage(snapshot: TrustSnapshot, page: number): Page<TrustPartnerRow> {
  const total = snapshot.partners.length;
  return {
    rows: snapshot.partners.slice((page - 1) * TRUST_PAGE_SIZE, page * TRUST_PAGE_SIZE),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / TRUST_PAGE_SIZE)),
  };
}

/** One period's figures over the whole program. */
export type TrustPeriodSummary = {
  compliance: { counted: number; compliant: number; rate: number | null; partners: number };
  incidents: {
    total: number;
    bySeverity: Record<IncidentSeverity, number>;
    byKind: { kind: IncidentKind; label: string; total: number; bySeverity: Record<IncidentSeverity, number> }[];
    partners: number;
  };
};

export type TrustSummary = TrustPeriodSummary & {
  /** The previous period's figures, when the report compares. */
  previous: TrustPeriodSummary | null;
  /** The moment coverage is compared at: the last of the previous period (null without a comparison). */
  previousEnd: Date | null;
  coverage: PolicyVersionCoverage[];
  /** The stored scores now. */
  health: HealthDistribution;
  /** At `previousEnd`, from the daily snapshots: null without a comparison, or when no score was kept near then. */
  previousHealth: HealthDistribution | null;
  /** The first day a score was kept (null when none has been yet), which says why `previousHealth` is missing; null without a comparison. */
  healthKeptSince: string | null;
};

/** How many active partners were covered for a version at one moment. */
export type CoverageFigures = {
  covered: number;
  partners: number;
  share: number | null;
  /** Whether it was the policy's newest published version then. */
  current: boolean;
};

export type PolicyVersionCoverage = CoverageFigures & {
  policyId: string;
  title: string;
  required: boolean;
  versionId: string;
  number: number;
  material: boolean;
  publishedAt: Date;
  /** At the end of the previous period; null without a comparison, or when the version was not published yet then. */
  previous: CoverageFigures | null;
};

export type HealthDistribution = {
  /** Ten buckets: 0–9, 10–19, … 90–100. */
  buckets: { label: string; from: number; to: number; partners: number }[];
  bands: { band: HealthBand; label: string; partners: number }[];
  scored: number;
  notScored: number;
  median: number | null;
  /** The oldest score's computation time: the distribution is no older than this. */
  scoredAt: Date | null;
};

/**
 * Partners active at `asOf`, from the dates their rows keep: activated by
 * then (partners made active before activation was recorded, from their
 * creation, as the health score counts them), not terminated by then, and
 * not paused then. A pause's start is on the row only while it lasts, so
 * whether a partner was paused at a past moment is read from the audit
 * trail's pause and resume events (index on the action); rows written
 * without them (seeds) fall back to the row's pause time.
 */
function activePartnersAt(asOf: Date): SQL {
  return sql`
    select o.id from partner_organisations o
    left join (
      select distinct on (subject_id) subject_id, action from audit_events
      where action in ('partner.paused', 'partner.resumed') and occurred_at <= ${ts(asOf)}
      order by subject_id, occurred_at desc, id desc
    ) pause on pause.subject_id = o.id::text
    where coalesce(o.activated_at, case when o.status in ('active', 'paused') then o.created_at end) <= ${ts(asOf)}
      and (o.terminated_at is null or o.terminated_at > ${ts(asOf)})
      and not coalesce(pause.action = 'partner.paused', o.paused_at <= ${ts(asOf)}, false)`;
}

type CoverageRow = Omit<PolicyVersionCoverage, "previous">;

/**
 * Policy acceptance coverage per published version: the share of active
 * partners covered for it, where covered means every active member accepted
 * it (as on the policy coverage page). Now (`asOf` null): partners whose
 * status is active, their active members, every acceptance. At a past moment:
 * the versions published by then, the partners active then, the members they
 * had then (partnerMembersAt) and the acceptances made by then.
 */
export async function policyCoverage(db: Db, asOf: Date | null = null): Promise<CoverageRow[]> {
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
      with orgs as (${asOf ? activePartnersAt(asOf) : sql`select id from partner_organisations where status = 'active'`}),
      members as (
        select u.id, u.partner_org_id from users u
        join orgs o on o.id = u.partner_org_id
        where ${asOf ? partnerMembersAt(asOf) : sql`u.role = 'partner' and u.status = 'active'`}
      ),
      versions as (
        select v.id, v.policy_id, v.number, v.material, v.published_at,
          v.number = max(v.number) over (partition by v.policy_id) as current
        from policy_versions v where v.status = 'published' ${asOf ? sql`and v.published_at <= ${ts(asOf)}` : sql``}
      ),
      per_org as (
        select v.id as version_id, m.partner_org_id as org, count(*) as members, count(a.id) as accepted
        from versions v cross join members m
        left join policy_acceptances a on a.policy_version_id = v.id and a.user_id = m.id ${asOf ? sql`and a.accepted_at <= ${ts(asOf)}` : sql``}
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
      publishedAt: dateOf(r.publishedAt),
      covered,
      partners,
      share: partners ? covered / partners : null,
    };
  });
}

/** Coverage now, each version beside its coverage at `previousEnd` (when compared and already published then). */
async function coverageCompared(db: Db, previousEnd: Date | null): Promise<PolicyVersionCoverage[]> {
  const [now, then] = await Promise.all([policyCoverage(db), previousEnd ? policyCoverage(db, previousEnd) : null]);
  const before = new Map((then ?? []).map((c) => [c.versionId, c]));
  return now.map((c) => {
    const p = before.get(c.versionId);
    return { ...c, previous: p ? { covered: p.covered, partners: p.partners, share: p.share, current: p.current } : null };
  });
}

type ScoreRow = { score: unknown; scoredAt: unknown };

/** Scores (null: not scored) in buckets of ten and in bands, with their median. */
function distributionOf(rows: ScoreRow[]): HealthDistribution {
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
  const times = rows.filter((r) => r.scoredAt).map((r) => dateOf(r.scoredAt).getTime());
  return {
    buckets,
    bands,
    scored: scores.length,
    notScored: rows.length - scores.length,
    median: sorted.length ? (sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2) : null,
    scoredAt: times.length ? new Date(Math.min(...times)) : null,
  };
}

/**
 * The health scores' distribution over the partners not terminated. Now
 * (no `asOf`): the scores stored on the partners' rows. At a past moment:
 * each partner's latest daily snapshot computed by then, of a day within
 * HEALTH_SNAPSHOT_LOOKBACK_DAYS of it, for the partners not terminated by
 * then (a partner terminated since counts, one that joined since has no
 * snapshot that early); null when no snapshot is that near, so a gap is
 * never filled with an older or a made-up figure.
 */
export function healthDistribution(db: Db): Promise<HealthDistribution>;
export function healthDistribution(db: Db, asOf: Date): Promise<HealthDistribution | null>;
export async function healthDistribution(db: Db, asOf?: Date): Promise<HealthDistribution | null> {
  if (!asOf) {
    return distributionOf(
      rowsOf<ScoreRow>(
        await db.execute(sql`select health_score as score, health_scored_at as "scoredAt" from partner_organisations where status <> 'terminated'`),
      ),
    );
  }
  const kept = sql`s.day between ${utcDay(new Date(asOf.getTime() - (HEALTH_SNAPSHOT_LOOKBACK_DAYS - 1) * DAY_MS))}::date and ${utcDay(asOf)}::date
    and s.computed_at <= ${ts(asOf)}`;
  const [covered, rows] = await Promise.all([
    db.execute(sql`select exists (select 1 from partner_health_snapshots s where ${kept}) as covered`),
    db.execute(sql`
      with latest as (
        select distinct on (s.partner_organisation_id) s.partner_organisation_id as id, s.score, s.computed_at
        from partner_health_snapshots s
        where ${kept}
        order by s.partner_organisation_id, s.day desc
      )
      select l.score, l.computed_at as "scoredAt"
      from latest l join partner_organisations o on o.id = l.id
      where coalesce(o.terminated_at > ${ts(asOf)}, o.status <> 'terminated')`),
  ]);
  if (!rowsOf<{ covered: boolean }>(covered)[0]?.covered) return null;
  return distributionOf(rowsOf<ScoreRow>(rows));
}

/** The first day a health score was kept, or null before the first snapshot. */
export async function healthKeptSince(db: Db): Promise<string | null> {
  const [row] = rowsOf<{ first: string | null }>(await db.execute(sql`select min(day)::text as first from partner_health_snapshots`));
  return row?.first ?? null;
}

/** The program's figures for each period: totals from the per-partner rows, incidents by kind and severity. */
async function periodSummaries(db: Db, periods: TrustPeriods): Promise<Record<Period["name"], TrustPeriodSummary>> {
  const { list, span } = periodsOf(periods);
  const sums = list.map((p) => {
    const prefix = p.name === "cur" ? "" : "prev_";
    return sql.raw(`coalesce(sum(${prefix}counted), 0)::int as ${p.name}_counted, coalesce(sum(${prefix}compliant), 0)::int as ${p.name}_compliant,
      count(*) filter (where ${prefix}counted > 0)::int as ${p.name}_compliance_partners,
      count(*) filter (where ${prefix}incidents > 0)::int as ${p.name}_incident_partners`);
  });
  const [totals, cells] = await Promise.all([
    db.execute(sql`${perPartnerSql(periods)} select ${sql.join(sums, sql`, `)} from rows`),
    db.execute(sql`
      select kind, severity, ${sql.join(
        list.map((p) => sql`count(*) filter (where ${within(sql`opened_at`, p.bounds)})::int as ${col(p, "n")}`),
        sql`, `,
      )}
      from incidents where ${within(sql`opened_at`, span)}
      group by kind, severity`),
  ]);
  const [t] = rowsOf<Record<string, unknown>>(totals);
  const counts = rowsOf<{ kind: IncidentKind; severity: IncidentSeverity } & Record<string, unknown>>(cells);
  const zero = (): Record<IncidentSeverity, number> => ({ low: 0, medium: 0, high: 0, critical: 0 });
  const summaryOf = (name: Period["name"]): TrustPeriodSummary => {
    const counted = num(t?.[`${name}_counted`]);
    const compliant = num(t?.[`${name}_compliant`]);
    const byKind = INCIDENT_KINDS.map((kind) => {
      const bySeverity = zero();
      for (const c of counts.filter((c) => c.kind === kind)) bySeverity[c.severity] += num(c[`${name}_n`]);
      return { kind, label: INCIDENT_KIND_LABELS[kind], total: Object.values(bySeverity).reduce((a, b) => a + b, 0), bySeverity };
    });
    const bySeverity = zero();
    for (const s of INCIDENT_SEVERITIES) bySeverity[s] = byKind.reduce((sum, k) => sum + k.bySeverity[s], 0);
    return {
      compliance: { counted, compliant, rate: counted ? compliant / counted : null, partners: num(t?.[`${name}_compliance_partners`]) },
      incidents: { total: byKind.reduce((sum, k) => sum + k.total, 0), bySeverity, byKind, partners: num(t?.[`${name}_incident_partners`]) },
    };
  };
  return { cur: summaryOf("cur"), prev: summaryOf("prev") };
}

/** The report's figures over the whole program for the range, each beside the previous period's when compared. */
export async function trustSummary(db: Db, periods: TrustPeriods): Promise<TrustSummary> {
  const previousEnd = previousEndOf(periods);
  const [summaries, coverage, health, previousHealth, healthKept] = await Promise.all([
    periodSummaries(db, periods),
    coverageCompared(db, previousEnd),
    healthDistribution(db),
    previousEnd ? healthDistribution(db, previousEnd) : null,
    previousEnd ? healthKeptSince(db) : null,
  ]);
  return {
    ...summaries.cur,
    previous: periods.previous ? summaries.prev : null,
    previousEnd,
    coverage,
    health,
    previousHealth,
    healthKeptSince: healthKept,
  };
}

const percent = (share: number | null) => (share === null ? "" : (share * 100).toFixed(1));

const SEVERITY_HEADERS: Record<IncidentSeverity, string> = { critical: "Critical", high: "High", medium: "Medium", low: "Low" };

/** The per-partner figures as CSV columns, each beside the previous period's when compared. */
const PARTNER_COLUMNS: FigureColumn<TrustFigures>[] = [
  { header: "Creatives decided", cell: (f) => f.counted, value: (f) => f.counted },
  { header: "Approved as submitted", cell: (f) => f.compliant, value: (f) => f.compliant },
  { header: "Compliance rate (%)", cell: (f) => percent(f.complianceRate), value: (f) => f.complianceRate },
  { header: "Incidents", cell: (f) => f.incidents, value: (f) => f.incidents },
  ...SEVERITY_COLUMNS.map((s): FigureColumn<TrustFigures> => ({ header: SEVERITY_HEADERS[s], cell: (f) => f.bySeverity[s], value: (f) => f.bySeverity[s] })),
  ...INCIDENT_KINDS.map((k): FigureColumn<TrustFigures> => ({
    header: INCIDENT_KIND_LABELS[k],
    cell: (f) => f.byKind[k] ?? 0,
    value: (f) => f.byKind[k] ?? 0,
  })),
];

/** Every partner row of the range (worst first) as formula-safe CSV; the route records the export. */
export async function trustPartnersCsv(db: Db, periods: TrustPeriods): Promise<{ csv: string; count: number }> {
  const raw = rowsOf<RawPartnerRow>(await db.execute(sql`${perPartnerSql(periods)} select * from rows ${ORDER} limit 100000`));
  const rows = await partnerRowsOf(db, periods, raw);
  const compared = periods.previous !== null;
  const csv = toCsv([
    ["Partner", "Status", "Health score", ...figureHeaders(PARTNER_COLUMNS, compared)],
    ...rows.map((r) => [r.name, partnerStatusLabel(r.status), r.healthScore, ...figureCells(PARTNER_COLUMNS, compared, r, r.previous)]),
  ]);
  return { csv, count: rows.length };
}

export const TRUST_TABLES = ["partners", "incidents", "coverage", "health"] as const;
export type TrustTable = (typeof TRUST_TABLES)[number];

export const trustTableOf = (value: string): TrustTable | null => ((TRUST_TABLES as readonly string[]).includes(value) ? (value as TrustTable) : null);

/** Incidents of one kind, or of all kinds. */
type IncidentCounts = { total: number; bySeverity: Record<IncidentSeverity, number> };

const INCIDENT_COLUMNS: FigureColumn<IncidentCounts>[] = [
  ...SEVERITY_COLUMNS.map((s): FigureColumn<IncidentCounts> => ({ header: SEVERITY_HEADERS[s], cell: (k) => k.bySeverity[s], value: (k) => k.bySeverity[s] })),
  { header: "Total", cell: (k) => k.total, value: (k) => k.total },
];

/** Coverage is compared with the end of the previous period, not summed over it. */
const AT_PREVIOUS_END = "end of previous period";

const HEALTH_COLUMNS: FigureColumn<{ partners: number }>[] = [{ header: "Partners", cell: (b) => b.partners, value: (b) => b.partners }];

const COVERAGE_COLUMNS: FigureColumn<CoverageFigures>[] = [
  { header: "Active partners covered", cell: (c) => c.covered, value: (c) => c.covered },
  { header: "Active partners", cell: (c) => c.partners, value: (c) => c.partners },
  { header: "Coverage (%)", cell: (c) => percent(c.share), value: (c) => c.share },
];

/** One of the report's tables as formula-safe CSV; the route records the export on the audit trail. */
export async function trustCsv(db: Db, table: TrustTable, periods: TrustPeriods): Promise<string> {
  if (table === "partners") return (await trustPartnersCsv(db, periods)).csv;
  const summary = await trustSummary(db, periods);
  const compared = periods.previous !== null;
  if (table === "incidents") {
    return toCsv([
      ["Kind", ...figureHeaders(INCIDENT_COLUMNS, compared)],
      ...summary.incidents.byKind.map((k, i) => [k.label, ...figureCells(INCIDENT_COLUMNS, compared, k, summary.previous?.incidents.byKind[i] ?? null)]),
      ["All kinds", ...figureCells(INCIDENT_COLUMNS, compared, summary.incidents, summary.previous?.incidents ?? null)],
    ]);
  }
  if (table === "coverage") {
    return toCsv([
      ["Policy", "Required", "Version", "Current", "Material", "Published (UTC)", ...figureHeaders(COVERAGE_COLUMNS, compared, AT_PREVIOUS_END)],
      ...summary.coverage.map((c) => [
        c.title,
        c.required ? "yes" : "no",
        c.number,
        c.current ? "yes" : "no",
        c.material ? "yes" : "no",
        c.publishedAt.toISOString(),
        ...figureCells(COVERAGE_COLUMNS, compared, c, c.previous),
      ]),
    ]);
  }
  // Beside the snapshot kept at the end of the previous period; its cells stay empty when none was kept then.
  const then = summary.previousHealth;
  return toCsv([
    ["Health score", ...figureHeaders(HEALTH_COLUMNS, compared, AT_PREVIOUS_END)],
    ...summary.health.buckets.map((b, i) => [b.label, ...figureCells(HEALTH_COLUMNS, compared, b, then?.buckets[i] ?? null)]),
    ["Not scored", ...figureCells(HEALTH_COLUMNS, compared, { partners: summary.health.notScored }, then ? { partners: then.notScored } : null)],
  ]);
}
