import { and, asc, desc, eq, max, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { creativeComments, creativeFiles, creatives, creativeVersionFiles, creativeVersions, users } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { RequiredText, WholeNumber } from "~/lib/forms.server";
import { CREATIVE_REVIEWER_ROLES, hasRole, type InternalRole } from "../accounts/roles";
import { DomainError, ForbiddenError, NotFoundError } from "../errors";
import type { ReviewComment } from "./catalog";

/** The most a comment may say: a note on a point, not a brief. */
export const COMMENT_MAX_CHARS = 2000;

/** A member of the brand team acting on comments; the role decides whether they may. */
export type ReviewActor = Actor & { id: string; role: InternalRole };

/**
 * Where a comment goes. `fileId` null: about the whole version. `page` is
 * 1-based (1 for an image or a video), null only without a file. `x`, `y`
 * are fractions of the page's width and height, both or neither: without
 * them the comment is about the page (the keyboard's way to comment).
 */
export type CommentInput = { version: number; fileId: string | null; page: number | null; x: number | null; y: number | null; body: string };

const optional = <T>(read: (value: string, ctx: z.RefinementCtx) => T) =>
  z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((value, ctx) => (value ? read(value, ctx) : null));

const fraction = (label: string) =>
  optional((value, ctx) => {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
    ctx.addIssue({ code: "custom", message: `The pin's ${label} position must be a number.` });
    return z.NEVER;
  });

/** The comments form (the review page's pin form and its page-level form, and the resolve/reopen buttons). */
export const CommentActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("add"),
    version: WholeNumber("the version", 1, 1_000_000),
    fileId: optional((value, ctx) => {
      const parsed = z.uuid().safeParse(value);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: "custom", message: "Choose a file of this version." });
      return z.NEVER;
    }),
    page: optional((value, ctx) => {
      if (/^\d{1,6}$/.test(value)) return Number(value);
      ctx.addIssue({ code: "custom", message: "Enter the page as a whole number." });
      return z.NEVER;
    }),
    x: fraction("horizontal"),
    y: fraction("vertical"),
    body: RequiredText("A comment", COMMENT_MAX_CHARS),
  }),
  z.object({ intent: z.literal("resolve"), commentId: z.uuid("Choose a comment.") }),
  z.object({ intent: z.literal("reopen"), commentId: z.uuid("Choose a comment.") }),
]);

function assertMayComment(actor: ReviewActor): void {
  if (!hasRole(actor.role, CREATIVE_REVIEWER_ROLES)) throw new ForbiddenError("Analysts read the review; only reviewers comment.", `role_${actor.role}`);
}

/** The rules a comment's text and position follow on their own, before the version and its files are read. */
function checkShape(input: CommentInput): string {
  const body = input.body.replace(/\r\n?/g, "\n").trim();
  if (!body) throw new DomainError("A comment is required.", { field: "body" });
  if (body.length > COMMENT_MAX_CHARS) throw new DomainError(`A comment must be at most ${COMMENT_MAX_CHARS} characters.`, { field: "body" });
  if ((input.x === null) !== (input.y === null)) throw new DomainError("A pin needs both its horizontal and vertical position.", { field: "x" });
  for (const [field, value] of [
    ["x", input.x],
    ["y", input.y],
  ] as const) {
    if (value !== null && !(Number.isFinite(value) && value >= 0 && value <= 1))
      throw new DomainError("A pin must sit on the image: its position is between 0 and 1.", { field });
  }
  if (input.fileId === null && (input.page !== null || input.x !== null))
    throw new DomainError("A comment on a page or a point needs its file.", { field: input.page !== null ? "page" : "x" });
  return body;
}

/**
 * A reviewer's comment on the latest version of a creative, pinned to a point
 * of one of its files, about one page, or about the version. The creative's
 * row is locked while the next number is counted, so comments added at the
 * same time get distinct numbers (1, 2, 3… per version, the pins' labels).
 * An older version is refused (409): its review is over, and the partner
 * works from the newest one.
 */
export async function addComment(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: ReviewActor,
  creativeId: string,
  input: CommentInput,
): Promise<{ id: string; number: number }> {
  assertMayComment(actor);
  const body = checkShape(input);
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    const [creative] = await tx
      .select({ id: creatives.id, organisationId: creatives.organisationId, latestVersion: creatives.latestVersion })
      .from(creatives)
      .where(and(eq(creatives.id, creativeId), sql`${creatives.status} <> 'draft'`))
      .for("update");
    if (!creative) throw new NotFoundError("Creative not found.");
    const [version] = await tx
      .select({ id: creativeVersions.id, number: creativeVersions.number })
      .from(creativeVersions)
      .where(and(eq(creativeVersions.creativeId, creativeId), eq(creativeVersions.number, input.version)));
    if (!version) throw new DomainError(`This creative has no version ${input.version}.`, { field: "version" });
    if (version.number !== creative.latestVersion)
      throw new DomainError(`Comments go on the latest version (${creative.latestVersion}).`, { kind: "conflict", field: "version" });
    if (input.fileId !== null) {
      const [file] = await tx
        .select({ kind: creativeFiles.kind, pageCount: creativeFiles.pageCount })
        .from(creativeVersionFiles)
        .innerJoin(creativeFiles, eq(creativeFiles.id, creativeVersionFiles.fileId))
        .where(and(eq(creativeVersionFiles.versionId, version.id), eq(creativeVersionFiles.fileId, input.fileId)));
      if (!file) throw new DomainError(`That file is not part of version ${version.number}.`, { field: "fileId" });
      const pages = file.kind === "pdf" ? (file.pageCount ?? 1) : 1;
      if (input.page === null || !Number.isInteger(input.page) || input.page < 1 || input.page > pages)
        throw new DomainError(pages === 1 ? "This file has one page: comment on page 1." : `Choose a page from 1 to ${pages}.`, { field: "page" });
      if (file.kind === "video" && input.x !== null) throw new DomainError("Pins go on images and PDF pages; comment on the video as a whole.", { field: "x" });
    }
    const [last] = await tx
      .select({ n: max(creativeComments.number) })
      .from(creativeComments)
      .where(eq(creativeComments.versionId, version.id));
    const number = (last?.n ?? 0) + 1;
    const [comment] = await tx
      .insert(creativeComments)
      .values({
        creativeId,
        versionId: version.id,
        number,
        fileId: input.fileId,
        page: input.fileId === null ? null : input.page,
        x: input.x,
        y: input.y,
        body,
        authorId: actor.id,
        createdAt: now,
      })
      .returning({ id: creativeComments.id });
    await recordAudit(tx, {
      actor,
      action: "creative.comment_added",
      subjectType: "creative",
      subjectId: creativeId,
      partnerOrgId: creative.organisationId,
      data: { commentId: comment!.id, version: version.number, number, fileId: input.fileId, page: input.page, pinned: input.x !== null },
      at: now,
    });
    return { id: comment!.id, number };
  });
}

