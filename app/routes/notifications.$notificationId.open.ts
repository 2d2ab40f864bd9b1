import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { markRead } from "~/domain/notifications/notify.server";
import { domainErrorResponse } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { requireUser } from "~/lib/guards.server";

/**
 * Opening a notification (POST only): marks it read and goes where it leads,
 * a path of this site checked again on the way out. Someone else's
 * notification, or one that does not exist, is a 404.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(context, request);
  const id = idParam(params, "notificationId", "serial");
  try {
    const { href } = await markRead(context.app, user.id, id);
    return redirect(href);
  } catch (error) {
    throw await domainErrorResponse(error, { context, request });
  }
}
