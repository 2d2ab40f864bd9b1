import { and, count, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import { creatives, reviewStages } from "#db/schema/index";
import { toCsv } from "~/lib/csv.server";
import { rowsOf, type Db } from "~/lib/db.server";
import type { StatsRange } from "../links/stats.server";
import { REVIEW_STAGES, type ReviewStageName } from "../review/matrix";
import type { ReportRange } from "./range";
import { scopedOrganisation, type ReportScope } from "./scope.server";
import { PRESCREEN_FIRST_TIME_LABEL, TRACKING_VALIDATED_LABEL } from "./workflow-labels";

// The Workflow report: how fast partners get going and how review moves,
// by calendar month (UTC) over the report's range, beside the previous
// period's figures. Medians and 90th percentiles are PostgreSQL's
// percentile_cont, worked out in the query; every source is a small table
// read through an index (partner organisations by first live click, review
// stages and creative versions by decision or submission), never the clicks.
//
// The measures (docs/decisions: "Workflow report measures"):
// - time to onboard: the partner's application to its first live click
//   (partner_organisations.time_to_onboard_seconds, set by the click recorder);
// - approval to first launch: the partner's approval (its organisation's
//   creation) to that same first live click;
// - tracking validated before go-live: of those launches, the share whose
//   tracking was validated (a test conversion attributed to a test click,
//   partner_organisations.tracking_validated_at) no later than the first live click;
// - review cycle time per stage: a stage's opening to its decision, wall-clock
//   hours, with its SLA breaches (decided after its due time, or without one),
//   as app/domain/review/measures.server.ts counts them; carried-over
//   approvals are the earlier version's and are not counted twice;
// - first-pass approval rate: first versions approved (or approved, later
//   revoked) of the first versions decided, withdrawals left out;
// - pre-screen pass rate at first try: versions submitted whose pre-screen
//   never blocked them.
//
// A partner's own Reports page reads the same measures with its organisation
// as the scope (decision 027): its own launch, its creatives' review stages,
// versions and pre-screens. What it reads of them is partnerWorkflowReport's:
// no SLA breaches (the brand's deadlines are its own business) and nothing of
// the open queue.

export const WORKFLOW_TABLES = ["onboarding", "review", "quality"] as const;
export type WorkflowTable = (typeof WORKFLOW_TABLES)[number];

/** The table a CSV link names (`?table=`), or null for anything else. */
export const workflowTableOf = (value: string | null): WorkflowTable | null => WORKFLOW_TABLES.find((table) => table === value) ?? null;

/** A measure over some period: how many, the median and 90th percentile in hours (durations), and how many were flagged (breaches, passes). */
export type MeasureFigures = { count: number; medianHours: number | null; p90Hours: number | null; flagged: number; rate: number | null };

export type MeasureSeries = { months: ({ month: string } & MeasureFigures)[]; current: MeasureFigures; previous: MeasureFigures | null };

const NO_FIGURES: MeasureFigures = { count: 0, medianHours: null, p90Hours: null, flagged: 0, rate: null };

const DECIDED = sql.raw(`('approved', 'approved_with_changes', 'changes_requested', 'rejected')`);

/** What limits a source to the scope: a partner organisation's own row, or rows of its creatives (review stages, versions). */
type ScopeConditions = { organisation: SQL; creative: SQL };

function scopeConditions(scope: ReportScope): ScopeConditions {
  const organisationId = scopedOrganisation(scope);
  if (organisationId === null) return { organisation: sql`true`, creative: sql`true` };
  return {
    organisation: sql`id = ${organisationId}::uuid`,
    // Its creatives through their organisation index; the stages and versions through their creative.
    creative: sql`creative_id in (select id from creatives where organisation_id = ${organisationId}::uuid)`,
  };
}

type SourceName = "onboarding" | "launch" | "tracking" | "stages" | "firstPass" | "prescreen";

/**
 * The rows each measure is made of: a group (the review stage, or 'all'),
 * the moment that places it in a month, hours (for durations) and a flag.
 */
const SOURCES: Record<SourceName, (where: ScopeConditions) => SQL> = {
  onboarding: (where) => sql`select 'all' as grp, first_link_live_at as at, time_to_onboard_seconds / 3600.0 as hours, false as flag
    from partner_organisations where ${where.organisation} and first_link_live_at is not null and time_to_onboard_seconds is not null`,
  launch: (
    where,
  ) => sql`select 'all' as grp, first_link_live_at as at, greatest(0, extract(epoch from first_link_live_at - onboarding_started_at)) / 3600.0 as hours, false as flag
    from partner_organisations where ${where.organisation} and first_link_live_at is not null`,
  tracking: (where) => sql`select 'all' as grp, first_link_live_at as at, null::float8 as hours,
      coalesce(tracking_validated_at <= first_link_live_at, false) as flag
    from partner_organisations where ${where.organisation} and first_link_live_at is not null`,
  stages: (where) => sql`select stage::text as grp, decided_at as at, extract(epoch from decided_at - started_at) / 3600.0 as hours,
      not coalesce(decided_at <= due_at, false) as flag
    from review_stages where ${where.creative} and status in ${DECIDED} and carried_from_version is null and started_at is not null and decided_at is not null`,
  firstPass: (where) => sql`select 'all' as grp, decided_at as at, null::float8 as hours, outcome in ('approved', 'revoked') as flag
    from creative_versions where ${where.creative} and number = 1 and outcome is not null and outcome <> 'withdrawn' and decided_at is not null`,
  prescreen: (where) =>
    sql`select 'all' as grp, submitted_at as at, null::float8 as hours, prescreen_blocked_attempts = 0 as flag from creative_versions where ${where.creative}`,
};

const startOf = (day: string) => sql`(${day}::timestamp at time zone 'UTC')`;
const endOf = (day: string) => sql`((${day}::date + 1)::timestamp at time zone 'UTC')`;

type Row = { grp: string; month: string | null; n: number | string; flagged: number | string; median: number | string | null; p90: number | string | null };

/** One source's figures per group and month of `period`, and per group over the whole period (month null). */
async function measure(db: Db, source: SQL, period: StatsRange): Promise<Row[]> {
  return rowsOf<Row>(
    await db.execute(sql`
      select grp, case when grouping(month) = 1 then null else month end as month,
        count(*) as n, count(*) filter (where flag) as flagged,
        percentile_cont(0.5) within group (order by hours) as median,
        percentile_cont(0.9) within group (order by hours) as p90
      from (
        select grp, to_char(at at time zone 'UTC', 'YYYY-MM') as month, hours, flag
        from (${source}) s
        where at >= ${startOf(period.from)} and at < ${endOf(period.to)}
      ) x
      group by grouping sets ((grp, month), (grp))`),
  );
}

const num = (value: number | string | null) => (value === null ? null : Number(value));

function figuresOf(row: Row | undefined): MeasureFigures {
  if (!row) return NO_FIGURES;
  const n = Number(row.n);
  return { count: n, medianHours: num(row.median), p90Hours: num(row.p90), flagged: Number(row.flagged), rate: n > 0 ? Number(row.flagged) / n : null };
}

/** Every month (YYYY-MM) a range touches, in order. */
export function monthsOf(range: StatsRange): string[] {
  const months: string[] = [];
  let [year, month] = range.from.slice(0, 7).split("-").map(Number) as [number, number];
  const last = range.to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, "0")}`;
    months.push(key);
    if (key >= last) return months;
    month++;
    if (month > 12) [year, month] = [year + 1, 1];
  }
}

async function series(db: Db, where: ScopeConditions, name: SourceName, range: ReportRange, groups: readonly string[]): Promise<Map<string, MeasureSeries>> {
  const source = SOURCES[name](where);
  const [current, previous] = await Promise.all([measure(db, source, range.current), range.previous ? measure(db, source, range.previous) : null]);
  const months = monthsOf(range.current);
  return new Map(
    groups.map((grp) => [
      grp,
      {
        months: months.map((month) => ({ month, ...figuresOf(current.find((r) => r.grp === grp && r.month === month)) })),
        current: figuresOf(current.find((r) => r.grp === grp && r.month === null)),
        previous: previous ? figuresOf(previous.find((r) => r.grp === grp && r.month === null)) : null,
      },
    ]),
  );
}

export type WorkflowReport = {
  months: string[];
  onboarding: MeasureSeries;
  launch: MeasureSeries;
  tracking: MeasureSeries;
  stages: { stage: ReviewStageName; label: string; figures: MeasureSeries }[];
  firstPass: MeasureSeries;
  prescreen: MeasureSeries;
  /** Stages open now and past their due time: breaches still in the making. */
  overdueNow: number;
};

const STAGE_NAMES = REVIEW_STAGES.map((s) => s.value);

/** The workflow measures of a scope: the whole program's (Admin → Reports), or one partner's (through partnerWorkflowReport). */
export async function workflowReport(db: Db, scope: ReportScope, range: ReportRange, now: Date): Promise<WorkflowReport> {
  const all = ["all"];
  const where = scopeConditions(scope);
  const organisationId = scopedOrganisation(scope);
  const [onboarding, launch, tracking, stages, firstPass, prescreen, [overdue]] = await Promise.all([
    series(db, where, "onboarding", range, all),
    series(db, where, "launch", range, all),
    series(db, where, "tracking", range, all),
    series(db, where, "stages", range, STAGE_NAMES),
    series(db, where, "firstPass", range, all),
    series(db, where, "prescreen", range, all),
    db
      .select({ n: count() })
      .from(reviewStages)
      .where(
        and(
          eq(reviewStages.status, "pending"),
          lt(reviewStages.dueAt, now),
          organisationId === null
            ? undefined
            : inArray(reviewStages.creativeId, db.select({ id: creatives.id }).from(creatives).where(eq(creatives.organisationId, organisationId))),
        ),
      ),
  ]);
  return {
    months: monthsOf(range.current),
    onboarding: onboarding.get("all")!,
    launch: launch.get("all")!,
    tracking: tracking.get("all")!,
    stages: REVIEW_STAGES.map((s) => ({ stage: s.value, label: s.label, figures: stages.get(s.value)! })),
    firstPass: firstPass.get("all")!,
    prescreen: prescreen.get("all")!,
    overdueNow: overdue?.n ?? 0,
  };
}

/** A duration without its flag: what a partner reads of its review stages (how long, never whether the brand kept its deadline). */
export type DurationFigures = Pick<MeasureFigures, "count" | "medianHours" | "p90Hours">;

/** A measure by month, over the range and over the previous period. */
type Series<F> = { months: ({ month: string } & F)[]; current: F; previous: F | null };
export type DurationSeries = Series<DurationFigures>;

/** A partner's own workflow figures: its launch, its creatives' review and how often they were right first time. */
export type PartnerWorkflowReport = {
  months: string[];
  launch: MeasureSeries;
  tracking: MeasureSeries;
  stages: { stage: ReviewStageName; label: string; figures: DurationSeries }[];
  firstPass: MeasureSeries;
  prescreen: MeasureSeries;
};

export const PARTNER_WORKFLOW_TABLES = ["launch", "review", "quality"] as const;
export type PartnerWorkflowTable = (typeof PARTNER_WORKFLOW_TABLES)[number];

/** The table a partner's CSV link names (`?table=`), or null for anything else. */
export const partnerWorkflowTableOf = (value: string | null): PartnerWorkflowTable | null => PARTNER_WORKFLOW_TABLES.find((table) => table === value) ?? null;

const durationsOf = ({ count, medianHours, p90Hours }: DurationFigures): DurationFigures => ({ count, medianHours, p90Hours });

/**
 * The workflow report of one partner organisation (the session's), as the
 * partner may read it: the same measures as the brand's, scoped to its own
 * rows, with the SLA breaches, the program's onboarding figures and the open
 * queue left out (not only hidden: they never reach the page's data).
 */
export async function partnerWorkflowReport(db: Db, organisationId: string, range: ReportRange, now: Date): Promise<PartnerWorkflowReport> {
  const report = await workflowReport(db, { organisationId }, range, now);
  return {
    months: report.months,
    launch: report.launch,
    tracking: report.tracking,
    stages: report.stages.map(({ stage, label, figures }) => ({
      stage,
      label,
      figures: {
        months: figures.months.map((m) => ({ month: m.month, ...durationsOf(m) })),
        current: durationsOf(figures.current),
        previous: figures.previous ? durationsOf(figures.previous) : null,
      },
    })),
    firstPass: report.firstPass,
    prescreen: report.prescreen,
  };
}

const hoursCell = (hours: number | null) => (hours === null ? "" : hours.toFixed(1));
const percentCell = (share: number | null) => (share === null ? "" : (share * 100).toFixed(1));

type Cell = string | number;

/**
 * The rows of a workflow CSV: one per month, one for the whole range, and
 * one for the previous period when compared; `pick` reads a series' figures
 * for the row `i`.
 */
function csvPeriods(months: readonly string[], range: ReportRange) {
  const labels = [
    ...months,
    `Whole range ${range.current.from} to ${range.current.to}`,
    ...(range.previous ? [`Previous period ${range.previous.from} to ${range.previous.to}`] : []),
  ];
  const pick = <F>(s: Series<F>, i: number, none: F): F => (i < months.length ? s.months[i]! : i === months.length ? s.current : (s.previous ?? none));
  return { labels, pick };
}

type Periods = ReturnType<typeof csvPeriods>;

/** Launches by period: (for the brand) time to onboard, approval to first launch, tracking validated. */
function launchCsv(periods: Periods, report: { launch: MeasureSeries; tracking: MeasureSeries; onboarding?: MeasureSeries }, launched: string): string {
  const { onboarding } = report;
  return toCsv([
    [
      "Period",
      launched,
      ...(onboarding ? ["Time to onboard, median (hours)", "Time to onboard, 90th percentile (hours)"] : []),
      "Approval to first launch, median (hours)",
      "Approval to first launch, 90th percentile (hours)",
      TRACKING_VALIDATED_LABEL,
      `${TRACKING_VALIDATED_LABEL} (%)`,
    ],
    ...periods.labels.map((label, i) => {
      const [launch, tracking] = [periods.pick(report.launch, i, NO_FIGURES), periods.pick(report.tracking, i, NO_FIGURES)];
      const onboard = onboarding ? periods.pick(onboarding, i, NO_FIGURES) : null;
      return [
        label,
        launch.count,
        ...(onboard ? [hoursCell(onboard.medianHours), hoursCell(onboard.p90Hours)] : []),
        hoursCell(launch.medianHours),
        hoursCell(launch.p90Hours),
        tracking.flagged,
        percentCell(tracking.rate),
      ];
    }),
  ]);
}

/** Review cycle time per stage and period, with the columns `extra` adds (the brand's SLA breaches). */
function stagesCsv<F extends DurationFigures>(
  periods: Periods,
  stages: readonly { label: string; figures: Series<F> }[],
  none: F,
  extra: { headers: string[]; cells: (f: F) => Cell[] },
): string {
  return toCsv([
    ["Stage", "Period", "Decisions", "Cycle time, median (hours)", "Cycle time, 90th percentile (hours)", ...extra.headers],
    ...stages.flatMap((stage) =>
      periods.labels.map((label, i) => {
        const f = periods.pick(stage.figures, i, none);
        return [stage.label, label, f.count, hoursCell(f.medianHours), hoursCell(f.p90Hours), ...extra.cells(f)];
      }),
    ),
  ]);
}

/** First-pass approval and pre-screen first-try rates by period. */
function qualityCsv(periods: Periods, report: { firstPass: MeasureSeries; prescreen: MeasureSeries }): string {
  return toCsv([
    [
      "Period",
      "First versions decided",
      "Approved first time",
      "First-pass approval rate (%)",
      "Versions submitted",
      PRESCREEN_FIRST_TIME_LABEL,
      "Pre-screen first-try pass rate (%)",
    ],
    ...periods.labels.map((label, i) => {
      const [f, p] = [periods.pick(report.firstPass, i, NO_FIGURES), periods.pick(report.prescreen, i, NO_FIGURES)];
      return [label, f.count, f.flagged, percentCell(f.rate), p.count, p.flagged, percentCell(p.rate)];
    }),
  ]);
}

/**
 * One of the report's tables as CSV, a row per month and one per period
 * ("Whole range", and "Previous period" when compared): durations in hours,
 * rates in percent.
 */
export function workflowCsv(table: WorkflowTable, report: WorkflowReport, range: ReportRange): string {
  const periods = csvPeriods(report.months, range);
  if (table === "onboarding") return launchCsv(periods, report, "Partners launched");
  if (table === "review") {
    return stagesCsv(periods, report.stages, NO_FIGURES, { headers: ["SLA breaches", "SLA breaches (%)"], cells: (f) => [f.flagged, percentCell(f.rate)] });
  }
  return qualityCsv(periods, report);
}

/** One table of a partner's own workflow report as CSV, in the same form as the brand's (without what the partner does not read). */
export function partnerWorkflowCsv(table: PartnerWorkflowTable, report: PartnerWorkflowReport, range: ReportRange): string {
  const periods = csvPeriods(report.months, range);
  if (table === "launch") return launchCsv(periods, report, "Launches");
  if (table === "review") return stagesCsv(periods, report.stages, durationsOf(NO_FIGURES), { headers: [], cells: () => [] });
  return qualityCsv(periods, report);
}
