/**
 * Budget (issue 15, ARCHITECTURE.md "Performance budgets"): `/l/:code` answers
 * at least 60 % of the requests per second of a bare node:http server that
 * answers 302 from a Map, p99 under 10 ms at 50 connections, and every click
 * it answered is in the database after a graceful stop.
 *
 * In one run, three servers side by side: the bare node:http server (a
 * process of its own), Cobrand's built server on PostgreSQL (when
 * TEST_DATABASE_URL is set) and on PGlite. Each is driven by autocannon from
 * this process the same way (50 connections), in ROUNDS rounds that take
 * them in turn, so that whatever else the machine is doing weighs on all of
 * them alike; each measured run lasts at least REDIRECT_SECONDS (default 10).
 * Requests come from 1,000 visitors (X-Forwarded-For behind the trusted
 * loopback proxy) with a browser's user agent and a referrer, so none is a
 * bot. Every run asks for an exact number of requests (autocannon's
 * `amount`), so every response is counted on this side. Then each Cobrand
 * server gets SIGTERM, is started again on the same database and stopped
 * again, and the clicks in its database must equal the responses it gave.
 *
 *   npm run build && TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/db npx tsx bench/redirect.ts
 *
 * TEST_DATABASE_URL is the server the bench's own database is created on
 * (and dropped from at the end); nothing else there is touched.
 * REDIRECT_BENCH_PORT (default 3541) and the next two ports are used.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon, { type Request, type Result } from "autocannon";
import { sql } from "drizzle-orm";
import type { DatabaseConfig } from "~/lib/config.server";
import { openDatabase, rowsOf } from "~/lib/db.server";
import { startBuiltServer, type StartedServer } from "../tests/support/built-server";
import { TEST_APP_SECRET } from "../tests/support/context";
import { BROWSER_UA, seedLinkDatabase } from "../tests/support/links";
import { benchPostgresDatabase, cpuMillis, loadAverage, machine, median, postgresBackendCpu, postgresCpuBetween } from "./support";

const CONNECTIONS = 50;
const SECONDS = Math.max(10, Number(process.env.REDIRECT_SECONDS ?? 10));
const ROUNDS = Math.max(1, Number(process.env.REDIRECT_ROUNDS ?? 3));
const WARM_UP_REQUESTS = 30_000;
const VISITORS = 1_000;
const BASE_PORT = Number(process.env.REDIRECT_BENCH_PORT ?? 3541);
const BUDGET = { ratio: 0.6, p99Ms: 10 };

if (!fs.existsSync(path.resolve("build/server.js"))) {
  console.error("No build found: run `npm run build` first.");
  process.exit(2);
}

/** One measured run against one server. */
type Run = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
  /** CPU time of the server's process per request (user + system): what the machine's other work does not change much. */
  serverCpuMicrosPerRequest: number;
  /** The same for the load tool (this process): a longer answer costs it more to read. */
  clientCpuMicrosPerRequest: number;
  /** The same for the PostgreSQL backends serving the bench's database (null off PostgreSQL): the clicks' writes. */
  databaseCpuMicrosPerRequest: number | null;
  loadAverage: number;
};

/** A server under test: where it listens, its process, and every response it gave. */
type Target = { name: string; url: string; pid: number; rate: number; responses: number; failures: number; runs: Run[]; postgresDatabase?: string };

/** The same requests for every server: one short link, a thousand visitors, a browser, a referrer. */
function visitorRequests(code: string): Request[] {
  return Array.from({ length: VISITORS }, (_, i) => ({
    method: "GET",
    path: `/l/${code}`,
    headers: {
      "user-agent": BROWSER_UA,
      "x-forwarded-for": `198.51.${(i >> 8) & 255}.${i & 255}`,
      referer: "https://news.example/best-lamps-2026",
    },
  }));
}

/** Exactly `amount` requests (autocannon waits for every response), all counted on the target. */
async function load(target: Target, requests: Request[], amount: number): Promise<Result> {
  const result = await autocannon({ url: target.url, connections: CONNECTIONS, amount, timeout: 10, requests });
  target.responses += result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
  target.failures += result.errors + result.timeouts + result["5xx"] + result["2xx"] + result["4xx"];
  return result;
}

async function warmUp(target: Target, requests: Request[]): Promise<void> {
  const result = await load(target, requests, WARM_UP_REQUESTS);
  target.rate = result.requests.total / result.duration;
}

