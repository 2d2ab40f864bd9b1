import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { REPORT_READER_ROLES } from "~/domain/accounts/roles";
import { parseReportRange, rangeQuery } from "~/domain/reports/range.server";
import { WHOLE_PROGRAM } from "~/domain/reports/scope.server";
import { TRACKING_VALIDATED_LABEL } from "~/domain/reports/workflow-labels";
import { workflowReport, type MeasureFigures, type WorkflowTable } from "~/domain/reports/workflow.server";
import { requireInternalUser } from "~/lib/guards.server";
import { InvalidRangeNotice, PrintedRange, RangePicker } from "~/components/reports/range-picker";
import type { ChartSeries } from "~/components/reports/report-chart";
import { FirstTimeRates, MeasureStat, ReportCsvLink } from "~/components/reports/report-parts";
import { durationSeries, hoursOrDash, MonthlyChart, monthPoints, NoDataInRange, shareSeries, StageTimeChart } from "~/components/reports/workflow-charts";
import { ClockIcon, EmptyState } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Workflow · Reports" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, REPORT_READER_ROLES);
  const { db, clock } = context.app;
  const now = clock.now();
  const parsed = parseReportRange(new URL(request.url).searchParams, now);
  if (!parsed.ok) return data({ ok: false as const, input: parsed.input, errors: parsed.errors, message: parsed.message }, { status: 400 });
  return {
    ok: true as const,
    input: parsed.input,
    range: parsed.range,
    query: rangeQuery(parsed.input),
    report: await workflowReport(db, WHOLE_PROGRAM, parsed.range, now),
  };
}

function CsvLink({ table, query, what }: { table: WorkflowTable; query: string; what: string }) {
  return <ReportCsvLink href={`/admin/reports/workflow.csv?table=${table}&${query}`} what={what} />;
}

const Figure = MeasureStat<MeasureFigures>;

