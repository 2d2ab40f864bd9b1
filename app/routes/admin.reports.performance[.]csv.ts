import type { LoaderFunctionArgs } from "@remix-run/node";
import { REPORT_READER_ROLES } from "~/domain/accounts/roles";
import { programCurrency } from "~/domain/conversions/stats.server";
import { recordReportExport } from "~/domain/reports/exports.server";
import { PERFORMANCE_GROUPINGS, performanceCsv, performanceGroupingOf, performanceTableAll } from "~/domain/reports/performance.server";
import { parseReportRange } from "~/domain/reports/range.server";
import { WHOLE_PROGRAM } from "~/domain/reports/scope.server";
import { csvResponse } from "~/lib/csv.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { isPrefetch } from "~/lib/prefetch.server";

/**
 * One Performance table (`?table=partner|creative|channel|tier`, partner by default) as CSV, every
 * row, for the page's range and comparison. Audited, unless it is a browser's
 * prefetch; a bad range or table is a 400 with the reason.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, REPORT_READER_ROLES);
  const { db, clock } = context.app;
  const search = new URL(request.url).searchParams;
  const table = performanceGroupingOf(search.get("table") ?? "partner");
  if (!table) return new Response(`Choose a table: ${PERFORMANCE_GROUPINGS.join(", ")}.`, { status: 400 });
  const now = clock.now();
  const parsed = parseReportRange(search, now);
  if (!parsed.ok) return new Response(`${parsed.message} ${Object.values(parsed.errors).join(" ")}`, { status: 400 });
  const { range } = parsed;
  const currency = await programCurrency(db);
  const csv = performanceCsv(table, await performanceTableAll(db, WHOLE_PROGRAM, table, range, currency), range, currency);
  if (!isPrefetch(request)) await recordReportExport(db, actorOf(user, context), { report: "performance", table: table, range, at: now });
  return csvResponse(csv, `performance-by-${table}-${range.current.from}-to-${range.current.to}.csv`);
}
