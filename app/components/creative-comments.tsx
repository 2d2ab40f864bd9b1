import { useFetcher } from "@remix-run/react";
import type { ReviewComment } from "~/domain/review/catalog";
import { useEffect, useId, useRef } from "react";
import { formatDateTime } from "./format";
import { useHydrated } from "./use-hydrated";
import { Badge, Button, FormError, TextareaField } from "./ui";

/** The most a comment may say; the server's limit (app/domain/review/comments.server.ts) is the judge. */
const COMMENT_MAX_CHARS = 2000;

export type { ReviewComment };

/** What a comment is pinned to, for the list's "where" line. */
export type CommentedFile = { id: string; kind: "image" | "pdf" | "video"; originalFilename: string; pageCount: number | null };

/** What the comments action answers a script: the form's failure, or what was done. */
type CommentAnswer =
  | { ok: true; intent: string; message: string }
  | { ok: false; errors: Record<string, string[] | undefined>; formError: string | null; values: Record<string, string> };

const failureOf = (data: unknown) =>
  data && typeof data === "object" && "ok" in data && data.ok === false ? (data as Extract<CommentAnswer, { ok: false }>) : null;

/** Where a comment sits, in words: "brochure.pdf, page 2, pinned". */
function placeOf(comment: ReviewComment, files: CommentedFile[]): string {
  const file = files.find((f) => f.id === comment.fileId);
  if (!file) return "On the whole version";
  const page = file.kind === "pdf" && comment.page ? `, page ${comment.page}` : "";
  return `${file.originalFilename}${page}${comment.x !== null ? ", pinned" : ""}`;
}

/**
 * The comments of one version, numbered like their pins, open ones first in
 * number order and resolved ones after. With `actionUrl`, reviewers resolve
 * and reopen them; without it (the partner's page) the list is read-only.
 * `onShow` moves the viewer to the comment's file and page.
 */
export function CommentList({
  comments,
  files,
  actionUrl,
  emptyText,
  showHref,
  onShow,
}: {
  comments: ReviewComment[];
  files: CommentedFile[];
  actionUrl: string | null;
  emptyText: string;
  showHref: (comment: ReviewComment) => string | null;
  onShow: (comment: ReviewComment) => void;
}) {
  if (!comments.length) return <p className="muted">{emptyText}</p>;
  const ordered = [...comments.filter((c) => !c.resolvedAt), ...comments.filter((c) => c.resolvedAt)];
  return (
    <ol className="plain-list review-comments">
      {ordered.map((comment) => {
        const href = showHref(comment);
        return (
          <li key={comment.id} id={`comment-${comment.number}`} className={comment.resolvedAt ? "review-comment review-comment--resolved" : "review-comment"}>
            <div className="review-comment__head">
              <span className="review-pin review-pin--static" aria-hidden="true">
                {comment.number}
              </span>
              <span>
                <strong>
                  <span className="visually-hidden">Comment {comment.number} by </span>
                  {comment.authorName}
                </strong>{" "}
                <span className="muted small">{formatDateTime(new Date(comment.createdAt))}</span>
              </span>
              {comment.resolvedAt ? <Badge tone="success">Resolved</Badge> : null}
            </div>
            <p className="review-comment__body prose-block">{comment.body}</p>
            <p className="muted small">
              {href ? (
                <a
                  href={href}
                  onClick={(event) => {
                    event.preventDefault();
                    onShow(comment);
                  }}
                >
                  {placeOf(comment, files)}
                </a>
              ) : (
                placeOf(comment, files)
              )}
              {comment.resolvedAt
                ? ` · resolved ${comment.resolvedByName ? `by ${comment.resolvedByName} ` : ""}${formatDateTime(new Date(comment.resolvedAt))}`
                : null}
            </p>
            {actionUrl ? <ResolveButton comment={comment} actionUrl={actionUrl} /> : null}
          </li>
        );
      })}
    </ol>
  );
}

function ResolveButton({ comment, actionUrl }: { comment: ReviewComment; actionUrl: string }) {
  const fetcher = useFetcher<CommentAnswer>();
  const hydrated = useHydrated();
  const intent = comment.resolvedAt ? "reopen" : "resolve";
  const failure = failureOf(fetcher.data);
  return (
    <fetcher.Form method="post" action={actionUrl} className="review-comment__actions">
      <input type="hidden" name="commentId" value={comment.id} />
      {hydrated ? <input type="hidden" name="via" value="script" /> : null}
      <Button type="submit" name="intent" value={intent} variant="ghost" size="sm" pending={fetcher.state !== "idle"}>
        {intent === "resolve" ? "Resolve" : "Reopen"}
        <span className="visually-hidden"> comment {comment.number}</span>
      </Button>
      {failure ? <p className="text-danger small">{failure.formError ?? Object.values(failure.errors).flat()[0]}</p> : null}
    </fetcher.Form>
  );
}

/** Where a new comment goes: the version, and the file, page and point (x, y null: about the page). */
export type CommentTarget = { version: number; fileId: string | null; page: number | null; x: number | null; y: number | null };

/**
 * The form for one comment: at a pin the reviewer placed, or about the page
 * shown (the keyboard's way, and the one form that works without
 * JavaScript). With a script it posts through a fetcher and stays on the
 * page; `onSaved` hears what was done (to close the form and say so), and
 * `onCancel`, if given, is offered as a button.
 */
export function CommentForm({
  actionUrl,
  target,
  title,
  onSaved,
  onCancel,
  focusOnOpen = false,
}: {
  actionUrl: string;
  target: CommentTarget;
  title: string;
  onSaved?: (message: string) => void;
  onCancel?: () => void;
  focusOnOpen?: boolean;
}) {
  const fetcher = useFetcher<CommentAnswer>();
  const hydrated = useHydrated();
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const failure = failureOf(fetcher.data);
  // Opened by the reviewer (a click on the image, the comment button): the cursor goes where they will type.
  useEffect(() => {
    if (focusOnOpen) form.current?.querySelector("textarea")?.focus();
  }, [focusOnOpen]);
  const latestOnSaved = useRef(onSaved);
  useEffect(() => {
    latestOnSaved.current = onSaved;
  });
  // Once per answer (the object stays the same across renders): a saved comment empties the form and is reported.
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!answer?.ok) return;
    form.current?.reset();
    latestOnSaved.current?.(answer.message);
  }, [answer]);
  const hidden = { intent: "add", version: String(target.version), fileId: target.fileId ?? "", page: target.page ?? "", x: target.x ?? "", y: target.y ?? "" };
  return (
    <fetcher.Form method="post" action={actionUrl} ref={form} className="review-comment-form" aria-label={title} noValidate={hydrated}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={String(value)} />
      ))}
      {hydrated ? <input type="hidden" name="via" value="script" /> : null}
      {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
      <TextareaField
        id={`${id}-body`}
        label={title}
        name="body"
        rows={3}
        required
        defaultValue={failure?.values["body"] ?? ""}
        error={failure ? [...(failure.errors["body"] ?? []), ...["version", "fileId", "page", "x", "y"].flatMap((f) => failure.errors[f] ?? [])] : undefined}
        textareaProps={{ maxLength: COMMENT_MAX_CHARS }}
      />
      <div className="review-comment-form__actions">
        <Button type="submit" variant="primary" size="sm" pending={fetcher.state !== "idle"} pendingText="Adding…">
          Add comment
        </Button>
        {onCancel && hydrated ? (
          <Button variant="ghost" size="sm" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </fetcher.Form>
  );
}
