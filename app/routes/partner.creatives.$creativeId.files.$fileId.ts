import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCreativeFileForOrganisation } from "~/domain/creatives/queries.server";
import { serveCreativeFile } from "~/lib/creative-files.server";
import { idParam } from "~/lib/forms.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";

/** A file of the organisation's own creative: `?preview` its PNG preview, otherwise the file itself as a download. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const file = await getCreativeFileForOrganisation(context.app.db, user.partnerOrgId, idParam(params, "creativeId"), idParam(params, "fileId"));
  if (!file) notFound();
  return serveCreativeFile(context.app.storage, request, file);
}
