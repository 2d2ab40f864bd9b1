import { describe, expect, it } from "vitest";
import { SHORT_CODE_LENGTH, SHORT_CODE_PATTERN } from "~/domain/links/catalog";
import { CLICK_ID_LENGTH, ClickIdSource, clickIdTime, newShortCode, randomBase62 } from "~/domain/links/codes.server";

describe("short codes", () => {
  it("are 8 base62 characters the redirect accepts, at least the 7 the issue asks", () => {
    expect(SHORT_CODE_LENGTH).toBeGreaterThanOrEqual(7);
    for (let i = 0; i < 200; i++) {
      const code = newShortCode();
      expect(code).toHaveLength(SHORT_CODE_LENGTH);
      expect(code).toMatch(SHORT_CODE_PATTERN);
    }
  });

  it("do not repeat, and use every character about as often (no modulo bias)", () => {
    const codes = Array.from({ length: 5_000 }, () => randomBase62(8));
    expect(new Set(codes).size).toBe(codes.length);
    const counts = new Map<string, number>();
    for (const char of codes.join("")) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // 40,000 characters over 62: about 645 each; a byte taken modulo 62 would give the first eight about 25 % more.
    const expected = 40_000 / 62;
    for (const [char, count] of counts) expect(Math.abs(count - expected) / expected, char).toBeLessThan(0.2);
  });

  it("come in any length asked for", () => {
    expect(randomBase62(1)).toMatch(/^[0-9A-Za-z]$/);
    expect(randomBase62(32)).toMatch(/^[0-9A-Za-z]{32}$/);
  });
});

describe("click ids", () => {
  const at = Date.parse("2026-12-01T10:00:00.000Z");

  it("are 20 base62 characters, never repeating, across refills of the random pool", () => {
    const source = new ClickIdSource();
    const ids = Array.from({ length: 10_000 }, () => source.next(at));
    for (const id of ids) expect(id).toMatch(/^[0-9A-Za-z]{20}$/);
    expect(CLICK_ID_LENGTH).toBe(20);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("start with the millisecond they were made in, so later ids sort after earlier ones", () => {
    const source = new ClickIdSource();
    const first = source.next(at);
    expect(source.next(at).slice(0, 7)).toBe(first.slice(0, 7));
    const times = [at, at + 1, at + 61, at + 62, at + 3_600_000, Date.parse("2080-01-01T00:00:00Z")];
    const ids = times.map((ms) => source.next(ms));
    expect([...ids].sort()).toEqual(ids);
    // 62⁷ milliseconds after 1970: the prefix is still 7 characters.
    expect(ids.at(-1)).toMatch(/^[0-9A-Za-z]{20}$/);
  });

  it("keep 13 random characters after the time: ids of the same millisecond differ, in other sources too", () => {
    const ids = Array.from({ length: 1_000 }, () => new ClickIdSource().next(at));
    expect(new Set(ids.map((id) => id.slice(7))).size).toBe(ids.length);
  });

  it("give back the millisecond they were made in, and nothing for a string of another shape", () => {
    const source = new ClickIdSource();
    for (const ms of [0, at, at + 1, at + 61, at + 62, Date.parse("2080-01-01T00:00:00Z")]) expect(clickIdTime(source.next(ms))).toBe(ms);
    for (const other of ["", "abc", `${source.next(at)}x`, source.next(at).slice(1), "0000000-000000000000", "c1abcdefghij"])
      expect(clickIdTime(other)).toBeNull();
  });
});
