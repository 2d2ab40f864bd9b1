import { toCsv } from "~/lib/csv.server";
import type { Db } from "~/lib/db.server";
import { NotFoundError } from "../errors";
import { HEALTH_BAND_LABELS, healthBandOf, type HealthScore } from "../partners/health-score";
import { partnerHealth, partnerHealthTrend, type HealthTrendPoint } from "../partners/health-score.server";

// The Health tab of a partner's own Reports: its health score now, with
// components, and the monthly trend, as the partner's view counts them
// (decision 026: incidents only once shared with it), from the same
// functions as the partner's home and the brand's partner page.

export const PARTNER_HEALTH_TABLES = ["components", "trend"] as const;
export type PartnerHealthTable = (typeof PARTNER_HEALTH_TABLES)[number];

/** The table a CSV link names (`?table=`), or null for anything else. */
export const partnerHealthTableOf = (value: string | null): PartnerHealthTable | null => PARTNER_HEALTH_TABLES.find((table) => table === value) ?? null;

export type PartnerHealthReport = { asOf: Date; health: HealthScore; trend: HealthTrendPoint[] };

/** One organisation's score and trend as of `now`, in the partner's view. */
export async function partnerHealthReport(db: Db, organisationId: string, now: Date): Promise<PartnerHealthReport> {
  const [health, trend] = await Promise.all([partnerHealth(db, organisationId, now, "partner"), partnerHealthTrend(db, organisationId, now, "partner")]);
  if (!health) throw new NotFoundError("Partner not found.");
  return { asOf: now, health, trend };
}

/**
 * A table of the Health tab as CSV: the components part by part (points, out
 * of, what was counted) and the total, or the trend month by month with the
 * moment each score is as of.
 */
export function partnerHealthCsv(table: PartnerHealthTable, report: PartnerHealthReport): string {
  if (table === "trend") {
    return toCsv([["Month", "Score", "As of"], ...report.trend.map((p) => [p.period, p.score ?? "", p.asOf.toISOString()])]);
  }
  const { health } = report;
  return toCsv([
    ["Component", "Part", "Points", "Out of", "What it counted"],
    ...health.components.flatMap((c) => c.parts.map((p) => [c.label, p.label, p.points ?? "No data", p.max, p.reason])),
    ["Total", "", health.scored ? health.total : "", 100, health.scored ? HEALTH_BAND_LABELS[healthBandOf(health.total)] : health.reason],
  ]);
}
