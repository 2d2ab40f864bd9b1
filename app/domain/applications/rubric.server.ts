import fs from "node:fs";
import { findApplicationFile } from "~/lib/app-files.server";
import { renderPolicyMarkdown } from "../policies/markdown.server";

// docs/fit-score.md is the one rubric: reviewers read it in the app, and
// tests/unit/scoring.test.ts pins the scoring code to it.
const RUBRIC_PATH = "docs/fit-score.md";

let rendered: string | null = null;

/** The fit-score rubric as sanitized HTML, headings from h2 (the page's h1 is its title). Read once. */
export function fitScoreRubricHtml(): string {
  if (rendered === null) {
    const file = findApplicationFile(RUBRIC_PATH);
    if (!file) throw new Error(`Cannot find ${RUBRIC_PATH} next to the application`);
    rendered = renderPolicyMarkdown(fs.readFileSync(file, "utf8"), { topHeadingLevel: 2 });
  }
  return rendered;
}
