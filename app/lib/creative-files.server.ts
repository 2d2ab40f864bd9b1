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
