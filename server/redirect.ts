import type { IncomingMessage, ServerResponse } from "node:http";
import proxyaddr from "proxy-addr";
import { SHORT_CODE_PATTERN, SHORT_LINK_PREFIX, TEST_CLICK_PARAM } from "../app/domain/links/catalog";
import type { ClickRecorder } from "../app/domain/links/click-recorder.server";
import { ClickIdSource } from "../app/domain/links/codes.server";
import { decideRedirect, type LinkResolver, type LinkTarget, type ProgramLinkFacts } from "../app/domain/links/resolve.server";
import { dailySalt, isTestClickToken, referrerHost, utcDay, VisitorClassifier, visitorHash } from "../app/domain/links/visitors.server";
import type { AppContext } from "../app/lib/context.server";

export type RedirectHandlerOptions = {
  context: Pick<AppContext, "config" | "log" | "clock">;
  resolver: LinkResolver;
  recorder: ClickRecorder;
};

/** Answers `/l/:code` (returns true) or leaves the request to the app (false). */
export type RedirectHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const COMMON_HEADERS = {
  "Cache-Control": "no-store",
  "X-Robots-Tag": "noindex, nofollow",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const NOT_FOUND_PAGE = Buffer.from(
  `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Link not found</title>` +
    `<body style="font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937">` +
    `<h1 style="font-size:1.5rem">This link does not exist</h1><p>Check the address for typing mistakes. If someone shared it with you, ask them for the link again.</p>` +
    `<p><a href="/">Go to the program's home page</a></p></body></html>`,
);

/** Express's `trust proxy` values, as proxy-addr understands them. */
function trustFunction(trust: boolean | number | string): (address: string, hop: number) => boolean {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === "number") return (_address, hop) => hop < trust;
  return proxyaddr.compile(trust.split(",").map((part) => part.trim()));
}

/**
 * The redirect fast path (ARCHITECTURE.md, "Redirects"), in front of Express
 * and Remix: no middleware, no session, no flood limit (many visitors share a
 * carrier's or an office's IP). A link found in the resolver's cache is
 * answered synchronously; the click is queued for the recorder's next batch.
 * The visitor's query string is never read, except for a partner's signed
 * test-click token, and never reaches the destination.
 */
export function createRedirectHandler({ context, resolver, recorder }: RedirectHandlerOptions): RedirectHandler {
  const { config, log, clock } = context;
  const trust = trustFunction(config.trustProxy);
  const countryHeader = config.countryHeader;
  const classifier = new VisitorClassifier();
  const clickIds = new ClickIdSource();
  let salt: { day: string; key: Buffer } = { day: "", key: Buffer.alloc(0) };

  const saltFor = (day: string) => {
    if (salt.day !== day) salt = { day, key: dailySalt(config.appSecret, day) };
    return salt.key;
  };

  function respond(req: IncomingMessage, res: ServerResponse, code: string, target: LinkTarget | null, program: ProgramLinkFacts, query: string): void {
    const now = clock.now();
    const userAgent = req.headers["user-agent"] ?? "";
    const purpose = (req.headers["sec-purpose"] as string | undefined) ?? (req.headers.purpose as string | undefined) ?? "";
    const kind = classifier.classify(req.method ?? "GET", userAgent, purpose);
    const ip = proxyaddr(req, trust);
    const clickId = clickIds.next();
    const country = countryHeader ? normaliseCountry(req.headers[countryHeader]) : null;
    const decision = target ? decideRedirect(target, program, clickId) : null;
    recorder.record({
      clickedAt: now,
      clickId,
      linkId: target?.id ?? null,
      organisationId: target?.organisationId ?? null,
      requestedCode: target ? null : code.slice(0, 64),
      visitorHash: visitorHash(saltFor(utcDay(now)), ip, userAgent),
      userAgentClass: kind.userAgentClass,
      referrerHost: referrerHost(req.headers.referer),
      country,
      isBot: kind.isBot,
      isTest: target !== null && query !== "" && isTestClick(code, query, now),
      fallbackReason: decision ? decision.fallbackReason : "unknown_code",
    });
    const send = () => (decision ? sendRedirect(req, res, decision.location) : sendNotFound(req, res));
    if (recorder.congested) void recorder.room().then(send);
    else send();
  }

  const isTestClick = (code: string, query: string, now: Date) => {
    const token = new URLSearchParams(query).get(TEST_CLICK_PARAM);
    return token !== null && isTestClickToken(config.appSecret, code, token, now);
  };

  return (req, res) => {
    const url = req.url ?? "";
    if (!url.startsWith(SHORT_LINK_PREFIX)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { ...COMMON_HEADERS, Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" });
      res.end("Short links answer GET and HEAD only.\n");
      return true;
    }
    const queryAt = url.indexOf("?");
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const query = queryAt === -1 ? "" : url.slice(queryAt + 1);
    const code = path.slice(SHORT_LINK_PREFIX.length);
    const program = resolver.cachedProgram();
    if (!SHORT_CODE_PATTERN.test(code)) {
      // Not a code at all ("//evil.com", "%2F..."): an orphan visit, answered without a lookup.
      if (program) respond(req, res, code, null, program, "");
      else
        void resolver.programFacts().then(
          (facts) => respond(req, res, code, null, facts, ""),
          (error: unknown) => fail(res, error),
        );
      return true;
    }
    const cached = program ? resolver.cachedLink(code) : undefined;
    if (program && cached !== undefined) {
      respond(req, res, code, cached, program, query);
      return true;
    }
    void Promise.all([resolver.link(code), resolver.programFacts()]).then(
      ([target, facts]) => respond(req, res, code, target, facts, query),
      (error: unknown) => fail(res, error),
    );
    return true;
  };

  function fail(res: ServerResponse, error: unknown): void {
    log.error("redirect.lookup_failed", { error: String(error) });
    if (res.headersSent) return void res.end();
    res.writeHead(503, { ...COMMON_HEADERS, "Retry-After": "5", "Content-Type": "text/plain; charset=utf-8" });
    res.end("This link cannot be followed right now. Please try again in a moment.\n");
  }
}

function sendRedirect(req: IncomingMessage, res: ServerResponse, location: string): void {
  const body = req.method === "HEAD" ? null : Buffer.from(`<a href="${escapeHtml(location)}">Continue</a>\n`);
  res.writeHead(302, {
    ...COMMON_HEADERS,
    Location: location,
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": String(body?.length ?? 0),
  });
  res.end(body ?? undefined);
}

function sendNotFound(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(404, { ...COMMON_HEADERS, "Content-Type": "text/html; charset=utf-8", "Content-Length": String(NOT_FOUND_PAGE.length) });
  res.end(req.method === "HEAD" ? undefined : NOT_FOUND_PAGE);
}

/** A two-letter country code from the trusted header ("XX" and "T1", Cloudflare's unknown and Tor, are not countries). */
function normaliseCountry(value: string | string[] | undefined): string | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim().toUpperCase();
  if (!text || !/^[A-Z]{2}$/.test(text) || text === "XX") return null;
  return text;
}
