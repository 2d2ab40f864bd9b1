import type { LoaderFunctionArgs } from "@remix-run/node";
import { CREATIVE_READER_ROLES } from "~/domain/accounts/roles";
import { getCreativeFileForTeam } from "~/domain/creatives/queries.server";
import { pageImage } from "~/domain/review/pages.server";
import { pageParam, serveCreativePage } from "~/lib/creative-files.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { requireInternalUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";

/**
 * One page of a submitted PDF as a PNG, for the review viewer and its
 * thumbnails: rendered on the first request, then served from storage. The
 * same files as the file route: those of submitted versions only.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, CREATIVE_READER_ROLES);
  const fileId = idParam(params, "fileId");
  const file = await getCreativeFileForTeam(context.app.db, idParam(params, "creativeId"), fileId);
  if (!file) notFound();
  const page = pageParam(params);
  const image = await mapDomainErrors(pageImage(context.app, fileId, page), { context, request });
  return serveCreativePage(context.app.storage, request, image, page);
}
