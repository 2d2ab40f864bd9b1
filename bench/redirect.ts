/**
 * Budget (issue 15, ARCHITECTURE.md "Performance budgets"): `/l/:code` answers
 * at least 60 % of the requests per second of a bare node:http server that
 * answers 302 from a Map, p99 under 10 ms at 50 connections, and every click
 * it answered is in the database after a graceful stop.
 *
 * In one run, three servers side by side: the bare node:http server (a
 * process of its own), Cobrand's built server on PostgreSQL (when
 * TEST_DATABASE_URL is set) and on PGlite. Each is driven by the same load
 * tool the same way (50 connections), in ROUNDS rounds that take them in
 * turn, so that whatever else the machine is doing weighs on all of them
 * alike; each measured run lasts at least REDIRECT_SECONDS (default 10). The
 * tool is wrk (Debian's package) when installed, else autocannon
 * (REDIRECT_LOAD_TOOL picks one): on two cores, autocannon's JavaScript HTTP
 * parser takes most of a core, so it measures itself as much as the servers.
 * Requests come from 1,000 visitors (X-Forwarded-For behind the trusted
 * loopback proxy) with a browser's user agent and a referrer, so none is a
 * bot. After the rounds, each Cobrand server answers exactly 100,000 requests
 * on a second link with autocannon, which waits for every response, so each
 * is counted on this side. Then each Cobrand server gets SIGTERM, is started
 * again on the same database and stopped again, and the clicks on that link
 * in its database must equal the responses it gave (on the throughput link,
 * the database holds at least the responses the tool read).
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
import type { TrackingLink } from "#db/schema/index";
import { sql } from "drizzle-orm";
import type { DatabaseConfig } from "~/lib/config.server";
import { openDatabase, rowsOf } from "~/lib/db.server";
import { startBuiltServer, type StartedServer } from "../tests/support/built-server";
import { TEST_APP_SECRET } from "../tests/support/context";
import { BROWSER_UA, seedLinksDatabase } from "../tests/support/links";
import { benchPostgresDatabase, cpuMillis, loadAverage, machine, median, postgresBackendCpu, postgresCpuBetween } from "./support";

const CONNECTIONS = 50;
const SECONDS = Math.max(10, Number(process.env.REDIRECT_SECONDS ?? 10));
const ROUNDS = Math.max(1, Number(process.env.REDIRECT_ROUNDS ?? 3));
const WARM_UP_REQUESTS = 30_000;
/** Requests on the accounted link, each response counted. */
const ACCOUNTED_REQUESTS = 100_000;
/** wrk (C, from Debian) when installed: it reads a response for a fraction of autocannon's CPU, which otherwise takes a core of the two. */
const LOAD_TOOL: "wrk" | "autocannon" =
  process.env.REDIRECT_LOAD_TOOL === "autocannon" || (process.env.REDIRECT_LOAD_TOOL !== "wrk" && !hasWrk()) ? "autocannon" : "wrk";
const VISITORS = 1_000;
const BASE_PORT = Number(process.env.REDIRECT_BENCH_PORT ?? 3541);
const BUDGET = { ratio: 0.6, p99Ms: 10 };

function hasWrk(): boolean {
  return (process.env.PATH ?? "").split(":").some((dir) => fs.existsSync(path.join(dir, "wrk")));
}

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
  /** The same for the load tool: a longer answer costs it more to read. */
  clientCpuMicrosPerRequest: number;
  /** The same for the PostgreSQL backends serving the bench's database (null off PostgreSQL): the clicks' writes. */
  databaseCpuMicrosPerRequest: number | null;
  loadAverage: number;
};

/**
 * A server under test: where it listens, its process, the short link the
 * throughput runs follow, and what the load tool counted on it.
 */
type Target = {
  name: string;
  url: string;
  pid: number;
  path: string;
  rate: number;
  /** Responses the load tool read on the throughput link. */
  responses: number;
  failures: number;
  runs: Run[];
  postgresDatabase?: string;
};

/** What a load tool reports of one run. */
type LoadRun = { requests: number; seconds: number; p50Ms: number; p99Ms: number; failures: number; toolCpuMs: number };

