import { describe, expect, it } from "vitest";
import { bannedTermLine, CHANNEL_FILE_RULE_FIELDS, channelFieldName } from "~/domain/creatives/rules-form";
import { allowedDomainOf, prescreenRulesSchema } from "~/domain/creatives/rules-schema.server";
import { channelRulesFor, DEFAULT_RULES, type ProgramRules } from "~/domain/prescreen";

// Settings → Pre-screen rules: the form as the page renders it from a rule
// set, and what the schema makes of it.

const CHANNELS = ["website_blog", "email", "paid_social", "organic_social", "video", "events", "marketplace"];

/** The form exactly as the page fills it from `rules`: checkboxes as repeated values (the page's order), lists one per line. */
function formOf(rules: ProgramRules, channels = CHANNELS): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {
    disclosurePhrases: rules.disclosurePhrases.join("\r\n"),
    ambiguousDisclosureMarkers: rules.ambiguousDisclosureMarkers.join("\r\n"),
    disclosureChannels: channels.filter((c) => rules.disclosureChannels.includes(c)),
    disclosurePartnerTypes: [...rules.disclosurePartnerTypes],
    disclosureWithinChars: String(rules.disclosureWithinChars),
    bannedTerms: rules.bannedTerms.map(bannedTermLine).join("\r\n"),
    claimTriggers: rules.claimTriggers.join("\r\n"),
    claimTriggerExceptions: rules.claimTriggerExceptions.join("\r\n"),
    allowedDomains: rules.allowedDomains.join("\r\n"),
  };
  for (const channel of channels) {
    const effective = channelRulesFor(rules, channel);
    for (const f of CHANNEL_FILE_RULE_FIELDS) form[channelFieldName(channel, f.key)] = effective[f.key] == null ? "" : String(effective[f.key]);
  }
  return form;
}

const parse = (rules: ProgramRules, form: Record<string, string | string[]>, channels = CHANNELS) => prescreenRulesSchema(rules, channels).safeParse(form);

const errorsOf = (result: ReturnType<typeof parse>) =>
  result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));

