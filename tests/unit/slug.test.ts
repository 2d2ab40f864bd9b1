import { describe, expect, it } from "vitest";
import { reapplyFrom } from "~/domain/applications/cooldown";
import { slugify } from "~/lib/slug";

describe("slugify", () => {
  it("folds accents, spells & as and, and joins words with one separator", () => {
    expect(slugify("Café Lumière & Co.", { fallback: "x" })).toBe("cafe-lumiere-and-co");
    expect(slugify("  Terms -- of   Use!  ", { fallback: "x" })).toBe("terms-of-use");
    expect(slugify("Terms & Conditions", { separator: "_", fallback: "policy" })).toBe("terms_and_conditions");
  });

  it("falls back for a name of symbols only", () => {
    expect(slugify("!!!", { fallback: "partner" })).toBe("partner");
    expect(slugify("日本", { fallback: "kit" })).toBe("kit");
  });

  it("cuts at the limit without leaving a separator at the end", () => {
    expect(slugify("abcd efgh", { maxLength: 5, fallback: "x" })).toBe("abcd");
    expect(slugify("a".repeat(100), { fallback: "x" })).toHaveLength(48);
  });
});

describe("reapplyFrom", () => {
  it("is the decision plus the cooldown's days", () => {
    expect(reapplyFrom(new Date("2026-03-01T10:00:00Z"), 30).toISOString()).toBe("2026-03-31T10:00:00.000Z");
    expect(reapplyFrom(new Date("2026-03-01T10:00:00Z"), 0).toISOString()).toBe("2026-03-01T10:00:00.000Z");
  });
});
