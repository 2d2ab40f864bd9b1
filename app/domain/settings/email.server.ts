import { eq } from "drizzle-orm";
import { instanceSettings } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import type { Sender } from "~/lib/mail.server";
import { enqueueEmail } from "~/lib/outbox.server";
import { testEmail } from "../notifications/emails.server";
import { changedKeys, fromTo } from "../versioned-settings.server";
import { canonicalOrigin } from "./site.server";
import { emailBrand, getBranding } from "./program.server";

/**
 * The sender admins choose in Settings → Email. The address itself is the
 * server's MAIL_FROM (the one SPF and DKIM are set up for); the name and the
 * reply-to address are the program's to choose. Null: the name is MAIL_FROM's
 * own, and replies go to MAIL_FROM.
 */
export type EmailSettings = Sender;

export const EMAIL_SETTINGS_KEY = "email_settings";
export const DEFAULT_EMAIL_SETTINGS: EmailSettings = { name: null, replyTo: null };

function parse(value: string | undefined): EmailSettings {
  if (!value) return DEFAULT_EMAIL_SETTINGS;
  try {
    const stored = JSON.parse(value) as Partial<EmailSettings>;
    return { name: typeof stored.name === "string" ? stored.name : null, replyTo: typeof stored.replyTo === "string" ? stored.replyTo : null };
  } catch {
    return DEFAULT_EMAIL_SETTINGS;
  }
}

export async function getEmailSettings(db: Db): Promise<EmailSettings> {
  const [row] = await db.select({ value: instanceSettings.value }).from(instanceSettings).where(eq(instanceSettings.key, EMAIL_SETTINGS_KEY));
  return parse(row?.value);
}

/** Saves the sender; audited with each changed value's from and to. Returns what changed. */
export async function updateEmailSettings(ctx: Pick<AppContext, "db" | "clock">, actor: Actor, next: EmailSettings): Promise<{ changed: string[] }> {
  return transaction(ctx.db, async (tx) => {
    const [row] = await tx.select().from(instanceSettings).where(eq(instanceSettings.key, EMAIL_SETTINGS_KEY)).for("update");
    const previous = parse(row?.value);
    const changed = changedKeys(next, previous);
    if (!changed.length) return { changed };
    const now = ctx.clock.now();
    const value = JSON.stringify(next);
    await tx
      .insert(instanceSettings)
      .values({ key: EMAIL_SETTINGS_KEY, value })
      .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: now } });
    await recordAudit(tx, { actor, action: "settings.email_updated", subjectType: "program", data: { changed: fromTo(changed, previous, next) }, at: now });
    return { changed };
  });
}

/** Queues a test email to the admin who asks, through the outbox like every other email. */
export async function sendTestEmail(ctx: AppContext, actor: Actor & { email: string }): Promise<void> {
  const origin = await canonicalOrigin(ctx);
  await transaction(ctx.db, async (tx) => {
    const branding = await getBranding(tx);
    await enqueueEmail(tx, testEmail({ to: actor.email, ...emailBrand(branding, origin), settingsUrl: `${origin}/admin/settings/email` }));
    await recordAudit(tx, { actor, action: "settings.test_email_sent", subjectType: "program", data: { to: actor.email }, at: ctx.clock.now() });
  });
}
