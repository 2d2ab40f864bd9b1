import { domainToUnicode } from "node:url";
import { describe, expect, it } from "vitest";
import { ApplySchema } from "~/domain/applications/schemas.server";
import { computeRiskFlags, emailDomain, isDisposableEmailDomain, type ProgramCriteria } from "~/domain/applications/scoring.server";
import { commercialTermsFields, TeamActionSchema } from "~/domain/partners/schemas.server";
import { canonicalEmail, Email, parseDecimal, WholeNumber } from "~/lib/forms.server";

describe("decimal fields (rates, amounts)", () => {
  it("read a comma with one or two digits as the decimal mark, commas between groups of three as thousands", () => {
    expect(parseDecimal("12,5")).toBe(12.5);
    expect(parseDecimal(" 12,50 ")).toBe(12.5);
    expect(parseDecimal("12.5")).toBe(12.5);
    expect(parseDecimal("5,000.50")).toBe(5000.5);
    expect(parseDecimal("1,000")).toBe(1000);
    expect(parseDecimal("7")).toBe(7);
  });

  it("refuse what they would have to guess at", () => {
    for (const value of ["1.000,5", "12,5,0", "12,5.5", "1,00,0", "12,", ",5", "abc", "1e3", ""]) expect(parseDecimal(value), value).toBeNull();
  });

  it("give a rate of 12,5 as 12.5, not 'must be at most 100'", () => {
    expect(commercialTermsFields.rate.parse("12,5")).toBe(12.5);
    expect(commercialTermsFields.rate.safeParse("1.000,5").error?.issues[0]?.message).toBe("Enter the rate as a number.");
  });
});

describe("whole-number fields (audience size)", () => {
  const audience = WholeNumber("your audience size", 0, 2_000_000_000);

  it("read commas, spaces and underscores between groups of three as thousands separators", () => {
    for (const [value, expected] of [
      ["1,000", 1000],
      ["2 000 000", 2_000_000],
      ["85000", 85000],
      ["1_500", 1500],
      ["0", 0],
    ] as const)
      expect(audience.parse(value), value).toBe(expected);
  });

  it("refuse a decimal, a misplaced separator or words, and name the allowed range when out of it", () => {
    const message = (value: string) => audience.safeParse(value).error?.issues[0]?.message;
    expect(message("12.5")).toBe("Use a whole number.");
    expect(message("1,5")).toBe("Use a whole number.");
    expect(message("lots")).toBe("Enter your audience size as a number.");
    expect(message("")).toBe("Enter your audience size as a number.");
    expect(message("-1")).toBe("Enter a number from 0 to 2,000,000,000.");
    expect(message("3,000,000,000")).toBe("Enter a number from 0 to 2,000,000,000.");
  });
});

describe("email addresses", () => {
  it("accept a Unicode local part and an IDN domain, NFC-normalised, lower case, the domain in Unicode", () => {
    expect(canonicalEmail("zoë@exämple.com")).toBe("zoë@exämple.com");
    expect(canonicalEmail("Zoe\u0308@XN--EXMPLE-CUA.COM")).toBe("zo\u00eb@ex\u00e4mple.com");
    expect(canonicalEmail("用户@例子.广告")).toBe("用户@例子.广告");
    expect(Email.parse("  Nora@Example.com ")).toBe("nora@example.com");
  });

  it("are accepted by the invite forms too (they share the Email schema)", () => {
    expect(TeamActionSchema.parse({ intent: "invite", email: "Zoë@XN--EXMPLE-CUA.COM" })).toEqual({ intent: "invite", email: "zoë@exämple.com" });
  });

  it("refuse what is not an address", () => {
    for (const value of [
      "nora",
      "nora@",
      "@example.com",
      "no ra@example.com",
      "nora@example",
      "nora@-x-.com",
      "a..b@example.com",
      ".a@example.com",
      `${"a".repeat(65)}@example.com`,
      "nora@exa_mple.com",
    ]) {
      expect(canonicalEmail(value), value).toBeNull();
    }
  });

  it("compare domains in one form: the disposable list, the blocked list and the website match see through punycode", () => {
    expect(emailDomain("zoë@exämple.com")).toBe("xn--exmple-cua.com");
    expect(emailDomain("zoë@xn--exmple-cua.com")).toBe("xn--exmple-cua.com");
    expect(isDisposableEmailDomain("mailinator.com")).toBe(true);
    expect(isDisposableEmailDomain("MAILINATOR.com.")).toBe(true);
    // Listed in punycode, typed in Unicode.
    const listed = "xn-----6kcpc1bhcrdk5h1d.com";
    expect(domainToUnicode(listed)).not.toBe(listed);
    expect(isDisposableEmailDomain(domainToUnicode(listed))).toBe(true);
    const criteria: ProgramCriteria = {
      partnerTypesOffered: ["publisher"],
      channelsOffered: ["email"],
      targetRegions: [],
      regionsServed: [],
      minAudienceSize: 0,
      blockedEmailDomains: ["exämple.com"],
    };
    const input = ApplySchema.parse({
      company: "Zoë Media",
      contactName: "Zoë",
      email: "zoë@xn--exmple-cua.com",
      website: "https://www.exämple.com",
      partnerType: "publisher",
      channels: "email",
      audienceSize: "1,000",
      regions: "europe",
      audienceDescription: "Readers.",
      promotionPlan: "Newsletter.",
      privacyConsent: "yes",
    });
    const codes = computeRiskFlags(input, criteria, { duplicateEmail: false, duplicateDomain: false }).map((f) => f.code);
    expect(codes).toContain("blocked_email_domain");
    expect(codes).not.toContain("email_domain_mismatch");
  });
});
