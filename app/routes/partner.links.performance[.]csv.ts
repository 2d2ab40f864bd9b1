import type { LoaderFunctionArgs } from "@remix-run/node";
import { organisationPerformanceCsv, recordPerformanceExport } from "~/domain/conversions/stats.server";
import { StatsRangeSchema } from "~/domain/links/schemas.server";
import { statsRange } from "~/domain/links/stats.server";
import { csvResponse } from "~/lib/csv.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { partnerActorOf, requirePartnerUser } from "~/lib/guards.server";
import { isPrefetch } from "~/lib/prefetch.server";

/**
 * The organisation's clicks and conversions by day over the chosen range, all
 * its links and coupon codes together, as CSV. The export is audited, unless
 * it is a browser's prefetch.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const { days } = StatsRangeSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const now = context.app.clock.now();
  const range = statsRange(now, days);
  const { csv, filename } = await mapDomainErrors(organisationPerformanceCsv(context.app.db, user.partnerOrgId, range), { context, request });
  if (!isPrefetch(request)) {
    await recordPerformanceExport(context.app.db, partnerActorOf(user, context), { organisationId: user.partnerOrgId, range, at: now });
  }
  return csvResponse(csv, filename);
}
