import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { webhookDeliveries, webhookEndpoints, type WebhookDelivery } from "#db/schema/index";
import { recordAudit, SYSTEM_ACTOR } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction } from "~/lib/db.server";
import { retryDelayMs } from "~/lib/outbox.server";
import { Poller } from "~/lib/poller.server";
import { checkOutboundUrl, postToCheckedUrl, type Resolver } from "~/lib/safe-http.server";
import { WEBHOOK_MANAGER_ROLES } from "../accounts/roles";
import { webhookDisabledEmail } from "../notifications/emails.server";
import { internalUsersWithRoles, notify } from "../notifications/notify.server";
import { emailBrand, getBranding } from "../settings/program.server";
import { canonicalOrigin } from "../settings/site.server";
import { WEBHOOK_USER_AGENT } from "./catalog";
import { signingSecrets, webhookUrlPolicy } from "./endpoints.server";

// Sends the webhook deliveries (docs/decisions/021-webhooks.md). Rows are
// claimed with FOR UPDATE SKIP LOCKED in a short transaction, as the outbox
// does, so two workers (or instances) never send the same one and no
// transaction waits on a receiver. Each attempt is signed afresh (Standard
// Webhooks: webhook-id, webhook-timestamp, webhook-signature), sent to the
// address checked just before (safe-http.server.ts), and recorded: 2xx is
// delivered; anything else is retried with exponential backoff until the
// attempts run out (dead). An endpoint whose deliveries die `disableAfter`
// times in a row is disabled, on the audit trail, and the admins are emailed.

export type WebhookWorkerOptions = {
  pollMs: number;
  batchSize: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a claimed row stays invisible to other workers: longer than a batch's sends take. */
  claimSeconds: number;
  maxAttempts: number;
  /** Dead deliveries in a row after which the endpoint is disabled. */
  disableAfter: number;
  timeoutMs: number;
  /** How much of a receiver's answer is read and kept. */
  maxResponseBytes: number;
  /** DNS resolution; tests hand in their own. */
  resolve?: Resolver;
};

export const DEFAULT_WEBHOOK_OPTIONS: WebhookWorkerOptions = {
  pollMs: 1000,
  batchSize: 10,
  backoffBaseMs: 30_000,
  backoffMaxMs: 6 * 3_600_000,
  claimSeconds: 120,
  // 30 s, 1, 2, 4, 8, 16, 32 min: about an hour of retries before a delivery is given up.
  maxAttempts: 8,
  disableAfter: 5,
  timeoutMs: 10_000,
  maxResponseBytes: 4096,
};

/**
 * The Standard Webhooks headers of one attempt, signed with each of
 * `secrets` (the current one, and the previous one during its grace period:
 * the specification's space-separated signatures); no secret is among them.
 */
export function signedHeaders(secrets: readonly string[], messageId: string, at: Date, body: string): Record<string, string> {
  const signature = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body)).join(" ");
  return {
    "content-type": "application/json",
    "user-agent": WEBHOOK_USER_AGENT,
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signature,
  };
}

type Outcome = { status: number | null; ms: number | null; body: string | null; error: string | null };

export class WebhookWorker extends Poller {
  readonly options: WebhookWorkerOptions;

  constructor(
    private readonly ctx: AppContext,
    options: Partial<WebhookWorkerOptions> = {},
  ) {
    const merged = { ...DEFAULT_WEBHOOK_OPTIONS, ...options };
    super({ name: "webhooks", pollMs: merged.pollMs, log: ctx.log });
    this.options = merged;
  }

  /** One claim-and-send pass; returns how many deliveries it attempted. */
  async runOnce(): Promise<number> {
    const claimed = await this.claim();
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return claimed.length;
  }

