/**
 * The routes' one 404. An unknown id, a malformed one and one this person may
 * not see all get the same bare answer: telling them apart would tell a
 * prober which ids exist.
 */
export function notFoundResponse(headers?: HeadersInit): Response {
  return new Response("Not found", { status: 404, ...(headers ? { headers } : {}) });
}

/**
 * Throws the 404, so it returns `never`: `if (!found) notFound();` narrows
 * `found` for the rest of the loader. A page's error boundary renders it in
 * the portal's shell (the root's ErrorBoundary); a resource route sends it as
 * it is.
 */
export function notFound(headers?: HeadersInit): never {
  throw notFoundResponse(headers);
}
