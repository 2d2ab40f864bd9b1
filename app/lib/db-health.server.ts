import { sql } from "drizzle-orm";
import type { Db } from "./db.server";
import type { Logger } from "./log.server";

export type DatabaseHealthOptions = {
  /** A probe that has not answered in this long counts as a failure (a database behind a dead network never refuses). */
  probeTimeoutMs: number;
  /** While the database is unreachable, how often it is tried again: the bound on how long recovery takes to notice. */
  retryMs: number;
};

export const DEFAULT_DATABASE_HEALTH_OPTIONS: DatabaseHealthOptions = { probeTimeoutMs: 2_000, retryMs: 500 };

/**
 * Whether the database answers, as the HTTP layer needs to know it: a page
 * that failed while the database is unreachable is answered 503 with a retry
 * hint rather than the 500 of a bug, and while it stays unreachable requests
 * get that 503 at once instead of each waiting on the pool. Nothing probes a
 * healthy database: a failed response asks (`confirm`), and only while the
 * database is down does a timer try again, every `retryMs`, until it answers.
 */
export class DatabaseHealth {
  private unreachableSince: number | null = null;
  private probing: Promise<boolean> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: DatabaseHealthOptions = DEFAULT_DATABASE_HEALTH_OPTIONS,
  ) {}

  /** False from a failed probe until a probe answers again. */
  get reachable(): boolean {
    return this.unreachableSince === null;
  }

  /** Asks the database now (one probe at a time, shared); resolves whether it answered. */
  confirm(): Promise<boolean> {
    this.probing ??= this.probe().finally(() => (this.probing = null));
    return this.probing;
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
  }

  private async probe(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${this.options.probeTimeoutMs} ms`)), this.options.probeTimeoutMs);
    });
    try {
      await Promise.race([this.db.execute(sql`select 1`), timeout]);
      if (this.unreachableSince !== null) {
        this.log.info("database.reachable", { unreachableMs: Date.now() - this.unreachableSince });
        this.unreachableSince = null;
      }
      return true;
    } catch (error) {
      if (this.unreachableSince === null) {
        this.unreachableSince = Date.now();
        this.log.error("database.unreachable", { error: String(error) });
      }
      this.scheduleRetry();
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.confirm();
    }, this.options.retryMs);
    this.retry.unref();
  }
}
