import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A file or folder that ships with the application (db/migrations,
 * docs/fit-score.md), found by walking up from this module wherever it was
 * bundled to (build/, build/remix/, or app/lib under vitest), then from the
 * working directory. Null when it is not there.
 */
export function findApplicationFile(relativePath: string, isIt: (candidate: string) => boolean = fs.existsSync): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, relativePath);
    if (isIt(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  const fromCwd = path.resolve(relativePath);
  return fs.existsSync(fromCwd) ? fromCwd : null;
}
