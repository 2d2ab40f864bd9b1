import type { LoaderFunctionArgs } from "@remix-run/node";
import { claimsSheetCsv, listClaimsForPartner } from "~/domain/claims/claims.server";
import { PartnerClaimFiltersSchema } from "~/domain/claims/schemas.server";
import { recordAuditNow } from "~/lib/audit.server";
import { csvResponse } from "~/lib/csv.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { actorOf, requirePartnerUser } from "~/lib/guards.server";
import { isPrefetch } from "~/lib/prefetch.server";

/**
 * The claims library the partner can see, as CSV: a file, so a gated partner
 * gets 403, not a redirect. The export is audited, unless it is a browser's prefetch.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const params = new URL(request.url).searchParams;
  const filters = PartnerClaimFiltersSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
  const { claims } = await mapDomainErrors(listClaimsForPartner(context.app, user.partnerOrgId, filters), { context, request });
  if (!isPrefetch(request))
    await recordAuditNow(context.app.db, {
      actor: actorOf(user, context),
      action: "claims.exported",
      subjectType: "claims_library",
      partnerOrgId: user.partnerOrgId,
      data: { count: claims.length, filters },
      at: context.app.clock.now(),
    });
  return csvResponse(claimsSheetCsv(claims), "claims-library.csv");
}
