import { eq } from "drizzle-orm";
import { instanceSettings } from "#db/schema/index";
import { verifyAuditTrail, type AuditTrailVerification } from "~/lib/audit-checkpoints.server";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { LastVerificationSchema, type LastVerification } from "./schemas.server";

const LAST_VERIFICATION_KEY = "audit.last_verification";

function summaryOf(result: AuditTrailVerification): Pick<LastVerification, "ok" | "chain" | "checkpoint"> {
  const { chain, checkpoint } = result;
  return {
    ok: result.ok,
    chain: chain.ok
      ? { ok: true, checked: chain.checked, unkeyed: chain.unkeyed }
      : { ok: false, checked: chain.checked, brokenId: chain.brokenId, reason: chain.reason },
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
  app: Pick<AppContext, "db" | "storage" | "clock">,
  actor: Actor & { name: string | null },
): Promise<LastVerification> {
  const result = await verifyAuditTrail(app.db, app.storage);
  // Read after the walk: the check is as of when it finished.
  const checkedAt = app.clock.now();
  const record: LastVerification = { checkedAt: checkedAt.toISOString(), by: { id: actor.id, label: actor.label, name: actor.name }, ...summaryOf(result) };
  await transaction(app.db, async (tx) => {
    const value = JSON.stringify(record);
    await tx
      .insert(instanceSettings)
      .values({ key: LAST_VERIFICATION_KEY, value })
      .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: checkedAt } });
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
      at: checkedAt,
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
