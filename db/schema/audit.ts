import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Append-only, hash-chained record of every state change. `hash` is HMAC-SHA256
 * over a canonical encoding of the row and `prev_hash`; see app/lib/audit.server.ts.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, precision: 3 }).notNull(),
    actorId: uuid("actor_id"),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id"),
    partnerOrgId: uuid("partner_org_id"),
    ip: text("ip"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_events_subject_idx").on(t.subjectType, t.subjectId),
    index("audit_events_actor_idx").on(t.actorId),
    index("audit_events_partner_idx").on(t.partnerOrgId),
    // The audit viewer filters by action (and by subject kind, as a set of actions) and by date range.
    index("audit_events_action_idx").on(t.action),
    index("audit_events_occurred_at_idx").on(t.occurredAt),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
