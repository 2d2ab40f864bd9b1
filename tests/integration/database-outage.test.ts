import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { rowsOf } from "~/lib/db.server";
import { startBuiltServer, waitForOutput } from "../support/built-server";
import { clickStream } from "../support/click-stream";
import { createTestContext, signedIn, TEST_APP_SECRET } from "../support/context";
import { createTestDatabase, usingPostgres } from "../support/db";
import { linkProgram, partnerWithLink } from "../support/links";
import { TcpProxy } from "../support/tcp-proxy";

// The built server on PostgreSQL, with the database taken away under load and
// given back: a TCP proxy between the two is cut and restored (the machine's
// PostgreSQL itself is never stopped). While it is cut, pages answer 503 at
// once, never hang and never show a 500; the redirect keeps answering from
// what it last read and keeps every click; afterwards pages come back within
// 5 s and every click is written. PGlite runs in the server's own process:
// there is no connection to cut, so the test needs TEST_DATABASE_URL.

vi.setConfig({ testTimeout: 90_000 });

const NEEDS_POSTGRES = "skipped: needs PostgreSQL (TEST_DATABASE_URL); PGlite lives inside the server process, with no connection to cut";
/** Longer than the redirect's 5 s link cache: the clicks of the outage's end are answered from what the cache last read. */
const OUTAGE_MS = 7_000;
// Said in the run's output, not only in the skipped test's name (which the default reporter does not list).
if (!usingPostgres) console.info(`${path.basename(import.meta.url)}: ${NEEDS_POSTGRES}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Answer = { status: number; ms: number; body: string };

async function timed(url: string, init: RequestInit = {}): Promise<Answer> {
  const started = Date.now();
  // A hang shows as this timeout's failure, not as a slow pass.
  const response = await fetch(url, { redirect: "manual", ...init, signal: AbortSignal.timeout(8_000) });
  return { status: response.status, ms: Date.now() - started, body: await response.text() };
}

describe("PostgreSQL unreachable under load", () => {
  it.skipIf(!usingPostgres)(
    `answers 503 at once while it is gone, recovers within 5 s, keeps every click and writes nothing half-done${usingPostgres ? "" : ` (${NEEDS_POSTGRES})`}`,
    async () => {
      const database = await createTestDatabase();
      const target = new URL(database.url!);
      const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      await proxy.start();
      try {
        const app = createTestContext(database.db);
        await linkProgram(app);
        const { link } = await partnerWithLink(app);
        const admin = await signedIn(app, { role: "admin", email: "ada@brand.test" });

        const server = await startBuiltServer(fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-outage-")), {
          APP_SECRET: TEST_APP_SECRET,
          DATABASE_URL: proxy.through(database.url!),
          ALLOWED_HOSTS: "*",
          WORKER_POLL_MS: "200",
        });
        const page = () => timed(`${server.url}/admin/users`, { headers: { Cookie: admin.cookie } });
        const invite = (email: string) =>
          timed(`${server.url}/admin/users`, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "Sec-Fetch-Site": "same-origin", Cookie: admin.cookie },
            body: new URLSearchParams({ intent: "invite", email, role: "brand_reviewer" }),
          });
        expect((await page()).status).toBe(200);

        const stream = clickStream(server.url, link.code, { workers: 8, orphans: false });
        while (stream.tally.redirects < 200) await sleep(20);

        proxy.cut();
        const cutAt = Date.now();
        const redirectsBefore = stream.tally.redirects;
        const during: Answer[] = [];
        // Pages and a change, asked again and again through the outage.
        try {
          while (Date.now() - cutAt < OUTAGE_MS) {
            during.push(await page());
            during.push(await invite(`during-${during.length}@brand.test`));
            await sleep(200);
          }
        } catch (error) {
          throw new Error(`the server did not answer during the outage:\n${server.output().slice(-4_000)}`, { cause: error });
        }
        const redirectsDuring = stream.tally.redirects - redirectsBefore;
        proxy.restore();
        const restoredAt = Date.now();
        let recoveredAfter = -1;
        while (Date.now() - restoredAt < 10_000) {
          if ((await page()).status === 200) {
            recoveredAfter = Date.now() - restoredAt;
            break;
          }
          await sleep(100);
        }
        // And the change that failed during the outage goes through now.
        const inviteAfter = await invite("after@brand.test");
        await stream.stop();
        server.child.kill("SIGTERM");
        await waitForOutput(server, '"event":"server.stopped"');
        const output = server.output();
        // The process lived through the outage (postgres.js alone would have crashed it: scripts/build-server.ts) and stopped cleanly.
        expect((await server.exited).code).toBe(0);

        expect(during.length).toBeGreaterThan(10);
        for (const answer of during) {
          expect(answer.status, answer.body).toBe(503);
          // At once: the first waits on a dead connection at most, the rest are refused before reaching the pool.
          expect(answer.ms).toBeLessThan(4_000);
          expect(answer.body).toContain("temporarily unavailable");
          expect(answer.body).not.toMatch(/\bat .*\.js:\d+|Error:|ECONN|postgres/i);
        }
        expect(during.filter((a) => a.ms > 1_000).length).toBeLessThanOrEqual(2);
        expect(recoveredAfter).toBeGreaterThanOrEqual(0);
        expect(recoveredAfter).toBeLessThan(5_000);
        expect(inviteAfter.status).toBe(200);
        expect(output).toContain('"event":"database.unreachable"');
        expect(output).toContain('"event":"database.reachable"');

        // Visitors kept being redirected through the outage, past the link cache's expiry, and none was refused.
        expect(redirectsDuring).toBeGreaterThan(100);
        expect(stream.tally.other).toBe(0);
        expect(stream.tally.failed).toBe(0);
        const flushed = JSON.parse(/^\{.*"event":"clicks\.flushed".*\}$/m.exec(output)![0]) as { dropped: number };
        expect(flushed.dropped).toBe(0);
        expect(output).not.toContain("clicks.dropped");

        const [counted] = rowsOf<{ clicks: number; daily: number; invited: string[]; mails: number; audited: number }>(
          await database.db.execute(sql`
            select (select count(*)::int from link_clicks) as clicks,
              (select coalesce(sum(clicks), 0)::int from link_click_daily) as daily,
              (select coalesce(array_agg(email order by email), '{}') from user_tokens) as invited,
              (select count(*)::int from outbox_messages) as mails,
              (select count(*)::int from audit_events where action = 'user.invited') as audited`),
        );
        // Every click answered is written, the outage's too.
        expect(counted!.clicks).toBe(stream.tally.redirects);
        expect(counted!.daily).toBe(stream.tally.redirects);
        // Of the invitations, only the one made after the outage exists: no token, email or half of one from those refused.
        expect(counted!.invited).toEqual(["after@brand.test"]);
        expect(counted!.mails).toBe(1);
        expect(counted!.audited).toBe(1);
      } finally {
        await proxy.close();
        await database.close();
      }
    },
  );
});
