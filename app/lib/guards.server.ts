import { redirect, type AppLoadContext } from "@remix-run/node";
import { INTERNAL_ROLES, type ApiKeyScope, type InternalRole } from "#db/schema/index";
import { problem, rememberApiPrincipal, type ApiPrincipal } from "./api.server";
import type { SessionUser } from "./auth.server";
import type { Actor } from "./audit.server";
import { POLICIES_PATH } from "./paths";
import { sameSitePath } from "./redirects";

export type InternalUser = SessionUser & { role: InternalRole; partnerOrgId: null };
export type PartnerUser = SessionUser & { role: "partner"; partnerOrgId: string; partnerRole: "owner" | "member" };

type Current = { user: SessionUser; sessionId: string };
const currentCache = new WeakMap<Request, Promise<Current | null>>();

/** The signed-in user of this request, validated once per request. */
export function getCurrent(context: AppLoadContext, request: Request): Promise<Current | null> {
  let pending = currentCache.get(request);
  if (!pending) {
    pending = (async () => {
      const cookieHeader = request.headers.get("Cookie");
      const result = await context.app.auth.validate(cookieHeader);
      if (!result) {
        // A stale cookie is cleared so the browser stops sending it.
        if (cookieHeader?.includes(`${context.app.auth.cookieName}=`)) {
          context.responseCookies.push(context.app.auth.blankCookie());
        }
        return null;
      }
      if (result.setCookie) context.responseCookies.push(result.setCookie);
      return { user: result.user, sessionId: result.session.id };
    })();
    currentCache.set(request, pending);
  }
  return pending;
}

export async function getUser(context: AppLoadContext, request: Request): Promise<SessionUser | null> {
  return (await getCurrent(context, request))?.user ?? null;
}

