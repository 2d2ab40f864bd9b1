import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { AuditAction } from "~/lib/audit-actions";
import { auditEvents } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { DomainError } from "../errors";

/** At most one resend of an invitation per 5 minutes… */
export const RESEND_INTERVAL_MS = 5 * 60 * 1000;
/** …and five in any 24 hours: enough for a lost email, too few to flood an inbox. */
export const RESENDS_PER_DAY = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How one invitation's resends are recorded on the audit trail. A resend
 * replaces the invitation's token (and its id), so the trail — not the token
 * row — is what stays the same across resends. Counting the trail keeps the
 * limit in the database, shared by every instance, and exact: each resend
 * writes its event in the transaction that sends the email.
 */
export type ResendTrail = { action: AuditAction; subjectType: string; subjectId: string; partnerOrgId: string | null };

/** The trail's events since a time, oldest first. */
export function recentEvents(tx: Db, trail: ResendTrail, since: Date) {
  return tx
    .select({ occurredAt: auditEvents.occurredAt, data: auditEvents.data })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.subjectType, trail.subjectType),
        eq(auditEvents.subjectId, trail.subjectId),
        eq(auditEvents.action, trail.action),
        trail.partnerOrgId ? eq(auditEvents.partnerOrgId, trail.partnerOrgId) : isNull(auditEvents.partnerOrgId),
        gt(auditEvents.occurredAt, since),
      ),
    )
    .orderBy(asc(auditEvents.occurredAt));
}

const inWords = (ms: number) => {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  if (minutes < 60) return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? "1 hour" : `${hours} hours`;
};

/**
 * Refuses (429) a resend that comes within 5 minutes of the previous one, or
 * beyond five in 24 hours, saying when it can be sent. Call it in the resend's
 * transaction after locking the invitation, so two resends at once take turns
 * and the second sees the first's event.
 */
export async function assertResendAllowed(tx: Db, trail: ResendTrail, now: Date): Promise<void> {
  const recent = await recentEvents(tx, trail, new Date(now.getTime() - DAY_MS));
  const latest = recent.at(-1);
  if (latest) {
    const wait = latest.occurredAt.getTime() + RESEND_INTERVAL_MS - now.getTime();
    if (wait > 0) throw new DomainError(`You can resend this invitation in ${inWords(wait)}.`, { kind: "rate_limited" });
  }
  if (recent.length >= RESENDS_PER_DAY) {
    const wait = recent[recent.length - RESENDS_PER_DAY]!.occurredAt.getTime() + DAY_MS - now.getTime();
    throw new DomainError(`This invitation was resent ${RESENDS_PER_DAY} times in the last 24 hours. You can resend it in ${inWords(wait)}.`, {
      kind: "rate_limited",
    });
  }
}
