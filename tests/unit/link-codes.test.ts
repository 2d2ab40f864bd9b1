import { describe, expect, it } from "vitest";
import { SHORT_CODE_LENGTH, SHORT_CODE_PATTERN } from "~/domain/links/catalog";
import { ClickIdSource, newShortCode, randomBase62 } from "~/domain/links/codes.server";

const BASE62 = /^[0-9A-Za-z]+$/;

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
  it("are 16 base62 characters, never repeating, across refills of the random pool", () => {
    const source = new ClickIdSource();
    const ids = Array.from({ length: 10_000 }, () => source.next());
    for (const id of ids) {
      expect(id).toHaveLength(16);
      expect(id).toMatch(BASE62);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("differ between sources", () => {
    expect(new ClickIdSource().next()).not.toBe(new ClickIdSource().next());
  });
});
