import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParam } from "~/lib/forms.server";
import { ASSET_MANAGER_ROLES } from "~/domain/accounts/roles";
import { downloadName } from "~/domain/assets/downloads.server";
import { getAsset, getVersion } from "~/domain/assets/listing.server";
import { EXTENSIONS } from "~/domain/assets/catalog";
import { requireInternalUser } from "~/lib/guards.server";
import { serveObject } from "~/lib/serve-object.server";
import { notFound } from "~/lib/http.server";

/** A version's stored file (?version=N, default the newest), always as an attachment. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, ASSET_MANAGER_ROLES);
  const id = idParam(params, "assetId");
  const found = await getAsset(context.app.db, id);
  const version = found && (await getVersion(context.app.db, id, Number(new URL(request.url).searchParams.get("version")) || null));
  if (!found || !version?.storageKey || !version.contentType || !version.sha256 || version.byteSize === null) notFound();
  return serveObject(
    context.app.storage,
    request,
    { key: version.storageKey, sha256: version.sha256, size: version.byteSize, contentType: version.contentType },
    { filename: downloadName(found.title, version.number, EXTENSIONS[version.contentType] ?? "bin") },
  );
}
