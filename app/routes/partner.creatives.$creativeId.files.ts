import type { ActionFunctionArgs } from "@remix-run/node";
import { uploadCreativeFileOutcome } from "~/domain/creatives/files.server";
import { idParam, outcomeForEndpoint } from "~/lib/forms.server";
import { partnerActorOf, requirePartnerUser } from "~/lib/guards.server";

/**
 * The upload endpoint the creative page uses when JavaScript runs (so it can
 * show progress): the same flow as the page's own action, answered as JSON.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const outcome = await uploadCreativeFileOutcome(context.app, partnerActorOf(user, context), idParam(params, "creativeId"), request);
  return outcomeForEndpoint(outcome, context);
}
