import { describe, expect, it } from "vitest";
import { claimRuleFromLibrary } from "~/domain/prescreen";
import { check, claim, codes, marked, NOW, ofCode, rules } from "./helpers";

const SURVEY = claim({
  id: "survey",
  text: "9 out of 10 customers say it's the best cold brew they've tried",
  disclaimers: ["Based on a 2024 survey of 1,000 Northwind customers."],
});
const WELCOME = claim({
  id: "welcome",
  text: "Save 20% on your first bag with code NORTHWIND20",
  disclaimers: ["New customers only.", "One use per customer."],
});
const SHIPPING = claim({ id: "shipping", text: "Free shipping on orders over $40", disclaimers: ["Contiguous US only."], regions: ["north_america"] });
const SHORT_SHIPPING = claim({ id: "short-shipping", text: "Free shipping", disclaimers: ["See site for details."] });
const library = rules({ claims: [SURVEY, WELCOME, SHIPPING, SHORT_SHIPPING] });

describe("missing_disclaimer", () => {
  it("a picked claim needs each of its disclaimers", () => {
    const copy = "Save 20% on your first bag with code NORTHWIND20.\nNew customers only.";
    const findings = check(copy, { claimIds: ["welcome"] }, library);
    expect(codes(findings)).toEqual(["missing_disclaimer"]);
    expect(findings[0]!.message).toContain('"One use per customer."');
    expect(marked(copy, findings, "missing_disclaimer")).toEqual(["Save 20% on your first bag with code NORTHWIND20"]);
  });

  it("a claim whose text appears without being picked is used too", () => {
    const copy = "Cold brew is back! 9 out of 10 customers say it’s the best cold brew they’ve tried.";
    expect(codes(check(copy, {}, library))).toEqual(["missing_disclaimer"]);
  });

  it("matches claim and disclaimer across case, spacing, line breaks, curly quotes and footnote marks", () => {
    const copy = "9 OUT OF 10 customers say it’s the best\ncold brew they’ve   tried!*\n\n*based on a 2024 survey of 1000 Northwind customers";
    expect(codes(check(copy, { claimIds: ["survey"] }, library))).toEqual([]);
    const bullets = "Save 20% on your first bag with code NORTHWIND20!\n\n• New customers only\n• One use per customer";
    expect(codes(check(bullets, { claimIds: ["welcome"] }, library))).toEqual([]);
  });

  it("a reworded or partial disclaimer is missing", () => {
    expect(codes(check("9 out of 10 customers say it's the best cold brew they've tried.\n*Based on a survey of Northwind customers.", {}, library))).toEqual([
      "missing_disclaimer",
    ]);
    expect(codes(check("9 out of 10 customers say it's the best cold brew they've tried.\n*Based on a 2024 survey.", {}, library))).toEqual([
      "missing_disclaimer",
    ]);
  });

  it("a picked claim shown only in the image still needs its disclaimer in the copy", () => {
    expect(codes(check("Look at the new carton!", { claimIds: ["survey"] }, library))).toEqual(["missing_disclaimer"]);
    expect(codes(check("Look at the new carton!\nBased on a 2024 survey of 1,000 Northwind customers.", { claimIds: ["survey"] }, library))).toEqual([]);
  });

  it("a short claim inside a longer one is not used on its own", () => {
    const copy = "Free shipping on orders over $40. Contiguous US only.";
    expect(codes(check(copy, { regions: ["north_america"] }, library))).toEqual([]);
    expect(codes(check("Free shipping, always.", {}, library))).toEqual(["missing_disclaimer"]);
  });

  it("numbers keep their meaning: a different price is not the approved claim", () => {
    const price = rules({ claims: [claim({ id: "p", text: "Holiday Blend, just $16.99 a bag", disclaimers: ["12 oz bag."] })] });
    expect(codes(check("Holiday Blend, just $1699 a bag", {}, price))).not.toContain("missing_disclaimer");
    expect(codes(check("Holiday Blend, just $16.99 a bag", {}, price))).toEqual(["missing_disclaimer"]);
  });
});

