import type { ActionFunctionArgs } from "@remix-run/node";
import { ASSET_MANAGER_ROLES } from "~/domain/accounts/roles";
import { getAsset } from "~/domain/assets/listing.server";
import { uploadNewAsset, uploadNewVersion } from "~/domain/assets/upload-flow.server";
import { formFailure, outcomeForEndpoint, uuidOrNull } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";

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
    // Answered as the form's failure, in JSON like every answer here: the script shows it on the form.
    if (!found) return outcomeForEndpoint({ ok: false, kind: "not_found", failure: formFailure(new FormData(), "Asset not found.") }, context);
    outcome = await uploadNewVersion(context.app, actor, request, found);
  } else {
    outcome = await uploadNewAsset(context.app, actor, request);
  }
  return outcomeForEndpoint(outcome, context);
}
