import type { ActionFunctionArgs } from "@remix-run/node";
import { CREATIVE_REVIEWER_ROLES } from "~/domain/accounts/roles";
import { DomainError } from "~/domain/errors";
import { claimStage, releaseStage } from "~/domain/review/decisions.server";
import { stageLabel } from "~/domain/review/matrix";
import { AssignmentSchema } from "~/domain/review/schemas.server";
import { domainErrorResponse } from "~/lib/domain-responses.server";
import { idParam, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";

/**
 * The queue's and the review page's claim / release buttons (POST only):
 * `intent` claim|release, `stage` brand|legal, and optionally `returnTo`, a
 * page under /admin/creatives to come back to (the creative otherwise). A
 * refusal because of the state of things (someone else holds it, it was
 * decided meanwhile) comes back to that page with the reason, where the
 * reviewer sees what changed; other refusals are their status.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireInternalUser(context, request, CREATIVE_REVIEWER_ROLES);
  const creativeId = idParam(params, "creativeId");
  const parsed = parseForm(await request.formData(), AssignmentSchema);
  // The fields are the buttons' own, so this is a tampered or stale form: a resource route answers it as data, not a page.
  if (!parsed.ok) return Response.json(parsed.failure, { status: 400 });
  const { intent, stage, returnTo } = parsed.data;
  const back = returnTo ?? `/admin/creatives/${creativeId}`;
  const actor = { ...actorOf(user, context), id: user.id };
  try {
    if (intent === "claim") await claimStage(context.app, actor, creativeId, stage);
    else await releaseStage(context.app, actor, creativeId, stage);
  } catch (error) {
    if (error instanceof DomainError && error.kind === "conflict") return redirectWithToast(context, back, { kind: "info", message: error.message });
    throw await domainErrorResponse(error, { context, request });
  }
  const label = stageLabel(stage).toLowerCase();
  return redirectWithToast(context, back, {
    kind: "success",
    message: intent === "claim" ? `The ${label} review is yours: others see you hold it.` : `You released the ${label} review for someone else to take.`,
  });
}
