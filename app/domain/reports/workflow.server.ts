import { and, count, eq, lt, sql, type SQL } from "drizzle-orm";
import { reviewStages } from "#db/schema/index";
import { toCsv } from "~/lib/csv.server";
import { rowsOf, type Db } from "~/lib/db.server";
import type { StatsRange } from "../links/stats.server";
import { REVIEW_STAGES, type ReviewStageName } from "../review/matrix";
import type { ReportRange } from "./range";
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

export const WORKFLOW_TABLES = ["onboarding", "review", "quality"] as const;
export type WorkflowTable = (typeof WORKFLOW_TABLES)[number];

/** The table a CSV link names (`?table=`), or null for anything else. */
export const workflowTableOf = (value: string | null): WorkflowTable | null => WORKFLOW_TABLES.find((table) => table === value) ?? null;

/** A measure over some period: how many, the median and 90th percentile in hours (durations), and how many were flagged (breaches, passes). */
export type MeasureFigures = { count: number; medianHours: number | null; p90Hours: number | null; flagged: number; rate: number | null };

export type MeasureSeries = { months: ({ month: string } & MeasureFigures)[]; current: MeasureFigures; previous: MeasureFigures | null };

const NO_FIGURES: MeasureFigures = { count: 0, medianHours: null, p90Hours: null, flagged: 0, rate: null };

const DECIDED = sql.raw(`('approved', 'approved_with_changes', 'changes_requested', 'rejected')`);

/**
 * The rows each measure is made of: a group (the review stage, or 'all'),
 * the moment that places it in a month, hours (for durations) and a flag.
 */
const SOURCES = {
  onboarding: sql`select 'all' as grp, first_link_live_at as at, time_to_onboard_seconds / 3600.0 as hours, false as flag
    from partner_organisations where first_link_live_at is not null and time_to_onboard_seconds is not null`,
  launch: sql`select 'all' as grp, first_link_live_at as at, greatest(0, extract(epoch from first_link_live_at - onboarding_started_at)) / 3600.0 as hours, false as flag
    from partner_organisations where first_link_live_at is not null`,
  tracking: sql`select 'all' as grp, first_link_live_at as at, null::float8 as hours,
      coalesce(tracking_validated_at <= first_link_live_at, false) as flag
    from partner_organisations where first_link_live_at is not null`,
  stages: sql`select stage::text as grp, decided_at as at, extract(epoch from decided_at - started_at) / 3600.0 as hours,
      not coalesce(decided_at <= due_at, false) as flag
    from review_stages where status in ${DECIDED} and carried_from_version is null and started_at is not null and decided_at is not null`,
  firstPass: sql`select 'all' as grp, decided_at as at, null::float8 as hours, outcome in ('approved', 'revoked') as flag
    from creative_versions where number = 1 and outcome is not null and outcome <> 'withdrawn' and decided_at is not null`,
  prescreen: sql`select 'all' as grp, submitted_at as at, null::float8 as hours, prescreen_blocked_attempts = 0 as flag from creative_versions`,
} as const;

type SourceName = keyof typeof SOURCES;

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

async function series(db: Db, name: SourceName, range: ReportRange, groups: readonly string[]): Promise<Map<string, MeasureSeries>> {
  const [current, previous] = await Promise.all([
    measure(db, SOURCES[name], range.current),
    range.previous ? measure(db, SOURCES[name], range.previous) : null,
  ]);
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

export async function workflowReport(db: Db, range: ReportRange, now: Date): Promise<WorkflowReport> {
  const all = ["all"];
  const [onboarding, launch, tracking, stages, firstPass, prescreen, [overdue]] = await Promise.all([
    series(db, "onboarding", range, all),
    series(db, "launch", range, all),
    series(db, "tracking", range, all),
    series(db, "stages", range, STAGE_NAMES),
    series(db, "firstPass", range, all),
    series(db, "prescreen", range, all),
    db
      .select({ n: count() })
      .from(reviewStages)
      .where(and(eq(reviewStages.status, "pending"), lt(reviewStages.dueAt, now))),
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

const hoursCell = (hours: number | null) => (hours === null ? "" : hours.toFixed(1));
const percentCell = (share: number | null) => (share === null ? "" : (share * 100).toFixed(1));

/**
 * One of the report's tables as CSV, a row per month and one per period
 * ("Whole range", and "Previous period" when compared): durations in hours,
 * rates in percent.
 */
export function workflowCsv(table: WorkflowTable, report: WorkflowReport, range: ReportRange): string {
  const labels = [
    ...report.months,
    `Whole range ${range.current.from} to ${range.current.to}`,
    ...(range.previous ? [`Previous period ${range.previous.from} to ${range.previous.to}`] : []),
  ];
  /** A series' figures in the period of `labels[i]`. */
  const pick = (s: MeasureSeries, i: number) => (i < report.months.length ? s.months[i]! : i === report.months.length ? s.current : (s.previous ?? NO_FIGURES));
  if (table === "onboarding") {
    return toCsv([
      [
        "Period",
        "Partners launched",
        "Time to onboard, median (hours)",
        "Time to onboard, 90th percentile (hours)",
        "Approval to first launch, median (hours)",
        "Approval to first launch, 90th percentile (hours)",
        TRACKING_VALIDATED_LABEL,
        `${TRACKING_VALIDATED_LABEL} (%)`,
      ],
      ...labels.map((label, i) => {
        const [onboarding, launch, tracking] = [pick(report.onboarding, i), pick(report.launch, i), pick(report.tracking, i)];
        return [
          label,
          launch.count,
          hoursCell(onboarding.medianHours),
          hoursCell(onboarding.p90Hours),
          hoursCell(launch.medianHours),
          hoursCell(launch.p90Hours),
          tracking.flagged,
          percentCell(tracking.rate),
        ];
      }),
    ]);
  }
  if (table === "review") {
    return toCsv([
      ["Stage", "Period", "Decisions", "Cycle time, median (hours)", "Cycle time, 90th percentile (hours)", "SLA breaches", "SLA breaches (%)"],
      ...report.stages.flatMap((stage) =>
        labels.map((label, i) => {
          const f = pick(stage.figures, i);
          return [stage.label, label, f.count, hoursCell(f.medianHours), hoursCell(f.p90Hours), f.flagged, percentCell(f.rate)];
        }),
      ),
    ]);
  }
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
    ...labels.map((label, i) => {
      const [f, p] = [pick(report.firstPass, i), pick(report.prescreen, i)];
      return [label, f.count, f.flagged, percentCell(f.rate), p.count, p.flagged, percentCell(p.rate)];
    }),
  ]);
}
