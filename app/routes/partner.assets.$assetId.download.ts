import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { downloadName, getAssetForPartner, recordDownload, renditionLabel, renditionOf } from "~/domain/assets/assets.server";
import { EXTENSIONS, isImageLike } from "~/domain/assets/catalog";
import { DownloadQuerySchema } from "~/domain/assets/schemas.server";
import { actorOf, requirePartnerUser } from "~/lib/guards.server";
import { serveObject } from "~/lib/serve-object.server";

/**
 * A partner's download: the original (where allowed) or a rendition in the
 * chosen format and width. Visibility (tier, retirement, usage window) is
 * checked here, on every request, exactly as for the pages; each download is
 * logged and audited.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const id = z.uuid().safeParse(params.assetId);
  const found = id.success ? await getAssetForPartner(context.app.db, user.partnerOrgId, id.data) : null;
  if (!found) throw new Response("Not found", { status: 404 });
  const { asset, version } = found;
  const query = DownloadQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new Response("Choose a format, a width (256, 512, 1024 or 2048) and a colour such as #ffffff.", { status: 400 });
  const choice = query.data;
  const image = isImageLike(version.contentType);
  const wantsOriginal = choice.format === "original" || !image;
  if (wantsOriginal && image && !asset.allowOriginal) throw new Response("The original file of this asset is not offered for download.", { status: 403 });
  if (!version.storageKey || !version.contentType || !version.sha256 || version.byteSize === null) throw new Response("Not found", { status: 404 });
  const actor = { ...actorOf(user, context), id: user.id, partnerOrgId: user.partnerOrgId };
  if (wantsOriginal) {
    await recordDownload(context.app.db, actor, asset, version, "original");
    return serveObject(
      context.app.storage,
      request,
      { key: version.storageKey, sha256: version.sha256, size: version.byteSize, contentType: version.contentType },
      { filename: downloadName(asset.title, version.number, EXTENSIONS[version.contentType] ?? "bin") },
    );
  }
  const wanted = { format: choice.format as "png" | "jpeg" | "webp", width: choice.width, background: choice.background };
  const rendition = await renditionOf(context.app, version, wanted);
  await recordDownload(context.app.db, actor, asset, version, renditionLabel(wanted));
  const width = Math.min(wanted.width, version.width ?? wanted.width);
  return serveObject(context.app.storage, request, rendition, { filename: downloadName(asset.title, version.number, EXTENSIONS[rendition.contentType] ?? wanted.format, `${width}px`) });
}
