import { describe, expect, it } from "vitest";
import { diffStats, MAX_DIFF_CELLS, tokenize, wordDiff, type DiffSegment } from "~/domain/review/word-diff";

const before = (segments: DiffSegment[]) =>
  segments
    .filter((s) => s.kind !== "insert")
    .map((s) => s.text)
    .join("");
const after = (segments: DiffSegment[]) =>
  segments
    .filter((s) => s.kind !== "delete")
    .map((s) => s.text)
    .join("");

describe("the compare page's word diff", () => {
  it("splits words, whitespace and punctuation, and joins back to the text", () => {
    const text = "Don't miss it: 20% off — today only!\n\nSee ☕ shop.";
    expect(tokenize(text).join("")).toBe(text);
    expect(tokenize("Don't stop, now.")).toEqual(["Don't", " ", "stop", ",", " ", "now", "."]);
  });

  it("says nothing changed for the same copy, and everything for an empty side", () => {
    expect(wordDiff("Bright light.", "Bright light.")).toEqual([{ kind: "same", text: "Bright light." }]);
    expect(wordDiff("", "New copy")).toEqual([{ kind: "insert", text: "New copy" }]);
    expect(wordDiff("Old copy", "")).toEqual([{ kind: "delete", text: "Old copy" }]);
    expect(wordDiff("", "")).toEqual([]);
  });

  it("marks a replaced word as removed then added, the rest the same", () => {
    expect(wordDiff("The best cold brew in town.", "The finest cold brew in town.")).toEqual([
      { kind: "same", text: "The " },
      { kind: "delete", text: "best" },
      { kind: "insert", text: "finest" },
      { kind: "same", text: " cold brew in town." },
    ]);
  });

  it("finds insertions and deletions in the middle, and a changed punctuation mark", () => {
    const segments = wordDiff("Cures tired mornings. #ad", "Brightens tired mornings, every day! #ad");
    expect(before(segments)).toBe("Cures tired mornings. #ad");
    expect(after(segments)).toBe("Brightens tired mornings, every day! #ad");
    expect(segments.filter((s) => s.kind === "delete").map((s) => s.text)).toEqual(["Cures", "."]);
    expect(segments.filter((s) => s.kind === "insert").map((s) => s.text)).toEqual(["Brightens", ", every day!"]);
    expect(diffStats(segments)).toEqual({ inserted: 3, deleted: 1 });
  });

  it("reads a rewritten phrase as one change, not word by word", () => {
    const segments = wordDiff("Try it now for free today", "Try it now at half price today");
    expect(segments).toEqual([
      { kind: "same", text: "Try it now " },
      { kind: "delete", text: "for free" },
      { kind: "insert", text: "at half price" },
      { kind: "same", text: " today" },
    ]);
  });

  it("keeps the shared space outside a pure removal", () => {
    const segments = wordDiff("Fast and very bright light", "Fast and bright light");
    expect(segments).toEqual([
      { kind: "same", text: "Fast and " },
      { kind: "delete", text: "very " },
      { kind: "same", text: "bright light" },
    ]);
  });

  it("diffs two fully different 5,000-character copies quickly and exactly", () => {
    const words = (seed: number) => Array.from({ length: 830 }, (_, i) => `w${(i * seed) % 997}`).join(" ");
    const a = words(7).slice(0, 5000);
    const b = words(13).slice(0, 5000);
    const started = performance.now();
    const segments = wordDiff(a, b);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(before(segments)).toBe(a);
    expect(after(segments)).toBe(b);
  });

  it("falls back to removed-then-added when the changed middle is too large for the table", () => {
    const side = (letter: string) => Array.from({ length: Math.ceil(Math.sqrt(MAX_DIFF_CELLS)) }, (_, i) => `${letter}${i}`).join(" ");
    const a = `Start ${side("a")} end`;
    const b = `Start ${side("b")} end`;
    const segments = wordDiff(a, b);
    expect(segments.map((s) => s.kind)).toEqual(["same", "delete", "insert", "same"]);
    expect(before(segments)).toBe(a);
    expect(after(segments)).toBe(b);
  });

  it("handles an edit at the very start and the very end", () => {
    expect(wordDiff("Hello world", "Goodbye world!")).toEqual([
      { kind: "delete", text: "Hello" },
      { kind: "insert", text: "Goodbye" },
      { kind: "same", text: " world" },
      { kind: "insert", text: "!" },
    ]);
  });
});
