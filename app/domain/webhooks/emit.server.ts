import crypto from "node:crypto";
import { and, arrayOverlaps, eq } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints, type WebhookDelivery } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import type { Db } from "~/lib/db.server";
import { WEBHOOK_EVENTS, type WebhookEventType } from "./catalog";

/** A webhook-id: `msg_` and 128 random bits, the same on every attempt of a delivery. */
export const newMessageId = () => `msg_${crypto.randomBytes(16).toString("base64url")}`;

/** One delivery row: the Standard Webhooks envelope (type, timestamp, data), due at once. */
export async function insertDelivery(tx: Db, endpointId: string, type: string, data: Record<string, unknown>, now: Date): Promise<WebhookDelivery> {
  const [row] = await tx
    .insert(webhookDeliveries)
    .values({
      endpointId,
      messageId: newMessageId(),
      eventType: type,
      payload: { type, timestamp: now.toISOString(), data },
      nextAttemptAt: now,
      createdAt: now,
    })
    .returning();
  return row!;
}

/**
 * Announces an event to every enabled endpoint subscribed to it (its type or
 * its family's wildcard), INSIDE the caller's transaction: the deliveries
 * exist only if the change commits, and the webhook worker sends each once.
 * `ctx` gives the time: the context's clock, or `{ now }`, the transition's
 * own time where no context is at hand.
 * `data` carries ids, names, statuses and times: nothing a brand admin could
 * not read in the portal, never a secret. Returns how many were queued.
 */
export async function emitWebhookEvent(
  tx: Db,
  ctx: Pick<AppContext, "clock"> | { now: Date },
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<number> {
  const family = WEBHOOK_EVENTS[type].family;
  const endpoints = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.enabled, true), arrayOverlaps(webhookEndpoints.eventTypes, [type, `${family}.*`])));
  const now = "now" in ctx ? ctx.now : ctx.clock.now();
  for (const endpoint of endpoints) await insertDelivery(tx, endpoint.id, type, data, now);
  return endpoints.length;
}