  private claim(): Promise<WebhookDelivery[]> {
    const now = this.ctx.clock.now();
    return transaction(this.ctx.db, async (tx) => {
      const enabled = tx.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.enabled, true));
      const due = await tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(
          and(
            inArray(webhookDeliveries.endpointId, enabled),
            or(
              and(inArray(webhookDeliveries.status, ["pending", "failed"]), lte(webhookDeliveries.nextAttemptAt, now)),
              and(eq(webhookDeliveries.status, "sending"), or(isNull(webhookDeliveries.lockedUntil), lte(webhookDeliveries.lockedUntil, now))),
            ),
          ),
        )
        .orderBy(asc(webhookDeliveries.id))
        .limit(this.options.batchSize)
        .for("update", { skipLocked: true });
      if (due.length === 0) return [];
      return tx
        .update(webhookDeliveries)
        .set({
          status: "sending",
          attempts: sql`${webhookDeliveries.attempts} + 1`,
          lockedUntil: new Date(now.getTime() + this.options.claimSeconds * 1000),
        })
        .where(
          inArray(
            webhookDeliveries.id,
            due.map((d) => d.id),
          ),
        )
        .returning();
    });
  }

  private async attempt(delivery: WebhookDelivery): Promise<void> {
    const { ctx } = this;
    const [endpoint] = await ctx.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, delivery.endpointId));
    if (!endpoint) return; // deleted meanwhile: its deliveries went with it
    const at = ctx.clock.now();
    const body = JSON.stringify(delivery.payload);
    const headers = signedHeaders(signingSecrets(endpoint, at), delivery.messageId, at, body);
    let outcome: Outcome;
    try {
      const target = await checkOutboundUrl(endpoint.url, await webhookUrlPolicy(ctx, this.options.resolve));
      const answer = await postToCheckedUrl(target, { headers, body, timeoutMs: this.options.timeoutMs, maxBodyBytes: this.options.maxResponseBytes });
      outcome = { status: answer.status, ms: answer.ms, body: answer.body, error: null };
    } catch (error) {
      outcome = { status: null, ms: null, body: null, error: (error instanceof Error ? error.message : String(error)).slice(0, 500) };
    }
    try {
      await this.record(delivery, headers, at, outcome);
    } catch (error) {
      // The claim runs out and another pass tries again.
      ctx.log.error("webhooks.record_failed", { id: delivery.id, error: String(error) });
    }
  }

  private async record(delivery: WebhookDelivery, headers: Record<string, string>, at: Date, outcome: Outcome): Promise<void> {
    const { ctx, options } = this;
    const delivered = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    const dead = !delivered && delivery.attempts >= options.maxAttempts;
    const error = delivered ? null : (outcome.error ?? `The receiver answered ${outcome.status}.`);
    // Read before the transaction: the email's sender and link, in case this failure disables the endpoint.
    const notice = dead ? await Promise.all([getBranding(ctx.db), canonicalOrigin(ctx)]) : null;
    await transaction(ctx.db, async (tx) => {
      const now = ctx.clock.now();
      await tx
        .update(webhookDeliveries)
        .set({
          status: delivered ? "delivered" : dead ? "dead" : "failed",
          lockedUntil: null,
          lastAttemptAt: at,
          lastStatusCode: outcome.status,
          lastResponseMs: outcome.ms,
          lastResponseBody: outcome.body,
          lastError: error,
          lastRequestHeaders: headers,
          deliveredAt: delivered ? now : null,
          nextAttemptAt: delivered || dead ? delivery.nextAttemptAt : new Date(now.getTime() + retryDelayMs(delivery.attempts, options)),
        })
        .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.status, "sending")));
      if (delivered) {
        await tx.update(webhookEndpoints).set({ consecutiveFailures: 0 }).where(eq(webhookEndpoints.id, delivery.endpointId));
        return;
      }
      ctx.log.warn(dead ? "webhooks.dead" : "webhooks.retry", { id: delivery.id, attempts: delivery.attempts, error });
      if (!dead) return;
      const [endpoint] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, delivery.endpointId)).for("update");
      if (!endpoint) return;
      const failures = endpoint.consecutiveFailures + 1;
      const disabling = endpoint.enabled && failures >= options.disableAfter;
      const reason = `Disabled automatically: ${failures} deliveries in a row failed every attempt.`;
      await tx
        .update(webhookEndpoints)
        .set(
          disabling
            ? { consecutiveFailures: failures, enabled: false, disabledAt: now, disabledReason: reason, updatedAt: now }
            : { consecutiveFailures: failures },
        )
        .where(eq(webhookEndpoints.id, endpoint.id));
      if (!disabling || !notice) return;
      const [branding, origin] = notice;
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: "webhook.auto_disabled",
        subjectType: "webhook_endpoint",
        subjectId: endpoint.id,
        data: { url: endpoint.url, failures, lastError: error },
        at: now,
      });
      // On the admins' bells, and by email unless they turned this kind off.
      await notify(
        tx,
        { now },
        {
          recipients: await internalUsersWithRoles(tx, WEBHOOK_MANAGER_ROLES),
          kind: "webhook_disabled",
          title: `Webhook to ${endpoint.url} disabled`,
          body: reason,
          href: `/admin/webhooks/${endpoint.id}`,
          subject: { type: "webhook_endpoint", id: endpoint.id },
          email: (admin) =>
            webhookDisabledEmail({
              to: admin.email,
              ...emailBrand(branding, origin),
              endpointUrl: endpoint.url,
              failures,
              lastError: error,
              url: `${origin}/admin/webhooks/${endpoint.id}`,
            }),
        },
      );
    });
  }
}
