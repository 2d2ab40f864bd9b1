import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

// Bundles server/index.ts into build/server.js and server/cli.ts into
// build/cli.js (ESM, Node 20, source maps). Packages stay external and load
// from node_modules, except postgres.js, which is bundled with the patch
// below (docs/decisions/024-two-instances-and-faults.md).

/**
 * postgres.js 3.4.9 (the latest) crashes the process when a connection
 * closes under a transaction: the ROLLBACK is written after the socket is
 * gone, from a setImmediate, so the TypeError escapes every try/catch
 * (porsager/postgres#1154, #1208; fixes proposed in #1168, #1209, not
 * released). A database restart or a network blip must cost a few 503s, not
 * the process. The patch: a write on a closed connection fails its queries
 * with CONNECTION_CLOSED, as a close does; and a close forgets the write it
 * had pending, so its bytes never reach the next connection. The build stops
 * if the driver's code is no longer what the patch expects.
 */
const POSTGRES_PATCHES: [string, string][] = [
  [
    "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    "  function nextWrite(fn) {\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)",
  ],
  ["    clearImmediate(nextWriteTimer)\n    if (socket) {", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {"],
  [
    "    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)",
    "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)",
  ],
];

// The ESM entry (src/index.js), as Node resolves `import "postgres"`.
const postgresEntry = fileURLToPath(import.meta.resolve("postgres"));
const postgresConnection = path.join(path.dirname(postgresEntry), "connection.js");

const patchedPostgres: Plugin = {
  name: "patched-postgres",
  setup(bundle) {
    bundle.onResolve({ filter: /^postgres$/ }, () => ({ path: postgresEntry }));
    bundle.onLoad({ filter: /[\\/]postgres[\\/]src[\\/]connection\.js$/ }, (args) => {
      if (args.path !== postgresConnection) return undefined;
      let source = fs.readFileSync(args.path, "utf8");
      for (const [from, to] of POSTGRES_PATCHES) {
        if (source.split(from).length !== 2)
          throw new Error(`postgres.js changed: the patch for ${JSON.stringify(from.split("\n")[0])} no longer applies; review scripts/build-server.ts`);
        source = source.replace(from, to);
      }
      return { contents: source, loader: "js" };
    });
  },
};

await build({
  entryPoints: { server: "server/index.ts", cli: "server/cli.ts" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  outdir: "build",
  plugins: [patchedPostgres],
});
