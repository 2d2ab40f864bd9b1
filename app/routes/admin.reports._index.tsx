import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { REPORT_READER_ROLES } from "~/domain/accounts/roles";
import { programCurrency } from "~/domain/conversions/stats.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { cachedPerformanceSnapshot, PERFORMANCE_GROUPINGS, snapshotTables, snapshotTotals } from "~/domain/reports/performance.server";
import { parseReportRange, rangeQuery } from "~/domain/reports/range.server";
import { requireInternalUser } from "~/lib/guards.server";
import { InvalidRangeNotice } from "~/components/reports/range-picker";
import { performancePageParam, PerformanceReportView, type PerformanceTableText } from "~/components/reports/report-performance";

export const meta: MetaFunction = () => [{ title: "Performance · Reports" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, REPORT_READER_ROLES);
  const { db, clock } = context.app;
  const parsed = parseReportRange(new URL(request.url).searchParams, clock.now());
  if (!parsed.ok) return data({ ok: false as const, input: parsed.input, errors: parsed.errors, message: parsed.message }, { status: 400 });
  const { range, input } = parsed;
  const currency = await programCurrency(db);
  const snapshot = await cachedPerformanceSnapshot(context.app, range, currency);
  return {
    ok: true as const,
    input,
    range,
    query: rangeQuery(input),
    currency,
    computedAt: snapshot.computedAt,
    totals: snapshotTotals(snapshot),
    overTime: snapshot.overTime,
    tables: await snapshotTables(db, snapshot, PERFORMANCE_GROUPINGS, (grouping) => pageNumberFrom(request, performancePageParam(grouping))),
  };
}

const TABLES: Record<(typeof PERFORMANCE_GROUPINGS)[number], PerformanceTableText> = {
  partner: { title: "By partner", column: "Partner", empty: "No partner had a click or a conversion in these dates." },
  creative: { title: "By creative", column: "Creative", empty: "No creative's links had a click or a conversion in these dates." },
  channel: { title: "By channel", column: "Channel", empty: "No channel had a click or a conversion in these dates." },
  tier: { title: "By tier", column: "Tier", empty: "No tier had a click or a conversion in these dates." },
};

export default function PerformanceReport() {
  const loaded = useLoaderData<typeof loader>();
  if (!loaded.ok) return <InvalidRangeNotice message={loaded.message} input={loaded.input} errors={loaded.errors} />;
  return (
    <PerformanceReportView
      {...loaded}
      heading="The whole program"
      emptyChart="Choose a longer range, or come back once partners' links are live."
      text={TABLES}
      csvPath="/admin/reports/performance.csv"
    />
  );
}
