import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { LookupFunction } from "node:net";

// Requests to addresses an admin typed (webhook receivers), safe from
// server-side request forgery: the host is resolved once, every address it
// resolves to is checked, and the connection goes to the checked address
// (the socket's lookup answers with it), so a DNS answer that changes
// between the check and the connection (rebinding) cannot reach inside.
// No redirect is followed, the time is bounded and so is the body read.
// See docs/decisions/021-webhooks.md.

export type ResolvedAddress = { address: string; family: 4 | 6 };
/** Resolves a host name to every address it has (dns.lookup with all: true); tests hand in their own. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** A URL refused before any request: the message says why, for a form or a delivery log. */
export class UnsafeUrlError extends Error {
  override name = "UnsafeUrlError";
}

// IPv4 ranges that are not the public internet (RFC 6890 and friends).
const PRIVATE_V4: readonly [string, number][] = [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata at 169.254.169.254)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];
const PRIVATE_V6: readonly [string, number][] = [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["::", 96], // IPv4-compatible (deprecated)
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["2001::", 23], // IETF protocol assignments (Teredo and others)
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];

const privateList = new net.BlockList();
for (const [prefix, bits] of PRIVATE_V4) privateList.addSubnet(prefix, bits, "ipv4");
for (const [prefix, bits] of PRIVATE_V6) privateList.addSubnet(prefix, bits, "ipv6");

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail, too). */
function ipv6Groups(address: string): number[] {
  let text = address.split("%")[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? (text.split("::") as [string, string]) : [text, null];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const middle = tail === null ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((g) => parseInt(g, 16));
}

/** The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16), or null. */
function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return v4(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return null;
}

/**
 * Whether `address` (an IP literal) is outside the public internet: private,
 * loopback, link-local, unique-local, carrier-grade NAT, multicast,
 * unspecified, reserved; an IPv6 address carrying an IPv4 one is judged by it.
 */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return privateList.check(address, "ipv4");
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner) return privateList.check(inner, "ipv4");
    return privateList.check(address.split("%")[0]!, "ipv6");
  }
  return true; // not an address at all: never trusted
}

export type UrlPolicy = {
  /** Plain http is accepted (development, or a self-hosted receiver the admin allowed). */
  allowHttp: boolean;
  /** Private, loopback and link-local addresses are accepted (an admin setting, for receivers on the same network). */
  allowPrivate: boolean;
  resolve?: Resolver;
};

export type CheckedUrl = { url: URL; address: ResolvedAddress };

/**
 * Parses `raw` and checks it against the policy, resolving its host: the
 * URL and the checked address to connect to, or an UnsafeUrlError that says
 * what is wrong in words an admin understands.
 */
export async function checkOutboundUrl(raw: string, policy: UrlPolicy): Promise<CheckedUrl> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UnsafeUrlError("Enter a full address, starting with https://.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UnsafeUrlError("The address must start with https://.");
  if (url.protocol === "http:" && !policy.allowHttp) {
    throw new UnsafeUrlError("The address must use https:// (plain http is allowed only in development or for private receivers the settings allow).");
  }
  if (url.username || url.password) throw new UnsafeUrlError("The address must not contain a user name or password.");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!host) throw new UnsafeUrlError("Enter a full address, starting with https://.");
  let addresses: ResolvedAddress[];
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIP(host) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(host);
    } catch {
      throw new UnsafeUrlError(`The host name ${host} could not be resolved.`);
    }
    if (addresses.length === 0) throw new UnsafeUrlError(`The host name ${host} could not be resolved.`);
  }
  if (!policy.allowPrivate) {
    const inside = addresses.find((a) => isPrivateAddress(a.address));
    if (inside) {
      const what =
        inside.address === host
          ? `${host} is a private, loopback or link-local address`
          : `${host} resolves to ${inside.address}, a private, loopback or link-local address`;
      throw new UnsafeUrlError(`${what}: webhooks go only to public addresses unless the settings allow private receivers.`);
    }
  }
  return { url, address: addresses[0]! };
}

export type PostOptions = { headers: Record<string, string>; body: string; timeoutMs: number; maxBodyBytes: number };
export type PostResult = { status: number; body: string; ms: number };

/**
 * POSTs `body` to the checked URL, connecting to the checked address (Host
 * and SNI stay the URL's host name). Answers with the status and the start of
 * the body whatever the status; throws on a network error or the timeout.
 * A redirect is an answer like any other: it is never followed.
 */
export function postToCheckedUrl(target: CheckedUrl, options: PostOptions): Promise<PostResult> {
  const { url, address } = target;
  const started = performance.now();
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  const send = url.protocol === "https:" ? https.request : http.request;
  return new Promise<PostResult>((resolve, reject) => {
    const request = send(
      url,
      {
        method: "POST",
        headers: { ...options.headers, "content-length": String(Buffer.byteLength(options.body)) },
        lookup,
        agent: false,
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          clearTimeout(deadline);
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8").slice(0, options.maxBodyBytes),
            ms: Math.round(performance.now() - started),
          });
        };
        response.on("data", (chunk: Buffer) => {
          if (size >= options.maxBodyBytes) return;
          chunks.push(chunk);
          size += chunk.length;
          // Enough read: the rest is not wanted.
          if (size >= options.maxBodyBytes) {
            finish();
            response.destroy();
          }
        });
        response.on("end", finish);
        response.on("error", (error) => (size >= options.maxBodyBytes ? undefined : reject(error)));
      },
    );
    // The whole exchange, not only an idle socket, is bounded.
    const deadline = setTimeout(() => request.destroy(new Error(`No answer within ${Math.round(options.timeoutMs / 1000)} s.`)), options.timeoutMs);
    request.on("timeout", () => request.destroy(new Error(`No answer within ${Math.round(options.timeoutMs / 1000)} s.`)));
    request.on("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.end(options.body);
  });
}