/** A run of about SECONDS, sized from the target's last rate; run again (longer) if it came out short. */
async function measure(target: Target, requests: Request[]): Promise<Run> {
  for (let attempt = 1; ; attempt++) {
    const cpuBefore = cpuMillis(target.pid);
    const clientBefore = process.cpuUsage();
    const databaseBefore = target.postgresDatabase ? postgresBackendCpu(target.postgresDatabase) : null;
    const result = await load(target, requests, Math.ceil(target.rate * SECONDS * (attempt === 1 ? 1.05 : 1.3)));
    const cpu = cpuMillis(target.pid) - cpuBefore;
    const client = process.cpuUsage(clientBefore);
    const databaseCpu = databaseBefore ? postgresCpuBetween(databaseBefore, postgresBackendCpu(target.postgresDatabase!)) : null;
    target.rate = result.requests.total / result.duration;
    if (result.duration >= SECONDS || attempt === 3) {
      const run: Run = {
        requestsPerSecond: Math.round(target.rate),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        seconds: Math.round(result.duration * 10) / 10,
        serverCpuMicrosPerRequest: Math.round((cpu * 1000 * 10) / result.requests.total) / 10,
        clientCpuMicrosPerRequest: Math.round(((client.user + client.system) * 10) / result.requests.total) / 10,
        databaseCpuMicrosPerRequest: databaseCpu === null ? null : Math.round((databaseCpu * 1000 * 10) / result.requests.total) / 10,
        loadAverage: loadAverage(),
      };
      target.runs.push(run);
      return run;
    }
  }
}

const BARE_SERVER = `
const http = require("node:http");
const links = new Map([[process.env.CODE, process.env.LOCATION]]);
http.createServer((req, res) => {
  const location = req.url.startsWith("/l/") ? links.get(req.url.slice(3)) : undefined;
  if (location) res.writeHead(302, { Location: location }).end();
  else res.writeHead(404).end();
}).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
`;

async function startBareServer(port: number, code: string, location: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", BARE_SERVER], {
    env: { ...process.env, PORT: String(port), CODE: code, LOCATION: location },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once("data", () => resolve());
    child.once("exit", (exitCode) => reject(new Error(`bare server exited (${exitCode})`)));
  });
  return child;
}

type Cobrand = { target: Target; server: StartedServer; storageDir: string; env: Record<string, string>; config: DatabaseConfig; code: string };

async function startCobrand(name: string, port: number, config: DatabaseConfig, code: string, env: Record<string, string>): Promise<Cobrand> {
  const storageDir = env.STORAGE_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-bench-redirect-"));
  const serverEnv = { ...env, PORT: String(port), APP_SECRET: TEST_APP_SECRET, TRUST_PROXY: "loopback" };
  // REDIRECT_PROFILE_DIR: each Cobrand server writes a V8 CPU profile there when stopped (what is left to shave per click).
  const profileDir = process.env.REDIRECT_PROFILE_DIR;
  const server = await startBuiltServer(storageDir, serverEnv, profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []);
  const postgresDatabase = config.kind === "postgres" ? new URL(config.url).pathname.slice(1) : undefined;
  const target: Target = { name, url: server.url, pid: server.child.pid!, rate: 0, responses: 0, failures: 0, runs: [], postgresDatabase };
  return { target, server, storageDir, env: serverEnv, config, code };
}

/** Stops the server as a process manager would; says how it went. */
async function stop(server: StartedServer) {
  const signalledAt = Date.now();
  server.child.kill("SIGTERM");
  const exit = await server.exited;
  const flushedLine = /^\{.*"event":"clicks\.flushed".*\}$/m.exec(server.output());
  const flushed = flushedLine ? (JSON.parse(flushedLine[0]) as { pending: number; dropped: number; written: number }) : null;
  return { exitCode: exit.code, stopMs: exit.at - signalledAt, pendingAtStop: flushed?.pending ?? null, dropped: flushed?.dropped ?? null };
}

async function countClicks(config: DatabaseConfig) {
  const database = await openDatabase(config, { migrate: false });
  try {
    const [row] = rowsOf<{ clicks: number; daily: number; bots: number; visitors: number }>(
      await database.db.execute(sql`
        select (select count(*)::int from link_clicks) as clicks,
          (select coalesce(sum(clicks), 0)::int from link_click_daily) as daily,
          (select count(*)::int from link_clicks where is_bot) as bots,
          (select count(*)::int from link_daily_visitors) as visitors`),
    );
    return { clicksInDatabase: row!.clicks, clicksInDailyCounts: row!.daily, botClicks: row!.bots, uniqueVisitorsToday: row!.visitors };
  } finally {
    await database.close();
  }
}

/** SIGTERM, a restart on the same database, SIGTERM again; then the clicks it holds against the responses given. */
async function settle(cobrand: Cobrand) {
  const first = await stop(cobrand.server);
  const again = await startBuiltServer(cobrand.storageDir, cobrand.env);
  const second = await stop(again);
  const counted = await countClicks(cobrand.config);
  return { responsesGiven: cobrand.target.responses, ...counted, clicksLost: cobrand.target.responses - counted.clicksInDatabase, shutdown: { first, second } };
}

