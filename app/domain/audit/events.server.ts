import { desc, sql } from "drizzle-orm";
import { auditEvents } from "#db/schema/index";
import type { Db } from "~/lib/db.server";

export const AUDIT_PAGE_SIZE = 50;

export async function listAuditEvents(db: Db, page: number) {
  const offset = Math.max(0, page - 1) * AUDIT_PAGE_SIZE;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: auditEvents.id,
        occurredAt: auditEvents.occurredAt,
        actorLabel: auditEvents.actorLabel,
        action: auditEvents.action,
        subjectType: auditEvents.subjectType,
        subjectId: auditEvents.subjectId,
        ip: auditEvents.ip,
        data: auditEvents.data,
      })
      .from(auditEvents)
      .orderBy(desc(auditEvents.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset(offset),
    db.select({ n: sql<number>`count(*)::int` }).from(auditEvents),
  ]);
  return { rows, total: total?.n ?? 0, page, pageCount: Math.max(1, Math.ceil((total?.n ?? 0) / AUDIT_PAGE_SIZE)) };
}
