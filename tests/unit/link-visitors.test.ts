import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";
import { describe, expect, it, vi } from "vitest";
import {
  classifyVisitor,
  dailySalt,
  isTestClickToken,
  memoised,
  referrerHost,
  testClickToken,
  utcDay,
  VisitorClassifier,
  VisitorHasher,
  visitorHash,
} from "~/domain/links/visitors.server";
import { clientAddressOf, trustFunction } from "../../server/redirect";

const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SECRET = "s".repeat(40);

describe("classifyVisitor", () => {
  const kind = (input: Partial<{ method: string; userAgent: string; purpose: string }>) =>
    classifyVisitor({ method: "GET", userAgent: CHROME, purpose: "", ...input });

  it("counts a browser's GET as a person", () => {
    expect(kind({})).toEqual({ userAgentClass: "browser", isBot: false });
  });

  it("flags a HEAD request as a bot, whatever its user agent", () => {
    expect(kind({ method: "HEAD" })).toEqual({ userAgentClass: "bot", isBot: true });
  });

  it("flags a prefetch or prerender the browser announces", () => {
    expect(kind({ purpose: "prefetch" })).toEqual({ userAgentClass: "bot", isBot: true });
    expect(kind({ purpose: "prefetch;prerender" })).toEqual({ userAgentClass: "bot", isBot: true });
    expect(kind({ purpose: "preview" })).toEqual({ userAgentClass: "bot", isBot: true });
  });

  it("calls a request without a user agent unknown, not a bot", () => {
    expect(kind({ userAgent: "" })).toEqual({ userAgentClass: "unknown", isBot: false });
    expect(kind({ userAgent: "   " })).toEqual({ userAgentClass: "unknown", isBot: false });
  });

  it("flags link-preview fetchers isbot may miss", () => {
    for (const userAgent of [
      "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.12026; Pro)",
      "Microsoft Office Existence Discovery",
      "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
      "TelegramBot (like TwitterBot)",
      "WhatsApp/2.23.20.0",
      "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
    ]) {
      expect(kind({ userAgent }), userAgent).toEqual({ userAgentClass: "bot", isBot: true });
    }
  });

  it("flags crawlers and tools isbot knows", () => {
    for (const userAgent of ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "curl/8.5.0", "python-requests/2.32.3"]) {
      expect(kind({ userAgent }), userAgent).toEqual({ userAgentClass: "bot", isBot: true });
    }
  });
});

describe("VisitorClassifier", () => {
  it("answers as classifyVisitor does, HEAD and prefetches included", () => {
    const classifier = new VisitorClassifier();
    expect(classifier.classify("GET", CHROME, "")).toEqual({ userAgentClass: "browser", isBot: false });
    expect(classifier.classify("HEAD", CHROME, "")).toEqual({ userAgentClass: "bot", isBot: true });
    expect(classifier.classify("GET", CHROME, "prefetch")).toEqual({ userAgentClass: "bot", isBot: true });
    // The prefetch above did not teach it that Chrome is a bot.
    expect(classifier.classify("GET", CHROME, "")).toEqual({ userAgentClass: "browser", isBot: false });
    expect(classifier.classify("GET", "Googlebot/2.1", "")).toEqual({ userAgentClass: "bot", isBot: true });
  });
});

describe("memoised", () => {
  it("computes each key once, and starts over when full", () => {
    const compute = vi.fn((key: string) => key.length);
    const lengthOf = memoised(compute, 2);
    expect([lengthOf("a"), lengthOf("a"), lengthOf("bb")]).toEqual([1, 1, 2]);
    expect(compute).toHaveBeenCalledTimes(2);
    lengthOf("ccc");
    lengthOf("a");
    expect(compute).toHaveBeenCalledTimes(4);
  });

  it("keeps a null answer too", () => {
    const compute = vi.fn(() => null);
    const nothing = memoised(compute);
    nothing("x");
    nothing("x");
    expect(compute).toHaveBeenCalledTimes(1);
  });
});

