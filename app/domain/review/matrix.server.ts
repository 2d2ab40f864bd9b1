import { desc } from "drizzle-orm";
import { approvalMatrices } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { DEFAULT_MATRIX, type Matrix } from "./matrix";

/**
 * The matrix in force: the newest saved version, or version 0 (PRODUCT.md's
 * default) before an admin ever saved one. A submission is routed by this and
 * records its version.
 */
export async function currentMatrix(db: Db): Promise<Matrix & { createdAt: Date | null }> {
  const [row] = await db.select().from(approvalMatrices).orderBy(desc(approvalMatrices.version)).limit(1);
  if (!row) return { ...DEFAULT_MATRIX, version: 0, createdAt: null };
  return {
    version: row.version,
    rules: row.rules,
    mode: row.mode,
    slaHours: { ...DEFAULT_MATRIX.slaHours, ...row.slaHours },
    businessHours: { ...DEFAULT_MATRIX.businessHours, ...row.businessHours },
    createdAt: row.createdAt,
  };
}
