import { z } from "zod";
import { WholeNumber } from "~/lib/forms.server";
import { PARTNER_TYPE_VALUES } from "../applications/catalog";
import { channelRulesFor, normaliseAllowedDomain, type BannedTerm, type ChannelRules, type ProgramRules } from "../prescreen";
import { termPatternSource } from "../prescreen/text";
import { bannedTermLine, CHANNEL_FILE_RULE_FIELDS, channelFieldName, RULES_FORM_LIMITS } from "./rules-form";

// Settings → Pre-screen rules: the admin's form as a ProgramRules to save.
// The form shows only part of the rule set (file types and sizes, the
// default channel rules and the brand name stay as they are), so the schema is
// built over the rules in force and keeps whatever the form does not carry.

const L = RULES_FORM_LIMITS;

// A host name once normalised: letters, digits and inner hyphens per label, a top-level label of letters or punycode.
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

const quoted = (lines: readonly string[]) =>
  lines
    .slice(0, 3)
    .map((l) => `"${l.length > 40 ? `${l.slice(0, 40)}…` : l}"`)
    .join(", ") + (lines.length > 3 ? ` and ${lines.length - 3} more` : "");

/**
 * A textarea of one entry per line: trimmed, blank lines dropped, repeats
 * (in any case) kept once, in the order typed. `check` names what is wrong
 * with a line, or null.
 */
function lineList(label: string, options: { required?: string; check?: { message: (bad: string[]) => string; bad: (line: string) => boolean } } = {}) {
  return z
    .string()
    .max(L.listChars, `${label}: keep the list under ${L.listChars.toLocaleString("en")} characters.`)
    .default("")
    .transform((text) => {
      const seen = new Set<string>();
      return text
        .split(/\r\n?|\n/)
        .map((line) => line.trim())
        .filter((line) => {
          const key = line.toLowerCase();
          if (!line || seen.has(key)) return false;
          seen.add(key);
          return true;
        });
    })
    .superRefine((lines, ctx) => {
      if (options.required && lines.length === 0) ctx.addIssue({ code: "custom", message: options.required });
      if (lines.length > L.lines) ctx.addIssue({ code: "custom", message: `${label}: use at most ${L.lines} lines.` });
      const long = lines.filter((line) => line.length > L.lineChars);
      if (long.length) ctx.addIssue({ code: "custom", message: `Keep each line to ${L.lineChars} characters: ${quoted(long)}.` });
      const bad = options.check ? lines.filter(options.check.bad) : [];
      if (bad.length) ctx.addIssue({ code: "custom", message: options.check!.message(bad) });
    });
}

/** A number a channel's setting may leave empty: empty is "no limit" (null). */
function optionalWholeNumber(label: string, limits: { min: number; max: number }) {
  const number = WholeNumber(label, limits.min, limits.max);
  return z
    .string()
    .trim()
    .max(40, `Enter ${label} as a number.`)
    .default("")
    .transform((value, ctx) => {
      if (value === "") return null;
      const parsed = number.safeParse(value);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
      return z.NEVER;
    });
}

/** Checkboxes: nothing, one value or several; each must be one of `allowed`. */
const checkedOf = (allowed: readonly string[], message: string) =>
  z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.string().max(100)).refine((values) => values.every((v) => allowed.includes(v)), message),
  );

/** The same set as before keeps its order: ticking the same boxes is no change. */
function keepOrderIfSame(next: readonly string[], current: readonly string[]): string[] {
  const same = next.length === new Set(current).size && next.every((v) => current.includes(v));
  return same ? [...current] : [...next];
}

/** A list typed back exactly as the form showed it keeps its stored form (a banned term may be stored as an object). */
function unlessUnchanged<T>(typed: string[], current: readonly T[], shown: (item: T) => string): (string | T)[] {
  const before = current.map(shown);
  return typed.length === before.length && typed.every((line, i) => line === before[i]) ? [...current] : typed;
}

/** Normalised allowlist entries (a bare lower-case host), or null for a line that is not a domain. */
export function allowedDomainOf(line: string): string | null {
  const host = normaliseAllowedDomain(line);
  return host && HOST.test(host) ? host : null;
}

// A banned term is whole words: it needs a letter or digit, and "*" (word forms) only at its end.
const badBannedTerm = (line: string) => {
  const term = line.endsWith("*") ? line.slice(0, -1).trim() : line;
  return term.includes("*") || !/[\p{L}\p{N}]/u.test(term) || termPatternSource(term, { wordForms: false }) === null;
};

