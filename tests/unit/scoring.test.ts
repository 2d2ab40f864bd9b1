import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  computeFitScore,
  computeRiskFlags,
  emailDomain,
  isDisposableEmailDomain,
  riskLevelOf,
  websiteDomain,
  type ApplicationAnswers,
  type DuplicateSignals,
  type FitScore,
  type ProgramCriteria,
  type RiskFlag,
  type RiskFlagCode,
} from "~/domain/applications/scoring.server";

// The program rules of the worked examples in docs/fit-score.md.
const PROGRAM: ProgramCriteria = {
  partnerTypesOffered: ["affiliate", "publisher", "creator"],
  channelsOffered: ["website_blog", "email", "video", "organic_social"],
  targetRegions: ["north_america", "europe"],
  regionsServed: ["north_america", "europe", "uk_ireland"],
  minAudienceSize: 5000,
  blockedEmailDomains: ["rivalgear.com"],
};

const NO_DUPLICATES: DuplicateSignals = { duplicateEmail: false, duplicateDomain: false };

const chars = (n: number) => "a".repeat(n);

const IDEAL: ApplicationAnswers = {
  company: "Summit Media",
  contactName: "Ana Ruiz",
  email: "ana@summitmedia.com",
  website: "https://www.summitmedia.com",
  partnerType: "publisher",
  channels: ["website_blog", "email", "video"],
  audienceSize: 500_000,
  regions: ["north_america", "europe"],
  audienceDescription: chars(400),
  promotionPlan: chars(400),
  socialHandles: "@summitmedia",
};

function answers(overrides: Partial<ApplicationAnswers> = {}): ApplicationAnswers {
  return { ...IDEAL, ...overrides };
}

function flagsOf(a: ApplicationAnswers, criteria: ProgramCriteria = PROGRAM, dup: DuplicateSignals = NO_DUPLICATES): RiskFlag[] {
  return computeRiskFlags(a, criteria, dup);
}

function codes(a: ApplicationAnswers, criteria: ProgramCriteria = PROGRAM, dup: DuplicateSignals = NO_DUPLICATES): RiskFlagCode[] {
  return flagsOf(a, criteria, dup).map((f) => f.code);
}

function flag(code: RiskFlagCode, a: ApplicationAnswers, criteria: ProgramCriteria = PROGRAM, dup: DuplicateSignals = NO_DUPLICATES): RiskFlag | undefined {
  return flagsOf(a, criteria, dup).find((f) => f.code === code);
}

function score(a: ApplicationAnswers, criteria: ProgramCriteria = PROGRAM, dup: DuplicateSignals = NO_DUPLICATES): FitScore {
  return computeFitScore(a, criteria, computeRiskFlags(a, criteria, dup));
}

function componentScores(s: FitScore) {
  const c = s.components;
  return [c.audienceFit.score, c.channelQuality.score, c.brandAlignment.score, c.risk.score];
}

const riskFlag = (code: RiskFlagCode, severity: RiskFlag["severity"]): RiskFlag => ({ code, severity, message: code });

describe("emailDomain", () => {
  it("takes the lowercase part after the last @", () => {
    expect(emailDomain("Maria@Example.COM")).toBe("example.com");
    expect(emailDomain('"odd@name"@mail.example.org')).toBe("mail.example.org");
    expect(emailDomain("user@example.com.")).toBe("example.com");
    expect(emailDomain("no-at-sign")).toBe("");
  });
});

