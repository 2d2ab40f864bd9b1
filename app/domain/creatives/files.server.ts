import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { and, count, eq, inArray, isNull } from "drizzle-orm";
import { creativeFiles, creatives, creativeVersionFiles } from "#db/schema/index";
import { recordAudit } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction } from "~/lib/db.server";
import type { FormOutcome } from "~/lib/forms.server";
import { inspectPdf, PdfRejected } from "~/lib/pdf.server";
import { inspectUpload, readAll, receiveFileForm, sniffContentType, type StoredFile } from "../assets/files.server";
import { uploadFailure } from "../assets/upload-flow.server";
import { DomainError, NotFoundError } from "../errors";
import { sweepOrphanObjects } from "../orphans.server";
import { CREATIVE_FILE_TYPES, CREATIVE_LIMITS, CREATIVE_MAX_FILE_BYTES, isEditable, type CreativeFileType } from "./catalog";
import { assertOrganisationMaySubmit, type PartnerActor } from "./submissions.server";

const MB = 1024 * 1024;

export const creativeFileKey = (creativeId: string, fileId: string) => `creatives/${creativeId}/${fileId}/original`;
export const creativePreviewKey = (creativeId: string, fileId: string) => `creatives/${creativeId}/${fileId}/preview.png`;

const isCreativeFileType = (type: string | null): type is CreativeFileType => type !== null && Object.hasOwn(CREATIVE_FILE_TYPES, type);

const ACCEPTED = "PNG, JPEG, WebP or GIF images, PDF documents, or MP4 or WebM video";

type Inspected = {
  contentType: CreativeFileType;
  kind: "image" | "pdf" | "video";
  width: number | null;
  height: number | null;
  pageCount: number | null;
  preview: Buffer | null;
  size: number;
  sha256: string;
};

/**
 * Decides what an uploaded creative file is from its content and checks it:
 * the type, its own size limit, and for images a full decode under the pixel
 * limit (GIF: the first frame makes the preview); a PDF is opened to count
 * its pages and draw the first; a video is stored as it is, without a preview.
 */
async function inspectCreativeFile(ctx: AppContext, stored: StoredFile): Promise<Inspected> {
  if (stored.size === 0) throw new DomainError("The file is empty.", { field: "file" });
  const sniffed = await sniffContentType(stored.head);
  if (!isCreativeFileType(sniffed))
    throw new DomainError(`This is not a file type creatives can use. Upload ${ACCEPTED}.`, { field: "file", kind: "unsupported_type" });
  const { kind, maxBytes } = CREATIVE_FILE_TYPES[sniffed];
  if (stored.size > maxBytes)
    throw new DomainError(`${kind === "image" ? "Images" : kind === "pdf" ? "PDFs" : "Videos"} must be under ${maxBytes / MB} MB.`, {
      field: "file",
      kind: "too_large",
    });
  const base = { contentType: sniffed, kind, size: stored.size, sha256: stored.sha256 };
  if (kind === "image") {
    const checked = await inspectUpload(ctx.storage, stored, { types: [sniffed], label: "Images", field: "file" });
    return { ...base, width: checked.width, height: checked.height, pageCount: null, preview: checked.preview };
  }
  if (kind === "pdf") {
    // pdfjs needs the whole document in memory; PDFs are capped at 100 MB, videos (streamed only) are not read.
    const facts = await inspectPdf(new Uint8Array(await readAll(await ctx.storage.get(stored.key), maxBytes))).catch((error: unknown) => {
      if (error instanceof PdfRejected) throw new DomainError(error.message, { field: "file", kind: "unprocessable" });
      throw error;
    });
    return { ...base, width: null, height: null, pageCount: facts.pageCount, preview: facts.firstPage };
  }
  return { ...base, width: null, height: null, pageCount: null, preview: null };
}

/**
 * Adds a file to the working copy of the partner's creative: the file
 * streams to storage (never held in memory) under a generated key, is checked
 * from its content, and only then gets its row; any refusal, or a client that
 * goes away, leaves no row and no object.
 */
export async function uploadCreativeFile(ctx: AppContext, partner: PartnerActor, creativeId: string, request: Request): Promise<{ fileId: string }> {
  const fileId = randomUUID();
  const key = creativeFileKey(creativeId, fileId);
  const previewKey = creativePreviewKey(creativeId, fileId);
  await assertAcceptsFiles(ctx, partner, creativeId);
  const received = await receiveFileForm(ctx.storage, request, {
    key,
    field: "file",
    fieldLimitBytes: 1024,
    maxFields: 10,
    maxBytes: () => CREATIVE_MAX_FILE_BYTES,
  });
  const file = received.file;
  if (!file) throw new DomainError("Choose a file to upload.", { field: "file" });
  try {
    const inspected = await inspectCreativeFile(ctx, file);
    if (inspected.preview) await ctx.storage.put(previewKey, Readable.from([inspected.preview]), { maxBytes: 10 * MB, contentType: "image/png" });
    const now = ctx.clock.now();
    await transaction(ctx.db, async (tx) => {
      const [creative] = await tx
        .select()
        .from(creatives)
        .where(and(eq(creatives.id, creativeId), eq(creatives.organisationId, partner.partnerOrgId)))
        .for("update");
      if (!creative) throw new NotFoundError("Creative not found.");
      if (!isEditable(creative.status))
        throw new DomainError("This creative is waiting for a decision, so files cannot be added now.", { kind: "conflict", field: "file" });
      const [attached] = await tx
        .select({ n: count() })
        .from(creativeFiles)
        .where(and(eq(creativeFiles.creativeId, creativeId), isNull(creativeFiles.detachedAt)));
      if (Number(attached?.n ?? 0) >= CREATIVE_LIMITS.filesPerCreative) {
        throw new DomainError(`A creative has at most ${CREATIVE_LIMITS.filesPerCreative} files. Remove one before adding another.`, {
          field: "file",
          kind: "conflict",
        });
      }
      await tx.insert(creativeFiles).values({
        id: fileId,
        creativeId,
        kind: inspected.kind,
        storageKey: key,
        previewKey: inspected.preview ? previewKey : null,
        contentType: inspected.contentType,
        originalFilename: file.filename,
        byteSize: inspected.size,
        sha256: inspected.sha256,
        width: inspected.width,
        height: inspected.height,
        pageCount: inspected.pageCount,
        uploadedById: partner.id,
        createdAt: now,
      });
      await tx.update(creatives).set({ updatedAt: now }).where(eq(creatives.id, creativeId));
      await recordAudit(tx, {
        actor: partner,
        action: "creative.file_added",
        subjectType: "creative",
        subjectId: creativeId,
        partnerOrgId: partner.partnerOrgId,
        data: { fileId, filename: file.filename, contentType: inspected.contentType, size: inspected.size },
        at: now,
      });
    });
    return { fileId };
  } catch (error) {
    await Promise.all([ctx.storage.delete(key), ctx.storage.delete(previewKey)]);
    throw error;
  }
}

