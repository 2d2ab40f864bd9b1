import type { AppContext } from "~/lib/context.server";
import { Poller } from "~/lib/poller.server";
import { programCurrency } from "../conversions/stats.server";
import { performanceCacheEntry } from "./performance.server";
import { parseReportRange } from "./range.server";
import { trustCacheEntry } from "./trust.server";

// The program-wide reports are worked out from the rollups in 0.1 to 1 s at a
// million clicks and more (bench/README.md, "report-cold"), and kept a few
// minutes for everyone (decision 023). So that nobody waits for that
// computation, not the first reader of the morning nor the first after a
// restart, a background job keeps the reports people open ready: the
// default view of Performance and Brand & trust (the last 30 days against
// the 30 before, which is what "Reports" opens on), and any other range read
// in the last two hours. Each is worked out again every five minutes at most,
// one after the other; an install nobody reads costs two computations per
// interval (decision 032).

/** How long the job waits after each run (about the oldest figures a reader of a kept report is shown, with their time, while they are worked out again). */
export const REPORT_WARM_INTERVAL_MS = 5 * 60_000;

/** A range someone read this recently is kept ready; after that only the default views are. */
export const REPORT_KEEP_WARM_MS = 2 * 60 * 60_000;

export type ReportWarmth = { warmed: number; refreshed: number };

/** Works out the default views if they are missing or past their TTL, then every range read lately that is. */
export async function warmReports(ctx: Pick<AppContext, "db" | "clock" | "reportCache">): Promise<ReportWarmth> {
  const now = ctx.clock.now();
  const parsed = parseReportRange(new URLSearchParams(), now);
  // The address without a range is the default view; it always parses.
  if (!parsed.ok) throw new Error(parsed.message);
  const currency = await programCurrency(ctx.db);
  let warmed = 0;
  for (const entry of [performanceCacheEntry(ctx.db, parsed.range, currency), trustCacheEntry(ctx.db, parsed.range)]) {
    if (await ctx.reportCache.warm(entry.key, now, entry.load)) warmed++;
  }
  const refreshed = await ctx.reportCache.refreshInUse(now, new Date(now.getTime() - REPORT_KEEP_WARM_MS));
  return { warmed, refreshed };
}

/**
 * The job on each instance (decision 032): a first run shortly after start,
 * so the first reader after a restart does not wait, then one every
 * interval; never two at once, and stopping waits for a run under way, so it
 * does not outlive the database.
 */
export class ReportWarmer extends Poller {
  constructor(private readonly ctx: Pick<AppContext, "db" | "clock" | "reportCache" | "log">) {
    super({ name: "reports.warm", pollMs: REPORT_WARM_INTERVAL_MS, log: ctx.log });
  }

  async runOnce(): Promise<number> {
    const started = Date.now();
    const warmth = await warmReports(this.ctx);
    if (warmth.warmed || warmth.refreshed) this.ctx.log.info("reports.warmed", { ...warmth, ms: Date.now() - started });
    return warmth.warmed + warmth.refreshed;
  }
}
