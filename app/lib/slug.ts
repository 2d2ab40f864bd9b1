// One way to turn a name into an identifier-safe slug, for partner slugs,
// policy keys and download filenames alike. Pure: shared by the domain, the
// routes and the tests.

export type SlugOptions = {
  /** What stands between words: "-" for URLs and filenames, "_" for keys. */
  separator?: "-" | "_";
  /** Longest slug; a cut never leaves a separator at the end. */
  maxLength?: number;
  /** What a name with no letters or digits at all becomes. */
  fallback: string;
};

/**
 * Accents folded ("Café" is "cafe"), lower case, "&" spelled "and", and every
 * other run of characters that are not ASCII letters or digits one separator,
 * none at either end. Never empty: `fallback` stands in for a name of symbols.
 */
export function slugify(name: string, { separator = "-", maxLength = 48, fallback }: SlugOptions): string {
  const trimEnds = separator === "-" ? /^-+|-+$/g : /^_+|_+$/g;
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, separator)
    .replace(trimEnds, "")
    .slice(0, maxLength)
    .replace(trimEnds, "");
  return slug || fallback;
}
