import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import type { ApiKeyScope } from "#db/schema/index";
import type { AppContext } from "./context.server";
import { DomainError, ForbiddenError, type DomainErrorKind } from "./errors";
import { closeIfUnread } from "./forms.server";

// The HTTP side of the API (`/api/v1/…`, resource routes): answers in JSON,
// refusals as RFC 9457 problem details, bodies read with a size limit, and
// what the API-key guard (requireApiKey, guards.server.ts) is told by the
// domain. The pages have their own answers (domain-responses.server.ts); this
// is the same mapping of the domain's error kinds, for programs instead of
// people.

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** One field a refusal is about: its path in the request (`metadata.plan`, `limit`) and what is wrong with it. */
export type ProblemField = { field: string; message: string };

/** An RFC 9457 problem document as the API sends it. */
export type Problem = { type: string; title: string; status: number; detail: string; errors?: ProblemField[] };

/**
 * Every kind of refusal the API makes, with its status and title. The `type`
 * of each is a URN (`urn:cobrand:problem:rate-limited`): a stable name a
 * client can branch on, which the API documentation lists.
 */
export const PROBLEM_KINDS = {
  invalid: { status: 400, title: "The request is not valid" },
  invalid_json: { status: 400, title: "The body is not valid JSON" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  insufficient_scope: { status: 403, title: "The API key lacks a scope" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  gone: { status: 410, title: "Gone" },
  too_large: { status: 413, title: "The body is too large" },
  unsupported_media_type: { status: 415, title: "Unsupported content type" },
  unprocessable: { status: 422, title: "The request cannot be processed" },
  rate_limited: { status: 429, title: "Too many requests" },
  server_error: { status: 500, title: "Internal server error" },
} as const;

export type ProblemKind = keyof typeof PROBLEM_KINDS;

export const problemType = (kind: ProblemKind) => `urn:cobrand:problem:${kind.replaceAll("_", "-")}`;

/** The problem document of `kind`, for a caller that sends it itself (the Express layer's refusals). */
export function problemDocument(kind: ProblemKind, detail: string, errors: readonly ProblemField[] = []): Problem {
  const { status, title } = PROBLEM_KINDS[kind];
  return { type: problemType(kind), title, status, detail, ...(errors.length ? { errors: [...errors] } : {}) };
}

/**
 * A problem+json response: `{type, title, status, detail, errors?}`, never
 * cached. `headers` adds to it (Retry-After, WWW-Authenticate, Allow).
 */
export function problem(kind: ProblemKind, detail: string, options: { errors?: readonly ProblemField[]; headers?: HeadersInit } = {}): Response {
  const document = problemDocument(kind, detail, options.errors);
  const headers = new Headers(options.headers);
  headers.set("Content-Type", PROBLEM_CONTENT_TYPE);
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(document), { status: document.status, headers });
}

/** A success answer in JSON, never cached (API answers are live data). */
export function apiJson(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Cache-Control", "no-store");
  return Response.json(data, { ...init, headers });
}

const KIND_OF_DOMAIN_ERROR: Record<DomainErrorKind, ProblemKind> = {
  invalid: "invalid",
  forbidden: "forbidden",
  not_found: "not_found",
  conflict: "conflict",
  gone: "gone",
  too_large: "too_large",
  unsupported_type: "unsupported_media_type",
  unprocessable: "unprocessable",
  rate_limited: "rate_limited",
};

/** A DomainError as a problem: its kind's status, its message as the detail, each field it names (`error.fields`) under `errors`. */
export function problemFromDomainError(error: DomainError): Response {
  return problem(KIND_OF_DOMAIN_ERROR[error.kind], error.message, { errors: error.fields.map((field) => ({ field, message: error.message })) });
}

/**
 * A zod failure as a 400 problem. Each issue's field is its path joined with
 * "." (`metadata.plan`, `items.0.amount`); an unknown key of a strict object
 * is a field of its own (`ammount`). Issues about the whole body (not an
 * object at all) have no field: they are the detail.
 */
export function problemFromZodError(error: z.ZodError): Response {
  const errors: ProblemField[] = [];
  const general: string[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        errors.push({ field: [...path, key].join("."), message: `Unknown field "${key}": check its spelling against the documentation.` });
    } else if (path.length === 0) {
      general.push(issue.message);
    } else {
      errors.push({ field: path.join("."), message: issue.message });
    }
  }
  const fields = new Set(errors.map((e) => e.field)).size;
  const detail = general.length
    ? general.join(" ")
    : errors.length === 1
      ? errors[0]!.message
      : `${fields} ${fields === 1 ? "field is" : "fields are"} not valid: see errors.`;
  return problem("invalid", detail, { errors });
}

/** The value `schema` makes of `input`, or the 400 problem naming each bad field, thrown. */
export function parseApiInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw problemFromZodError(parsed.error);
  return parsed.data;
}

/** A request's query parameters as an object for parseApiInput: a repeated parameter is an array (and fails a schema that wants one value). */
export function queryOf(request: Request): Record<string, string | string[]> {
  const params = new URL(request.url).searchParams;
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length > 1 ? values : values[0]!;
  }
  return query;
}

/** The API's bodies are small (a conversion with its metadata is under 5 KB); the Express layer refuses anything over 1 MB before this. */
export const API_BODY_LIMIT_BYTES = 64 * 1024;

