/**
 * Load (issue 18): LOAD_SECONDS (default 600) of mixed traffic on loopback
 * against the built server on PostgreSQL: partners browsing their home, the
 * asset hub and their links and downloading a logo, reviewers reading the
 * queue and approving creatives, visitors following short links, and the
 * shop's checkout posting conversions. Budget: error rate under 0.1 %, memory
 * flat (RSS sampled every 10 s), p99 per route reported.
 *
 *   npm run build && TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/db npx tsx bench/load.ts
 *
 * Each route is its own autocannon instance at a fixed rate (`overallRate`),
 * so that one slow route does not starve the others and each has its own
 * latency histogram. The bench makes a database of its own on
 * TEST_DATABASE_URL's server and drops it at the end.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon, { type Request, type Result } from "autocannon";
import { createApiKey } from "~/domain/api-keys/keys.server";
import type { DatabaseConfig } from "~/lib/config.server";
import { openDatabase } from "~/lib/db.server";
import { startBuiltServer } from "../tests/support/built-server";
import { createTestContext, createUser, sessionCookieFor, TEST_APP_SECRET } from "../tests/support/context";
import { BROWSER_UA, evergreenLink, linkProgram, SHOP_DOMAIN } from "../tests/support/links";
import { creativePartner } from "../tests/support/creatives";
import { seedReviewCreative } from "../tests/support/review-fixtures";
import { benchPostgresDatabase, loadAverage, machine } from "./support";

const SECONDS = Math.max(30, Number(process.env.LOAD_SECONDS ?? 600));
const PARTNERS = 20;
const REVIEW_DESTINATION_DOMAIN = "northwindcoffee.com";
const SAMPLE_EVERY_MS = 10_000;
const BUDGET = { errorRate: 0.001 };

if (!fs.existsSync(path.resolve("build/server.js"))) {
  console.error("No build found: run `npm run build` first.");
  process.exit(2);
}

/** One kind of traffic: its requests, its rate and connections, and the statuses that count as answered. */
type Route = { name: string; rate: number; connections: number; requests: Request[]; expected: readonly number[] };

type Program = {
  partnerCookies: string[];
  linkCodes: string[];
  reviewerCookie: string;
  creativeIds: string[];
  apiSecret: string;
};

/** The program through the domain, as its people would have made it; creatives waiting for review written straight into the tables. */
async function seedProgram(config: DatabaseConfig, creativesToReview: number): Promise<Program> {
  const database = await openDatabase(config);
  try {
    const app = createTestContext(database.db);
    const { adminActor } = await linkProgram(app, { domains: [SHOP_DOMAIN, REVIEW_DESTINATION_DOMAIN] });
    const partnerCookies: string[] = [];
    const linkCodes: string[] = [];
    const authors: string[] = [];
    const organisations: string[] = [];
    for (let i = 1; i <= PARTNERS; i++) {
      const partner = await creativePartner(app, `Load Partner ${i}`);
      partnerCookies.push(await sessionCookieFor(app, partner.user.id));
      linkCodes.push((await evergreenLink(app, partner)).code);
      authors.push(partner.user.id);
      organisations.push(partner.org.id);
    }
    const reviewer = await createUser(app.db, { role: "brand_reviewer", name: "Load Reviewer" });
    const creativeIds: string[] = [];
    for (let i = 0; i < creativesToReview; i++) {
      const creative = await seedReviewCreative(app.db, {
        organisationId: organisations[i % PARTNERS]!,
        authorId: authors[i % PARTNERS]!,
        title: `Spring launch ${i + 1}`,
        stages: [{ stage: "brand" }],
      });
      creativeIds.push(creative.id);
    }
    const { secret } = await createApiKey(app, adminActor, { name: "Load checkout", scopes: ["conversions:write"], expiresOn: null });
    return { partnerCookies, linkCodes, reviewerCookie: await sessionCookieFor(app, reviewer.id), creativeIds, apiSecret: secret };
  } finally {
    await database.close();
  }
}

