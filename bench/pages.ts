/**
 * Budget (ARCHITECTURE.md §6 "Pages"): with the bench dataset the partner
 * dashboard, the review queue and the reports answer in under 100 ms p95 on
 * PostgreSQL, and ten times the clicks costs under 1.5 times the time.
 *
 * Serves the database bench/seed.ts made (BENCH_DATABASE_URL, which it
 * prints) with the built server (build/server.js, NODE_ENV=production, as
 * `npm start` runs it), signs in through the real login form as each role
 * the pages need, and asks for each page of PAGES: a warm-up, then REQUESTS
 * one after another and REQUESTS again spread over CONNECTIONS at once;
 * p50/p95/p99 of each. A page whose route is not in the build (the reports
 * arrive on another branch) answers 404 and is skipped with a note.
 *
 *   npm run build
 *   TEST_DATABASE_URL=… npx tsx bench/seed.ts          # prints BENCH_DATABASE_URL
 *   BENCH_DATABASE_URL=… npx tsx bench/pages.ts [--profile]
 *
 * `--profile` then finds where each page's database time goes without any
 * privilege on the server (no pg_stat_statements needed): while the page is
 * asked for again, another connection samples pg_stat_activity for the bench
 * database's running statements every millisecond or so; the statements
 * seen most often are the slow ones. Their texts go to PROFILE_OUT (default
 * /tmp/cobrand-pages-profile.json) for EXPLAIN (ANALYZE, BUFFERS).
 * PAGES_CPU_PROF=<dir> writes a CPU profile of the server; PAGES="a,b" picks pages by name.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { startBuiltServer } from "../tests/support/built-server";
import { TEST_APP_SECRET } from "../tests/support/context";
import { partnerOwnerEmail, STAFF } from "./dataset";
import { cpuMillis, loadAverage, machine, postgresBackendCpu, postgresCpuBetween, signInThroughForm, timed } from "./support";

const { values: options } = parseArgs({ options: { profile: { type: "boolean", default: false } } });
const DATABASE_URL = process.env.BENCH_DATABASE_URL;
if (!DATABASE_URL) {
  console.error("Set BENCH_DATABASE_URL to the database bench/seed.ts made (see the header of this file).");
  process.exit(2);
}
if (!fs.existsSync(path.resolve("build/server.js"))) {
  console.error("No build found: run `npm run build` first.");
  process.exit(2);
}

const REQUESTS = Number(process.env.PAGES_REQUESTS ?? 200);
const WARM_UP = Number(process.env.PAGES_WARM_UP ?? 20);
const CONNECTIONS = Number(process.env.PAGES_CONNECTIONS ?? 4);
const BUDGET_MS = 100;
const PROFILE_OUT = process.env.PROFILE_OUT ?? "/tmp/cobrand-pages-profile.json";

type Viewer = keyof typeof STAFF | "busiest partner" | "typical partner";
const EMAILS: Record<Viewer, string> = { ...STAFF, "busiest partner": partnerOwnerEmail(1), "typical partner": partnerOwnerEmail(1000) };

/** The pages measured, by whom. Add a page here; one missing from the build is skipped. PAGES="name,name" picks some. */
const PAGES: { name: string; path: string; as: Viewer }[] = [
  { name: "partner dashboard (busiest)", path: "/partner", as: "busiest partner" },
  { name: "partner dashboard (typical)", path: "/partner", as: "typical partner" },
  { name: "partner links (busiest)", path: "/partner/links", as: "busiest partner" },
  { name: "partner links 90 days (busiest)", path: "/partner/links?days=90", as: "busiest partner" },
  { name: "partner links (typical)", path: "/partner/links", as: "typical partner" },
  { name: "review queue (admin)", path: "/admin/creatives", as: "admin" },
  { name: "review queue (brand reviewer)", path: "/admin/creatives", as: "brand_reviewer" },
  { name: "partner directory", path: "/admin/partners", as: "admin" },
  { name: "admin overview", path: "/admin", as: "admin" },
  // The cheapest signed-in page (session, layout, rendering, no data of its own): what any page costs on this machine at this moment.
  { name: "account (baseline)", path: "/account", as: "busiest partner" },
  { name: "reports", path: "/admin/reports", as: "admin" },
  { name: "reports: workflow", path: "/admin/reports/workflow", as: "admin" },
  { name: "reports: trust", path: "/admin/reports/trust", as: "admin" },
  { name: "reports (analyst)", path: "/admin/reports", as: "analyst" },
  // A partner's own reports (issue 18): the admin report's queries on one organisation's rows.
  { name: "partner reports (busiest)", path: "/partner/reports", as: "busiest partner" },
  { name: "partner reports 12 months (busiest)", path: "/partner/reports?range=12m", as: "busiest partner" },
  { name: "partner reports (typical)", path: "/partner/reports", as: "typical partner" },
  { name: "partner reports: review (busiest)", path: "/partner/reports/review", as: "busiest partner" },
  { name: "partner reports: health (busiest)", path: "/partner/reports/health", as: "busiest partner" },
];

