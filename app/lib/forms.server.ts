import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { domainToASCII, domainToUnicode } from "node:url";
import { z } from "zod";
import { DOMAIN_ERROR_STATUS, type DomainErrorKind } from "./errors";
import { notFound } from "./http.server";
import type { Toast } from "./toast";
import { redirectWithToast, toastHeaders } from "./toast.server";

export type FieldErrors = Record<string, string[] | undefined>;
export type FormFailure = { ok: false; errors: FieldErrors; formError: string | null; values: Record<string, string> };

// Never echoed back into a form.
const SECRET_FIELDS = /password|token/i;
/** The longest value refilled into any form: the longest field there is (a guideline page). */
export const KEPT_VALUE_MAX = 100_000;
/** Choices, numbers and dates: nothing legitimate is longer. */
const NON_TEXT_KEPT_MAX = 200;

/**
 * What the user typed, to refill the form after an error (secrets excepted),
 * never longer than the field allows: a page must not echo a megabyte back.
 */
export function keptValues(formData: FormData, maxLength: (key: string) => number = () => KEPT_VALUE_MAX): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" || SECRET_FIELDS.test(key)) continue;
    const limit = maxLength(key);
    // Repeated fields (checkbox groups) are kept comma-joined.
    const joined = key in values ? `${values[key]},${value}` : value;
    values[key] = joined.slice(0, limit);
  }
  return values;
}

/** The most characters a field of `schema` accepts, through optional, default and pipe wrappers. */
function maxLengthOf(schema: z.ZodType): number {
  const def = schema._zod.def as { type: string; in?: z.ZodType; innerType?: z.ZodType; element?: z.ZodType };
  if (def.type === "pipe" && def.in) return maxLengthOf(def.in);
  if (def.innerType) return maxLengthOf(def.innerType);
  if (def.type === "array" && def.element) return KEPT_VALUE_MAX; // a checkbox group, comma-joined
  if (schema instanceof z.ZodString) return Math.min(schema.maxLength ?? KEPT_VALUE_MAX, KEPT_VALUE_MAX);
  return NON_TEXT_KEPT_MAX;
}

/**
 * Each field's own limit for `keptValues`. A key the schema does not name
 * (a hidden `intent`, a stray field) is kept only as long as a choice.
 */
function fieldLimits(schema: z.ZodType): (key: string) => number {
  const shapes = objectShapes(schema);
  return (key) => {
    const limits = shapes.filter((shape) => Object.hasOwn(shape, key)).map((shape) => maxLengthOf(shape[key]!));
    if (limits.length) return Math.max(...limits);
    return shapes.length ? NON_TEXT_KEPT_MAX : KEPT_VALUE_MAX;
  };
}

/** The object shapes a form schema accepts: one, or one per option of a (discriminated) union. */
function objectShapes(schema: z.ZodType): Record<string, z.ZodType>[] {
  if (schema instanceof z.ZodObject) return [schema.shape as Record<string, z.ZodType>];
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(objectShapes);
  const def = schema._zod.def as { type: string; in?: z.ZodType; innerType?: z.ZodType };
  if (def.type === "pipe" && def.in) return objectShapes(def.in);
  if (def.innerType) return objectShapes(def.innerType);
  return [];
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; failure: FormFailure };

/** Server-side validation with zod; unknown fields are ignored, never written. */
export function parseForm<S extends z.ZodType>(formData: FormData, schema: S): Parsed<z.infer<S>> {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    raw[key] = all.length > 1 ? all : all[0];
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const flat = z.flattenError(result.error);
  return {
    ok: false,
    failure: { ok: false, errors: flat.fieldErrors as FieldErrors, formError: flat.formErrors[0] ?? null, values: keptValues(formData, fieldLimits(schema)) },
  };
}

/** A 4xx that carries field errors and what was typed. */
export function invalid(failure: FormFailure, status = 400) {
  return data(failure, { status });
}

/**
 * What a multi-step form flow (an upload) ends with: where to go next and
 * what to say there, or the form again with its errors and the kind of
 * refusal (a 403 is never one: it is thrown, to be logged where the request
 * is known; see domain-responses.server.ts).
 */
export type FormOutcome = { ok: true; location: string; toast?: Toast } | { ok: false; kind: Exclude<DomainErrorKind, "forbidden">; failure: FormFailure };

/**
 * The page action's answer (no JavaScript): a redirect with its toast, the
 * form again with its errors and the kind's status, or the 404 page for a
 * thing that is gone.
 */
export async function outcomeForPage(outcome: FormOutcome, context: AppLoadContext) {
  if (outcome.ok) throw outcome.toast ? await redirectWithToast(context, outcome.location, outcome.toast) : redirect(outcome.location);
  if (outcome.kind === "not_found") notFound();
  const status = DOMAIN_ERROR_STATUS[outcome.kind];
  return data(outcome.failure, { status, headers: closeIfUnread(status) });
}

/**
 * The same outcome for a script (the upload endpoint the forms post to with
 * JavaScript): JSON with the kind's status. The form navigates to `location`
 * itself; the toast cookie makes that page say what happened.
 */
export async function outcomeForEndpoint(outcome: FormOutcome, context: AppLoadContext): Promise<Response> {
  if (outcome.ok) return Response.json({ ok: true, location: outcome.location }, { headers: await toastHeaders(context, outcome.toast) });
  const status = DOMAIN_ERROR_STATUS[outcome.kind];
  return Response.json(outcome.failure, { status, headers: closeIfUnread(status) });
}

/**
 * A body cut off at the limit was not read to its end: the connection must
 * close after the answer, or the client would reuse it mid-upload.
 */
export const closeIfUnread = (status: number): Record<string, string> => (status === 413 ? { Connection: "close" } : {});

