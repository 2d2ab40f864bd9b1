import { pipeline, Readable, Transform, type TransformCallback } from "node:stream";
import { fileTypeFromBuffer } from "file-type";
import { ImageRejected, inspectImage } from "~/lib/images.server";
import type { StorageDriver } from "~/lib/storage/types";
import { sanitizeSvg } from "~/lib/svg.server";
import { DomainError } from "../errors";
import { typeName, type FileAssetKind } from "./catalog";

const MB = 1024 * 1024;

/** Upload limits by kind (issue 5): images 25 MB, documents 100 MB. */
export const UPLOAD_LIMITS: Record<FileAssetKind, number> = { logo: 25 * MB, image: 25 * MB, document: 100 * MB };
/** An SVG is read whole to be sanitized, so it has a smaller limit of its own. */
export const SVG_MAX_BYTES = 5 * MB;

const ALLOWED_TYPES: Record<FileAssetKind, readonly string[]> = {
  logo: ["image/svg+xml", "image/png"],
  image: ["image/png", "image/jpeg", "image/webp"],
  document: ["application/pdf"],
};

/** Keeps the first bytes that pass, for deciding the type from the content. */
class HeadCapture extends Transform {
  head = Buffer.alloc(0);
  constructor(private readonly keep = 4100) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.head.length < this.keep) this.head = Buffer.concat([this.head, chunk.subarray(0, this.keep - this.head.length)]);
    callback(null, chunk);
  }
}

export type StoredFile = { key: string; size: number; sha256: string; head: Buffer };

/**
 * Streams an uploaded file to `key`, never holding it in memory, and cut off
 * past `maxBytes` (413, nothing stored).
 */
export async function storeUpload(storage: StorageDriver, key: string, data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StoredFile> {
  const capture = new HeadCapture();
  // pipeline, never .pipe: when the source fails (the client went away mid-upload) its
  // error must reach `capture`, so the put rejects and cleans up instead of the error
  // going unhandled and taking the process down. The put reports the error itself.
  pipeline(Readable.from(data), capture, () => {});
  try {
    const result = await storage.put(key, capture, { maxBytes });
    return { ...result, head: capture.head };
  } catch (error) {
    // By name: the storage driver is built by the server bundle, which has its own copy of the class.
    if ((error as Error | null)?.name === "ObjectTooLargeError") {
      throw new DomainError(`The file is larger than the limit of ${Math.round(maxBytes / MB)} MB.`, { field: "file", status: 413 });
    }
    throw error;
  }
}

/** The type of a file from its first bytes; SVG is text, recognised by its root element. */
export async function sniffContentType(head: Buffer): Promise<string | null> {
  const detected = await fileTypeFromBuffer(head);
  // file-type names an SVG "application/xml"; its root element says what it is.
  if (detected && detected.mime !== "application/xml") return detected.mime;
  const text = head.toString("utf8").replace(/^\uFEFF/, "").trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text)) return "image/svg+xml";
  return null;
}

export type InspectedFile = { contentType: string; size: number; sha256: string; width: number | null; height: number | null; preview: Buffer | null };

export async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new DomainError(`An SVG must be under ${Math.round(limit / MB)} MB.`, { field: "file", status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Decides what a stored upload is from its content and makes it safe:
 * the type must be one the kind allows; raster images are decoded whole
 * under the pixel limit; SVG is sanitized and stored again in its clean form.
 * Throws a DomainError (the caller deletes the object).
 */
export async function inspectStoredFile(storage: StorageDriver, stored: StoredFile, kind: FileAssetKind): Promise<InspectedFile> {
  if (stored.size === 0) throw new DomainError("The file is empty.", { field: "file" });
  const contentType = await sniffContentType(stored.head);
  const allowed = ALLOWED_TYPES[kind];
  if (!contentType || !allowed.includes(contentType)) {
    const what = contentType ? `a ${typeName(contentType)} file` : "not a file type we accept";
    throw new DomainError(`This file is ${what}. ${kindLabel(kind)} must be ${allowed.map(typeName).join(" or ")}.`, { field: "file", status: 415 });
  }
  if (contentType === "application/pdf") return { contentType, size: stored.size, sha256: stored.sha256, width: null, height: null, preview: null };
  try {
    if (contentType === "image/svg+xml") {
      const source = await readAll(await storage.get(stored.key), SVG_MAX_BYTES);
      const clean = sanitizeSvg(source.toString("utf8"));
      if (!clean) throw new DomainError("This SVG has no drawing left once made safe.", { field: "file", status: 415 });
      const bytes = Buffer.from(clean, "utf8");
      const checked = await inspectImage(bytes);
      const put = await storage.put(stored.key, Readable.from([bytes]), { maxBytes: SVG_MAX_BYTES, contentType });
      return { contentType, size: put.size, sha256: put.sha256, width: checked.width, height: checked.height, preview: checked.preview };
    }
    const checked = await inspectImage(await storage.get(stored.key));
    return { contentType, size: stored.size, sha256: stored.sha256, width: checked.width, height: checked.height, preview: checked.preview };
  } catch (error) {
    if (error instanceof ImageRejected) throw new DomainError(error.message, { field: "file", status: 422 });
    throw error;
  }
}

const kindLabel = (kind: FileAssetKind) => ({ logo: "Logos", image: "Images", document: "Documents" })[kind];
