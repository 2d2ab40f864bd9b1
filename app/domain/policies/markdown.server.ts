import crypto from "node:crypto";
import { Marked, type Tokens } from "marked";
import { createPurifier, type PurifyConfig } from "~/lib/html.server";

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const markdown = new Marked({
  gfm: true,
  renderer: {
    // Raw HTML in the Markdown is shown as the text it is, never trusted.
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    // A policy is shown inside a page (h1) and a card (h2): its own headings start at h3.
    heading({ tokens, depth }: Tokens.Heading) {
      const level = Math.min(depth + 2, 6);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
  },
});

// What a policy may contain: text structure, tables and links; no scripts,
// styles, images, frames or forms. Links go to http(s), mailto or a path of
// this site, never protocol-relative.
const POLICY_HTML: PurifyConfig = {
  ALLOWED_TAGS: ["h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "del", "code", "pre", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td"],
  ALLOWED_ATTR: ["href", "title", "align", "start"],
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|#|\/(?![/\\])|[^:/\\?#]+(?:[/?#]|$))/i,
  ALLOW_DATA_ATTR: false,
};

const purify = createPurifier();
purify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") node.setAttribute("rel", "noopener noreferrer nofollow");
});

/** A policy's Markdown as HTML that is safe to put in a page. */
export function renderPolicyMarkdown(body: string): string {
  return purify.sanitize(markdown.parse(body, { async: false }), POLICY_HTML);
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
