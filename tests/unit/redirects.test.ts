import { describe, expect, it } from "vitest";
import { sameSitePath } from "~/lib/redirects";
import { safeRedirect } from "~/lib/guards.server";
import { OPEN_REDIRECT_VECTORS, SAME_SITE_TARGETS } from "../fixtures/open-redirect-vectors";

const FALLBACK = "/fallback";

/** What a browser does with the path in a Location header sent by https://app.example. */
function browserDestination(location: string): URL {
  return new URL(location, "https://app.example/some/page");
}

describe("sameSitePath", () => {
  it.each(OPEN_REDIRECT_VECTORS.map((v) => [JSON.stringify(v.input), v.why, v.input] as const))("%s (%s) stays on the site", (_label, _why, input) => {
    const path = sameSitePath(input, FALLBACK);
    expect(path.startsWith("/")).toBe(true);
    expect(path.startsWith("//")).toBe(false);
    expect(path.startsWith("/\\")).toBe(false);
    // eslint-disable-next-line no-control-regex -- the test asserts no control character survives.
    expect(path).not.toMatch(/[\u0000-\u001f\u007f\s]/);
    expect(browserDestination(path).origin).toBe("https://app.example");
  });

  it("refuses the forms that used to pass the raw-string check", () => {
    for (const input of ["/.//evil.com", "/..//evil.com", "/./\\evil.com", "/\t/evil.com", "/x/..//evil.com?next=1#y"]) {
      expect(sameSitePath(input, FALLBACK), JSON.stringify(input)).toBe(FALLBACK);
    }
  });

  it.each(SAME_SITE_TARGETS.map((t) => [t.input, t.expected] as const))("keeps %s", (input, expected) => {
    expect(sameSitePath(input, FALLBACK)).toBe(expected);
  });

  it("returns the parser's serialisation, never the raw input", () => {
    expect(sameSitePath("/a/./b/../c?q=1 2", FALLBACK)).toBe("/a/c?q=1%202");
    expect(sameSitePath("/@evil.com", FALLBACK)).toBe("/@evil.com");
  });

  it("falls back on anything that is not a usable string", () => {
    for (const input of [null, undefined, "", 42, {}, `/${"a".repeat(3000)}`]) expect(sameSitePath(input, FALLBACK)).toBe(FALLBACK);
  });

  it("is what safeRedirect answers", () => {
    expect(safeRedirect("/.//evil.com", "/home")).toBe("/home");
    expect(safeRedirect("/admin/users?x=1#y", "/home")).toBe("/admin/users?x=1#y");
    expect(safeRedirect(null)).toBe("/");
  });
});
