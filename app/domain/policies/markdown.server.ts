import crypto from "node:crypto";
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const markdown = new Marked({ gfm: true });

// What a policy may contain: text structure, tables and links; no scripts,
// styles, images, frames or forms. Raw HTML in the Markdown is escaped by the
// allowlist, not trusted.
const POLICY_HTML: sanitizeHtml.IOptions = {
  allowedTags: ["h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "del", "code", "pre", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td"],
  allowedAttributes: { a: ["href", "title", "rel"], th: ["align"], td: ["align"], ol: ["start"] },
  allowedSchemes: ["https", "http", "mailto"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow" }),
    // A policy is shown inside a page (h1) and a card (h2): its own headings start at h3.
    h1: "h3",
    h2: "h4",
    h3: "h5",
    h4: "h6",
    h5: "h6",
  },
};

/** A policy's Markdown as HTML that is safe to put in a page. */
export function renderPolicyMarkdown(body: string): string {
  return sanitizeHtml(markdown.parse(body, { async: false }), POLICY_HTML);
}

/** Line endings and trailing spaces do not change what a policy says. */
export function normalisePolicyBody(body: string): string {
  return body
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[ \t]+$/, ""))
    .join("\n")
    .trim();
}

/** SHA-256 of the normalised text: the fingerprint partners accept. */
export function policyContentHash(body: string): string {
  return crypto.createHash("sha256").update(normalisePolicyBody(body), "utf8").digest("hex");
}

/** Guideline pages of the asset hub are Markdown under the same allowlist. */
export const renderGuidelineMarkdown = renderPolicyMarkdown;
