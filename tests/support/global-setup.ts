import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";

export const TEMPLATE_FILE = path.resolve("tests/.tmp/pglite-template.tar");

/**
 * Migrating a PGlite database costs seconds; do it once per run and let each
 * test file start from a copy of the migrated data directory.
 */
export default async function setup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  fs.mkdirSync(path.dirname(TEMPLATE_FILE), { recursive: true });
  const client = await PGlite.create();
  await migrate(drizzle(client), { migrationsFolder: path.resolve("db/migrations") });
  const dump = await client.dumpDataDir("none");
  fs.writeFileSync(TEMPLATE_FILE, Buffer.from(await dump.arrayBuffer()));
  await client.close();
}
