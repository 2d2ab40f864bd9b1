import { afterEach, describe, expect, it, vi } from "vitest";
import { KeyedTtlCache, TtlCache } from "~/lib/ttl-cache";

afterEach(() => {
  vi.useRealTimers();
});

describe("TtlCache", () => {
  it("loads once within the TTL, again after it (another instance's change arrives), and at once after forget", async () => {
    vi.useFakeTimers();
    const cache = new TtlCache<string>(10_000);
    let stored = "http://a.example";
    const load = vi.fn(async () => stored);
    expect(await cache.get(load)).toBe("http://a.example");
    stored = "http://b.example";
    expect(await cache.get(load)).toBe("http://a.example");
    vi.advanceTimersByTime(10_001);
    expect(await cache.get(load)).toBe("http://b.example");
    stored = "http://c.example";
    cache.forget();
    expect(await cache.get(load)).toBe("http://c.example");
    expect(load).toHaveBeenCalledTimes(3);
  });

  it("does not keep a failed load", async () => {
    const cache = new TtlCache<string>(10_000);
    await expect(cache.get(async () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    expect(await cache.get(async () => "http://a.example")).toBe("http://a.example");
  });
});

describe("KeyedTtlCache", () => {
  const at = (ms: number) => new Date(Date.UTC(2026, 11, 1) + ms);

  it("computes once for readers who ask at the same time, keeps the value for the TTL by the given clock, and says when it was loaded", async () => {
    const cache = new KeyedTtlCache(120_000);
    let computations = 0;
    let release!: () => void;
    const load = () => {
      computations++;
      return new Promise<number>((resolve) => (release = () => resolve(computations)));
    };
    const first = cache.get("performance:a", at(0), load);
    const second = cache.get("performance:a", at(5), load);
    release();
    expect(await first).toEqual({ value: 1, loadedAt: at(0) });
    expect(await second).toEqual({ value: 1, loadedAt: at(0) });
    expect((await cache.get("performance:a", at(119_999), async () => 99)).value).toBe(1);
    expect(await cache.get("performance:a", at(120_000), async () => 2)).toEqual({ value: 2, loadedAt: at(120_000) });
    expect((await cache.get("performance:b", at(120_000), async () => 3)).value).toBe(3);
    expect(computations).toBe(1);
  });

  it("keeps at most maxEntries values, the oldest going first, and no failed load", async () => {
    const cache = new KeyedTtlCache(60_000, 2);
    await cache.get("a", at(0), async () => "a");
    await cache.get("b", at(0), async () => "b");
    await cache.get("c", at(0), async () => "c");
    expect((await cache.get("a", at(1), async () => "a again")).value).toBe("a again");
    expect((await cache.get("c", at(1), async () => "c again")).value).toBe("c");
    await expect(cache.get("d", at(1), async () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    expect((await cache.get("d", at(2), async () => "d")).value).toBe("d");
    cache.clear();
    expect((await cache.get("c", at(3), async () => "c fresh")).value).toBe("c fresh");
  });
});
