import { and, asc, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import { creatives, partnerOrganisations, reviewStages, users } from "#db/schema/index";
import { recordAudit, SYSTEM_ACTOR } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { enqueueEmail } from "~/lib/outbox.server";
import { creativeStageOverdueEmail } from "../notifications/emails.server";
import { emailSender } from "./decisions.server";
import { stageLabel } from "./matrix";
import { dueLabel } from "./sla";

/** An overdue stage is reminded about once when it passes its due time, then once a day while it stays open. */
export const REMINDER_INTERVAL_MS = 24 * 60 * 60 * 1000;
// Stages reminded per transaction: a backlog goes out in several, none holding many locks for long.
const BATCH = 100;

async function activeAddresses(tx: Db, where: ReturnType<typeof eq>): Promise<{ id: string; email: string; name: string }[]> {
  return tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(where, eq(users.status, "active")));
}

/**
 * Reminds the assignee of each overdue review stage, and every active admin,
 * through the outbox (run hourly by housekeeping). Rows are claimed with
 * SKIP LOCKED, so instances running at once never remind twice; each reminder
 * is recorded on its stage with the audit event in the same transaction.
 * Returns how many stages were reminded about.
 */
export async function sendOverdueReminders(ctx: Pick<AppContext, "db" | "clock" | "config" | "siteOriginCache">): Promise<number> {
  const sender = await emailSender(ctx);
  let sent = 0;
  for (;;) {
    const batch = await transaction(ctx.db, async (tx) => {
      const now = ctx.clock.now();
      const lastReminderBefore = new Date(now.getTime() - REMINDER_INTERVAL_MS);
      const due = await tx
        .select({ stage: reviewStages, title: creatives.title, organisationId: creatives.organisationId, organisationName: partnerOrganisations.name })
        .from(reviewStages)
        .innerJoin(creatives, eq(creatives.id, reviewStages.creativeId))
        .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, creatives.organisationId))
        .where(
          and(
            eq(reviewStages.status, "pending"),
            lt(reviewStages.dueAt, now),
            or(isNull(reviewStages.remindedAt), lte(reviewStages.remindedAt, lastReminderBefore)),
          ),
        )
        .orderBy(asc(reviewStages.dueAt))
        .limit(BATCH)
        .for("update", { of: reviewStages, skipLocked: true });
      if (!due.length) return 0;
      const admins = await activeAddresses(tx, eq(users.role, "admin"));
      for (const { stage, title, organisationId, organisationName } of due) {
        const [assignee] = stage.assigneeId ? await activeAddresses(tx, eq(users.id, stage.assigneeId)) : [];
        const to = [...new Set([assignee?.email, ...admins.map((a) => a.email)].filter((email): email is string => Boolean(email)))];
        for (const address of to) {
          await enqueueEmail(
            tx,
            creativeStageOverdueEmail({
              to: address,
              ...sender.brand,
              organisationName,
              title,
              version: stage.versionNumber,
              stage: stageLabel(stage.stage),
              overdue: dueLabel(now, stage.dueAt!).text,
              assignee: assignee?.name ?? null,
              url: `${sender.origin}/admin/creatives/${stage.creativeId}`,
            }),
          );
        }
        await tx
          .update(reviewStages)
          .set({ remindedAt: now, reminders: sql`${reviewStages.reminders} + 1` })
          .where(eq(reviewStages.id, stage.id));
        await recordAudit(tx, {
          actor: SYSTEM_ACTOR,
          action: "creative.stage_overdue_reminded",
          subjectType: "creative",
          subjectId: stage.creativeId,
          partnerOrgId: organisationId,
          data: { stage: stage.stage, version: stage.versionNumber, dueAt: stage.dueAt!.toISOString(), reminder: stage.reminders + 1, recipients: to.length },
          at: now,
        });
      }
      return due.length;
    });
    sent += batch;
    if (batch < BATCH) return sent;
  }
}