describe("the pre-screen rules form", () => {
  it("gives back exactly the rules it was filled from when nothing is changed", () => {
    const current: ProgramRules = {
      ...DEFAULT_RULES,
      bannedTerms: ["cure", { term: "heal", matchWordForms: true }, { term: "detox" }],
      allowedDomains: ["northwindcoffee.com"],
    };
    const result = parse(current, formOf(current));
    expect(result.success).toBe(true);
    // Same JSON, so saveRuleSet sees no change and makes no version.
    expect(JSON.stringify(result.data?.rules)).toBe(JSON.stringify(current));
    expect(result.data?.basedOn).toBeNull();
  });

  it("reads lists one entry per line: trimmed, blank lines dropped, repeats in any case kept once", () => {
    const result = parse(DEFAULT_RULES, { ...formOf(DEFAULT_RULES), bannedTerms: "  miracle \n\n Miracle\nweight loss\nheal*\n", claimTriggers: "best\n#1" });
    expect(result.data?.rules.bannedTerms).toEqual(["miracle", "weight loss", "heal*"]);
    expect(result.data?.rules.claimTriggers).toEqual(["best", "#1"]);
  });

  it("normalises allowed domains and refuses what is not one", () => {
    expect(allowedDomainOf("https://Shop.NorthwindCoffee.com/beans")).toBe("shop.northwindcoffee.com");
    expect(allowedDomainOf("*.northwindcoffee.com")).toBe("northwindcoffee.com");
    for (const bad of ["not a domain", "localhost", "127.0.0.1", "[::1]", "northwind_coffee", "https://", "example.c0m"])
      expect(allowedDomainOf(bad), bad).toBeNull();
    const result = parse(DEFAULT_RULES, {
      ...formOf(DEFAULT_RULES),
      allowedDomains: "northwindcoffee.com\nhttps://northwindcoffee.com/\nlocalhost\n127.0.0.1",
    });
    expect(errorsOf(result).allowedDomains).toBe('"localhost", "127.0.0.1" are not domain names. Write one domain per line, such as example.com.');
    expect(
      parse(DEFAULT_RULES, { ...formOf(DEFAULT_RULES), allowedDomains: "NorthwindCoffee.com\nhttps://northwindcoffee.com/" }).data?.rules.allowedDomains,
    ).toEqual(["northwindcoffee.com"]);
  });

  it("refuses a banned term with * anywhere but its end, or without a letter or digit", () => {
    const result = parse(DEFAULT_RULES, { ...formOf(DEFAULT_RULES), bannedTerms: "he*al\n***\nheal*" });
    expect(errorsOf(result).bannedTerms).toBe('"he*al", "***" are not a term: use words, with * only at the end for word forms.');
  });

  it("keeps the disclosure position between 20 and 500, and at least one phrase", () => {
    expect(errorsOf(parse(DEFAULT_RULES, { ...formOf(DEFAULT_RULES), disclosureWithinChars: "5" })).disclosureWithinChars).toBe(
      "Enter a number from 20 to 500.",
    );
    expect(errorsOf(parse(DEFAULT_RULES, { ...formOf(DEFAULT_RULES), disclosureWithinChars: "12.5" })).disclosureWithinChars).toBe("Use a whole number.");
    expect(parse(DEFAULT_RULES, { ...formOf(DEFAULT_RULES), disclosureWithinChars: "500" }).data?.rules.disclosureWithinChars).toBe(500);
    expect(errorsOf(parse(DEFAULT_RULES, { ...formOf(DEFAULT_RULES), disclosurePhrases: " \n " })).disclosurePhrases).toMatch(
      /^Keep at least one disclosure phrase/,
    );
  });

  it("takes only offered channels and known partner types, and keeps what was set for channels no longer offered", () => {
    expect(errorsOf(parse(DEFAULT_RULES, { ...formOf(DEFAULT_RULES), disclosureChannels: ["tv"] })).disclosureChannels).toBe("Choose channels from the list.");
    expect(errorsOf(parse(DEFAULT_RULES, { ...formOf(DEFAULT_RULES), disclosurePartnerTypes: "robot" })).disclosurePartnerTypes).toBe(
      "Choose partner types from the list.",
    );
    const offered = ["website_blog", "email", "paid_social"];
    const result = parse(DEFAULT_RULES, { ...formOf(DEFAULT_RULES, offered), disclosureChannels: [] }, offered);
    // paid_social unticked; organic_social and video are not offered, so the form could not untick them.
    expect(result.data?.rules.disclosureChannels).toEqual(["organic_social", "video"]);
  });

  it("writes a channel's file rule only where it differs from what applies, empty meaning no limit", () => {
    const form = {
      ...formOf(DEFAULT_RULES),
      [channelFieldName("email", "minImageWidth")]: "640",
      [channelFieldName("events", "maxPdfPages")]: "",
      [channelFieldName("website_blog", "characterLimit")]: "3,000",
    };
    const rules = parse(DEFAULT_RULES, form).data!.rules;
    expect(rules.channelRules["email"]).toEqual({ ...DEFAULT_RULES.channelRules["email"], minImageWidth: 640 });
    expect(rules.channelRules["events"]).toEqual({ ...DEFAULT_RULES.channelRules["events"], maxPdfPages: null });
    expect(rules.channelRules["website_blog"]).toEqual({ ...DEFAULT_RULES.channelRules["website_blog"], characterLimit: 3000 });
    expect(rules.channelRules["organic_social"]).toBe(DEFAULT_RULES.channelRules["organic_social"]);
    expect(rules.defaultChannelRules).toBe(DEFAULT_RULES.defaultChannelRules);
    const refused = errorsOf(
      parse(DEFAULT_RULES, { ...form, [channelFieldName("video", "characterLimit")]: "9000", [channelFieldName("email", "minImageHeight")]: "0" }),
    );
    expect(refused[channelFieldName("video", "characterLimit")]).toBe("Enter a number from 1 to 5,000.");
    expect(refused[channelFieldName("email", "minImageHeight")]).toBe("Enter a number from 1 to 20,000.");
  });
});
