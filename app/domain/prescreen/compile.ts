import { normaliseAllowedDomain } from "./destination";
import { escapeRegExp, fold, phraseTokens, termPatternSource } from "./text";
import type { BannedTerm, ClaimRule, PrescreenRules } from "./types";

// Rules are compiled once per rule-set object (patterns, claim tokens,
// domains) and reused for every check: the editor runs the pre-screen on
// each keystroke and the command line on thousands of lines.

export type NamedPattern = { label: string; pattern: RegExp };

export type CompiledClaim = {
  rule: ClaimRule;
  textTokens: string[];
  disclaimers: { text: string; tokens: string[] }[];
};

export type CompiledRules = {
  rules: PrescreenRules;
  disclosures: NamedPattern[];
  ambiguousMarkers: NamedPattern[];
  bannedTerms: NamedPattern[];
  triggers: NamedPattern[];
  triggerExceptions: RegExp[];
  claims: CompiledClaim[];
  claimsById: ReadonlyMap<string, CompiledClaim>;
  allowedDomains: string[];
};

const cache = new WeakMap<PrescreenRules, CompiledRules>();

/** The compiled form of a rule set, built on first use. */
export function compileRules(rules: PrescreenRules): CompiledRules {
  const cached = cache.get(rules);
  if (cached) return cached;
  const claims = rules.claims.map(compileClaim);
  const compiled: CompiledRules = {
    rules,
    disclosures: namedPatterns(rules.disclosurePhrases, (p) => disclosurePatternSource(p, rules.brandName ?? null)),
    ambiguousMarkers: namedPatterns(rules.ambiguousDisclosureMarkers, (p) => disclosurePatternSource(p, rules.brandName ?? null)),
    bannedTerms: rules.bannedTerms.flatMap(compileBannedTerm),
    triggers: namedPatterns(rules.claimTriggers, triggerPatternSource),
    triggerExceptions: rules.claimTriggerExceptions.flatMap((e) => {
      const source = termPatternSource(e, { wordForms: false });
      return source ? [new RegExp(source, "gu")] : [];
    }),
    claims,
    claimsById: new Map(claims.map((c) => [c.rule.id, c])),
    allowedDomains: rules.allowedDomains.flatMap((d) => normaliseAllowedDomain(d) ?? []),
  };
  cache.set(rules, compiled);
  return compiled;
}

function namedPatterns(labels: readonly string[], toSource: (label: string) => string | null): NamedPattern[] {
  return labels.flatMap((label) => {
    const source = toSource(label);
    return source ? [{ label: label.trim(), pattern: new RegExp(source, "gu") }] : [];
  });
}

function compileClaim(rule: ClaimRule): CompiledClaim {
  return {
    rule,
    textTokens: phraseTokens(rule.text),
    disclaimers: rule.disclaimers.map((text) => ({ text: text.trim(), tokens: phraseTokens(text) })),
  };
}

/** A banned term as written by the admin: "heal*" or { term, matchWordForms } also match word forms. */
export function bannedTermParts(term: BannedTerm): { term: string; matchWordForms: boolean } {
  if (typeof term === "string") {
    const trimmed = term.trim();
    return trimmed.endsWith("*") ? { term: trimmed.slice(0, -1).trim(), matchWordForms: true } : { term: trimmed, matchWordForms: false };
  }
  return { term: term.term.trim(), matchWordForms: term.matchWordForms === true };
}

function compileBannedTerm(banned: BannedTerm): NamedPattern[] {
  const { term, matchWordForms } = bannedTermParts(banned);
  const source = termPatternSource(term, { wordForms: matchWordForms });
  return source ? [{ label: term, pattern: new RegExp(source, "gu") }] : [];
}

// A name standing in for {brand} when the program has none set.
const ANY_NAME = "[\\p{L}\\p{N}][\\p{L}\\p{N}&'.]*";
const NOT_AFTER_WORD = "(?<![\\p{L}\\p{N}_])";
// A hyphen joins words: "#ad-free" is not "#ad".
const NOT_BEFORE_WORD = "(?![\\p{L}\\p{N}_]|-[\\p{L}\\p{N}])";

/**
 * A disclosure phrase as a pattern: whole tokens, any case, any run of
 * whitespace between words (line breaks too); a later word may also be
 * written as a handle ("Paid partnership with @northwindcoffee").
 */
export function disclosurePatternSource(phrase: string, brandName: string | null): string | null {
  const words = phrase.trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return null;
  const brand = brandName?.trim()
    ? brandName
        .trim()
        .split(/\s+/u)
        .map((w) => escapeRegExp(fold(w).text))
        .join("\\s+")
    : ANY_NAME;
  const sources = words.map((word, index) => {
    const joined = word
      .split("{brand}")
      .map((piece) => escapeRegExp(fold(piece).text.trim()))
      .join(brand);
    // "@Northwind" and "@northwindcoffee" name the brand by its handle.
    return index === 0 ? joined : `(?:@${joined}[\\p{L}\\p{N}_.]*(?<!\\.)|${joined})`;
  });
  const last = phrase.trim();
  const endsInWord = last.endsWith("{brand}") || /[\p{L}\p{N}_]$/u.test(fold(last).text);
  return `${NOT_AFTER_WORD}${sources.join("\\s+")}${endsInWord ? NOT_BEFORE_WORD : ""}`;
}

const NUMBER = "\\p{N}+(?:[.,]\\p{N}+)*";
const CURRENCY_WORDS: Record<string, string> = { $: "dollars?|bucks|usd", "£": "pounds?|quid|gbp", "€": "euros?|eur", "¥": "yen|jpy" };

/**
 * A claim trigger as a pattern. "%" stands for a percentage, a currency sign
 * for an amount of money; a word or phrase matches whole words with its
 * simple forms (guarantee → guaranteed).
 */
export function triggerPatternSource(trigger: string): string | null {
  const t = trigger.trim();
  if (t === "%") return `(?<![\\p{L}\\p{N}.,])${NUMBER}\\s?(?:%|per\\s?cent(?!\\p{L}))`;
  const currencyWords = CURRENCY_WORDS[t];
  if (currencyWords) {
    const sign = escapeRegExp(t);
    return `${sign}\\s?${NUMBER}|(?<![\\p{L}\\p{N}.,])${NUMBER}\\s?(?:${sign}|(?:${currencyWords})(?!\\p{L}))`;
  }
  return termPatternSource(t, { wordForms: /\p{L}$/u.test(t) });
}
