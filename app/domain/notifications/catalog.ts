// In-app notifications as plain data (issue 17): every kind the app writes,
// who receives it, and whether its email can be turned off. Shared by the
// server and the browser bundle (the account page's email preferences), so
// no drizzle and no zod here.
import { CREATIVE_REVIEWER_ROLES, INCIDENT_MANAGER_ROLES, type UserRole } from "../accounts/roles";

/**
 * Why a kind is sent. `security` and `policy` emails always go (a person must
 * not miss a change to their access or the terms they work under); `activity`
 * emails can be turned off per kind on the account page. The in-app
 * notification is written whatever the choice.
 */
export type NotificationCategory = "security" | "policy" | "activity";

type KindEntry = {
  /** What the account page calls it. */
  label: string;
  /** One line on what it is about. */
  description: string;
  /** Who receives it: roles of the people the domain notifies. */
  roles: readonly UserRole[];
  category: NotificationCategory;
  /** Whether an email goes out with it (else it is in-app only and has no email choice). */
  emailed: boolean;
};

const PARTNERS = ["partner"] as const satisfies readonly UserRole[];
const ADMINS = ["admin"] as const satisfies readonly UserRole[];

export const NOTIFICATION_KINDS = {
  // Partners.
  creative_decision: {
    label: "Decisions on your creatives",
    description: "A reviewer approved, asked for changes to or rejected a creative, or an approval was revoked.",
    roles: PARTNERS,
    category: "activity",
    emailed: true,
  },
  policy_published: {
    label: "Policy changes to accept",
    description: "The program published a policy version you must accept to keep working.",
    roles: PARTNERS,
    category: "policy",
    emailed: true,
  },
  partner_status: {
    label: "Partnership paused, resumed or ended",
    description: "The program changed the standing of your partnership.",
    roles: PARTNERS,
    category: "policy",
    emailed: true,
  },
  link_disabled: {
    label: "Tracking links disabled",
    description: "The program disabled one of your tracking links; its visitors go to the fallback page.",
    roles: PARTNERS,
    category: "activity",
    emailed: false,
  },
  incident_shared: {
    label: "Incidents shared with you",
    description: "The program shared an incident that concerns your organisation.",
    roles: PARTNERS,
    category: "security",
    emailed: true,
  },
  // The brand team.
  review_assigned: {
    label: "Creatives waiting for your review",
    description: "A creative reached a review stage you decide.",
    roles: CREATIVE_REVIEWER_ROLES,
    category: "activity",
    emailed: true,
  },
  review_overdue: {
    label: "Overdue reviews",
    description: "A review stage you hold (or, for admins, any stage) passed its due time.",
    roles: CREATIVE_REVIEWER_ROLES,
    category: "activity",
    emailed: true,
  },
  webhook_disabled: {
    label: "Webhooks disabled",
    description: "A webhook endpoint kept failing and was disabled.",
    roles: ADMINS,
    category: "activity",
    emailed: true,
  },
  incident_opened: {
    label: "Incidents opened",
    description: "Someone opened an incident, or the kill switch did.",
    roles: ADMINS,
    category: "security",
    emailed: false,
  },
  incident_reply: {
    label: "Partner replies on incidents",
    description: "A partner replied on an incident you own or opened.",
    roles: INCIDENT_MANAGER_ROLES,
    category: "activity",
    emailed: true,
  },
} as const satisfies Record<string, KindEntry>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

export const NOTIFICATION_KIND_VALUES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

export function isNotificationKind(value: string): value is NotificationKind {
  return Object.hasOwn(NOTIFICATION_KINDS, value);
}

export function notificationKindInfo(kind: NotificationKind): KindEntry {
  return NOTIFICATION_KINDS[kind];
}

/** The label of a stored kind; the raw kind for one this version does not list. */
export const notificationKindLabel = (kind: string): string => (isNotificationKind(kind) ? NOTIFICATION_KINDS[kind].label : kind);

/** Whether a person may turn this kind's email off: an emailed activity kind, never a security or policy one. */
export function emailMayBeTurnedOff(kind: NotificationKind): boolean {
  const entry: KindEntry = NOTIFICATION_KINDS[kind];
  return entry.emailed && entry.category === "activity";
}

/** The kinds a role receives, in catalogue order. */
export function notificationKindsFor(role: string): NotificationKind[] {
  return NOTIFICATION_KIND_VALUES.filter((kind) => (NOTIFICATION_KINDS[kind].roles as readonly string[]).includes(role));
}

/** Where the list of a person's notifications lives. */
export const NOTIFICATIONS_PATH = "/notifications";

/** The bell's accessible name: "Notifications, 3 unread" (or "no unread"). */
export function bellLabel(unread: number): string {
  return `Notifications, ${unread === 0 ? "none" : unread} unread`;
}

/** The badge's text: the count, capped so it fits. */
export const badgeCount = (unread: number): string => (unread > 99 ? "99+" : String(unread));
