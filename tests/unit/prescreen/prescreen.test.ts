import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasBlockingFindings, prescreen } from "~/domain/prescreen";
import { check, claim, NOW, rules } from "./helpers";

describe("prescreen", () => {
  it("orders findings: the whole-copy ones first, then by position, and the offsets point into the original copy", () => {
    const copy = "☕ The cure for Mondays? Weight–loss coffee, 50% off!";
    const findings = check(copy, { channel: "organic_social", destinationUrl: "http://northwindcoffee.com" });
    expect(findings.map((f) => [f.code, f.start === null ? null : copy.slice(f.start, f.end!)])).toEqual([
      ["destination_not_allowed", null],
      ["missing_disclosure", null],
      ["banned_term", "cure"],
      ["banned_term", "Weight–loss"],
      ["possible_unapproved_claim", "Weight–loss coffee, 50% off!"],
    ]);
  });

  it("clean copy has no findings", () => {
    const ruleSet = rules({ claims: [claim({ id: "s", text: "Free shipping on orders over $40", disclaimers: ["Contiguous US only."] })] });
    const copy = "#ad My best friend swears by the Harvest Blend ☕ Free shipping on orders over $40.\nContiguous US only.";
    expect(
      prescreen({ copy, channel: "organic_social", claimIds: ["s"], destinationUrl: "https://shop.northwindcoffee.com/harvest", now: NOW }, ruleSet),
    ).toEqual([]);
  });

  it("errors block, warnings do not", () => {
    expect(hasBlockingFindings(check("The cure"))).toBe(true);
    expect(hasBlockingFindings(check("The best blend."))).toBe(false);
    expect(hasBlockingFindings([])).toBe(false);
  });

  it("is deterministic and does not change its inputs", () => {
    const ruleSet = rules();
    const frozen = Object.freeze({ ...ruleSet, claims: Object.freeze([...ruleSet.claims]) });
    const input = Object.freeze({ copy: "The cure, 50% off", channel: "video", now: NOW });
    expect(prescreen(input, frozen)).toEqual(prescreen(input, frozen));
  });

  it("copes with empty and very long copy", () => {
    expect(check("", { channel: "organic_social" }).map((f) => f.code)).toEqual(["missing_disclosure"]);
    const long = `#ad ${"Best coffee, 50% off. Step #1: grind. ".repeat(2000)}`;
    const started = performance.now();
    check(long, { channel: "email" });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("app/domain/prescreen", () => {
  it("is pure: it imports only itself and the shared vocabulary, never db/, drizzle, zod, Remix or node: modules", () => {
    const dir = path.resolve("app/domain/prescreen");
    for (const file of fs.readdirSync(dir)) {
      const source = fs.readFileSync(path.join(dir, file), "utf8");
      for (const [, from] of source.matchAll(/(?:from|import)\s+"([^"]+)"/g)) {
        expect(from!.startsWith("./") || from === "../applications/catalog", `${file} imports ${from}`).toBe(true);
      }
    }
  });
});
