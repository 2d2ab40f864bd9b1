import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
// Imported (not only spawned) so the script is type-checked with the project.
import { runPrescreenCli } from "../../../scripts/prescreen";

// The command-line contract (issue 13, part 3), through npm as users run it.
vi.setConfig({ testTimeout: 120_000 });

const PROGRAM = path.resolve("tests/fixtures/prescreen/northwind.program.json");

function run(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "prescreen", "--", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const line = (value: object) => JSON.stringify(value);

describe("npm run -s prescreen", () => {
  it("writes one JSON line per input line, in order, and nothing else; a malformed line gets an error and the run goes on", async () => {
    const input = [
      line({
        id: "first",
        channel: "organic_social",
        copy: "#adventure time with Northwind",
        claimIds: [],
        destinationUrl: "https://northwindcoffee.com/shop",
      }),
      "",
      "{this is not json",
      "   ",
      line({ id: 2, channel: "email", copy: "The cure for Mondays", claimIds: ["survey"], destinationUrl: "https://northwindcoffee.com.evil.example/" }),
      line({ id: "clean", channel: "email", copy: "Hello from Northwind.", claimIds: [], destinationUrl: null }),
    ].join("\r\n");
    const { code, stdout, stderr } = await run(["--program", PROGRAM], input);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.endsWith("\n")).toBe(true);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    const results = lines.map(
      (l) =>
        JSON.parse(l) as {
          id: unknown;
          findings?: { code: string; severity: string; message: string; start: number | null; end: number | null }[];
          error?: string;
        },
    );
    expect(results.map((r) => r.id)).toEqual(["first", null, 2, "clean"]);
    expect(results[0]!.findings!.map((f) => f.code)).toEqual(["missing_disclosure"]);
    expect(Object.keys(results[1]!)).toEqual(["id", "error"]);
    expect(results[1]!.error).toMatch(/JSON/);
    expect(results[2]!.findings!.map((f) => f.code).sort()).toEqual(["banned_term", "destination_not_allowed", "missing_disclaimer"]);
    for (const finding of results[2]!.findings!) expect(Object.keys(finding)).toEqual(["code", "severity", "message", "start", "end"]);
    expect(results[3]).toEqual({ id: "clean", findings: [] });
  });

  it("a bad program file is a clear error on stderr and exit code 2, with nothing on stdout", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prescreen-"));
    const bad = path.join(dir, "program.json");
    fs.writeFileSync(bad, JSON.stringify({ disclosurePhrases: "#ad" }));
    for (const args of [["--program", bad], ["--program", path.join(dir, "missing.json")], []]) {
      const { code, stdout, stderr } = await run(args, line({ id: 1, channel: "email", copy: "x" }));
      expect(code, args.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/prescreen: /);
    }
    fs.writeFileSync(bad, "{ not json");
    const { code, stderr } = await run([`--program=${bad}`], "");
    expect(code).toBe(2);
    expect(stderr).toContain("not valid JSON");
  });
});

describe("runPrescreenCli", () => {
  it("keeps the order of a large input", async () => {
    const { Readable } = await import("node:stream");
    const input = Array.from({ length: 500 }, (_, i) =>
      line({ id: i, channel: i % 2 ? "organic_social" : "email", copy: i % 3 ? "#ad fine" : "the cure" }),
    ).join("\n");
    const out: string[] = [];
    const code = await runPrescreenCli(["--program", PROGRAM], {
      stdin: Readable.from([input]),
      writeLine: async (l) => void out.push(l),
      writeError: () => {},
      now: () => new Date(),
    });
    expect(code).toBe(0);
    expect(out.map((l) => (JSON.parse(l) as { id: number }).id)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});