describe("websiteDomain", () => {
  it("returns the hostname without www., lowercased", () => {
    expect(websiteDomain("https://www.Example.com/path?q=1#x")).toBe("example.com");
    expect(websiteDomain("http://example.com")).toBe("example.com");
    expect(websiteDomain("HTTPS://EXAMPLE.COM")).toBe("example.com");
    expect(websiteDomain("https://shop.example.co.uk/")).toBe("shop.example.co.uk");
    expect(websiteDomain("https://www.shop.example.com")).toBe("shop.example.com");
    expect(websiteDomain("  https://example.com  ")).toBe("example.com");
  });

  it("accepts an address without a scheme, with a path or a port", () => {
    expect(websiteDomain("example.com")).toBe("example.com");
    expect(websiteDomain("www.example.com/blog")).toBe("example.com");
    expect(websiteDomain("example.com:8080/x")).toBe("example.com");
  });

  it("keeps www when removing it would leave a bare top-level domain", () => {
    expect(websiteDomain("www.com")).toBe("www.com");
  });

  it("returns null when missing or not a valid http(s) address", () => {
    expect(websiteDomain(null)).toBeNull();
    expect(websiteDomain("")).toBeNull();
    expect(websiteDomain("   ")).toBeNull();
    expect(websiteDomain("not a url")).toBeNull();
    expect(websiteDomain("localhost")).toBeNull();
    expect(websiteDomain("http://localhost:3000")).toBeNull();
    expect(websiteDomain("http://192.168.0.1")).toBeNull();
    expect(websiteDomain("https://[::1]/")).toBeNull();
    expect(websiteDomain("https://exa_mple.com")).toBeNull();
    expect(websiteDomain("https://")).toBeNull();
  });

  it("returns null for other schemes, including javascript:", () => {
    expect(websiteDomain("javascript:alert(1)")).toBeNull();
    expect(websiteDomain("JavaScript:alert(document.cookie)//example.com")).toBeNull();
    expect(websiteDomain("java\nscript:alert(1)")).toBeNull();
    expect(websiteDomain("javascript:1")).toBeNull();
    expect(websiteDomain("mailto:ana@example.com")).toBeNull();
    expect(websiteDomain("ftp://example.com")).toBeNull();
    expect(websiteDomain("data:text/html,<b>hi</b>")).toBeNull();
  });
});

describe("isDisposableEmailDomain", () => {
  it("knows the maintained list, and its subdomains", () => {
    expect(isDisposableEmailDomain("mailinator.com")).toBe(true);
    expect(isDisposableEmailDomain("MAILINATOR.COM")).toBe(true);
    expect(isDisposableEmailDomain("sub.mailinator.com")).toBe(true);
    expect(isDisposableEmailDomain("a.b.mailinator.com")).toBe(true);
  });

  it("does not flag ordinary or look-alike domains", () => {
    expect(isDisposableEmailDomain("gmail.com")).toBe(false);
    expect(isDisposableEmailDomain("example.com")).toBe(false);
    expect(isDisposableEmailDomain("mymailinator.com")).toBe(false);
    expect(isDisposableEmailDomain("mailinator.com.example.org")).toBe(false);
    expect(isDisposableEmailDomain("mailinator.community")).toBe(false);
    expect(isDisposableEmailDomain("com")).toBe(false);
    expect(isDisposableEmailDomain("")).toBe(false);
  });
});

