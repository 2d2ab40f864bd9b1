/**
 * Whether the browser is only fetching ahead of a possible click:
 * `Sec-Purpose: prefetch` (Chromium, Firefox, Safari, and the Speculation
 * Rules API with `prefetch;prerender`), the older `Purpose: prefetch`, and
 * Firefox's `X-Moz: prefetch`. Such a request is served but records nothing:
 * nobody has downloaded anything yet.
 */
export function isPrefetch(request: Request): boolean {
  const says = (name: string) => /(^|[\s,;])prefetch\b/i.test(request.headers.get(name) ?? "");
  return says("Sec-Purpose") || says("Purpose") || says("X-Moz");
}
