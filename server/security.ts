import crypto from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { PROBLEM_CONTENT_TYPE, problemDocument, type ProblemKind } from "../app/lib/api.server";
import { hostMatches, isLoopbackHostname, parseHost, type HostName } from "../app/lib/hosts";
import type { Logger } from "../app/lib/log.server";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Where the API lives (app/routes/api.v1.*): requests there authenticate with a bearer key, never a cookie. */
export const API_PATH_PREFIX = "/api/v1/";

/**
 * The path Remix will route the request to: @remix-run/express builds the
 * request's URL from the protocol, the host and `originalUrl` with the WHATWG
 * parser, which resolves dot segments (`/api/v1/../admin/users`, percent-encoded
 * ones too). Express's own `req.path` keeps them, so a check on it could
 * judge one path and let Remix answer another.
 */
export function routedPath(req: Request): string {
  try {
    return new URL(`http://routed.invalid${req.originalUrl}`).pathname;
  } catch {
    return req.path;
  }
}

/** A request to the API. */
export function isApiPath(req: Request): boolean {
  return routedPath(req).startsWith(API_PATH_PREFIX);
}

/**
 * A request to the API that carries `Authorization: Bearer …`: the brand's
 * own systems, authenticated by their key (requireApiKey), not by a cookie.
 * A browser on another site cannot send this header without a CORS preflight,
 * which the app never grants, so such a request cannot be a cross-site forgery:
 * these, and only these, skip the origin check. The key itself is checked by
 * the route; a bearer on any other path, or an API request without one, is
 * judged like every other request.
 */
export function isApiBearerRequest(req: Request): boolean {
  return /^Bearer +\S/i.test(req.get("authorization") ?? "") && isApiPath(req);
}

/**
 * A refusal of the Express layer: plain text for people, an RFC 9457 problem
 * (app/lib/api.server.ts) on the API's paths, so a program gets the same kind
 * of answer whichever layer refused it.
 */
function sendRefusal(req: Request, res: Response, kind: ProblemKind | "length_required", text: string): void {
  const status = kind === "length_required" ? 411 : problemDocument(kind, text).status;
  if (!isApiPath(req)) {
    res.status(status).type("text/plain").send(text);
    return;
  }
  const document = kind === "length_required" ? { type: "about:blank", title: "Length Required", status, detail: text } : problemDocument(kind, text);
  // Written as bytes: Express's send would add "; charset=utf-8", which problem+json does not take (JSON is UTF-8).
  const body = Buffer.from(JSON.stringify(document));
  res.status(status);
  res.setHeader("Content-Type", PROBLEM_CONTENT_TYPE);
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Length", String(body.length));
  res.end(body);
}

/** Gives each request an id (shown on error pages, logged) and a CSP nonce. */
export function requestIdentity(): RequestHandler {
  return (req, res, next) => {
    res.locals.requestId = crypto.randomUUID();
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    res.setHeader("X-Request-Id", res.locals.requestId as string);
    next();
  };
}

