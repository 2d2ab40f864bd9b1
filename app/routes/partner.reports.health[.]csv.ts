import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordReportExport } from "~/domain/reports/exports.server";
import { PARTNER_HEALTH_TABLES, partnerHealthCsv, partnerHealthReport, partnerHealthTableOf } from "~/domain/reports/health.server";
import { csvResponse } from "~/lib/csv.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { partnerActorOf, requirePartnerUser } from "~/lib/guards.server";
import { isPrefetch } from "~/lib/prefetch.server";

/**
 * One table of the partner's own Health tab (`?table=components|trend`,
 * components by default) as CSV, as of now: the session's organisation only,
 * in the partner's view. Audited, unless it is a browser's prefetch; an
 * unknown table is a 400.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const { db, clock } = context.app;
  const table = partnerHealthTableOf(new URL(request.url).searchParams.get("table") ?? "components");
  if (!table) return new Response(`Choose a table: ${PARTNER_HEALTH_TABLES.join(", ")}.`, { status: 400 });
  const now = clock.now();
  const report = await mapDomainErrors(partnerHealthReport(db, user.partnerOrgId, now), { context, request });
  const csv = partnerHealthCsv(table, report);
  if (!isPrefetch(request)) {
    await recordReportExport(db, partnerActorOf(user, context), { report: "partner-health", table, range: null, at: now, partnerOrgId: user.partnerOrgId });
  }
  return csvResponse(csv, `health-${table}-${now.toISOString().slice(0, 10)}.csv`);
}
