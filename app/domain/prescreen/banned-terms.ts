import type { CompiledRules } from "./compile";
import { findAll, type FoldedText, type Span } from "./text";
import type { Finding } from "./types";

// banned_term: each term of the admin's list, as whole words in any case, its
// words joined by spaces, hyphens or nothing ("weight loss", "weight-loss",
// "#weightloss"); a banned "cure" never matches "secure" or "procure", and
// "cures" only when listed or when the term takes word forms ("cure*").

export type BannedTermHits = { findings: Finding[]; spans: Span[] };

// A banned term inside approved claim wording is still reported: the admin's
// list wins, and the contradiction is for the brand team to resolve.
export function checkBannedTerms(copy: string, folded: FoldedText, compiled: CompiledRules): BannedTermHits {
  const findings: Finding[] = [];
  const spans: Span[] = [];
  for (const { label, pattern } of compiled.bannedTerms) {
    for (const span of findAll(folded, pattern)) {
      if (spans.some((s) => s.start === span.start && s.end === span.end)) continue;
      spans.push(span);
      const written = copy.slice(span.start, span.end);
      const sameAsTerm = written.toLowerCase() === label.toLowerCase();
      findings.push({
        code: "banned_term",
        severity: "error",
        message: `Remove or reword "${written}": ${sameAsTerm ? "it" : `"${label}"`} is on the brand's list of banned terms.`,
        start: span.start,
        end: span.end,
      });
    }
  }
  return { findings, spans };
}
