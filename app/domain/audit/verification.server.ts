import { eq } from "drizzle-orm";
import { instanceSettings } from "#db/schema/index";
import { verifyAuditTrail, type AuditTrailVerification } from "~/lib/audit-checkpoints.server";
import { recordAudit, type Actor } from "~/lib/audit.server";
import { transaction, type Db } from "~/lib/db.server";
import type { StorageDriver } from "~/lib/storage/types";
import { LastVerificationSchema, type LastVerification } from "./schemas.server";

const LAST_VERIFICATION_KEY = "audit.last_verification";

function summaryOf(result: AuditTrailVerification): Pick<LastVerification, "ok" | "chain" | "checkpoint"> {
  const { chain, checkpoint } = result;
  return {
    ok: result.ok,
    chain: chain.ok ? { ok: true, checked: chain.checked, unkeyed: chain.unkeyed } : { ok: false, checked: chain.checked, brokenId: chain.brokenId, reason: chain.reason },
    checkpoint:
      checkpoint.status === "none"
        ? { status: "none" }
        : checkpoint.status === "ok"
          ? { status: "ok", rowCount: checkpoint.checkpoint.rowCount, headId: checkpoint.checkpoint.headId, writtenAt: checkpoint.checkpoint.writtenAt }
          : { status: "failed", reason: checkpoint.reason },
  };
}

/**
 * Verifies the chain and the newest checkpoint, then records the result as
 * the installation's last check (shown at the top of the viewer) together
 * with an `audit.verified` event, in one transaction. The walk itself only
 * reads; it runs before the transaction so no lock is held while it does.
 */
export async function verifyAndRecordAuditTrail(
  app: { db: Db; storage: StorageDriver },
  actor: Actor & { name: string | null },
  now: () => Date = () => new Date(),
): Promise<LastVerification> {
  const result = await verifyAuditTrail(app.db, app.storage);
  const record: LastVerification = { checkedAt: now().toISOString(), by: { id: actor.id, label: actor.label, name: actor.name }, ...summaryOf(result) };
  await transaction(app.db, async (tx) => {
    const value = JSON.stringify(record);
    await tx
      .insert(instanceSettings)
      .values({ key: LAST_VERIFICATION_KEY, value })
      .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: new Date(record.checkedAt) } });
    await recordAudit(tx, {
      actor,
      action: "audit.verified",
      subjectType: "audit_trail",
      data: {
        result: record.ok ? "intact" : "broken",
        entriesChecked: record.chain.checked,
        ...(record.chain.ok ? {} : { brokenEntry: record.chain.brokenId }),
        checkpoint: record.checkpoint.status,
      },
    });
  });
  return record;
}

/** The last recorded check, or null before the first (or if the stored value is not one this code wrote). */
export async function lastAuditVerification(db: Db): Promise<LastVerification | null> {
  const [row] = await db.select({ value: instanceSettings.value }).from(instanceSettings).where(eq(instanceSettings.key, LAST_VERIFICATION_KEY));
  if (!row) return null;
  try {
    const parsed = LastVerificationSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
