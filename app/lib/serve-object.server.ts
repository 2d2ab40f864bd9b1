import { createReadableStreamFromReadable } from "@remix-run/node";
import contentDisposition from "content-disposition";
import type { StorageDriver } from "./storage/types";

export type StoredObject = { key: string; sha256: string; size: number; contentType: string };

/**
 * Streams a stored object with a strong ETag (its SHA-256): a browser that
 * has it gets 304. Files go out as attachments; `nosniff` comes with every
 * response, so a stored file is never run as something else.
 */
export async function serveObject(
  storage: StorageDriver,
  request: Request,
  object: StoredObject,
  options: { filename: string; inline?: boolean; cacheControl?: string },
): Promise<Response> {
  const etag = `"${object.sha256}"`;
  const headers = new Headers({
    ETag: etag,
    // By default: may be kept, but only by this browser, and checked again each time (the user's access may end).
    "Cache-Control": options.cacheControl ?? "private, no-cache",
  });
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  const body = await storage.get(object.key);
  headers.set("Content-Type", object.contentType);
  if (object.size >= 0) headers.set("Content-Length", String(object.size));
  headers.set("Content-Disposition", options.inline ? "inline" : attachmentDisposition(options.filename));
  if (options.inline) headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
  return new Response(createReadableStreamFromReadable(body), { headers });
}

/**
 * Content-Disposition forcing a download under `filename` (built from titles,
 * which people type): control characters go, a quoted Latin-1 fallback and an
 * RFC 5987 UTF-8 form come from the content-disposition package.
 */
export function attachmentDisposition(filename: string): string {
  // Removing control characters from a header value is the point.
  // eslint-disable-next-line no-control-regex
  const controlCharacters = /[\u0000-\u001f\u007f]/g;
  const name = filename.normalize("NFC").replace(controlCharacters, "").trim() || "download";
  return contentDisposition(name, { type: "attachment" });
}