describe("computeRiskFlags", () => {
  it("raises nothing for a clean application", () => {
    expect(flagsOf(IDEAL)).toEqual([]);
  });

  it("duplicate_email (high) and duplicate_domain (medium) follow the caller's signals", () => {
    expect(flag("duplicate_email", IDEAL, PROGRAM, { duplicateEmail: true, duplicateDomain: false })).toEqual({
      code: "duplicate_email",
      severity: "high",
      message: "Another application already uses the email address ana@summitmedia.com.",
    });
    expect(flag("duplicate_domain", IDEAL, PROGRAM, { duplicateEmail: false, duplicateDomain: true })).toEqual({
      code: "duplicate_domain",
      severity: "medium",
      message: "Another application already comes from the website domain summitmedia.com.",
    });
    expect(codes(IDEAL, PROGRAM, NO_DUPLICATES)).not.toContain("duplicate_email");
    expect(codes(IDEAL, PROGRAM, NO_DUPLICATES)).not.toContain("duplicate_domain");
  });

  it("disposable_email (high) for a listed domain and its subdomains only", () => {
    expect(flag("disposable_email", answers({ email: "x@mailinator.com", website: null }))).toEqual({
      code: "disposable_email",
      severity: "high",
      message: "The email domain mailinator.com is a disposable address service.",
    });
    expect(codes(answers({ email: "x@sub.mailinator.com" }))).toContain("disposable_email");
    expect(codes(answers({ email: "x@mymailinator.com" }))).not.toContain("disposable_email");
    expect(codes(IDEAL)).not.toContain("disposable_email");
  });

  it("blocked_email_domain (high) for the domain or a parent domain, not look-alikes", () => {
    expect(flag("blocked_email_domain", answers({ email: "Spy@RivalGear.com" }))).toEqual({
      code: "blocked_email_domain",
      severity: "high",
      message: "The email domain rivalgear.com is on the program's blocked list.",
    });
    expect(flag("blocked_email_domain", answers({ email: "spy@mail.rivalgear.com" }))?.message).toBe(
      "The email domain mail.rivalgear.com is blocked because rivalgear.com is on the program's blocked list.",
    );
    expect(codes(answers({ email: "ana@notrivalgear.com" }))).not.toContain("blocked_email_domain");
    expect(codes(answers({ email: "ana@rivalgear.co" }))).not.toContain("blocked_email_domain");
    expect(codes(answers({ email: "ana@rivalgear.com.example.org" }))).not.toContain("blocked_email_domain");
    expect(codes(answers({ email: "spy@rivalgear.com" }), { ...PROGRAM, blockedEmailDomains: [] })).not.toContain("blocked_email_domain");
  });

  it("email_domain_mismatch (low) only when there is a website and the domains differ beyond subdomains", () => {
    expect(flag("email_domain_mismatch", answers({ email: "ana@othermedia.com" }))).toEqual({
      code: "email_domain_mismatch",
      severity: "low",
      message: "The email domain othermedia.com differs from the website domain summitmedia.com.",
    });
    // Subdomains in either direction count as the same organisation.
    expect(codes(answers({ email: "ana@mail.summitmedia.com" }))).not.toContain("email_domain_mismatch");
    expect(codes(answers({ email: "ana@summitmedia.com", website: "https://shop.summitmedia.com" }))).not.toContain("email_domain_mismatch");
    // A shared suffix is not a subdomain.
    expect(codes(answers({ email: "ana@notsummitmedia.com" }))).toContain("email_domain_mismatch");
    // Without a website there is nothing to compare: no_website covers it.
    expect(codes(answers({ email: "ana@othermedia.com", website: null }))).not.toContain("email_domain_mismatch");
  });

  it("says so when the mismatch is a free mail provider", () => {
    for (const provider of ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.com", "proton.me"]) {
      expect(flag("email_domain_mismatch", answers({ email: `ana@${provider}` }))?.message).toBe(
        `The email uses the free mail provider ${provider} rather than the website domain summitmedia.com.`,
      );
    }
  });

  it("region_not_served (medium) names every unserved region by label, in catalog order", () => {
    expect(flag("region_not_served", answers({ regions: ["asia_pacific", "north_america", "latin_america"] }))).toEqual({
      code: "region_not_served",
      severity: "medium",
      message: "The program does not serve Latin America and Asia Pacific.",
    });
    expect(flag("region_not_served", answers({ regions: ["middle_east_africa"] }))?.message).toBe("The program does not serve Middle East & Africa.");
    expect(codes(answers({ regions: ["north_america", "europe", "uk_ireland"] }))).not.toContain("region_not_served");
    // No regions served configured means no restriction, not "serves nothing".
    expect(codes(answers({ regions: ["asia_pacific"] }), { ...PROGRAM, regionsServed: [] })).not.toContain("region_not_served");
  });

  it("no_website (medium) when missing, blank or invalid, not when valid", () => {
    expect(flag("no_website", answers({ website: null }))).toEqual({ code: "no_website", severity: "medium", message: "No website was given." });
    expect(flag("no_website", answers({ website: "   " }))?.message).toBe("No website was given.");
    expect(flag("no_website", answers({ website: "javascript:alert(1)" }))?.message).toBe('The website "javascript:alert(1)" is not a valid http(s) address.');
    expect(codes(answers({ website: "not a url" }))).toContain("no_website");
    expect(codes(answers({ website: "summitmedia.com" }))).not.toContain("no_website");
  });

  it("lists flags worst first", () => {
    const worst = answers({ email: "x@mailinator.com", website: null, regions: ["asia_pacific"] });
    expect(codes(worst, PROGRAM, { duplicateEmail: true, duplicateDomain: true })).toEqual([
      "duplicate_email",
      "disposable_email",
      "duplicate_domain",
      "region_not_served",
      "no_website",
    ]);
  });
});

