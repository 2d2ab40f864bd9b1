import type { IncomingMessage, ServerResponse } from "node:http";
import proxyaddr from "proxy-addr";
import { SHORT_CODE_PATTERN, SHORT_LINK_PREFIX, TEST_CLICK_PARAM } from "../app/domain/links/catalog";
import type { ClickRecorder } from "../app/domain/links/click-recorder.server";
import { ClickIdSource } from "../app/domain/links/codes.server";
import { decideRedirect, type LinkResolver, type LinkTarget, type ProgramLinkFacts } from "../app/domain/links/resolve.server";
import { isTestClickToken, memoised, referrerHost, VisitorClassifier, VisitorHasher } from "../app/domain/links/visitors.server";
import type { AppContext } from "../app/lib/context.server";

export type RedirectHandlerOptions = {
  context: Pick<AppContext, "config" | "log" | "clock">;
  resolver: LinkResolver;
  recorder: ClickRecorder;
};

/** Answers `/l/:code` (returns true) or leaves the request to the app (false). */
export type RedirectHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

// Every answer of the short links carries these. The redirect itself has no
// body (a browser follows the Location): fewer bytes per click, and nothing
// a browser could render or sniff.
const NO_STORE = "no-store";
const NOINDEX = "noindex";
const REFERRER_POLICY = "strict-origin-when-cross-origin";
const NOSNIFF = "nosniff";
const HSTS = "max-age=31536000; includeSubDomains";

const LINK_HEADERS = {
  "Cache-Control": NO_STORE,
  "X-Robots-Tag": NOINDEX,
  "Referrer-Policy": REFERRER_POLICY,
  "X-Content-Type-Options": NOSNIFF,
} as const;

const PAGE_HEADERS = {
  ...LINK_HEADERS,
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

/**
 * The 302's headers, written out as one object literal per response (the
 * redirect's hottest allocation; a spread of a shared object costs more).
 */
function redirectHeaders(location: string, secureTransport: boolean): Record<string, string> {
  if (secureTransport) {
    return {
      Location: location,
      "Content-Length": "0",
      "Cache-Control": NO_STORE,
      "X-Robots-Tag": NOINDEX,
      "Referrer-Policy": REFERRER_POLICY,
      "X-Content-Type-Options": NOSNIFF,
      "Strict-Transport-Security": HSTS,
    };
  }
  return {
    Location: location,
    "Content-Length": "0",
    "Cache-Control": NO_STORE,
    "X-Robots-Tag": NOINDEX,
    "Referrer-Policy": REFERRER_POLICY,
    "X-Content-Type-Options": NOSNIFF,
  };
}

const NOT_FOUND_PAGE = Buffer.from(
  `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Link not found</title>` +
    `<body style="font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937">` +
    `<h1 style="font-size:1.5rem">This link does not exist</h1><p>Check the address for typing mistakes. If someone shared it with you, ask them for the link again.</p>` +
    `<p><a href="/">Go to the program's home page</a></p></body></html>`,
);

type Trust = (address: string, hop: number) => boolean;

/** Express's `trust proxy` values, as proxy-addr understands them. */
export function trustFunction(trust: boolean | number | string): Trust {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === "number") return (_address, hop) => hop < trust;
  return proxyaddr.compile(trust.split(",").map((part) => part.trim()));
}

/**
 * The client's address as Express's `req.ip` would say (proxy-addr), with
 * the two common cases answered without parsing addresses: the peer is not a
 * trusted proxy (its own address), or it is and names a single client in
 * X-Forwarded-For (that one: with nothing to its left, proxy-addr returns it
 * whether or not it is trusted itself). Anything else goes to proxy-addr.
 */