const started = new Date();
const pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-bench-pglite-"));
const pgliteConfig: DatabaseConfig = { kind: "pglite", dir: path.join(pgliteDir, "db") };
const cobrands: Cobrand[] = [];
let bareChild: ChildProcess | null = null;
let report: unknown;
let pg: Awaited<ReturnType<typeof benchPostgresDatabase>> = null;
try {
  pg = await benchPostgresDatabase();
  if (pg) {
    const config: DatabaseConfig = { kind: "postgres", url: pg.url };
    const link = await seedLinkDatabase(config);
    cobrands.push(await startCobrand("cobrand-postgresql", BASE_PORT, config, link.code, { DATABASE_URL: pg.url }));
  } else {
    console.error("TEST_DATABASE_URL is not set: measuring PGlite only (the budget is judged on PostgreSQL).");
  }
  const pgliteLink = await seedLinkDatabase(pgliteConfig);
  cobrands.push(await startCobrand("cobrand-pglite", BASE_PORT + 2, pgliteConfig, pgliteLink.code, { STORAGE_DIR: pgliteDir }));

  // The baseline answers the same path with the same destination.
  bareChild = await startBareServer(BASE_PORT + 1, cobrands[0]!.code, pgliteLink.destinationUrl);
  const bare: Target = { name: "bare-node-http", url: `http://127.0.0.1:${BASE_PORT + 1}`, pid: bareChild.pid!, rate: 0, responses: 0, failures: 0, runs: [] };
  const targets = [bare, ...cobrands.map((c) => c.target)];
  const requestsFor = new Map<Target, Request[]>([
    [bare, visitorRequests(cobrands[0]!.code)],
    ...cobrands.map((c) => [c.target, visitorRequests(c.code)] as const),
  ]);

  for (const target of targets) await warmUp(target, requestsFor.get(target)!);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const target of targets) {
      const run = await measure(target, requestsFor.get(target)!);
      console.error(
        `round ${round} ${target.name.padEnd(20)} ${String(run.requestsPerSecond).padStart(6)} req/s  p50 ${run.p50Ms} ms  p99 ${run.p99Ms} ms  ` +
          `server ${run.serverCpuMicrosPerRequest} µs/req  client ${run.clientCpuMicrosPerRequest} µs/req  ` +
          `${run.databaseCpuMicrosPerRequest === null ? "" : `database ${run.databaseCpuMicrosPerRequest} µs/req  `}load ${run.loadAverage}`,
      );
    }
  }
  bareChild.kill("SIGTERM");
  bareChild = null;

  const bareRate = median(bare.runs.map((r) => r.requestsPerSecond));
  const summary = (target: Target) => ({
    requestsPerSecond: median(target.runs.map((r) => r.requestsPerSecond)),
    p50Ms: median(target.runs.map((r) => r.p50Ms)),
    p99Ms: median(target.runs.map((r) => r.p99Ms)),
    p99MsWorst: Math.max(...target.runs.map((r) => r.p99Ms)),
    serverCpuMicrosPerRequest: median(target.runs.map((r) => r.serverCpuMicrosPerRequest)),
    clientCpuMicrosPerRequest: median(target.runs.map((r) => r.clientCpuMicrosPerRequest)),
    databaseCpuMicrosPerRequest: target.postgresDatabase ? median(target.runs.map((r) => r.databaseCpuMicrosPerRequest ?? 0)) : null,
    // Each round's ratio to the bare server's run just before it.
    ratioPerRound: target.runs.map((run, i) => Math.round((run.requestsPerSecond / bare.runs[i]!.requestsPerSecond) * 1000) / 1000),
    runs: target.runs,
  });
  const results = [];
  for (const cobrand of cobrands) {
    const measured = summary(cobrand.target);
    const ratio = Math.round((measured.requestsPerSecond / bareRate) * 1000) / 1000;
    const clicks = await settle(cobrand);
    const pass =
      ratio >= BUDGET.ratio &&
      measured.p99MsWorst < BUDGET.p99Ms &&
      clicks.clicksLost === 0 &&
      cobrand.target.failures === 0 &&
      clicks.shutdown.first.exitCode === 0 &&
      clicks.shutdown.first.dropped === 0;
    results.push({ server: cobrand.target.name, ...measured, ratio, failedRequests: cobrand.target.failures, clicks, pass });
  }
  report = {
    bench: "redirect",
    date: started.toISOString(),
    machine: machine(),
    connections: CONNECTIONS,
    rounds: ROUNDS,
    secondsPerRun: SECONDS,
    bare: summary(bare),
    cobrand: results,
    budget: BUDGET,
  };
} finally {
  bareChild?.kill("SIGTERM");
  for (const cobrand of cobrands) if (cobrand.server.child.exitCode === null) cobrand.server.child.kill("SIGTERM");
  await pg?.drop();
}
console.log(JSON.stringify(report, null, 2));
