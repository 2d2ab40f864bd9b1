import type { LoaderFunctionArgs } from "@remix-run/node";
import { programCurrency } from "~/domain/conversions/stats.server";
import { recordReportExport } from "~/domain/reports/exports.server";
import { PARTNER_PERFORMANCE_GROUPINGS, performanceCsv, performanceGroupingOf, performanceTableAll } from "~/domain/reports/performance.server";
import { parseReportRange } from "~/domain/reports/range.server";
import { csvResponse } from "~/lib/csv.server";
import { partnerActorOf, requirePartnerUser } from "~/lib/guards.server";
import { isPrefetch } from "~/lib/prefetch.server";

/**
 * One table of the partner's own Performance report (`?table=creative|channel|link`, creative by default) as CSV,
 * every row, for the page's range and comparison: the session's organisation
 * only, whatever the address says. Audited, unless it is a browser's
 * prefetch; a bad range or table is a 400 with the reason.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const { db, clock } = context.app;
  const search = new URL(request.url).searchParams;
  const table = performanceGroupingOf(search.get("table") ?? "creative", PARTNER_PERFORMANCE_GROUPINGS);
  if (!table) return new Response(`Choose a table: ${PARTNER_PERFORMANCE_GROUPINGS.join(", ")}.`, { status: 400 });
  const now = clock.now();
  const parsed = parseReportRange(search, now);
  if (!parsed.ok) return new Response(`${parsed.message} ${Object.values(parsed.errors).join(" ")}`, { status: 400 });
  const { range } = parsed;
  const currency = await programCurrency(db);
  const rows = await performanceTableAll(db, { organisationId: user.partnerOrgId }, table, range, currency);
  const csv = performanceCsv(table, rows, range, currency);
  if (!isPrefetch(request)) {
    await recordReportExport(db, partnerActorOf(user, context), {
      report: "partner-performance",
      table,
      range,
      at: now,
      partnerOrgId: user.partnerOrgId,
    });
  }
  return csvResponse(csv, `performance-by-${table}-${range.current.from}-to-${range.current.to}.csv`);
}
