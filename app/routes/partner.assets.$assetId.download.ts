import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordDownload } from "~/domain/assets/download-log.server";
import { decideDownload, downloadFile, getDownloadableAsset, openDownload } from "~/domain/assets/downloads.server";
import { DownloadQuerySchema } from "~/domain/assets/schemas.server";
import { DomainError } from "~/domain/errors";
import { assertPartnerMayDownload } from "~/domain/partners/lifecycle.server";
import { getBranding } from "~/domain/settings/program.server";
import { domainErrorResponse, mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { actorOf, requirePartnerUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";
import { isPrefetch } from "~/lib/prefetch.server";
import { serveObject } from "~/lib/serve-object.server";

const MALFORMED_CHOICE =
  "Choose a format (PNG, JPEG, WebP or the original), a width (256, 512, 1024 or 2048 px, or the original size) and a colour such as #ffffff.";

/**
 * A partner's download (refused with a 403 page while the partnership is
 * paused or terminated): the original (where offered) or a rendition in a
 * format, width and background the asset offers (decideDownload). Visibility
 * (tier, retirement, usage window) is checked here, on every request, exactly
 * as for the pages; each download is logged and audited, except a browser's
 * prefetch, which is served but is nobody's download.
 *
 * A refused choice (a URL edited by hand, or an old link after the brand
 * changed what it offers) answers with an HTML page in the portal's look,
 * with its 400/403 status and a link back to the asset's page, rather than
 * plain text: the person is in a browser tab, not a script. Not a redirect
 * to the asset page with a notice: the status would be lost, and the
 * refusal would look like a page that loaded fine.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const assetId = idParam(params, "assetId");
  const found = await mapDomainErrors(getDownloadableAsset(context.app.db, user.partnerOrgId, assetId, context.app.clock.now()), { context, request });
  if (!found) notFound();
  const { asset, version, offer } = found;
  const query = DownloadQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  try {
    await assertPartnerMayDownload(context.app.db, user.partnerOrgId);
    if (!query.success) throw new DomainError(MALFORMED_CHOICE);
    const decision = decideDownload(offer, query.data);
    const file = downloadFile(asset, version, decision);
    const object = await openDownload(context.app, version, decision);
    if (!isPrefetch(request))
      await recordDownload(context.app.db, { ...actorOf(user, context), id: user.id, partnerOrgId: user.partnerOrgId }, asset, version, file.label);
    return await serveObject(context.app.storage, request, object, { filename: file.filename });
  } catch (error) {
    throw await domainErrorResponse(error, { context, request }, async () => ({
      back: { href: `/partner/assets/${asset.id}`, label: `Back to ${asset.title}` },
      branding: await getBranding(context.app.db),
    }));
  }
}