describe("computeFitScore", () => {
  it("gives an ideal applicant 100", () => {
    const s = score(IDEAL);
    expect(s.total).toBe(100);
    expect(componentScores(s)).toEqual([35, 25, 20, 20]);
    expect(s.components.audienceFit.max).toBe(35);
    expect(s.components.channelQuality.max).toBe(25);
    expect(s.components.brandAlignment.max).toBe(20);
    expect(s.components.risk.max).toBe(20);
    // Three wanted owned channels make 27 and are capped.
    expect(s.components.channelQuality.reasons).toContain("Capped at the maximum of 25.");
  });

  it("gives a weak applicant 18", () => {
    const weak = answers({
      email: "sales@bulkdeals.biz",
      website: null,
      partnerType: "reseller",
      channels: ["paid_social", "marketplace"],
      audienceSize: 2000,
      regions: ["europe", "asia_pacific"],
      audienceDescription: chars(45),
      promotionPlan: "We post deals.",
      socialHandles: null,
    });
    const s = score(weak);
    expect(componentScores(s)).toEqual([6, 0, 2, 10]);
    expect(s.total).toBe(18);
    expect(s.components.audienceFit.reasons).toEqual([
      "Audience of 2,000 is less than half the minimum of 5,000: +0.",
      "1 of 2 regions is a target region (Europe; not Asia Pacific): +6.",
      "Reseller is not a partner type the program accepts: +0.",
    ]);
    expect(s.components.channelQuality.reasons).toEqual([
      "None of the channels (Paid social and Marketplace) is one the program wants, so the component scores nothing: +0.",
    ]);
    expect(s.components.brandAlignment.reasons).toEqual([
      "The audience description is brief (45 characters): +2.",
      "The promotion plan is too short to judge (14 characters): +0.",
      "No website is given: +0.",
      "No social handles are given: +0.",
      "Without a website the email domain cannot be matched: +0.",
    ]);
    expect(s.components.risk.reasons).toEqual(["Region not served (medium): −5.", "No website (medium): −5."]);
  });

  it("total is always the sum of the components, and every component explains itself", () => {
    for (const a of [IDEAL, answers({ website: null, channels: [] }), answers({ audienceSize: 0, regions: [] })]) {
      const s = score(a);
      expect(s.total).toBe(componentScores(s).reduce((x, y) => x + y, 0));
      for (const c of Object.values(s.components)) {
        expect(c.reasons.length).toBeGreaterThan(0);
        expect(Number.isInteger(c.score)).toBe(true);
      }
    }
  });

  it("is deterministic", () => {
    expect(score(IDEAL)).toEqual(score(IDEAL));
  });

  describe("audience size bands (minimum 5,000)", () => {
    const sizePoints = (audienceSize: number, minAudienceSize = 5000) =>
      score(answers({ audienceSize }), { ...PROGRAM, minAudienceSize }).components.audienceFit.score - 20;

    it.each([
      [0, 0],
      [2499, 0],
      [2500, 3],
      [4999, 3],
      [5000, 7],
      [14_999, 7],
      [15_000, 10],
      [49_999, 10],
      [50_000, 12],
      [149_999, 12],
      [150_000, 14],
      [499_999, 14],
      [500_000, 15],
      [2_000_000_000, 15],
    ])("audience %i scores %i", (size, expected) => {
      expect(sizePoints(size)).toBe(expected);
    });

    it("treats nonsense sizes as 0", () => {
      expect(sizePoints(-10)).toBe(0);
      expect(sizePoints(Number.NaN)).toBe(0);
    });

    it("bands against a reference of 1,000 when the program sets no minimum", () => {
      expect(sizePoints(499, 0)).toBe(0);
      expect(sizePoints(500, 0)).toBe(3);
      expect(sizePoints(1000, 0)).toBe(7);
      expect(sizePoints(100_000, 0)).toBe(15);
      expect(score(answers({ audienceSize: 1000 }), { ...PROGRAM, minAudienceSize: 0 }).components.audienceFit.reasons[0]).toBe(
        "Audience of 1,000 meets the reference size of 1,000 (the program sets no minimum): +7.",
      );
    });
  });

  describe("regions and partner type", () => {
    const regionPoints = (regions: ApplicationAnswers["regions"], targetRegions: ProgramCriteria["targetRegions"] = PROGRAM.targetRegions) =>
      score(answers({ regions }), { ...PROGRAM, targetRegions }).components.audienceFit.score - 23;

    it("scores the share of regions on target, rounded", () => {
      expect(regionPoints(["north_america", "europe"])).toBe(12);
      expect(regionPoints(["north_america", "uk_ireland"])).toBe(6);
      expect(regionPoints(["north_america", "europe", "uk_ireland"])).toBe(8);
      expect(regionPoints(["north_america", "uk_ireland", "asia_pacific"])).toBe(4);
      expect(regionPoints(["north_america", "europe", "uk_ireland", "asia_pacific"])).toBe(6);
      expect(regionPoints(["north_america", "europe", "latin_america", "uk_ireland", "asia_pacific"])).toBe(5); // 4.8
      expect(regionPoints(["uk_ireland"])).toBe(0);
      expect(regionPoints([])).toBe(0);
    });

    it("counts a repeated region once", () => {
      expect(regionPoints(["north_america", "north_america", "uk_ireland"])).toBe(6);
    });

    it("gives full region points when the program sets no target regions", () => {
      expect(regionPoints(["asia_pacific"], [])).toBe(12);
    });

    it("gives 8 for an accepted partner type, 0 otherwise", () => {
      expect(score(answers({ partnerType: "affiliate" })).components.audienceFit.score).toBe(35);
      expect(score(answers({ partnerType: "strategic" })).components.audienceFit.score).toBe(27);
      expect(score(answers({ partnerType: "strategic" }), { ...PROGRAM, partnerTypesOffered: [] }).components.audienceFit.score).toBe(35);
    });
  });

  describe("channel quality", () => {
    const channelScore = (channels: ApplicationAnswers["channels"], channelsOffered: ProgramCriteria["channelsOffered"] = PROGRAM.channelsOffered) =>
      score(answers({ channels }), { ...PROGRAM, channelsOffered }).components.channelQuality;

    it("values wanted owned channels (9) a little above other wanted channels (7)", () => {
      expect(channelScore(["email"]).score).toBe(9);
      expect(channelScore(["video"]).score).toBe(9);
      expect(channelScore(["organic_social"]).score).toBe(7);
      expect(channelScore(["paid_social"], ["paid_social"]).score).toBe(7);
      expect(channelScore(["marketplace"], ["marketplace"]).score).toBe(7);
      expect(channelScore(["email", "organic_social"]).score).toBe(16);
      expect(channelScore(["website_blog", "email", "organic_social"]).score).toBe(25);
    });

    it("gives nothing for channels the program does not ask for", () => {
      expect(channelScore(["email", "paid_social", "events", "marketplace"]).score).toBe(9);
    });

    it("scores 0 with no overlap, or no channels", () => {
      const none = channelScore(["paid_social", "events"]);
      expect(none.score).toBe(0);
      expect(none.reasons[0]).toMatch(/None of the channels \(Paid social and Events\) is one the program wants/);
      expect(channelScore([]).score).toBe(0);
    });

    it("caps at 25", () => {
      const all = channelScore(["website_blog", "email", "video", "organic_social"]);
      expect(all.score).toBe(25);
      expect(all.reasons.at(-1)).toBe("Capped at the maximum of 25.");
    });

    it("treats every channel as wanted when the program names none", () => {
      expect(channelScore(["events"], []).score).toBe(7);
    });
  });

  describe("brand alignment", () => {
    const brand = (overrides: Partial<ApplicationAnswers>) => score(answers(overrides)).components.brandAlignment;

    it.each([
      [39, 0],
      [40, 2],
      [149, 2],
      [150, 4],
      [399, 4],
      [400, 5],
      [2000, 5],
    ])("a %i-character answer earns %i", (length, expected) => {
      expect(brand({ audienceDescription: chars(length) }).score).toBe(15 + expected);
      expect(brand({ promotionPlan: chars(length) }).score).toBe(15 + expected);
    });

    it("does not count padding", () => {
      const padded = `  ${"word ".repeat(7)}\n\n\n${" ".repeat(200)}x  `; // 36 characters once collapsed
      expect(brand({ audienceDescription: padded }).score).toBe(15);
    });

    it("awards 3 for a website, 2 for social handles and 5 for a matching email domain", () => {
      expect(brand({}).score).toBe(20);
      expect(brand({ socialHandles: null }).score).toBe(18);
      expect(brand({ socialHandles: "  " }).score).toBe(18);
      expect(brand({ email: "ana@gmail.com" }).score).toBe(15);
      expect(brand({ email: "ana@mail.summitmedia.com" }).score).toBe(20);
      expect(brand({ website: null }).score).toBe(12);
      expect(brand({ website: "javascript:alert(1)" }).reasons).toContain("The website is not a valid address: +0.");
    });
  });

  describe("risk", () => {
    const riskOf = (flags: RiskFlag[]) => computeFitScore(IDEAL, PROGRAM, flags).components.risk;

    it("deducts 10, 5 and 2 by severity", () => {
      expect(riskOf([]).score).toBe(20);
      expect(riskOf([riskFlag("duplicate_email", "high")]).score).toBe(10);
      expect(riskOf([riskFlag("no_website", "medium")]).score).toBe(15);
      expect(riskOf([riskFlag("email_domain_mismatch", "low")]).score).toBe(18);
      expect(riskOf([riskFlag("region_not_served", "medium"), riskFlag("email_domain_mismatch", "low")]).reasons).toEqual([
        "Region not served (medium): −5.",
        "Email domain differs from website (low): −2.",
      ]);
    });

    it("counts each kind of flag once", () => {
      expect(riskOf([riskFlag("no_website", "medium"), riskFlag("no_website", "medium")]).score).toBe(15);
    });

    it("never goes below 0", () => {
      const worst = answers({ email: "x@mailinator.com", website: null, regions: ["asia_pacific"] });
      const s = score(worst, PROGRAM, { duplicateEmail: true, duplicateDomain: true });
      expect(s.components.risk.score).toBe(0);
      expect(s.components.risk.reasons.at(-1)).toBe("Deductions exceed the maximum, so this component stops at 0.");
      // Two high flags alone already empty it, without a clamp.
      expect(riskOf([riskFlag("duplicate_email", "high"), riskFlag("disposable_email", "high")]).score).toBe(0);
    });

    it("can bring the whole score to 0", () => {
      const hopeless = answers({
        email: "x@mailinator.com",
        website: null,
        partnerType: "strategic",
        channels: ["events"],
        audienceSize: 10,
        regions: ["asia_pacific"],
        audienceDescription: "hi",
        promotionPlan: "ads",
        socialHandles: null,
      });
      const s = score(hopeless, PROGRAM, { duplicateEmail: true, duplicateDomain: false });
      expect(componentScores(s)).toEqual([0, 0, 0, 0]);
      expect(s.total).toBe(0);
    });
  });
});

