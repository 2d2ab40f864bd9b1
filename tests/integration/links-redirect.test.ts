import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  auditEvents,
  creatives,
  linkClickDaily,
  linkClicks,
  linkDailyVisitors,
  partnerOrganisations,
  trackingLinks,
  type TrackingLink,
} from "#db/schema/index";
import { FALLBACK_REASON_LABELS, type FallbackReason } from "~/domain/links/catalog";
import { ClickRecorder, DEFAULT_CLICK_RECORDER_OPTIONS, type ClickRecorderOptions } from "~/domain/links/click-recorder.server";
import { issueCreativeLink, setLinkStatus } from "~/domain/links/links.server";
import { ALL_LINKS, LINKS_CHANNEL } from "~/domain/links/notify.server";
import { dropExpiredClickPartitions, ensureClickPartition, ensureClickPartitions } from "~/domain/links/partitions.server";
import { LinkResolver } from "~/domain/links/resolve.server";
import { testClickToken, utcDay } from "~/domain/links/visitors.server";
import { pausePartner } from "~/domain/partners/lifecycle.server";
import { revokeApproval } from "~/domain/review/decisions.server";
import { AdjustableClock } from "~/lib/clock";
import type { Config } from "~/lib/config.server";
import type { AppContext } from "~/lib/context.server";
import { openDatabase, rowsOf, type Database, type Db } from "~/lib/db.server";
import { createLogger } from "~/lib/log.server";
import { createRedirectHandler } from "../../server/redirect";
import { OPEN_REDIRECT_VECTORS } from "../fixtures/open-redirect-vectors";
import { createApprovedApplication, createTestContext, TEST_APP_SECRET, testConfig } from "../support/context";
import { creativePartner } from "../support/creatives";
import { createTestDatabase, resetDatabase, usingPostgres, type TestDatabase } from "../support/db";
import { rawRequest, type RawResponse } from "../support/http";
import {
  allowDomains,
  BROWSER_UA,
  evergreenLink,
  FALLBACK_URL,
  linkProgram,
  partnerWithLink,
  pendingClick,
  SHOP_DOMAIN,
  type LinkProgram,
} from "../support/links";
import { seedReviewCreative } from "../support/review-fixtures";

// The redirect as server/index.ts composes it: the /l/:code handler in front
// of the app on a node:http server, with a link resolver listening for
// changes and a click recorder, over this file's database (PGlite, or
// PostgreSQL with TEST_DATABASE_URL).

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CACHE_TTL_MS = 5_000;

type Instance = {
  url: string;
  resolver: LinkResolver;
  recorder: ClickRecorder;
  clock: AdjustableClock;
  close(): Promise<void>;
};

let database: TestDatabase;
let app: AppContext;
let program: LinkProgram;
const instances: Instance[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  return () => database.close();
});

beforeEach(async () => {
  await resetDatabase(database.db);
  app = createTestContext(database.db);
  program = await linkProgram(app);
  await ensureClickPartitions(database.db, new Date());
});

afterEach(async () => {
  for (const instance of instances.splice(0)) {
    await instance.close();
    // No test may lose a click: not on a full queue, not on an outage, not on shutdown.
    expect(instance.recorder.counters.dropped).toBe(0);
  }
});

/**
 * One instance's redirect on a loopback port: its own resolver (TTL and LRU
 * judged by the instance's adjustable clock), recorder and LISTEN, over `db`
 * (this file's database unless told otherwise). Anything not a short link
 * gets 418 from the stand-in for the app.
 */
async function redirectInstance(
  options: { config?: Config; ttlMs?: number; recorder?: Partial<ClickRecorderOptions>; db?: Db; listenOn?: Database } = {},
): Promise<Instance> {
  const clock = new AdjustableClock();
  const db = options.db ?? database.db;
  const config = options.config ?? testConfig();
  const log = createLogger({ silent: true });
  const resolver = new LinkResolver(db, {
    ttlMs: options.ttlMs ?? CACHE_TTL_MS,
    maxEntries: 100,
    siteOrigin: async () => "https://cobrand.test",
    now: () => clock.now().getTime(),
  });
  const recorder = new ClickRecorder(db, log, { ...DEFAULT_CLICK_RECORDER_OPTIONS, ...options.recorder });
  recorder.start();
  const stopListening = await (options.listenOn ?? database).listen(
    LINKS_CHANNEL,
    (code) => resolver.forget(code),
    () => resolver.forget(ALL_LINKS),
  );
  const redirect = createRedirectHandler({ context: { config, log, clock }, resolver, recorder });
  const server = http.createServer((req, res) => {
    if (!redirect(req, res)) res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let closing: Promise<void> | null = null;
  const instance: Instance = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    resolver,
    recorder,
    clock,
    close() {
      closing ??= (async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        await recorder.stop();
        await stopListening();
      })();
      return closing;
    },
  };
  instances.push(instance);
  return instance;
}