export default function WorkflowReport() {
  const loaded = useLoaderData<typeof loader>();
  if (!loaded.ok) return <InvalidRangeNotice message={loaded.message} input={loaded.input} errors={loaded.errors} />;
  const { input, range, query, report } = loaded;
  const byMonth = (build: (i: number) => Record<string, number | null>) => monthPoints(report.months, build);
  const dates = `${range.current.from} to ${range.current.to}`;
  return (
    <>
      <RangePicker input={input} range={range} />
      <PrintedRange range={range} />

      <section className="report-section" aria-labelledby="workflow-onboarding">
        <div className="report-section__actions">
          <h2 id="workflow-onboarding">Onboarding</h2>
          <CsvLink table="onboarding" query={query} what="onboarding by month" />
        </div>
        <div className="stat-grid stat-grid--report">
          <Figure label="Partners launched" series={report.launch} pick={(f) => f.count} format="count" hint="First live click in these dates" />
          <Figure
            label="Time to onboard, median"
            series={report.onboarding}
            pick={(f) => f.medianHours}
            format="hours"
            lowerIsBetter
            hint="Application to first live click"
          />
          <Figure label="Time to onboard, 90th percentile" series={report.onboarding} pick={(f) => f.p90Hours} format="hours" lowerIsBetter />
          <Figure label="Approval to first launch, median" series={report.launch} pick={(f) => f.medianHours} format="hours" lowerIsBetter />
          <Figure label="Approval to first launch, 90th percentile" series={report.launch} pick={(f) => f.p90Hours} format="hours" lowerIsBetter />
          <Figure
            label={TRACKING_VALIDATED_LABEL}
            series={report.tracking}
            pick={(f) => f.rate}
            format="share"
            hint="A test conversion matched a test click by the first live click"
          />
        </div>
        <MonthlyChart
          title="Time to onboard and to first launch by month"
          summary={`Median and 90th percentile hours from application, and from approval, to the first live click, by month, ${dates}.`}
          points={byMonth((i) => ({
            onboardMedian: report.onboarding.months[i]!.medianHours,
            onboardP90: report.onboarding.months[i]!.p90Hours,
            launchMedian: report.launch.months[i]!.medianHours,
            launchP90: report.launch.months[i]!.p90Hours,
          }))}
          series={[
            durationSeries("onboardMedian", "Time to onboard, median"),
            durationSeries("onboardP90", "Time to onboard, p90"),
            durationSeries("launchMedian", "Approval to launch, median"),
            durationSeries("launchP90", "Approval to launch, p90"),
          ]}
          empty={<NoDataInRange what="launches" />}
        />
      </section>

      <section className="report-section" aria-labelledby="workflow-review">
        <div className="report-section__actions">
          <h2 id="workflow-review">Creative review</h2>
          <CsvLink table="review" query={query} what="review stages by month" />
        </div>
        <div className="stat-grid stat-grid--report">
          {report.stages.flatMap((stage) => [
            <Figure
              key={`${stage.stage}-median`}
              label={`${stage.label} review, median`}
              series={stage.figures}
              pick={(f) => f.medianHours}
              format="hours"
              lowerIsBetter
              hint={`${stage.figures.current.count} decided; p90 ${hoursOrDash(stage.figures.current.p90Hours)}`}
            />,
            <Figure
              key={`${stage.stage}-breaches`}
              label={`${stage.label} SLA breaches`}
              series={stage.figures}
              pick={(f) => f.flagged}
              format="count"
              lowerIsBetter
            />,
          ])}
          <div className="stat">
            <p className="stat__label">Overdue now</p>
            <p className="stat__value">{report.overdueNow}</p>
            <p className="stat__hint">Open stages past their due time</p>
          </div>
        </div>
        <StageTimeChart
          title="Review cycle time by stage and month"
          summary={`Median and 90th percentile hours from a stage opening to its decision, per stage, by month, ${dates}.`}
          months={report.months}
          stages={report.stages}
          emptyWhat="review decisions"
        />
        <MonthlyChart
          title="SLA breaches by stage and month"
          summary={`Stage decisions made after their due time, per stage, by month, ${dates}.`}
          points={byMonth((i) => Object.fromEntries(report.stages.flatMap((stage) => [[stage.stage, stage.figures.months[i]!.flagged]])))}
          series={report.stages.map((stage): ChartSeries => ({ key: stage.stage, label: `${stage.label} breaches`, kind: "bar", format: "count" }))}
          empty={
            <EmptyState
              headingLevel={3}
              icon={<ClockIcon />}
              title="No SLA breaches in these dates"
              description="Every stage decided in these dates met its due time."
            />
          }
        />
      </section>

      <section className="report-section" aria-labelledby="workflow-quality">
        <div className="report-section__actions">
          <h2 id="workflow-quality">Getting it right first time</h2>
          <CsvLink table="quality" query={query} what="first-pass and pre-screen rates by month" />
        </div>
        <FirstTimeRates firstPass={report.firstPass} prescreen={report.prescreen} />
        <MonthlyChart
          title="First-pass, pre-screen and tracking rates by month"
          summary={`First-pass approval rate, pre-screen first-try pass rate and the share of launches with tracking validated, by month, ${dates}.`}
          points={byMonth((i) => ({
            firstPass: report.firstPass.months[i]!.rate,
            prescreen: report.prescreen.months[i]!.rate,
            tracking: report.tracking.months[i]!.rate,
          }))}
          series={[
            shareSeries("firstPass", "First-pass approval"),
            shareSeries("prescreen", "Pre-screen first try"),
            shareSeries("tracking", "Tracking validated"),
          ]}
          empty={<NoDataInRange what="submissions or launches" />}
        />
        <p className="muted small">
          Months are calendar months in UTC. Durations are wall-clock time. A breach is a stage decided after its due time. First-pass: version 1 approved
          without changes. Tracking validated: a test conversion matched one of the partner&apos;s test clicks no later than its first live click.
        </p>
      </section>
    </>
  );
}