describe("worked examples in docs/fit-score.md", () => {
  const doc = fs.readFileSync(path.resolve("docs/fit-score.md"), "utf8");
  const section = (heading: string) => {
    const start = doc.indexOf(heading);
    expect(start, `missing heading ${heading}`).toBeGreaterThanOrEqual(0);
    const next = doc.indexOf("\n### ", start + heading.length);
    return doc.slice(start, next < 0 ? undefined : next);
  };

  function expectDocMatches(text: string, s: FitScore, flags: RiskFlag[]) {
    const c = s.components;
    expect(text).toContain(`| Audience fit | ${c.audienceFit.score} / 35 |`);
    expect(text).toContain(`| Channel quality | ${c.channelQuality.score} / 25 |`);
    expect(text).toContain(`| Brand alignment | ${c.brandAlignment.score} / 20 |`);
    expect(text).toContain(`| Risk | ${c.risk.score} / 20 |`);
    expect(text).toContain(`| **Total** | **${s.total} / 100** |`);
    for (const reason of Object.values(c).flatMap((x) => x.reasons)) expect(text).toContain(`- ${reason}\n`);
    for (const f of flags) expect(text).toContain(`: ${f.message}\n`);
  }

  it("Example 1: Northwind Outdoor Journal scores 83", () => {
    const northwind: ApplicationAnswers = {
      company: "Northwind Outdoor Journal",
      contactName: "Maria Lopez",
      email: "maria@northwind-journal.com",
      website: "https://www.northwind-journal.com/",
      partnerType: "publisher",
      channels: ["website_blog", "email", "paid_social"],
      audienceSize: 80_000,
      regions: ["north_america", "uk_ireland"],
      audienceDescription:
        "Hikers, trail runners and weekend campers in the US, Canada and the UK, mostly aged 25 to 45, who read our gear reviews before they buy. Two thirds of readers come back every month.",
      promotionPlan:
        "We would publish an in-depth review of your rain shells in our spring buying guide, feature the brand in two of our weekly newsletters (62,000 subscribers, 48% open rate), and add your products to our evergreen 'best waterproof jackets' page, which ranks on the first page for its main search terms. Every review is tested on the trail for at least a month, and we disclose affiliate links at the top of every article and in each newsletter.",
      socialHandles: "@northwindjournal on Instagram, youtube.com/@northwind",
    };
    const flags = computeRiskFlags(northwind, PROGRAM, NO_DUPLICATES);
    const s = computeFitScore(northwind, PROGRAM, flags);
    expect(flags).toEqual([]);
    expect(componentScores(s)).toEqual([26, 18, 19, 20]);
    expect(s.total).toBe(83);
    expectDocMatches(section("### Example 1: Northwind Outdoor Journal (83)"), s, flags);
  });

  it("Example 2: Deal Drop scores 41", () => {
    const dealDrop: ApplicationAnswers = {
      company: "Deal Drop",
      contactName: "Dan Carter",
      email: "dealdropdan@gmail.com",
      website: "dealdrop.shop",
      partnerType: "creator",
      channels: ["paid_social", "organic_social", "marketplace"],
      audienceSize: 3000,
      regions: ["europe", "asia_pacific"],
      audienceDescription: "Deal hunters who follow us for flash sales and coupon codes.",
      promotionPlan: "Post your best discounts in our stories and list them in our deals feed on the weekends.",
      socialHandles: "@dealdrop on Instagram and TikTok",
    };
    const flags = computeRiskFlags(dealDrop, PROGRAM, { duplicateEmail: false, duplicateDomain: true });
    const s = computeFitScore(dealDrop, PROGRAM, flags);
    expect(flags.map((f) => [f.code, f.severity])).toEqual([
      ["duplicate_domain", "medium"],
      ["region_not_served", "medium"],
      ["email_domain_mismatch", "low"],
    ]);
    expect(componentScores(s)).toEqual([17, 7, 9, 8]);
    expect(s.total).toBe(41);
    expectDocMatches(section("### Example 2: Deal Drop (41)"), s, flags);
  });
});

