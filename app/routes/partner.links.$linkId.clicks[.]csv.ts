import type { LoaderFunctionArgs } from "@remix-run/node";
import { linkClicksCsv } from "~/domain/links/partner-links.server";
import { StatsRangeSchema } from "~/domain/links/schemas.server";
import { csvResponse } from "~/lib/csv.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { requirePartnerUser } from "~/lib/guards.server";

/** One of the organisation's links, its clicks by day over the chosen range as CSV; another organisation's link is 404. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const { days } = StatsRangeSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { csv, filename } = await mapDomainErrors(linkClicksCsv(context.app, user.partnerOrgId, idParam(params, "linkId"), days), { context, request });
  return csvResponse(csv, filename);
}
