// Shared with the browser bundle: the copy of two versions as a word diff, for
// the compare page. Pure, so it renders the same on the server and the client.

export type DiffSegment = { kind: "same" | "insert" | "delete"; text: string };

/**
 * Words (letters and digits, with inner apostrophes: "don't" is one word),
 * runs of whitespace, and each other character alone (punctuation, emoji).
 * Joining the tokens gives the text back exactly.
 */
const TOKEN = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*|\s+|[^\s]/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * Above this many cells the LCS table is not built and the changed middle is
 * shown as removed then added. Two fully rewritten 5,000-character copies
 * (about 1,700 tokens each) stay well under it.
 */
export const MAX_DIFF_CELLS = 6_000_000;

function push(segments: DiffSegment[], kind: DiffSegment["kind"], text: string) {
  if (!text) return;
  const last = segments.at(-1);
  if (last && last.kind === kind) last.text += text;
  else segments.push({ kind, text });
}

/**
 * What changed from `before` to `after`, word by word: the longest common
 * subsequence of tokens after trimming the common start and end (most edits
 * touch a few words, so the table is usually small). Within a change,
 * removals come before additions. Adjacent segments of one kind are merged.
 */
export function wordDiff(before: string, after: string): DiffSegment[] {
  const a = tokenize(before);
  const b = tokenize(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const segments: DiffSegment[] = [];
  push(segments, "same", a.slice(0, start).join(""));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  for (const segment of diffMiddle(midA, midB)) push(segments, segment.kind, segment.text);
  push(segments, "same", a.slice(endA).join(""));
  return segments;
}

function diffMiddle(a: string[], b: string[]): DiffSegment[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_DIFF_CELLS) {
    return [
      { kind: "delete", text: a.join("") },
      { kind: "insert", text: b.join("") },
    ];
  }
  const width = m + 1;
  // lcs[i * width + j]: the LCS length of a[i..] and b[j..]; filled from the end so the walk below goes forward.
  const lcs = Math.min(n, m) < 0xffff ? new Uint16Array((n + 1) * width) : new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const segments: DiffSegment[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push(segments, "same", a[i++]!);
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      push(segments, "delete", a[i++]!);
    } else {
      push(segments, "insert", b[j++]!);
    }
  }
  while (i < n) push(segments, "delete", a[i++]!);
  while (j < m) push(segments, "insert", b[j++]!);
  return reorderChanges(segments);
}

/**
 * Puts each run of removals before the additions it alternates with
 * ("<del>a</del><ins>b</ins><del>c</del>" reads as one change "a c" → "b"),
 * keeping whitespace the two sides share as it is.
 */
function reorderChanges(segments: DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  let run: DiffSegment[] = [];
  const flush = () => {
    const mixed = run.some((s) => s.kind === "delete") && run.some((s) => s.kind === "insert");
    if (mixed) {
      push(
        out,
        "delete",
        run
          .filter((s) => s.kind !== "insert")
          .map((s) => s.text)
          .join(""),
      );
      push(
        out,
        "insert",
        run
          .filter((s) => s.kind !== "delete")
          .map((s) => s.text)
          .join(""),
      );
    } else {
      for (const s of run) push(out, s.kind, s.text);
    }
    run = [];
  };
  for (let k = 0; k < segments.length; k++) {
    const segment = segments[k]!;
    const next = segments[k + 1];
    const between = segment.kind === "same" && /^\s+$/.test(segment.text) && run.length > 0 && next !== undefined && next.kind !== "same";
    if (segment.kind !== "same" || between) {
      // A lone space between two changes is part of both sides of one change.
      run.push(segment);
    } else {
      flush();
      push(out, "same", segment.text);
    }
  }
  flush();
  return out;
}

/** How many words a diff adds and removes (whitespace and punctuation not counted), for its summary line. */
export function diffStats(segments: readonly DiffSegment[]): { inserted: number; deleted: number } {
  const words = (text: string) => tokenize(text).filter((t) => /[\p{L}\p{N}]/u.test(t)).length;
  let inserted = 0;
  let deleted = 0;
  for (const s of segments) {
    if (s.kind === "insert") inserted += words(s.text);
    if (s.kind === "delete") deleted += words(s.text);
  }
  return { inserted, deleted };
}
