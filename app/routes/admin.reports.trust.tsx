import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { REPORT_READER_ROLES } from "~/domain/accounts/roles";
import { INCIDENT_KIND_LABELS, INCIDENT_SEVERITY_LABELS, type IncidentKind, type IncidentSeverity } from "~/domain/incidents/catalog";
import { partnerStatusLabel } from "~/domain/partners/catalog";
import { HEALTH_SNAPSHOT_LOOKBACK_DAYS } from "~/domain/partners/health-snapshots";
import { pageNumberFrom } from "~/domain/pagination.server";
import { parseReportRange, rangeQuery } from "~/domain/reports/range.server";
import { cachedTrustReport, trustPartnersPage, type TrustTable } from "~/domain/reports/trust.server";
import { requireInternalUser } from "~/lib/guards.server";
import { formatDate, formatDateTime } from "~/components/format";
import { HealthBadge } from "~/components/health-parts";
import { formatShare } from "~/components/link-parts";
import { Pagination } from "~/components/pagination";
import { InvalidRangeNotice, PrintedRange, RangePicker } from "~/components/reports/range-picker";
import { Compared, ComparedStat, ReportAsOf, ReportCsvLink, WasNote } from "~/components/reports/report-parts";
import { ReportChart, type ChartSeries } from "~/components/reports/report-chart";
import { Badge, Card, DataTable, EmptyState, ShieldIcon } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Brand & trust · Reports" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, REPORT_READER_ROLES);
  const { clock } = context.app;
  const parsed = parseReportRange(new URL(request.url).searchParams, clock.now());
  if (!parsed.ok) return data({ ok: false as const, input: parsed.input, errors: parsed.errors, message: parsed.message }, { status: 400 });
  const range = parsed.range;
  const report = await cachedTrustReport(context.app, range);
  const partners = trustPartnersPage(report, pageNumberFrom(request));
  return { ok: true as const, input: parsed.input, range, query: rangeQuery(parsed.input), summary: report.summary, partners, computedAt: report.computedAt };
}

/** Counts and shares only: the charts' money formatting never applies, so any currency code will do. */
const CURRENCY = "USD";

function CsvLink({ table, query, what }: { table: TrustTable; query: string; what: string }) {
  return <ReportCsvLink href={`/admin/reports/trust.csv?table=${table}&${query}`} what={what} />;
}

const kindsText = (byKind: Partial<Record<IncidentKind, number>>) =>
  (Object.entries(byKind) as [IncidentKind, number][])
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${INCIDENT_KIND_LABELS[kind].toLowerCase()}`)
    .join(", ");

const dayLabel = (day: string) => formatDate(`${day}T00:00:00Z`);

const BAND_SCORES = { strong: "75–100", fair: "50–74", at_risk: "0–49" } as const;

/**
 * Why the distribution at the end of the previous period is not beside now's:
 * no score kept yet, none kept that early, or a gap in the days before it.
 */
function healthGapText(then: string, keptSince: string | null, previousTo: string): string {
  const cannot = `so the distribution at ${then} cannot be shown beside this one`;
  if (keptSince === null) return `No scores have been kept yet (housekeeping keeps every partner's score once a day), ${cannot}.`;
  if (keptSince > previousTo) return `No scores were kept before ${dayLabel(keptSince)}, ${cannot}. Each partner's page shows its own score month by month.`;
  return `No scores were kept in the ${HEALTH_SNAPSHOT_LOOKBACK_DAYS} days up to ${then}, ${cannot}.`;
}

/** A version's coverage as the table reads it: "1 of 2 (50.0 %)". */
const coveredText = (c: { covered: number; partners: number; share: number | null }) => `${c.covered} of ${c.partners} (${formatShare(c.share)})`;

