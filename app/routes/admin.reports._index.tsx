import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { REPORT_READER_ROLES } from "~/domain/accounts/roles";
import { programCurrency } from "~/domain/conversions/stats.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { cachedPerformanceSnapshot, PERFORMANCE_GROUPINGS, snapshotTable, snapshotTotals } from "~/domain/reports/performance.server";
import { parseReportRange, rangeQuery } from "~/domain/reports/range.server";
import { requireInternalUser } from "~/lib/guards.server";
import { InvalidRangeNotice, PrintedRange, RangePicker } from "~/components/reports/range-picker";
import { ReportAsOf } from "~/components/reports/report-parts";
import { performancePageParam, PerformanceSummary, PerformanceTable } from "~/components/reports/report-performance";

export const meta: MetaFunction = () => [{ title: "Performance · Reports" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, REPORT_READER_ROLES);
  const { db, clock } = context.app;
  const parsed = parseReportRange(new URL(request.url).searchParams, clock.now());
  if (!parsed.ok) return data({ ok: false as const, input: parsed.input, errors: parsed.errors, message: parsed.message }, { status: 400 });
  const { range, input } = parsed;
  const currency = await programCurrency(db);
  const snapshot = await cachedPerformanceSnapshot(context.app, range, currency);
  const tables = await Promise.all(
    PERFORMANCE_GROUPINGS.map((grouping) => snapshotTable(db, snapshot, grouping, pageNumberFrom(request, performancePageParam(grouping)))),
  );
  return {
    ok: true as const,
    input,
    range,
    query: rangeQuery(input),
    currency,
    computedAt: snapshot.computedAt,
    totals: snapshotTotals(snapshot),
    overTime: snapshot.overTime,
    tables: PERFORMANCE_GROUPINGS.map((grouping, index) => ({ grouping, page: tables[index]! })),
  };
}

const TABLES: Record<(typeof PERFORMANCE_GROUPINGS)[number], { title: string; column: string; empty: string }> = {
  partner: { title: "By partner", column: "Partner", empty: "No partner had a click or a conversion in these dates." },
  creative: { title: "By creative", column: "Creative", empty: "No creative's links had a click or a conversion in these dates." },
  channel: { title: "By channel", column: "Channel", empty: "No channel had a click or a conversion in these dates." },
  tier: { title: "By tier", column: "Tier", empty: "No tier had a click or a conversion in these dates." },
};

export default function PerformanceReport() {
  const loaded = useLoaderData<typeof loader>();
  if (!loaded.ok) return <InvalidRangeNotice message={loaded.message} input={loaded.input} errors={loaded.errors} />;
  const { input, range, query, currency, totals, overTime, tables, computedAt } = loaded;
  const compared = range.previous !== null;
  return (
    <>
      <RangePicker input={input} range={range} />
      <PrintedRange range={range} />
      <ReportAsOf computedAt={computedAt} />
      <PerformanceSummary
        heading="The whole program"
        totals={totals}
        overTime={overTime}
        range={range}
        currency={currency}
        emptyChart="Choose a longer range, or come back once partners' links are live."
      />
      {tables.map(({ grouping, page }) => (
        <section className="report-section" key={grouping}>
          <PerformanceTable
            grouping={grouping}
            page={page}
            {...TABLES[grouping]}
            csvHref={`/admin/reports/performance.csv?table=${grouping}&${query}`}
            currency={currency}
            compared={compared}
          />
        </section>
      ))}
    </>
  );
}
