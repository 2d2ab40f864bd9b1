import crypto from "node:crypto";
import { Marked, type Token, type Tokens } from "marked";
import { createPurifier, type PurifyConfig } from "~/lib/html.server";

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

type HeadingLevel = 2 | 3;

/** A Markdown renderer whose top-level heading (`#`) becomes an h`topLevel`. */
function markdownWithTopHeading(topLevel: HeadingLevel): Marked {
  return new Marked({
    gfm: true,
    renderer: {
      // Raw HTML in the Markdown is shown as the text it is, never trusted.
      html({ text }: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(text);
      },
      heading({ tokens, depth }: Tokens.Heading) {
        const level = Math.min(depth + topLevel - 1, 6);
        return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
      },
    },
  });
}

// A policy is shown inside a page (h1) and a card (h2): its own headings start at h3.
const markdown = markdownWithTopHeading(3);
// A document shown on a page of its own (h1) starts at h2.
const pageMarkdown = markdownWithTopHeading(2);

// What a policy may contain: text structure, tables and links; no scripts,
// styles, images, frames or forms. Links go to http(s), mailto or a path of
// this site, never protocol-relative.
const POLICY_HTML: PurifyConfig = {
  ALLOWED_TAGS: [
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  ALLOWED_ATTR: ["href", "title", "align", "start"],
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|#|\/(?![/\\])|[^:/\\?#]+(?:[/?#]|$))/i,
  ALLOW_DATA_ATTR: false,
};

const purify = createPurifier();
purify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") node.setAttribute("rel", "noopener noreferrer nofollow");
});

/**
 * A policy's Markdown as HTML that is safe to put in a page. Its headings
 * start at h3 (under the page's h1 and a card's h2), or at `topHeadingLevel`
 * for a document that is the page's only content.
 */
export function renderPolicyMarkdown(body: string, { topHeadingLevel = 3 }: { topHeadingLevel?: HeadingLevel } = {}): string {
  const renderer = topHeadingLevel === 2 ? pageMarkdown : markdown;
  const tokens = renderer.lexer(body);
  closeHeadingGaps(renderer, tokens);
  return purify.sanitize(renderer.parser(tokens), POLICY_HTML);
}

/**
 * Renumbers the heading depths a text uses to 1, 2, 3… in order, so a policy
 * written with `##` and `####` only still reads as a section and its
 * subsection: a screen reader's heading list has no level missing.
 */
function closeHeadingGaps(renderer: Marked, tokens: Token[]): void {
  const headings: Tokens.Heading[] = [];
  renderer.walkTokens(tokens, (token) => {
    if (token.type === "heading") headings.push(token as Tokens.Heading);
  });
  const depths = [...new Set(headings.map((heading) => heading.depth))].sort((a, b) => a - b);
  for (const heading of headings) heading.depth = depths.indexOf(heading.depth) + 1;
}

/**
 * A policy's Markdown as the text a reader sees on the page: no `**`, `#` or
 * link targets. Blocks are separated by a blank line and list items start on
 * their own line, so a word-level diff of two versions reads like the page.
 */
export function renderPolicyPlainText(body: string): string {
  return blocksToText(markdown.lexer(body)).trim();
}

function blocksToText(tokens: Token[]): string {
  return tokens
    .map(blockToText)
    .filter((text) => text !== "")
    .join("\n\n");
}

function blockToText(token: Token): string {
  switch (token.type) {
    case "space":
    case "hr":
      return "";
    case "code":
      return (token as Tokens.Code).text;
    case "list": {
      const list = token as Tokens.List;
      const start = typeof list.start === "number" ? list.start : 1;
      return list.items.map((item, index) => `${list.ordered ? `${start + index}.` : "•"} ${blocksToText(item.tokens)}`).join("\n");
    }
    case "table": {
      const table = token as Tokens.Table;
      return [table.header, ...table.rows].map((row) => row.map((cell) => inlineToText(cell.tokens)).join(" | ")).join("\n");
    }
    case "blockquote":
      return blocksToText((token as Tokens.Blockquote).tokens);
    default:
      return "tokens" in token && Array.isArray(token.tokens) ? inlineToText(token.tokens) : "text" in token ? String(token.text) : "";
  }
}

function inlineToText(tokens: Token[]): string {
  return tokens
    .map((token) => {
      if (token.type === "br") return "\n";
      if (token.type === "image") return (token as Tokens.Image).text;
      // Nested emphasis, links and the like: their words, not their markers.
      if ("tokens" in token && Array.isArray(token.tokens)) return inlineToText(token.tokens);
      // Raw HTML is shown as the text it is (see the renderer above), so it stays.
      return "text" in token ? String(token.text) : "";
    })
    .join("");
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
