import type { LoaderFunctionArgs } from "@remix-run/node";
import { REPORT_READER_ROLES } from "~/domain/accounts/roles";
import { recordReportExport } from "~/domain/reports/exports.server";
import { parseReportRange } from "~/domain/reports/range.server";
import { WHOLE_PROGRAM } from "~/domain/reports/scope.server";
import { WORKFLOW_TABLES, workflowCsv, workflowReport, workflowTableOf } from "~/domain/reports/workflow.server";
import { csvResponse } from "~/lib/csv.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { isPrefetch } from "~/lib/prefetch.server";

/**
 * One Workflow table (`?table=onboarding|review|quality`, onboarding by
 * default) as CSV: a row per month, then the whole range and the previous
 * period. Audited, unless it is a browser's prefetch; a bad range or table is
 * a 400 with the reason.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, REPORT_READER_ROLES);
  const { db, clock } = context.app;
  const search = new URL(request.url).searchParams;
  const table = workflowTableOf(search.get("table") ?? "onboarding");
  if (!table) return new Response(`Choose a table: ${WORKFLOW_TABLES.join(", ")}.`, { status: 400 });
  const now = clock.now();
  const parsed = parseReportRange(search, now);
  if (!parsed.ok) return new Response(`${parsed.message} ${Object.values(parsed.errors).join(" ")}`, { status: 400 });
  const { range } = parsed;
  const csv = workflowCsv(table, await workflowReport(db, WHOLE_PROGRAM, range, now), range);
  if (!isPrefetch(request)) await recordReportExport(db, actorOf(user, context), { report: "workflow", table, range, at: now });
  return csvResponse(csv, `workflow-${table}-${range.current.from}-to-${range.current.to}.csv`);
}
