import { bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";

// Signed outbound webhooks (issue 17 §3; docs/decisions/021-webhooks.md):
// endpoints an admin registers, and one delivery row per event and endpoint,
// written in the transaction of the change it announces and sent afterwards
// by the webhook worker (app/domain/webhooks/delivery.server.ts).

/**
 * pending: waits for its first attempt; sending: claimed by a worker (until
 * locked_until); failed: its last attempt failed, another is due at
 * next_attempt_at; delivered: a 2xx answered; dead: every attempt failed.
 */
export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", ["pending", "sending", "failed", "delivered", "dead"]);
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatus.enumValues)[number];

/** The envelope every delivery's body is (Standard Webhooks): the event's type, when it happened, and its data. */
export type WebhookPayload = { type: string; timestamp: string; data: Record<string, unknown> };

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    /** Event types ("partner.paused") and whole families ("partner.*"). */
    eventTypes: text("event_types").array().notNull(),
    /** The signing secret, `whsec_` and base64: the receiver holds the same one to verify (a symmetric key, so it is kept, not hashed). */
    secret: text("secret").notNull(),
    /** When the secret was last replaced. */
    secretRotatedAt: timestamp("secret_rotated_at", { withTimezone: true }),
    /**
     * The secret before the last rotation, which still signs (a second
     * signature beside the new one's) until `previous_secret_expires_at`, so a
     * receiver not yet given the new secret keeps verifying meanwhile.
     */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    enabled: boolean("enabled").notNull().default(true),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledReason: text("disabled_reason"),
    /** Deliveries in a row that used up every attempt; a delivered one sets it back to 0. */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    createdById: uuid("created_by_id").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_endpoints_created_idx").on(t.createdAt)],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** The webhook-id header: `msg_…`, the same on every attempt, so a receiver can drop a repeat. */
    messageId: text("message_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").$type<WebhookPayload>().notNull(),
    status: webhookDeliveryStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    lastStatusCode: integer("last_status_code"),
    lastResponseMs: integer("last_response_ms"),
    lastError: text("last_error"),
    /** The first few KB of the last response's body. */
    lastResponseBody: text("last_response_body"),
    /** The headers of the last request sent (the signature included; never the secret). */
    lastRequestHeaders: jsonb("last_request_headers").$type<Record<string, string>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_message_uq").on(t.endpointId, t.messageId),
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_endpoint_created_idx").on(t.endpointId, t.createdAt),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
