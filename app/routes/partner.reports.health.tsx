import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { healthAdvice } from "~/domain/partners/health-advice";
import { HEALTH_WINDOW_DAYS } from "~/domain/partners/health-score";
import { partnerHealthReport } from "~/domain/reports/health.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { formatDateTime } from "~/components/format";
import { HealthBadge, HealthComponents } from "~/components/health-parts";
import { ReportChart } from "~/components/reports/report-chart";
import { formatMonth } from "~/components/reports/report-chart-format";
import { ReportCsvLink } from "~/components/reports/report-parts";
import { Card, ChartIcon, EmptyState } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Health · Reports" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  // The session's organisation, in the partner's view: incidents count once they are shared with it.
  const report = await mapDomainErrors(partnerHealthReport(context.app.db, user.partnerOrgId, context.app.clock.now()), { context, request });
  return { asOf: report.asOf, health: report.health, trend: report.trend.map((p) => ({ period: p.period, score: p.score })) };
}

export default function PartnerHealthReport() {
  const { asOf, health, trend } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="muted small">
        As of {formatDateTime(asOf)}, over the last {HEALTH_WINDOW_DAYS} days. The brand team sees the same score, except that incidents count for you only once
        they are shared with you. <a href="#how">How it is worked out</a>
      </p>

      <section className="report-section" aria-labelledby="health-score">
        <div className="report-section__actions">
          <h2 id="health-score">Your health score</h2>
          <ReportCsvLink href="/partner/reports/health.csv?table=components" what="your health score's components" />
        </div>
        <div className="stat-grid stat-grid--report">
          <div className="stat">
            <p className="stat__label">Health score</p>
            <p className="stat__value">{health.scored ? <span className="tabular">{health.total} / 100</span> : "Not scored"}</p>
            <p className="stat__hint">{health.scored ? <HealthBadge score={health.total} /> : health.reason}</p>
          </div>
          {health.components.map((c) => (
            <div className="stat" key={c.key}>
              <p className="stat__label">{c.label}</p>
              <p className="stat__value tabular">{c.points === null ? "No data" : `${c.points} / ${c.max}`}</p>
            </div>
          ))}
        </div>
        <Card title="What it is made of, and how to raise it">
          <HealthComponents
            health={health}
            after={(component) => (
              <div className="health-advice">
                <p className="health-advice__title">What you can do</p>
                <ul className="health-advice__tips">
                  {healthAdvice(component).map((tip) => (
                    <li key={tip.text}>
                      {tip.text}
                      {tip.to ? (
                        <>
                          {" "}
                          <Link to={tip.to}>{tip.linkLabel}</Link>
                        </>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          />
        </Card>
      </section>

      <section className="report-section" aria-labelledby="health-trend">
        <div className="report-section__actions">
          <h2 id="health-trend">By month</h2>
          <ReportCsvLink href="/partner/reports/health.csv?table=trend" what="your health score by month" />
        </div>
        <Card title="Health score by month">
          <ReportChart
            title="Health score by month"
            summary={`Your health score at the end of each of the last ${trend.length} months, the last one as of now; months without a score leave a gap.`}
            xHeader="Month"
            currency="USD"
            points={trend.map((p) => ({ key: p.period, label: formatMonth(p.period), score: p.score }))}
            series={[{ key: "score", label: "Health score", kind: "line", format: "count" }]}
            empty={
              <EmptyState
                headingLevel={3}
                icon={<ChartIcon />}
                title="Not scored in these months yet"
                description="A partnership is scored once it is under way and enough of the score has data."
              />
            }
          />
        </Card>
      </section>

      <section className="report-section" aria-labelledby="how">
        <h2 id="how">How it is worked out</h2>
        <p>
          Four components, always shown with the score: performance (30 points), compliance (30), responsiveness (20) and policy currency (20). A part with
          nothing to count in the last {HEALTH_WINDOW_DAYS} days is left out rather than scored zero, and the total is the points of the parts with data over
          what they could give, out of 100. 75 or more is strong, 50 to 74 fair, under 50 at risk. Each month&apos;s score in the trend is worked out as things
          stood at its end.
        </p>
      </section>
    </>
  );
}