/**
 * The form over the rules in force (`current`) and the program's channels:
 * what it yields is the whole rule set to save (saveRuleSet decides whether
 * anything changed) and the version the form was filled from (`basedOn`,
 * null when the form did not say).
 */
export function prescreenRulesSchema(current: ProgramRules, channels: readonly string[]) {
  const channelFields = Object.fromEntries(
    channels.flatMap((channel) =>
      CHANNEL_FILE_RULE_FIELDS.map((f) => [
        channelFieldName(channel, f.key),
        optionalWholeNumber(`the ${f.label.toLowerCase().replace(/ \(px\)$/, "")}`, f.limits),
      ]),
    ),
  ) as Record<string, ReturnType<typeof optionalWholeNumber>>;

  return z
    .object({
      disclosurePhrases: lineList("Disclosure phrases", {
        required: "Keep at least one disclosure phrase: without one, no copy on a channel that needs a disclosure can pass.",
      }),
      ambiguousDisclosureMarkers: lineList("Unclear markers"),
      disclosureChannels: checkedOf(channels, "Choose channels from the list."),
      disclosurePartnerTypes: checkedOf(PARTNER_TYPE_VALUES, "Choose partner types from the list."),
      disclosureWithinChars: WholeNumber("the number of characters", L.disclosureWithin.min, L.disclosureWithin.max),
      bannedTerms: lineList("Banned terms", {
        check: {
          message: (bad) => `${quoted(bad)} ${bad.length === 1 ? "is" : "are"} not a term: use words, with * only at the end for word forms.`,
          bad: badBannedTerm,
        },
      }),
      claimTriggers: lineList("Claim triggers"),
      claimTriggerExceptions: lineList("Trigger exceptions"),
      basedOn: z.coerce.number().int().min(0).optional().catch(undefined),
      allowedDomains: lineList("Allowed destinations", {
        check: {
          message: (bad) =>
            `${quoted(bad)} ${bad.length === 1 ? "is not a domain name" : "are not domain names"}. Write one domain per line, such as example.com.`,
          bad: (line) => allowedDomainOf(line) === null,
        },
      }),
      ...channelFields,
    })
    .transform((form): { rules: ProgramRules; basedOn: number | null } => {
      const values = form as unknown as Record<string, number | null>;
      const channelRules: Record<string, ChannelRules> = { ...current.channelRules };
      for (const channel of channels) {
        const effective = channelRulesFor(current, channel);
        const own: ChannelRules = { ...current.channelRules[channel] };
        let changed = false;
        for (const { key } of CHANNEL_FILE_RULE_FIELDS) {
          const typed = values[channelFieldName(channel, key)] ?? null;
          // Only what differs from what applies now is written, so saving an untouched form changes nothing.
          if ((effective[key] ?? null) === typed) continue;
          own[key] = typed;
          changed = true;
        }
        if (changed) channelRules[channel] = own;
      }
      const allowedDomains = [...new Set(form.allowedDomains.map((line) => allowedDomainOf(line)!))];
      const rules: ProgramRules = {
        ...current,
        disclosurePhrases: unlessUnchanged(form.disclosurePhrases, current.disclosurePhrases, String) as string[],
        ambiguousDisclosureMarkers: unlessUnchanged(form.ambiguousDisclosureMarkers, current.ambiguousDisclosureMarkers, String) as string[],
        // Channels the program no longer offers cannot be ticked here; what was set for them stays.
        disclosureChannels: keepOrderIfSame(
          [...form.disclosureChannels, ...current.disclosureChannels.filter((c) => !channels.includes(c))],
          current.disclosureChannels,
        ),
        disclosurePartnerTypes: keepOrderIfSame(form.disclosurePartnerTypes, current.disclosurePartnerTypes),
        disclosureWithinChars: form.disclosureWithinChars,
        bannedTerms: unlessUnchanged<BannedTerm>(form.bannedTerms, current.bannedTerms, bannedTermLine),
        claimTriggers: unlessUnchanged(form.claimTriggers, current.claimTriggers, String) as string[],
        claimTriggerExceptions: unlessUnchanged(form.claimTriggerExceptions, current.claimTriggerExceptions, String) as string[],
        allowedDomains: unlessUnchanged(allowedDomains, current.allowedDomains, String) as string[],
        channelRules,
      };
      return { rules, basedOn: form.basedOn ?? null };
    });
}
