import { describe, expect, it } from "vitest";
import { check, codes, marked, rules } from "./helpers";

const banned = rules({ bannedTerms: ["cure", "weight loss", "anti-aging", { term: "heal", matchWordForms: true }, "detox*"] });
const hits = (copy: string) => marked(copy, check(copy, {}, banned), "banned_term");

describe("banned_term", () => {
  it.each([
    ["My weight loss secret", "weight loss"],
    ["My weight-loss secret", "weight-loss"],
    ["My Weight  loss secret", "Weight  loss"],
    ["My weight\nloss secret", "weight\nloss"],
    ["#weightloss #fitfam", "weightloss"],
    ["Weight–loss (en dash)", "Weight–loss"],
    ["The cure for Mondays", "cure"],
    ["THE CURE", "CURE"],
    ["a cure-all", "cure"],
    ["#cure", "cure"],
    ["Anti aging in a cup", "Anti aging"],
    ["It heals the soul", "heals"],
    ["healing mornings", "healing"],
    ["my detoxing era", "detoxing"],
    ["a cu\u200bre hidden by a zero-width space", "cu\u200bre"],
    ["the \u0441ure, with a Cyrillic \u0441", "\u0441ure"],
    ["a cüre with an accent", "cüre"],
  ])("%j is caught (%j)", (copy, expected) => {
    expect(hits(copy)).toEqual([expected]);
  });

  it.each([
    "Secure checkout",
    "We had to procure a roaster",
    "manicure and pedicure",
    "an obscure roastery",
    "a curated box",
    "cured meats",
    "This coffee cures Mondays",
    "Healthy breakfast ideas",
    "weightlessness",
    "overweight losses",
  ])("%j is not a banned word", (copy) => expect(hits(copy)).toEqual([]));

  it("reports every occurrence, as an error that says what to do", () => {
    const findings = check("Cure? The cure!", {}, banned);
    expect(codes(findings)).toEqual(["banned_term", "banned_term"]);
    expect(findings[0]!.severity).toBe("error");
    expect(findings[0]!.message).toMatch(/^Remove or reword "Cure"/);
  });

  it("applies inside approved claim wording too: the admin's list wins", () => {
    const contradiction = rules({
      bannedTerms: ["guarantee"],
      claims: [{ id: "g", text: "30-day money-back guarantee", disclaimers: [], channels: null, regions: null, status: "approved", expiresAt: null }],
    });
    expect(codes(check("30-day money-back guarantee", {}, contradiction))).toEqual(["banned_term"]);
  });
});