describe("visitor hashes", () => {
  it("are an HMAC of address and user agent under the day's salt: the same visitor the same day, another the next", () => {
    const salt = dailySalt(SECRET, "2026-12-01");
    const hash = visitorHash(salt, "203.0.113.7", CHROME);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(visitorHash(salt, "203.0.113.7", CHROME)).toBe(hash);
    expect(visitorHash(salt, "203.0.113.8", CHROME)).not.toBe(hash);
    expect(visitorHash(salt, "203.0.113.7", `${CHROME} Edg/131`)).not.toBe(hash);
    expect(visitorHash(dailySalt(SECRET, "2026-12-02"), "203.0.113.7", CHROME)).not.toBe(hash);
    expect(visitorHash(dailySalt("t".repeat(40), "2026-12-01"), "203.0.113.7", CHROME)).not.toBe(hash);
    expect(hash).not.toContain("203");
  });

  it("change salt at UTC midnight, on the hasher too", () => {
    const hasher = new VisitorHasher(SECRET);
    const at = (iso: string) => hasher.hash(Date.parse(iso), "203.0.113.7", CHROME);
    const dayOne = visitorHash(dailySalt(SECRET, "2026-12-01"), "203.0.113.7", CHROME);
    expect(at("2026-12-01T00:00:00.000Z")).toBe(dayOne);
    expect(at("2026-12-01T23:59:59.999Z")).toBe(dayOne);
    expect(at("2026-12-02T00:00:00.000Z")).toBe(visitorHash(dailySalt(SECRET, "2026-12-02"), "203.0.113.7", CHROME));
    // Back to the day before (a clock set back): that day's salt again.
    expect(at("2026-12-01T12:00:00.000Z")).toBe(dayOne);
  });
});

describe("utcDay", () => {
  it("is the UTC date, whatever the local time zone", () => {
    expect(utcDay(new Date("2026-12-01T23:30:00-05:00"))).toBe("2026-12-02");
  });
});

describe("referrerHost", () => {
  it("keeps only the host of an absolute referrer", () => {
    expect(referrerHost("https://News.Example:8443/article?id=1#top")).toBe("news.example");
    expect(referrerHost("https://user:pw@blog.example/")).toBe("blog.example");
    expect(referrerHost("android-app://com.slack/")).toBe("com.slack");
  });

  it("is null for a missing, relative or garbled referrer", () => {
    expect(referrerHost(undefined)).toBeNull();
    expect(referrerHost("")).toBeNull();
    expect(referrerHost("/relative/path")).toBeNull();
    expect(referrerHost("not a url")).toBeNull();
    expect(referrerHost("mailto:someone@example.com")).toBeNull();
  });
});

describe("test click tokens", () => {
  const now = new Date("2026-12-01T10:00:00Z");

  it("are valid for their link on the day they name, and just past midnight the day before's", () => {
    const token = testClickToken(SECRET, "AbCdEf12", "2026-12-01");
    expect(isTestClickToken(SECRET, "AbCdEf12", token, now)).toBe(true);
    expect(isTestClickToken(SECRET, "AbCdEf12", token, new Date("2026-12-02T00:30:00Z"))).toBe(true);
    expect(isTestClickToken(SECRET, "AbCdEf12", token, new Date("2026-12-03T00:30:00Z"))).toBe(false);
  });

  it("are refused for another link, under another secret, and in any other shape", () => {
    const token = testClickToken(SECRET, "AbCdEf12", "2026-12-01");
    expect(isTestClickToken(SECRET, "ZyXwVu98", token, now)).toBe(false);
    expect(isTestClickToken("t".repeat(40), "AbCdEf12", token, now)).toBe(false);
    expect(isTestClickToken(SECRET, "AbCdEf12", token.slice(0, 21), now)).toBe(false);
    expect(isTestClickToken(SECRET, "AbCdEf12", `${token}x`, now)).toBe(false);
    expect(isTestClickToken(SECRET, "AbCdEf12", "é".repeat(11), now)).toBe(false);
  });
});

describe("the redirect's client address", () => {
  const request = (peer: string, forwardedFor?: string) =>
    ({
      socket: { remoteAddress: peer },
      connection: { remoteAddress: peer },
      headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
    }) as unknown as IncomingMessage;
  const cases: [string, string | undefined][] = [
    ["127.0.0.1", undefined],
    ["127.0.0.1", "203.0.113.7"],
    ["127.0.0.1", " 203.0.113.7 "],
    ["127.0.0.1", "203.0.113.7, 198.51.100.9"],
    ["127.0.0.1", "203.0.113.7, 127.0.0.1"],
    ["127.0.0.1", "127.0.0.1"],
    ["127.0.0.1", ""],
    ["127.0.0.1", "not-an-address"],
    ["::1", "2001:db8::7"],
    ["::ffff:127.0.0.1", "203.0.113.7"],
    ["203.0.113.50", "198.51.100.9"],
    ["10.0.0.1", "203.0.113.7"],
  ];

  it.each([["loopback"], ["10.0.0.1/8, loopback"], [true], [false], [1], [2]] as const)(
    "is what proxy-addr (Express's req.ip) says, trust proxy %s",
    (setting) => {
      const trust = trustFunction(setting);
      const client = clientAddressOf(trust);
      for (const [peer, forwardedFor] of cases) {
        expect(client.address(request(peer, forwardedFor)), `${peer} / ${forwardedFor}`).toBe(proxyaddr(request(peer, forwardedFor), trust));
      }
    },
  );
});
