import { labelOf } from "../applications/catalog";
import type { CompiledClaim, CompiledRules } from "./compile";
import { findTokenRuns, type Span, type Token } from "./text";
import type { ClaimRule, Finding } from "./types";

// missing_disclaimer and claim_not_allowed. A claim is *used* when the partner
// picked it or when its approved text appears in the copy (compared word by
// word: case, spacing, line breaks, quotes and punctuation do not matter,
// numbers and %, $, # do). Every used claim must be allowed here and now, and
// every one of its disclaimers must appear in the copy too.

export type ClaimAnalysis = {
  findings: Finding[];
  /** Where library claims and disclaimers appear: a trigger inside them is approved wording, not a new claim. */
  approvedWording: Span[];
};

type Run = { first: number; last: number };
const runLength = (r: Run) => r.last - r.first;
const inside = (outer: Run, inner: Run) => outer.first <= inner.first && inner.last <= outer.last && runLength(outer) > runLength(inner);
const spanOf = (tokens: readonly Token[], run: Run): Span => ({ start: tokens[run.first]!.start, end: tokens[run.last - 1]!.end });

// Channel names read mid-sentence ("not approved for email"); regions keep their capitals.
const channelName = (channel: string) => labelOf(channel).toLowerCase().replaceAll("_", " ");
const regionName = (region: string) => labelOf(region).replaceAll("_", " ");
const quote = (text: string, max = 80) => `"${text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text}"`;

function formatDate(date: Date): string {
  // A claim that expires at midnight UTC was usable all of the day before.
  const day = date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0 ? new Date(date.getTime() - 1) : date;
  return day.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

/** Why this claim may not be used on this channel, in these regions, now; null when it may. */
export function whyClaimNotAllowed(claim: ClaimRule, channel: string, regions: readonly string[] | null | undefined, now: Date): string | null {
  if (claim.status === "retired") return "it has been retired";
  if (claim.status !== "approved") return "it is not approved";
  if (claim.expiresAt && now.getTime() >= claim.expiresAt.getTime()) return `it expired on ${formatDate(claim.expiresAt)}`;
  if (claim.channels && !claim.channels.includes(channel)) return `it is not approved for ${channelName(channel)}`;
  if (claim.regions && regions && regions.length > 0) {
    const missing = regions.filter((r) => !claim.regions!.includes(r));
    if (missing.length > 0) return `it is not approved for ${missing.map(regionName).join(", ")}`;
  }
  return null;
}

const hasDisclaimers = (claim: CompiledClaim, copyTokens: readonly Token[]) => claim.disclaimers.every((d) => findTokenRuns(copyTokens, d.tokens).length > 0);

/**
 * Claims used by their text without being picked. Several library claims can
 * share one wording (a retired claim and its approved successor): the copy
 * uses the one it may use, preferably the one whose disclaimers it carries,
 * and is told about a wording only when no version of it is allowed.
 */
function detectedClaims(
  textRuns: ReadonlyMap<CompiledClaim, Run[]>,
  picked: readonly CompiledClaim[],
  copyTokens: readonly Token[],
  input: Parameters<typeof checkClaims>[2],
): CompiledClaim[] {
  const byWording = new Map<string, CompiledClaim[]>();
  for (const [claim, runs] of textRuns) {
    if (runs.length === 0) continue;
    const wording = claim.textTokens.join(" ");
    byWording.set(wording, [...(byWording.get(wording) ?? []), claim]);
  }
  const detected: CompiledClaim[] = [];
  for (const versions of byWording.values()) {
    if (versions.some((claim) => picked.includes(claim))) continue;
    const allowed = versions.filter((claim) => whyClaimNotAllowed(claim.rule, input.channel, input.regions, input.now) === null);
    const candidates = allowed.length > 0 ? allowed : versions;
    detected.push(candidates.find((claim) => hasDisclaimers(claim, copyTokens)) ?? candidates[0]!);
  }
  return detected;
}

export function checkClaims(
  copyTokens: readonly Token[],
  compiled: CompiledRules,
  input: { channel: string; regions?: readonly string[] | null; claimIds?: readonly string[] | null; now: Date },
): ClaimAnalysis {
  const findings: Finding[] = [];
  const textRuns = new Map<CompiledClaim, Run[]>(compiled.claims.map((c) => [c, findTokenRuns(copyTokens, c.textTokens)]));
  const disclaimerRuns = compiled.claims.flatMap((c) => c.disclaimers.flatMap((d) => findTokenRuns(copyTokens, d.tokens)));

  // A short claim's text inside a longer claim, or inside a disclaimer, is not
  // a use of the short claim ("Free shipping" within "Free shipping on orders over $40").
  const allTextRuns = [...textRuns.values()].flat();
  for (const [claim, runs] of textRuns) {
    textRuns.set(
      claim,
      runs.filter((run) => !allTextRuns.some((other) => inside(other, run)) && !disclaimerRuns.some((d) => inside(d, run))),
    );
  }

  const picked = [...new Set(input.claimIds ?? [])];
  const used: CompiledClaim[] = [];
  for (const id of picked) {
    const claim = compiled.claimsById.get(id);
    if (claim) used.push(claim);
    else {
      findings.push({
        code: "claim_not_allowed",
        severity: "error",
        message: `Remove the claim with id ${quote(id)}: it is not in the claims library. Pick a current claim from the library.`,
        start: null,
        end: null,
      });
    }
  }
  for (const claim of detectedClaims(textRuns, used, copyTokens, input)) used.push(claim);

  const approvedWording: Span[] = disclaimerRuns.map((run) => spanOf(copyTokens, run));
  for (const claim of used) {
    const runs = textRuns.get(claim) ?? [];
    const spans = runs.map((run) => spanOf(copyTokens, run));
    const at = spans[0] ?? null;
    approvedWording.push(...spans);
    const why = whyClaimNotAllowed(claim.rule, input.channel, input.regions, input.now);
    if (why) {
      findings.push({
        code: "claim_not_allowed",
        severity: "error",
        message: `Remove the claim ${quote(claim.rule.text)}: ${why}. Use a current claim from the claims library instead.`,
        start: at?.start ?? null,
        end: at?.end ?? null,
      });
    }
    for (const disclaimer of claim.disclaimers) {
      if (disclaimer.tokens.length === 0 || findTokenRuns(copyTokens, disclaimer.tokens).length > 0) continue;
      findings.push({
        code: "missing_disclaimer",
        severity: "error",
        message: `The claim ${quote(claim.rule.text)} needs its disclaimer. Add it word for word, for example as a footnote under the copy: ${quote(disclaimer.text, 300)}`,
        start: at?.start ?? null,
        end: at?.end ?? null,
      });
    }
  }
  return { findings, approvedWording };
}
