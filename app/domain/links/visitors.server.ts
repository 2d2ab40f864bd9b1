import crypto from "node:crypto";
import { isbot } from "isbot";
import { TEST_CLICK_PARAM } from "./catalog";

export type UserAgentClass = "browser" | "bot" | "unknown";
export type VisitorKind = { userAgentClass: UserAgentClass; isBot: boolean };

// Link-preview fetchers (chat apps, mail clients, social cards) that isbot
// 5.2 does not name, or names only in some of their forms. Their fetch is not
// a person clicking, so it is kept and flagged rather than counted.
const PREVIEW_FETCHERS =
  /Microsoft Office|Outlook-iOS|Google-Safety|BingPreview|Snapchat|Pinterestbot|redditbot|Embedly|Iframely|vkShare|Mastodon|Bluesky|Cardyb|SkypeUriPreview|Slackbot|Twitterbot|Discordbot|TelegramBot|WhatsApp|facebookexternalhit|LinkedInBot|Applebot|Google-PageRenderer|Yahoo! Slurp/i;

/**
 * How a request's agent is counted: a `HEAD` request, a prefetch the browser
 * announces (`Sec-Purpose: prefetch`), an agent isbot knows or a preview
 * fetcher is a bot; a request without a user agent is unknown; anything else
 * a browser. Each branch is tested (tests/unit/link-visitors.test.ts).
 */
export function classifyVisitor(input: { method: string; userAgent: string; purpose: string }): VisitorKind {
  if (input.method === "HEAD") return { userAgentClass: "bot", isBot: true };
  if (/prefetch|prerender|preview/i.test(input.purpose)) return { userAgentClass: "bot", isBot: true };
  if (input.userAgent.trim() === "") return { userAgentClass: "unknown", isBot: false };
  if (PREVIEW_FETCHERS.test(input.userAgent) || isbot(input.userAgent)) return { userAgentClass: "bot", isBot: true };
  return { userAgentClass: "browser", isBot: false };
}

/**
 * A function of one string argument whose answers are kept, up to
 * `maxEntries` (then forgotten all at once): user agents and referrers repeat
 * across most of a link's traffic, and the answer costs a regular expression
 * or a URL parse.
 */
export function memoised<T>(compute: (key: string) => T, maxEntries = 2_000): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = compute(key);
      if (known.size >= maxEntries) known.clear();
      known.set(key, value);
    }
    return value;
  };
}

/** classifyVisitor with isbot's answer kept per user agent (HEAD and announced prefetches are decided without it). */
export class VisitorClassifier {
  private readonly byUserAgent: (userAgent: string) => VisitorKind;

  constructor(maxEntries = 2_000) {
    this.byUserAgent = memoised((userAgent) => classifyVisitor({ method: "GET", userAgent, purpose: "" }), maxEntries);
  }

  classify(method: string, userAgent: string, purpose: string): VisitorKind {
    if (method === "HEAD" || purpose !== "") return classifyVisitor({ method, userAgent, purpose });
    return this.byUserAgent(userAgent);
  }
}

/**
 * The day's salt for visitor hashes: derived from the app secret and the UTC
 * day, so it changes every day, is the same on every instance, and is never
 * stored. Yesterday's hashes cannot be joined with today's.
 */
export function dailySalt(appSecret: string, day: string): Buffer {
  return crypto.createHmac("sha256", appSecret).update(`link-visitor-salt:${day}`).digest();
}

/** A visitor's identity for one day: HMAC of IP and user agent under the day's salt; the IP itself is never kept. */
export function visitorHash(salt: Buffer | crypto.KeyObject, ip: string, userAgent: string): string {
  return crypto.createHmac("sha256", salt).update(`${ip}\n${userAgent}`).digest("base64url").slice(0, 22);
}

const DAY_MS = 86_400_000;

/** visitorHash under the salt of the moment's UTC day, the salt derived once a day rather than per click. */
export class VisitorHasher {
  private salt: { from: number; until: number; key: crypto.KeyObject | null } = { from: 0, until: 0, key: null };

  constructor(private readonly appSecret: string) {}

  hash(atMs: number, ip: string, userAgent: string): string {
    if (atMs < this.salt.from || atMs >= this.salt.until) {
      const from = atMs - (((atMs % DAY_MS) + DAY_MS) % DAY_MS);
      // A key object: the salt is imported once a day, not once per click.
      this.salt = { from, until: from + DAY_MS, key: crypto.createSecretKey(dailySalt(this.appSecret, utcDay(new Date(from)))) };
    }
    return visitorHash(this.salt.key!, ip, userAgent);
  }
}

/** The UTC day of a moment, as the rollups key it. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** The host of a Referer header, or null (a missing, relative or garbled referrer). */
export function referrerHost(referer: string | undefined): string | null {
  if (!referer) return null;
  try {
    const host = new URL(referer).hostname;
    return host ? host.slice(0, 253) : null;
  } catch {
    return null;
  }
}

/** A partner's "send a test click" token for a link, valid on the UTC day it names. */
export function testClickToken(appSecret: string, code: string, day: string): string {
  return crypto.createHmac("sha256", appSecret).update(`link-test-click:${code}:${day}`).digest("base64url").slice(0, 22);
}

/** What a partner's "send a test click" opens: the short link with today's token, which the redirect records as a test and never counts. */
export function testClickUrl(appSecret: string, shortUrl: string, code: string, now: Date): string {
  return `${shortUrl}?${TEST_CLICK_PARAM}=${testClickToken(appSecret, code, utcDay(now))}`;
}

/** Whether `token` is today's (or, just past midnight, yesterday's) test token for the link. */
export function isTestClickToken(appSecret: string, code: string, token: string, now: Date): boolean {
  const given = Buffer.from(token);
  if (given.length !== 22) return false;
  const days = [utcDay(now), utcDay(new Date(now.getTime() - 86_400_000))];
  return days.some((day) => crypto.timingSafeEqual(Buffer.from(testClickToken(appSecret, code, day)), given));
}
