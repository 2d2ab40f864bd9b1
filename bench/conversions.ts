/**
 * Budget (issue 16 §10): 1,000 conversions a second posted to
 * `POST /api/v1/conversions` with 20 connections on PostgreSQL, without an
 * error; every conversion counted once.
 *
 * The built server (build/server.js, as `npm start` runs it) on a database of
 * its own: a partner on a 10 % revenue share with one link, CLICKS clicks on
 * it made over the last day, a coupon code of the partner's and an API key
 * with the conversions:write scope (the per-key limit raised out of the
 * way). autocannon posts from this process at 20 connections, each request a
 * new order built as it is sent: half carry the click id of a seeded click,
 * a fifth the coupon code, the rest neither (unattributed); a quarter have
 * metadata. A warm-up, then a run of at least CONVERSIONS_SECONDS (default
 * 10) sized from the warm-up's rate (exactly that many requests, so every
 * response is counted here), then REPEAT_SECONDS of retries of orders
 * already recorded, each with its first body, all of which must answer 200.
 * Then the server is stopped and the database must hold exactly one
 * conversion per 201, and the daily rollup exactly the attributed ones
 * (conversions, revenue and commission).
 *
 * Besides req/s and latency, the CPU time per request of the server's
 * process and of the PostgreSQL backends serving the bench's database (from
 * /proc, so the machine's other work hardly moves it).
 *
 *   npm run build && TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/db npx tsx bench/conversions.ts
 *
 * TEST_DATABASE_URL is the server the bench's own database is created on
 * (and dropped from at the end). PGlite is measured in the same run unless
 * CONVERSIONS_PGLITE=0. CONVERSIONS_CPU_PROF=<dir> writes a CPU profile of
 * each server into <dir> (node --cpu-prof). Ports: CONVERSIONS_BENCH_PORT
 * (default 3561) and the next one.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon, { type Request, type Result } from "autocannon";
import { sql } from "drizzle-orm";
import { createApiKey } from "~/domain/api-keys/keys.server";
import type { AttributedBy } from "~/domain/conversions/catalog";
import { createCoupon } from "~/domain/conversions/coupons.server";
import type { DatabaseConfig } from "~/lib/config.server";
import { openDatabase, rowsOf } from "~/lib/db.server";
import { startBuiltServer, type StartedServer } from "../tests/support/built-server";
import { createPartnerOrg, createTestContext, createUser, TEST_APP_SECRET } from "../tests/support/context";
import { linkOf, recordedClicks } from "../tests/support/conversions";
import { benchPostgresDatabase, cpuMillis, loadAverage, machine, postgresBackendCpu, postgresCpuBetween } from "./support";

const CONNECTIONS = 20;
const SECONDS = Math.max(10, Number(process.env.CONVERSIONS_SECONDS ?? 10));
const REPEAT_SECONDS = 5;
const WARM_UP_POSTS = 2_000;
const CLICKS = 5_000;
const BASE_PORT = Number(process.env.CONVERSIONS_BENCH_PORT ?? 3561);
const CPU_PROFILE_DIR = process.env.CONVERSIONS_CPU_PROF ? path.resolve(process.env.CONVERSIONS_CPU_PROF) : null;
const BUDGET = { conversionsPerSecond: 1_000 };
const DAY_MS = 86_400_000;
const COUPON_CODE = "BENCHLAMPS10";

if (!fs.existsSync(path.resolve("build/server.js"))) {
  console.error("No build found: run `npm run build` first.");
  process.exit(2);
}

/** What the bench posts against: the key's secret and the click ids to attribute to. */
type Program = { secret: string; clickIds: string[] };

/**
 * Migrates the database, makes the program (an admin, a partner on a 10 %
 * revenue share with one link, its clicks over the last day, a coupon code,
 * an API key) and closes it again, for a server process to serve.
 */
