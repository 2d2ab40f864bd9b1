import type { CompiledRules } from "./compile";
import { countCharacters, findAll, type FoldedText, type Span } from "./text";
import type { Finding, ProgramRules } from "./types";

// missing_disclosure: on channels that need one (and for creators everywhere),
// a disclosure phrase must end within the first N characters, where feeds cut
// the copy off. Following the FTC's "Disclosures 101", a disclosure placed
// inside a run of hashtags is also pointed out (a warning, since it is there
// and readers may still see it).

/** Whether copy for this channel, by this kind of partner, must carry a disclosure. */
export function disclosureRequired(rules: ProgramRules, channel: string, partnerType?: string | null): boolean {
  return rules.disclosureChannels.includes(channel) || (!!partnerType && rules.disclosurePartnerTypes.includes(partnerType));
}

/** A phrase as the partner should write it: "{brand}" filled in. */
export function displayPhrase(phrase: string, brandName: string | null | undefined): string {
  return phrase.replaceAll("{brand}", brandName?.trim() || "the brand");
}

type Occurrence = Span & { phrase: string };

function occurrences(folded: FoldedText, patterns: CompiledRules["disclosures"]): Occurrence[] {
  return patterns.flatMap((p) => findAll(folded, p.pattern).map((span) => ({ ...span, phrase: p.label }))).sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Runs of three or more hashtags separated only by spaces, as the spans of their hashtags. */
function hashtagRuns(copy: string): Span[][] {
  const runs: Span[][] = [];
  let current: Span[] = [];
  for (const match of copy.matchAll(/[#＃][\p{L}\p{N}_]+/gu)) {
    const span = { start: match.index, end: match.index + match[0].length };
    const previous = current.at(-1);
    if (previous && /^\s+$/u.test(copy.slice(previous.end, span.start))) current.push(span);
    else {
      if (current.length >= 3) runs.push(current);
      current = [span];
    }
  }
  if (current.length >= 3) runs.push(current);
  return runs;
}

/** A disclosure is buried when it sits after other hashtags in a run of three or more that does not open the copy. */
function isBuried(copy: string, disclosure: Span, runs: Span[][]): boolean {
  return runs.some((run) => {
    const index = run.findIndex((tag) => tag.start <= disclosure.start && disclosure.end <= tag.end);
    return index > 0 && copy.slice(0, run[0]!.start).trim() !== "";
  });
}

export function checkDisclosure(copy: string, folded: FoldedText, compiled: CompiledRules, channel: string, partnerType?: string | null): Finding[] {
  const { rules } = compiled;
  if (!disclosureRequired(rules, channel, partnerType)) return [];
  const limit = rules.disclosureWithinChars;
  const example = displayPhrase(compiled.disclosures[0]?.label ?? "#ad", rules.brandName);
  const found = occurrences(folded, compiled.disclosures);
  const inTime = found.filter((o) => countCharacters(copy, o.end) <= limit);

  if (found.length === 0) {
    const unclear = occurrences(folded, compiled.ambiguousMarkers)[0];
    const why = unclear ? ` "${copy.slice(unclear.start, unclear.end)}" does not tell readers it is an ad.` : "";
    return [
      {
        code: "missing_disclosure",
        severity: "error",
        message: `Add a clear disclosure such as ${example} at the start of the copy, within the first ${limit} characters, so readers see it before the feed cuts the text off.${why}`,
        start: null,
        end: null,
      },
    ];
  }
  if (inTime.length === 0) {
    const first = found[0]!;
    const written = copy.slice(first.start, first.end);
    return [
      {
        code: "missing_disclosure",
        severity: "error",
        message: `Move "${written}" into the first ${limit} characters: it appears at character ${countCharacters(copy, first.start) + 1}, after the feed cuts the copy off. Start the copy with it, e.g. "${written} …".`,
        start: first.start,
        end: first.end,
      },
    ];
  }
  const runs = hashtagRuns(copy);
  if (inTime.every((o) => isBuried(copy, o, runs))) {
    const first = inTime[0]!;
    return [
      {
        code: "disclosure_in_hashtag_run",
        severity: "warning",
        message: `"${copy.slice(first.start, first.end)}" is lost among other hashtags, where readers skip it. Put it on its own, at the start of the copy.`,
        start: first.start,
        end: first.end,
      },
    ];
  }
  return [];
}
