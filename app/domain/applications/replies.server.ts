import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { applicationReplies } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import type { Db } from "~/lib/db.server";
import { parseForm } from "~/lib/forms.server";
import type { ClientMeta } from "../accounts/login.server";
import { inspectUpload, receiveFileForm, type AcceptedFiles, type ReceivedUpload } from "../assets/files.server";
import { uploadFailure, type UploadOutcome } from "../assets/upload-flow.server";
import { amendApplication, type ReplyToStore } from "./amend.server";
import { AmendSchema } from "./schemas.server";
import { submittedLocation } from "./submit.server";
import { EXTENSIONS } from "../assets/catalog";

export const REPLY_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const REPLY_FILES: AcceptedFiles = { types: ["application/pdf", "image/png", "image/jpeg"], label: "An attachment", field: "attachment" };
// The amend form's fields are short apart from two 2,000-character answers.
const FIELD_LIMIT_BYTES = 32 * 1024;
const MAX_FIELDS = 60;

/** A generated key per reply: nothing of the applicant's file name reaches storage. */
export const replyAttachmentKey = (replyId: string) => `application-replies/${replyId}/attachment`;

/**
 * The form of the amend page: multipart when a file may come with it (read
 * with the file streamed to storage), or an ordinary form without one.
 */
async function receiveAmendForm(ctx: AppContext, request: Request, key: string): Promise<ReceivedUpload> {
  if (!/^multipart\/form-data/i.test(request.headers.get("Content-Type") ?? "")) return { fields: await request.formData(), file: null };
  return receiveFileForm(ctx.storage, request, {
    key,
    field: REPLY_FILES.field,
    maxBytes: () => REPLY_ATTACHMENT_MAX_BYTES,
    fieldLimitBytes: FIELD_LIMIT_BYTES,
    maxFields: MAX_FIELDS,
  });
}

/**
 * The applicant sends back an amended application with, optionally, a text
 * answer and one file. The file is streamed to a generated key, checked from
 * its content (PDF, PNG or JPEG; images decoded under the pixel limit), and
 * the rows are written only after that; any refusal, including an invalid
 * link, deletes the object, so nothing is left behind.
 */
export async function amendWithReply(ctx: AppContext, request: Request, meta: ClientMeta, origin: string): Promise<UploadOutcome> {
  const replyId = randomUUID();
  const key = replyAttachmentKey(replyId);
  let received: ReceivedUpload | null = null;
  try {
    received = await receiveAmendForm(ctx, request, key);
    const parsed = parseForm(received.fields, AmendSchema);
    if (!parsed.ok) {
      if (received.file) await ctx.storage.delete(key);
      return { ok: false, kind: "invalid", failure: parsed.failure };
    }
    const { reply, ...answers } = parsed.data;
    const file = received.file;
    const attachment = file ? { key, filename: file.filename, ...(await inspectUpload(ctx.storage, file, REPLY_FILES)) } : null;
    const toStore: ReplyToStore | null = reply || attachment ? { id: replyId, message: reply, attachment } : null;
    const token = String(received.fields.get("token") ?? "");
    const { reference } = await amendApplication(ctx, token, answers, meta, origin, toStore);
    return { ok: true, location: submittedLocation(reference, { amended: true }) };
  } catch (error) {
    if (received?.file) await ctx.storage.delete(key);
    return uploadFailure(error, received?.fields ?? null);
  }
}

/** A reply's attachment, only through the application it belongs to (anything else: null, a 404). */
export async function getReplyAttachment(db: Db, applicationId: string, replyId: string) {
  const [row] = await db
    .select()
    .from(applicationReplies)
    .where(and(eq(applicationReplies.id, replyId), eq(applicationReplies.applicationId, applicationId)));
  if (!row?.attachmentKey || !row.attachmentSha256 || !row.attachmentContentType || row.attachmentSize === null) return null;
  return {
    key: row.attachmentKey,
    sha256: row.attachmentSha256,
    contentType: row.attachmentContentType,
    size: row.attachmentSize,
    filename: downloadNameOf(row.attachmentName, row.attachmentContentType),
  };
}

/**
 * The applicant's file name with the extension of what the file really is:
 * a PDF uploaded as "notes.html" downloads as "notes.pdf", never as a page
 * that the reviewer's computer would open in a browser.
 */
export function downloadNameOf(uploadedName: string | null, contentType: string): string {
  const base = (uploadedName ?? "").split(/[\\/]/).pop() ?? "";
  const stem = base.replace(/\.[^.]*$/, "").trim() || "attachment";
  return `${stem}.${EXTENSIONS[contentType] ?? "bin"}`;
}
