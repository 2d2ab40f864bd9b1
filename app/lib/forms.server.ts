import { data } from "@remix-run/node";
import { z } from "zod";
import { DomainError } from "~/domain/errors";

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

export function formFailure(formData: FormData, message: string, field?: string): FormFailure {
  return {
    ok: false,
    errors: field ? { [field]: [message] } : {},
    formError: field ? null : message,
    values: keptValues(formData),
  };
}

/** Turns a DomainError into the form's answer; anything else is rethrown. */
export function domainFailure(error: unknown, formData: FormData) {
  if (!(error instanceof DomainError)) throw error;
  if (error.status === 404) throw new Response("Not found", { status: 404 });
  return invalid(formFailure(formData, error.message, error.options.field), error.status);
}

/** A resource route's answer to a DomainError: its message as plain text with its status; anything else is rethrown. */
export function domainResponse(error: unknown): Response {
  if (!(error instanceof DomainError)) throw error;
  const message = error.status === 404 ? "Not found" : error.message;
  return new Response(message, { status: error.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function clientMeta(request: Request, context: { clientIp: string | null }) {
  return { ip: context.clientIp, userAgent: request.headers.get("user-agent") };
}

export const Email = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address."));
export const RequiredText = (label: string, max: number) =>
  z.string({ error: `${label} is required.` }).trim().min(1, `${label} is required.`).max(max, `${label} must be at most ${max} characters.`);
export const Password = z.string({ error: "Enter a password." }).min(1, "Enter a password.").max(1024, "That password is too long.");

/**
 * A route's id parameter, or a 404 thrown: a malformed id names nothing, and
 * saying so differently from an unknown id would tell an attacker more.
 */
export function idParam(params: Record<string, string | undefined>, name: string): string {
  const parsed = z.uuid().safeParse(params[name]);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}
