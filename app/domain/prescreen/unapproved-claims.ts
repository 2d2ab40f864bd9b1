import type { CompiledRules } from "./compile";
import { contains, findAll, overlaps, splitSentences, type FoldedText, type Span } from "./text";
import type { Finding } from "./types";

// possible_unapproved_claim (a warning for the reviewer): a sentence with a
// claim trigger (a percentage, an amount of money, best, #1, free…) that is
// not part of approved claim wording or a disclaimer found in the copy.
// Triggers inside ordinary phrases ("best friend", "feel free", "step #1")
// and inside banned terms (already an error) do not count.

const MAX_LISTED = 3;

export function checkUnapprovedClaims(
  copy: string,
  folded: FoldedText,
  compiled: CompiledRules,
  approvedWording: readonly Span[],
  bannedSpans: readonly Span[],
): Finding[] {
  const exceptions = compiled.triggerExceptions.flatMap((pattern) => findAll(folded, pattern));
  const hits = compiled.triggers
    .flatMap(({ pattern }) => findAll(folded, pattern))
    .filter((hit) => !exceptions.some((e) => contains(e, hit)))
    .filter((hit) => !approvedWording.some((a) => contains(a, hit)))
    .filter((hit) => !bannedSpans.some((b) => overlaps(b, hit)));
  if (hits.length === 0) return [];

  const findings: Finding[] = [];
  for (const sentence of splitSentences(copy)) {
    const inSentence = hits.filter((hit) => contains(sentence, hit)).sort((a, b) => a.start - b.start);
    if (inSentence.length === 0) continue;
    const words = [...new Set(inSentence.map((hit) => copy.slice(hit.start, hit.end)))];
    const listed = words
      .slice(0, MAX_LISTED)
      .map((w) => `"${w}"`)
      .join(", ");
    findings.push({
      code: "possible_unapproved_claim",
      severity: "warning",
      message: `This sentence reads like a claim (${listed}) that is not in the claims library. Use the approved wording from the library with its disclaimers, or reword it; a reviewer will check it.`,
      start: sentence.start,
      end: sentence.end,
    });
  }
  return findings;
}