/** Marks a comment dealt with (its pin is dimmed); a resolved comment is refused with 409. */
export function resolveComment(ctx: Pick<AppContext, "db" | "clock">, actor: ReviewActor, creativeId: string, commentId: string): Promise<{ number: number }> {
  return setResolved(ctx, actor, creativeId, commentId, true);
}

/** Opens a resolved comment again; an open one is refused with 409. */
export function reopenComment(ctx: Pick<AppContext, "db" | "clock">, actor: ReviewActor, creativeId: string, commentId: string): Promise<{ number: number }> {
  return setResolved(ctx, actor, creativeId, commentId, false);
}

async function setResolved(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: ReviewActor,
  creativeId: string,
  commentId: string,
  resolved: boolean,
): Promise<{ number: number }> {
  assertMayComment(actor);
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    const [row] = await tx
      .select({ comment: creativeComments, organisationId: creatives.organisationId, version: creativeVersions.number })
      .from(creativeComments)
      .innerJoin(creatives, eq(creatives.id, creativeComments.creativeId))
      .innerJoin(creativeVersions, eq(creativeVersions.id, creativeComments.versionId))
      .where(and(eq(creativeComments.id, commentId), eq(creativeComments.creativeId, creativeId)))
      .for("update", { of: creativeComments });
    if (!row) throw new NotFoundError("Comment not found.");
    const { comment } = row;
    if ((comment.resolvedAt !== null) === resolved)
      throw new DomainError(`Comment ${comment.number} is already ${resolved ? "resolved" : "open"}.`, { kind: "conflict", field: "commentId" });
    await tx
      .update(creativeComments)
      .set(resolved ? { resolvedAt: now, resolvedById: actor.id } : { resolvedAt: null, resolvedById: null })
      .where(eq(creativeComments.id, commentId));
    await recordAudit(tx, {
      actor,
      action: resolved ? "creative.comment_resolved" : "creative.comment_reopened",
      subjectType: "creative",
      subjectId: creativeId,
      partnerOrgId: row.organisationId,
      data: { commentId, version: row.version, number: comment.number },
      at: now,
    });
    return { number: comment.number };
  });
}

export type ShownComment = ReviewComment;

/** The comments of one version, in number order. */
export type VersionComments = { version: number; comments: ShownComment[] };

const resolver = alias(users, "resolver");

/** Every comment on the creative, with who wrote and resolved it, grouped per version (newest version first). */
export async function commentsOfCreative(db: Db, creativeId: string): Promise<VersionComments[]> {
  const rows = await db
    .select({
      id: creativeComments.id,
      number: creativeComments.number,
      version: creativeVersions.number,
      fileId: creativeComments.fileId,
      page: creativeComments.page,
      x: creativeComments.x,
      y: creativeComments.y,
      body: creativeComments.body,
      authorName: users.name,
      createdAt: creativeComments.createdAt,
      resolvedAt: creativeComments.resolvedAt,
      resolvedByName: resolver.name,
    })
    .from(creativeComments)
    .innerJoin(creativeVersions, eq(creativeVersions.id, creativeComments.versionId))
    .innerJoin(users, eq(users.id, creativeComments.authorId))
    .leftJoin(resolver, eq(resolver.id, creativeComments.resolvedById))
    .where(eq(creativeComments.creativeId, creativeId))
    .orderBy(desc(creativeVersions.number), asc(creativeComments.number));
  const groups: VersionComments[] = [];
  for (const row of rows) {
    const shown: ShownComment = { ...row, createdAt: row.createdAt.toISOString(), resolvedAt: row.resolvedAt?.toISOString() ?? null };
    const group = groups.at(-1);
    if (group?.version === row.version) group.comments.push(shown);
    else groups.push({ version: row.version, comments: [shown] });
  }
  return groups;
}

/** The same list for the partner: only for a creative of their own organisation (anyone else's is NotFoundError). */
export async function commentsForPartner(db: Db, partnerOrgId: string, creativeId: string): Promise<VersionComments[]> {
  const [own] = await db
    .select({ id: creatives.id })
    .from(creatives)
    .where(and(eq(creatives.id, creativeId), eq(creatives.organisationId, partnerOrgId)));
  if (!own) throw new NotFoundError("Creative not found.");
  return commentsOfCreative(db, creativeId);
}

/** The comments of one version out of the groups (none yet: an empty list). */
export const commentsOfVersion = (groups: VersionComments[], version: number): ShownComment[] => groups.find((g) => g.version === version)?.comments ?? [];
