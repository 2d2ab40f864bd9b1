import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The classic Remix compiler does not fail when server code leaks into a
 * route module: it ships it to the browser. This reads the built client
 * bundle and fails on anything that must stay on the server.
 */
const CLIENT_BUILD = path.resolve("public/build");

function files(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Text that appears only in a library's own code, minified or not. */
const SERVER_LIBRARIES: Record<string, RegExp> = {
  zod: /\$ZodType|ZodError|invalid_union_discriminator|Invalid input: expected/,
  drizzle: /drizzle:entityKind|drizzle-orm/,
  postgres: /PostgresError|postgres\.js/,
  pglite: /@electric-sql\/pglite|PGlite/,
  lucia: /lucia/i,
  sharp: /libvips|sharp:/,
  "Node built-ins": /["'`]node:(fs|crypto|stream|path|child_process|net)["'`]/,
};

/**
 * Long sentences (messages, copy) of the app's server-only modules: a leaked
 * module carries them along. Identifiers such as audit action names are left
 * out: the browser may legitimately share them through a plain module.
 */
function serverModuleMarkers(): { file: string; text: string }[] {
  const markers: { file: string; text: string }[] = [];
  for (const file of files(path.resolve("app"), ".server.ts")) {
    const source = fs.readFileSync(file, "utf8");
    for (const match of source.matchAll(/"([^"\\\n$]{32,})"/g)) {
      if (match[1]!.includes(" ")) markers.push({ file: path.relative(process.cwd(), file), text: match[1]! });
    }
  }
  return markers;
}

describe("the client bundle", () => {
  const bundle = fs.existsSync(CLIENT_BUILD)
    ? files(CLIENT_BUILD, ".js").map((file) => ({ file: path.relative(CLIENT_BUILD, file), text: fs.readFileSync(file, "utf8") }))
    : [];

  it("exists (run the build first)", () => {
    expect(bundle.length).toBeGreaterThan(5);
  });

  it.each(Object.entries(SERVER_LIBRARIES))("holds no %s", (_name, signature) => {
    const leaks = bundle.filter((chunk) => signature.test(chunk.text)).map((chunk) => chunk.file);
    expect(leaks).toEqual([]);
  });

  it("holds no code of a *.server module", () => {
    const markers = serverModuleMarkers();
    expect(markers.length).toBeGreaterThan(50);
    const leaks = markers.flatMap((marker) =>
      bundle.filter((chunk) => chunk.text.includes(marker.text)).map((chunk) => `${marker.file} → ${chunk.file}: "${marker.text}"`),
    );
    expect(leaks).toEqual([]);
  });
});
