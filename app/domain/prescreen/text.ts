// Text handling shared by the rules. Every match is made on a folded copy of
// the text (lower case, compatibility forms, no accents, straight quotes, no
// invisible characters) and mapped back to the original, so findings point at
// what the partner actually typed.

/** A span of the original copy, in UTF-16 code units. */
export type Span = { start: number; end: number };

/** The folded text, each of its UTF-16 units mapped to the original range it came from. */
export type FoldedText = {
  text: string;
  /** Original start of the character that produced folded unit i. */
  starts: readonly number[];
  /** Original end of the character that produced folded unit i. */
  ends: readonly number[];
  originalLength: number;
};

// Invisible characters a partner (or a copy-paste) can slip inside a word:
// soft hyphen, Mongolian vowel separator, zero-width space/joiners, word joiner, BOM.
const INVISIBLE = new Set(["\u00ad", "\u180e", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]);
// Footnote and trademark marks. They become a space rather than vanish, and
// never turn into letters ("™" would fold to "tm", "¹" to "1").
const MARKS = new Set([
  "\u00b9",
  "\u00b2",
  "\u00b3",
  "\u2070",
  "\u2074",
  "\u2075",
  "\u2076",
  "\u2077",
  "\u2078",
  "\u2079",
  "\u2122",
  "\u00ae",
  "\u00a9",
  "\u2020",
  "\u2021",
]);
const SINGLE_QUOTES = new Set(["\u2018", "\u2019", "\u201a", "\u201b", "\u2032", "\u02bc", "\uff07"]);
const DOUBLE_QUOTES = new Set(["\u201c", "\u201d", "\u201e", "\u201f", "\u2033", "\u00ab", "\u00bb"]);
const DASHES = new Set(["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58", "\ufe63", "\uff0d"]);
const COMBINING_MARK = /\p{M}/gu;
// Cyrillic and Greek letters that look like Latin ones: "сure" written with a
// Cyrillic "с" must still be "cure". (Destinations are not folded: a
// look-alike host is refused outright.)
const CONFUSABLES: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  һ: "h",
  ӏ: "l",
  α: "a",
  β: "b",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ζ: "z",
};

function foldCharacter(ch: string): string {
  if (INVISIBLE.has(ch)) return "";
  const lookalike = CONFUSABLES[ch.toLowerCase()];
  if (lookalike) return lookalike;
  if (MARKS.has(ch)) return " ";
  if (SINGLE_QUOTES.has(ch)) return "'";
  if (DOUBLE_QUOTES.has(ch)) return '"';
  if (DASHES.has(ch)) return "-";
  if (ch.charCodeAt(0) < 0x80) return ch.toLowerCase();
  return ch.normalize("NFKD").replace(COMBINING_MARK, "").toLowerCase();
}

export function fold(original: string): FoldedText {
  let text = "";
  const starts: number[] = [];
  const ends: number[] = [];
  let index = 0;
  for (const ch of original) {
    const folded = foldCharacter(ch);
    for (let i = 0; i < folded.length; i++) {
      starts.push(index);
      ends.push(index + ch.length);
    }
    text += folded;
    index += ch.length;
  }
  return { text, starts, ends, originalLength: original.length };
}

/** The original span behind folded units [start, end). */
export function originalSpan(folded: FoldedText, start: number, end: number): Span {
  if (end <= start) {
    const at = start < folded.starts.length ? folded.starts[start]! : folded.originalLength;
    return { start: at, end: at };
  }
  return { start: folded.starts[start]!, end: folded.ends[end - 1]! };
}

/** Every match of a global regex on the folded text, as original spans. */
export function findAll(folded: FoldedText, pattern: RegExp): Span[] {
  const spans: Span[] = [];
  pattern.lastIndex = 0;
  for (const match of folded.text.matchAll(pattern)) {
    if (match[0].length === 0) continue;
    spans.push(originalSpan(folded, match.index, match.index + match[0].length));
  }
  return spans;
}

