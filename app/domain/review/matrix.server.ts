import { and, count, desc, eq, sql } from "drizzle-orm";
import { approvalMatrices, auditEvents, users } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { CHANNEL_VALUES } from "../applications/catalog";
import { paginate, type Page } from "../pagination.server";
import { getProgramRules } from "../settings/program.server";
import { changedKeys, changedKeysOf, fromTo, lockVersionedSetting, refuseIfStale } from "../versioned-settings.server";
import { DEFAULT_MATRIX, type Matrix, type MatrixSettings } from "./matrix";
import type { MatrixChoices } from "./matrix-schema.server";

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

// Serialises saves, so two admins saving at once get consecutive numbers.
const APPROVAL_MATRIX_LOCK = 7_262_014;

/**
 * Saves the admin's matrix as the next numbered version, with what changed
 * (rules, mode, slaHours, businessHours) on record. `basedOn`, the version the
 * admin's form was filled from: when another save came in between, nothing
 * is saved (a conflict), so no one silently undoes a colleague's change. A
 * change applies to submissions from now on; versions in review keep the
 * stages they were routed to.
 */
export async function saveMatrix(
  ctx: AppContext,
  actor: Actor,
  settings: MatrixSettings,
  options: { basedOn?: number | null } = {},
): Promise<{ version: number; changed: string[] }> {
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    await lockVersionedSetting(tx, APPROVAL_MATRIX_LOCK);
    const { version: current, createdAt: _createdAt, ...previous } = await currentMatrix(tx);
    refuseIfStale("the approval matrix", current, options.basedOn);
    const next: MatrixSettings = { rules: settings.rules, mode: settings.mode, slaHours: settings.slaHours, businessHours: settings.businessHours };
    const changed = changedKeys(next, previous);
    if (!changed.length) return { version: current, changed };
    const version = current + 1;
    await tx.insert(approvalMatrices).values({ version, ...next, createdById: actor.id, createdAt: now });
    await recordAudit(tx, {
      actor,
      action: "review.matrix_updated",
      subjectType: "approval_matrix",
      subjectId: String(version),
      data: { version, changed, values: fromTo(changed, previous, next) },
      at: now,
    });
    return { version, changed };
  });
}

export const MATRIX_HISTORY_PAGE_SIZE = 10;

export type MatrixVersionRow = { version: number; createdAt: Date; createdByName: string | null; changed: string[] };

/**
 * The saved versions, newest first: when, by whom, and what each changed
 * (from its `review.matrix_updated` event, written in the same transaction).
 */
export async function matrixHistory(db: Db, page: number): Promise<Page<MatrixVersionRow>> {
  return paginate(
    page,
    MATRIX_HISTORY_PAGE_SIZE,
    async (limit, offset) => {
      const rows = await db
        .select({ version: approvalMatrices.version, createdAt: approvalMatrices.createdAt, createdByName: users.name, data: auditEvents.data })
        .from(approvalMatrices)
        .leftJoin(users, eq(users.id, approvalMatrices.createdById))
        .leftJoin(
          auditEvents,
          and(
            eq(auditEvents.subjectType, "approval_matrix"),
            eq(auditEvents.subjectId, sql`${approvalMatrices.version}::text`),
            eq(auditEvents.action, "review.matrix_updated"),
          ),
        )
        .orderBy(desc(approvalMatrices.version))
        .limit(limit)
        .offset(offset);
      return rows.map(({ data, ...row }) => ({ ...row, changed: changedKeysOf(data) }));
    },
    () => db.select({ n: count() }).from(approvalMatrices),
  );
}

/** Who saved the matrix in force; null before anyone did (version 0, the defaults). */
export async function matrixSavedBy(db: Db, version: number): Promise<{ createdAt: Date; createdByName: string | null } | null> {
  if (version === 0) return null;
  const [row] = await db
    .select({ createdAt: approvalMatrices.createdAt, createdByName: users.name })
    .from(approvalMatrices)
    .leftJoin(users, eq(users.id, approvalMatrices.createdById))
    .where(eq(approvalMatrices.version, version));
  return row ?? null;
}

/**
 * What a rule may name: the program's tiers and offered channels, plus any a
 * rule of `matrix` already names (a tier renamed or a channel no longer offered
 * since), so the matrix in force can always be saved back unchanged.
 */
export async function matrixChoices(db: Db, matrix: Pick<MatrixSettings, "rules">): Promise<MatrixChoices> {
  const program = await getProgramRules(db);
  const used = (key: "tiers" | "channels") => matrix.rules.flatMap((rule) => rule.when[key]);
  const channels = new Set<string>([...program.channelsOffered, ...used("channels")]);
  return {
    tiers: [...new Set([...program.partnerTiers, ...used("tiers")])],
    // In the catalogue's order, whatever order the program lists them in.
    channels: CHANNEL_VALUES.filter((channel) => channels.has(channel)),
  };
}
