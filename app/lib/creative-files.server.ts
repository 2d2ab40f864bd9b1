import { notFound } from "./http.server";
import { serveObject } from "./serve-object.server";
import type { StorageDriver } from "./storage/types";

type StoredCreativeFile = { storageKey: string; previewKey: string | null; contentType: string; originalFilename: string; byteSize: number; sha256: string };

/**
 * A creative's file as the partner and the reviewers get it: `?preview` is
 * its PNG preview, inline (sandboxed); anything else is the file itself as an
 * attachment under the name it was uploaded with, never run in the browser.
 */
export function serveCreativeFile(storage: StorageDriver, request: Request, file: StoredCreativeFile): Promise<Response> {
  if (new URL(request.url).searchParams.has("preview")) {
    if (!file.previewKey) notFound();
    // The preview's own hash is not stored: the file's, suffixed, names it just as well (a preview is made once per file).
    return serveObject(
      storage,
      request,
      { key: file.previewKey, sha256: `${file.sha256}-preview`, size: -1, contentType: "image/png" },
      { filename: "preview.png", inline: true },
    );
  }
  return serveObject(
    storage,
    request,
    { key: file.storageKey, sha256: file.sha256, size: file.byteSize, contentType: file.contentType },
    { filename: file.originalFilename },
  );
}

/** A PDF page rendered for the review viewer: a PNG shown inline (sandboxed), kept by the browser only and checked again each time. */
export function serveCreativePage(storage: StorageDriver, request: Request, page: { storageKey: string; etag: string }, pageNumber: number): Promise<Response> {
  return serveObject(
    storage,
    request,
    { key: page.storageKey, sha256: page.etag, size: -1, contentType: "image/png" },
    { filename: `page-${pageNumber}.png`, inline: true },
  );
}

/** The `:page` of a page address, or the 404 thrown: digits only, so "01", "1e0" and "-1" name no page. */
export function pageParam(params: Record<string, string | undefined>): number {
  const value = params["page"];
  return value && /^[1-9]\d{0,5}$/.test(value) ? Number(value) : notFound();
}