/** An admin's upload of a small logo through the server, as the asset hub takes it: what partners then download. */
async function uploadLogo(url: string, adminCookie: string): Promise<string> {
  const form = new FormData();
  form.append("kind", "logo");
  form.append("title", "Load logo");
  form.append("visibility", "all");
  form.append("allowOriginal", "on");
  form.append("file", new Blob([new Uint8Array(fs.readFileSync("tests/fixtures/logo.svg"))], { type: "image/svg+xml" }), "logo.svg");
  const response = await fetch(`${url}/admin/assets/upload`, {
    method: "POST",
    body: form,
    headers: { Cookie: adminCookie, Origin: url, "Sec-Fetch-Site": "same-origin" },
  });
  const body = (await response.json()) as { ok: boolean; location?: string };
  if (!body.ok || !body.location) throw new Error(`logo upload failed (${response.status})`);
  return body.location.split("?")[0]!.split("/").pop()!;
}

// Each person browses from an address of their own (X-Forwarded-For behind the trusted loopback proxy), as they would:
// the per-address flood limit then sees one person's pace, not the whole load's.
const partnerAddress = (index: number) => `198.51.100.${index + 1}`;
const REVIEWER_ADDRESS = "198.51.100.200";

/** Every partner's cookie in turn on `path`. */
const asPartners = (program: Program, pathname: string): Request[] =>
  program.partnerCookies.map((cookie, i) => ({
    method: "GET",
    path: pathname,
    headers: { cookie, "user-agent": BROWSER_UA, "x-forwarded-for": partnerAddress(i) },
  }));

function routes(program: Program, url: string, assetId: string): Route[] {
  let nextCreative = 0;
  let nextOrder = 0;
  const visitors = Array.from({ length: 500 }, (_, i) => `203.0.${(i >> 8) & 255}.${i & 255}`);
  return [
    { name: "partner home", rate: 20, connections: 4, requests: asPartners(program, "/partner"), expected: [200] },
    { name: "partner assets", rate: 10, connections: 2, requests: asPartners(program, "/partner/assets"), expected: [200] },
    { name: "partner links", rate: 10, connections: 2, requests: asPartners(program, "/partner/links"), expected: [200] },
    { name: "asset download", rate: 5, connections: 2, requests: asPartners(program, `/partner/assets/${assetId}/download`), expected: [200] },
    {
      name: "review queue",
      rate: 5,
      connections: 2,
      requests: [{ method: "GET", path: "/admin/creatives", headers: { cookie: program.reviewerCookie, "x-forwarded-for": REVIEWER_ADDRESS } }],
      expected: [200],
    },
    {
      name: "review decision",
      rate: 2,
      connections: 1,
      requests: [
        {
          method: "POST",
          setupRequest: (request) => {
            const creativeId = program.creativeIds[nextCreative++ % program.creativeIds.length];
            return {
              ...request,
              path: `/admin/creatives/${creativeId}`,
              headers: {
                cookie: program.reviewerCookie,
                origin: url,
                "sec-fetch-site": "same-origin",
                "content-type": "application/x-www-form-urlencoded",
                "x-forwarded-for": REVIEWER_ADDRESS,
              },
              body: new URLSearchParams({ intent: "decide", stage: "brand", version: "1", decision: "approve" }).toString(),
            };
          },
        },
      ],
      // The decision redirects to the creative's page with a toast.
      expected: [302],
    },
    {
      name: "redirect",
      rate: 200,
      connections: 10,
      requests: program.linkCodes.flatMap((code, i) =>
        visitors.slice(i * 25, i * 25 + 25).map((ip) => ({ method: "GET", path: `/l/${code}`, headers: { "user-agent": BROWSER_UA, "x-forwarded-for": ip } })),
      ),
      expected: [302],
    },
    {
      name: "conversion post",
      rate: 20,
      connections: 2,
      requests: [
        {
          method: "POST",
          path: "/api/v1/conversions",
          setupRequest: (request) => ({
            ...request,
            headers: { authorization: `Bearer ${program.apiSecret}`, "content-type": "application/json" },
            body: JSON.stringify({ orderId: `LOAD-${++nextOrder}`, amount: 4999, currency: "USD", occurredAt: new Date().toISOString() }),
          }),
        },
      ],
      expected: [201],
    },
  ];
}

