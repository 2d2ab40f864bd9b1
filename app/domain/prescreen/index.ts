import { labelOf } from "../applications/catalog";
import { checkBannedTerms } from "./banned-terms";
import { checkClaims } from "./claims";
import { compileRules } from "./compile";
import { checkDestination } from "./destination";
import { checkDisclosure, disclosureRequired } from "./disclosure";
import { channelRulesFor, checkFiles } from "./files";
import { countCharacters, fold, offsetOfCharacter, tokenize } from "./text";
import { checkUnapprovedClaims } from "./unapproved-claims";
import type { ChannelTextLimits, Finding, PrescreenInput, PrescreenRules, ProgramRules, Severity } from "./types";

// The automatic first reviewer (issue 13). Pure: the caller brings the copy,
// the rules, the claims library and the time; nothing here reads a database,
// the clock or the network, so the editor, the server and the command line
// get the same answer for the same input.

export type * from "./types";
export { DEFAULT_RULES } from "./defaults";
export { disclosureRequired } from "./disclosure";
export { channelRulesFor } from "./files";
export { normaliseAllowedDomain, isAllowedHost } from "./destination";
export { claimRuleFromLibrary, endOfUtcDay } from "./library";

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };

/**
 * Findings, ordered by where they are: those about the copy as a whole, the
 * destination or a file (start null) first, then by position.
 */
export function prescreen(input: PrescreenInput, rules: PrescreenRules): Finding[] {
  const compiled = compileRules(rules);
  const copy = input.copy;
  const folded = fold(copy);
  const tokens = tokenize(folded);

  const claims = checkClaims(tokens, compiled, input);
  const banned = checkBannedTerms(copy, folded, compiled);
  const destination = checkDestination(input.destinationUrl, compiled.allowedDomains);
  const findings: Finding[] = [
    ...checkDisclosure(copy, folded, compiled, input.channel, input.partnerType),
    ...claims.findings,
    ...banned.findings,
    ...(destination ? [destination] : []),
    ...checkUnapprovedClaims(copy, folded, compiled, claims.approvedWording, banned.spans),
    ...checkFiles(input.files ?? [], rules, input.channel),
    ...checkLength(copy, rules, input.channel),
  ];
  return findings.sort(byPosition);
}

function byPosition(a: Finding, b: Finding): number {
  const startA = a.start ?? -1;
  const startB = b.start ?? -1;
  return startA - startB || (a.end ?? -1) - (b.end ?? -1) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.code.localeCompare(b.code);
}

/** Errors block submitting; warnings only travel to the reviewers. */
export const hasBlockingFindings = (findings: readonly Finding[]) => findings.some((f) => f.severity === "error");

/** What the editor marks under the copy: where the feed cuts it and the channel's maximum length. */
export function channelTextLimits(rules: ProgramRules, channel: string, partnerType?: string | null): ChannelTextLimits {
  return {
    disclosureWithinChars: disclosureRequired(rules, channel, partnerType) ? rules.disclosureWithinChars : null,
    characterLimit: channelRulesFor(rules, channel).characterLimit ?? null,
  };
}

function checkLength(copy: string, rules: ProgramRules, channel: string): Finding[] {
  const limit = channelRulesFor(rules, channel).characterLimit;
  if (limit == null) return [];
  const length = countCharacters(copy);
  if (length <= limit) return [];
  return [
    {
      code: "copy_too_long",
      severity: "warning",
      message: `The copy is ${length} characters; ${labelOf(channel).toLowerCase().replaceAll("_", " ")} shows at most ${limit}. Shorten it by ${length - limit}.`,
      start: offsetOfCharacter(copy, limit),
      end: copy.length,
    },
  ];
}
