import type { LoaderFunctionArgs } from "@remix-run/node";
import { labelOf } from "~/domain/applications/catalog";
import { listClaimsForPartner } from "~/domain/claims/claims.server";
import { PartnerClaimFiltersSchema } from "~/domain/claims/schemas.server";
import { recordAuditNow } from "~/lib/audit.server";
import { csvResponse, toCsv } from "~/lib/csv.server";
import { actorOf, requirePartnerUser } from "~/lib/guards.server";

/** The claims library the partner can see, as CSV: a file, so a gated partner gets 403, not a redirect. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const params = new URL(request.url).searchParams;
  const filters = PartnerClaimFiltersSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
  const { claims } = await listClaimsForPartner(context.app.db, user.partnerOrgId, filters);
  await recordAuditNow(context.app.db, {
    actor: actorOf(user, context),
    action: "claims.exported",
    subjectType: "claims_library",
    partnerOrgId: user.partnerOrgId,
    data: { count: claims.length, filters },
  });
  const csv = toCsv([
    ["Claim", "Required disclaimers", "Category", "Channels", "Regions", "Expires on"],
    ...claims.map((c) => [c.text, c.disclaimers.join("\n"), c.category, c.channels.map(labelOf).join(", "), c.regions.map(labelOf).join(", "), c.expiresOn ?? ""]),
  ]);
  return csvResponse(csv, "claims-library.csv");
}
