import { and, desc, eq, inArray, isNull, notInArray } from "drizzle-orm";
import { notifications, users } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";

/** Whose bell the demo tour opens: the admin and the Northwind owner. */
export const DEMO_NOTIFIED = ["admin@demo.cobrand.test", "owner@northwind.test"] as const;

/** How many of each demo person's notifications stay unread, so the bell shows a count and the list both styles. */
const UNREAD_KEPT = 3;

/**
 * The demo's notifications are the ones its seeding wrote through the domain
 * (decisions on Northwind's creatives, the policies to accept, the disabled
 * newsletter link, the creatives waiting for review). Here everyone's older
 * ones are marked read, as if they had been seen, keeping a few unread.
 */
export async function seedNotifications(app: AppContext): Promise<void> {
  const people = await app.db
    .select({ id: users.id })
    .from(users)
    .where(inArray(users.email, [...DEMO_NOTIFIED]));
  for (const { id } of people) {
    const newest = await app.db
      .select({ id: notifications.id })
      .from(notifications)
      .where(eq(notifications.userId, id))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(UNREAD_KEPT);
    const keep = newest.map((n) => n.id);
    await app.db
      .update(notifications)
      .set({ readAt: app.clock.now() })
      .where(and(eq(notifications.userId, id), isNull(notifications.readAt), keep.length ? notInArray(notifications.id, keep) : undefined));
  }
}
