import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql, type ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "#db/schema/index";
import type { DatabaseConfig } from "./config.server";

export type Schema = typeof schema;
/** Either driver: both are PgDatabase underneath, and so is a transaction. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type Database = {
  db: Db;
  kind: DatabaseConfig["kind"];
  close(): Promise<void>;
};

export class DatabaseLockedError extends Error {}

const MIGRATION_LOCK = 7_262_002;

/** The migrations folder, found from this module wherever it was bundled to. */
export function findMigrationsFolder(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, "db", "migrations");
    if (fs.existsSync(path.join(candidate, "meta", "_journal.json"))) return candidate;
    dir = path.dirname(dir);
  }
  const fromCwd = path.resolve("db/migrations");
  if (fs.existsSync(fromCwd)) return fromCwd;
  throw new Error("Cannot find db/migrations next to the application");
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
    const client = postgres(config.url, { onnotice: () => {}, max: 10 });
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
    return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
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
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
