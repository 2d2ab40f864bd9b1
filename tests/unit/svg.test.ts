import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cssFetches, sanitizeSvg, unescapeCss } from "~/lib/svg.server";

const HOSTILE = path.resolve("tests/fixtures/hostile");
const hostileSvgs = fs.readdirSync(HOSTILE).filter((name) => name.endsWith(".svg"));

/** The stored SVG as a browser's CSS parser would read it: escapes decoded, comments gone. */
const asBrowserReadsIt = (svg: string) => unescapeCss(svg).replace(/\/\*[\s\S]*?\*\//g, "");

describe("unescapeCss (CSS Syntax 3, consume an escaped code point)", () => {
  it("decodes 1-6 hex digits and eats one whitespace after them", () => {
    expect(unescapeCss("@\\69mport")).toBe("@import");
    expect(unescapeCss("u\\72l(")).toBe("url(");
    expect(unescapeCss("\\75 \\72 \\6c (")).toBe("url(");
    expect(unescapeCss("@\\000069 mport")).toBe("@import");
    expect(unescapeCss("\\000075rl")).toBe("url");
    expect(unescapeCss("\\75\r\nrl")).toBe("url");
  });
  it("keeps any other escaped character as itself, and makes NUL and surrogates U+FFFD", () => {
    expect(unescapeCss("u\\rl\\(")).toBe("url(");
    expect(unescapeCss("\\0 x\\d800 y")).toBe("\uFFFDx\uFFFDy");
    expect(unescapeCss("\\5c 75rl(")).toBe("\\75rl(");
  });
});

describe("cssFetches", () => {
  it("finds fetches behind escapes, comments and odd spacing", () => {
    for (const css of [
      "@\\69mport 'x.css'",
      "fill: u\\72l(https://e.example/a)",
      "fill:u/**/rl(//e.example/a)",
      "background: image-set('a.png' 1x)",
      "src(x)",
      "width: expression(alert(1))",
      'fill: url( "https://e.example/a" )',
    ]) {
      expect(cssFetches(css), css).toBe(true);
    }
  });
  it("lets references inside the document through", () => {
    for (const css of ["fill: url(#g)", 'fill: url( "#g" )', "fill: u\\72l(#g)", "fill: #0f766e; stroke-width: 2"]) {
      expect(cssFetches(css), css).toBe(false);
    }
  });
});

describe("sanitizeSvg", () => {
  it.each(hostileSvgs)("leaves no external fetch in %s", (name) => {
    const clean = sanitizeSvg(fs.readFileSync(path.join(HOSTILE, name), "utf8"));
    expect(clean).not.toBeNull();
    const read = asBrowserReadsIt(clean!);
    expect(read).toContain("<svg");
    expect(read).not.toMatch(/evil\.example|@import|image-set\(|<script|foreignObject|<image/i);
    // Every url() left points inside the document.
    expect(read.match(/url\(\s*['"]?\s*[^#'"\s]/gi) ?? []).toEqual([]);
  });

  it("keeps gradients and other references inside the logo", () => {
    const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><style>circle { fill: url(#g) }</style><rect width="10" height="10" fill="url(#g)" style="stroke: url( '#g' )"/><circle r="2"/></svg>`;
    const clean = sanitizeSvg(logo)!;
    expect(clean).toContain('fill="url(#g)"');
    expect(clean).toContain("stroke: url( '#g' )");
    expect(clean).toContain("circle { fill: url(#g) }");
  });
});
