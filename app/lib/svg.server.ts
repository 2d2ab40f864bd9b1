import createDOMPurify from "dompurify";
import { JSDOM } from "jsdom";

// One window for the process: DOMPurify only needs a DOM implementation.
const purify = createDOMPurify(new JSDOM("").window as unknown as Parameters<typeof createDOMPurify>[0]);

/** A reference that stays inside the document (#id) or is inline data for an image. */
const INTERNAL_REF = /^\s*#/;
const FETCHING_CSS = /@import|url\(\s*(['"]?)(?!\s*#)/i;

purify.addHook("uponSanitizeAttribute", (_node, data) => {
  const name = data.attrName.toLowerCase();
  // href and xlink:href may only point inside the SVG: no external images, scripts or fonts.
  if ((name === "href" || name === "xlink:href") && !INTERNAL_REF.test(data.attrValue)) data.keepAttr = false;
  // style, fill, stroke, filter, mask, clip-path…: any url() must point inside the document.
  if (FETCHING_CSS.test(data.attrValue)) data.keepAttr = false;
});

purify.addHook("uponSanitizeElement", (node, data) => {
  if (data.tagName === "style" && FETCHING_CSS.test(node.textContent ?? "")) node.parentNode?.removeChild(node);
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
