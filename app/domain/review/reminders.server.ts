import { and, asc, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import { creatives, partnerOrganisations, reviewStages } from "#db/schema/index";
import { recordAudit, SYSTEM_ACTOR } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction } from "~/lib/db.server";
import { creativeStageOverdueEmail } from "../notifications/emails.server";
import { internalUsersWithRoles, notify, oneUser } from "../notifications/notify.server";
import { emailSender } from "./decisions.server";
import { stageLabel } from "./matrix";
import { dueLabel } from "./sla";

/** An overdue stage is reminded about once when it passes its due time, then once a day while it stays open. */
export const REMINDER_INTERVAL_MS = 24 * 60 * 60 * 1000;
// Stages reminded per transaction: a backlog goes out in several, none holding many locks for long.
const BATCH = 100;

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
      const admins = await internalUsersWithRoles(tx, ["admin"]);
      for (const { stage, title, organisationId, organisationName } of due) {
        const assignee = await oneUser(tx, stage.assigneeId);
        const recipients = [...assignee, ...admins];
        const stageName = stageLabel(stage.stage);
        // In-app once per person and stage (the first reminder); the email again each day it stays open, unless turned off.
        await notify(
          tx,
          { now },
          {
            recipients,
            kind: "review_overdue",
            title: `Overdue: ${stageName.toLowerCase()} review of "${title}"`,
            body: `${organisationName}, version ${stage.versionNumber}: ${assignee[0] ? `${assignee[0].name} holds it.` : "nobody has claimed it yet."}`,
            href: `/admin/creatives/${stage.creativeId}`,
            subject: { type: "review_stage", id: stage.id },
            once: true,
            email: ({ email }) =>
              creativeStageOverdueEmail({
                to: email,
                ...sender.brand,
                organisationName,
                title,
                version: stage.versionNumber,
                stage: stageName,
                overdue: dueLabel(now, stage.dueAt!).text,
                assignee: assignee[0]?.name ?? null,
                url: `${sender.origin}/admin/creatives/${stage.creativeId}`,
              }),
          },
        );
        const to = new Set(recipients.map((r) => r.id));
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
          data: { stage: stage.stage, version: stage.versionNumber, dueAt: stage.dueAt!.toISOString(), reminder: stage.reminders + 1, recipients: to.size },
          at: now,
        });
      }
      return due.length;
    });
    sent += batch;
    if (batch < BATCH) return sent;
  }
}
