import { sql, type SQL } from "drizzle-orm";

/**
 * Accent and case folding that gives the same answer in SQL and here, on
 * PGlite and on PostgreSQL alike: `unaccent` is an extension PGlite may not
 * have, and `lower()` under PGlite's C locale leaves "É" as it is. So both
 * sides fold with one fixed character map: SQL with translate() (plus
 * replace() for the few letters that become two), the query here with the
 * same table. ASCII capitals are in the map too, which makes the result
 * independent of the database's locale.
 *
 * The folding runs on every row a search reads; an asset catalogue is
 * hundreds of rows, not millions. A stored, indexed search column is the
 * next step if that ever changes.
 */
const SINGLE_LETTER_FOLDS: Record<string, string> = {
  a: "AÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎ",
  b: "B",
  c: "CÇçĆćĈĉĊċČč",
  d: "DĎďĐđÐð",
  e: "EÈÉÊËèéêëĒēĔĕĖėĘęĚě",
  f: "F",
  g: "GĜĝĞğĠġĢģ",
  h: "HĤĥĦħ",
  i: "IÌÍÎÏìíîïĨĩĪīĬĭĮįİı",
  j: "JĴĵ",
  k: "KĶķ",
  l: "LĹĺĻļĽľĿŀŁł",
  m: "M",
  n: "NÑñŃńŅņŇň",
  o: "OÒÓÔÕÖØòóôõöøŌōŎŏŐő",
  p: "P",
  q: "Q",
  r: "RŔŕŖŗŘř",
  s: "SŚśŜŝŞşŠšȘș",
  t: "TŢţŤťŦŧȚț",
  u: "UÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų",
  v: "V",
  w: "WŴŵ",
  x: "X",
  y: "YÝýÿŶŷŸ",
  z: "ZŹźŻżŽž",
  // Typographic punctuation and spaces separate words, as ASCII punctuation does.
  " ": "\u00a0\u2010\u2011\u2012\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2026\u00ab\u00bb\u00b7",
};
const MULTI_LETTER_FOLDS: [string, string][] = [
  ["ß", "ss"],
  ["ẞ", "ss"],
  ["Æ", "ae"],
  ["æ", "ae"],
  ["Œ", "oe"],
  ["œ", "oe"],
  ["Þ", "th"],
  ["þ", "th"],
];

const FOLD_FROM = Object.values(SINGLE_LETTER_FOLDS).join("");
const FOLD_TO = Object.entries(SINGLE_LETTER_FOLDS)
  .map(([to, from]) => to.repeat([...from].length))
  .join("");
const FOLD_TABLE = new Map([...FOLD_FROM].map((c, i) => [c, FOLD_TO[i]!]));

/** ASCII that is neither a letter nor a digit: word separators, the same class in JavaScript and in PostgreSQL's regular expressions. */
const SEPARATORS = "[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+";
const SEPARATORS_JS = new RegExp(SEPARATORS, "g");

/** "Café-Logos  2024" → "cafe logos 2024": what both sides compare. */
export function foldText(text: string): string {
  let folded = text;
  for (const [from, to] of MULTI_LETTER_FOLDS) folded = folded.replaceAll(from, to);
  folded = [...folded].map((c) => FOLD_TABLE.get(c) ?? c).join("");
  return folded.replace(SEPARATORS_JS, " ").trim();
}

/** The same folding in SQL, of any text expression. */
export function foldSql(expression: SQL): SQL {
  let folded = expression;
  for (const [from, to] of MULTI_LETTER_FOLDS) folded = sql`replace(${folded}, ${from}, ${to})`;
  return sql`regexp_replace(translate(${folded}, ${FOLD_FROM}, ${FOLD_TO}), ${SEPARATORS}, ' ', 'g')`;
}

/** At most this many words of a query count: each one adds a condition. */
const MAX_QUERY_WORDS = 8;

/** The folded words of a search box's text: "  Brand GUIDE " → ["brand", "guide"]. */
export function queryWords(query: string): string[] {
  return [...new Set(foldText(query).split(" ").filter(Boolean))].slice(0, MAX_QUERY_WORDS);
}

/**
 * Every word of the query begins a word of `haystack` (a folded expression
 * from foldSql): "bran gui" finds "Brand guide". Folded words hold no ASCII
 * punctuation, so no LIKE wildcard can reach the pattern.
 */
export function matchesEveryWordPrefix(haystack: SQL, words: string[]): SQL[] {
  return words.map((word) => sql`(' ' || ${haystack}) like ${`% ${word}%`}`);
}