/** application/json or any `+json` type; a charset, if named, must be UTF-8 (RFC 8259 §8.1). */
function isJsonContentType(header: string | null): boolean {
  if (!header) return false;
  const [essence = "", ...parameters] = header.split(";").map((part) => part.trim().toLowerCase());
  if (essence !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(essence)) return false;
  const charset = parameters.find((parameter) => parameter.startsWith("charset="));
  return !charset || ["utf-8", "utf8", '"utf-8"'].includes(charset.slice("charset=".length));
}

const tooLarge = (maxBytes: number) => problem("too_large", `The body is larger than ${Math.round(maxBytes / 1024)} KB.`, { headers: closeIfUnread(413) });

/** The body's bytes, or null as soon as they pass `maxBytes` (the rest is left unread, and the connection closes after the answer). */
async function readAtMost(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * The request's JSON body, parsed, or a problem thrown: 415 when it is not
 * sent as JSON, 413 past `maxBytes` (the declared length is checked before
 * reading, the bytes while reading), 400 when it is not UTF-8 JSON. What it
 * returns is unchecked: hand it to parseApiInput with the endpoint's schema.
 */
export async function readJsonBody(request: Request, options: { maxBytes?: number } = {}): Promise<unknown> {
  const maxBytes = options.maxBytes ?? API_BODY_LIMIT_BYTES;
  if (!isJsonContentType(request.headers.get("Content-Type"))) {
    throw problem("unsupported_media_type", "Send the body as JSON, with the header Content-Type: application/json.");
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readAtMost(request, maxBytes);
  if (bytes === null) throw tooLarge(maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw problem("invalid_json", "The body is not valid JSON: it is not UTF-8 text.");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw problem("invalid_json", "The body is not valid JSON.");
  }
}

/** The 405 of an endpoint that answers only `allowed`. */
export function methodNotAllowed(allowed: readonly string[]): Response {
  return problem("method_not_allowed", `This endpoint answers ${allowed.join(" and ")} only.`, { headers: { Allow: allowed.join(", ") } });
}

/** The request an API answer is for: what its log lines are written with. */
export type ApiScope = { context: AppLoadContext; request: Request };

/**
 * The API's answer to anything an endpoint threw: a Response (a guard's or
 * readJsonBody's problem) as it is; a DomainError as its problem (a
 * ForbiddenError logged as authz_fail first); anything else a 500 problem
 * that names the request id and nothing of the failure, which is logged.
 */
export function apiErrorResponse(error: unknown, { context, request }: ApiScope): Response {
  if (error instanceof Response) return error;
  const path = new URL(request.url).pathname;
  if (error instanceof ForbiddenError) {
    context.app.log.warn("authz_fail", {
      requestId: context.requestId,
      apiKeyId: apiKeyIdOf(request),
      method: request.method,
      path,
      reason: error.reason,
      status: 403,
    });
  }
  if (error instanceof DomainError) return problemFromDomainError(error);
  context.app.log.error("api.unhandled_error", {
    requestId: context.requestId,
    method: request.method,
    path,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  return problem("server_error", `Something went wrong on our side. If it keeps happening, quote request id ${context.requestId}.`);
}

/**
 * An endpoint's body, every failure answered as a problem (apiErrorResponse):
 * `export const loader = (args) => withApiErrors(args, async () => { … })`.
 */
export async function withApiErrors(scope: ApiScope, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    return apiErrorResponse(error, scope);
  }
}

// --- API keys: what the guard asks the domain (app/domain/api-keys/authenticate.server.ts) ---

/** Who an API request is: the key it authenticated with. */
export type ApiPrincipal = { keyId: string; name: string; scopes: readonly ApiKeyScope[] };

/**
 * Why a request was not authenticated. Each is logged; the answer says the
 * same for `unknown`, `revoked` and `expired`, so a key cannot be probed.
 */
export type ApiKeyRefusal = "missing" | "malformed" | "unknown" | "revoked" | "expired";

export type ApiKeyVerdict =
  | { ok: true; principal: ApiPrincipal }
  | { ok: false; status: 401; reason: ApiKeyRefusal; keyId: string | null }
  | { ok: false; status: 403; reason: "insufficient_scope"; principal: ApiPrincipal; scope: ApiKeyScope }
  | { ok: false; status: 429; principal: ApiPrincipal; limitPerMinute: number; retryAfterSeconds: number };

/**
 * The domain's API-key check, built once per process (a cache of keys, the
 * rate limit's leases, when each key's last use was written): the context
 * holds it, so app/lib can call it without importing the domain.
 */
export interface ApiKeyGate {
  /** Whether `authorization` (the header as sent) names a live key that may make one more request needing `scope`. */
  authenticate(ctx: AppContext, authorization: string | null, scope: ApiKeyScope): Promise<ApiKeyVerdict>;
  /** Drops a key from this process's cache (it was revoked here). */
  forget(keyId: string): void;
}

// The key each API request authenticated with, for log lines written after the guard.
const principals = new WeakMap<Request, ApiPrincipal>();

export function rememberApiPrincipal(request: Request, principal: ApiPrincipal): void {
  principals.set(request, principal);
}

function apiKeyIdOf(request: Request): string | null {
  return principals.get(request)?.keyId ?? null;
}
