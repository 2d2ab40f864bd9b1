import type { LoaderFunctionArgs } from "@remix-run/node";
import { APPLICATION_REVIEWER_ROLES } from "~/domain/accounts/roles";
import { getReplyAttachment } from "~/domain/applications/replies.server";
import { idParam } from "~/lib/forms.server";
import { requireInternalUser } from "~/lib/guards.server";
import { serveObject } from "~/lib/serve-object.server";
import { notFound } from "~/lib/http.server";

/** The file an applicant attached to a reply, for reviewers, always as an attachment (never shown inline as uploaded). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, APPLICATION_REVIEWER_ROLES);
  const attachment = await getReplyAttachment(context.app.db, idParam(params, "applicationId"), idParam(params, "replyId"));
  if (!attachment) notFound();
  return serveObject(context.app.storage, request, attachment, { filename: attachment.filename });
}