export function formFailure(formData: FormData, message: string, field?: string): FormFailure {
  return {
    ok: false,
    errors: field ? { [field]: [message] } : {},
    formError: field ? null : message,
    values: keptValues(formData),
  };
}

export function clientMeta(request: Request, context: { clientIp: string | null }) {
  return { ip: context.clientIp, userAgent: request.headers.get("user-agent") };
}

// Dot-separated runs of letters, digits and the specials RFC 5322 allows unquoted (RFC 6531 adds any letter).
const LOCAL_PART = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
// A registrable host name once in ASCII: letters, digits, inner hyphens, a top-level label of letters or punycode.
const ASCII_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * One spelling per address, or null if it is not one. The mail path speaks
 * SMTPUTF8 and IDN (nodemailer), so a Unicode local part and domain are
 * fine: the address is NFC-normalised and lower-cased, and its domain is kept
 * in Unicode whether it was typed that way or in punycode, so
 * `zoë@xn--exmple-cua.com` and `zoë@exämple.com` are the same applicant.
 */
export function canonicalEmail(input: string): string | null {
  const value = input.normalize("NFC").toLowerCase();
  const at = value.lastIndexOf("@");
  if (at <= 0) return null;
  const local = value.slice(0, at);
  const ascii = domainToASCII(value.slice(at + 1).replace(/\.$/, ""));
  if (new TextEncoder().encode(local).length > 64 || !LOCAL_PART.test(local) || !ascii || ascii.length > 253 || !ASCII_HOST.test(ascii)) return null;
  return `${local}@${domainToUnicode(ascii)}`;
}

export const Email = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .transform((value, ctx) => {
    const email = canonicalEmail(value);
    if (email === null) {
      ctx.addIssue({ code: "custom", message: "Enter a valid email address." });
      return z.NEVER;
    }
    return email;
  });

// Browsers send a textarea's line breaks as CRLF but count them as one character against `maxlength`.
const oneCharacterLineBreaks = (value: string) => value.replace(/\r\n?/g, "\n");

export const RequiredText = (label: string, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .overwrite(oneCharacterLineBreaks)
    .trim()
    .min(1, `${label} is required.`)
    .max(max, `${label} must be at most ${max} characters.`);

/** An empty answer is null; otherwise trimmed and at most `max` characters. */
export const OptionalText = (label: string, max: number) =>
  z
    .string()
    .overwrite(oneCharacterLineBreaks)
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .optional()
    .transform((v) => (v ? v : null));

const plain = (n: number) => n.toLocaleString("en");

/**
 * A whole number as people type it. Rule for whole-number fields: commas,
 * spaces and underscores between groups of three digits are thousands
 * separators ("1,000" and "2 000 000" are fine); a decimal mark is refused
 * ("Use a whole number"), and so is a misplaced separator ("1,5").
 */
export const WholeNumber = (label: string, min: number, max: number) => {
  const range = `Enter a number from ${plain(min)} to ${plain(max)}.`;
  return z
    .string({ error: `Enter ${label} as a number.` })
    .trim()
    .max(40, `Enter ${label} as a number.`)
    .transform((value, ctx) => {
      if (value === "") {
        ctx.addIssue({ code: "custom", message: `Enter ${label} as a number.` });
        return z.NEVER;
      }
      if (/^-?\d{1,3}(?:[, _\u00a0\u202f]\d{3})+$/.test(value) || /^-?\d+$/.test(value)) return Number(value.replace(/[, _\u00a0\u202f]/g, ""));
      ctx.addIssue({ code: "custom", message: /^-?[\d, _]*[.,]\d+$/.test(value) ? "Use a whole number." : `Enter ${label} as a number.` });
      return z.NEVER;
    })
    .pipe(z.number().min(min, range).max(max, range));
};

/**
 * A decimal (a rate, an amount) as people type it. The rule for decimal
 * fields, unambiguous because they take at most two decimals and thousands
 * come in groups of three:
 * - a comma followed by one or two digits at the end is the decimal mark:
 *   "12,5" and "12,50" are 12.5;
 * - commas between groups of three digits are thousands separators, and a
 *   dot is the decimal mark: "5,000.50" is 5000.5, "1,000" is 1000;
 * - anything else ("1.000,5", "12,5,0") is not read as a number (null).
 */
export function parseDecimal(input: string): number | null {
  const value = input.trim();
  if (/^-?\d+,\d{1,2}$/.test(value)) return Number(value.replace(",", "."));
  if (/^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/.test(value)) return Number(value.replace(/,/g, ""));
  return null;
}
export const Password = z.string({ error: "Enter a password." }).min(1, "Enter a password.").max(1024, "That password is too long.");

/**
 * A route's id parameter, or the 404 thrown: a malformed id names nothing,
 * and saying so differently from an unknown id would tell an attacker more.
 * Every `$...Id` param is read through this, never parsed by hand. Ids are
 * UUIDs, except the outbox's, a serial (`"serial"`: a positive integer).
 */
export function idParam(params: Record<string, string | undefined>, name: string): string;
export function idParam(params: Record<string, string | undefined>, name: string, format: "serial"): number;
export function idParam(params: Record<string, string | undefined>, name: string, format: "uuid" | "serial" = "uuid"): string | number {
  const value = params[name];
  if (format === "serial") {
    // Digits only, no sign, no leading zero: "1e3", " 7" and "007" name nothing.
    const id = value && /^[1-9]\d*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(id)) notFound();
    return id;
  }
  return uuidOrNull(value) ?? notFound();
}

/** The value if it is a UUID (an id from a query string), else null. */
export function uuidOrNull(value: string | null | undefined): string | null {
  const parsed = z.uuid().safeParse(value);
  return parsed.success ? parsed.data : null;
}
