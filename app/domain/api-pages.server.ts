import { z } from "zod";
import { DomainError } from "./errors";

// Paging of the API's lists: newest first, by keyset rather than offset, so
// a client walking a list while rows are added neither skips nor repeats
// one. The cursor is opaque to clients (base64url of the last row's creation
// time, to the microsecond, and id); only the API makes and reads it.

export const API_PAGE_LIMIT_DEFAULT = 25;
export const API_PAGE_LIMIT_MAX = 100;

const limitMessage = `limit must be a whole number from 1 to ${API_PAGE_LIMIT_MAX}.`;

/** `?limit=&cursor=`; any other query parameter is refused with its name, as a misspelt one would otherwise be ignored. */
export const ApiPageQuery = z.strictObject(
  {
    limit: z
      .string({ error: limitMessage })
      .regex(/^\d{1,3}$/, limitMessage)
      .transform(Number)
      .pipe(z.number().int().min(1, limitMessage).max(API_PAGE_LIMIT_MAX, limitMessage))
      .default(API_PAGE_LIMIT_DEFAULT)
      .meta({ description: `How many items per page, 1 to ${API_PAGE_LIMIT_MAX}.`, example: API_PAGE_LIMIT_DEFAULT }),
    cursor: z
      .string({ error: "cursor must be given once." })
      .max(200, "cursor is not one this API gave out: pass the nextCursor of the previous page as it is.")
      .optional()
      .meta({ description: "The nextCursor of the previous page; leave it out for the first page." }),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown query parameter: ${issue.keys.join(", ")}.` : undefined) },
);

export type ApiPageRequest = { limit: number; cursor?: string | undefined };

/** Where a page ends: the last row's creation time as PostgreSQL text in UTC with microseconds, and its id. */
export type ApiCursor = { at: string; id: string };

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: ApiCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString("base64url");
}

/** The cursor a client sent back, or a 400 naming `cursor` for anything this API did not make. */
export function decodeCursor(text: string): ApiCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    value = null;
  }
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string") {
    const [at, id] = value as [string, string];
    if (CURSOR_AT.test(at) && !Number.isNaN(Date.parse(at)) && UUID.test(id)) return { at, id };
  }
  throw new DomainError("cursor is not one this API gave out: pass the nextCursor of the previous page as it is.", { field: "cursor" });
}