export function clientAddressOf(trust: Trust): { address(req: IncomingMessage): string; peerTrusted(req: IncomingMessage): boolean } {
  // Peers are the few proxies in front (or, without one, the visitors themselves): kept, bounded.
  const trustedPeer = memoised((peer) => trust(peer, 0));
  const peerTrusted = (req: IncomingMessage) => trustedPeer(req.socket.remoteAddress ?? "");
  return {
    peerTrusted,
    address(req) {
      const peer = req.socket.remoteAddress ?? "";
      const forwarded = req.headers["x-forwarded-for"];
      if (!forwarded || !trustedPeer(peer)) return peer;
      const chain = typeof forwarded !== "string" || forwarded.includes(",") || forwarded.startsWith(" ") || forwarded.endsWith(" ");
      return chain ? proxyaddr(req, trust) : forwarded;
    },
  };
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
  const client = clientAddressOf(trustFunction(config.trustProxy));
  const countryHeader = config.countryHeader;
  const classifier = new VisitorClassifier();
  const hasher = new VisitorHasher(config.appSecret);
  const referrerHosts = memoised(referrerHost);
  const clickIds = new ClickIdSource();
  const secureTransport = config.secureTransport;
  const linkHeaders = secureTransport ? { ...LINK_HEADERS, "Strict-Transport-Security": HSTS } : LINK_HEADERS;
  const pageHeaders = config.secureTransport ? { ...PAGE_HEADERS, "Strict-Transport-Security": HSTS } : PAGE_HEADERS;
  const testMarker = `${TEST_CLICK_PARAM}=`;

  /** The country a trusted proxy in front says the visitor is in; the header of anyone else is ignored. */
  const countryOf = (req: IncomingMessage): string | null => {
    if (!countryHeader || !client.peerTrusted(req)) return null;
    return normaliseCountry(req.headers[countryHeader]);
  };

  const isTestClick = (code: string, query: string, now: Date) => {
    if (!query.includes(testMarker)) return false;
    const token = new URLSearchParams(query).get(TEST_CLICK_PARAM);
    return token !== null && isTestClickToken(config.appSecret, code, token, now);
  };

  function respond(req: IncomingMessage, res: ServerResponse, code: string, target: LinkTarget | null, program: ProgramLinkFacts, query: string): void {
    const now = clock.now();
    const method = req.method ?? "GET";
    const userAgent = req.headers["user-agent"] ?? "";
    const purpose = (req.headers["sec-purpose"] as string | undefined) ?? (req.headers.purpose as string | undefined) ?? "";
    const kind = classifier.classify(method, userAgent, purpose);
    const referer = req.headers.referer;
    const clickId = clickIds.next(now.getTime());
    const decision = target ? decideRedirect(target, program, clickId) : null;
    recorder.record({
      clickedAt: now,
      clickId,
      linkId: target?.id ?? null,
      organisationId: target?.organisationId ?? null,
      requestedCode: target ? null : code.slice(0, 64),
      visitorHash: hasher.hash(now.getTime(), client.address(req), userAgent),
      userAgentClass: kind.userAgentClass,
      referrerHost: referer ? referrerHosts(referer) : null,
      country: countryOf(req),
      isBot: kind.isBot,
      isTest: target !== null && query !== "" && isTestClick(code, query, now),
      fallbackReason: decision ? decision.fallbackReason : "unknown_code",
    });
    const send = () => (decision ? sendRedirect(res, decision.location) : sendNotFound(res, method));
    if (recorder.congested) void recorder.room().then(send);
    else send();
  }

  function sendRedirect(res: ServerResponse, location: string): void {
    res.writeHead(302, redirectHeaders(location, secureTransport));
    res.end();
  }

  function sendNotFound(res: ServerResponse, method: string): void {
    res.writeHead(404, { ...pageHeaders, "Content-Length": String(NOT_FOUND_PAGE.length) });
    res.end(method === "HEAD" ? undefined : NOT_FOUND_PAGE);
  }

  function fail(res: ServerResponse, error: unknown): void {
    log.error("redirect.lookup_failed", { error: String(error) });
    if (res.headersSent) return void res.end();
    res.writeHead(503, { ...linkHeaders, "Retry-After": "5", "Content-Type": "text/plain; charset=utf-8" });
    res.end("This link cannot be followed right now. Please try again in a moment.\n");
  }

  return (req, res) => {
    const url = req.url ?? "";
    if (!url.startsWith(SHORT_LINK_PREFIX)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { ...linkHeaders, Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" });
      res.end("Short links answer GET and HEAD only.\n");
      return true;
    }
    const queryAt = url.indexOf("?");
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const query = queryAt === -1 ? "" : url.slice(queryAt + 1);
    const code = path.slice(SHORT_LINK_PREFIX.length);
    // Not a code at all ("//evil.com", "%2F..."): an orphan visit, answered without a lookup.
    const isCode = SHORT_CODE_PATTERN.test(code);
    const program = resolver.cachedProgram();
    const cached = program && isCode ? resolver.cachedLink(code) : undefined;
    if (program && (!isCode || cached !== undefined)) {
      respond(req, res, code, cached ?? null, program, query);
      return true;
    }
    void Promise.all([isCode ? resolver.link(code) : null, resolver.programFacts()]).then(
      ([target, facts]) => respond(req, res, code, target, facts, query),
      (error: unknown) => fail(res, error),
    );
    return true;
  };
}

/** A two-letter country code from the trusted header ("XX" and "T1", Cloudflare's unknown and Tor, are not countries). */
function normaliseCountry(value: string | string[] | undefined): string | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim().toUpperCase();
  if (!text || !/^[A-Z]{2}$/.test(text) || text === "XX") return null;
  return text;
}
