/**
 * What the program-wide reports cost when they are worked out rather than read
 * from the report cache (the pages keep a computed report for
 * REPORT_CACHE_TTL_MS): what the first reader after expiry waits for, on the
 * bench dataset. Each computation goes through the pages' own cached entry
 * points with an empty cache.
 *
 *   BENCH_DATABASE_URL=… npx tsx bench/report-cold.ts
 *
 * For each report and range preset (compared with the period before), RUNS
 * computations one after another: p50 and max in ms, with PostgreSQL's CPU
 * per computation.
 */
import { openDatabase } from "../app/lib/db.server";
import { systemClock } from "../app/lib/clock";
import { KeyedTtlCache } from "../app/lib/ttl-cache";
import { cachedPerformanceSnapshot } from "../app/domain/reports/performance.server";
import { parseReportRange } from "../app/domain/reports/range.server";
import { cachedTrustReport } from "../app/domain/reports/trust.server";
import { loadAverage, machine, postgresBackendCpu, postgresCpuBetween } from "./support";

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error("Set BENCH_DATABASE_URL (bench/seed.ts prints it).");
const RUNS = Number(process.env.RUNS ?? 10);
const databaseName = new URL(url).pathname.slice(1);
const { db, close } = await openDatabase({ kind: "postgres", url }, { migrate: false });
const now = new Date();
const coldly = () => ({ db, clock: systemClock, reportCache: new KeyedTtlCache(1) });
const REPORTS = {
  performance: (range: Parameters<typeof cachedPerformanceSnapshot>[1]) => cachedPerformanceSnapshot(coldly(), range, "USD"),
  trust: (range: Parameters<typeof cachedTrustReport>[1]) => cachedTrustReport(coldly(), range),
};
const results = [];
for (const [report, compute] of Object.entries(REPORTS)) {
  for (const preset of ["7d", "30d", "90d"]) {
    const parsed = parseReportRange(new URLSearchParams({ range: preset }), now);
    if (!parsed.ok) throw new Error(parsed.message);
    await compute(parsed.range);
    const times: number[] = [];
    const cpuBefore = postgresBackendCpu(databaseName);
    const loadBefore = loadAverage();
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await compute(parsed.range);
      times.push(performance.now() - started);
    }
    const postgresMs = postgresCpuBetween(cpuBefore, postgresBackendCpu(databaseName)) / RUNS;
    times.sort((a, b) => a - b);
    results.push({
      report,
      range: preset,
      p50: Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10,
      max: Math.round(times[RUNS - 1]! * 10) / 10,
      postgresCpuMs: Math.round(postgresMs * 10) / 10,
      load: `${loadBefore}–${loadAverage()}`,
    });
  }
}
console.log(JSON.stringify({ bench: "report-cold", machine: machine(), runs: RUNS, results }, null, 2));
await close();
