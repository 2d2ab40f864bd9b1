/**
 * What the first reader of the program-wide reports waits for after a
 * restart (decision 032): the server works the default views out in the
 * background ten seconds after it starts, so their first reader finds them
 * ready; a range nobody has read is worked out while its reader waits.
 *
 *   npm run build
 *   BENCH_DATABASE_URL=… npx tsx bench/report-first-view.ts
 *
 * For each of RUNS restarts of the built server on the bench database: waits
 * for its first warming ("reports.warmed" in its log, with how long it took),
 * signs the admin in through the login form, then times the first view of
 * the account page (what any first view costs a new process), of
 * Performance and Brand & trust as "Reports" opens on them, and of
 * Performance over the last 7 days, which nobody has read.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startBuiltServer, waitForOutput } from "../tests/support/built-server";
import { TEST_APP_SECRET } from "../tests/support/context";
import { STAFF } from "./dataset";
import { loadAverage, machine, signInThroughForm, timed } from "./support";

const DATABASE_URL = process.env.BENCH_DATABASE_URL;
if (!DATABASE_URL) throw new Error("Set BENCH_DATABASE_URL (bench/seed.ts prints it).");
if (!fs.existsSync(path.resolve("build/server.js"))) throw new Error("No build found: run `npm run build` first.");
const RUNS = Number(process.env.RUNS ?? 3);

// In this order, each the process's first view of its page: a new process's first answers cost more (code loaded and
// compiled on first use), which the account page, with no data of its own, shows; the default view is then read again.
const VIEWS = [
  { name: "account (baseline)", path: "/account" },
  { name: "performance, default view (warmed)", path: "/admin/reports" },
  { name: "performance, default view, again", path: "/admin/reports" },
  { name: "brand & trust, default view (warmed)", path: "/admin/reports/trust" },
  { name: "performance, last 7 days (never read)", path: "/admin/reports?range=7d" },
];

const runs = [];
for (let run = 0; run < RUNS; run++) {
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-bench-first-view-"));
  const server = await startBuiltServer(storageDir, { DATABASE_URL, APP_SECRET: TEST_APP_SECRET, TRUST_PROXY: "loopback" });
  try {
    const started = Date.now();
    await waitForOutput(server, '"event":"reports.warmed"');
    const warmedAfterMs = Date.now() - started;
    const warmLine = server
      .output()
      .split("\n")
      .find((line) => line.includes('"event":"reports.warmed"'));
    const cookie = await signInThroughForm(server.url, STAFF.admin, `198.51.100.${10 + run}`);
    const firstViewMs: Record<string, number> = {};
    for (const view of VIEWS) {
      firstViewMs[view.name] =
        Math.round((await timed(`${server.url}${view.path}`, { Cookie: cookie, "X-Forwarded-For": `198.51.100.${10 + run}` })) * 10) / 10;
    }
    runs.push({ run: run + 1, warmedAfterMs, warmLine: warmLine ? JSON.parse(warmLine) : null, firstViewMs, load: loadAverage() });
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
    fs.rmSync(storageDir, { recursive: true, force: true });
  }
}
console.log(JSON.stringify({ bench: "report-first-view", machine: machine(), runs }, null, 2));
