import type { LoaderFunctionArgs } from "@remix-run/node";
import { LINK_READER_ROLES } from "~/domain/accounts/roles";
import { organisationPerformanceCsv, recordPerformanceExport } from "~/domain/conversions/stats.server";
import { StatsRangeSchema } from "~/domain/links/schemas.server";
import { statsRange } from "~/domain/links/stats.server";
import { csvResponse } from "~/lib/csv.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { isPrefetch } from "~/lib/prefetch.server";

/**
 * A partner's clicks and conversions by day over the chosen range, all its
 * links and coupon codes together, as CSV; an unknown partner is 404. The
 * export is audited, unless it is a browser's prefetch.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, LINK_READER_ROLES);
  const organisationId = idParam(params, "partnerId");
  const { days } = StatsRangeSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const now = context.app.clock.now();
  const range = statsRange(now, days);
  const { csv, filename } = await mapDomainErrors(organisationPerformanceCsv(context.app.db, organisationId, range), { context, request });
  if (!isPrefetch(request)) await recordPerformanceExport(context.app.db, actorOf(user, context), { organisationId, range, at: now });
  return csvResponse(csv, filename);
}
