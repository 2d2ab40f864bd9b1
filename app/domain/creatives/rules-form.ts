// Shared with the browser bundle: the pre-screen rules form's vocabulary and
// limits (Settings → Pre-screen rules). The schema that reads the form is
// rules-schema.server.ts; the rules themselves are app/domain/prescreen/types.ts.
import type { BannedTerm, ChannelRules } from "../prescreen";

export const RULES_FORM_LIMITS = {
  /** One line of a list (a phrase, a term, a domain). */
  lineChars: 120,
  /** Lines in one list. */
  lines: 500,
  /** A whole list's textarea. */
  listChars: 30_000,
  disclosureWithin: { min: 20, max: 500 },
  imagePixels: { min: 1, max: 20_000 },
  pdfPages: { min: 1, max: 1_000 },
  // A creative's copy holds at most 5,000 characters (CREATIVE_LIMITS.copyChars): a higher limit could never bite.
  characterLimit: { min: 1, max: 5_000 },
} as const;

/** The per-channel settings the form edits; the file types and sizes keep what the release ships. */
export const CHANNEL_FILE_RULE_FIELDS = [
  { key: "minImageWidth", label: "Min image width (px)", limits: RULES_FORM_LIMITS.imagePixels },
  { key: "minImageHeight", label: "Min image height (px)", limits: RULES_FORM_LIMITS.imagePixels },
  { key: "maxPdfPages", label: "Max PDF pages", limits: RULES_FORM_LIMITS.pdfPages },
  { key: "characterLimit", label: "Character limit", limits: RULES_FORM_LIMITS.characterLimit },
] as const satisfies readonly { key: keyof ChannelRules; label: string; limits: { min: number; max: number } }[];

export type ChannelFileRuleKey = (typeof CHANNEL_FILE_RULE_FIELDS)[number]["key"];

/** The form field of one channel's setting: "organic_social.minImageWidth". */
export const channelFieldName = (channel: string, key: ChannelFileRuleKey) => `${channel}.${key}`;

/** A banned term as its line in the form: "heal*" takes word forms (also for the { term, matchWordForms } form). */
export function bannedTermLine(term: BannedTerm): string {
  // As the engine reads it (bannedTermParts in app/domain/prescreen/compile.ts), without bundling the engine.
  if (typeof term === "string") return term.trim();
  return term.matchWordForms === true ? `${term.term.trim()}*` : term.term.trim();
}

/** What a version changed, as the history says it: the rule set's keys in words. */
const RULE_KEY_LABELS: Record<string, string> = {
  disclosurePhrases: "disclosure phrases",
  ambiguousDisclosureMarkers: "unclear markers",
  disclosureChannels: "channels needing a disclosure",
  disclosurePartnerTypes: "partner types that always disclose",
  disclosureWithinChars: "disclosure position",
  bannedTerms: "banned terms",
  claimTriggers: "claim triggers",
  claimTriggerExceptions: "trigger exceptions",
  allowedDomains: "allowed destinations",
  defaultChannelRules: "default file rules",
  channelRules: "channel file rules",
  brandName: "brand name",
};

export const ruleKeyLabel = (key: string) => RULE_KEY_LABELS[key] ?? key;