async function seedConversionDatabase(config: DatabaseConfig): Promise<Program> {
  const database = await openDatabase(config);
  try {
    const app = createTestContext(database.db);
    const admin = await createUser(app.db, { role: "admin", name: "Bench Admin" });
    const actor = { id: admin.id, label: admin.email };
    const partner = await createPartnerOrg(app.db, "Bench Lamps Blog", { status: "active", commercialModel: "revenue_share", rateBasisPoints: 1_000 });
    const link = await linkOf(app.db, partner);
    // Up to a minute ago: every order posted from now on is within the 30-day window of its click.
    const lastClick = Date.now() - 60_000;
    const times = Array.from({ length: CLICKS }, (_, i) => new Date(lastClick - Math.floor(((CLICKS - 1 - i) / CLICKS) * DAY_MS)));
    const clickIds = await recordedClicks(app.db, link, times);
    await createCoupon(app, actor, partner.id, { code: COUPON_CODE, expiresOn: null });
    const { secret } = await createApiKey(app, actor, { name: "Bench shop checkout", scopes: ["conversions:write"], expiresOn: null });
    return { secret, clickIds };
  } finally {
    await database.close();
  }
}

/** What one server answered, over every phase: what the database must hold afterwards. */
type Tally = {
  created: number;
  repeated: number;
  failed: number;
  byAttribution: Record<AttributedBy, number>;
  failureSamples: string[];
};

// Read from the answer with a pattern, not JSON.parse: the load tool shares the machine with the server.
const ORDER_ID_FIELD = /"orderId":"([^"]+)"/;
const ATTRIBUTED_BY_FIELD = /"attributedBy":"(click|coupon|none)"/;

/**
 * Orders as the shop's checkout posts them, each made as its request is sent,
 * and every answer tallied. Remembers each body sent by order id, and which
 * orders were created, so the retries send exactly the first body again.
 */
class Shop {
  private sequence = 0;
  private repeatCursor = 0;
  private readonly sent = new Map<string, string>();
  readonly createdOrderIds: string[] = [];
  readonly tally: Tally = { created: 0, repeated: 0, failed: 0, byAttribution: { click: 0, coupon: 0, none: 0 }, failureSamples: [] };
  private readonly headers: Record<string, string>;

  constructor(
    private readonly program: Program,
    private readonly runId: string,
  ) {
    this.headers = { authorization: `Bearer ${program.secret}`, "content-type": "application/json" };
  }

  /** A new order: half with a click id, a fifth with the coupon code, the rest with neither; a quarter with metadata. */
  private newOrder(): string {
    const i = this.sequence++;
    const share = i % 10;
    const order: Record<string, unknown> = {
      orderId: `BENCH-${this.runId}-${i}`,
      amount: 1_000 + ((i * 7_919) % 49_000),
      currency: "USD",
      occurredAt: new Date().toISOString(),
      customerId: `customer-${i % 7_000}`,
    };
    if (share % 2 === 0) order.clickId = this.program.clickIds[(i >> 1) % this.program.clickIds.length];
    else if (share === 1 || share === 7) order.couponCode = COUPON_CODE;
    if (i % 4 === 3) order.metadata = { cart: [{ sku: "LUMEN-DESK", quantity: 1 + (i % 3) }], channel: "web" };
    const body = JSON.stringify(order);
    this.sent.set(order.orderId as string, body);
    return body;
  }

  /** The next recorded order again, with its first body. */
  private repeatOrder(): string {
    const orderId = this.createdOrderIds[this.repeatCursor++ % this.createdOrderIds.length]!;
    return this.sent.get(orderId)!;
  }

  private answered(status: number, body: string): void {
    if (status === 201) {
      this.tally.created++;
      this.createdOrderIds.push(ORDER_ID_FIELD.exec(body)![1]!);
      this.tally.byAttribution[ATTRIBUTED_BY_FIELD.exec(body)![1] as AttributedBy]++;
    } else if (status === 200) {
      this.tally.repeated++;
    } else {
      this.tally.failed++;
      if (this.tally.failureSamples.length < 5) this.tally.failureSamples.push(`${status} ${body.slice(0, 500)}`);
    }
  }

  requests(kind: "new" | "repeat"): Request[] {
    return [
      {
        method: "POST",
        path: "/api/v1/conversions",
        headers: this.headers,
        setupRequest: (request) => ({ ...request, body: kind === "new" ? this.newOrder() : this.repeatOrder() }),
        onResponse: (status, body) => this.answered(status, body),
      },
    ];
  }
}

/** One phase against one server, with what it cost the server and the database. */
type Run = {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  seconds: number;
  non2xx: number;
  errors: number;
  serverCpuMicrosPerRequest: number;
  postgresCpuMicrosPerRequest: number | null;
  clientCpuMicrosPerRequest: number;
  loadAverage: { min: number; max: number };
};

