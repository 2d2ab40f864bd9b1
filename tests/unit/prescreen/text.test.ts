import { describe, expect, it } from "vitest";
import {
  countCharacters,
  findTokenRuns,
  fold,
  offsetOfCharacter,
  originalSpan,
  phraseTokens,
  splitSentences,
  termPatternSource,
  tokenize,
  wordForms,
} from "~/domain/prescreen/text";

const sentences = (text: string) => splitSentences(text).map((s) => text.slice(s.start, s.end));

describe("fold", () => {
  it("lower-cases, straightens quotes and dashes, drops accents and invisible characters", () => {
    expect(fold("It’s CAFÉ — “best”").text).toBe('it\'s cafe - "best"');
    expect(fold("cu\u200bre").text).toBe("cure");
    expect(fold("Ｐaid").text).toBe("paid");
  });

  it("maps every folded unit back to the original, through emoji and expansions", () => {
    const copy = "☕ Ⅻ “Cure”";
    const folded = fold(copy);
    const at = folded.text.indexOf("cure");
    const span = originalSpan(folded, at, at + 4);
    expect(copy.slice(span.start, span.end)).toBe("Cure");
  });

  it("turns footnote and trademark marks into spaces, never into letters", () => {
    expect(tokenize(fold("readers¹ Swiss Water® Process™")).map((t) => t.norm)).toEqual(["readers", "swiss", "water", "process"]);
  });
});

describe("tokens", () => {
  it("keep what changes a claim's meaning and drop other punctuation", () => {
    expect(phraseTokens("Save 20% on $4.99 — it’s #1!*")).toEqual(["save", "20", "%", "on", "$", "4.99", "its", "#", "1"]);
    expect(phraseTokens("1,000 customers")).toEqual(phraseTokens("1000 customers"));
    expect(phraseTokens("Fair & square")).toEqual(phraseTokens("fair and square"));
    expect(phraseTokens("Contiguous U.S. only")).toEqual(phraseTokens("contiguous US only"));
    expect(phraseTokens("money-back")).toEqual(phraseTokens("money back"));
    expect(phraseTokens("4.99")).not.toEqual(phraseTokens("499"));
  });

  it("find a phrase across line breaks, spacing and case, with original offsets", () => {
    const copy = "Our pods are 100%\nINDUSTRIALLY   compostable!";
    const tokens = tokenize(fold(copy));
    const [run] = findTokenRuns(tokens, phraseTokens("our pods are 100% industrially compostable"));
    expect(copy.slice(tokens[run!.first]!.start, tokens[run!.last - 1]!.end)).toBe(copy.slice(0, -1));
  });
});

describe("terms", () => {
  it("match whole words across spaces, hyphens and nothing", () => {
    const pattern = new RegExp(termPatternSource("weight loss", { wordForms: false })!, "gu");
    for (const text of ["weight loss", "weight-loss", "weight  loss", "weight\nloss", "#weightloss", "weight_loss"])
      expect(fold(text).text, text).toMatch(pattern);
    for (const text of ["weightlosser", "overweight loss"]) expect(fold(text).text, text).not.toMatch(pattern);
  });

  it("word forms are simple English inflections", () => {
    expect(wordForms("cure")).toEqual(expect.arrayContaining(["cures", "cured", "curing"]));
    expect(wordForms("remedy")).toEqual(expect.arrayContaining(["remedies"]));
    expect(wordForms("slim")).toEqual(expect.arrayContaining(["slimming"]));
    expect(wordForms("heal")).not.toContain("health");
  });

  it("an ending in brackets is optional: guarantee(d)", () => {
    const pattern = new RegExp(termPatternSource("guarantee(d)", { wordForms: false })!, "gu");
    expect("guarantee").toMatch(pattern);
    expect("guaranteed").toMatch(pattern);
    expect("guarantees").not.toMatch(pattern);
  });
});

describe("characters", () => {
  it("are counted as people count them: an emoji is one", () => {
    expect(countCharacters("☕🍂ab")).toBe(4);
    expect("☕🍂ab".length).toBe(5);
    expect(offsetOfCharacter("🍂🍂ab", 2)).toBe(4);
  });
});

describe("sentences", () => {
  it("do not end at abbreviations, decimals, prices, web addresses or initials", () => {
    expect(sentences("Dr. Lee cups at 10 a.m. sharp. Price: $4.99 at northwindcoffee.com/shop. J. Smith agrees, e.g. on No. 5 blends.")).toEqual([
      "Dr. Lee cups at 10 a.m. sharp.",
      "Price: $4.99 at northwindcoffee.com/shop.",
      "J. Smith agrees, e.g. on No. 5 blends.",
    ]);
    expect(sentences("Up 2.5% this year. Really!")).toEqual(["Up 2.5% this year.", "Really!"]);
  });

  it("end at line breaks, at ! and ?, and at an emoji before a capital", () => {
    expect(sentences("Best. Morning. Ever.\nNew line")).toEqual(["Best.", "Morning.", "Ever.", "New line"]);
    expect(sentences("Love it ☕ This week: Kenya #coffee #1\n\nWhat else?! Nothing")).toEqual([
      "Love it ☕",
      "This week: Kenya #coffee #1",
      "What else?!",
      "Nothing",
    ]);
    expect(sentences('She said "wow." Then left.')).toEqual(['She said "wow."', "Then left."]);
  });

  it("keep a time abbreviation inside a sentence, and end at it before a capital", () => {
    expect(sentences("Open at 8 a.m. on Saturday. Closed at 6 p.m. Sunday is off.")).toEqual([
      "Open at 8 a.m. on Saturday.",
      "Closed at 6 p.m.",
      "Sunday is off.",
    ]);
  });
});
