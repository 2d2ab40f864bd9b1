import { data, type AppLoadContext } from "@remix-run/node";
import { errorDocument, type ErrorDocumentOptions } from "./error-document.server";
import { DomainError, ForbiddenError } from "./errors";
import { closeIfUnread, formFailure } from "./forms.server";
import { getUser, logAuthzFailure } from "./guards.server";
import { notFound, notFoundResponse } from "./http.server";

/**
 * The one place a DomainError becomes HTTP. The domain throws kinds
 * (app/lib/errors.ts); a route hands what it caught to one of these, by
 * where the answer goes:
 * - a form's action: `domainFailure`, the form again with the message;
 * - a loader, a link, a resource route: `domainErrorResponse` (thrown), or
 *   `mapDomainErrors` around the domain call.
 * Whichever: not_found is the routes' one 404 (app/lib/http.server.ts), and a
 * 403 is logged as authz_fail like the guards' own refusals.
 */

/** The request a refusal answers: what the authz_fail line of a 403 is logged with. */
export type RequestScope = { context: AppLoadContext; request: Request };

/** Logs a business rule's 403 like a guard's, with the rule's reason and whoever is signed in. */
async function logForbidden(error: ForbiddenError, { context, request }: RequestScope): Promise<void> {
  // getUser is cached per request: the guard that ran first already paid for it.
  logAuthzFailure(context, request, await getUser(context, request), 403, error.reason);
}

/**
 * A form action's answer to a DomainError: the form again, with the message
 * at its field (or at the top of the form), what was typed kept, and the
 * kind's status (400, 409, 413, 429...; a 403 logged first). not_found is the
 * 404 page instead: there is no form for a thing that is not there. Anything
 * but a DomainError is rethrown. `formData` is null for a form whose fields
 * were never read (a refused upload): nothing to keep.
 */
export async function domainFailure(error: unknown, formData: FormData | null, scope: RequestScope) {
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === "not_found") notFound();
  if (error instanceof ForbiddenError) await logForbidden(error, scope);
  return data(formFailure(formData ?? new FormData(), error.message, error.field), { status: error.status, headers: closeIfUnread(error.status) });
}

/** How a resource route's refusal is drawn as a page (see errorDocument): where to go back to, and the program's look. */
export type RefusalPage = Omit<ErrorDocumentOptions, "status" | "message">;

/**
 * The response a DomainError stands for where no form can show it (a loader,
 * a resource route), for the caller to throw: not_found is the bare 404;
 * any other kind is its status with its message, a 403 logged first. A
 * page's error boundary renders it in the portal's shell; a resource route
 * sends it as it is, as plain text, or as a whole page when `page` says how
 * to draw one (asked only for a refusal, so a failure that is not the domain's
 * never waits on it). Anything but a DomainError is rethrown.
 */
export async function domainErrorResponse(error: unknown, scope: RequestScope, page?: () => Promise<RefusalPage>): Promise<Response> {
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === "not_found") return notFoundResponse();
  if (error instanceof ForbiddenError) await logForbidden(error, scope);
  if (page) return errorDocument({ status: error.status, message: error.message, ...(await page()) });
  return new Response(error.message, { status: error.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * A loader's call into the domain: its value, or, when it throws a
 * DomainError, the response that stands for (domainErrorResponse), thrown.
 * `const found = await mapDomainErrors(getThing(db, id), { context, request });`
 */
export async function mapDomainErrors<T>(work: Promise<T>, scope: RequestScope): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw await domainErrorResponse(error, scope);
  }
}
