/**
 * JavaScript a browser downloads for each route on a first visit: the entry,
 * the root route, the route's ancestors and the route itself, with every
 * shared chunk they import, counted once. Reads the Remix client build.
 *
 *   npm run build && npx tsx bench/client-weight.ts [top=5]
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

type Entry = { module: string; imports?: string[] };
type Route = Entry & { id: string; parentId?: string };
type Manifest = { entry: Entry; routes: Record<string, Route> };

const buildDir = path.resolve("public/build");
const manifestFile = fs.readdirSync(buildDir).find((name) => /^manifest-.*\.js$/.test(name));
if (!manifestFile) throw new Error("No client build: run `npm run build` first.");
const manifest = JSON.parse(
  fs
    .readFileSync(path.join(buildDir, manifestFile), "utf8")
    .replace(/^window\.__remixManifest=/, "")
    .replace(/;$/, ""),
) as Manifest;

const sizeOf = (url: string) => {
  const bytes = fs.readFileSync(path.join(buildDir, url.replace(/^\/build\//, "")));
  return { raw: bytes.length, gzip: zlib.gzipSync(bytes).length };
};

function filesFor(route: Route): Set<string> {
  const files = new Set<string>([manifest.entry.module, ...(manifest.entry.imports ?? [])]);
  for (let at: Route | undefined = route; at; at = at.parentId ? manifest.routes[at.parentId] : undefined) {
    files.add(at.module);
    for (const file of at.imports ?? []) files.add(file);
  }
  return files;
}

const top = Number(process.argv[2] ?? 5);
// Resource routes (a .ts module with no component) are never loaded as pages.
const isPage = (route: Route) => route.id === "root" || fs.existsSync(path.resolve("app", `${route.id}.tsx`));
const rows = Object.values(manifest.routes)
  .filter(isPage)
  .map((route) => {
    const total = [...filesFor(route)].map(sizeOf).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
    return { route: route.id, ...total };
  })
  .sort((a, b) => b.raw - a.raw);

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log("| Route | JS (minified) | gzip |\n| --- | --- | --- |");
for (const row of rows.slice(0, top)) console.log(`| \`${row.route}\` | ${kb(row.raw)} | ${kb(row.gzip)} |`);