type Target = { name: string; server: StartedServer; pid: number; config: DatabaseConfig; postgresName: string | null; shop: Shop; rate: number };

/** Exactly `amount` requests (autocannon waits for every response), measured. */
async function run(target: Target, kind: "new" | "repeat", amount: number): Promise<Run> {
  const cpuBefore = cpuMillis(target.pid);
  const postgresBefore = target.postgresName ? postgresBackendCpu(target.postgresName) : null;
  const clientBefore = process.cpuUsage();
  const loads: number[] = [loadAverage()];
  const sampler = setInterval(() => loads.push(loadAverage()), 1_000);
  let result: Result;
  try {
    result = await autocannon({ url: target.server.url, connections: CONNECTIONS, amount, timeout: 10, requests: target.shop.requests(kind) });
  } finally {
    clearInterval(sampler);
  }
  const total = result.requests.total;
  const perRequest = (millis: number) => Math.round((millis * 1000 * 10) / total) / 10;
  const client = process.cpuUsage(clientBefore);
  return {
    requests: total,
    requestsPerSecond: Math.round(total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    seconds: Math.round(result.duration * 10) / 10,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    serverCpuMicrosPerRequest: perRequest(cpuMillis(target.pid) - cpuBefore),
    postgresCpuMicrosPerRequest: postgresBefore ? perRequest(postgresCpuBetween(postgresBefore, postgresBackendCpu(target.postgresName!))) : null,
    clientCpuMicrosPerRequest: perRequest((client.user + client.system) / 1000),
    loadAverage: { min: Math.min(...loads, loadAverage()), max: Math.max(...loads, loadAverage()) },
  };
}

const summaryLine = (name: string, label: string, r: Run) =>
  `${name.padEnd(18)} ${label.padEnd(8)} ${String(r.requests).padStart(6)} requests in ${r.seconds} s: ${String(r.requestsPerSecond).padStart(5)} req/s  ` +
  `p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  non-2xx ${r.non2xx}  errors ${r.errors}  server ${r.serverCpuMicrosPerRequest} µs/req` +
  (r.postgresCpuMicrosPerRequest !== null ? `  postgres ${r.postgresCpuMicrosPerRequest} µs/req` : "") +
  `  client ${r.clientCpuMicrosPerRequest} µs/req  load ${r.loadAverage.min}–${r.loadAverage.max}`;

/** New orders for at least SECONDS: sized from the last rate, run again (longer, new orders too) if it came out short. */
async function measure(target: Target): Promise<Run> {
  for (let attempt = 1; ; attempt++) {
    const measured = await run(target, "new", Math.ceil(target.rate * SECONDS * (attempt === 1 ? 1.1 : 1.3)));
    target.rate = measured.requestsPerSecond;
    console.error(summaryLine(target.name, "new", measured));
    if (measured.seconds >= SECONDS || attempt === 3) return measured;
  }
}

/** What the database holds once the server has stopped: conversions by attribution, and the rollup's sums against the attributed rows. */
async function countConversions(config: DatabaseConfig) {
  const database = await openDatabase(config, { migrate: false });
  try {
    const [row] = rowsOf<Record<string, number>>(
      await database.db.execute(sql`
        select
          (select count(*)::int from conversions) as conversions,
          (select count(*)::int from conversions where attributed_by = 'click') as by_click,
          (select count(*)::int from conversions where attributed_by = 'coupon') as by_coupon,
          (select count(*)::int from conversions where attributed_by = 'none') as unattributed,
          (select count(*)::int from conversions where not is_test and organisation_id is not null) as attributed,
          (select coalesce(sum(amount_minor), 0)::bigint from conversions where not is_test and organisation_id is not null) as attributed_revenue,
          (select coalesce(sum(commission_minor), 0)::bigint from conversions where not is_test and organisation_id is not null) as attributed_commission,
          (select coalesce(sum(conversions), 0)::int from conversion_daily) as rollup_conversions,
          (select coalesce(sum(revenue_minor), 0)::bigint from conversion_daily) as rollup_revenue,
          (select coalesce(sum(commission_minor), 0)::bigint from conversion_daily) as rollup_commission`),
    );
    const n = Object.fromEntries(Object.entries(row!).map(([key, value]) => [key, Number(value)]));
    return {
      conversions: n.conversions!,
      byAttribution: { click: n.by_click!, coupon: n.by_coupon!, none: n.unattributed! },
      attributed: { conversions: n.attributed!, revenueMinor: n.attributed_revenue!, commissionMinor: n.attributed_commission! },
      rollup: { conversions: n.rollup_conversions!, revenueMinor: n.rollup_revenue!, commissionMinor: n.rollup_commission! },
    };
  } finally {
    await database.close();
  }
}

async function startTarget(name: string, port: number, config: DatabaseConfig, postgresName: string | null, env: Record<string, string>): Promise<Target> {
  const program = await seedConversionDatabase(config);
  const storageDir = env.STORAGE_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-bench-conversions-"));
  const server = await startBuiltServer(
    storageDir,
    {
      ...env,
      PORT: String(port),
      APP_SECRET: TEST_APP_SECRET,
      // The per-key limit (6,000 a minute by default) would refuse most of the run: raised to its ceiling.
      API_RATE_LIMIT_PER_MINUTE: "10000000",
    },
    CPU_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${CPU_PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [],
  );
  return { name, server, pid: server.child.pid!, config, postgresName, shop: new Shop(program, crypto.randomBytes(3).toString("hex")), rate: 0 };
}

/** Warm-up, the measured run, the retries; the server stopped; the database checked against the answers. */
async function bench(target: Target) {
  const warmUp = await run(target, "new", WARM_UP_POSTS);
  target.rate = warmUp.requestsPerSecond;
  console.error(summaryLine(target.name, "warm-up", warmUp));
  const measured = await measure(target);
  const repeats = await run(target, "repeat", Math.min(target.shop.createdOrderIds.length, Math.ceil(measured.requestsPerSecond * REPEAT_SECONDS * 1.5)));
  console.error(summaryLine(target.name, "repeat", repeats));

  const signalledAt = Date.now();
  target.server.child.kill("SIGTERM");
  const exit = await target.server.exited;
  const held = await countConversions(target.config);
  const { tally } = target.shop;
  const checks = {
    // Every phase's new orders: warm-up, measured, and any run that came out short.
    conversionsEqualCreated: held.conversions === tally.created,
    attributionEqualsAnswers: JSON.stringify(held.byAttribution) === JSON.stringify(tally.byAttribution),
    rollupEqualsAttributed: JSON.stringify(held.rollup) === JSON.stringify(held.attributed),
    repeatsAll200: repeats.non2xx === 0 && repeats.errors === 0 && tally.repeated === repeats.requests,
    noFailure: tally.failed === 0 && warmUp.errors === 0 && measured.errors === 0 && measured.non2xx === 0,
  };
  return {
    server: target.name,
    warmUp,
    measured,
    repeats,
    answers: tally,
    database: held,
    checks,
    shutdown: { exitCode: exit.code, stopMs: exit.at - signalledAt },
    pass: Object.values(checks).every(Boolean) && measured.requestsPerSecond >= BUDGET.conversionsPerSecond,
  };
}

const started = new Date();
const results = [];
let pg: Awaited<ReturnType<typeof benchPostgresDatabase>> = null;
const running: Target[] = [];
try {
  pg = await benchPostgresDatabase();
  if (pg) {
    const config: DatabaseConfig = { kind: "postgres", url: pg.url };
    running.push(await startTarget("cobrand-postgresql", BASE_PORT, config, pg.name, { DATABASE_URL: pg.url }));
    results.push(await bench(running.at(-1)!));
  } else {
    console.error("TEST_DATABASE_URL is not set: measuring PGlite only (the budget is judged on PostgreSQL).");
  }
  if (process.env.CONVERSIONS_PGLITE !== "0") {
    const pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-bench-pglite-"));
    const config: DatabaseConfig = { kind: "pglite", dir: path.join(pgliteDir, "db") };
    running.push(await startTarget("cobrand-pglite", BASE_PORT + 1, config, null, { STORAGE_DIR: pgliteDir }));
    results.push(await bench(running.at(-1)!));
  }
} finally {
  for (const target of running) if (target.server.child.exitCode === null) target.server.child.kill("SIGTERM");
  await pg?.drop();
}
console.log(
  JSON.stringify(
    {
      bench: "conversions",
      date: started.toISOString(),
      machine: machine(),
      connections: CONNECTIONS,
      secondsPerRun: SECONDS,
      seededClicks: CLICKS,
      results,
      budget: { ...BUDGET, judgedOn: "cobrand-postgresql" },
    },
    null,
    2,
  ),
);
