import { desc, eq, sql } from "drizzle-orm";
import { outboxMessages } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { paginate } from "../pagination.server";

export const OUTBOX_PAGE_SIZE = 50;

export function listOutboxMessages(db: Db, page: number) {
  return paginate(
    page,
    OUTBOX_PAGE_SIZE,
    (limit, offset) =>
      db
        .select({
          id: outboxMessages.id,
          to: sql<string>`${outboxMessages.payload}->>'to'`,
          subject: sql<string>`${outboxMessages.payload}->>'subject'`,
          status: outboxMessages.status,
          attempts: outboxMessages.attempts,
          createdAt: outboxMessages.createdAt,
          deliveredAt: outboxMessages.deliveredAt,
          lastError: outboxMessages.lastError,
        })
        .from(outboxMessages)
        .orderBy(desc(outboxMessages.id))
        .limit(limit)
        .offset(offset),
    () => db.select({ n: sql<number>`count(*)::int` }).from(outboxMessages),
  );
}

export async function getOutboxMessage(db: Db, id: number) {
  const [row] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, id));
  return row ?? null;
}

export async function countOutboxByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: outboxMessages.status, n: sql<number>`count(*)::int` })
    .from(outboxMessages)
    .groupBy(outboxMessages.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
