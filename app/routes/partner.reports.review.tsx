import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { parseReportRange, rangeQuery } from "~/domain/reports/range.server";
import { PRESCREEN_FIRST_TIME_LABEL, TRACKING_VALIDATED_LABEL } from "~/domain/reports/workflow-labels";
import { partnerWorkflowReport, type DurationFigures, type MeasureFigures, type PartnerWorkflowTable } from "~/domain/reports/workflow.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { InvalidRangeNotice, PrintedRange, RangePicker } from "~/components/reports/range-picker";
import { FirstTimeRates, MeasureStat, ReportCsvLink } from "~/components/reports/report-parts";
import { hoursOrDash, MonthlyChart, monthPoints, NoDataInRange, shareSeries, StageTimeChart } from "~/components/reports/workflow-charts";

export const meta: MetaFunction = () => [{ title: "Review · Reports" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const { db, clock } = context.app;
  const now = clock.now();
  const parsed = parseReportRange(new URL(request.url).searchParams, now);
  if (!parsed.ok) return data({ ok: false as const, input: parsed.input, errors: parsed.errors, message: parsed.message }, { status: 400 });
  // The session's organisation, and only what a partner reads of review: durations and outcomes, no deadlines, reviewers or notes.
  const report = await partnerWorkflowReport(db, user.partnerOrgId, parsed.range, now);
  return { ok: true as const, input: parsed.input, range: parsed.range, query: rangeQuery(parsed.input), report };
}

function CsvLink({ table, query, what }: { table: PartnerWorkflowTable; query: string; what: string }) {
  return <ReportCsvLink href={`/partner/reports/review.csv?table=${table}&${query}`} what={what} />;
}

const Figure = MeasureStat<MeasureFigures>;
const Duration = MeasureStat<DurationFigures>;

export default function PartnerReviewReport() {
  const loaded = useLoaderData<typeof loader>();
  if (!loaded.ok) return <InvalidRangeNotice message={loaded.message} input={loaded.input} errors={loaded.errors} />;
  const { input, range, query, report } = loaded;
  const dates = `${range.current.from} to ${range.current.to}`;
  return (
    <>
      <RangePicker input={input} range={range} />
      <PrintedRange range={range} />

      <section className="report-section" aria-labelledby="review-cycle">
        <div className="report-section__actions">
          <h2 id="review-cycle">How long review takes</h2>
          <CsvLink table="review" query={query} what="review time by stage and month" />
        </div>
        <div className="stat-grid stat-grid--report">
          {report.stages.map((stage) => (
            <Duration
              key={stage.stage}
              label={`${stage.label} review, median`}
              series={stage.figures}
              pick={(f) => f.medianHours}
              format="hours"
              lowerIsBetter
              hint={`${stage.figures.current.count} decided; 90th percentile ${hoursOrDash(stage.figures.current.p90Hours)}`}
            />
          ))}
        </div>
        <StageTimeChart
          title="Review time by stage and month"
          summary={`Median and 90th percentile hours from a review stage opening on your creative to its decision, per stage, by month, ${dates}.`}
          months={report.months}
          stages={report.stages}
          emptyWhat="review decisions on your creatives"
        />
        <p className="muted small">
          From a stage opening on a version you submitted to its decision, wall-clock time. A stage an earlier version already passed is not counted again.
        </p>
      </section>

      <section className="report-section" aria-labelledby="review-quality">
        <div className="report-section__actions">
          <h2 id="review-quality">Getting it right first time</h2>
          <CsvLink table="quality" query={query} what="first-pass and pre-screen rates by month" />
        </div>
        <FirstTimeRates firstPass={report.firstPass} prescreen={report.prescreen} />
        <MonthlyChart
          title="First-pass and pre-screen rates by month"
          summary={`The share of your first versions approved as submitted, and of your versions that passed the pre-screen first time, by month, ${dates}.`}
          points={monthPoints(report.months, (i) => ({ firstPass: report.firstPass.months[i]!.rate, prescreen: report.prescreen.months[i]!.rate }))}
          series={[shareSeries("firstPass", "First-pass approval"), shareSeries("prescreen", PRESCREEN_FIRST_TIME_LABEL)]}
          empty={<NoDataInRange what="submissions" />}
        />
        <p className="muted small">
          First-pass: version 1 approved without changes (withdrawn creatives are left out). The pre-screen checks your copy, claims and file before you submit;{" "}
          <Link to="/partner/creatives/new">run it on a new creative</Link> and fix what it finds to pass first time.
        </p>
      </section>

      <section className="report-section" aria-labelledby="review-launch">
        <div className="report-section__actions">
          <h2 id="review-launch">Your launch</h2>
          <CsvLink table="launch" query={query} what="approval to first launch by month" />
        </div>
        <div className="stat-grid stat-grid--report">
          <Figure
            label="Approval to first launch"
            series={report.launch}
            pick={(f) => f.medianHours}
            format="hours"
            lowerIsBetter
            hint={report.launch.current.count ? "Your approval to your first live click" : "Your first live click was not in these dates"}
          />
          <Figure
            label={TRACKING_VALIDATED_LABEL}
            series={report.tracking}
            pick={(f) => f.rate}
            format="share"
            hint="A test conversion matched one of your test clicks by your first live click"
          />
        </div>
      </section>
    </>
  );
}
