/**
 * Where the domain reads the time. Rules about expiry, windows and deadlines
 * are judged by the context's clock, never by `new Date()`, so a test moves
 * time by moving the clock instead of sleeping, faking the global Date or
 * backdating rows.
 */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/**
 * Real time shifted by an offset a caller can change: what tests use to stand
 * an hour or a week ahead while timers and the database keep running.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  /** Stands `ms` ahead of (or, negative, behind) real time. */
  setOffset(ms: number): void {
    this.offsetMs = ms;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}
