/**
 * How long the pre-screen takes, as the live check and the submit run it: the
 * labelled set's copy (captions, emails, blog snippets, up to a few thousand
 * characters) against its program, with the claims library grown to 500
 * approved claims (a large brand's library), rules compiled once per rule set
 * as the server keeps them. Reports p50/p95/p99 per check and checks per second.
 *
 *   npx tsx bench/prescreen.ts
 */
import fs from "node:fs";
import path from "node:path";
import { prescreen, type PrescreenInput } from "~/domain/prescreen";
import { parseInputLine, parseProgramFile } from "~/domain/prescreen/program-file";
import { machine } from "./support";

const LIBRARY_SIZE = Number(process.env.CLAIMS ?? 500);
const ROUNDS = Number(process.env.ROUNDS ?? 20);
const dir = path.resolve("tests/fixtures/prescreen");
const { rules: base, now } = parseProgramFile(JSON.parse(fs.readFileSync(path.join(dir, "northwind.program.json"), "utf8")), new Date());
const filler = Array.from({ length: Math.max(0, LIBRARY_SIZE - base.claims.length) }, (_, i) => ({
  id: `bench-${i}`,
  text: `Lumen model ${i} uses up to ${10 + (i % 80)}% less energy than model ${i + 1000}`,
  disclaimers: [`Measured in lab test LT-${i}.`],
  channels: null,
  regions: null,
  status: "approved",
  expiresAt: null,
}));
const rules = { ...base, claims: [...base.claims, ...filler] };

const inputs: PrescreenInput[] = fs
  .readdirSync(dir)
  .filter((f) => f.startsWith("northwind-") && f.endsWith(".jsonl"))
  .flatMap((f) => fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter(Boolean))
  .flatMap((line) => {
    const parsed = parseInputLine(line, now);
    return parsed.ok ? [parsed.input] : [];
  });

// The longest copy the form takes (5,000 characters): a blog post made of the set's paragraphs.
const paragraphs = inputs.map((i) => i.copy);
for (let n = 0; n < 20; n++) {
  let copy = "";
  for (let i = n; copy.length < 4800; i++) copy += `${paragraphs[i % paragraphs.length]}\n\n`;
  inputs.push({ ...inputs[n]!, channel: "website_blog", copy: copy.slice(0, 5000) });
}

// Warm up (the first call compiles the rules, as the first check after a save does).
for (const input of inputs) prescreen(input, rules);
const timings: number[] = [];
const started = performance.now();
for (let round = 0; round < ROUNDS; round++) {
  for (const input of inputs) {
    const t = performance.now();
    prescreen(input, rules);
    timings.push(performance.now() - t);
  }
}
const total = performance.now() - started;
timings.sort((a, b) => a - b);
const at = (q: number) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))]!.toFixed(3);
const longest = Math.max(...inputs.map((i) => i.copy.length));
const long = inputs.filter((i) => i.copy.length > 4000).length;
console.log(machine());
console.log(
  `inputs: ${inputs.length} (${long} of them about 5,000 characters; the longest ${longest}), claims in the library: ${rules.claims.length}, checks: ${timings.length}`,
);
console.log(`per check: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${timings.at(-1)!.toFixed(3)} ms`);
console.log(`throughput: ${Math.round(timings.length / (total / 1000))} checks/s on one core`);
