import { pipeline, Readable, Transform, type TransformCallback } from "node:stream";
import { fileTypeFromBuffer } from "file-type";
import { ImageRejected, inspectImage } from "~/lib/images.server";
import { MultipartError, readMultipartForm } from "~/lib/multipart.server";
import { StorageUnavailableError, type StorageDriver } from "~/lib/storage/types";
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
export async function storeUpload(storage: StorageDriver, key: string, data: AsyncIterable<Uint8Array>, maxBytes: number, field = "file"): Promise<StoredFile> {
  const capture = new HeadCapture();
  // Whether the upload itself failed (the client went away): then a failed put is not storage's fault.
  let sourceFailed = false;
  // Only a failure of reading the source counts: a failed put tears the source down by throwing into it too.
  async function* watched() {
    const iterator = data[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await iterator.next();
        } catch (error) {
          sourceFailed = true;
          throw error;
        }
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  // pipeline, never .pipe: when the source fails (the client went away mid-upload) its
  // error must reach `capture`, so the put rejects and cleans up instead of the error
  // going unhandled and taking the process down. The put reports the error itself.
  pipeline(Readable.from(watched()), capture, () => {});
  try {
    const result = await storage.put(key, capture, { maxBytes });
    return { ...result, head: capture.head };
  } catch (error) {
    // By name: the storage driver is built by the server bundle, which has its own copy of the class.
    if ((error as Error | null)?.name === "ObjectTooLargeError") {
      throw new DomainError(`The file is larger than the limit of ${Math.round(maxBytes / MB)} MB.`, { field, kind: "too_large" });
    }
    if (sourceFailed || error instanceof DomainError) throw error;
    throw new StorageUnavailableError(`Storing the upload failed: ${String(error)}`, { cause: error });
  }
}

export type ReceivedUpload = { fields: FormData; file: (StoredFile & { filename: string }) | null };

export type FileFormOptions = {
  /** Where the file goes: a generated key, never built from the file's name. */
  key: string;
  /** The one field that may carry a file; a file in any other field is read and dropped. */
  field: string;
  /** The file's size limit, asked when the file part arrives (it may depend on a field before it). */
  maxBytes: () => number;
  onField?: (name: string, value: string) => void;
  fieldLimitBytes: number;
  maxFields: number;
};

/**
 * Reads a multipart form whose one file part is streamed straight to storage
 * at `key` (never buffered) and cut off at its limit. On any failure the
 * object is deleted before the error goes on; a body the parser cannot read
 * becomes a DomainError with the parser's status.
 */
export async function receiveFileForm(storage: StorageDriver, request: Request, options: FileFormOptions): Promise<ReceivedUpload> {
  let file: ReceivedUpload["file"] = null;
  // The file's put while it runs: when storage fails it, the form's reader may fail first (its file stream is torn down).
  let storing: Promise<unknown> | null = null;
  try {
    const fields = await readMultipartForm(request, {
      fieldLimitBytes: options.fieldLimitBytes,
      maxFields: options.maxFields,
      onFile: async ({ name, filename, data }) => {
        if (name !== options.field || !filename) {
          for await (const _ of data) void _; // no file chosen (an empty part), or a file where none belongs
          return undefined;
        }
        if (file) throw new DomainError("Upload one file at a time.", { field: options.field });
        const stored = storeUpload(storage, options.key, data, options.maxBytes(), options.field);
        storing = stored;
        file = { ...(await stored), filename: filename.slice(0, 255) };
        return filename;
      },
      ...(options.onField ? { onField: options.onField } : {}),
    });
    return { fields, file };
  } catch (error) {
    if (file) await storage.delete(options.key);
    // Storage's own failure is the cause to report (a 503 that says so), not the reader's teardown that followed it.
    const storeFailure: unknown = storing
      ? await (storing as Promise<unknown>).then(
          () => null,
          (failure: unknown) => failure,
        )
      : null;
    if (storeFailure instanceof StorageUnavailableError) throw storeFailure;
    if (error instanceof MultipartError) throw new DomainError(error.message, { kind: error.status === 413 ? "too_large" : "invalid" });
    throw error;
  }
}

/** The type of a file from its first bytes; SVG is text, recognised by its root element. */
export async function sniffContentType(head: Buffer): Promise<string | null> {
  const detected = await fileTypeFromBuffer(head);
  // file-type names an SVG "application/xml"; its root element says what it is.
  if (detected && detected.mime !== "application/xml") return detected.mime;
  const text = head
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text)) return "image/svg+xml";
  return null;
}

export type InspectedFile = { contentType: string; size: number; sha256: string; width: number | null; height: number | null; preview: Buffer | null };

export async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new DomainError(`An SVG must be under ${Math.round(limit / MB)} MB.`, { field: "file", kind: "too_large" });
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
  return inspectUpload(storage, stored, { types: ALLOWED_TYPES[kind], label: kindLabel(kind), field: "file" });
}

/** The types an upload may be (decided from its content), with how to name them in a refusal. */
export type AcceptedFiles = { types: readonly string[]; label: string; field: string };

/** `inspectStoredFile` for any upload: the same checks against the types `accepted` lists. */
export async function inspectUpload(storage: StorageDriver, stored: StoredFile, accepted: AcceptedFiles): Promise<InspectedFile> {
  const field = accepted.field;
  if (stored.size === 0) throw new DomainError("The file is empty.", { field });
  const contentType = await sniffContentType(stored.head);
  const allowed = accepted.types;
  if (!contentType || !allowed.includes(contentType)) {
    const what = contentType ? `a ${typeName(contentType)} file` : "not a file type we accept";
    throw new DomainError(`This file is ${what}. ${accepted.label} must be ${allowed.map(typeName).join(" or ")}.`, { field, kind: "unsupported_type" });
  }
  if (contentType === "application/pdf") return { contentType, size: stored.size, sha256: stored.sha256, width: null, height: null, preview: null };
  try {
    if (contentType === "image/svg+xml") {
      const source = await readAll(await storage.get(stored.key), SVG_MAX_BYTES);
      const clean = sanitizeSvg(source.toString("utf8"));
      if (!clean) throw new DomainError("This SVG has no drawing left once made safe.", { field, kind: "unsupported_type" });
      const bytes = Buffer.from(clean, "utf8");
      const checked = await inspectImage(bytes);
      const put = await storage.put(stored.key, Readable.from([bytes]), { maxBytes: SVG_MAX_BYTES, contentType });
      return { contentType, size: put.size, sha256: put.sha256, width: checked.width, height: checked.height, preview: checked.preview };
    }
    const checked = await inspectImage(await storage.get(stored.key));
    return { contentType, size: stored.size, sha256: stored.sha256, width: checked.width, height: checked.height, preview: checked.preview };
  } catch (error) {
    if (error instanceof ImageRejected) throw new DomainError(error.message, { field, kind: "unprocessable" });
    throw error;
  }
}

const kindLabel = (kind: FileAssetKind) => ({ logo: "Logos", image: "Images", document: "Documents" })[kind];
