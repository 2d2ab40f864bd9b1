/**
 * One value kept in this process for a short time. Several instances may
 * share a database, so a change made elsewhere shows here within `ttlMs`; a
 * change made here calls `forget` and shows at once. A failed load is not kept.
 */
export class TtlCache<T> {
  private entry: { value: Promise<T>; expiresAt: number } | null = null;

  constructor(private readonly ttlMs: number) {}

  get(load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    if (this.entry && this.entry.expiresAt > now) return this.entry.value;
    const value = load();
    const entry = { value, expiresAt: now + this.ttlMs };
    this.entry = entry;
    value.catch(() => {
      if (this.entry === entry) this.entry = null;
    });
    return value;
  }

  forget(): void {
    this.entry = null;
  }
}

/**
 * Values kept in this process for a short time under a key, at most
 * `maxEntries` of them (the oldest go first). Asked again while a value is
 * being loaded, it hands out the same promise: a report that many people open
 * at once is computed once. Time comes from the caller (the context's clock),
 * so tests move it rather than wait; a load is told the moment it loads for.
 * A failed load is not kept.
 *
 * With `serveStaleForMs`, a value past its TTL but younger than that is
 * handed out at once while a fresh one loads in the background (one load,
 * whoever asks meanwhile): a report read every few minutes makes nobody wait
 * for it after its first computation, and the value says when it was loaded.
 * A failed refresh keeps the old value, and the next reader tries again.
 *
 * A background job can keep values ready before anyone asks: `warm` loads a
 * key that is missing or past its TTL, and `refreshInUse` loads again, with
 * the load each was first asked with, the values someone read lately.
 */
type Load = (at: Date) => Promise<unknown>;

type KeyedEntry = {
  value: Promise<unknown>;
  expiresAt: number;
  loadedAt: Date;
  settled: boolean;
  refresh: Promise<void> | null;
  load: Load;
  /** When a reader last asked for it (`get`), -Infinity when only warmed. */
  readAt: number;
};

export class KeyedTtlCache {
  private readonly entries = new Map<string, KeyedEntry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50,
    private readonly options: { serveStaleForMs?: number; onRefreshFailed?: (key: string, error: unknown) => void } = {},
  ) {}

  /**
   * The value under `key` with the moment it was loaded, loading it if it is
   * missing or older than the TTL (or, with `serveStaleForMs`, older than
   * that). A key names one kind of value: callers put their kind in it
   * (`performance:…`), which is what makes the cast sound.
   */
  async get<T>(key: string, now: Date, load: (at: Date) => Promise<T>): Promise<{ value: T; loadedAt: Date }> {
    const known = this.entries.get(key);
    const at = now.getTime();
    if (known) known.readAt = Math.max(known.readAt, at);
    if (known && known.expiresAt > at) return { value: (await known.value) as T, loadedAt: known.loadedAt };
    if (known && this.canServeStale(known, at)) {
      known.refresh ??= this.refresh(key, known, now, load);
      return { value: (await known.value) as T, loadedAt: known.loadedAt };
    }
    const entry = this.load(key, now, load, at);
    return { value: (await entry.value) as T, loadedAt: now };
  }

  /**
   * Makes sure `key` holds a value younger than the TTL, loading it now if
   * not (waiting for a load already running instead of starting another).
   * Warming is not reading: a warmed value nobody asks for is not refreshed
   * by `refreshInUse`.
   */
  async warm(key: string, now: Date, load: Load): Promise<boolean> {
    const known = this.entries.get(key);
    const at = now.getTime();
    if (known && known.expiresAt > at) {
      await known.value;
      return false;
    }
    await this.load(key, now, load, known?.readAt ?? Number.NEGATIVE_INFINITY).value;
    return true;
  }

  /**
   * Loads again, one after the other, every value read at or after `readSince`
   * that is past its TTL, so that the next reader of a report in use finds it
   * fresh however long nobody looked. A failed load keeps the old value and
   * is reported as a failed refresh. Resolves to how many were loaded again.
   */
  async refreshInUse(now: Date, readSince: Date): Promise<number> {
    const at = now.getTime();
    const due = [...this.entries].filter(([, entry]) => entry.settled && entry.readAt >= readSince.getTime() && entry.expiresAt <= at);
    let refreshed = 0;
    for (const [key, entry] of due) {
      if (this.entries.get(key) !== entry) continue;
      entry.refresh ??= this.refresh(key, entry, now);
      await entry.refresh;
      if (this.entries.get(key) !== entry) refreshed++;
    }
    return refreshed;
  }

  /** Resolves when every background refresh started so far has ended (tests wait on it). */
  async refreshed(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => entry.refresh));
  }

  clear(): void {
    this.entries.clear();
  }

  /** Starts a load under `key` in place of what is there; a failed one leaves nothing behind. */
  private load(key: string, now: Date, load: Load, readAt: number): KeyedEntry {
    const value = load(now);
    const entry = this.store(key, { value, expiresAt: now.getTime() + this.ttlMs, loadedAt: now, settled: false, refresh: null, load, readAt });
    value.then(
      () => (entry.settled = true),
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry;
  }

  /** Only a value that did load (a load still running is shared instead, a failed one is gone) and is not too old. */
  private canServeStale(entry: KeyedEntry, at: number): boolean {
    const staleFor = this.options.serveStaleForMs ?? 0;
    return staleFor > 0 && entry.settled && entry.loadedAt.getTime() + staleFor > at;
  }

  /** Loads `key` again with `load` (the newest reader's, or the one it was first loaded with) and puts the value in the stale one's place. */
  private async refresh(key: string, stale: KeyedEntry, now: Date, load: Load = stale.load): Promise<void> {
    try {
      const value = await load(now);
      // Unless cleared or replaced meanwhile, the fresh value takes the stale one's place.
      if (this.entries.get(key) === stale) {
        this.store(key, {
          value: Promise.resolve(value),
          expiresAt: now.getTime() + this.ttlMs,
          loadedAt: now,
          settled: true,
          refresh: null,
          load,
          readAt: stale.readAt,
        });
      }
    } catch (error) {
      stale.refresh = null;
      this.options.onRefreshFailed?.(key, error);
    }
  }

  private store(key: string, entry: KeyedEntry): KeyedEntry {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}
