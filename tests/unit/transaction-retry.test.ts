import { describe, expect, it } from "vitest";
import { retryableSqlState, transaction, type Db } from "~/lib/db.server";
import type { Logger } from "~/lib/log.server";

function sqlError(code: string): Error {
  return Object.assign(new Error(`sqlstate ${code}`), { code });
}

/** A database whose transactions fail with the given errors in turn, then succeed. */
function failingDb(errors: Error[]) {
  let calls = 0;
  const db = {
    transaction: async <T>(work: (tx: Db) => Promise<T>): Promise<T> => {
      const error = errors[calls++];
      if (error) throw error;
      return work(db as unknown as Db);
    },
  };
  return { db: db as unknown as Db, calls: () => calls };
}

function recordingLog() {
  const events: string[] = [];
  const log: Logger = { info: (e) => events.push(e), warn: (e) => events.push(e), error: (e) => events.push(e) };
  return { log, events };
}

describe("transaction retries", () => {
  it("surfaces a non-retryable error at once", async () => {
    const { db, calls } = failingDb([sqlError("23503")]);
    const { log, events } = recordingLog();
    await expect(transaction(db, async () => "done", { log })).rejects.toThrow("sqlstate 23503");
    expect(calls()).toBe(1);
    expect(events).toEqual([]);
  });

  it("does not retry an error thrown by the work itself", async () => {
    const { db, calls } = failingDb([]);
    await expect(
      transaction(db, async () => {
        throw new Error("rule broken");
      }),
    ).rejects.toThrow("rule broken");
    expect(calls()).toBe(1);
  });

  it("retries deadlocks and serialization failures, also when wrapped as the cause, and logs each retry", async () => {
    const wrapped = Object.assign(new Error("Failed query"), { cause: sqlError("40001") });
    const { db, calls } = failingDb([sqlError("40P01"), wrapped]);
    const { log, events } = recordingLog();
    expect(await transaction(db, async () => "done", { log })).toBe("done");
    expect(calls()).toBe(3);
    expect(events).toEqual(["db.transaction_retry", "db.transaction_retry"]);
  });

  it("gives up after the allowed retries with the last error", async () => {
    const { db, calls } = failingDb([sqlError("40001"), sqlError("40001"), sqlError("40001")]);
    const { log, events } = recordingLog();
    await expect(transaction(db, async () => "done", { log, retries: 2 })).rejects.toThrow("sqlstate 40001");
    expect(calls()).toBe(3);
    expect(events).toEqual(["db.transaction_retry", "db.transaction_retry", "db.transaction_retries_exhausted"]);
  });

  it("recognises only serialization failures and deadlocks", () => {
    expect(retryableSqlState(sqlError("40001"))).toBe("40001");
    expect(retryableSqlState(sqlError("40P01"))).toBe("40P01");
    expect(retryableSqlState({ cause: { cause: sqlError("40P01") } })).toBe("40P01");
    expect(retryableSqlState(sqlError("23505"))).toBeNull();
    expect(retryableSqlState("40001")).toBeNull();
    expect(retryableSqlState(null)).toBeNull();
  });
});