const picked = process.env.PAGES?.split(",").map((s) => s.trim());
const pages = picked ? PAGES.filter((p) => picked.includes(p.name)) : PAGES;
const databaseName = new URL(DATABASE_URL).pathname.slice(1);
const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-bench-pages-"));
// Behind the trusted loopback proxy each page's requests come from an address of their own, so the per-address flood limit never answers 429.
// PAGES_CPU_PROF=<dir> writes a CPU profile of the server (node --cpu-prof), as CONVERSIONS_CPU_PROF does.
const cpuProfileDir = process.env.PAGES_CPU_PROF ? path.resolve(process.env.PAGES_CPU_PROF) : null;
const server = await startBuiltServer(
  storageDir,
  { DATABASE_URL, APP_SECRET: TEST_APP_SECRET, TRUST_PROXY: "loopback" },
  cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`, "--cpu-prof-name=pages-server.cpuprofile"] : [],
);
let address = 10;
const nextAddress = () => `198.51.100.${address++}`;

const signIn = (email: string) => signInThroughForm(server.url, email, nextAddress());

const percentile = (sorted: number[], q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;

/**
 * `count` requests over `connections` at once: each request's time, and the
 * CPU time per request of the server's process and of the PostgreSQL
 * backends serving the bench database (from /proc). On a machine shared with
 * other work the latencies grow with its load; the CPU per request hardly
 * does, and is what one request costs on an idle machine.
 */
async function run(url: string, headers: Record<string, string>, count: number, connections: number) {
  const times: number[] = [];
  let left = count;
  const loads = [loadAverage()];
  const serverBefore = cpuMillis(server.child.pid!);
  const postgresBefore = postgresBackendCpu(databaseName);
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (left > 0) {
        left--;
        times.push(await timed(url, headers));
      }
    }),
  );
  loads.push(loadAverage());
  const serverCpuMs = Math.round(((cpuMillis(server.child.pid!) - serverBefore) / count) * 10) / 10;
  const postgresCpuMs = Math.round((postgresCpuBetween(postgresBefore, postgresBackendCpu(databaseName)) / count) * 10) / 10;
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    max: percentile(times, 1),
    serverCpuMs,
    postgresCpuMs,
    load: `${Math.min(...loads)}–${Math.max(...loads)}`,
  };
}

type Sample = { query: string; samples: number };

/** Runs `work` while sampling the bench database's running statements; the statements by how often they were seen. */
async function sampled(work: () => Promise<unknown>): Promise<{ samples: number; queries: Sample[] }> {
  const watcher = postgres(DATABASE_URL!, { max: 1, onnotice: () => {} });
  const seen = new Map<string, number>();
  let total = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await watcher<{ query: string }[]>`
        select query from pg_stat_activity where datname = ${databaseName} and state = 'active' and pid <> pg_backend_pid()`;
      total++;
      for (const { query } of rows) seen.set(query, (seen.get(query) ?? 0) + 1);
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await loop;
    await watcher.end();
  }
  return { samples: total, queries: [...seen].map(([query, samples]) => ({ query, samples })).sort((a, b) => b.samples - a.samples) };
}

const cookies = new Map<Viewer, string>();
const results = [];
const skipped: { name: string; path: string; note: string }[] = [];
const profiles: Record<string, { samples: number; queries: Sample[] }> = {};
try {
  for (const viewer of new Set(pages.map((p) => p.as))) cookies.set(viewer, await signIn(EMAILS[viewer]));
  for (const page of pages) {
    const url = `${server.url}${page.path}`;
    const headers = { Cookie: cookies.get(page.as)!, "X-Forwarded-For": nextAddress() };
    const probe = await fetch(url, { headers, redirect: "manual" });
    await probe.text();
    if (probe.status === 404) {
      skipped.push({ name: page.name, path: page.path, note: "404: the route is not in this build" });
      continue;
    }
    for (let i = 0; i < WARM_UP; i++) await timed(url, headers);
    const sequential = await run(url, headers, REQUESTS, 1);
    const concurrent = await run(url, { ...headers, "X-Forwarded-For": nextAddress() }, REQUESTS, CONNECTIONS);
    const result = { name: page.name, path: page.path, as: page.as, requests: REQUESTS, sequential, [`connections${CONNECTIONS}`]: concurrent };
    console.error(
      `${page.name.padEnd(32)} 1 conn: p50 ${sequential.p50} p95 ${sequential.p95} p99 ${sequential.p99} ms, cpu server ${sequential.serverCpuMs} + postgres ${sequential.postgresCpuMs} ms/req (load ${sequential.load})   ${CONNECTIONS} conn: p50 ${concurrent.p50} p95 ${concurrent.p95} ms (load ${concurrent.load})`,
    );
    results.push(result);
    if (options.profile) {
      const profileHeaders = { ...headers, "X-Forwarded-For": nextAddress() };
      profiles[page.name] = await sampled(() => run(url, profileHeaders, Math.min(REQUESTS, 100), 1));
    }
  }
} finally {
  server.child.kill("SIGTERM");
  await server.exited;
  fs.rmSync(storageDir, { recursive: true, force: true });
}

const facts = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
const [dataset] = await facts<{ clicks: string; conversions: string; creatives: string; partners: string; version: string }[]>`select
  (select count(*) from link_clicks) as clicks, (select count(*) from conversions) as conversions,
  (select count(*) from creatives) as creatives, (select count(*) from partner_organisations) as partners,
  current_setting('server_version') as version`;
await facts.end();

if (options.profile) {
  fs.writeFileSync(PROFILE_OUT, JSON.stringify(profiles, null, 2));
  for (const [name, profile] of Object.entries(profiles)) {
    console.error(`\n${name}: ${profile.samples} samples`);
    for (const q of profile.queries.slice(0, 5)) console.error(`  ${String(q.samples).padStart(5)}  ${q.query.replace(/\s+/g, " ").slice(0, 160)}`);
  }
}

const budgeted = results.filter((r) => !["admin overview", "account (baseline)"].includes(r.name));
console.log(
  JSON.stringify(
    {
      bench: "pages",
      machine: machine(),
      postgres: dataset!.version,
      dataset: {
        partners: Number(dataset!.partners),
        creatives: Number(dataset!.creatives),
        clicks: Number(dataset!.clicks),
        conversions: Number(dataset!.conversions),
      },
      budgetP95Ms: BUDGET_MS,
      results,
      skipped,
      pass: budgeted.every((r) => r.sequential.p95 < BUDGET_MS),
    },
    null,
    2,
  ),
);
