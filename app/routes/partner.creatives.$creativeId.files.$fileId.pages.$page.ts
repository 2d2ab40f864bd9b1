import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCreativeFileForOrganisation } from "~/domain/creatives/queries.server";
import { pageImage } from "~/domain/review/pages.server";
import { pageParam, serveCreativePage } from "~/lib/creative-files.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";

/** One page of a PDF of the organisation's own creative as a PNG, for the viewer on the partner's creative page. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const fileId = idParam(params, "fileId");
  const file = await getCreativeFileForOrganisation(context.app.db, user.partnerOrgId, idParam(params, "creativeId"), fileId);
  if (!file) notFound();
  const page = pageParam(params);
  const image = await mapDomainErrors(pageImage(context.app, fileId, page), { context, request });
  return serveCreativePage(context.app.storage, request, image, page);
}
