import type { ActionFunctionArgs } from "@remix-run/node";
import { ASSET_MANAGER_ROLES } from "~/domain/accounts/roles";
import { getAsset } from "~/domain/assets/assets.server";
import { uploadNewAsset, uploadNewVersion } from "~/domain/assets/upload-flow.server";
import { closeIfUnread, uuidOrNull } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { toastHeaders } from "~/lib/toast.server";

/**
 * The upload endpoint the asset forms use when JavaScript runs (so they can
 * show progress): the same flow as the pages' own actions, answered as JSON.
 * `?asset=<id>` adds a version to that asset.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireInternalUser(context, request, ASSET_MANAGER_ROLES);
  const actor = { ...actorOf(user, context), id: user.id };
  const assetParam = new URL(request.url).searchParams.get("asset");
  let outcome;
  if (assetParam) {
    const id = uuidOrNull(assetParam);
    const found = id ? await getAsset(context.app.db, id) : null;
    if (!found) return Response.json({ ok: false, errors: {}, formError: "Asset not found.", values: {} }, { status: 404 });
    outcome = await uploadNewVersion(context.app, actor, request, found);
  } else {
    outcome = await uploadNewAsset(context.app, actor, request);
  }
  // The form navigates to `location` itself; the toast cookie makes that page say what happened.
  if (outcome.ok) return Response.json({ ok: true, location: outcome.location }, { headers: await toastHeaders(context, outcome.toast) });
  return Response.json(outcome.failure, { status: outcome.status, headers: closeIfUnread(outcome.status) });
}
