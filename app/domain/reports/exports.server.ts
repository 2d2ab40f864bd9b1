import { recordAuditNow, type Actor } from "~/lib/audit.server";
import type { Db } from "~/lib/db.server";
import type { ReportRange } from "./range";

/**
 * Puts a report table's download on the audit trail: which report and table,
 * which days (and the period compared with). Every tab's CSV records one,
 * like the partner performance exports (recordPerformanceExport). A partner's
 * own report names its organisation (`partnerOrgId`), so the export shows
 * under that partner in the audit viewer; the health score's tables are "as
 * of" the moment of the export and have no range.
 */
export function recordReportExport(
  db: Db,
  actor: Actor,
  input: { report: string; table: string; range: ReportRange | null; at: Date; partnerOrgId?: string },
): Promise<void> {
  const { range } = input;
  return recordAuditNow(db, {
    actor,
    action: "reports.exported",
    subjectType: "program",
    subjectId: `report:${input.report}`,
    partnerOrgId: input.partnerOrgId ?? null,
    data: {
      report: input.report,
      table: input.table,
      ...(range ? { from: range.current.from, to: range.current.to } : {}),
      ...(range?.previous ? { compared_from: range.previous.from, compared_to: range.previous.to } : {}),
    },
    at: input.at,
  });
}