/** One route's traffic for `seconds`; counts the answers outside `expected` (and sockets errors, timeouts) as errors. */
async function drive(url: string, route: Route, seconds: number) {
  const unexpected = new Map<number, number>();
  const onResponse = (status: number) => {
    if (!route.expected.includes(status)) unexpected.set(status, (unexpected.get(status) ?? 0) + 1);
  };
  const result: Result = await autocannon({
    url,
    connections: route.connections,
    overallRate: route.rate,
    duration: seconds,
    timeout: 10,
    requests: route.requests.map((request) => ({ ...request, onResponse })),
  });
  const unexpectedCount = [...unexpected.values()].reduce((a, b) => a + b, 0);
  const requests = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"] + result.errors + result.timeouts;
  return {
    route: route.name,
    requests,
    requestsPerSecond: Math.round((requests / result.duration) * 10) / 10,
    errors: unexpectedCount + result.errors + result.timeouts,
    unexpectedStatuses: Object.fromEntries(unexpected),
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
  };
}

function rssMb(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return Math.round(Number(line?.[1] ?? 0) / 102.4) / 10;
}

const pg = await benchPostgresDatabase();
if (!pg) {
  console.error("Set TEST_DATABASE_URL: the load test runs on PostgreSQL.");
  process.exit(2);
}
const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-bench-load-"));
let report: unknown;
try {
  const config: DatabaseConfig = { kind: "postgres", url: pg.url };
  const decisionRate = 2;
  const program = await seedProgram(config, Math.ceil(decisionRate * SECONDS * 1.1));
  const server = await startBuiltServer(storageDir, { DATABASE_URL: pg.url, APP_SECRET: TEST_APP_SECRET, TRUST_PROXY: "loopback" });
  try {
    const adminDatabase = await openDatabase(config, { migrate: false });
    const admin = await createUser(adminDatabase.db, { role: "admin", name: "Load Admin" });
    const adminCookie = await sessionCookieFor(createTestContext(adminDatabase.db), admin.id);
    await adminDatabase.close();
    const assetId = await uploadLogo(server.url, adminCookie);

    const pid = server.child.pid!;
    const started = Date.now();
    const rss: { atSeconds: number; rssMb: number; loadAverage: number }[] = [{ atSeconds: 0, rssMb: rssMb(pid), loadAverage: loadAverage() }];
    const sampler = setInterval(() => {
      rss.push({ atSeconds: Math.round((Date.now() - started) / 1000), rssMb: rssMb(pid), loadAverage: loadAverage() });
      const last = rss.at(-1)!;
      console.error(`${String(last.atSeconds).padStart(4)} s  RSS ${last.rssMb} MB  load ${last.loadAverage}`);
    }, SAMPLE_EVERY_MS);
    const results = await Promise.all(routes(program, server.url, assetId).map((route) => drive(server.url, route, SECONDS)));
    clearInterval(sampler);
    rss.push({ atSeconds: Math.round((Date.now() - started) / 1000), rssMb: rssMb(pid), loadAverage: loadAverage() });

    const requests = results.reduce((sum, r) => sum + r.requests, 0);
    const errors = results.reduce((sum, r) => sum + r.errors, 0);
    // Flat memory: after the first minute's warm-up, the last sample against the highest of the first half.
    const settled = rss.filter((s) => s.atSeconds >= 60);
    const firstHalfPeak = Math.max(...settled.filter((s) => s.atSeconds <= SECONDS / 2).map((s) => s.rssMb));
    const lastRss = rss.at(-1)!.rssMb;
    const stopped = await (async () => {
      const at = Date.now();
      server.child.kill("SIGTERM");
      const exit = await server.exited;
      return { exitCode: exit.code, stopMs: exit.at - at };
    })();
    report = {
      bench: "load",
      date: new Date(started).toISOString(),
      machine: machine(),
      seconds: SECONDS,
      requests,
      errors,
      errorRate: requests ? Math.round((errors / requests) * 1e6) / 1e6 : null,
      routes: results,
      rss: {
        samples: rss,
        firstHalfPeakMb: firstHalfPeak,
        lastMb: lastRss,
        minMb: Math.min(...rss.map((s) => s.rssMb)),
        maxMb: Math.max(...rss.map((s) => s.rssMb)),
      },
      stopped,
      budget: BUDGET,
      pass: requests > 0 && errors / requests < BUDGET.errorRate && stopped.exitCode === 0,
    };
  } finally {
    if (server.child.exitCode === null) server.child.kill("SIGTERM");
  }
} finally {
  await pg.drop();
  fs.rmSync(storageDir, { recursive: true, force: true });
}
console.log(JSON.stringify(report, null, 2));
