import { recordAuditNow, type Actor } from "~/lib/audit.server";
import type { Db } from "~/lib/db.server";
import type { ReportRange } from "./range";

/**
 * Puts a report table's download on the audit trail: which report and table,
 * which days (and the period compared with). Every tab's CSV records one,
 * like the partner performance exports (recordPerformanceExport).
 */
export function recordReportExport(db: Db, actor: Actor, input: { report: string; table: string; range: ReportRange; at: Date }): Promise<void> {
  return recordAuditNow(db, {
    actor,
    action: "reports.exported",
    subjectType: "program",
    subjectId: `report:${input.report}`,
    data: {
      report: input.report,
      table: input.table,
      from: input.range.current.from,
      to: input.range.current.to,
      ...(input.range.previous ? { compared_from: input.range.previous.from, compared_to: input.range.previous.to } : {}),
    },
    at: input.at,
  });
}
