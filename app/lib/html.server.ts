import createDOMPurify, { type Config, type DOMPurify } from "dompurify";
import { JSDOM } from "jsdom";

/**
 * A DOMPurify of its own on a jsdom window. Hooks are per instance, so each
 * use (SVG uploads, Markdown pages) gets one and their rules never mix.
 */
export function createPurifier(): DOMPurify {
  return createDOMPurify(new JSDOM("").window as unknown as Parameters<typeof createDOMPurify>[0]);
}

export type { Config as PurifyConfig };
