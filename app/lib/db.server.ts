import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { is, sql, type ExtractTablesWithRelations, type SQL } from "drizzle-orm";
import { PgDialect, PgTransaction, type PgDatabase, type PgQueryResultHKT, type PgTransactionConfig } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "#db/schema/index";
import { findApplicationFile } from "./app-files.server";
import type { DatabaseConfig } from "./config.server";
import { createLogger, type Logger } from "./log.server";

export type Schema = typeof schema;
/** Either driver: both are PgDatabase underneath, and so is a transaction. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type Database = {
  db: Db;
  kind: DatabaseConfig["kind"];
  /**
   * LISTEN on a channel: `onMessage` gets each NOTIFY payload, `onConnect`
   * runs whenever the listening connection (re)connects (notifications may
   * have been missed before it). Resolves to a function that stops listening.
   */
  listen(channel: string, onMessage: (payload: string) => void, onConnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

export class DatabaseLockedError extends Error {}

const dialect = new PgDialect();

/**
 * Runs a statement that PostgreSQL keeps prepared on each connection: parsed
 * and planned once, then only bound and run. `db.execute` sends an unnamed
 * statement, planned anew every call; for the click batch, whose text never
 * changes and whose plan costs as much as writing 500 rows, that was a third
 * of the database's time per click (bench/README.md, Redirect). PGlite has
 * one connection and takes the same path.
 */
export function executePrepared(db: Db, statement: SQL): Promise<unknown> {
  return db._.session.prepareQuery(dialect.sqlToQuery(statement), undefined, "prepared", false).execute();
}

const MIGRATION_LOCK = 7_262_002;

/** The migrations folder, found from this module wherever it was bundled to. */
export function findMigrationsFolder(): string {
  const found = findApplicationFile("db/migrations", (candidate) => fs.existsSync(path.join(candidate, "meta", "_journal.json")));
  if (!found) throw new Error("Cannot find db/migrations next to the application");
  return found;
}

export type OpenOptions = {
  migrate?: boolean;
  /** A migrated PGlite data directory dump to start from (tests). */
  loadDataDir?: Blob | File;
};

/** Opens the configured database and applies pending migrations before anything else uses it. */
export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  const shouldMigrate = options.migrate ?? true;
  const migrationsFolder = shouldMigrate ? findMigrationsFolder() : "";

  if (config.kind === "postgres") {
    const client = postgres(config.url, {
      onnotice: () => {},
      max: 10,
      // A connection attempt that gets no answer (a dead network, not a refusal) fails after 3 s rather than
      // postgres.js's 30: the request waiting on it gets its 503 in time (server/http.ts).
      connect_timeout: 3,
      // Reconnects back off to at most a second (postgres.js's own grows to 20 s within a few failures):
      // once the database is back, the app is too within seconds, not after the longest wait it ran up.
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2),
    });
    const db = drizzlePostgres(client, { schema });
    if (shouldMigrate) {
      // Instances starting together take turns: the migrator itself does not lock.
      const lock = await client.reserve();
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
        await migratePostgres(db, { migrationsFolder });
      } finally {
        await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
        lock.release();
      }
    }
    return {
      db,
      kind: "postgres",
      async listen(channel, onMessage, onConnect) {
        // postgres.js listens on a connection of its own and reconnects it; each (re)connect calls onConnect.
        const { unlisten } = await client.listen(channel, onMessage, onConnect);
        return unlisten;
      },
      close: () => client.end({ timeout: 5 }),
    };
  }

  let releaseLock = () => {};
  let client: PGlite;
  if (config.kind === "pglite") {
    releaseLock = acquireDirectoryLock(config.dir);
    try {
      fs.mkdirSync(path.dirname(config.dir), { recursive: true });
      client = await PGlite.create({ dataDir: config.dir });
    } catch (error) {
      releaseLock();
      throw error;
    }
  } else {
    client = await PGlite.create({ loadDataDir: options.loadDataDir });
  }
  const db = drizzlePglite(client, { schema });
  if (shouldMigrate) await migratePglite(db, { migrationsFolder });
  return {
    db,
    kind: config.kind,
    async listen(channel, onMessage, onConnect) {
      // One process owns a PGlite database, so its own notifications are all there are.
      const stop = await client.listen(channel, onMessage);
      onConnect?.();
      return stop;
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        releaseLock();
      }
    },
  };
}

/**
 * PGlite does not lock its data directory: two processes on one directory
 * silently lose writes. An exclusive lock file beside it turns that into a
 * clear refusal. A lock left by a process that no longer exists is taken over.
 */
export function acquireDirectoryLock(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockFile, "utf8") === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(fs.readFileSync(lockFile, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && processIsAlive(holder)) {
        throw new DatabaseLockedError(
          `The database in ${dataDir} is in use by another Cobrand process (pid ${holder}).\n` +
            `Stop that process first. To run several processes, use PostgreSQL (set DATABASE_URL).`,
        );
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new DatabaseLockedError(`Could not take the lock ${lockFile}`);
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Rows of a raw `db.execute()` result, whichever driver produced it. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

/** A LIKE/ILIKE pattern matching `text` anywhere, with the user's % and _ taken literally. */
/** A time as a typed parameter in raw SQL: postgres.js takes no Date there. */
export const timestamptz = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;

export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** serialization_failure and deadlock_detected: PostgreSQL rolled the whole transaction back, and running it again may succeed. */
const RETRYABLE_SQLSTATES = new Set(["40001", "40P01"]);
const RETRY_BASE_DELAY_MS = 20;
const RETRY_MAX_DELAY_MS = 1_000;
const defaultRetryLog = createLogger();

/**
 * The SQLSTATE if `error` is one a retry can fix. postgres.js puts it on
 * `code`; drizzle wraps query errors and keeps the driver's error as `cause`.
 */
export function retryableSqlState(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE_SQLSTATES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export type TransactionOptions = {
  /** Further attempts after a serialization failure or deadlock. */
  retries?: number;
  isolationLevel?: PgTransactionConfig["isolationLevel"];
  log?: Logger;
};

/**
 * Runs `work` in a transaction and runs it again, after a jittered
 * exponential backoff, when PostgreSQL aborts it for a serialization failure
 * or a deadlock. `work` may run more than once, so everything it does must
 * be inside the transaction (queries, the outbox), never mail, storage or
 * in-memory state. Called with a transaction, it opens a savepoint and does
 * not retry: the abort hits the outer transaction, which is the one to retry.
 */
export async function transaction<T>(db: Db, work: (tx: Db) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if (is(db, PgTransaction)) return db.transaction(work);
  const retries = options.retries ?? 3;
  const config: PgTransactionConfig | undefined = options.isolationLevel ? { isolationLevel: options.isolationLevel } : undefined;
  const log = options.log ?? defaultRetryLog;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work, config);
    } catch (error) {
      const sqlState = retryableSqlState(error);
      if (!sqlState) throw error;
      if (attempt > retries) {
        log.error("db.transaction_retries_exhausted", { sqlState, attempts: attempt });
        throw error;
      }
      // Full jitter: transactions that collided once should not collide again on the same schedule.
      const delayMs = Math.round(Math.random() * Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** attempt));
      log.warn("db.transaction_retry", { sqlState, attempt, delayMs });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