/** A visit as a browser sends it (a desktop Chrome unless `headers` say otherwise). */
function visit(instance: Instance, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return rawRequest(instance, path, { method: options.method ?? "GET", headers: { "User-Agent": BROWSER_UA, ...options.headers } });
}

async function recordedClicks(db: Db = database.db) {
  return db.select().from(linkClicks).orderBy(linkClicks.clickedAt);
}

async function dailyCounts(linkId: string) {
  return database.db.select().from(linkClickDaily).where(eq(linkClickDaily.linkId, linkId)).orderBy(linkClickDaily.day);
}

/** The final URL the UTM convention makes of the shop page for `link`, with `clickId`. */
function expectedFinalUrl(link: TrackingLink, partnerSlug: string, clickId: string, base = "https://shop.example/lamps?colour=warm", fragment = "#reviews") {
  return `${base}&utm_source=${partnerSlug}&utm_medium=website_blog&utm_campaign=evergreen&utm_content=spring-lamps&cb_click=${clickId}${fragment}`;
}

/** Percent-encodes what an HTTP client cannot put in a request line as it is (spaces, controls, non-ASCII). */
const requestTarget = (text: string) => text.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));

const CLICK_ID = /^[0-9A-Za-z]{20}$/;

describe("the redirect", () => {
  it("answers 302 to the destination with the UTM convention and a fresh click id, uncached and unindexed, and records the click", async () => {
    const server = await redirectInstance();
    const { org, link } = await partnerWithLink(app);
    const response = await visit(server, `/l/${link.code}`, { headers: { Referer: "https://news.example/best-lamps?x=1" } });

    expect(response.status).toBe(302);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.headers["x-robots-tag"]).toBe("noindex");
    expect(response.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.body).toBe("");
    await server.recorder.flush();
    const [click] = await recordedClicks();
    expect(click!.clickId).toMatch(CLICK_ID);
    expect(response.headers.location).toBe(expectedFinalUrl(link, org.slug, click!.clickId));
    expect(click).toMatchObject({
      linkId: link.id,
      organisationId: org.id,
      requestedCode: null,
      userAgentClass: "browser",
      referrerHost: "news.example",
      country: null,
      isBot: false,
      isUnique: true,
      isTest: false,
      fallbackReason: null,
    });
    expect(await dailyCounts(link.id)).toMatchObject([{ day: utcDay(new Date()), clicks: 1, uniqueClicks: 1, botClicks: 0, testClicks: 0, fallbackClicks: 0 }]);
  });

  it("sets the UTM values and click id over the destination's own, keeping its other parameters", async () => {
    const server = await redirectInstance();
    const { org, link } = await partnerWithLink(
      app,
      "Own Params",
      "https://shop.example/lamps?utm_source=someone-else&colour=warm&utm_campaign=old&cb_click=stale&utm_medium=x&utm_content=y",
    );
    const response = await visit(server, `/l/${link.code}`);
    await server.recorder.flush();
    const [click] = await recordedClicks();
    expect(response.headers.location).toBe(expectedFinalUrl(link, org.slug, click!.clickId, "https://shop.example/lamps?colour=warm", ""));
    expect(new URL(response.headers.location!).searchParams.getAll("cb_click")).toEqual([click!.clickId]);
  });

  describe("open redirects: nothing a visitor adds to the short link changes where it goes", () => {
    it("ignores visitor parameters, whatever they carry", async () => {
      const server = await redirectInstance();
      const { org, link } = await partnerWithLink(app);
      const visitorQueries = [
        "utm_source=evil",
        "cb_click=x",
        "utm_campaign=evil&utm_medium=evil&utm_content=evil&cb_click=x&cb_click=y",
        ...OPEN_REDIRECT_VECTORS.flatMap(({ input }) => {
          const value = encodeURIComponent(input);
          return [`url=${value}`, `redirect=${value}`, `next=${value}`, `redir_url=${value}&dest=${value}&to=${value}&return=${value}`];
        }),
        `url=${encodeURIComponent("https://evil.com")}&cb_test=forged`,
      ];
      const locations: string[] = [];
      for (const query of visitorQueries) {
        const response = await visit(server, `/l/${link.code}?${query}`);
        expect(response.status, query).toBe(302);
        locations.push(response.headers.location!);
      }
      await server.recorder.flush();
      const clicks = await recordedClicks();
      expect(clicks).toHaveLength(visitorQueries.length);
      const byId = new Map(clicks.map((click) => [click.clickId, click]));
      for (const [index, location] of locations.entries()) {
        const clickId = new URL(location).searchParams.get("cb_click")!;
        expect(byId.get(clickId), visitorQueries[index]).toMatchObject({ linkId: link.id, isTest: false, fallbackReason: null });
        expect(location, visitorQueries[index]).toBe(expectedFinalUrl(link, org.slug, clickId));
      }
    });

    it("answers a path that is not exactly a code with the not-found page, never a Location", async () => {
      const server = await redirectInstance();
      const { link } = await partnerWithLink(app);
      const paths = [
        "/l//evil.com",
        "/l/%2F%2Fevil.com",
        "/l/%2f%2fevil.com",
        `/l/${link.code}/..//evil.com`,
        `/l/${link.code}//evil.com`,
        `/l/${link.code}%2F..%2F%2Fevil.com`,
        `/l/${link.code}/`,
        `/l/${link.code}%3Furl=https://evil.com`,
        "/l/\\evil.com",
        `/l/${link.code}\\..\\evil.com`,
        "/l/%5C%5Cevil.com",
        `/l/./${link.code}`,
        `/l/../l/${link.code}`,
        ...OPEN_REDIRECT_VECTORS.flatMap(({ input }) => [`/l/${requestTarget(input)}`, `/l/${link.code}/${requestTarget(input)}`]),
      ];
      for (const path of paths) {
        const response = await visit(server, path);
        expect(response.status, path).toBe(404);
        expect(response.headers.location, path).toBeUndefined();
        expect(response.body, path).toContain("This link does not exist");
      }
      await server.recorder.flush();
      const clicks = await recordedClicks();
      expect(clicks).toHaveLength(paths.length);
      expect(clicks.every((click) => click.linkId === null && click.fallbackReason === "unknown_code")).toBe(true);
    });
  });

  it("answers an unknown code with the small not-found page and records an orphan visit", async () => {
    const server = await redirectInstance();
    const response = await visit(server, "/l/Zz9Zz9Zz");
    expect(response.status).toBe(404);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.headers["x-robots-tag"]).toBe("noindex");
    expect(response.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(response.body).toContain("This link does not exist");
    const head = await visit(server, "/l/Zz9Zz9Zz", { method: "HEAD" });
    expect(head.status).toBe(404);
    expect(head.body).toBe("");
    await server.recorder.flush();
    expect(await recordedClicks()).toMatchObject([
      { linkId: null, organisationId: null, requestedCode: "Zz9Zz9Zz", fallbackReason: "unknown_code", isBot: false, isUnique: false },
      { linkId: null, requestedCode: "Zz9Zz9Zz", fallbackReason: "unknown_code", isBot: true },
    ]);
    expect(await database.db.select().from(linkClickDaily)).toEqual([]);
  });

  it("keeps what an orphan visit asked for exactly as sent, whatever characters it holds", async () => {
    const server = await redirectInstance();
    const asked = ["null", "NULL", 'a"b\\c{d},e', "x%22y", "'; drop table link_clicks; --".replace(/ /g, "%20")];
    for (const code of asked) expect((await visit(server, `/l/${code}`)).status).toBe(404);
    await server.recorder.flush();
    expect((await recordedClicks()).map((c) => c.requestedCode)).toEqual(asked);
  });

  it("keeps the links people follow cached through a scan of unknown codes", async () => {
    const server = await redirectInstance();
    const { link } = await partnerWithLink(app);
    await visit(server, `/l/${link.code}`);
    // More unknown codes than the cache holds links (100 here).
    for (let i = 0; i < 150; i++) expect((await visit(server, `/l/Scan${String(i).padStart(5, "0")}`)).status).toBe(404);
    expect(server.resolver.cachedLink(link.code)).toMatchObject({ code: link.code });
    expect(server.resolver.cachedLink("Scan00149")).toBeNull();
  });

  it("answers only GET and HEAD", async () => {
    const server = await redirectInstance();
    const { link } = await partnerWithLink(app);
    const response = await visit(server, `/l/${link.code}`, { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD");
    await server.recorder.flush();
    expect(await recordedClicks()).toEqual([]);
  });

  it("leaves every other path to the app", async () => {
    const server = await redirectInstance();
    expect((await visit(server, "/lx/abcdefgh")).status).toBe(418);
    expect((await visit(server, "/L/abcdefgh")).status).toBe(418);
    expect((await visit(server, "/partner/links")).status).toBe(418);
  });
});

describe("fallbacks", () => {
  async function expectFallback(server: Instance, link: TrackingLink, reason: FallbackReason) {
    const response = await visit(server, `/l/${link.code}`);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(FALLBACK_URL);
    expect(response.headers["cache-control"]).toBe("no-store");
    await server.recorder.flush();
    const clicks = await recordedClicks();
    expect(clicks.at(-1)).toMatchObject({ linkId: link.id, fallbackReason: reason });
    expect(FALLBACK_REASON_LABELS[reason]).toBeTruthy();
  }

  it("sends a disabled link's visitors to the fallback at once (the change is announced), and back once enabled", async () => {
    const server = await redirectInstance({ ttlMs: 10 * 60_000 });
    const { org, link } = await partnerWithLink(app);
    expect((await visit(server, `/l/${link.code}`)).headers.location).toMatch(/^https:\/\/shop\.example\//);
    await setLinkStatus(app, program.adminActor, link.id, { status: "disabled", reason: "Partner asked to pause" });
    await eventually(() => server.resolver.cachedLink(link.code) === undefined);
    await expectFallback(server, link, "link_disabled");

    await setLinkStatus(app, program.adminActor, link.id, { status: "active", reason: "Back on" });
    await eventually(() => server.resolver.cachedLink(link.code) === undefined);
    const response = await visit(server, `/l/${link.code}`);
    await server.recorder.flush();
    expect(response.headers.location).toBe(expectedFinalUrl(link, org.slug, (await recordedClicks()).at(-1)!.clickId));
    const [day] = await dailyCounts(link.id);
    expect(day).toMatchObject({ clicks: 3, fallbackClicks: 1 });
  });

  it("sees a change no instance announced once the cache's TTL has passed, not before", async () => {
    const server = await redirectInstance();
    const { link } = await partnerWithLink(app);
    await visit(server, `/l/${link.code}`);
    // As another instance that cannot notify would leave it: the row changed, nobody said so.
    await database.db.update(trackingLinks).set({ status: "disabled" }).where(eq(trackingLinks.id, link.id));
    server.clock.advance(CACHE_TTL_MS - 1_000);
    expect((await visit(server, `/l/${link.code}`)).headers.location).toMatch(/^https:\/\/shop\.example\//);
    server.clock.advance(1_001);
    await expectFallback(server, link, "link_disabled");
  });

  it.each([
    ["paused", "partner_paused"],
    ["terminated", "partner_terminated"],
  ] as const)("sends the links of a %s partner to the fallback within the cache's TTL", async (status, reason) => {
    const server = await redirectInstance();
    const { org, link } = await partnerWithLink(app);
    await visit(server, `/l/${link.code}`);
    await database.db.update(partnerOrganisations).set({ status }).where(eq(partnerOrganisations.id, org.id));
    server.clock.advance(CACHE_TTL_MS);
    await expectFallback(server, link, reason);
  });

  it("sends a revoked creative's link to the fallback at once", async () => {
    const server = await redirectInstance({ ttlMs: 10 * 60_000 });
    const partner = await creativePartner(app, "Revoked Media");
    const creative = await seedReviewCreative(app.db, {
      organisationId: partner.org.id,
      authorId: partner.user.id,
      title: "Spring lamps",
      status: "approved",
      versions: [{ destinationUrl: `https://${SHOP_DOMAIN}/spring` }],
    });
    await app.db.update(creatives).set({ approvedVersion: 1 }).where(eq(creatives.id, creative.id));
    const link = (await issueCreativeLink(app.db, {
      creative: { id: creative.id, organisationId: partner.org.id },
      versionId: creative.versions[0]!.id,
      actor: program.adminActor,
      now: new Date(),
    }))!;
    expect((await visit(server, `/l/${link.code}`)).headers.location).toMatch(/^https:\/\/shop\.example\/spring\?utm_source=/);

    await revokeApproval(app, program.adminActor, creative.id, "The offer ended.");
    await eventually(() => server.resolver.cachedLink(link.code) === undefined);
    await expectFallback(server, link, "approval_revoked");
  });

  it("checks the destination's host against the allowlist again at click time", async () => {
    const server = await redirectInstance({ ttlMs: 10 * 60_000 });
    const { link } = await partnerWithLink(app);
    expect((await visit(server, `/l/${link.code}`)).headers.location).toMatch(/^https:\/\/shop\.example\//);
    await allowDomains(app, program.adminActor, ["brand.example"]);
    await eventually(() => server.resolver.cachedProgram() === undefined);
    await expectFallback(server, link, "host_not_allowed");
    // Allowed again: the link works again, as made.
    await allowDomains(app, program.adminActor, ["brand.example", SHOP_DOMAIN]);
    await eventually(() => server.resolver.cachedProgram() === undefined);
    expect((await visit(server, `/l/${link.code}`)).headers.location).toMatch(/^https:\/\/shop\.example\//);
  });

  it("on PostgreSQL, a second instance hears of a disabled link at once, long before its cache would expire", { skip: !usingPostgres }, async () => {
    const second = await openDatabase({ kind: "postgres", url: database.url! }, { migrate: false });
    try {
      const one = await redirectInstance({ ttlMs: 10 * 60_000 });
      const two = await redirectInstance({ ttlMs: 10 * 60_000, db: second.db, listenOn: second });
      const { link } = await partnerWithLink(app);
      for (const instance of [one, two]) expect((await visit(instance, `/l/${link.code}`)).headers.location).toMatch(/^https:\/\/shop\.example\//);
      expect(two.resolver.cachedLink(link.code)).toMatchObject({ status: "active" });

      // Disabled through the first instance's connection; the second's cache holds the link for ten more minutes.
      const startedAt = Date.now();
      await setLinkStatus(app, program.adminActor, link.id, { status: "disabled", reason: "Brand safety review" });
      await eventually(() => two.resolver.cachedLink(link.code) === undefined);
      expect(Date.now() - startedAt).toBeLessThan(2_000);
      const response = await visit(two, `/l/${link.code}`);
      expect(response.headers.location).toBe(FALLBACK_URL);
      await two.recorder.flush();
      expect((await recordedClicks()).at(-1)).toMatchObject({ linkId: link.id, fallbackReason: "link_disabled" });
    } finally {
      // This instance's recorder and LISTEN use the second connection: closed before it.
      for (const instance of instances) await instance.close();
      await second.close();
    }
  });

  it(
    "on PostgreSQL, a second instance hears of a paused partner at once: its next click goes to the fallback as partner_paused",
    { skip: !usingPostgres },
    async () => {
      const second = await openDatabase({ kind: "postgres", url: database.url! }, { migrate: false });
      try {
        const two = await redirectInstance({ ttlMs: 10 * 60_000, db: second.db, listenOn: second });
        const { org, link } = await partnerWithLink(app);
        expect((await visit(two, `/l/${link.code}`)).headers.location).toMatch(/^https:\/\/shop\.example\//);
        expect(two.resolver.cachedLink(link.code)).toMatchObject({ partnerStatus: "active" });

        const startedAt = Date.now();
        await pausePartner(app, program.adminActor, org.id, { reason: "Brand safety review" }, "https://cobrand.test");
        await eventually(() => two.resolver.cachedLink(link.code) === undefined);
        expect(Date.now() - startedAt).toBeLessThan(2_000);
        expect((await visit(two, `/l/${link.code}`)).headers.location).toBe(FALLBACK_URL);
        await two.recorder.flush();
        expect((await recordedClicks()).at(-1)).toMatchObject({ linkId: link.id, fallbackReason: "partner_paused" });
      } finally {
        for (const instance of instances) await instance.close();
        await second.close();
      }
    },
  );
});

describe("clicks", () => {
  it("flags HEAD requests, known bots, preview fetchers and announced prefetches as bots, keeps them, and counts no one without a user agent as a bot", async () => {
    const server = await redirectInstance();
    const { link } = await partnerWithLink(app);
    const visits: { label: string; method?: string; headers: Record<string, string>; userAgentClass: string; isBot: boolean }[] = [
      { label: "browser", headers: {}, userAgentClass: "browser", isBot: false },
      { label: "HEAD", method: "HEAD", headers: {}, userAgentClass: "bot", isBot: true },
      {
        label: "Googlebot",
        headers: { "User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
        userAgentClass: "bot",
        isBot: true,
      },
      { label: "Slack preview", headers: { "User-Agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)" }, userAgentClass: "bot", isBot: true },
      { label: "WhatsApp preview", headers: { "User-Agent": "WhatsApp/2.23.20.0" }, userAgentClass: "bot", isBot: true },
      { label: "curl", headers: { "User-Agent": "curl/8.5.0" }, userAgentClass: "bot", isBot: true },
      { label: "Sec-Purpose prefetch", headers: { "Sec-Purpose": "prefetch;prerender" }, userAgentClass: "bot", isBot: true },
      { label: "Purpose prefetch", headers: { Purpose: "prefetch" }, userAgentClass: "bot", isBot: true },
      { label: "no user agent", headers: { "User-Agent": "" }, userAgentClass: "unknown", isBot: false },
    ];
    for (const { label, method, headers } of visits) {
      const response = await visit(server, `/l/${link.code}`, { method, headers });
      expect(response.status, label).toBe(302);
      if (method === "HEAD") expect(response.body).toBe("");
    }
    await server.recorder.flush();
    const clicks = await recordedClicks();
    expect(clicks.map((c) => ({ userAgentClass: c.userAgentClass, isBot: c.isBot }))).toEqual(
      visits.map(({ userAgentClass, isBot }) => ({ userAgentClass, isBot })),
    );
    expect(await dailyCounts(link.id)).toMatchObject([{ clicks: visits.length, botClicks: 7 }]);
  });

  it("counts a visitor once a day per link: the same visitor twice is one unique click, the next UTC day unique again", async () => {
    const server = await redirectInstance({ config: testConfig({ TRUST_PROXY: "loopback" }) });
    const { link } = await partnerWithLink(app);
    const from = (ip: string, userAgent = BROWSER_UA) => visit(server, `/l/${link.code}`, { headers: { "X-Forwarded-For": ip, "User-Agent": userAgent } });
    await from("203.0.113.7");
    await from("203.0.113.7");
    await server.recorder.flush();
    await from("203.0.113.7");
    await from("203.0.113.8");
    await from("203.0.113.7", `${BROWSER_UA} Edg/131.0`);
    await server.recorder.flush();
    const firstDay = utcDay(server.clock.now());

    // The next UTC day: same person, same browser, counted again.
    const now = server.clock.now();
    server.clock.advance(DAY - (now.getTime() % DAY) + 60_000);
    await from("203.0.113.7");
    await from("203.0.113.7");
    await server.recorder.flush();

    const clicks = await recordedClicks();
    expect(clicks.map((c) => c.isUnique)).toEqual([true, false, false, true, true, true, false]);
    expect(new Set(clicks.slice(0, 2).map((c) => c.visitorHash)).size).toBe(1);
    expect(clicks[5]!.visitorHash).not.toBe(clicks[0]!.visitorHash);
    expect(await dailyCounts(link.id)).toMatchObject([
      { day: firstDay, clicks: 5, uniqueClicks: 3 },
      { day: utcDay(server.clock.now()), clicks: 2, uniqueClicks: 1 },
    ]);
  });

  it("records a partner's test click as a test, never counted; a token that is not this link's today makes a normal click", async () => {
    const server = await redirectInstance();
    const { org, link } = await partnerWithLink(app);
    const other = await evergreenLink(app, await creativePartner(app, "Other Blog"), "https://shop.example/other");
    const today = utcDay(new Date());
    const token = testClickToken(TEST_APP_SECRET, link.code, today);
    const test = await visit(server, `/l/${link.code}?cb_test=${token}`);
    await visit(server, `/l/${link.code}?cb_test=${testClickToken(TEST_APP_SECRET, other.code, today)}`);
    await visit(server, `/l/${link.code}?cb_test=${"A".repeat(22)}`);
    await visit(server, `/l/${link.code}?cb_test=${testClickToken("another secret of forty characters......", link.code, today)}`);
    await visit(server, `/l/${link.code}?cb_test=${testClickToken(TEST_APP_SECRET, link.code, utcDay(new Date(Date.now() - 3 * DAY)))}`);
    await server.recorder.flush();
    const clicks = await recordedClicks();
    expect(clicks.map((c) => c.isTest)).toEqual([true, false, false, false, false]);
    expect(test.headers.location).toBe(expectedFinalUrl(link, org.slug, clicks[0]!.clickId));
    expect(await dailyCounts(link.id)).toMatchObject([{ clicks: 4, testClicks: 1, uniqueClicks: 1 }]);
  });

  it("stores no IP address: not the visitor's, not the proxy's", async () => {
    const server = await redirectInstance({ config: testConfig({ TRUST_PROXY: "loopback" }) });
    const { link } = await partnerWithLink(app);
    await visit(server, `/l/${link.code}`, { headers: { "X-Forwarded-For": "203.0.113.77" } });
    // Behind the trusted proxy, the visitor is the rightmost address it does not trust (as Express's req.ip).
    await visit(server, `/l/${link.code}`, { headers: { "X-Forwarded-For": "203.0.113.77, 198.51.100.9" } });
    await visit(server, "/l/Unknown99", { headers: { "X-Forwarded-For": "203.0.113.77" } });
    await server.recorder.flush();
    const rows = rowsOf<{ row: string }>(
      await database.db.execute(sql`
        select row_to_json(c)::text as row from link_clicks c
        union all select row_to_json(v)::text from link_daily_visitors v`),
    );
    expect(rows).toHaveLength(3 + 2);
    for (const { row } of rows) expect(row).not.toMatch(/203\.0\.113\.77|198\.51\.100\.9|127\.0\.0\.1/);
    const hashes = (await recordedClicks()).map((c) => c.visitorHash);
    expect(hashes[0]).not.toBe(hashes[1]);
    expect(hashes.every((hash) => /^[A-Za-z0-9_-]{22}$/.test(hash))).toBe(true);
  });

  it("takes the country only from the configured header, only from a trusted proxy", async () => {
    const { link } = await partnerWithLink(app);
    const behindProxy = await redirectInstance({ config: testConfig({ TRUST_PROXY: "loopback", COUNTRY_HEADER: "CF-IPCountry" }) });
    const noProxy = await redirectInstance({ config: testConfig({ COUNTRY_HEADER: "CF-IPCountry" }) });
    const otherProxy = await redirectInstance({ config: testConfig({ TRUST_PROXY: "10.0.0.1", COUNTRY_HEADER: "CF-IPCountry" }) });
    await visit(behindProxy, `/l/${link.code}`, { headers: { "CF-IPCountry": "de" } });
    await visit(behindProxy, `/l/${link.code}`, { headers: { "CF-IPCountry": "XX" } });
    await visit(behindProxy, `/l/${link.code}`, { headers: { "CF-IPCountry": "Germany" } });
    await visit(behindProxy, `/l/${link.code}`, { headers: { "X-Country": "FR" } });
    await visit(noProxy, `/l/${link.code}`, { headers: { "CF-IPCountry": "DE" } });
    await visit(otherProxy, `/l/${link.code}`, { headers: { "CF-IPCountry": "DE" } });
    for (const instance of [behindProxy, noProxy, otherProxy]) await instance.recorder.flush();
    const clicks = await recordedClicks();
    expect(clicks.map((c) => c.country)).toEqual(["DE", null, null, null, null, null]);
  });

  it("ticks the partner's first link live on the first click that is neither a test, a bot nor a fallback, with the time to onboard (audited)", async () => {
    const server = await redirectInstance();
    const { org, link } = await partnerWithLink(app);
    const application = await createApprovedApplication(database.db, org.id, {
      reference: "APP-LINKS-1",
      company: org.name,
      contactName: "Lena",
      email: "lena@lumen.test",
      domain: "lumen.test",
    });
    const appliedAt = new Date(Date.now() - 3 * DAY - 2 * HOUR);
    await database.db.execute(sql`update applications set submitted_at = ${appliedAt.toISOString()}::timestamptz where id = ${application.id}`);

    await visit(server, `/l/${link.code}`, { method: "HEAD" });
    await visit(server, `/l/${link.code}?cb_test=${testClickToken(TEST_APP_SECRET, link.code, utcDay(new Date()))}`);
    await server.recorder.flush();
    const orgRow = async () => (await database.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, org.id)))[0]!;
    expect((await orgRow()).firstLinkLiveAt).toBeNull();

    await visit(server, `/l/${link.code}`);
    await visit(server, `/l/${link.code}`);
    await server.recorder.flush();
    const clicks = await recordedClicks();
    const live = await orgRow();
    expect(live.firstLinkLiveAt).toEqual(clicks[2]!.clickedAt);
    const expectedSeconds = Math.floor((clicks[2]!.clickedAt.getTime() - appliedAt.getTime()) / 1000);
    expect(Math.abs(live.timeToOnboardSeconds! - expectedSeconds)).toBeLessThanOrEqual(1);
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "partner.first_link_live"), eq(auditEvents.subjectId, org.id)));
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ timeToOnboardSeconds: live.timeToOnboardSeconds });
  });

  it("makes the month's partition when a click falls in a month that has none, and drops months past retention keeping the daily counts", async () => {
    const server = await redirectInstance();
    const { link } = await partnerWithLink(app);
    // Five months ahead: housekeeping made this month and the next two.
    server.clock.advance(150 * DAY);
    const future = server.clock.now();
    const futurePartition = `link_clicks_${future.getUTCFullYear()}_${String(future.getUTCMonth() + 1).padStart(2, "0")}`;
    expect(await partitionExists(futurePartition)).toBe(false);
    expect((await visit(server, `/l/${link.code}`)).status).toBe(302);
    await server.recorder.flush();
    expect(await partitionExists(futurePartition)).toBe(true);
    expect(await recordedClicks()).toHaveLength(1);

    // Thirty months back, kept for 25: its clicks go, its daily counts stay.
    server.clock.setOffset(-30 * 31 * DAY);
    const past = server.clock.now();
    const pastPartition = `link_clicks_${past.getUTCFullYear()}_${String(past.getUTCMonth() + 1).padStart(2, "0")}`;
    await ensureClickPartition(database.db, past);
    await visit(server, `/l/${link.code}`);
    await server.recorder.flush();
    expect(await recordedClicks()).toHaveLength(2);
    const dropped = await dropExpiredClickPartitions(database.db, new Date(), program.settings.clickRetentionMonths);
    expect(dropped).toContain(pastPartition);
    expect(dropped).not.toContain(futurePartition);
    expect(await partitionExists(pastPartition)).toBe(false);
    expect((await recordedClicks()).map((c) => c.clickedAt.getTime() > Date.now())).toEqual([true]);
    expect((await dailyCounts(link.id)).map((d) => [d.day, d.clicks])).toEqual([
      [utcDay(past), 1],
      [utcDay(future), 1],
    ]);
  });
});

describe("the click recorder", () => {
  it("keeps clicks while the database is unreachable and writes them once it is back", async () => {
    const outage = await unreachableDatabase();
    try {
      const server = await redirectInstance({ db: outage.db, recorder: { flushIntervalMs: 100 }, ttlMs: 10 * 60_000 });
      const { link } = await partnerWithLink(app);
      expect((await visit(server, `/l/${link.code}`)).status).toBe(302);
      await server.recorder.flush();

      await outage.cut();
      // The link is in the cache: visitors are still redirected while the clicks wait.
      for (let i = 0; i < 5; i++) expect((await visit(server, `/l/${link.code}`)).status).toBe(302);
      await server.recorder.flush();
      expect(server.recorder.counters.failedWrites).toBeGreaterThan(0);
      expect(server.recorder.pending).toBe(5);
      expect(server.recorder.congested).toBe(false);

      await outage.restore();
      // The recorder's own timer tries again after its pause; no flush needed.
      await eventually(() => server.recorder.pending === 0, 10_000);
      expect(await recordedClicks()).toHaveLength(6);
      expect(server.recorder.counters).toMatchObject({ queued: 6, written: 6, dropped: 0 });
      expect(await dailyCounts(link.id)).toMatchObject([{ clicks: 6, uniqueClicks: 1 }]);
    } finally {
      for (const instance of instances) await instance.close();
      await outage.close();
    }
  });

  it("writes a burst bigger than a batch in full batches and keeps every click", async () => {
    const server = await redirectInstance({ recorder: { batchSize: 50, highWater: 120, concurrentWrites: 2 } });
    const { link } = await partnerWithLink(app);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    try {
      const responses = await Promise.all(
        Array.from({ length: 600 }, (_, i) => fetchStatus(`${server.url}/l/${link.code}`, agent, { "User-Agent": BROWSER_UA, "X-Visitor": String(i % 40) })),
      );
      expect(responses.every((status) => status === 302)).toBe(true);
    } finally {
      agent.destroy();
    }
    await server.recorder.flush();
    expect(await recordedClicks()).toHaveLength(600);
    expect(await dailyCounts(link.id)).toMatchObject([{ clicks: 600, uniqueClicks: 1 }]);
    expect(server.recorder.counters).toMatchObject({ queued: 600, written: 600, dropped: 0, failedWrites: 0 });
  });

  it("counts each visitor once even when batches of two instances race", async () => {
    const server = await redirectInstance({ recorder: { batchSize: 5, concurrentWrites: 3 } });
    const other = await redirectInstance({ recorder: { batchSize: 5, concurrentWrites: 3 } });
    const { link } = await partnerWithLink(app);
    await Promise.all(Array.from({ length: 60 }, (_, i) => visit(i % 2 ? server : other, `/l/${link.code}`)));
    await Promise.all([server.recorder.flush(), other.recorder.flush()]);
    const clicks = await recordedClicks();
    expect(clicks).toHaveLength(60);
    expect(clicks.filter((c) => c.isUnique)).toHaveLength(1);
    expect(await database.db.select().from(linkDailyVisitors)).toHaveLength(1);
    expect(await dailyCounts(link.id)).toMatchObject([{ clicks: 60, uniqueClicks: 1 }]);
  });
});

describe("a click the database refuses", () => {
  it("is dropped alone and logged, while the rest of its batch is written", async () => {
    const { link } = await partnerWithLink(app);
    const logged: { event: string; fields?: Record<string, unknown> }[] = [];
    const log = { info() {}, warn() {}, error: (event: string, fields?: Record<string, unknown>) => void logged.push({ event, fields }) };
    const recorder = new ClickRecorder(database.db, log, { ...DEFAULT_CLICK_RECORDER_OPTIONS, batchSize: 50 });
    const at = new Date();
    for (let i = 0; i < 40; i++) {
      // One click the database cannot take (no such user agent class), amid good ones.
      const userAgentClass = i === 17 ? ("robot" as "bot") : "browser";
      recorder.record(pendingClick(link, new Date(at.getTime() + i), { userAgentClass }));
    }
    await recorder.flush();
    expect(recorder.pending).toBe(0);
    expect(recorder.counters).toMatchObject({ queued: 40, written: 39, dropped: 1 });
    expect(await recordedClicks()).toHaveLength(39);
    expect(await dailyCounts(link.id)).toMatchObject([{ clicks: 39 }]);
    expect(logged).toEqual([
      expect.objectContaining({ event: "clicks.dropped", fields: expect.objectContaining({ dropped: 1, reason: "the database refused the click" }) }),
    ]);
    await recorder.stop();
  });
});

async function partitionExists(name: string): Promise<boolean> {
  const rows = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from pg_class where relname = ${name}`));
  return rows[0]!.n === 1;
}

/** Polls `condition` until it holds (LISTEN/NOTIFY and the recorder's timer are asynchronous). */
async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function fetchStatus(url: string, agent: http.Agent, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

/**
 * The database behind a switch: on PostgreSQL, a second connection pool
 * through a TCP relay that can be cut (connections reset, new ones refused)
 * and restored on the same port; on PGlite (one process, no network), the
 * same database with its queries failing as a lost connection's would.
 */
async function unreachableDatabase(): Promise<{ db: Db; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  if (!usingPostgres) {
    let down = false;
    const failing = () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
    const db = new Proxy(database.db, {
      get(target, property, receiver) {
        if (down && (property === "execute" || property === "transaction")) return failing;
        // executePrepared (the click batch) goes through the session: it fails the same way.
        if (down && property === "_") return { ...target._, session: { prepareQuery: () => ({ execute: failing }) } };
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    return {
      db,
      cut: async () => void (down = true),
      restore: async () => void (down = false),
      close: async () => {},
    };
  }
  const target = new URL(database.url!);
  const sockets = new Set<net.Socket>();
  let relay: net.Server | null = null;
  let port = 0;
  const listen = async () => {
    relay = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay!.listen(port, "127.0.0.1", resolve));
    port = (relay!.address() as AddressInfo).port;
  };
  const cut = async () => {
    const closed = new Promise((resolve) => relay!.close(resolve));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  await listen();
  const url = new URL(database.url!);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  const relayed = await openDatabase({ kind: "postgres", url: url.toString() }, { migrate: false });
  return {
    db: relayed.db,
    cut,
    restore: listen,
    async close() {
      await relayed.close().catch(() => {});
      await cut().catch(() => {});
    },
  };
}