/** Anonymous visitors go to the login page, which brings them back here afterwards. */
export async function requireUser(context: AppLoadContext, request: Request): Promise<SessionUser> {
  const user = await getUser(context, request);
  if (!user) {
    const url = new URL(request.url);
    const back = `${url.pathname}${url.search}`;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

/**
 * Logs an authorization failure (OWASP vocabulary: authz_fail). The guards
 * call it, and so does the domain-error mapper when a business rule refuses
 * (a ForbiddenError, app/lib/domain-responses.server.ts). `user` is null for
 * a refusal on a page that needs no sign-in.
 */
export function logAuthzFailure(context: AppLoadContext, request: Request, user: Pick<SessionUser, "id"> | null, status: 403 | 404, reason: string): void {
  context.app.log.warn("authz_fail", {
    requestId: context.requestId,
    userId: user?.id ?? null,
    method: request.method,
    path: new URL(request.url).pathname,
    reason,
    status,
  });
}

/** Logs the failure and returns the response to throw. */
function refuse(context: AppLoadContext, request: Request, user: SessionUser, status: 403 | 404, reason: string): Response {
  logAuthzFailure(context, request, user, status, reason);
  return new Response(status === 404 ? "Not found" : "Forbidden", { status });
}

export function isInternal(user: SessionUser): user is InternalUser {
  return user.role !== "partner";
}

/**
 * Internal area guard. Partner users get 404, not 403: the internal area
 * does not exist for them. Internal users without the role get 403.
 */
export async function requireInternalUser(context: AppLoadContext, request: Request, roles: readonly InternalRole[] = INTERNAL_ROLES): Promise<InternalUser> {
  const user = await requireUser(context, request);
  if (!isInternal(user)) throw refuse(context, request, user, 404, "internal_area");
  if (!roles.includes(user.role)) throw refuse(context, request, user, 403, `role_${user.role}`);
  return user;
}

/**
 * A narrower role check inside a route already guarded for its page: one
 * intent of a form that only some of the page's roles may send (approve,
 * retire, set required). Refused with 403 and logged as authz_fail.
 */
export function requireIntentRole(context: AppLoadContext, request: Request, user: InternalUser, roles: readonly InternalRole[], message = "Forbidden"): void {
  if (roles.includes(user.role)) return;
  logAuthzFailure(context, request, user, 403, `role_${user.role}`);
  throw new Response(message, { status: 403 });
}

/**
 * How a partner route is reached while its user still has required policies
 * to accept: `page` redirects to the policies page and comes back afterwards;
 * `resource` (files, exports) answers 403; `open` is for the policy pages
 * themselves. Actions (any non-GET) always answer 403 while gated.
 */
export type PartnerAccess = "page" | "resource" | "open";

/** The page a gated user was after, without Remix's data-request parameters. */
function returnPathOf(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete("_data");
  url.searchParams.delete("index");
  return safeRedirect(`${url.pathname}${url.search}`, "/partner");
}

export async function requirePartnerUser(context: AppLoadContext, request: Request, access: PartnerAccess = "page"): Promise<PartnerUser> {
  const user = await requireUser(context, request);
  if (user.role !== "partner" || !user.partnerOrgId || !user.partnerRole) {
    throw refuse(context, request, user, 404, "partner_area");
  }
  const partner = user as PartnerUser;
  if (access === "open") return partner;
  const gate = await context.app.partnerGate(request, partner.id);
  if (!gate.blocked) return partner;
  const reading = request.method === "GET" || request.method === "HEAD";
  if (access === "page" && reading) {
    throw redirect(`${POLICIES_PATH}?redirectTo=${encodeURIComponent(returnPathOf(request))}`);
  }
  throw refuse(context, request, partner, 403, "policies_not_accepted");
}

/** Team management is the owner's: members get 403. */
export async function requirePartnerOwner(context: AppLoadContext, request: Request): Promise<PartnerUser> {
  const user = await requirePartnerUser(context, request);
  if (user.partnerRole !== "owner") throw refuse(context, request, user, 403, "partner_member");
  return user;
}

export async function requireAnonymous(context: AppLoadContext, request: Request): Promise<void> {
  const user = await getUser(context, request);
  if (user) throw redirect(homePathFor(user));
}

export function homePathFor(user: Pick<SessionUser, "role">): string {
  return user.role === "partner" ? "/partner" : "/admin";
}

export function actorOf(user: Pick<SessionUser, "id" | "email">, context: AppLoadContext): Actor {
  return { id: user.id, label: user.email, ip: context.clientIp };
}

/** A partner user as the actor of a change to their own organisation's things. */
export function partnerActorOf(user: PartnerUser, context: AppLoadContext): Actor & { id: string; name: string; partnerOrgId: string } {
  return { ...actorOf(user, context), id: user.id, name: user.name, partnerOrgId: user.partnerOrgId };
}

/**
 * A redirect target from a form or query string, kept only if it is a path of
 * this site (see sameSitePath: resolved by the URL parser, never the raw input).
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  return sameSitePath(to, fallback);
}

const API_REALM = 'Bearer realm="Cobrand API"';

/**
 * The API's guard: the key in `Authorization: Bearer cb_live_…`, live, with
 * `scope`, within its rate limit; else the problem to answer, thrown and
 * logged. Only the header counts: a session cookie never authenticates an
 * API request (an admin's browser gets 401 here like anyone else).
 * - no header, or not a Cobrand key: 401 with `WWW-Authenticate: Bearer`;
 * - a key that is unknown, revoked or expired: 401, the same answer for all
 *   three (the log line says which);
 * - a live key without the scope: 403 naming the scope;
 * - over the key's limit: 429 with Retry-After.
 */
export async function requireApiKey(request: Request, context: AppLoadContext, scope: ApiKeyScope): Promise<ApiPrincipal> {
  const verdict = await context.app.apiKeys.authenticate(context.app, request.headers.get("Authorization"), scope);
  if (verdict.ok) {
    rememberApiPrincipal(request, verdict.principal);
    return verdict.principal;
  }
  const line = { requestId: context.requestId, ip: context.clientIp, method: request.method, path: new URL(request.url).pathname };
  switch (verdict.status) {
    case 401: {
      context.app.log.warn("authn_fail", { ...line, apiKeyId: verdict.keyId, reason: `api_key_${verdict.reason}` });
      if (verdict.reason === "missing" || verdict.reason === "malformed") {
        const detail =
          verdict.reason === "missing"
            ? "Send an API key in the Authorization header: Authorization: Bearer cb_live_…"
            : "The Authorization header is not a Cobrand API key. Send it as: Authorization: Bearer cb_live_…";
        throw problem("unauthorized", detail, {
          headers: { "WWW-Authenticate": verdict.reason === "missing" ? API_REALM : `${API_REALM}, error="invalid_request"` },
        });
      }
      throw problem("unauthorized", "The API key is not valid: it may be mistyped, revoked or expired. An admin can make a new one in Admin → API keys.", {
        headers: { "WWW-Authenticate": `${API_REALM}, error="invalid_token"` },
      });
    }
    case 403:
      context.app.log.warn("authz_fail", { ...line, apiKeyId: verdict.principal.keyId, reason: `scope_${verdict.scope}`, status: 403 });
      throw problem("insufficient_scope", `This API key lacks the scope ${verdict.scope}. An admin can make a key with it in Admin → API keys.`, {
        headers: { "WWW-Authenticate": `${API_REALM}, error="insufficient_scope", scope="${verdict.scope}"` },
      });
    case 429:
      context.app.log.warn("excess_rate_limit_exceeded", { ...line, apiKeyId: verdict.principal.keyId, limitPerMinute: verdict.limitPerMinute });
      throw problem(
        "rate_limited",
        `This API key may make ${verdict.limitPerMinute.toLocaleString("en")} requests a minute. Try again in ${verdict.retryAfterSeconds} s.`,
        { headers: { "Retry-After": String(verdict.retryAfterSeconds) } },
      );
  }
}
