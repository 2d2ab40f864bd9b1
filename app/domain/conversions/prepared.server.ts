import type { Db } from "~/lib/db.server";

/**
 * A statement of the conversions API's hot path, built and prepared once per
 * database handle instead of on every call: drizzle builds its SQL once, and
 * on PostgreSQL postgres.js keeps it as a named statement on each pool
 * connection, so a call is one round trip (bind and execute) where an
 * unprepared query with parameters takes two (describe, then execute) and is
 * parsed again each time. Measured by bench/conversions.ts.
 */
export function preparedPerDb<T>(build: (db: Db) => T): (db: Db) => T {
  const statements = new WeakMap<Db, T>();
  return (db) => {
    let statement = statements.get(db);
    if (statement === undefined) {
      statement = build(db);
      statements.set(db, statement);
    }
    return statement;
  };
}