describe("claim_not_allowed", () => {
  const past = new Date("2025-04-30T23:59:59Z");
  const cases = rules({
    claims: [
      claim({ id: "retired", text: "The smoothest coffee in America", status: "retired" }),
      claim({ id: "draft", text: "Clinically proven to boost your focus", status: "draft" }),
      claim({ id: "expired", text: "Spring Sale: 30% off all cold brew", expiresAt: past }),
      claim({ id: "email-only", text: "Members get 15% off every order", channels: ["email"] }),
      claim({ id: "uk-only", text: "The UK's best-selling oat latte blend", regions: ["uk_ireland"] }),
      claim({ id: "later", text: "Save 20% this summer", expiresAt: new Date("2025-12-31T00:00:00Z") }),
    ],
  });

  it.each([
    ["retired", "The smoothest coffee in America", "email", "retired"],
    ["draft", "Clinically proven to boost your focus", "email", "not approved"],
    ["expired", "Spring Sale: 30% off all cold brew", "email", "expired on 30 April 2025"],
    ["email-only", "Members get 15% off every order", "organic_social", "not approved for organic social"],
  ])("%s, picked", (id, text, channel, why) => {
    const findings = ofCode(check(`#ad ${text}`, { claimIds: [id], channel }, cases), "claim_not_allowed");
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain(why);
  });

  it("is found when the claim's text is used without being picked, and points at it", () => {
    const copy = "Why the SMOOTHEST coffee in america? Let's see.";
    const findings = check(copy, {}, cases);
    expect(marked(copy, findings, "claim_not_allowed")).toEqual(["the SMOOTHEST coffee in america"]);
  });

  it("checks the regions when the submission has them, every one of them", () => {
    const copy = "The UK's best-selling oat latte blend.";
    expect(codes(check(copy, { regions: ["uk_ireland"] }, cases))).toEqual([]);
    expect(ofCode(check(copy, { regions: ["north_america"] }, cases), "claim_not_allowed")[0]!.message).toContain("North America");
    expect(codes(check(copy, { regions: ["uk_ireland", "europe"] }, cases))).toEqual(["claim_not_allowed"]);
    // No region known (the command line): not checked.
    expect(codes(check(copy, {}, cases))).toEqual([]);
  });

  it("a claim that expires later is allowed; at the expiry instant it is not", () => {
    expect(codes(check("Save 20% this summer", { claimIds: ["later"] }, cases))).toEqual([]);
    expect(codes(check("Save 20% this summer", { claimIds: ["later"], now: new Date("2025-12-31T00:00:00Z") }, cases))).toEqual(["claim_not_allowed"]);
  });

  it("an id that is not in the library is not allowed", () => {
    expect(codes(check("Our best coffee ever", { claimIds: ["nope"] }, cases))).toContain("claim_not_allowed");
  });

  it("a retired claim used without its disclaimer is two things to fix", () => {
    const withDisclaimer = rules({
      claims: [claim({ id: "r", text: "The smoothest coffee in America", disclaimers: ["Based on a 2022 taste panel."], status: "retired" })],
    });
    expect(codes(check("The smoothest coffee in America", {}, withDisclaimer)).sort()).toEqual(["claim_not_allowed", "missing_disclaimer"]);
  });
});

describe("claimRuleFromLibrary", () => {
  it("keeps a calendar-date claim usable through its expiry day (UTC), as the library lists it", () => {
    const rule = claimRuleFromLibrary({
      id: "x",
      text: "t",
      disclaimers: ["d"],
      channels: ["email"],
      regions: ["europe"],
      status: "approved",
      expiresOn: "2025-06-15",
    });
    expect(rule.expiresAt!.toISOString()).toBe("2025-06-16T00:00:00.000Z");
    const expiring = rules({ claims: [rule] });
    expect(codes(check("t d", { claimIds: ["x"], now: NOW }, expiring))).toEqual([]);
    expect(codes(check("t d", { claimIds: ["x"], now: new Date("2025-06-16T00:00:00Z") }, expiring))).toEqual(["claim_not_allowed"]);
  });
});

describe("claims sharing one wording", () => {
  const text = "Free shipping on orders over $40";
  const versions = rules({
    claims: [claim({ id: "old", text, disclaimers: ["Contiguous US only."], status: "retired" }), claim({ id: "new", text, disclaimers: ["US and Canada."] })],
  });

  it("copy using the wording uses the version it may use", () => {
    expect(codes(check(`${text}. US and Canada.`, {}, versions))).toEqual([]);
    expect(codes(check(`${text}.`, {}, versions))).toEqual(["missing_disclaimer"]);
    expect(check(`${text}.`, {}, versions)[0]!.message).toContain("US and Canada.");
  });

  it("a picked retired version is still not allowed", () => {
    expect(codes(check(`${text}. Contiguous US only.`, { claimIds: ["old"] }, versions))).toEqual(["claim_not_allowed"]);
  });

  it("when no version is allowed, the wording is reported once", () => {
    const allRetired = rules({ claims: versions.claims.map((c) => ({ ...c, status: "retired" })) });
    expect(codes(check(`${text}. US and Canada.`, {}, allRetired))).toEqual(["claim_not_allowed"]);
  });
});
