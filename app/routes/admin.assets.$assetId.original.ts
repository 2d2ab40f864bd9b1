import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { ASSET_MANAGER_ROLES } from "~/domain/accounts/roles";
import { downloadName, getAssetForTeam, getVersion } from "~/domain/assets/assets.server";
import { EXTENSIONS } from "~/domain/assets/catalog";
import { requireInternalUser } from "~/lib/guards.server";
import { serveObject } from "~/lib/serve-object.server";

/** A version's stored file (?version=N, default the newest), always as an attachment. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, ASSET_MANAGER_ROLES);
  const id = z.uuid().safeParse(params.assetId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const found = await getAssetForTeam(context.app.db, id.data);
  const version = found && (await getVersion(context.app.db, id.data, Number(new URL(request.url).searchParams.get("version")) || null));
  if (!found || !version?.storageKey || !version.contentType || !version.sha256 || version.byteSize === null) throw new Response("Not found", { status: 404 });
  return serveObject(
    context.app.storage,
    request,
    { key: version.storageKey, sha256: version.sha256, size: version.byteSize, contentType: version.contentType },
    { filename: downloadName(found.asset.title, version.number, EXTENSIONS[version.contentType] ?? "bin") },
  );
}
