import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { programCurrency } from "~/domain/conversions/stats.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { COUPON_CHANNEL } from "~/domain/reports/performance-keys";
import { PARTNER_PERFORMANCE_GROUPINGS, performanceSnapshot, snapshotTables, snapshotTotals, type PerformanceRow } from "~/domain/reports/performance.server";
import { parseReportRange, rangeQuery } from "~/domain/reports/range.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { InvalidRangeNotice } from "~/components/reports/range-picker";
import { performancePageParam, PerformanceReportView, type PerformanceTableText } from "~/components/reports/report-performance";

export const meta: MetaFunction = () => [{ title: "Performance · Reports" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const { db, clock } = context.app;
  const parsed = parseReportRange(new URL(request.url).searchParams, clock.now());
  if (!parsed.ok) return data({ ok: false as const, input: parsed.input, errors: parsed.errors, message: parsed.message }, { status: 400 });
  const { range, input } = parsed;
  // The session's organisation, never one named in the address.
  const scope = { organisationId: user.partnerOrgId };
  const currency = await programCurrency(db);
  // Read afresh on every view (the organisation's rollup rows are few), in one pass for the three tables and the totals.
  const snapshot = await performanceSnapshot(db, scope, range, currency, clock.now());
  return {
    ok: true as const,
    input,
    range,
    query: rangeQuery(input),
    currency,
    totals: snapshotTotals(snapshot),
    overTime: snapshot.overTime,
    tables: await snapshotTables(db, snapshot, PARTNER_PERFORMANCE_GROUPINGS, (grouping) => pageNumberFrom(request, performancePageParam(grouping))),
  };
}

const TABLES: Record<(typeof PARTNER_PERFORMANCE_GROUPINGS)[number], PerformanceTableText> = {
  creative: {
    title: "By creative",
    column: "Creative",
    empty: "None of your creatives' links had a click or a conversion in these dates. Evergreen links and coupon codes belong to no creative.",
  },
  channel: { title: "By channel", column: "Channel", empty: "None of your links or coupon codes had a click or a conversion in these dates." },
  link: { title: "By link", column: "Link", empty: "None of your links or coupon codes had a click or a conversion in these dates." },
};

/** A creative's or a link's name links to its page; a link's short code goes under it. */
function RowName({ grouping, row }: { grouping: keyof typeof TABLES; row: PerformanceRow }) {
  if (grouping === "creative") return <Link to={`/partner/creatives/${row.key}`}>{row.label}</Link>;
  if (grouping === "link" && row.key !== COUPON_CHANNEL) {
    return (
      <>
        <Link to={`/partner/links/${row.key}`}>{row.label}</Link>
        {row.detail ? <span className="report-cell__previous">{row.detail}</span> : null}
      </>
    );
  }
  return <>{row.label}</>;
}

export default function PartnerPerformanceReport() {
  const loaded = useLoaderData<typeof loader>();
  if (!loaded.ok) return <InvalidRangeNotice message={loaded.message} input={loaded.input} errors={loaded.errors} />;
  return (
    <PerformanceReportView
      {...loaded}
      heading="All your links and coupon codes"
      emptyChart="Choose a longer range, or share your links: the clicks and sales they bring appear here."
      text={TABLES}
      csvPath="/partner/reports/performance.csv"
      renderLabel={(grouping, row) => <RowName grouping={grouping} row={row} />}
    />
  );
}
