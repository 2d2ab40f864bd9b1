import type { Logger } from "./log.server";

/**
 * A background loop: `runOnce` at start (or after a first delay), then again
 * `pollMs` after each pass ends, until stopped. The outbox, the webhook
 * worker and the report warmer are each one. The first two claim their rows
 * in each pass (FOR UPDATE SKIP LOCKED), so any number of instances poll at
 * once; the warmer fills its own instance's cache.
 */
export abstract class Poller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;
  private started = false;

  protected constructor(private readonly poller: { name: string; pollMs: number; log: Logger }) {}

  /** One pass; returns how many rows it handled. */
  abstract runOnce(): Promise<number>;

  /** What a started worker does once its last pass has ended (the outbox sends what is already due). */
  protected async afterStop(): Promise<void> {}

  /** Starts polling: the first pass after `firstPassAfterMs` (at once unless said), the next `pollMs` after each ends. */
  start(firstPassAfterMs = 0): void {
    this.started = true;
    this.stopped = false;
    this.schedule(firstPassAfterMs);
  }

  /** Stops polling and waits for the pass in flight, then runs afterStop. A worker that was never started (a CLI command) does nothing. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) await this.running.catch(() => 0);
    await this.afterStop();
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce();
      this.running
        .catch((error: unknown) => this.poller.log.error(`${this.poller.name}.poll_failed`, { error: String(error) }))
        .finally(() => {
          this.running = null;
          this.schedule(this.poller.pollMs);
        });
    }, delay);
    this.timer.unref();
  }
}
