import { desc, sql } from "drizzle-orm";
import { auditEvents } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { paginate } from "../pagination.server";

export const AUDIT_PAGE_SIZE = 50;

export function listAuditEvents(db: Db, page: number) {
  return paginate(
    page,
    AUDIT_PAGE_SIZE,
    (limit, offset) =>
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
        .limit(limit)
        .offset(offset),
    () => db.select({ n: sql<number>`count(*)::int` }).from(auditEvents),
  );
}
