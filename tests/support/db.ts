import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openDatabase, retryableSqlState, rowsOf, type Database, type Db } from "~/lib/db.server";

const TEMPLATE_FILE = path.resolve("tests/.tmp/pglite-template.tar");

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** A test's database; `url` is the PostgreSQL database's own (a second connection, a server process), null for PGlite. */
export type TestDatabase = Database & { url: string | null };

/**
 * A fresh, migrated database for one test file: an in-memory PGlite copied
 * from the migrated template, or, when TEST_DATABASE_URL is set, a new
 * PostgreSQL database of its own (dropped again by `close`).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const loadDataDir = fs.existsSync(TEMPLATE_FILE) ? new Blob([fs.readFileSync(TEMPLATE_FILE)]) : undefined;
    return { ...(await openDatabase({ kind: "pglite-memory" }, { loadDataDir, migrate: !loadDataDir })), url: null };
  }
  const name = `cobrand_t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: "postgres", url: url.toString() });
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/**
 * Empties every application table between tests. A test server's background
 * work (the click recorder's batch of the previous test's clicks, a worker's
 * poll) may still hold a table the truncate wants: PostgreSQL then ends one of
 * the two as a deadlock, and the truncate is tried again once that work is done.
 */
export async function resetDatabase(db: Db): Promise<void> {
  const tables = rowsOf<{ tablename: string }>(await db.execute(sql`select tablename from pg_tables where schemaname = 'public'`)).map(
    (t) => `"public"."${t.tablename}"`,
  );
  if (!tables.length) return;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.execute(sql.raw(`truncate ${tables.join(", ")} restart identity cascade`));
      return;
    } catch (error) {
      if (attempt >= 5 || retryableSqlState(error) === null) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
