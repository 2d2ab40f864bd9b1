import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, judgeOrigin } from "../../server/security";
import { digestsEqual, generateToken, hashToken } from "~/lib/tokens.server";
import { canonicalJson } from "~/lib/audit.server";
import { retryDelayMs } from "~/lib/outbox.server";

const expected = "https://partners.example.com";

describe("judgeOrigin (CSRF)", () => {
  const post = (origin?: string, secFetchSite?: string) => judgeOrigin({ method: "POST", expectedOrigin: expected, origin, secFetchSite });

  it("lets safe methods through", () => {
    expect(judgeOrigin({ method: "GET", expectedOrigin: expected, origin: "https://evil.example", secFetchSite: "cross-site" }).allowed).toBe(true);
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
      expect(judgeOrigin({ method, expectedOrigin: expected, origin: undefined, secFetchSite: undefined }).allowed).toBe(false);
    }
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
