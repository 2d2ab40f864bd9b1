import type { LoaderFunctionArgs } from "@remix-run/node";
import { PARTNER_DIRECTORY_ROLES } from "~/domain/accounts/roles";
import { partnerDirectoryCsv } from "~/domain/partners/directory.server";
import { directoryFiltersFrom } from "~/domain/partners/schemas.server";
import { getProgramRules } from "~/domain/settings/program.server";
import { recordAuditNow } from "~/lib/audit.server";
import { csvResponse } from "~/lib/csv.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";

/** The partner directory as CSV, with the page's filters and sort; the export itself is on the audit trail. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, PARTNER_DIRECTORY_ROLES);
  const db = context.app.db;
  const filters = directoryFiltersFrom(new URL(request.url));
  const rules = await getProgramRules(db);
  const { csv, count } = await partnerDirectoryCsv(db, filters, rules.partnerTiers);
  await recordAuditNow(db, {
    actor: actorOf(user, context),
    action: "partners.exported",
    subjectType: "partner_directory",
    data: { count, filters },
    at: context.app.clock.now(),
  });
  return csvResponse(csv, "partners.csv");
}
