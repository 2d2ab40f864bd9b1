import { afterEach, describe, expect, it, vi } from "vitest";
import { TtlCache } from "~/lib/ttl-cache";

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
