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

  it("with serveStaleForMs, hands out the old value past the TTL while one refresh runs behind, keeps it if the refresh fails, and waits when it is too old", async () => {
    const failures: string[] = [];
    const cache = new KeyedTtlCache(120_000, 50, { serveStaleForMs: 1_800_000, onRefreshFailed: (key) => failures.push(key) });
    await cache.get("r", at(0), async () => "first");
    let refreshes = 0;
    let release!: () => void;
    const slowLoad = () => {
      refreshes++;
      return new Promise<string>((resolve) => (release = () => resolve("second")));
    };
    // Past the TTL: the old value at once, for this reader and the next, one refresh for both.
    expect(await cache.get("r", at(120_000), slowLoad)).toEqual({ value: "first", loadedAt: at(0) });
    expect(await cache.get("r", at(121_000), slowLoad)).toEqual({ value: "first", loadedAt: at(0) });
    expect(refreshes).toBe(1);
    release();
    await cache.refreshed();
    expect(await cache.get("r", at(122_000), slowLoad)).toEqual({ value: "second", loadedAt: at(120_000) });
    // A failed refresh keeps the value it would have replaced, and the next reader tries again.
    await cache.get("r", at(300_000), async () => Promise.reject(new Error("database down")));
    await cache.refreshed();
    expect(failures).toEqual(["r"]);
    expect(await cache.get("r", at(301_000), async () => "third")).toEqual({ value: "second", loadedAt: at(120_000) });
    await cache.refreshed();
    expect((await cache.get("r", at(302_000), async () => "unused")).value).toBe("third");
    // Older than serveStaleForMs: the reader waits for a fresh value.
    expect(await cache.get("r", at(302_000 + 1_800_000), async () => "fourth")).toEqual({ value: "fourth", loadedAt: at(302_000 + 1_800_000) });
  });

  it("does not hand out a value still loading or one cleared as stale", async () => {
    const cache = new KeyedTtlCache(1_000, 50, { serveStaleForMs: 60_000 });
    let release!: () => void;
    const pending = cache.get("r", at(0), () => new Promise<string>((resolve) => (release = () => resolve("slow"))));
    // Past the TTL while the first load still runs: a new load, not the unfinished one as if it were stale.
    expect((await cache.get("r", at(2_000), async () => "fresh")).value).toBe("fresh");
    release();
    expect((await pending).value).toBe("slow");
    cache.clear();
    expect((await cache.get("r", at(2_500), async () => "after clear")).value).toBe("after clear");
  });
  it("warms a missing or expired key without counting it as read, and refreshes only the values read lately, each as of the refresh", async () => {
    const failures: string[] = [];
    const cache = new KeyedTtlCache(120_000, 50, { serveStaleForMs: 1_800_000, onRefreshFailed: (key) => failures.push(key) });
    const asOf = (label: string) => async (at: Date) => `${label} as of ${at.getTime() - at0}`;
    const at0 = at(0).getTime();
    // Warming loads a missing key once; within the TTL it is already warm.
    expect(await cache.warm("default", at(0), asOf("default"))).toBe(true);
    expect(await cache.warm("default", at(60_000), asOf("default"))).toBe(false);
    expect(await cache.get("default", at(60_000), asOf("unused"))).toEqual({ value: "default as of 0", loadedAt: at(0) });
    // A key read at 60 s and one never read but warmed: only the read one is refreshed, with its own load, as of the refresh.
    await cache.get("custom", at(60_000), asOf("custom"));
    await cache.warm("warmed only", at(60_000), asOf("warmed only"));
    expect(await cache.refreshInUse(at(100_000), at(0))).toBe(0); // nothing past its TTL yet
    expect(await cache.refreshInUse(at(200_000), at(0))).toBe(2);
    expect((await cache.get("custom", at(200_001), asOf("unused"))).value).toBe("custom as of 200000");
    expect((await cache.get("default", at(200_001), asOf("unused"))).value).toBe("default as of 200000");
    // Read before `readSince`: left alone (and still served stale to its next reader, who starts the refresh).
    expect(await cache.refreshInUse(at(400_000), at(300_000))).toBe(0);
    // Warming replaces an expired value at once, and keeps the key's reading history: it is still refreshed as in use.
    expect(await cache.warm("default", at(400_000), asOf("default"))).toBe(true);
    expect(await cache.refreshInUse(at(600_000), at(200_000))).toBe(2);
    // A failed refresh keeps the old value and is reported.
    await cache.get("flaky", at(600_000), asOf("flaky"));
    const flaky = { fail: true };
    await cache.get("flaky", at(720_001), async () => (flaky.fail ? Promise.reject(new Error("database down")) : "recovered"));
    await cache.refreshed();
    expect(failures).toEqual(["flaky"]);
    expect(await cache.refreshInUse(at(800_000), at(600_000))).toBe(1); // read since: "flaky" alone, with the load it was first read with
    expect((await cache.get("flaky", at(800_001), asOf("unused"))).value).toBe("flaky as of 800000");
  });
});
