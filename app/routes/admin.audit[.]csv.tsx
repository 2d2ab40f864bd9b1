import type { LoaderFunctionArgs } from "@remix-run/node";
import { AUDIT_READER_ROLES } from "~/domain/accounts/roles";
import { auditDetailsText } from "~/domain/audit/details";
import { auditEventsForExport, recordAuditExport } from "~/domain/audit/events.server";
import { auditFiltersFrom } from "~/domain/audit/schemas.server";
import { csvStreamResponse } from "~/lib/csv.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";

/**
 * The audit trail as CSV with the page's filters, streamed in batches. The
 * export is itself an audit event, written before the first byte leaves;
 * cells that start like a formula are neutralised.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, AUDIT_READER_ROLES);
  const filters = auditFiltersFrom(request);
  const { upToId } = await recordAuditExport(context.app, actorOf(user, context), filters);
  const batches = (async function* () {
    for await (const events of auditEventsForExport(context.app.db, filters, upToId, user.role)) {
      yield events.map((e) => [
        e.id,
        e.occurredAt.toISOString(),
        e.actionLabel,
        e.action,
        e.actor.name,
        e.actor.label,
        e.actor.ip,
        e.subject.kind,
        e.subject.name,
        e.subject.id,
        e.partner?.name,
        auditDetailsText(e.details),
      ]);
    }
  })();
  return csvStreamResponse(
    [
      "Entry",
      "Time (UTC)",
      "Action",
      "Action code",
      "Actor",
      "Actor email or label",
      "IP address",
      "Subject type",
      "Subject",
      "Subject ID",
      "Partner organisation",
      "Details",
    ],
    batches,
    "audit-trail.csv",
  );
}
