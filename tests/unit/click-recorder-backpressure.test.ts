import { describe, expect, it } from "vitest";
import { ClickRecorder, type PendingClick } from "~/domain/links/click-recorder.server";
import type { Db } from "~/lib/db.server";
import type { LogFields, Logger } from "~/lib/log.server";

/**
 * A database whose every write waits until the test lets it through: the
 * recorder only ever asks it to run a prepared statement. (Cast: the fake
 * has just the part of drizzle's session that executePrepared uses.)
 */
function gatedDatabase() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let writes = 0;
  const db = {
    _: {
      session: {
        prepareQuery: () => ({
          execute: () => {
            writes++;
            return gate;
          },
        }),
      },
    },
  } as unknown as Db;
  return { db, open, writes: () => writes };
}

function recordingLog() {
  const lines: { level: string; event: string; fields?: LogFields }[] = [];
  const log: Logger = {
    info: (event, fields) => lines.push({ level: "info", event, fields }),
    warn: (event, fields) => lines.push({ level: "warn", event, fields }),
    error: (event, fields) => lines.push({ level: "error", event, fields }),
  };
  return { log, lines };
}

const click = (i: number): PendingClick => ({
  clickedAt: new Date(Date.UTC(2026, 11, 2, 12, 0, i)),
  clickId: `click${String(i).padStart(15, "0")}`,
  // An orphan visit: no link, so no first-live bookkeeping and no transaction.
  linkId: null,
  organisationId: null,
  requestedCode: "Unknown1",
  visitorHash: `visitor${i}`,
  userAgentClass: "browser",
  referrerHost: null,
  country: null,
  isBot: false,
  isTest: false,
  fallbackReason: "unknown_code",
});

describe("the click recorder's backpressure", () => {
  it("holds redirects while the queue is past its high-water mark, lets them go once a batch is written, and logs one summary", async () => {
    const database = gatedDatabase();
    const { log, lines } = recordingLog();
    const recorder = new ClickRecorder(database.db, log, { batchSize: 2, flushIntervalMs: 60_000, concurrentWrites: 1, highWater: 4, maxQueued: 100 });

    // Two clicks make a batch, whose write waits at the gate; four more fill the queue to its mark.
    for (let i = 0; i < 6; i++) recorder.record(click(i));
    expect(database.writes()).toBe(1);
    expect(recorder.congested).toBe(true);

    let released = 0;
    const held = [recorder.room(), recorder.room()].map((wait) => wait.then(() => released++));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(released).toBe(0);
    expect(recorder.counters.heldRedirects).toBe(2);

    database.open();
    await Promise.all(held);
    expect(released).toBe(2);
    expect(recorder.congested).toBe(false);
    // The first summary goes out as the hold ends; none for a redirect that did not wait.
    await recorder.room();
    const summaries = lines.filter((line) => line.event === "clicks.backpressure");
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ level: "warn", fields: { redirectsHeld: 2, totalHeld: 2 } });
    expect(summaries[0]!.fields!.longestHoldMs).toBeGreaterThanOrEqual(15);

    const stopped = await recorder.stop();
    expect(stopped.dropped).toBe(0);
    expect(recorder.counters).toMatchObject({ queued: 6, written: 6, dropped: 0, heldRedirects: 2 });
    expect(lines.filter((line) => line.event === "clicks.backpressure")).toHaveLength(1);
  });
});
