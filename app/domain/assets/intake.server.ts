import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { AppContext } from "~/lib/context.server";
import { DomainError } from "../errors";
import type { AssetKindValue, FileAssetKind } from "./catalog";
import { inspectStoredFile, receiveFileForm, UPLOAD_LIMITS, type InspectedFile, type ReceivedUpload, type StoredFile } from "./files.server";
import { originalKey, previewKey } from "./storage-keys";

// How a version's content comes in: the multipart form read with its file
// streamed to storage, then the file checked, its preview stored, and the
// version's columns made; any refusal removes what was stored.

const FIELD_LIMIT_BYTES = 64 * 1024;
const MAX_FIELDS = 100;
const LARGEST_UPLOAD = Math.max(...Object.values(UPLOAD_LIMITS));

export type { ReceivedUpload };

export const newIds = () => ({ assetId: randomUUID(), versionId: randomUUID() });

/**
 * Reads a multipart form whose file part is streamed straight to storage at
 * `key` (never buffered), with the size limit of the asset's kind. The kind
 * comes from `fixedKind` (a new version) or from a `kind` field placed before
 * the file in the form. Text fields are capped at 64 KB each, and at 100.
 */
export async function receiveUpload(ctx: AppContext, request: Request, key: string, fixedKind?: FileAssetKind): Promise<ReceivedUpload> {
  let kindField: string | undefined;
  return receiveFileForm(ctx.storage, request, {
    key,
    field: "file",
    fieldLimitBytes: FIELD_LIMIT_BYTES,
    maxFields: MAX_FIELDS,
    maxBytes: () => {
      const kind = fixedKind ?? (kindField as FileAssetKind | undefined);
      return kind && kind in UPLOAD_LIMITS ? UPLOAD_LIMITS[kind] : LARGEST_UPLOAD;
    },
    onField: (name, value) => {
      if (name === "kind") kindField ??= value;
    },
  });
}

/** Checks what was uploaded and stores its preview; on any refusal the upload is deleted. */
async function acceptFile(ctx: AppContext, assetId: string, versionId: string, file: StoredFile, kind: FileAssetKind): Promise<InspectedFile> {
  try {
    const inspected = await inspectStoredFile(ctx.storage, file, kind);
    if (inspected.preview)
      await ctx.storage.put(previewKey(assetId, versionId), Readable.from([inspected.preview]), { maxBytes: 10 * 1024 * 1024, contentType: "image/png" });
    return inspected;
  } catch (error) {
    await discardObjects(ctx, assetId, versionId);
    throw error;
  }
}

/** Removes a version's original and preview: what a refused upload or a failed transaction leaves. */
export async function discardObjects(ctx: AppContext, assetId: string, versionId: string) {
  await Promise.all([ctx.storage.delete(originalKey(assetId, versionId)), ctx.storage.delete(previewKey(assetId, versionId))]);
}

export type NewVersionContent = { kind: "file"; file: StoredFile & { filename: string } } | { kind: "body"; body: string };

/** The version row's content columns: a guideline's page text, or a checked file's facts. */
export async function versionValues(ctx: AppContext, assetId: string, versionId: string, kind: AssetKindValue, content: NewVersionContent | null) {
  if (kind === "guideline") {
    if (content?.kind !== "body" || !content.body.trim()) throw new DomainError("Write the guideline page.", { field: "body" });
    return { body: content.body.trim() };
  }
  if (content?.kind !== "file") throw new DomainError("Choose a file to upload.", { field: "file" });
  const inspected = await acceptFile(ctx, assetId, versionId, content.file, kind);
  return {
    storageKey: content.file.key,
    contentType: inspected.contentType,
    originalFilename: content.file.filename,
    byteSize: inspected.size,
    sha256: inspected.sha256,
    width: inspected.width,
    height: inspected.height,
  };
}
