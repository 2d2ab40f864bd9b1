import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordPerformanceExport } from "~/domain/conversions/stats.server";
import { linkStatsCsv } from "~/domain/links/partner-links.server";
import { StatsRangeSchema } from "~/domain/links/schemas.server";
import { csvResponse } from "~/lib/csv.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { partnerActorOf, requirePartnerUser } from "~/lib/guards.server";
import { isPrefetch } from "~/lib/prefetch.server";

/**
 * One of the organisation's links, its clicks and conversions by day over the
 * chosen range as CSV; another organisation's link is 404. The export is
 * audited, unless it is a browser's prefetch.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const { days } = StatsRangeSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const linkId = idParam(params, "linkId");
  const { csv, filename, range } = await mapDomainErrors(linkStatsCsv(context.app, user.partnerOrgId, linkId, days), { context, request });
  if (!isPrefetch(request)) {
    await recordPerformanceExport(context.app.db, partnerActorOf(user, context), {
      organisationId: user.partnerOrgId,
      linkId,
      range,
      at: context.app.clock.now(),
    });
  }
  return csvResponse(csv, filename);
}
