import { data, type ActionFunctionArgs } from "@remix-run/node";
import { CREATIVE_REVIEWER_ROLES } from "~/domain/accounts/roles";
import { addComment, CommentActionSchema, reopenComment, resolveComment } from "~/domain/review/comments.server";
import { getBranding } from "~/domain/settings/program.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { errorDocument } from "~/lib/error-document.server";
import { idParam, parseForm, type FormFailure } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";

/**
 * The review page's comments: `add` (a pin, a page-level or a version-level
 * comment), `resolve` and `reopen`. The viewer's script posts with a fetcher
 * and `via=script`: the answer is action data (the page's loader runs again
 * and shows the new list). A form posted without JavaScript gets a redirect
 * back to the review page with a toast, or, when refused, a page with the
 * message and the way back.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireInternalUser(context, request, CREATIVE_REVIEWER_ROLES);
  const creativeId = idParam(params, "creativeId");
  const formData = await request.formData();
  const scripted = formData.get("via") === "script";
  const back = `/admin/creatives/${creativeId}`;
  const refused = async (failure: FormFailure, status: number) => {
    if (scripted) return data(failure, { status });
    const messages = [failure.formError, ...Object.values(failure.errors).flat()].filter(Boolean);
    return errorDocument({
      status,
      title: "Comment not saved",
      message: `The comment was not saved. ${messages.join(" ")}`,
      back: { href: back, label: "Back to the creative" },
      branding: await getBranding(context.app.db),
    });
  };
  const parsed = parseForm(formData, CommentActionSchema);
  if (!parsed.ok) return refused(parsed.failure, 400);
  const actor = { ...actorOf(user, context), id: user.id, role: user.role };
  const input = parsed.data;
  let message: string;
  let anchor: string;
  try {
    if (input.intent === "add") {
      const added = await addComment(context.app, actor, creativeId, {
        version: input.version,
        fileId: input.fileId,
        page: input.page,
        x: input.x,
        y: input.y,
        body: input.body,
      });
      message = `Comment ${added.number} added.`;
      anchor = `comment-${added.number}`;
    } else {
      const changed = await (input.intent === "resolve" ? resolveComment : reopenComment)(context.app, actor, creativeId, input.commentId);
      message = `Comment ${changed.number} ${input.intent === "resolve" ? "resolved" : "reopened"}.`;
      anchor = `comment-${changed.number}`;
    }
  } catch (error) {
    const answer = await domainFailure(error, formData, { context, request });
    return refused(answer.data, answer.init?.status ?? 400);
  }
  if (scripted) return data({ ok: true as const, intent: input.intent, message });
  return redirectWithToast(context, `${back}${viewParams(formData)}#${anchor}`, { kind: "success", message });
}

/** The file and page the reviewer was looking at, so the page comes back to them. */
function viewParams(formData: FormData): string {
  const params = new URLSearchParams();
  const fileId = formData.get("fileId");
  const page = formData.get("page");
  if (typeof fileId === "string" && /^[0-9a-f-]{36}$/i.test(fileId)) params.set("file", fileId);
  if (typeof page === "string" && /^[1-9]\d{0,5}$/.test(page)) params.set("page", page);
  const query = params.toString();
  return query ? `?${query}` : "";
}
