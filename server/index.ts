import { createServer, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { prepareSetupToken } from "../app/domain/accounts/setup.server";
import { knownOrigin } from "../app/domain/settings/site.server";
import { ConfigError, loadConfig } from "../app/lib/config.server";
import { createAppRuntime, type AppRuntime } from "../app/runtime.server";
import { DatabaseLockedError } from "../app/lib/db.server";
import { createLogger } from "../app/lib/log.server";
import { createHttpApp } from "./http";
import { createRedirectHandler } from "./redirect";

// Bundled to build/server.js; the Remix build sits beside it in build/remix.
const here = path.dirname(fileURLToPath(import.meta.url));
const SHUTDOWN_DEADLINE_MS = 9_000;

async function main(): Promise<void> {
  const log = createLogger();
  let runtime: AppRuntime;
  let config;
  try {
    config = loadConfig();
    runtime = await createAppRuntime(config, { log });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseLockedError) {
      process.stderr.write(`\n${error.message}\n\n`);
      process.exit(1);
    }
    throw error;
  }

  // Before listening, so the setup page never answers without its token.
  const setupToken = await prepareSetupToken(runtime.context, config.setupToken);
  const build = (await import(path.join(here, "remix", "index.js"))) as ServerBuild;
  let stopping = false;
  const app = createHttpApp({
    build,
    context: runtime.context,
    publicDir: path.resolve(here, "..", "public"),
    isStopping: () => stopping,
    databaseHealth: runtime.databaseHealth,
  });
  // Short links are answered before Express and Remix ever see the request.
  const redirect = createRedirectHandler({ context: runtime.context, resolver: runtime.links.resolver, recorder: runtime.links.recorder });
  const server: Server = createServer((req, res) => {
    if (stopping) res.setHeader("Connection", "close");
    if (!redirect(req, res)) app(req, res);
  });
  server.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  // PUBLIC_URL or the recorded origin; before setup without PUBLIC_URL, this machine (the setup link).
  const origin = (await knownOrigin(runtime.context)) ?? `http://localhost:${port}`;
  log.info("server.listening", { port, database: config.database.kind, storage: config.storage.driver, mail: runtime.mailer.mode });
  process.stdout.write(`\nCobrand is running at ${origin}\n`);

  if (setupToken) {
    process.stdout.write(`\nFirst run: open this link to create the admin account (it works once):\n  ${origin}/setup?token=${setupToken}\n\n`);
  }

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("server.stopping", { signal });
    const deadline = setTimeout(() => {
      log.error("server.shutdown_deadline_passed");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    // Stop accepting; idle keep-alive sockets close now, busy ones after their response.
    server.close(() => {
      runtime
        .close()
        .then(() => {
          log.info("server.stopped");
          process.exit(0);
        })
        .catch((error: unknown) => {
          log.error("server.shutdown_failed", { error: String(error) });
          process.exit(1);
        });
    });
    server.closeIdleConnections();
    // Sockets still open well before the deadline are dropped so the database can close in time.
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_DEADLINE_MS - 3_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`Cobrand failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
