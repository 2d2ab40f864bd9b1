import type { Finding } from "./types";

// destination_not_allowed: the link must be https to an allowlisted domain or
// one of its subdomains. The host is read by the WHATWG URL parser (the one
// browsers use), never by string prefixes, and anything a parser and a human
// could read differently is refused outright: user info, backslashes,
// control characters, non-ASCII hosts (look-alikes), IP literals, ports.

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * An allowlist entry as a bare lower-case ASCII host: "Northwindcoffee.com",
 * "https://shop.northwindcoffee.com/", "*.northwindcoffee.com" and
 * ".northwindcoffee.com" all allow that domain and its subdomains. Null when
 * the entry is not a domain name.
 */
export function normaliseAllowedDomain(entry: string): string | null {
  let value = entry.trim().replace(/^\*?\./, "");
  if (value === "") return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) value = `https://${value}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const host = url.hostname.replace(/\.$/, "");
  if (!host.includes(".") || host.startsWith("[") || IPV4.test(host)) return null;
  return host;
}

const finding = (message: string): Finding => ({ code: "destination_not_allowed", severity: "error", message, start: null, end: null });

function allowedList(domains: readonly string[]): string {
  if (domains.length === 1) return domains[0]!;
  if (domains.length <= 3) return `${domains.slice(0, -1).join(", ")} or ${domains.at(-1)!}`;
  return `${domains.slice(0, 3).join(", ")} or another allowed domain`;
}

/** Whether `host` (from the URL parser) is an allowlisted domain or a subdomain of one. */
export const isAllowedHost = (host: string, allowedDomains: readonly string[]) =>
  allowedDomains.some((domain) => host === domain || host.endsWith(`.${domain}`));

/** Null when the destination is allowed (or there is none to check), otherwise what is wrong. */
export function checkDestination(destinationUrl: string | null | undefined, allowlist: readonly string[]): Finding | null {
  if (destinationUrl === null || destinationUrl === undefined) return null;
  const allowedDomains = allowlist.flatMap((entry) => normaliseAllowedDomain(entry) ?? []);
  // Spaces around a pasted link are harmless; everything inside it counts.
  const raw = destinationUrl.replace(/^[ \u00a0]+|[ \u00a0]+$/gu, "");
  if (raw === "") return null;
  const target = `Use an https:// link to ${allowedList(allowedDomains)}`;
  if (allowedDomains.length === 0)
    return finding("No destination domains are allowlisted for this program yet, so no link can be accepted. Ask the brand team to add their domain.");
  if (CONTROL.test(raw)) return finding(`${target}: this link contains hidden characters (tabs, line breaks). Paste the address again.`);
  if (raw.includes("\\")) return finding(`${target}: this link contains a backslash, which browsers read differently from what it shows.`);
  if (!/^https:\/\//i.test(raw)) {
    return finding(/^http:/i.test(raw) ? `${target}: links must use https, not http.` : `${target}. Write the full address, starting with https://.`);
  }
  // The authority as typed, before the parser normalises it.
  const authority = raw.slice("https://".length).split(/[/?#]/u, 1)[0] ?? "";
  if (authority.includes("@")) return finding(`${target}: remove the part before "@", which hides the real destination.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return finding(`${target}: this is not a valid web address.`);
  }
  // Non-ASCII letters in a host are how look-alike domains (a Cyrillic "о",
  // full-width letters) are made; only a brand's own internationalised domain,
  // allowlisted as such, may be written that way.
  const ownIdn = url.hostname.split(".").some((label) => label.startsWith("xn--")) && isAllowedHost(url.hostname, allowedDomains);
  if (/[^\x21-\x7e]/u.test(authority) && !ownIdn)
    return finding(`${target}: the address contains look-alike or non-English characters. Type it in plain letters.`);
  if (url.protocol !== "https:") return finding(`${target}: links must use https.`);
  if (url.username !== "" || url.password !== "") return finding(`${target}: remove the part before "@", which hides the real destination.`);
  if (url.port !== "") return finding(`${target}: remove the port number (":${url.port}").`);
  const host = url.hostname;
  if (host.startsWith("[") || IPV4.test(host)) return finding(`${target}: use the domain name, not an IP address.`);
  if (host.split(".").some((label) => label.startsWith("xn--")) && !isAllowedHost(host, allowedDomains)) {
    return finding(`${target}: the address contains look-alike or non-English characters. Type it in plain letters.`);
  }
  if (!isAllowedHost(host, allowedDomains)) return finding(`${target}: ${host} is not on the program's list of allowed destinations.`);
  return null;
}
