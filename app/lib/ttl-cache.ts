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
