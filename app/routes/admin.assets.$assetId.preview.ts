import type { LoaderFunctionArgs } from "@remix-run/node";
import { ASSET_MANAGER_ROLES } from "~/domain/accounts/roles";
import { getVersion } from "~/domain/assets/listing.server";
import { previewObject } from "~/domain/assets/renditions.server";
import { idParam } from "~/lib/forms.server";
import { requireInternalUser } from "~/lib/guards.server";
import { serveObject } from "~/lib/serve-object.server";
import { notFound } from "~/lib/http.server";

/** The rasterized preview of an asset's version (?v=N, default the newest), for the brand team. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, ASSET_MANAGER_ROLES);
  const id = idParam(params, "assetId");
  const number = Number(new URL(request.url).searchParams.get("v")) || null;
  const version = await getVersion(context.app.db, id, number);
  const preview = version && previewObject(version);
  if (!preview) notFound();
  return serveObject(context.app.storage, request, preview, { filename: "preview.png", inline: true });
}
