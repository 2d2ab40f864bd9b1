import type { LoaderFunctionArgs } from "@remix-run/node";
import { previewObject } from "~/domain/assets/renditions.server";
import { getAssetForPartner } from "~/domain/assets/visibility.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";
import { serveObject } from "~/lib/serve-object.server";

/** The rasterized preview of an asset the partner may see (not logged: it is what the hub shows). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const id = idParam(params, "assetId");
  const found = await mapDomainErrors(getAssetForPartner(context.app.db, user.partnerOrgId, id, context.app.clock.now()), { context, request });
  const preview = found && previewObject(found.version);
  if (!preview) notFound();
  return serveObject(context.app.storage, request, preview, { filename: "preview.png", inline: true });
}
