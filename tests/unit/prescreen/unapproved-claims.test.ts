import { describe, expect, it } from "vitest";
import { check, claim, codes, marked, rules } from "./helpers";

const library = rules({
  bannedTerms: ["cure"],
  claims: [
    claim({ id: "rated", text: "Rated the #1 coffee subscription by Brew Weekly readers", disclaimers: ["Brew Weekly Readers' Choice Awards 2024."] }),
    claim({ id: "price", text: "Holiday Blend, just $16.99 a bag", disclaimers: ["12 oz bag. Price valid until 31 December 2025."] }),
    claim({ id: "retired", text: "The best coffee in America", status: "retired" }),
  ],
});
const warned = (copy: string) => marked(copy, check(copy, {}, library), "possible_unapproved_claim");

describe("possible_unapproved_claim", () => {
  it.each([
    "Northwind is the best coffee in the world.",
    "50% off everything this weekend!",
    "Now only $12 a bag.",
    "Spend £30 and get a mug.",
    "Save 10 percent on every bag.",
    "The #1 coffee in Seattle.",
    "Number one on my list.",
    "Clinically shown to sharpen focus.",
    "Proven to taste better.",
    "Guaranteed to be the freshest bag you've opened.",
    "Try it risk-free.",
    "Get a free tote.",
    "The fastest way to great coffee.",
    "This coffee cures Mondays.",
  ])("%j warns, on that sentence", (copy) => {
    expect(warned(copy)).toEqual([copy]);
  });

  it.each([
    "My best friend and I have a coffee date.",
    "Best wishes from all of us!",
    "Feel free to ask me anything.",
    "Step #1: rinse the filter.",
    "Your order #10482 has shipped.",
    "Founded in 2009, on the 3rd floor.",
    "15 g of coffee to 250 g of water, 1:16.7.",
    "Open at 7 a.m. daily.",
    "Secure checkout.",
  ])("%j is ordinary copy", (copy) => {
    expect(warned(copy)).toEqual([]);
  });

  it("approved claim text and its disclaimer never warn, even with triggers", () => {
    const copy =
      "Rated the #1 coffee subscription by Brew Weekly readers!\nHoliday Blend, just $16.99 a bag.\n12 oz bag. Price valid until 31 December 2025.\nBrew Weekly Readers' Choice Awards 2024.";
    expect(codes(check(copy, {}, library))).toEqual([]);
  });

  it("a paraphrase of an approved claim is not the claim", () => {
    expect(warned("Rated #1 by Brew Weekly readers!")).toEqual(["Rated #1 by Brew Weekly readers!"]);
  });

  it("a trigger outside the approved wording in the same sentence still warns", () => {
    const copy = "Rated the #1 coffee subscription by Brew Weekly readers, and 50% off this week. Brew Weekly Readers' Choice Awards 2024.";
    expect(warned(copy)).toEqual(["Rated the #1 coffee subscription by Brew Weekly readers, and 50% off this week."]);
  });

  it("a claim already reported (not allowed, or a banned term) is not warned about again", () => {
    expect(codes(check("The best coffee in America.", {}, library))).toEqual(["claim_not_allowed"]);
    expect(codes(check("The cure for Mondays.", {}, library))).toEqual(["banned_term"]);
  });

  it("one warning per sentence, listing what triggered it", () => {
    const copy = "Best coffee, 50% off, free shipping! Ordinary sentence here.";
    const findings = check(copy, {}, library).filter((f) => f.code === "possible_unapproved_claim");
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe("warning");
    expect(findings[0]!.message).toContain('"Best", "50%", "free"');
  });

  it("follows the admin's triggers and exceptions", () => {
    const custom = rules({ claimTriggers: ["award-winning", "%"], claimTriggerExceptions: ["100% of the time"] });
    expect(codes(check("Our award winning roast.", {}, custom))).toEqual(["possible_unapproved_claim"]);
    expect(codes(check("The best coffee.", {}, custom))).toEqual([]);
    expect(codes(check("I drink it 100% of the time.", {}, custom))).toEqual([]);
  });
});
