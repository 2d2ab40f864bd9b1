import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, expectedOriginsFor, isHostAllowed, judgeOrigin, type HostPolicy } from "../../server/security";
import { parseHost } from "~/lib/hosts";
import { loadConfig } from "~/lib/config.server";
import { digestsEqual, generateToken, hashToken } from "~/lib/tokens.server";
import { canonicalJson } from "~/lib/audit.server";
import { retryDelayMs } from "~/lib/outbox.server";

const expected = "https://partners.example.com";

describe("judgeOrigin (CSRF)", () => {
  const post = (origin?: string, secFetchSite?: string) => judgeOrigin({ method: "POST", expectedOrigins: [expected], origin, secFetchSite });

  it("lets safe methods through", () => {
    expect(judgeOrigin({ method: "GET", expectedOrigins: [expected], origin: "https://evil.example", secFetchSite: "cross-site" }).allowed).toBe(true);
  });
  it("accepts same-origin by Fetch Metadata or by Origin", () => {
    expect(post(expected, "same-origin").allowed).toBe(true);
    expect(post(undefined, "same-origin").allowed).toBe(true);
    expect(post(expected, undefined).allowed).toBe(true);
  });
  it("refuses cross-site, same-site, user-initiated and mismatched origins", () => {
    expect(post(expected, "cross-site").allowed).toBe(false);
    expect(post(expected, "same-site").allowed).toBe(false);
    expect(post(undefined, "none").allowed).toBe(false);
    expect(post("https://partners.example.com.evil.example", undefined).allowed).toBe(false);
    expect(post("null", undefined).allowed).toBe(false);
  });
  it("refuses a request that carries neither header", () => {
    expect(post(undefined, undefined)).toEqual({ allowed: false, reason: "no Origin or Sec-Fetch-Site header" });
  });
  it("applies to every state-changing method", () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expect(judgeOrigin({ method, expectedOrigins: [expected], origin: undefined, secFetchSite: undefined }).allowed).toBe(false);
    }
  });
});

describe("host allow-list", () => {
  const canonical = parseHost("partners.example.com");
  const policy = (allowed: HostPolicy["allowed"] = [], known = canonical): HostPolicy => ({ canonical: known, allowed });

  it("answers the canonical host on any port, and loopback always", () => {
    for (const host of [
      "partners.example.com",
      "PARTNERS.example.com",
      "partners.example.com:3000",
      "localhost:3000",
      "127.0.0.1",
      "127.8.9.1:80",
      "[::1]:3000",
    ]) {
      expect(isHostAllowed(host, policy()), host).toBe(true);
    }
  });
  it("refuses any other host, a missing one, and values that are not a bare host", () => {
    for (const host of [
      undefined,
      "",
      "evil.example:4102",
      "partners.example.com.evil.example",
      "evil.example/partners.example.com",
      "user@partners.example.com",
      "localhost.evil.example",
      "128.0.0.1",
    ]) {
      expect(isHostAllowed(host, policy()), String(host)).toBe(false);
    }
  });
  it("admits ALLOWED_HOSTS entries, with their port when one is given, and everything with *", () => {
    const allowed = loadConfig({ NODE_ENV: "test", APP_SECRET: "x".repeat(40), ALLOWED_HOSTS: "www.partners.example.com, edge.example:8443" }).allowedHosts;
    expect(isHostAllowed("www.partners.example.com:1234", policy(allowed))).toBe(true);
    expect(isHostAllowed("edge.example:8443", policy(allowed))).toBe(true);
    expect(isHostAllowed("edge.example:8080", policy(allowed))).toBe(false);
    expect(isHostAllowed("evil.example", policy("any"))).toBe(true);
    expect(loadConfig({ NODE_ENV: "test", APP_SECRET: "x".repeat(40), ALLOWED_HOSTS: "a.example,*" }).allowedHosts).toBe("any");
    expect(() => loadConfig({ NODE_ENV: "test", APP_SECRET: "x".repeat(40), ALLOWED_HOSTS: "https://a.example/" })).toThrow(/ALLOWED_HOSTS/);
  });
  it("admits any host before setup has recorded an origin", () => {
    expect(isHostAllowed("evil.example:4102", policy([], null))).toBe(true);
  });
});

describe("expected origins for the CSRF check", () => {
  const canonical = "https://partners.example.com";
  it("is the canonical origin once known, plus the request's own on loopback or a listed host", () => {
    expect(expectedOriginsFor({ canonical, ownOrigin: "http://evil.example:4102", rawHost: "evil.example:4102", allowedHosts: [] })).toEqual([canonical]);
    expect(expectedOriginsFor({ canonical, ownOrigin: "http://localhost:3000", rawHost: "localhost:3000", allowedHosts: [] })).toEqual([
      canonical,
      "http://localhost:3000",
    ]);
    expect(
      expectedOriginsFor({ canonical, ownOrigin: "https://www.example.com", rawHost: "www.example.com", allowedHosts: [parseHost("www.example.com")!] }),
    ).toEqual([canonical, "https://www.example.com"]);
  });
  it("is the request's own origin before setup", () => {
    expect(expectedOriginsFor({ canonical: null, ownOrigin: "http://10.0.0.5:3000", rawHost: "10.0.0.5:3000", allowedHosts: [] })).toEqual([
      "http://10.0.0.5:3000",
    ]);
  });
});

describe("content security policy", () => {
  it("allows scripts only from self and the request's nonce, and no framing", () => {
    const csp = contentSecurityPolicy("abc123", { secureTransport: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc123'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy("n", { secureTransport: true })).toContain("upgrade-insecure-requests");
  });
});

describe("tokens", () => {
  it("are 256-bit, URL-safe, and stored only as SHA-256", () => {
    const token = generateToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token);
    expect(generateToken()).not.toBe(token);
    expect(digestsEqual(hashToken(token), hashToken(token))).toBe(true);
    expect(digestsEqual(hashToken(token), hashToken("other"))).toBe(false);
  });
});

describe("canonical JSON for the audit chain", () => {
  it("does not depend on key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: "1" }));
  });
});

describe("outbox backoff", () => {
  it("doubles each attempt up to the cap", () => {
    const opts = { backoffBaseMs: 1000, backoffMaxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, opts))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
