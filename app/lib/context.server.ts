import { createAuth, type Auth } from "./auth.server";
import type { Config } from "./config.server";
import { openDatabase, type Database, type Db } from "./db.server";
import { createLogger, type Logger } from "./log.server";
import { createMailer, type Mailer } from "./mail.server";
import { OutboxWorker } from "./outbox.server";
import { deleteExpiredLimits } from "./rate-limit.server";
import { sweepOrphanAssetObjects } from "~/domain/assets/assets.server";
import { SITE_ORIGIN_CACHE_TTL_MS } from "~/domain/settings/site.server";
import { createStorage } from "./storage/index.server";
import type { StorageDriver } from "./storage/types";
import { TtlCache } from "./ttl-cache";

/** Everything the domain needs from the outside world, built once per process. */
export type AppContext = {
  config: Config;
  db: Db;
  storage: StorageDriver;
  auth: Auth;
  log: Logger;
  /** The site origin recorded at setup (app/domain/settings/site.server.ts), shared by Express and Remix. */
  siteOriginCache: TtlCache<string | null>;
};

export type AppRuntime = {
  context: AppContext;
  database: Database;
  mailer: Mailer;
  outbox: OutboxWorker;
  /** Stops background work, then closes the database; safe to call twice. */
  close(): Promise<void>;
};

export async function createAppRuntime(
  config: Config,
  options: { log?: Logger; database?: Database; startWorkers?: boolean } = {},
): Promise<AppRuntime> {
  const log = options.log ?? createLogger();
  const database = options.database ?? (await openDatabase(config.database));
  const storage = createStorage(
    config.storage.driver === "local"
      ? { driver: "local", root: config.storage.root }
      : { ...config.storage, driver: "s3" },
  );
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom });
  const context: AppContext = { config, db: database.db, storage, auth: createAuth(database.db, config), log, siteOriginCache: new TtlCache(SITE_ORIGIN_CACHE_TTL_MS) };
  const outbox = new OutboxWorker({ db: database.db, mailer, log }, { pollMs: config.workerPollMs });
  let housekeeping: NodeJS.Timeout | null = null;
  if (options.startWorkers ?? true) {
    outbox.start();
    housekeeping = setInterval(() => void runHousekeeping(context), HOUSEKEEPING_INTERVAL_MS);
    housekeeping.unref();
  }

  let closing: Promise<void> | null = null;
  return {
    context,
    database,
    mailer,
    outbox,
    close() {
      closing ??= (async () => {
        if (housekeeping) clearInterval(housekeeping);
        await outbox.stop();
        mailer.close();
        await storage.close?.();
        await database.close();
      })();
      return closing;
    },
  };
}

const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

/** Removes expired sessions and spent rate-limit windows; safe on every instance at once. */
export async function runHousekeeping(context: AppContext): Promise<void> {
  try {
    await context.auth.deleteExpiredSessions();
    await deleteExpiredLimits(context.db);
    const swept = await sweepOrphanAssetObjects(context);
    if (swept.deleted) context.log.info("housekeeping.orphans_deleted", swept);
  } catch (error) {
    context.log.error("housekeeping.failed", { error: String(error) });
  }
}
