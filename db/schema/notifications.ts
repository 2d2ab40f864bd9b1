import { sql } from "drizzle-orm";
import { bigserial, boolean, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";

/**
 * In-app notifications (issue 17): one row per recipient, written in the
 * transaction of the change it announces (app/domain/notifications). `kind`
 * is one of the catalogue's (app/domain/notifications/catalog.ts), kept as
 * text so a feature adds a kind without a migration. `href` is a path of this
 * site, checked when written and again when followed. `once` rows are
 * written at most once per person, kind and subject (an overdue review).
 */
export const notifications = pgTable(
  "notifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    href: text("href").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    once: boolean("once").notNull().default(false),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The bell's unread count and the list, newest first: both one index range.
    index("notifications_user_read_created_idx").on(t.userId, t.readAt, t.createdAt.desc()),
    uniqueIndex("notifications_once_uq")
      .on(t.userId, t.kind, t.subjectType, t.subjectId)
      .where(sql`${t.once}`),
    check("notifications_href_ck", sql`${t.href} like '/%' and ${t.href} not like '//%'`),
  ],
);

/**
 * A person's email choice per kind, only where it differs from the default
 * (every email on). Kinds whose emails cannot be turned off (security,
 * policy) are never stored here; the domain refuses them.
 */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    email: boolean("email").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

export type Notification = typeof notifications.$inferSelect;
