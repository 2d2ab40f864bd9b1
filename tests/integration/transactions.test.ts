import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rowsOf, transaction, type Database } from "~/lib/db.server";
import type { Logger } from "~/lib/log.server";
import { createTestDatabase, usingPostgres } from "../support/db";

// PGlite is one connection in one process: two transactions never overlap
// there, so it can neither deadlock nor fail to serialise. Only PostgreSQL can.
describe.skipIf(!usingPostgres)(
  "transaction retries on PostgreSQL (skipped on PGlite: it runs one transaction at a time, so it cannot deadlock or fail to serialise)",
  () => {
    let database: Database;
    beforeAll(async () => {
      database = await createTestDatabase();
      await database.db.execute(sql`create table retry_probe (id int primary key, n int not null)`);
    });
    afterAll(() => database.close());
    beforeEach(() => database.db.execute(sql`truncate retry_probe`));

    function recordingLog() {
      const retries: Record<string, unknown>[] = [];
      const log: Logger = {
        info: () => {},
        warn: (event, fields) => {
          if (event === "db.transaction_retry") retries.push(fields ?? {});
        },
        error: () => {},
      };
      return { log, retries };
    }

    /** Resolves once `parties` callers are waiting on it. */
    function barrier(parties: number): () => Promise<void> {
      let waiting = 0;
      let release!: () => void;
      const open = new Promise<void>((resolve) => (release = resolve));
      return () => {
        if (++waiting === parties) release();
        return open;
      };
    }

    it("retries the victim of a deadlock once, and both transactions complete", async () => {
      await database.db.execute(sql`insert into retry_probe (id, n) values (1, 0), (2, 0)`);
      const { log, retries } = recordingLog();
      const bothHoldTheirFirstRow = barrier(2);
      const attempts = { forward: 0, backward: 0 };
      const lockInOrder = (name: keyof typeof attempts, first: number, second: number) =>
        transaction(
          database.db,
          async (tx) => {
            attempts[name]++;
            await tx.execute(sql`update retry_probe set n = n + 1 where id = ${first}`);
            // Only the first attempts meet here; a retry must not wait for a partner that already finished.
            if (attempts[name] === 1) await bothHoldTheirFirstRow();
            await tx.execute(sql`update retry_probe set n = n + 1 where id = ${second}`);
          },
          { log },
        );

      await Promise.all([lockInOrder("forward", 1, 2), lockInOrder("backward", 2, 1)]);

      expect(retries).toEqual([expect.objectContaining({ sqlState: "40P01", attempt: 1 })]);
      expect(attempts.forward + attempts.backward).toBe(3);
      const rows = rowsOf<{ id: number; n: number }>(await database.db.execute(sql`select id, n from retry_probe order by id`));
      expect(rows).toEqual([
        { id: 1, n: 2 },
        { id: 2, n: 2 },
      ]);
    });

    it("retries a serializable transaction that lost a read/write conflict, and the result is a serial one", async () => {
      await database.db.execute(sql`insert into retry_probe (id, n) values (1, 1)`);
      const { log, retries } = recordingLog();
      const bothHaveRead = barrier(2);
      const attempts = { a: 0, b: 0 };
      // Each inserts the total it read: run one after the other, the second sees the first's row.
      const insertTotal = (name: keyof typeof attempts, id: number) =>
        transaction(
          database.db,
          async (tx) => {
            attempts[name]++;
            const [row] = rowsOf<{ total: number }>(await tx.execute(sql`select coalesce(sum(n), 0)::int as total from retry_probe`));
            if (attempts[name] === 1) await bothHaveRead();
            await tx.execute(sql`insert into retry_probe (id, n) values (${id}, ${row!.total})`);
          },
          { log, isolationLevel: "serializable" },
        );

      await Promise.all([insertTotal("a", 2), insertTotal("b", 3)]);

      expect(retries).toEqual([expect.objectContaining({ sqlState: "40001", attempt: 1 })]);
      const values = rowsOf<{ n: number }>(await database.db.execute(sql`select n from retry_probe order by n`)).map((r) => r.n);
      expect(values).toEqual([1, 1, 2]);
    });
  },
);
