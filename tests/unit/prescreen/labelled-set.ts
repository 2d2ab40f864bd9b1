import fs from "node:fs";
import path from "node:path";
import { prescreen, type Finding, type FindingCode } from "~/domain/prescreen";
import { parseProgramFile } from "~/domain/prescreen/program-file";

// The labelled evaluation set (tests/fixtures/prescreen): programs
// (NAME.program.json) and JSON-lines files of cases (NAME-*.jsonl, checked
// against NAME's program), each case with the error codes a careful reviewer
// expects and, where the case says so, the warnings.

export const FIXTURE_DIR = path.resolve("tests/fixtures/prescreen");

export type LabelledCase = {
  file: string;
  id: string;
  channel: string;
  copy: string;
  claimIds: string[];
  destinationUrl: string | null;
  regions?: string[];
  partnerType?: string;
  expectedErrors: FindingCode[];
  /** Absent: the case does not say which warnings are right. */
  expectedWarnings?: FindingCode[];
  note?: string;
};

/** The program a case file is checked against: northwind-clean.jsonl → northwind.program.json. */
export function loadProgramFor(caseFile: string) {
  const name = caseFile.split("-")[0]!;
  return parseProgramFile(JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, `${name}.program.json`), "utf8")), new Date());
}

export function loadCases(): LabelledCase[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith(".jsonl"))
    .sort()
    .flatMap((name) =>
      fs
        .readFileSync(path.join(FIXTURE_DIR, name), "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => ({ file: name, ...(JSON.parse(line) as Omit<LabelledCase, "file">) })),
    );
}

export type CaseResult = {
  case: LabelledCase;
  findings: Finding[];
  missedErrors: FindingCode[];
  extraErrors: FindingCode[];
  missedWarnings: FindingCode[];
  extraWarnings: FindingCode[];
};

/** Codes of `expected` not matched in `actual`, counting repeats (two missing disclaimers are two). */
function missing(expected: readonly FindingCode[], actual: readonly FindingCode[]): FindingCode[] {
  const left = [...actual];
  return expected.filter((code) => {
    const i = left.indexOf(code);
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}

export type Metrics = {
  cases: number;
  expectedErrors: number;
  detectedErrors: number;
  recall: number;
  cleanCases: number;
  cleanWithError: number;
  falseAlarmRate: number;
  /** Over all cases: error findings whose code the case did not expect. */
  extraErrorFindings: number;
  errorPrecision: number;
  labelledWarningCases: number;
  warningsEmitted: number;
  warningsExpected: number;
  warningsCorrect: number;
  warningPrecision: number;
  warningRecall: number;
  results: CaseResult[];
};

/** Runs every case (or those of the files `only` accepts) and measures the pre-screen like a classifier. */
export function evaluate(only: (file: string) => boolean = () => true): Metrics {
  const programs = new Map<string, ReturnType<typeof loadProgramFor>>();
  const results = loadCases()
    .filter((c) => only(c.file))
    .map((c): CaseResult => {
      const program = programs.get(c.file) ?? loadProgramFor(c.file);
      programs.set(c.file, program);
      const { rules, now } = program;
      const findings = prescreen(
        {
          copy: c.copy,
          channel: c.channel,
          claimIds: c.claimIds,
          destinationUrl: c.destinationUrl,
          regions: c.regions ?? null,
          partnerType: c.partnerType ?? null,
          now,
        },
        rules,
      );
      const errors = findings.filter((f) => f.severity === "error").map((f) => f.code);
      const warnings = findings.filter((f) => f.severity === "warning").map((f) => f.code);
      const expectedWarnings = c.expectedWarnings;
      return {
        case: c,
        findings,
        missedErrors: missing(c.expectedErrors, errors),
        extraErrors: missing(errors, c.expectedErrors),
        missedWarnings: expectedWarnings ? missing([...new Set(expectedWarnings)], [...new Set(warnings)]) : [],
        extraWarnings: expectedWarnings ? missing([...new Set(warnings)], [...new Set(expectedWarnings)]) : [],
      };
    });
  const expectedErrors = results.reduce((n, r) => n + r.case.expectedErrors.length, 0);
  const detectedErrors = expectedErrors - results.reduce((n, r) => n + r.missedErrors.length, 0);
  const clean = results.filter((r) => r.case.expectedErrors.length === 0);
  const cleanWithError = clean.filter((r) => r.findings.some((f) => f.severity === "error")).length;
  const extraErrorFindings = results.reduce((n, r) => n + r.extraErrors.length, 0);
  const labelled = results.filter((r) => r.case.expectedWarnings !== undefined);
  const warningsEmitted = labelled.reduce((n, r) => n + new Set(r.findings.filter((f) => f.severity === "warning").map((f) => f.code)).size, 0);
  const warningsExpected = labelled.reduce((n, r) => n + new Set(r.case.expectedWarnings).size, 0);
  const warningsCorrect = warningsExpected - labelled.reduce((n, r) => n + r.missedWarnings.length, 0);
  return {
    cases: results.length,
    expectedErrors,
    detectedErrors,
    recall: expectedErrors === 0 ? 1 : detectedErrors / expectedErrors,
    cleanCases: clean.length,
    cleanWithError,
    falseAlarmRate: clean.length === 0 ? 0 : cleanWithError / clean.length,
    extraErrorFindings,
    errorPrecision: detectedErrors + extraErrorFindings === 0 ? 1 : detectedErrors / (detectedErrors + extraErrorFindings),
    labelledWarningCases: labelled.length,
    warningsEmitted,
    warningsExpected,
    warningsCorrect,
    warningPrecision: warningsEmitted === 0 ? 1 : warningsCorrect / warningsEmitted,
    warningRecall: warningsExpected === 0 ? 1 : warningsCorrect / warningsExpected,
    results,
  };
}

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The figures as docs/prescreen.md quotes them. */
export function report(m: Metrics): string {
  const lines = [
    `Labelled cases: ${m.cases} (${m.cleanCases} without any expected error)`,
    `Recall on errors: ${m.detectedErrors}/${m.expectedErrors} = ${percent(m.recall)}`,
    `False alarms on clean copy: ${m.cleanWithError}/${m.cleanCases} = ${percent(m.falseAlarmRate)}`,
    `Error precision (all cases): ${m.detectedErrors}/${m.detectedErrors + m.extraErrorFindings} = ${percent(m.errorPrecision)}`,
    `Warnings, on the ${m.labelledWarningCases} cases labelled for them: precision ${m.warningsCorrect}/${m.warningsEmitted} = ${percent(m.warningPrecision)}, recall ${m.warningsCorrect}/${m.warningsExpected} = ${percent(m.warningRecall)}`,
  ];
  for (const r of m.results) {
    const problems = [
      ...r.missedErrors.map((c) => `missed error ${c}`),
      ...r.extraErrors.map((c) => `unexpected error ${c}`),
      ...r.missedWarnings.map((c) => `missed warning ${c}`),
      ...r.extraWarnings.map((c) => `unexpected warning ${c}`),
    ];
    if (problems.length > 0) lines.push(`  ${r.case.file} ${r.case.id}: ${problems.join(", ")}`);
  }
  return lines.join("\n");
}