export default function TrustReport() {
  const loaded = useLoaderData<typeof loader>();
  if (!loaded.ok) return <InvalidRangeNotice message={loaded.message} input={loaded.input} errors={loaded.errors} />;
  const { input, range, query, summary, partners, computedAt } = loaded;
  const dates = `${range.current.from} to ${range.current.to}`;
  const compared = range.previous !== null;
  const previous = summary.previous;
  const previousHealth = summary.previousHealth;
  /** The moment coverage and health are compared at, in words: "the end of 31 Oct 2026". */
  const then = range.previous ? `the end of ${dayLabel(range.previous.to)}` : null;
  const count = { format: "count" as const, currency: CURRENCY, compared };
  const healthCount = { format: "count" as const, currency: CURRENCY, compared: previousHealth !== null };
  const severities: ChartSeries[] = (["critical", "high", "medium", "low"] as const).map((s) => ({
    key: s,
    label: INCIDENT_SEVERITY_LABELS[s],
    kind: "bar",
    format: "count",
  }));
  return (
    <>
      <RangePicker input={input} range={range} />
      <PrintedRange range={range} />
      <ReportAsOf computedAt={computedAt} />

      <section className="report-section" aria-labelledby="trust-compliance">
        <div className="report-section__actions">
          <h2 id="trust-compliance">Compliance by partner</h2>
          <CsvLink table="partners" query={query} what="compliance and incidents by partner" />
        </div>
        <div className="stat-grid stat-grid--report">
          <ComparedStat
            label="Compliance rate"
            current={summary.compliance.rate}
            previous={previous?.compliance.rate ?? null}
            format="share"
            currency={CURRENCY}
            compared={compared}
            hint={`${summary.compliance.compliant} of ${summary.compliance.counted} creatives approved as submitted, with no incident`}
          />
          <ComparedStat
            label="Partners with creatives decided"
            current={summary.compliance.partners}
            previous={previous?.compliance.partners ?? null}
            {...count}
          />
          <ComparedStat
            label="Incidents opened"
            current={summary.incidents.total}
            previous={previous?.incidents.total ?? null}
            lowerIsBetter
            {...count}
            hint={`${summary.incidents.bySeverity.critical} critical, ${summary.incidents.bySeverity.high} high`}
          />
          <ComparedStat
            label="Partners with incidents"
            current={summary.incidents.partners}
            previous={previous?.incidents.partners ?? null}
            lowerIsBetter
            {...count}
          />
        </div>
        <Card
          flush={partners.rows.length > 0}
          title="Partners, lowest compliance first"
          description={`Creatives whose first version was decided, and incidents opened, ${dates}${
            range.previous ? `, beside ${range.previous.from} to ${range.previous.to}` : ""
          }.`}
        >
          <DataTable
            caption="Compliance and incidents by partner"
            captionHidden
            columns={[
              { key: "partner", header: "Partner", rowHeader: true },
              { key: "health", header: "Health" },
              { key: "decided", header: "Creatives decided", align: "right" },
              { key: "rate", header: "Approved as submitted", align: "right" },
              { key: "incidents", header: "Incidents", align: "right" },
              { key: "kinds", header: "Kinds" },
            ]}
            rows={partners.rows}
            getRowKey={(r) => r.id}
            empty={
              <EmptyState
                headingLevel={3}
                icon={<ShieldIcon />}
                title={
                  compared
                    ? "No creatives decided and no incidents in these dates or the period before"
                    : "No creatives decided and no incidents in these dates"
                }
                description="Choose a longer range, or come back once reviewers have decided creatives."
              />
            }
            renderCell={(r, key) => {
              switch (key) {
                case "partner":
                  return (
                    <span className="stack stack--xs">
                      <Link to={`/admin/partners/${r.id}`}>{r.name}</Link>
                      <span className="muted text-sm">{partnerStatusLabel(r.status)}</span>
                    </span>
                  );
                case "health":
                  return <HealthBadge score={r.healthScore} />;
                case "decided":
                  return (
                    <span className="tabular">
                      <Compared current={r.counted} previous={r.previous?.counted ?? null} {...count} />
                    </span>
                  );
                case "rate":
                  return (
                    <span className="tabular">
                      {r.complianceRate === null ? <span className="muted">–</span> : `${formatShare(r.complianceRate)} (${r.compliant})`}
                      {r.previous ? (
                        <WasNote
                          current={r.complianceRate}
                          previous={r.previous.complianceRate}
                          format="share"
                          currency={CURRENCY}
                          previousText={r.previous.complianceRate === null ? "–" : `${formatShare(r.previous.complianceRate)} (${r.previous.compliant})`}
                        />
                      ) : null}
                    </span>
                  );
                case "incidents":
                  return (
                    <>
                      {r.incidents ? (
                        <span className="cluster cluster--sm">
                          {r.bySeverity.critical ? <Badge tone="danger">{r.bySeverity.critical} critical</Badge> : null}
                          {r.bySeverity.high ? <Badge tone="warning">{r.bySeverity.high} high</Badge> : null}
                          {r.bySeverity.medium ? <Badge tone="info">{r.bySeverity.medium} medium</Badge> : null}
                          {r.bySeverity.low ? <Badge>{r.bySeverity.low} low</Badge> : null}
                        </span>
                      ) : (
                        <span className="tabular">0</span>
                      )}
                      {r.previous ? <WasNote current={r.incidents} previous={r.previous.incidents} format="count" currency={CURRENCY} lowerIsBetter /> : null}
                    </>
                  );
                case "kinds":
                  return kindsText(r.byKind) || <span className="muted">None</span>;
                default:
                  return null;
              }
            }}
          />
          <Pagination page={partners.page} pageCount={partners.pageCount} labels={["← Previous", "Next →"]} />
        </Card>
      </section>

      <section className="report-section" aria-labelledby="trust-incidents">
        <div className="report-section__actions">
          <h2 id="trust-incidents">Incidents by kind and severity</h2>
          <CsvLink table="incidents" query={query} what="incidents by kind and severity" />
        </div>
        <div className="stat-grid stat-grid--report">
          {(["critical", "high", "medium", "low"] as const).map((s) => (
            <ComparedStat
              key={s}
              label={`${INCIDENT_SEVERITY_LABELS[s]} severity`}
              current={summary.incidents.bySeverity[s]}
              previous={previous?.incidents.bySeverity[s] ?? null}
              lowerIsBetter
              {...count}
            />
          ))}
        </div>
        <Card title="Incidents opened by kind">
          <ReportChart
            title="Incidents opened by kind and severity"
            summary={`Incidents opened ${dates}, by kind, one bar per severity: ${summary.incidents.total} in all.`}
            xHeader="Kind"
            currency={CURRENCY}
            points={summary.incidents.byKind.map((k) => ({ key: k.kind, label: k.label, ...k.bySeverity }))}
            series={severities}
            empty={
              <EmptyState headingLevel={3} icon={<ShieldIcon />} title="No incidents in these dates" description="Nothing was opened against a partner." />
            }
          />
        </Card>
        {previous ? (
          <Card
            flush={summary.incidents.total + previous.incidents.total > 0}
            title="Incidents by kind beside the previous period"
            description={`Opened ${dates}, each beside ${range.previous?.from} to ${range.previous?.to}.`}
          >
            <DataTable
              caption="Incidents by kind and severity beside the previous period"
              captionHidden
              columns={[
                { key: "kind", header: "Kind", rowHeader: true },
                ...(["critical", "high", "medium", "low"] as const).map((s) => ({ key: s, header: INCIDENT_SEVERITY_LABELS[s], align: "right" as const })),
                { key: "total", header: "All", align: "right" },
              ]}
              rows={summary.incidents.byKind.map((k, i) => ({ ...k, previous: previous.incidents.byKind[i]! })).filter((k) => k.total + k.previous.total > 0)}
              getRowKey={(k) => k.kind}
              empty={
                <EmptyState
                  headingLevel={3}
                  icon={<ShieldIcon />}
                  title="No incidents in either period"
                  description="Nothing was opened against a partner in these dates or the period before."
                />
              }
              renderCell={(k, key) =>
                key === "kind" ? (
                  k.label
                ) : (
                  <span className="tabular">
                    {key === "total" ? (
                      <Compared current={k.total} previous={k.previous.total} lowerIsBetter {...count} />
                    ) : (
                      <Compared
                        current={k.bySeverity[key as IncidentSeverity]}
                        previous={k.previous.bySeverity[key as IncidentSeverity]}
                        lowerIsBetter
                        {...count}
                      />
                    )}
                  </span>
                )
              }
            />
          </Card>
        ) : null}
      </section>

      <section className="report-section" aria-labelledby="trust-coverage">
        <div className="report-section__actions">
          <h2 id="trust-coverage">Policy acceptance coverage</h2>
          <CsvLink table="coverage" query={query} what="policy acceptance coverage per version" />
        </div>
        <Card
          title="Share of active partners covered, per policy version"
          description={`Where things stand now${then ? `, beside ${then}` : ", whatever the dates"}: a partner is covered for a version when every active member has accepted it.`}
        >
          <ReportChart
            title="Policy acceptance coverage per version"
            summary={`Share of active partners covered for each published policy version: ${summary.coverage
              .filter((c) => c.current)
              .map((c) => `${c.title} version ${c.number}, ${c.share === null ? "no active partners" : formatShare(c.share)}`)
              .join("; ")}.`}
            xHeader="Policy version"
            currency={CURRENCY}
            points={summary.coverage.map((c) => ({
              key: c.versionId,
              label: `${c.title} v${c.number}${c.current ? " (current)" : ""}`,
              share: c.share,
              ...(then ? { previousShare: c.previous?.share ?? null } : {}),
            }))}
            series={[
              { key: "share", label: then ? "Coverage now" : "Coverage", kind: "bar", format: "share" },
              ...(then ? [{ key: "previousShare", label: `Coverage at ${then}`, kind: "bar" as const, format: "share" as const }] : []),
            ]}
            empty={
              summary.coverage.length ? (
                <EmptyState
                  headingLevel={3}
                  icon={<ShieldIcon />}
                  title="No active partner is covered yet"
                  description="A partner counts once every active member has accepted the version. The table below lists each version."
                />
              ) : (
                <EmptyState headingLevel={3} icon={<ShieldIcon />} title="No policy published yet" description="Publish a policy to measure its acceptance." />
              )
            }
          />
          {summary.coverage.length ? (
            <DataTable
              caption="Active partners covered per policy version"
              captionHidden
              columns={[
                { key: "version", header: "Policy version", rowHeader: true },
                { key: "published", header: "Published" },
                { key: "covered", header: "Covered", align: "right" },
              ]}
              rows={summary.coverage}
              getRowKey={(c) => c.versionId}
              renderCell={(c, key) =>
                key === "version" ? (
                  `${c.title} v${c.number}${c.current ? " (current)" : ""}${c.material ? ", material" : ""}`
                ) : key === "published" ? (
                  formatDate(c.publishedAt)
                ) : (
                  <span className="tabular">
                    {coveredText(c)}
                    {then ? (
                      <WasNote
                        current={c.share}
                        previous={c.previous?.share ?? null}
                        format="share"
                        currency={CURRENCY}
                        previousText={c.previous ? coveredText(c.previous) : `not published yet at ${then}`}
                      />
                    ) : null}
                  </span>
                )
              }
            />
          ) : null}
          {summary.coverage.length ? (
            <p className="muted small">
              Published:{" "}
              {summary.coverage
                .filter((c) => c.current)
                .map((c) => `${c.title} v${c.number} on ${formatDate(c.publishedAt)}${c.material ? " (material)" : ""}`)
                .join("; ")}
              .
            </p>
          ) : null}
        </Card>
      </section>

      <section className="report-section" aria-labelledby="trust-health">
        <div className="report-section__actions">
          <h2 id="trust-health">Partner health</h2>
          <CsvLink table="health" query={query} what="the health score distribution" />
        </div>
        <div className="stat-grid stat-grid--report">
          {summary.health.bands.map((b, i) => (
            <ComparedStat
              key={b.band}
              label={b.label}
              current={b.partners}
              previous={previousHealth?.bands[i]?.partners ?? null}
              lowerIsBetter={b.band === "at_risk"}
              {...healthCount}
              hint={BAND_SCORES[b.band]}
            />
          ))}
          <ComparedStat
            label="Median score"
            current={summary.health.median}
            previous={previousHealth?.median ?? null}
            {...healthCount}
            hint={`${summary.health.notScored} not scored (onboarding or too little data)${previousHealth ? `, ${previousHealth.notScored} then` : ""}`}
          />
        </div>
        {then && !previousHealth ? <p className="muted small">{healthGapText(then, summary.healthKeptSince, range.previous!.to)}</p> : null}
        <Card
          title="Health score distribution"
          description={`Current scores of partners not terminated${summary.health.scoredAt ? `, computed ${formatDateTime(summary.health.scoredAt)} or later` : ""}${
            previousHealth
              ? `, beside the scores kept at ${then}${previousHealth.scoredAt ? ` (computed ${formatDateTime(previousHealth.scoredAt)} or later)` : ""}`
              : ""
          }. How scores are made: see any partner's page.`}
        >
          <ReportChart
            title="Health score distribution"
            summary={`Partners by current health score, in bands of ten: ${summary.health.scored} scored, median ${summary.health.median ?? "none"}${
              previousHealth ? `; at ${then}, ${previousHealth.scored} scored, median ${previousHealth.median ?? "none"}` : ""
            }.`}
            xHeader="Score"
            currency={CURRENCY}
            points={summary.health.buckets.map((b, i) => ({
              key: b.label,
              label: b.label,
              partners: b.partners,
              ...(previousHealth ? { previousPartners: previousHealth.buckets[i]?.partners ?? null } : {}),
            }))}
            series={[
              { key: "partners", label: previousHealth ? "Partners now" : "Partners", kind: "bar", format: "count" },
              ...(previousHealth ? [{ key: "previousPartners", label: `Partners at ${then}`, kind: "bar" as const, format: "count" as const }] : []),
            ]}
            empty={
              <EmptyState
                headingLevel={3}
                icon={<ShieldIcon />}
                title="No partner scored yet"
                description="Scores appear once partners have finished onboarding and have data."
              />
            }
          />
        </Card>
        <p className="muted small">
          Compliance: a creative counts when its first version was decided in these dates, and is compliant when that version was approved without required
          changes and no incident points at it. Incidents count when opened in these dates. Coverage is as it stands now{then ? ` and at ${then}` : ""}; health
          as it stands now{previousHealth ? ` and as kept at ${then}` : ""}.
        </p>
        {then ? (
          <p className="muted small">
            Coverage at {then} is recomputed from what the records keep: which versions were published, when each acceptance was made, when partners were
            activated, paused, resumed and terminated, and when members joined and were removed. A member removed and later invited back counts as a member
            throughout.
          </p>
        ) : null}
        {previousHealth ? (
          <p className="muted small">
            Health at {then} is each partner&apos;s score as housekeeping kept it once a day: the latest kept in the {HEALTH_SNAPSHOT_LOOKBACK_DAYS} days up to
            then, for the partners not terminated then.
          </p>
        ) : null}
      </section>
    </>
  );
}