/** Refuses before the body is read: a file for a creative that cannot take one is not streamed to storage at all. */
async function assertAcceptsFiles(ctx: AppContext, partner: PartnerActor, creativeId: string): Promise<void> {
  await assertOrganisationMaySubmit(ctx.db, partner.partnerOrgId);
  const [creative] = await ctx.db
    .select({ status: creatives.status })
    .from(creatives)
    .where(and(eq(creatives.id, creativeId), eq(creatives.organisationId, partner.partnerOrgId)));
  if (!creative) throw new NotFoundError("Creative not found.");
  if (!isEditable(creative.status))
    throw new DomainError("This creative is waiting for a decision, so files cannot be added now.", { kind: "conflict", field: "file" });
}

/**
 * Takes a file off the working copy. A file no version refers to is deleted
 * (row, then its objects); one a submitted version holds stays, detached, so
 * the version keeps exactly what was reviewed.
 */
export async function removeCreativeFile(ctx: AppContext, partner: PartnerActor, creativeId: string, fileId: string): Promise<void> {
  const now = ctx.clock.now();
  const deleted = await transaction(ctx.db, async (tx) => {
    const [creative] = await tx
      .select()
      .from(creatives)
      .where(and(eq(creatives.id, creativeId), eq(creatives.organisationId, partner.partnerOrgId)))
      .for("update");
    if (!creative) throw new NotFoundError("Creative not found.");
    if (!isEditable(creative.status))
      throw new DomainError("This creative is waiting for a decision, so its files cannot be changed now.", { kind: "conflict" });
    const [file] = await tx
      .select()
      .from(creativeFiles)
      .where(and(eq(creativeFiles.id, fileId), eq(creativeFiles.creativeId, creativeId), isNull(creativeFiles.detachedAt)));
    if (!file) throw new NotFoundError("File not found.");
    const [used] = await tx.select({ n: count() }).from(creativeVersionFiles).where(eq(creativeVersionFiles.fileId, fileId));
    const inAVersion = Number(used?.n ?? 0) > 0;
    if (inAVersion) await tx.update(creativeFiles).set({ detachedAt: now }).where(eq(creativeFiles.id, fileId));
    else await tx.delete(creativeFiles).where(eq(creativeFiles.id, fileId));
    await tx.update(creatives).set({ updatedAt: now }).where(eq(creatives.id, creativeId));
    await recordAudit(tx, {
      actor: partner,
      action: "creative.file_removed",
      subjectType: "creative",
      subjectId: creativeId,
      partnerOrgId: partner.partnerOrgId,
      data: { fileId, filename: file.originalFilename, kept: inAVersion },
      at: now,
    });
    return inAVersion ? null : file;
  });
  // After the commit: a failed delete leaves an object with no row, which the orphan sweep removes.
  if (deleted) await Promise.all([ctx.storage.delete(deleted.storageKey), deleted.previewKey ? ctx.storage.delete(deleted.previewKey) : Promise.resolve()]);
}

/**
 * The upload as a form flow ends: back to the creative's page, or the form
 * again with the refusal at the file field (a 403 is thrown, to be logged).
 */
export async function uploadCreativeFileOutcome(ctx: AppContext, partner: PartnerActor, creativeId: string, request: Request): Promise<FormOutcome> {
  try {
    await uploadCreativeFile(ctx, partner, creativeId, request);
    return { ok: true, location: `/partner/creatives/${creativeId}`, toast: { kind: "success", message: "File uploaded. The pre-screen now checks it too." } };
  } catch (error) {
    return uploadFailure(error, null);
  }
}

const CREATIVE_KEY_PARTS = /^creatives\/([0-9a-f-]{36})\/([0-9a-f-]{36})\/(original|preview\.png)$/;

/** Deletes creative file objects that no file row points at (see sweepOrphanObjects). */
export function sweepOrphanCreativeObjects(ctx: AppContext, options: { olderThanMs?: number } = {}): Promise<{ checked: number; deleted: number }> {
  return sweepOrphanObjects(ctx, {
    prefix: "creatives/",
    ownerOf: (key) => CREATIVE_KEY_PARTS.exec(key)?.[2] ?? null,
    existing: async (ids) =>
      new Set((await ctx.db.select({ id: creativeFiles.id }).from(creativeFiles).where(inArray(creativeFiles.id, ids))).map((r) => r.id)),
    ...options,
  });
}
