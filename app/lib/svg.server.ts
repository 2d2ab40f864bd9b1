import createDOMPurify from "dompurify";
import { JSDOM } from "jsdom";

// One window for the process: DOMPurify only needs a DOM implementation.
const purify = createDOMPurify(new JSDOM("").window as unknown as Parameters<typeof createDOMPurify>[0]);

/** A reference that stays inside the document (#id) or is inline data for an image. */
const INTERNAL_REF = /^\s*#/;

// In one left-to-right pass, as a tokenizer reads it: a backslash with 1-6 hex digits and one
// optional whitespace (a CRLF counts as one); a backslash and a newline (a line continuation in
// a string); a backslash and any other character, which stands for itself.
const ESCAPE = /\\(?:([0-9a-f]{1,6})(?:\r\n|[ \t\r\n\f])?|(\r\n|[\r\n\f])|([\s\S]))/gi;
const COMMENT = /\/\*[\s\S]*?(\*\/|$)/g;

/**
 * CSS as a browser reads it, for checking (CSS Syntax 3, §4.3.7): escapes
 * decoded (`@\69mport` is `@import`, `u\72l(` is `url(`) and NUL, surrogates
 * and out-of-range code points made U+FFFD as the spec says.
 */
export function unescapeCss(css: string): string {
  return css.replace(ESCAPE, (_, hex: string | undefined, _newline: string | undefined, char: string | undefined) => {
    if (hex === undefined) return char ?? "";
    const code = Number.parseInt(hex, 16);
    return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? "\uFFFD" : String.fromCodePoint(code);
  });
}

// After normalising: anything that makes a browser fetch. url() is allowed only for a #fragment of this document.
const FETCHING = /@import|image-set\s*\(|\bsrc\s*\(|expression\s*\(|url\s*\((?!\s*['"]?\s*#)/i;

/**
 * Whether CSS (a <style> element, a style attribute or a presentation
 * attribute such as fill) could fetch something outside the document. It is
 * checked as written and with escapes decoded and comments removed (in both
 * orders), so neither `u\72l(` nor a comment inside `url` nor an escaped
 * comment hides a fetch; what merely looks like one is dropped too, which
 * costs a logo nothing.
 */
export function cssFetches(css: string): boolean {
  const variants = [css, unescapeCss(css).replace(COMMENT, ""), unescapeCss(css.replace(COMMENT, ""))];
  return variants.some((v) => FETCHING.test(v));
}

purify.addHook("uponSanitizeAttribute", (_node, data) => {
  const name = data.attrName.toLowerCase();
  // href and xlink:href may only point inside the SVG: no external images, scripts or fonts.
  if ((name === "href" || name === "xlink:href") && !INTERNAL_REF.test(data.attrValue)) data.keepAttr = false;
  // style, fill, stroke, filter, mask, clip-path…: any url() must point inside the document.
  // (Entities such as &#x75; are already decoded in attrValue.)
  if (cssFetches(data.attrValue)) data.keepAttr = false;
});

purify.addHook("uponSanitizeElement", (node, data) => {
  if (data.tagName === "style" && cssFetches(node.textContent ?? "")) node.parentNode?.removeChild(node);
});

/**
 * Cleans an uploaded SVG before it is stored: no scripts, event handlers,
 * foreignObject, external references or styles that fetch. Returns null when
 * nothing usable (no <svg> root) is left.
 */
export function sanitizeSvg(source: string): string | null {
  const clean = purify.sanitize(source, {
    USE_PROFILES: { svg: true, svgFilters: true },
    FORBID_TAGS: ["foreignObject", "script", "iframe", "image", "use", "a", "animate", "set"],
    FORBID_ATTR: ["onload", "onerror", "onclick", "onmouseover"],
    ALLOW_DATA_ATTR: false,
  });
  const trimmed = clean.trim();
  if (!/^<svg[\s>]/i.test(trimmed)) return null;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${trimmed}\n`;
}
