import type { LoaderFunctionArgs } from "@remix-run/node";
import { CREATIVE_READER_ROLES } from "~/domain/accounts/roles";
import { getCreativeFileForTeam } from "~/domain/creatives/queries.server";
import { serveCreativeFile } from "~/lib/creative-files.server";
import { idParam } from "~/lib/forms.server";
import { requireInternalUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";

/**
 * A file of a submitted version, for the brand team: `?preview` its PNG
 * preview, otherwise the file itself as a download. A file only on a working
 * copy (never submitted) is the partner's alone, so it is 404 here.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, CREATIVE_READER_ROLES);
  const file = await getCreativeFileForTeam(context.app.db, idParam(params, "creativeId"), idParam(params, "fileId"));
  if (!file) notFound();
  return serveCreativeFile(context.app.storage, request, file);
}
