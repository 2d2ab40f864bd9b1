import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lte, or } from "drizzle-orm";
import { partnerOrganisations, users } from "#db/schema/index";
import { recordAudit, SYSTEM_ACTOR } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction } from "~/lib/db.server";
import { enqueueEmail } from "~/lib/outbox.server";
import { partnerRenewalReminderEmail } from "../notifications/emails.server";
import { emailSender } from "../review/decisions.server";

/**
 * Reminders before a partnership's renewal date (PRODUCT.md, Partners):
 * 30 days before, then 7. Each stage is sent once per renewal date; a new
 * date (a terms change) starts over.
 */
export const RENEWAL_REMINDER_DAYS = [30, 7] as const;
const FIRST_STAGE = RENEWAL_REMINDER_DAYS[0];
const LAST_STAGE = RENEWAL_REMINDER_DAYS[RENEWAL_REMINDER_DAYS.length - 1]!;
const DAY_MS = 86_400_000;
// Partnerships reminded per transaction: a backlog goes out in several, none holding many locks for long.
const BATCH = 100;

/** Today as a calendar date (UTC), the way renewal dates are stored. */
const isoDay = (at: Date) => at.toISOString().slice(0, 10);

/** Whole days from `today` to `date`, both YYYY-MM-DD. */
export const daysUntil = (date: string, today: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);

/** The reminder stage that applies `daysLeft` days before renewal: the nearest stage not yet passed, or null beyond the first. */
export function reminderStageFor(daysLeft: number): number | null {
  if (daysLeft < 0) return null;
  const stages = RENEWAL_REMINDER_DAYS.filter((days) => daysLeft <= days);
  return stages.length ? Math.min(...stages) : null;
}

/**
 * Sends the renewal reminders that are due, through the outbox (run by
 * housekeeping): to every active admin and the partner's owners. Rows are
 * claimed with SKIP LOCKED so instances running at once never remind twice;
 * each reminder is recorded on the organisation (`renewal_reminded_days`)
 * with its audit event in the same transaction. Returns how many
 * partnerships were reminded about.
 */
export async function sendRenewalReminders(ctx: Pick<AppContext, "db" | "clock" | "config" | "siteOriginCache">): Promise<number> {
  const sender = await emailSender(ctx);
  let sent = 0;
  for (;;) {
    const batch = await transaction(ctx.db, async (tx) => {
      const now = ctx.clock.now();
      const today = isoDay(now);
      const horizon = isoDay(new Date(now.getTime() + FIRST_STAGE * DAY_MS));
      const lastStageFrom = isoDay(new Date(now.getTime() + LAST_STAGE * DAY_MS));
      const candidates = await tx
        .select()
        .from(partnerOrganisations)
        .where(
          and(
            inArray(partnerOrganisations.status, ["onboarding", "active", "paused"]),
            isNotNull(partnerOrganisations.renewalDate),
            gte(partnerOrganisations.renewalDate, today),
            lte(partnerOrganisations.renewalDate, horizon),
            // Not yet reminded at all, or reminded at the first stage and now within the last.
            or(
              isNull(partnerOrganisations.renewalRemindedDays),
              and(lte(partnerOrganisations.renewalDate, lastStageFrom), gt(partnerOrganisations.renewalRemindedDays, LAST_STAGE)),
            ),
          ),
        )
        .orderBy(asc(partnerOrganisations.renewalDate))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      if (!candidates.length) return 0;
      const due = candidates.map((org) => {
        const daysLeft = daysUntil(org.renewalDate!, today);
        return { org, daysLeft, stage: reminderStageFor(daysLeft) ?? FIRST_STAGE };
      });
      const admins = await tx
        .select({ email: users.email })
        .from(users)
        .where(and(eq(users.role, "admin"), eq(users.status, "active")));
      for (const { org, daysLeft, stage } of due) {
        const owners = await tx
          .select({ email: users.email })
          .from(users)
          .where(and(eq(users.partnerOrgId, org.id), eq(users.partnerRole, "owner"), eq(users.status, "active")));
        const common = { ...sender.brand, organisationName: org.name, renewalDate: org.renewalDate!, daysLeft };
        for (const admin of admins) {
          await enqueueEmail(
            tx,
            partnerRenewalReminderEmail({ ...common, to: admin.email, audience: "brand", url: `${sender.origin}/admin/partners/${org.id}` }),
          );
        }
        for (const owner of owners) {
          await enqueueEmail(tx, partnerRenewalReminderEmail({ ...common, to: owner.email, audience: "partner", url: `${sender.origin}/partner` }));
        }
        await tx.update(partnerOrganisations).set({ renewalRemindedDays: stage }).where(eq(partnerOrganisations.id, org.id));
        await recordAudit(tx, {
          actor: SYSTEM_ACTOR,
          action: "partner.renewal_reminded",
          subjectType: "partner_organisation",
          subjectId: org.id,
          partnerOrgId: org.id,
          data: { renewalDate: org.renewalDate, daysLeft, stage, recipients: admins.length + owners.length },
          at: now,
        });
      }
      return due.length;
    });
    sent += batch;
    if (batch < BATCH) return sent;
  }
}
