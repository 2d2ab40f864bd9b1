import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordDownload } from "~/domain/assets/assets.server";
import { decideDownload, downloadFile, getDownloadableAsset, openDownload } from "~/domain/assets/downloads.server";
import { DownloadQuerySchema } from "~/domain/assets/schemas.server";
import { domainResponse, idParam } from "~/lib/forms.server";
import { actorOf, requirePartnerUser } from "~/lib/guards.server";
import { isPrefetch } from "~/lib/prefetch.server";
import { serveObject } from "~/lib/serve-object.server";

/**
 * A partner's download: the original (where offered) or a rendition in a
 * format, width and background the asset offers (decideDownload). Visibility
 * (tier, retirement, usage window) is checked here, on every request, exactly
 * as for the pages; each download is logged and audited, except a browser's
 * prefetch, which is served but is nobody's download.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const found = await getDownloadableAsset(context.app.db, user.partnerOrgId, idParam(params, "assetId"));
  if (!found) throw new Response("Not found", { status: 404 });
  const { asset, version, offer } = found;
  const query = DownloadQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new Response("Choose a format, a width (256, 512, 1024 or 2048) and a colour such as #ffffff.", { status: 400 });
  try {
    const decision = decideDownload(offer, query.data);
    const file = downloadFile(asset, version, decision);
    const object = await openDownload(context.app, version, decision);
    if (!isPrefetch(request)) await recordDownload(context.app.db, { ...actorOf(user, context), id: user.id, partnerOrgId: user.partnerOrgId }, asset, version, file.label);
    return await serveObject(context.app.storage, request, object, { filename: file.filename });
  } catch (error) {
    throw domainResponse(error);
  }
}