/** Characters as people count them (code points: an emoji is one), in text[0, end). */
export function countCharacters(text: string, end = text.length): number {
  let count = 0;
  for (let i = 0; i < end && i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** The UTF-16 offset of the character numbered `characters` (code points), or the text's length. */
export function offsetOfCharacter(text: string, characters: number): number {
  let count = 0;
  let i = 0;
  while (i < text.length && count < characters) {
    const code = text.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
    count++;
  }
  return i;
}

export const contains = (outer: Span, inner: Span) => outer.start <= inner.start && inner.end <= outer.end;
export const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

// ---------------------------------------------------------------------------
// Tokens: what claims and disclaimers are compared on. Words and numbers keep
// their meaning ("4.99" is not "499", "20%" is not "20"), everything else that
// is punctuation (commas, asterisks, dashes, quotes, line breaks) is ignored.

export type Token = { norm: string; start: number; end: number };

// A number with its decimal or thousands separators; dotted single letters
// (U.S., e.g.) read as one word; a word with inner apostrophes (it's,
// Readers'); or a symbol that changes a claim's meaning.
const TOKEN = /\p{N}+(?:[.,]\p{N}+)*|\p{L}(?:\.\p{L})+(?![\p{L}\p{N}])|[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|[%$£€¥#+&]/gu;
const THOUSANDS = /^\p{N}{1,3}(?:,\p{N}{3})+(?:\.\p{N}+)?$/u;
const SYNONYMS: Record<string, string> = { "&": "and", percent: "%" };

function normaliseToken(raw: string): string {
  if (/^\p{N}/u.test(raw)) {
    // 1,000 and 1000 are the same number; 2,5 is a decimal comma; 4.99 keeps its point.
    if (!raw.includes(",")) return raw;
    return THOUSANDS.test(raw) ? raw.replaceAll(",", "") : raw.replaceAll(",", ".");
  }
  // U.S. → us, it's → its.
  const word = raw.replace(/['.]/g, "");
  return SYNONYMS[word] ?? word;
}

/** Tokens of a folded text, with their original spans. */
export function tokenize(folded: FoldedText): Token[] {
  const tokens: Token[] = [];
  for (const match of folded.text.matchAll(TOKEN)) {
    const span = originalSpan(folded, match.index, match.index + match[0].length);
    tokens.push({ norm: normaliseToken(match[0]), start: span.start, end: span.end });
  }
  return tokens;
}

/** The normalised tokens of a phrase (a claim's text, a disclaimer). */
export const phraseTokens = (phrase: string): string[] => tokenize(fold(phrase)).map((t) => t.norm);

/** Where `needle` occurs in `haystack`, as token index ranges [first, last + 1). */
export function findTokenRuns(haystack: readonly Token[], needle: readonly string[]): { first: number; last: number }[] {
  const runs: { first: number; last: number }[] = [];
  if (needle.length === 0) return runs;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j]!.norm !== needle[j]) continue outer;
    runs.push({ first: i, last: i + needle.length });
  }
  return runs;
}

// ---------------------------------------------------------------------------
// Patterns for terms (banned terms, claim triggers): whole words, any case,
// the words of a term joined by spaces, hyphens, underscores or nothing (so
// "weight loss" also catches "weight-loss", "Weight  loss" and #weightloss).

// Only syntax characters: with the `u` flag, escaping anything else ("\-") is an error.
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

const WORD_CHAR = /[\p{L}\p{N}]/u;
const VOWELS = "aeiou";

/** The simple forms of an English word: cure → cures, cured, curing; remedy → remedies. */
export function wordForms(word: string): string[] {
  const forms = new Set([word, `${word}s`, `${word}es`, `${word}ed`, `${word}ing`, `${word}er`, `${word}ers`]);
  const last = word.at(-1) ?? "";
  const beforeLast = word.at(-2) ?? "";
  if (last === "e") for (const suffix of ["d", "r", "rs", "s"]) forms.add(`${word}${suffix}`);
  if (last === "e") for (const suffix of ["ing", "ed", "er"]) forms.add(`${word.slice(0, -1)}${suffix}`);
  if (last === "y" && beforeLast && !VOWELS.includes(beforeLast)) for (const suffix of ["ies", "ied"]) forms.add(`${word.slice(0, -1)}${suffix}`);
  // slim → slimming: a short word ending consonant-vowel-consonant doubles its last letter.
  const antepenult = word.at(-3) ?? "";
  if (
    word.length <= 4 &&
    /[b-df-hj-np-tv-z]/.test(last) &&
    VOWELS.includes(beforeLast) &&
    antepenult &&
    !VOWELS.includes(antepenult) &&
    !"wxy".includes(last)
  ) {
    for (const suffix of ["ing", "ed", "er"]) forms.add(`${word}${last}${suffix}`);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * A regex source for a term on folded text. With `wordForms`, the last word
 * may take its simple forms. Returns null for a term with nothing to match.
 */
export function termPatternSource(term: string, options: { wordForms: boolean }): string | null {
  const words = fold(term)
    .text.trim()
    .split(/[\s_-]+/u)
    .filter(Boolean);
  if (words.length === 0) return null;
  const parts = words.map((word, i) => {
    // "guarantee(d)": the ending in brackets is optional.
    const optional = /^(\p{L}+)\((\p{L}+)\)$/u.exec(word);
    const bases = optional ? [optional[1]!, `${optional[1]}${optional[2]}`] : [word];
    const isLast = i === words.length - 1;
    const forms = options.wordForms && isLast && bases.every((b) => /^\p{L}+$/u.test(b)) ? bases.flatMap(wordForms) : bases;
    return forms.length === 1
      ? escapeRegExp(forms[0]!)
      : `(?:${[...new Set(forms)]
          .sort((a, b) => b.length - a.length)
          .map(escapeRegExp)
          .join("|")})`;
  });
  const first = words[0]!.charAt(0);
  const last = words.at(-1)!.replace(/\)$/, "").at(-1)!;
  const before = WORD_CHAR.test(first) ? "(?<![\\p{L}\\p{N}])" : "";
  const after = WORD_CHAR.test(last) ? "(?![\\p{L}\\p{N}])" : "";
  return `${before}${parts.join("[\\s_-]*")}${after}`;
}

// ---------------------------------------------------------------------------
// Sentences: the unit a possible-claim warning points at. Line breaks end a
// sentence (captions and emails use them that way); a full stop does not
// when it belongs to a number ($4.99, 2.5%), a web address, an abbreviation
// (Dr., e.g., No. 5) or an initial.

// Never end a sentence after these.
const ABBREVIATIONS = new Set([
  "dr",
  "mr",
  "mrs",
  "ms",
  "mx",
  "prof",
  "st",
  "mt",
  "no",
  "nos",
  "vs",
  "v",
  "e.g",
  "i.e",
  "eg",
  "ie",
  "approx",
  "fig",
  "jr",
  "sr",
  "ft",
  "ave",
  "vol",
  "ch",
  "cf",
  "ca",
]);
// End a sentence after these only when a capital letter follows ("8 a.m. See you").
const SOMETIMES_FINAL = new Set([
  "a.m",
  "p.m",
  "am",
  "pm",
  "etc",
  "inc",
  "ltd",
  "co",
  "corp",
  "oz",
  "lb",
  "lbs",
  "min",
  "hr",
  "hrs",
  "sec",
  "u.s",
  "u.k",
  "st",
]);
const TERMINATOR = /[.!?\u2026\u3002\uff01\uff1f]/u;
const CLOSER = /["')\]\u2019\u201d»]/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const LINE_BREAK = /[\n\r\u2028\u2029\u0085]/u;
/** Zero-width joiner, emoji presentation selector, skin tones: parts of one emoji. */
const isEmojiJoiner = (code: number) => code === 0x200d || code === 0xfe0f || (code >= 0x1f3fb && code <= 0x1f3ff);

function wordBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && /[\p{L}.]/u.test(text.charAt(start - 1))) start--;
  return text.slice(start, end).replace(/^\.+/, "").toLowerCase();
}

const isUpperStart = (text: string, from: number) => /^\s+[\p{Lu}]/u.test(text.slice(from, from + 8));

/** Whether the terminators text[runStart, runEnd), followed by closing quotes up to `end`, end a sentence. */
function isSentenceEnd(text: string, runStart: number, runEnd: number, end: number): boolean {
  const after = text.charAt(end);
  if (after !== "" && !/\s/u.test(after)) return false;
  if (text.slice(runStart, runEnd) !== ".") return true;
  const word = wordBefore(text, runStart);
  if (word === "") return true;
  if (ABBREVIATIONS.has(word)) return false;
  if (SOMETIMES_FINAL.has(word)) return isUpperStart(text, end);
  // An initial ("J. Smith") never ends a sentence; dotted letters ("U.S.") do before a capital.
  if (/^\p{L}$/u.test(word)) return false;
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return isUpperStart(text, end);
  return true;
}

/** The sentences of a text as trimmed spans of the original. */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/u.test(text.charAt(s))) s++;
    while (e > s && /\s/u.test(text.charAt(e - 1))) e--;
    if (e > s) spans.push({ start: s, end: e });
  };
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (LINE_BREAK.test(ch)) {
      push(i);
      start = i + 1;
      i++;
      continue;
    }
    if (TERMINATOR.test(ch)) {
      let end = i;
      while (end < text.length && TERMINATOR.test(text.charAt(end))) end++;
      const runEnd = end;
      while (end < text.length && CLOSER.test(text.charAt(end))) end++;
      if (isSentenceEnd(text, i, runEnd, end)) {
        push(end);
        start = end;
      }
      i = end;
      continue;
    }
    // An emoji before a capitalised word usually ends a caption's sentence ("Love it ☕ This week…").
    const code = text.codePointAt(i)!;
    const char = String.fromCodePoint(code);
    if (PICTOGRAPH.test(char) && code > 0xff) {
      let end = i + char.length;
      while (end < text.length) {
        const nextCode = text.codePointAt(end)!;
        const next = String.fromCodePoint(nextCode);
        if (PICTOGRAPH.test(next) || isEmojiJoiner(nextCode)) end += next.length;
        else break;
      }
      if (isUpperStart(text, end)) {
        push(end);
        start = end;
      }
      i = end;
      continue;
    }
    i += char.length;
  }
  push(text.length);
  return spans;
}
