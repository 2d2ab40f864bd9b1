import { describe, expect, it } from "vitest";
import { channelTextLimits, DEFAULT_RULES } from "~/domain/prescreen";
import { check, codes, ofCode, rules } from "./helpers";

const social = { channel: "organic_social" } as const;
const disclosureFindings = (copy: string, input = {}, ruleSet = rules()) => ofCode(check(copy, { ...social, ...input }, ruleSet), "missing_disclosure");

describe("missing_disclosure", () => {
  it.each([
    "#ad Loving the new Harvest Blend",
    "Loving the new Harvest Blend (#AD)",
    "Loving it #ad.",
    "Okay, #ad, but I mean it",
    "[#ad] Loving it",
    "☕#ad Loving it",
    "#Ad🙌 Loving it",
    "#ad\nLoving it",
    "#sponsored Loving it",
  ])("%j counts as a disclosure", (copy) => expect(disclosureFindings(copy)).toEqual([]));

  it.each([
    "Back from my #adventure with Northwind",
    "#ads4days Northwind all week",
    "ad: trying the new Harvest Blend",
    "Not an ad, I just love it",
    "#ad_ Harvest Blend",
    "#adfree mornings",
    "#ad-free mornings",
    "AD | Northwind x Sam",
  ])("%j does not count", (copy) => expect(disclosureFindings(copy)).toHaveLength(1));

  it.each([
    "Paid partnership with Northwind. New blend!",
    "PAID  PARTNERSHIP   WITH  northwind — new blend",
    "Paid partnership\nwith Northwind\n\nNew blend",
    "(paid partnership with Northwind) New blend",
    "Paid partnership with @northwindcoffee New blend",
    "Paid partnership with Northwind Coffee",
  ])("the phrase %j matches with any spacing and case", (copy) => expect(disclosureFindings(copy)).toEqual([]));

  it("does not take a look-alike of the phrase", () => {
    expect(disclosureFindings("Paid partnership w/ Northwind")).toHaveLength(1);
    expect(disclosureFindings("Paid partnership with Northwindy")).toHaveLength(1);
  });

  it("says the disclosure is too late when it only appears after N characters, and points at it", () => {
    const copy = `${"Slow mornings, fresh bread and a pot of Northwind Sumatra on the stove while the rain comes down outside. ".repeat(2)}#ad`;
    const [finding] = disclosureFindings(copy);
    expect(finding!.severity).toBe("error");
    expect(copy.slice(finding!.start!, finding!.end!)).toBe("#ad");
    expect(finding!.message).toContain("first 125 characters");
    expect(finding!.message).toContain(`character ${copy.indexOf("#ad") + 1}`);
  });

  it("needs the whole phrase within N characters, counting an emoji as one character", () => {
    const inside = `${"x".repeat(121)} #ad`; // ends at character 125
    expect(inside.length).toBe(125);
    expect(disclosureFindings(inside)).toEqual([]);
    expect(disclosureFindings(`${"x".repeat(122)} #ad`)).toHaveLength(1);
    const emoji = `${"☕".repeat(5)}${"🍂".repeat(5)} ${"x".repeat(110)} #ad`; // 125 characters, 130 UTF-16 units
    expect(disclosureFindings(emoji)).toEqual([]);
  });

  it("follows the admin's N", () => {
    const copy = `${"x".repeat(60)} #ad`;
    expect(disclosureFindings(copy, {}, rules({ disclosureWithinChars: 50 }))).toHaveLength(1);
    expect(disclosureFindings(copy, {}, rules({ disclosureWithinChars: 64 }))).toEqual([]);
  });

  it("is required on the disclosure channels and for creators everywhere, not elsewhere", () => {
    for (const channel of ["organic_social", "paid_social", "video"]) expect(disclosureFindings("New blend!", { channel }), channel).toHaveLength(1);
    for (const channel of ["email", "website_blog", "events", "marketplace"]) expect(disclosureFindings("New blend!", { channel }), channel).toEqual([]);
    expect(disclosureFindings("New blend!", { channel: "email", partnerType: "creator" })).toHaveLength(1);
    expect(disclosureFindings("New blend!", { channel: "email", partnerType: "affiliate" })).toEqual([]);
    // Channel names are opaque and compared exactly.
    expect(disclosureFindings("New blend!", { channel: "Organic_Social" })).toEqual([]);
    expect(disclosureFindings("New blend!", { channel: "tiktok" }, rules({ disclosureChannels: ["tiktok"] }))).toHaveLength(1);
  });

  it("names an unclear marker in the message: #sp, #partner and thanks are not disclosures", () => {
    for (const [copy, marker] of [
      ["#sp Cold brew season", "#sp"],
      ["#partner Sunday pour-over", "#partner"],
      ["Thanks @northwindcoffee for the goodies!", "Thanks"],
    ] as const) {
      const [finding] = disclosureFindings(copy);
      expect(finding!.message, copy).toContain(`"${marker}"`);
      expect(finding!.start).toBeNull();
    }
  });

  it("fills {brand} in, and without a brand name takes any name after the phrase", () => {
    const withBrand = rules({ disclosurePhrases: ["Paid partnership with {brand}"], brandName: "Northwind" });
    expect(disclosureFindings("Paid partnership with Northwind: new blend", {}, withBrand)).toEqual([]);
    expect(disclosureFindings("Paid partnership with Contoso: new blend", {}, withBrand)).toHaveLength(1);
    const noBrand = rules({ disclosurePhrases: ["Paid partnership with {brand}"], brandName: null });
    expect(disclosureFindings("Paid partnership with Northwind: new blend", {}, noBrand)).toEqual([]);
  });

  it("warns, without blocking, when the only disclosure is buried in a run of hashtags", () => {
    const buried = check("Sunday reset ☕ #coffeetime #slowliving #ad #northwind", social);
    expect(codes(buried)).toEqual(["disclosure_in_hashtag_run"]);
    expect(buried[0]!.severity).toBe("warning");
    expect(codes(check("Sunday reset ☕ #ad #coffeetime #slowliving", social))).toEqual([]);
    expect(codes(check("#coffee #latte #ad Sunday reset", social))).toEqual([]);
  });

  it("the defaults follow the issue: #ad up front, 125 characters, social and video, creators", () => {
    expect(DEFAULT_RULES.disclosureWithinChars).toBe(125);
    expect(DEFAULT_RULES.disclosureChannels).toEqual(["organic_social", "paid_social", "video"]);
    expect(DEFAULT_RULES.disclosurePartnerTypes).toEqual(["creator"]);
    expect(DEFAULT_RULES.disclosurePhrases[0]).toBe("#ad");
    expect(DEFAULT_RULES.disclosurePhrases).not.toContain("ad");
  });

  it("tells the editor where the feed cuts the copy", () => {
    expect(channelTextLimits(DEFAULT_RULES, "organic_social")).toEqual({ disclosureWithinChars: 125, characterLimit: 2200 });
    expect(channelTextLimits(DEFAULT_RULES, "email")).toEqual({ disclosureWithinChars: null, characterLimit: null });
    expect(channelTextLimits(DEFAULT_RULES, "email", "creator").disclosureWithinChars).toBe(125);
  });
});