export function contentSecurityPolicy(nonce: string, options: { secureTransport: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // React style attributes (brand colour) need inline styles; scripts stay nonce-only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (options.secureTransport) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** Headers every response carries, whatever produced it. */
export function securityHeaders(options: { secureTransport: boolean }): RequestHandler {
  return (_req, res, next) => {
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(res.locals.cspNonce as string, options));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (options.secureTransport) {
      res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    next();
  };
}

/**
 * The host a request names, as the app sees it: X-Forwarded-Host when it comes
 * from a trusted proxy (Express's `req.hostname` rule), else Host.
 */
export function requestHost(req: Request): string | undefined {
  const trust = req.app.get("trust proxy fn") as (address: string | undefined, hop: number) => boolean;
  const forwarded = req.get("x-forwarded-host");
  if (forwarded && trust(req.socket.remoteAddress, 0)) return forwarded.split(",")[0]!.trim();
  return req.get("host");
}

export type HostPolicy = {
  /** The canonical origin's host once one is known (PUBLIC_URL or recorded at setup); null before setup. */
  canonical: HostName | null;
  /** ALLOWED_HOSTS; "any" turns the check off. */
  allowed: readonly HostName[] | "any";
};

/**
 * Whether a request's host may be answered: loopback always, ALLOWED_HOSTS,
 * the canonical origin's hostname; anything before setup (no account exists
 * yet, and links are never built from the Host anyway).
 */
export function isHostAllowed(rawHost: string | undefined, policy: HostPolicy): boolean {
  if (policy.allowed === "any") return true;
  const host = parseHost(rawHost);
  if (!host) return false;
  if (isHostListed(host, policy.allowed)) return true;
  // A proxy may add or drop the port, so the canonical host matches on its name.
  return policy.canonical === null || policy.canonical.hostname === host.hostname;
}

/** Admitted by name, whatever the canonical origin: loopback, or an ALLOWED_HOSTS entry. */
function isHostListed(host: HostName | null, allowed: HostPolicy["allowed"]): boolean {
  if (allowed === "any") return true;
  return host !== null && (isLoopbackHostname(host.hostname) || allowed.some((entry) => hostMatches(entry, host)));
}

/**
 * Production answers only its own hosts (like Django's ALLOWED_HOSTS): a
 * request naming a foreign Host gets 400 before anything reads it, so no page
 * or link is ever produced for a host an attacker chose.
 */
export function hostAllowList(options: {
  enforce: boolean;
  allowedHosts: HostPolicy["allowed"];
  knownOrigin: () => Promise<string | null>;
  log: Logger;
}): RequestHandler {
  return (req, res, next) => {
    if (!options.enforce || options.allowedHosts === "any") return next();
    const rawHost = requestHost(req);
    options.knownOrigin().then(
      (origin) => {
        const policy: HostPolicy = { canonical: origin === null ? null : parseHost(new URL(origin).host), allowed: options.allowedHosts };
        if (isHostAllowed(rawHost, policy)) return next();
        options.log.warn("malicious_host", { requestId: res.locals.requestId, ip: req.ip, host: rawHost ?? null, path: req.path });
        res.status(400).type("text/plain").send("Unknown host.");
      },
      (error: unknown) => next(error),
    );
  };
}

export type OriginVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Same-origin check for state-changing requests (Remix has no CSRF defence of
 * its own). Fetch Metadata first; Origin as the fallback; a request with
 * neither is refused, as the OWASP CSRF cheat sheet recommends.
 */
export function judgeOrigin(input: {
  method: string;
  expectedOrigins: readonly string[];
  origin: string | undefined;
  secFetchSite: string | undefined;
}): OriginVerdict {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return { allowed: true };
  if (input.secFetchSite !== undefined && input.secFetchSite !== "same-origin") {
    return { allowed: false, reason: `sec-fetch-site=${input.secFetchSite}` };
  }
  if (input.origin !== undefined) {
    return input.expectedOrigins.includes(input.origin) ? { allowed: true } : { allowed: false, reason: `origin=${input.origin}` };
  }
  if (input.secFetchSite === "same-origin") return { allowed: true };
  return { allowed: false, reason: "no Origin or Sec-Fetch-Site header" };
}

/**
 * The origins a state-changing request may come from: the canonical one once
 * known; the request's own when its host is loopback (the printed
 * http://localhost:PORT setup link) or listed in ALLOWED_HOSTS, or before
 * setup, when there is no canonical origin yet.
 */
export function expectedOriginsFor(input: {
  canonical: string | null;
  ownOrigin: string;
  rawHost: string | undefined;
  allowedHosts: HostPolicy["allowed"];
}): string[] {
  if (input.canonical === null) return [input.ownOrigin];
  return isHostListed(parseHost(input.rawHost), input.allowedHosts) ? [input.canonical, input.ownOrigin] : [input.canonical];
}

export function originCheck(options: {
  knownOrigin: () => Promise<string | null>;
  allowedHosts: HostPolicy["allowed"];
  log: Logger;
  /** Requests authenticated otherwise (API bearer keys) skip the check. */
  isExempt?: (req: Request) => boolean;
}): RequestHandler {
  return (req, res, next) => {
    if (options.isExempt?.(req) || SAFE_METHODS.has(req.method)) return next();
    options.knownOrigin().then(
      (canonical) => {
        const rawHost = requestHost(req);
        const verdict = judgeOrigin({
          method: req.method,
          expectedOrigins: expectedOriginsFor({ canonical, ownOrigin: `${req.protocol}://${rawHost ?? ""}`, rawHost, allowedHosts: options.allowedHosts }),
          origin: req.get("origin"),
          secFetchSite: req.get("sec-fetch-site"),
        });
        if (verdict.allowed) return next();
        options.log.warn("malicious_csrf", {
          requestId: res.locals.requestId,
          ip: req.ip,
          method: req.method,
          path: req.path,
          reason: verdict.reason,
        });
        sendRefusal(
          req,
          res,
          "forbidden",
          isApiPath(req)
            ? "Cross-site request refused. Programs calling the API send their key in the header Authorization: Bearer cb_live_…"
            : "Cross-site request refused.",
        );
      },
      (error: unknown) => next(error),
    );
  };
}

/**
 * Coarse per-IP limits against floods. Limits that protect accounts (login,
 * reset) live in the database so every instance shares them.
 */
export function floodLimit(options: {
  log: Logger;
  perMinute: number;
  writesPerMinute: number;
  /** Requests limited otherwise (API bearer keys: per key, see apiAuthFailureLimit for the failures). */
  isExempt?: (req: Request) => boolean;
}): RequestHandler {
  const all = new RateLimiterMemory({ points: options.perMinute, duration: 60 });
  const writes = new RateLimiterMemory({ points: options.writesPerMinute, duration: 60 });
  return (req: Request, res: Response, next: NextFunction) => {
    if (options.isExempt?.(req)) return next();
    const key = req.ip ?? "unknown";
    const limiter = SAFE_METHODS.has(req.method) ? all : writes;
    limiter.consume(key).then(
      () => next(),
      (rejection: { msBeforeNext?: number }) => {
        const retryAfter = Math.max(1, Math.ceil((rejection.msBeforeNext ?? 60_000) / 1000));
        options.log.warn("excess_rate_limit_exceeded", { ip: key, path: req.path });
        res.setHeader("Retry-After", String(retryAfter));
        sendRefusal(req, res, "rate_limited", "Too many requests. Try again shortly.");
      },
    );
  };
}

/**
 * The per-IP flood limit's stand-in for API bearer requests, which it does
 * not count (a shop's servers post a thousand conversions a second from one
 * address; each key has its own limit, shared by every instance). What it
 * counts instead is refused keys: an address whose requests got 401 more than
 * `failuresPerMinute` times in a minute is answered 429 before its next key
 * is even hashed, so guessing keys, or hammering with a revoked one, cannot
 * cost a database lookup per request. Per process, like the flood limit.
 */
export function apiAuthFailureLimit(options: { log: Logger; failuresPerMinute: number }): RequestHandler {
  const failures = new RateLimiterMemory({ points: options.failuresPerMinute, duration: 60 });
  return (req, res, next) => {
    if (!isApiBearerRequest(req)) return next();
    const key = req.ip ?? "unknown";
    failures.get(key).then(
      (state) => {
        if (state && state.consumedPoints > options.failuresPerMinute) {
          options.log.warn("excess_rate_limit_exceeded", { ip: key, path: req.path, reason: "api_key_failures" });
          res.setHeader("Retry-After", String(Math.max(1, Math.ceil(state.msBeforeNext / 1000))));
          sendRefusal(req, res, "rate_limited", "Too many requests with keys that are not valid from this address. Try again in a minute.");
          return;
        }
        res.once("finish", () => {
          if (res.statusCode === 401) void failures.penalty(key, 1);
        });
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

/**
 * Lets loaders and actions add Set-Cookie headers (session refresh or
 * clearing) to whatever response the request ends with, including redirects
 * and thrown responses.
 */
export function responseCookies(): RequestHandler {
  return (_req, res, next) => {
    const cookies: string[] = [];
    res.locals.responseCookies = cookies;
    const writeHead = res.writeHead;
    res.writeHead = function patchedWriteHead(this: Response, ...args: Parameters<typeof writeHead>) {
      if (cookies.length > 0 && !res.headersSent) {
        const existing = res.getHeader("Set-Cookie");
        const current = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
        const names = new Set(current.map((c) => c.split("=")[0]));
        // A cookie the route set itself wins over the automatic refresh.
        res.setHeader("Set-Cookie", [...current, ...cookies.filter((c) => !names.has(c.split("=")[0]))]);
      }
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  };
}

export const FORM_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Form and JSON bodies are small: a larger one is refused before anything
 * reads it. That includes multipart bodies, which every action would buffer
 * whole through `request.formData()`; only the upload paths (`isUploadPath`)
 * take larger ones, and they stream them with per-kind limits.
 */
export function bodyLimit(options: { maxBytes: number; isUploadPath: (pathname: string) => boolean }): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const type = req.get("content-type") ?? "";
    if (/^multipart\/form-data/i.test(type) && options.isUploadPath(req.path)) return next();
    const declared = req.get("content-length");
    if (declared === undefined && req.get("transfer-encoding") !== undefined) {
      res.setHeader("Connection", "close");
      sendRefusal(req, res, "length_required", "A Content-Length header is required.");
      return;
    }
    if (declared !== undefined && Number(declared) > options.maxBytes) {
      // The body stays unread: the connection cannot carry another request.
      res.setHeader("Connection", "close");
      sendRefusal(req, res, "too_large", `The request is too large (limit ${Math.round(options.maxBytes / 1024)} KB).`);
      return;
    }
    next();
  };
}

/**
 * A client that goes away mid-body makes Node emit 'error' on the request;
 * without a listener that error is uncaught and ends the process. Whatever
 * was reading the body sees the failure through its own stream.
 */
export function survivesAbortedRequests(log: Logger): RequestHandler {
  return (req, res, next) => {
    req.on("error", (error: NodeJS.ErrnoException) => {
      log.info("http.request_aborted", { requestId: res.locals.requestId, path: req.path, code: error.code ?? String(error) });
    });
    next();
  };
}

/**
 * Pages can hold personal data: no shared or browser caching unless a route
 * says otherwise. Set as the response's headers are written, and only if the
 * route set none: Remix appends a route's own Cache-Control to what is there,
 * so a default set up front would be joined to it ("private, no-store,
 * public, max-age=…"), and no-store would win.
 */
export function noStoreByDefault(): RequestHandler {
  return (_req, res, next) => {
    const writeHead = res.writeHead;
    res.writeHead = function writeHeadWithDefault(this: Response, ...args: Parameters<typeof writeHead>) {
      if (!res.headersSent && !res.hasHeader("Cache-Control")) res.setHeader("Cache-Control", "private, no-store");
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  };
}
