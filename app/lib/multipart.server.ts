import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";

/**
 * The only paths that take a multipart body larger than an ordinary form.
 * The Express layer refuses any other multipart body over the form limit
 * before a route can call `request.formData()`, which would buffer it whole.
 * Matching is exact and case-sensitive on purpose: an odd spelling of an
 * upload path gets the strict limit, never the other way round.
 * (`.data` is the single-fetch spelling of the same route.)
 */
export const UPLOAD_PATHS: readonly RegExp[] = [
  // /admin/assets/new, /admin/assets/upload (the progress endpoint), /admin/assets/:id (a new version)
  /^\/admin\/assets\/[^/.]+(\.data)?$/,
  // the program logo (Settings)
  /^\/admin\/settings\/logo(\.data)?$/,
  // /apply/amend: the applicant's reply to a request for information may carry one file (10 MB).
  /^\/apply\/amend(\.data)?$/,
  // a creative's files: /partner/creatives/:id (without JavaScript) and /partner/creatives/:id/files (with progress)
  /^\/partner\/creatives\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\/files)?(\.data)?$/,
];

export const isUploadPath = (pathname: string): boolean => UPLOAD_PATHS.some((pattern) => pattern.test(pathname));

/** Why a multipart body could not be read; the status is the answer the client gets. */
export class MultipartError extends Error {
  override readonly name = "MultipartError";
  constructor(
    message: string,
    readonly status: 400 | 413,
  ) {
    super(message);
  }
}

export type MultipartFile = { name: string; filename: string; data: AsyncIterable<Uint8Array>; contentType: string };

export type MultipartOptions = {
  /** Streams one file part; its return value becomes the field's value. */
  onFile(file: MultipartFile): Promise<string | undefined>;
  /** Sees each text field as it arrives, before the parts after it (e.g. a kind that sets a file's limit). */
  onField?(name: string, value: string): void;
  fieldLimitBytes: number;
  maxFields: number;
};

/**
 * Reads a multipart form: file parts go to `onFile` as streams, text fields
 * are capped in size and number. An error thrown by `onFile` comes out as
 * it is; a body the parser cannot read (bad boundary, truncated part, the
 * client gone) becomes a `MultipartError` with status 400.
 */
export async function readMultipartForm(request: Request, options: MultipartOptions): Promise<FormData> {
  if (!/^multipart\/form-data;\s*boundary=[^\s;]+/i.test(request.headers.get("Content-Type") ?? "")) {
    throw new MultipartError("The form was not sent as a file upload.", 400);
  }
  let fields = 0;
  let ownError: unknown = null;
  // Failures of the body itself, seen while a file part was being streamed.
  const bodyErrors = new WeakSet<object>();
  const handler: UploadHandler = async ({ name, filename, contentType, data }) => {
    try {
      if (filename !== undefined) return await options.onFile({ name, filename, data: noticingFailures(data, bodyErrors), contentType });
      fields += 1;
      if (fields > options.maxFields) throw new MultipartError("This form has too many fields.", 413);
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of data) {
        size += chunk.byteLength;
        if (size > options.fieldLimitBytes) throw new MultipartError("A field of this form is too long.", 413);
        chunks.push(chunk);
      }
      const value = Buffer.concat(chunks).toString("utf8");
      options.onField?.(name, value);
      return value;
    } catch (error) {
      ownError = error;
      throw error;
    }
  };
  try {
    return await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error === ownError && !isBodyFailure(error, bodyErrors)) throw error;
    // The body's own failures: malformed, or it stopped arriving.
    throw new MultipartError("The upload could not be read: it was malformed or interrupted. Try again.", 400);
  }
}

/** Passes a part's bytes through, remembering the error if reading them fails. */
async function* noticingFailures(data: AsyncIterable<Uint8Array>, failures: WeakSet<object>): AsyncIterable<Uint8Array> {
  try {
    yield* data;
  } catch (error) {
    if (error !== null && typeof error === "object") failures.add(error);
    throw error;
  }
}

function isBodyFailure(error: unknown, failures: WeakSet<object>): boolean {
  if (error === null || typeof error !== "object") return false;
  const cause = (error as { cause?: unknown }).cause;
  return failures.has(error) || (cause !== null && typeof cause === "object" && failures.has(cause));
}
