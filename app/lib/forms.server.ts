import { data } from "@remix-run/node";
import { z } from "zod";
import { DomainError } from "~/domain/errors";

export type FieldErrors = Record<string, string[] | undefined>;
export type FormFailure = { ok: false; errors: FieldErrors; formError: string | null; values: Record<string, string> };

// Never echoed back into a form.
const SECRET_FIELDS = /password|token/i;

/** What the user typed, to refill the form after an error (secrets excepted). */
export function keptValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    // Repeated fields (checkbox groups) are kept comma-joined.
    if (typeof value === "string" && !SECRET_FIELDS.test(key)) values[key] = key in values ? `${values[key]},${value}` : value;
  }
  return values;
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
    failure: { ok: false, errors: flat.fieldErrors as FieldErrors, formError: flat.formErrors[0] ?? null, values: keptValues(formData) },
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
