/** Host names as the Host header and ALLOWED_HOSTS give them; no server-only imports. */

export type HostName = {
  /** Lowercase, IDN as punycode, IPv6 in brackets: the URL parser's form. */
  hostname: string;
  /** The port as written, or null when none was given. */
  port: string | null;
};

/**
 * Parses "host" or "host:port" (a Host header, an ALLOWED_HOSTS entry). Null
 * for anything else, so a value smuggling a path, credentials or spaces never
 * passes as a host.
 */
export function parseHost(value: string | undefined | null): HostName | null {
  if (!value || /[\s/\\?#@]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(`http://${value}`);
  } catch {
    return null;
  }
  // The parser drops a default port ("x:80"); keep what was written.
  const port = /:(\d+)$/.exec(value)?.[1] ?? null;
  return { hostname: url.hostname, port };
}

/** localhost, 127.0.0.0/8 and [::1]: reachable only from the machine itself. */
export function isLoopbackHostname(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** An allow-list entry without a port admits its host on any port, as in Django. */
export function hostMatches(entry: HostName, host: HostName): boolean {
  return entry.hostname === host.hostname && (entry.port === null || entry.port === host.port);
}
