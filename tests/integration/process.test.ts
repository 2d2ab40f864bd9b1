import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { auditEvents, outboxMessages } from "#db/schema/index";
import { recordAuditNow } from "~/lib/audit.server";
import { acquireDirectoryLock, DatabaseLockedError, openDatabase } from "~/lib/db.server";
import { SETUP_TOKEN, startBuiltServer, waitForOutput } from "../support/built-server";
import { TEST_APP_SECRET } from "../support/context";

// Each test starts real processes and fresh PGlite directories (initdb takes seconds).
vi.setConfig({ testTimeout: 120_000 });

const SERVER = path.resolve("build/server.js");

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-proc-"));
}

describe("PGlite directory lock", () => {
  it("makes a second process on the same directory exit at once with a clear message", async () => {
    const dir = tempDir();
    const release = acquireDirectoryLock(path.join(dir, "db"));
    try {
      const started = Date.now();
      const child = spawn(process.execPath, [SERVER], {
        env: { ...process.env, DATABASE_URL: "", STORAGE_DIR: dir, PORT: "0" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      expect(code).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(stderr).toContain(`is in use by another Cobrand process (pid ${process.pid})`);
      expect(stderr).toContain("DATABASE_URL");
    } finally {
      release();
    }
  });

  it("takes over a lock left by a process that no longer exists", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "db.lock"), "2147483646");
    const database = await openDatabase({ kind: "pglite", dir: path.join(dir, "db") });
    expect(fs.readFileSync(path.join(dir, "db.lock"), "utf8")).toBe(String(process.pid));
    expect(() => acquireDirectoryLock(path.join(dir, "db"))).toThrow(DatabaseLockedError);
    await database.close();
    expect(fs.existsSync(path.join(dir, "db.lock"))).toBe(false);
  });
});

describe("graceful shutdown", () => {
  it("finishes the request in flight, delivers queued email, closes the database and exits within 10 s", async () => {
    const dir = tempDir();
    // Poll rarely, so the invitation email is still queued when SIGTERM arrives.
    const server = await startBuiltServer(dir, { WORKER_POLL_MS: "600000" });
    const origin = server.url;
    const form = (fields: Record<string, string>, cookie?: string) => ({
      method: "POST",
      redirect: "manual" as const,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, ...(cookie ? { Cookie: cookie } : {}) },
      body: new URLSearchParams(fields),
    });
    const setup = await fetch(
      `${origin}/setup`,
      form({ token: SETUP_TOKEN, programName: "Acme", name: "Ada", email: "ada@acme.test", password: "correct horse battery staple" }),
    );
    expect(setup.status).toBe(302);
    const cookie = setup.headers.getSetCookie()[0]!.split(";")[0]!;
    const invite = await fetch(`${origin}/admin/users`, form({ intent: "invite", email: "rae@acme.test", role: "brand_reviewer" }, cookie));
    expect(invite.status).toBe(200);

    // A request whose body is still arriving when the signal comes.
    const { port } = new URL(origin);
    const socket = net.connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    const body = "email=ada%40acme.test&password=wrong-password-here";
    // Expect: 100-continue makes the server say when it has parsed the head, so
    // the request is known to be in flight (not an idle socket) before the signal.
    socket.write(
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n${body.slice(0, 10)}`,
    );
    let response = "";
    const continued = new Promise<void>((resolve) =>
      socket.on("data", (d: Buffer) => {
        response += d.toString();
        if (response.includes("100 Continue")) resolve();
      }),
    );
    await continued;

    const signalledAt = Date.now();
    server.child.kill("SIGTERM");
    await waitForOutput(server, '"event":"server.stopping"');
    // New connections are refused while the old request is still being served.
    await expect(fetch(`${origin}/`)).rejects.toThrow();
    socket.write(body.slice(10));
    const exit = await server.exited;
    expect(response.replace(/^HTTP\/1.1 100 Continue\r\n\r\n/, "")).toMatch(/^HTTP\/1.1 400/);
    expect(response).toContain("The email or password is incorrect.");
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(10_000);
    expect(server.output()).toContain('"event":"server.stopped"');
    expect(fs.existsSync(path.join(dir, "db.lock"))).toBe(false);
    // The events so far were checkpointed to storage on the way out.
    expect(fs.readdirSync(path.join(dir, "files", "objects", "audit", "checkpoints"))).toHaveLength(1);

    // The queued invitation was delivered (kept, without SMTP) before the database closed.
    const database = await openDatabase({ kind: "pglite", dir: path.join(dir, "db") });
    try {
      const messages = await database.db.select().from(outboxMessages);
      expect(messages.map((m) => [m.payload.to, m.status])).toEqual([["rae@acme.test", "kept"]]);
    } finally {
      await database.close();
    }
  });
});

describe("npm run audit:verify", () => {
  function runVerify(dir: string): Promise<{ code: number | null; stdout: string }> {
    const child = spawn(process.execPath, [path.resolve("build/cli.js"), "audit-verify"], {
      env: { ...process.env, STORAGE_DIR: dir, DATABASE_URL: "", S3_BUCKET: "", SMTP_URL: "", APP_SECRET: TEST_APP_SECRET },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stdout += d.toString()));
    return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout })));
  }

  /** Changes rows as a database superuser would: around the append-only trigger. */
  async function tamper(dir: string, statement: ReturnType<typeof sql>) {
    const database = await openDatabase({ kind: "pglite", dir: path.join(dir, "db") });
    try {
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
        await tx.execute(statement);
        await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
      });
    } finally {
      await database.close();
    }
  }

  it("reports the chain and the checkpoint, writes a checkpoint when both hold, and names a missing tail and the first edited row", async () => {
    const dir = tempDir();
    const database = await openDatabase({ kind: "pglite", dir: path.join(dir, "db") });
    for (let i = 1; i <= 5; i++) {
      await recordAuditNow(database.db, {
        actor: { id: null, label: "cli-test" },
        action: "settings.rules_updated",
        subjectType: "thing",
        subjectId: String(i),
      });
    }
    const [head] = await database.db.select().from(auditEvents).where(eq(auditEvents.id, 5));
    await database.close();

    const first = await runVerify(dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^Audit trail intact: 5 events verified\.\nCheckpoints: none in storage yet\.\nCheckpoint written: audit\/checkpoints\/[0-9t.z-]+-5\.json\.\n$/,
    );
    const second = await runVerify(dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Audit trail intact: 5 events verified\.\nCheckpoint of \S+ matches: 5 events ending at #5\.\n$/);

    await tamper(dir, sql`delete from audit_events where id > 3`);
    const cut = await runVerify(dir);
    expect(cut.code).toBe(2);
    expect(cut.stdout).toContain("Audit trail intact: 3 events verified.\n");
    expect(cut.stdout).toMatch(
      new RegExp(
        `Checkpoint check FAILED: the chain ends at row 3 with 3 rows, but a checkpoint at \\S+ saw 5 rows ending at row 5 with hash ${head!.hash} \\(rows were removed\\)`,
      ),
    );
    expect(cut.stdout).not.toContain("Checkpoint written");

    await tamper(dir, sql`update audit_events set actor_label = 'someone else' where id = 3`);
    const broken = await runVerify(dir);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toContain("Audit trail BROKEN at event #3");
    expect(broken.stdout).toContain("2 events before it verified");
    expect(broken.stdout).toContain("Checkpoint check FAILED");
  });
});
