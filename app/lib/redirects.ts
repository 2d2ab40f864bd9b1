/**
 * Where a redirect target that came from outside (a query parameter, a form
 * field) may send the browser. Free of server-only imports so any module,
 * tracking links included, can use it.
 *
 * The target is resolved with the WHATWG URL parser, the one browsers use, so
 * every trick that parser understands (dot segments, backslashes, tabs and
 * newlines, scheme-relative and scheme-only forms, `@` user info) is already
 * applied when the origin is compared. What comes back is the parser's own
 * serialisation of the path, never the input.
 */

// Any origin works: only the path of a same-origin result is ever returned.
// `.invalid` can never resolve (RFC 6761), so nothing can pose as it.
const RESOLUTION_ORIGIN = "http://redirect-base.invalid";

// Longer than any path this app links to; refused rather than resolved.
const MAX_TARGET_LENGTH = 2048;

/**
 * The path, query and fragment `target` names on this site, or `fallback`
 * when it names another site, is not a string, or resolves to a path a
 * browser would read as protocol-relative (`//host`, `/\host`).
 */
export function sameSitePath(target: unknown, fallback: string): string {
  if (typeof target !== "string" || target === "" || target.length > MAX_TARGET_LENGTH) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(target, RESOLUTION_ORIGIN);
  } catch {
    return fallback;
  }
  if (resolved.origin !== RESOLUTION_ORIGIN) return fallback;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // "/.//evil.com" resolves to the pathname "//evil.com": same origin to the
  // parser, but another host once it stands alone in a Location header.
  return isRootedSinglePath(path) ? path : fallback;
}

/** "/x" yes; "//x", "/\\x" (protocol-relative to a browser) and anything not starting with "/" no. */
function isRootedSinglePath(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\");
}
