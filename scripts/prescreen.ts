// The pre-screen on the command line (issue 13, part 3), for brand teams
// checking copy in bulk and for measuring the rules on data sets:
//
//   npm run -s prescreen -- --program program.json < cases.jsonl > findings.jsonl
//
// Reads one JSON object per line on stdin and writes exactly one JSON line per
// input line, in order, on stdout, and nothing else there: messages about the
// run go to stderr. Blank lines are skipped. A bad program file stops the run
// with exit code 2 before anything is read; a malformed input line gets
// {"id": null, "error": "…"} and the run goes on. No server, no database.

import fs from "node:fs";
import readline from "node:readline";
import type { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { prescreen } from "../app/domain/prescreen/index";
import { errorLine, parseInputLine, parseProgramFile, ProgramFileError, resultLine } from "../app/domain/prescreen/program-file";

const USAGE = "Usage: npm run -s prescreen -- --program program.json < input.jsonl";

export type CliIo = {
  stdin: Readable;
  writeLine: (line: string) => Promise<void>;
  writeError: (message: string) => void;
  /** When the program file has no `now`. */
  now: () => Date;
};

function programPath(args: readonly string[]): string | { error: string } {
  let path: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--program") {
      path = args[++i];
      if (path === undefined) return { error: "--program needs the path of a program.json file." };
    } else if (arg.startsWith("--program=")) path = arg.slice("--program=".length);
    else return { error: `Unknown argument: ${arg}` };
  }
  return path ? path : { error: "Give the program file with --program program.json." };
}

/** Runs the command line; resolves to the exit code. */
export async function runPrescreenCli(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.writeError(USAGE);
    return 0;
  }
  const path = programPath(args);
  if (typeof path !== "string") {
    io.writeError(`prescreen: ${path.error}\n${USAGE}`);
    return 2;
  }
  let program: ReturnType<typeof parseProgramFile>;
  try {
    const text = fs.readFileSync(path, "utf8");
    program = parseProgramFile(JSON.parse(text.replace(/^\uFEFF/, "")) as unknown, io.now());
  } catch (e) {
    const reason =
      e instanceof ProgramFileError ? e.message : e instanceof SyntaxError ? `not valid JSON (${e.message})` : e instanceof Error ? e.message : String(e);
    io.writeError(`prescreen: bad program file ${path}: ${reason}`);
    return 2;
  }

  const lines = readline.createInterface({ input: io.stdin, crlfDelay: Infinity });
  let first = true;
  for await (const rawLine of lines) {
    const line = first ? rawLine.replace(/^\uFEFF/, "") : rawLine;
    first = false;
    if (line.trim() === "") continue;
    const parsed = parseInputLine(line, program.now);
    if (!parsed.ok) {
      await io.writeLine(errorLine(parsed.error));
      continue;
    }
    let output: string;
    try {
      output = resultLine(parsed.id, prescreen(parsed.input, program.rules));
    } catch (e) {
      // A bug must not shift the remaining answers off their lines.
      output = errorLine(`The pre-screen failed on this line: ${e instanceof Error ? e.message : String(e)}`);
    }
    await io.writeLine(output);
  }
  return 0;
}

function writeToStdout(line: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(`${line}\n`)) resolve();
    else process.stdout.once("drain", resolve);
  });
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;

if (isEntryPoint) {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  runPrescreenCli(process.argv.slice(2), {
    stdin: process.stdin,
    writeLine: writeToStdout,
    writeError: (message) => process.stderr.write(`${message}\n`),
    now: () => new Date(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`prescreen: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
