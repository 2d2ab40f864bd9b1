import type { LoaderFunctionArgs } from "@remix-run/node";
import { REPORT_READER_ROLES } from "~/domain/accounts/roles";
import { recordReportExport } from "~/domain/reports/exports.server";
import { parseReportRange } from "~/domain/reports/range.server";
import { TRUST_TABLES, trustCsv, trustTableOf } from "~/domain/reports/trust.server";
import { csvResponse } from "~/lib/csv.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { isPrefetch } from "~/lib/prefetch.server";

/**
 * One Brand & trust table (`?table=partners|incidents|coverage|health`,
 * partners by default) as formula-safe CSV, with the previous period's
 * columns (for coverage and health: at its end) unless `compare=none`.
 * Audited, unless it is a browser's prefetch; a bad range or table is a 400
 * with the reason.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, REPORT_READER_ROLES);
  const { db, clock } = context.app;
  const search = new URL(request.url).searchParams;
  const table = trustTableOf(search.get("table") ?? "partners");
  if (!table) return new Response(`Choose a table: ${TRUST_TABLES.join(", ")}.`, { status: 400 });
  const now = clock.now();
  const parsed = parseReportRange(search, now);
  if (!parsed.ok) return new Response(`${parsed.message} ${Object.values(parsed.errors).join(" ")}`, { status: 400 });
  const { range } = parsed;
  const csv = await trustCsv(db, table, range);
  if (!isPrefetch(request)) await recordReportExport(db, actorOf(user, context), { report: "trust", table, range, at: now });
  return csvResponse(csv, `trust-${table}-${range.current.from}-to-${range.current.to}.csv`);
}
