import { and, desc, eq, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";
import { notificationPreferences, notifications, users, type EmailPayload, type InternalRole } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { enqueueEmail } from "~/lib/outbox.server";
import { sameSitePath } from "~/lib/redirects";
import { DomainError, NotFoundError } from "../errors";
import { paginate } from "../pagination.server";
import { emailMayBeTurnedOff, isNotificationKind, NOTIFICATION_KINDS, NOTIFICATIONS_PATH, notificationKindsFor, type NotificationKind } from "./catalog";

// The notifications' domain API (docs/decisions/022). A feature announces a
// change with one call of `notify` inside the transaction that makes it:
//
//   await notify(tx, { now }, {
//     recipients: await partnerMembers(tx, organisationId),
//     kind: "incident_shared",
//     title: `Incident ${incident.reference} was shared with you`,
//     body: incident.summary,
//     href: `/partner/incidents/${incident.id}`,
//     subject: { type: "incident", id: incident.id },
//     email: (person) => incidentSharedEmail({ to: person.email, ... }), // optional
//   });
//
// Each recipient gets an in-app notification; the email, when given, is
// queued through the outbox unless the person turned that kind's emails off
// (never possible for security and policy kinds).

/** Someone to notify: the recipient helpers below find them, active accounts only. */
export type Recipient = { id: string; email: string; name: string };

export type NotifyInput = {
  recipients: readonly Recipient[];
  kind: NotificationKind;
  title: string;
  body?: string;
  /** A path of this site ("/partner/creatives/…"): never another site. */
  href: string;
  /** What it is about, for de-duplication and the record. */
  subject: { type: string; id: string };
  /** At most one in-app notification per person, kind and subject (an overdue review); the email, when given, still goes. */
  once?: boolean;
  /** The email that goes with it, per recipient; skipped for people who turned this kind's emails off. */
  email?: (recipient: Recipient) => EmailPayload;
};

export const TITLE_MAX = 200;
export const BODY_MAX = 500;

const shorten = (text: string, max: number) => {
  const clean = text.replace(/\s+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
};

/** The href as stored: a rooted path of this site, or a programming error (never a user's input). */
function internalHref(href: string): string {
  const path = sameSitePath(href, "");
  if (!href.startsWith("/") || href.startsWith("//") || !path) throw new Error(`A notification links to a path of this site, not ${JSON.stringify(href)}.`);
  return path;
}

/**
 * Writes one notification per recipient (each person once) in the caller's
 * transaction, and queues the email that goes with it where the person's
 * preference allows. Returns how many notifications were written.
 */
export async function notify(tx: Db, ctx: { now: Date }, input: NotifyInput): Promise<number> {
  const people = [...new Map(input.recipients.map((r) => [r.id, r])).values()];
  if (people.length === 0) return 0;
  const href = internalHref(input.href);
  const rows = people.map((person) => ({
    userId: person.id,
    kind: input.kind,
    title: shorten(input.title, TITLE_MAX),
    body: shorten(input.body ?? "", BODY_MAX),
    href,
    subjectType: input.subject.type,
    subjectId: input.subject.id,
    once: input.once ?? false,
    createdAt: ctx.now,
  }));
  // A `once` notification someone already has conflicts with the partial unique index and is not written again.
  const written = await tx.insert(notifications).values(rows).onConflictDoNothing().returning({ id: notifications.id });
  if (input.email) {
    const optedOut = await emailOptOuts(
      tx,
      people.map((p) => p.id),
      input.kind,
    );
    for (const person of people) if (!optedOut.has(person.id)) await enqueueEmail(tx, input.email(person));
  }
  return written.length;
}

/** Who among `userIds` turned this kind's emails off; nobody for a kind whose emails cannot be turned off. */
export async function emailOptOuts(tx: Db, userIds: string[], kind: NotificationKind): Promise<Set<string>> {
  if (userIds.length === 0 || !emailMayBeTurnedOff(kind)) return new Set();
  const rows = await tx
    .select({ userId: notificationPreferences.userId })
    .from(notificationPreferences)
    .where(and(inArray(notificationPreferences.userId, userIds), eq(notificationPreferences.kind, kind), eq(notificationPreferences.email, false)));
  return new Set(rows.map((r) => r.userId));
}

// Recipients.

const RECIPIENT = { id: users.id, email: users.email, name: users.name };

async function activeUsers(tx: Db, where: SQL | undefined): Promise<Recipient[]> {
  return tx
    .select(RECIPIENT)
    .from(users)
    .where(and(where, eq(users.status, "active")))
    .orderBy(users.createdAt);
}

/** Every active member of a partner organisation (owner and members). */
export const partnerMembers = (tx: Db, partnerOrgId: string): Promise<Recipient[]> => activeUsers(tx, eq(users.partnerOrgId, partnerOrgId));

/** The brand team's active people with one of `roles`, but `except` (someone who should not hear of their own act). */
export const internalUsersWithRoles = (tx: Db, roles: readonly InternalRole[], options: { except?: string | null } = {}): Promise<Recipient[]> =>
  activeUsers(tx, and(inArray(users.role, [...roles]), isNull(users.partnerOrgId), options.except ? ne(users.id, options.except) : undefined));

/** One person, if their account is active. */
export const oneUser = (tx: Db, userId: string | null | undefined): Promise<Recipient[]> =>
  userId ? activeUsers(tx, eq(users.id, userId)) : Promise.resolve([]);

// The signed-in person's own notifications. Every query is scoped by their id:
// another person's notification reads as missing (404), never as forbidden.

export const NOTIFICATIONS_PAGE_SIZE = 20;

/** The bell's count: one range of the (user, read_at, created_at) index. */
export async function unreadCount(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export function listNotifications(db: Db, userId: string, page: number) {
  return paginate(
    page,
    NOTIFICATIONS_PAGE_SIZE,
    (limit, offset) =>
      db
        .select({
          id: notifications.id,
          kind: notifications.kind,
          title: notifications.title,
          body: notifications.body,
          readAt: notifications.readAt,
          createdAt: notifications.createdAt,
        })
        .from(notifications)
        .where(eq(notifications.userId, userId))
        .orderBy(desc(notifications.createdAt), desc(notifications.id))
        .limit(limit)
        .offset(offset),
    () =>
      db
        .select({ n: sql<number>`count(*)::int` })
        .from(notifications)
        .where(eq(notifications.userId, userId)),
  );
}

/**
 * Marks one of the person's notifications read (again is fine) and returns
 * where it leads: its stored path, checked once more, so even a row written
 * by hand cannot send the browser to another site.
 */
export async function markRead(ctx: Pick<AppContext, "db" | "clock">, userId: string, notificationId: number): Promise<{ href: string }> {
  const [row] = await ctx.db
    .update(notifications)
    // Read once: opening it again keeps the first time. The parameter is cast: postgres.js sends a Date untyped here.
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${ctx.clock.now().toISOString()}::timestamptz)` })
    .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId)))
    .returning({ href: notifications.href });
  if (!row) throw new NotFoundError("Notification not found.");
  return { href: sameSitePath(row.href, NOTIFICATIONS_PATH) };
}

/** Marks every unread notification of the person read; returns how many were. */
export async function markAllRead(ctx: Pick<AppContext, "db" | "clock">, userId: string): Promise<number> {
  const rows = await ctx.db
    .update(notifications)
    .set({ readAt: ctx.clock.now() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

// Email preferences.

export type EmailPreference = {
  kind: NotificationKind;
  label: string;
  description: string;
  /** "optional": the person chooses; "always": security or policy, always sent; "none": in-app only. */
  choice: "optional" | "always" | "none";
  email: boolean;
};

/** The kinds the person's role receives, each with whether its email goes to them. */
export async function emailPreferencesFor(db: Db, user: { id: string; role: string }): Promise<EmailPreference[]> {
  const stored = await db
    .select({ kind: notificationPreferences.kind, email: notificationPreferences.email })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, user.id));
  const off = new Set(stored.filter((s) => !s.email).map((s) => s.kind));
  return notificationKindsFor(user.role).map((kind) => {
    const entry = NOTIFICATION_KINDS[kind];
    const choice = !entry.emailed ? "none" : emailMayBeTurnedOff(kind) ? "optional" : "always";
    return { kind, label: entry.label, description: entry.description, choice, email: choice === "always" || (choice === "optional" && !off.has(kind)) };
  });
}

/**
 * Sets the person's email choices: `emailed` lists the optional kinds they
 * want emails for, every other optional kind of their role is turned off.
 * A kind that is not theirs to choose (unknown, another role's, a security or
 * policy one) is refused. The change is audited when something changed.
 */
export async function setEmailPreferences(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: Actor,
  user: { id: string; role: string },
  emailed: readonly string[],
): Promise<{ changed: number }> {
  const optional = notificationKindsFor(user.role).filter(emailMayBeTurnedOff);
  for (const kind of emailed) {
    if (!isNotificationKind(kind) || !optional.includes(kind)) {
      throw new DomainError(
        isNotificationKind(kind) && notificationKindsFor(user.role).includes(kind)
          ? `${NOTIFICATION_KINDS[kind].label}: these emails are always sent.`
          : "Choose from the notifications listed.",
        { field: "email" },
      );
    }
  }
  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const before = new Map((await emailPreferencesFor(tx, user)).map((p) => [p.kind, p.email]));
    const changes: Partial<Record<NotificationKind, boolean>> = {};
    for (const kind of optional) {
      const want = emailed.includes(kind);
      if (before.get(kind) === want) continue;
      changes[kind] = want;
      await tx
        .insert(notificationPreferences)
        .values({ userId: user.id, kind, email: want, updatedAt: now })
        .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { email: want, updatedAt: now } });
    }
    const changed = Object.keys(changes).length;
    if (changed) {
      await recordAudit(tx, {
        actor,
        action: "notification.email_preferences_updated",
        subjectType: "user",
        subjectId: user.id,
        data: { email: changes },
        at: now,
      });
    }
    return { changed };
  });
}