describe("risk level", () => {
  // Each kind of flag counts once, so every flag of the list gets a different code.
  const CODES: RiskFlagCode[] = ["duplicate_email", "duplicate_domain", "email_domain_mismatch", "no_website", "region_not_served"];
  /** The risk component that flags of these severities leave, as the reviewer's page shows it. */
  const riskScoreWith = (...severities: RiskFlag["severity"][]) =>
    computeFitScore(
      answers(),
      PROGRAM,
      severities.map((severity, i) => ({ code: CODES[i]!, severity, message: "" })),
    ).components.risk.score;

  it("reads low with no flags or up to two low ones", () => {
    expect(riskLevelOf(riskScoreWith())).toBe("low");
    expect(riskLevelOf(riskScoreWith("low"))).toBe("low");
    expect(riskLevelOf(riskScoreWith("low", "low"))).toBe("low");
  });

  it("reads medium with one medium flag, a medium and a low, or three low ones", () => {
    expect(riskLevelOf(riskScoreWith("medium"))).toBe("medium");
    expect(riskLevelOf(riskScoreWith("medium", "low"))).toBe("medium");
    expect(riskLevelOf(riskScoreWith("low", "low", "low"))).toBe("medium");
  });

  it("reads high with a high flag or two medium ones, down to 0", () => {
    expect(riskLevelOf(riskScoreWith("high"))).toBe("high");
    expect(riskLevelOf(riskScoreWith("medium", "medium"))).toBe("high");
    expect(riskLevelOf(3)).toBe("high");
    expect(riskLevelOf(0)).toBe("high");
  });

  it("bands every possible score, the boundaries where docs/fit-score.md puts them", () => {
    const levels = Array.from({ length: 21 }, (_, score) => riskLevelOf(score));
    expect(levels.lastIndexOf("high")).toBe(10);
    expect(levels.indexOf("medium")).toBe(11);
    expect(levels.lastIndexOf("medium")).toBe(15);
    expect(levels.indexOf("low")).toBe(16);
  });
});
