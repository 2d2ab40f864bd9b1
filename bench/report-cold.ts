/**
 * What the Performance report costs when it is worked out, not read from the
 * report cache (the page keeps a computed report for REPORT_CACHE_TTL_MS):
 * the cold cost the first reader after expiry waits for, on the bench dataset.
 *
 *   BENCH_DATABASE_URL=… npx tsx bench/report-cold.ts
 *
 * For each range preset, RUNS computations one after another: p50 and max in
 * ms, with PostgreSQL's CPU per computation.
 */
import { openDatabase } from "../app/lib/db.server";
import { performanceSnapshot } from "../app/domain/reports/performance.server";
import { parseReportRange } from "../app/domain/reports/range.server";
import { WHOLE_PROGRAM } from "../app/domain/reports/scope.server";
import { loadAverage, machine, postgresBackendCpu, postgresCpuBetween } from "./support";

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error("Set BENCH_DATABASE_URL (bench/seed.ts prints it).");
const RUNS = Number(process.env.RUNS ?? 10);
const databaseName = new URL(url).pathname.slice(1);
const { db, close } = await openDatabase({ kind: "postgres", url }, { migrate: false });
const now = new Date();
const results = [];
for (const preset of ["7d", "30d", "90d"]) {
  const parsed = parseReportRange(new URLSearchParams({ range: preset }), now);
  if (!parsed.ok) throw new Error(parsed.message);
  await performanceSnapshot(db, WHOLE_PROGRAM, parsed.range, "USD", now);
  const times: number[] = [];
  const cpuBefore = postgresBackendCpu(databaseName);
  const loadBefore = loadAverage();
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await performanceSnapshot(db, WHOLE_PROGRAM, parsed.range, "USD", now);
    times.push(performance.now() - started);
  }
  const postgresMs = postgresCpuBetween(cpuBefore, postgresBackendCpu(databaseName)) / RUNS;
  times.sort((a, b) => a - b);
  results.push({
    range: preset,
    compared: true,
    p50: Math.round(times[Math.floor(RUNS / 2)]! * 10) / 10,
    max: Math.round(times[RUNS - 1]! * 10) / 10,
    postgresCpuMs: Math.round(postgresMs * 10) / 10,
    load: `${loadBefore}–${loadAverage()}`,
  });
}
console.log(JSON.stringify({ bench: "report-cold", machine: machine(), runs: RUNS, results }, null, 2));
await close();