/** The same requests for every server: one short link, a thousand visitors, a browser, a referrer. */
function visitorRequests(path: string): Request[] {
  return Array.from({ length: VISITORS }, (_, i) => ({
    method: "GET",
    path,
    headers: {
      "user-agent": BROWSER_UA,
      "x-forwarded-for": `198.51.${(i >> 8) & 255}.${i & 255}`,
      referer: "https://news.example/best-lamps-2026",
    },
  }));
}

/** Exactly `amount` requests from the thousand visitors (autocannon waits for every response). */
async function autocannonRun(url: string, path: string, amount: number): Promise<LoadRun> {
  const before = process.cpuUsage();
  const result: Result = await autocannon({ url, connections: CONNECTIONS, amount, timeout: 10, requests: visitorRequests(path) });
  const cpu = process.cpuUsage(before);
  return {
    requests: result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"],
    seconds: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.errors + result.timeouts + result["5xx"] + result["2xx"] + result["4xx"],
    toolCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

/**
 * wrk's script: the thousand visitors' requests, formatted once, sent in
 * turn; its summary printed as one JSON line (latencies in microseconds).
 */
const WRK_SCRIPT = `
local prepared = {}
local next_request = 0
init = function(args)
  for v = 0, ${VISITORS - 1} do
    prepared[v + 1] = wrk.format("GET", args[1], {
      ["User-Agent"] = "${BROWSER_UA}",
      ["X-Forwarded-For"] = string.format("198.51.%d.%d", math.floor(v / 256) % 256, v % 256),
      ["Referer"] = "https://news.example/best-lamps-2026",
    })
  end
end
request = function()
  next_request = next_request % ${VISITORS} + 1
  return prepared[next_request]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"micros":%d,"failures":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;

const wrkScriptFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-bench-wrk-")), "visitors.lua");
fs.writeFileSync(wrkScriptFile, WRK_SCRIPT);

/** CPU time (ms) of this process's children that have ended: wrk's, once it has exited. */
function endedChildrenCpuMillis(): number {
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

/** `seconds` of wrk (one thread, 50 connections) on `path`: non-3xx answers, socket errors and timeouts are failures. */
async function wrkRun(url: string, path: string, seconds: number): Promise<LoadRun> {
  const before = endedChildrenCpuMillis();
  const child = spawn("wrk", ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--timeout", "10s", "-s", wrkScriptFile, url, path], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const line = /^WRK_RESULT (\{.*\})$/m.exec(output);
  if (exitCode !== 0 || !line) throw new Error(`wrk failed (${exitCode}): ${output}`);
  const result = JSON.parse(line[1]!) as { requests: number; micros: number; failures: number; p50: number; p99: number };
  return {
    requests: result.requests,
    seconds: result.micros / 1e6,
    p50Ms: result.p50 / 1000,
    p99Ms: result.p99 / 1000,
    failures: result.failures,
    toolCpuMs: endedChildrenCpuMillis() - before,
  };
}

/** A run of the chosen tool: wrk for a time, or autocannon for about that time (an exact count sized from the last rate). */
async function drive(target: Target, seconds: number, attempt = 1): Promise<LoadRun> {
  if (LOAD_TOOL === "wrk") return wrkRun(target.url, target.path, seconds);
  const amount = target.rate ? Math.ceil(target.rate * seconds * (attempt === 1 ? 1.05 : 1.3)) : WARM_UP_REQUESTS;
  return autocannonRun(target.url, target.path, amount);
}

async function warmUp(target: Target): Promise<void> {
  const run = await drive(target, 3);
  target.responses += run.requests;
  target.rate = run.requests / run.seconds;
}

/** A measured run of at least SECONDS (autocannon's is sized from the last rate, and run again longer if it came out short). */
async function measure(target: Target): Promise<Run> {
  for (let attempt = 1; ; attempt++) {
    const cpuBefore = cpuMillis(target.pid);
    const databaseBefore = target.postgresDatabase ? postgresBackendCpu(target.postgresDatabase) : null;
    const result = await drive(target, SECONDS, attempt);
    const cpu = cpuMillis(target.pid) - cpuBefore;
    const databaseCpu = databaseBefore ? postgresCpuBetween(databaseBefore, postgresBackendCpu(target.postgresDatabase!)) : null;
    target.responses += result.requests;
    target.failures += result.failures;
    target.rate = result.requests / result.seconds;
    if (result.seconds >= SECONDS * 0.99 || attempt === 3) {
      const perRequest = (millis: number) => Math.round((millis * 1000 * 10) / result.requests) / 10;
      const run: Run = {
        requestsPerSecond: Math.round(target.rate),
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        seconds: Math.round(result.seconds * 10) / 10,
        serverCpuMicrosPerRequest: perRequest(cpu),
        clientCpuMicrosPerRequest: perRequest(result.toolCpuMs),
        databaseCpuMicrosPerRequest: databaseCpu === null ? null : perRequest(databaseCpu),
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

/** A Cobrand server, the link its throughput runs follow, and the link whose every response is counted. */
type Cobrand = {
  target: Target;
  server: StartedServer;
  storageDir: string;
  env: Record<string, string>;
  config: DatabaseConfig;
  throughputLink: TrackingLink;
  accountedLink: TrackingLink;
  accountedResponses: number;
  accountedFailures: number;
};

async function startCobrand(name: string, port: number, config: DatabaseConfig, links: TrackingLink[], env: Record<string, string>): Promise<Cobrand> {
  const storageDir = env.STORAGE_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-bench-redirect-"));
  const serverEnv = { ...env, PORT: String(port), APP_SECRET: TEST_APP_SECRET, TRUST_PROXY: "loopback" };
  // REDIRECT_PROFILE_DIR: each Cobrand server writes a V8 CPU profile there when stopped (what is left to shave per click).
  const profileDir = process.env.REDIRECT_PROFILE_DIR;
  const server = await startBuiltServer(storageDir, serverEnv, profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []);
  const postgresDatabase = config.kind === "postgres" ? new URL(config.url).pathname.slice(1) : undefined;
  const [throughputLink, accountedLink] = links as [TrackingLink, TrackingLink];
  const target: Target = {
    name,
    url: server.url,
    pid: server.child.pid!,
    path: `/l/${throughputLink.code}`,
    rate: 0,
    responses: 0,
    failures: 0,
    runs: [],
    postgresDatabase,
  };
  return { target, server, storageDir, env: serverEnv, config, throughputLink, accountedLink, accountedResponses: 0, accountedFailures: 0 };
}

/** Stops the server as a process manager would; says how it went. */
async function stop(server: StartedServer) {
  const signalledAt = Date.now();
  server.child.kill("SIGTERM");
  const exit = await server.exited;
  const flushedLine = /^\{.*"event":"clicks\.flushed".*\}$/m.exec(server.output());
  const flushed = flushedLine ? (JSON.parse(flushedLine[0]) as { pending: number; dropped: number; written: number; heldRedirects?: number }) : null;
  // Redirects the click queue held back while the database caught up (backpressure), and the longest such wait.
  const holds = [...server.output().matchAll(/^\{.*"event":"clicks\.backpressure".*\}$/gm)].map((line) => JSON.parse(line[0]) as { longestHoldMs: number });
  return {
    exitCode: exit.code,
    stopMs: exit.at - signalledAt,
    pendingAtStop: flushed?.pending ?? null,
    dropped: flushed?.dropped ?? null,
    redirectsHeld: flushed?.heldRedirects ?? null,
    longestHoldMs: holds.length ? Math.max(...holds.map((hold) => hold.longestHoldMs)) : 0,
  };
}

/** Clicks in the database (raw rows and the daily counts) on one link, and in all. */
async function countClicks(config: DatabaseConfig, linkId: string) {
  const database = await openDatabase(config, { migrate: false });
  try {
    const [row] = rowsOf<{ onLink: number; dailyOnLink: number; all: number; bots: number; visitors: number }>(
      await database.db.execute(sql`
        select (select count(*)::int from link_clicks where link_id = ${linkId}) as "onLink",
          (select coalesce(sum(clicks), 0)::int from link_click_daily where link_id = ${linkId}) as "dailyOnLink",
          (select count(*)::int from link_clicks) as "all",
          (select count(*)::int from link_clicks where is_bot) as bots,
          (select count(*)::int from link_daily_visitors) as visitors`),
    );
    return row!;
  } finally {
    await database.close();
  }
}

/**
 * Exactly ACCOUNTED_REQUESTS on the accounted link with autocannon, which
 * waits for every response: each one counted on this side. (wrk stops on the
 * clock and drops the requests then in flight, whose clicks the server may
 * already have queued, so its own count is a lower bound.)
 */
async function accountedRun(cobrand: Cobrand): Promise<void> {
  const run = await autocannonRun(cobrand.target.url, `/l/${cobrand.accountedLink.code}`, ACCOUNTED_REQUESTS);
  cobrand.accountedResponses += run.requests;
  cobrand.accountedFailures += run.failures;
}

/** SIGTERM, a restart on the same database, SIGTERM again; then the clicks it holds against the responses given. */
async function settle(cobrand: Cobrand) {
  const first = await stop(cobrand.server);
  const again = await startBuiltServer(cobrand.storageDir, cobrand.env);
  const second = await stop(again);
  const accounted = await countClicks(cobrand.config, cobrand.accountedLink.id);
  const throughput = await countClicks(cobrand.config, cobrand.throughputLink.id);
  return {
    accountedLink: {
      responsesGiven: cobrand.accountedResponses,
      clicksInDatabase: accounted.onLink,
      clicksInDailyCounts: accounted.dailyOnLink,
      clicksLost: cobrand.accountedResponses - accounted.onLink,
    },
    throughputLink: {
      responsesRead: cobrand.target.responses,
      clicksInDatabase: throughput.onLink,
      clicksInDailyCounts: throughput.dailyOnLink,
      // With wrk, the requests in flight when it stopped: answered and counted by the server, not read by the tool.
      clicksBeyondResponsesRead: throughput.onLink - cobrand.target.responses,
    },
    botClicks: accounted.bots,
    uniqueVisitorsToday: accounted.visitors,
    shutdown: { first, second },
  };
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
    cobrands.push(await startCobrand("cobrand-postgresql", BASE_PORT, config, await seedLinksDatabase(config, 2), { DATABASE_URL: pg.url }));
  } else {
    console.error("TEST_DATABASE_URL is not set: measuring PGlite only (the budget is judged on PostgreSQL).");
  }
  const pgliteLinks = await seedLinksDatabase(pgliteConfig, 2);
  cobrands.push(await startCobrand("cobrand-pglite", BASE_PORT + 2, pgliteConfig, pgliteLinks, { STORAGE_DIR: pgliteDir }));

  // The baseline answers the same path with the same destination.
  const baselinePath = cobrands[0]!.target.path;
  bareChild = await startBareServer(BASE_PORT + 1, baselinePath.slice("/l/".length), pgliteLinks[0]!.destinationUrl);
  const bare: Target = {
    name: "bare-node-http",
    url: `http://127.0.0.1:${BASE_PORT + 1}`,
    pid: bareChild.pid!,
    path: baselinePath,
    rate: 0,
    responses: 0,
    failures: 0,
    runs: [],
  };
  const targets = [bare, ...cobrands.map((c) => c.target)];

  for (const target of targets) await warmUp(target);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const target of targets) {
      const run = await measure(target);
      console.error(
        `round ${round} ${target.name.padEnd(20)} ${String(run.requestsPerSecond).padStart(6)} req/s  p50 ${run.p50Ms} ms  p99 ${run.p99Ms} ms  ` +
          `server ${run.serverCpuMicrosPerRequest} µs/req  client ${run.clientCpuMicrosPerRequest} µs/req  ` +
          `${run.databaseCpuMicrosPerRequest === null ? "" : `database ${run.databaseCpuMicrosPerRequest} µs/req  `}load ${run.loadAverage}`,
      );
    }
  }
  bareChild.kill("SIGTERM");
  bareChild = null;
  for (const cobrand of cobrands) await accountedRun(cobrand);

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
      clicks.accountedLink.clicksLost === 0 &&
      clicks.throughputLink.clicksBeyondResponsesRead >= 0 &&
      cobrand.target.failures === 0 &&
      cobrand.accountedFailures === 0 &&
      clicks.shutdown.first.exitCode === 0 &&
      clicks.shutdown.first.dropped === 0;
    results.push({ server: cobrand.target.name, ...measured, ratio, failedRequests: cobrand.target.failures + cobrand.accountedFailures, clicks, pass });
  }
  report = {
    bench: "redirect",
    date: started.toISOString(),
    machine: machine(),
    loadTool: LOAD_TOOL,
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
