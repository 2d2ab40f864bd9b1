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
 * so tests move it rather than wait. A failed load is not kept.
 */
export class KeyedTtlCache {
  private readonly entries = new Map<string, { value: Promise<unknown>; expiresAt: number; loadedAt: Date }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50,
  ) {}

  /**
   * The value under `key` with the moment it was loaded, loading it if it is
   * missing or older than the TTL. A key names one kind of value: callers put
   * their kind in it (`performance:…`), which is what makes the cast sound.
   */
  async get<T>(key: string, now: Date, load: () => Promise<T>): Promise<{ value: T; loadedAt: Date }> {
    const known = this.entries.get(key);
    if (known && known.expiresAt > now.getTime()) return { value: (await known.value) as T, loadedAt: known.loadedAt };
    const value = load();
    const entry = { value, expiresAt: now.getTime() + this.ttlMs, loadedAt: now };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return { value: await value, loadedAt: now };
  }

  clear(): void {
    this.entries.clear();
  }
}
