import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordReportExport } from "~/domain/reports/exports.server";
import { parseReportRange } from "~/domain/reports/range.server";
import { PARTNER_WORKFLOW_TABLES, partnerWorkflowCsv, partnerWorkflowReport, partnerWorkflowTableOf } from "~/domain/reports/workflow.server";
import { csvResponse } from "~/lib/csv.server";
import { partnerActorOf, requirePartnerUser } from "~/lib/guards.server";
import { isPrefetch } from "~/lib/prefetch.server";

/**
 * One table of the partner's own Review report (`?table=review|quality|launch`,
 * review by default) as CSV: a row per month, then the whole range and the
 * previous period; the session's organisation only. Audited, unless it is a
 * browser's prefetch; a bad range or table is a 400 with the reason.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const { db, clock } = context.app;
  const search = new URL(request.url).searchParams;
  const table = partnerWorkflowTableOf(search.get("table") ?? "review");
  if (!table) return new Response(`Choose a table: ${PARTNER_WORKFLOW_TABLES.join(", ")}.`, { status: 400 });
  const now = clock.now();
  const parsed = parseReportRange(search, now);
  if (!parsed.ok) return new Response(`${parsed.message} ${Object.values(parsed.errors).join(" ")}`, { status: 400 });
  const { range } = parsed;
  const csv = partnerWorkflowCsv(table, await partnerWorkflowReport(db, user.partnerOrgId, range, now), range);
  if (!isPrefetch(request)) {
    await recordReportExport(db, partnerActorOf(user, context), { report: "partner-review", table, range, at: now, partnerOrgId: user.partnerOrgId });
  }
  return csvResponse(csv, `review-${table}-${range.current.from}-to-${range.current.to}.csv`);
}
