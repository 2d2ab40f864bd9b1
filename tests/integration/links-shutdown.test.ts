import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import type { DatabaseConfig } from "~/lib/config.server";
import { openDatabase, rowsOf } from "~/lib/db.server";
import { startBuiltServer, waitForOutput } from "../support/built-server";
import { TEST_APP_SECRET } from "../support/context";
import { createTestDatabase, usingPostgres } from "../support/db";
import { clickStream } from "../support/click-stream";
import { seedLinkDatabase } from "../support/links";

// The built server, as an operator runs it, stopped with SIGTERM in the middle
// of a stream of clicks: every click it answered is in the database afterwards.
// On PGlite by default, on PostgreSQL with TEST_DATABASE_URL.

vi.setConfig({ testTimeout: 120_000 });

describe("graceful shutdown of the redirect", () => {
  it(`writes every click answered before and during SIGTERM, dropping none (${usingPostgres ? "PostgreSQL" : "PGlite"})`, async () => {
    const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-links-shutdown-"));
    const testDatabase = usingPostgres ? await createTestDatabase() : null;
    const databaseConfig: DatabaseConfig = testDatabase ? { kind: "postgres", url: testDatabase.url! } : { kind: "pglite", dir: path.join(storageDir, "db") };
    try {
      const link = await seedLinkDatabase(databaseConfig);
      const server = await startBuiltServer(storageDir, { APP_SECRET: TEST_APP_SECRET, ...(testDatabase ? { DATABASE_URL: testDatabase.url! } : {}) });
      const stream = clickStream(server.url, link.code);
      // Well into the stream, with batches queued and being written.
      while (stream.tally.redirects < 3_000) await new Promise((resolve) => setTimeout(resolve, 20));
      const signalledAt = Date.now();
      server.child.kill("SIGTERM");
      await waitForOutput(server, '"event":"server.stopping"');
      const exit = await server.exited;
      await stream.stop();

      expect(exit.code).toBe(0);
      expect(exit.at - signalledAt).toBeLessThan(10_000);
      expect(server.output()).toContain('"event":"server.stopped"');
      expect(server.output()).not.toContain("clicks.dropped");
      expect(server.output()).not.toContain("clicks.write_failed");
      // Clicks were still waiting for their batch when the signal came, and were written on the way out.
      const flushed = JSON.parse(/^\{.*"event":"clicks\.flushed".*\}$/m.exec(server.output())![0]) as { pending: number; dropped: number; written: number };
      expect(flushed.pending).toBeGreaterThan(0);
      expect(flushed.dropped).toBe(0);
      expect(stream.tally.other).toBe(0);
      // Some clicks were refused once the server stopped listening: the stream ran through the stop.
      expect(stream.tally.failed).toBeGreaterThan(0);

      const database = await openDatabase(databaseConfig, { migrate: false });
      try {
        const [counted] = rowsOf<{ clicks: number; orphans: number; daily: number }>(
          await database.db.execute(sql`
            select (select count(*)::int from link_clicks) as clicks,
              (select count(*)::int from link_clicks where link_id is null) as orphans,
              (select coalesce(sum(clicks), 0)::int from link_click_daily) as daily`),
        );
        expect(flushed.written).toBe(counted!.clicks);
        expect(counted).toEqual({
          clicks: stream.tally.redirects + stream.tally.notFound,
          orphans: stream.tally.notFound,
          daily: stream.tally.redirects,
        });
      } finally {
        await database.close();
      }
    } finally {
      await testDatabase?.close();
    }
  });
});
