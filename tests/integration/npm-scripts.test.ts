import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";

// Starts real npm and node processes on a fresh PGlite directory (initdb takes seconds).
vi.setConfig({ testTimeout: 120_000 });

const scripts = (JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm scripts under a process manager", () => {
  it("npm start builds, then hands over to `npm run serve` with exec, so signals reach the server", () => {
    // `npm start` rebuilds, which would rewrite the build other test files are reading;
    // so the signal path is tested through `serve`, which start execs into.
    expect(scripts.start).toMatch(/&& exec npm run serve$/);
    for (const name of ["serve", "dev", "demo"]) expect(scripts[name], name).toMatch(/\bexec (env [^&]*)?node /);
  });

  it("stops every process within 10 s on SIGTERM to npm, releasing the database lock", async () => {
    const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-npm-"));
    const npm = spawn("npm", ["run", "serve"], {
      env: { ...process.env, DATABASE_URL: "", S3_BUCKET: "", SMTP_URL: "", PUBLIC_URL: "", PORT: "0", HOST: "127.0.0.1", STORAGE_DIR: storageDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    npm.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    npm.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
    await vi.waitFor(() => expect(output).toMatch(/running at http/), { timeout: 60_000, interval: 100 });
    const lock = path.join(storageDir, "db.lock");
    // The lock names the process that holds the database: the node server, not npm.
    const serverPid = Number(fs.readFileSync(lock, "utf8"));
    expect(serverPid).toBeGreaterThan(0);
    expect(isRunning(serverPid)).toBe(true);

    const signalledAt = Date.now();
    npm.kill("SIGTERM");
    const code = await exited;
    // The server's own graceful shutdown (9 s deadline) ends it; npm reports its exit status.
    await vi.waitFor(() => expect(fs.existsSync(lock)).toBe(false), { timeout: 10_000, interval: 50 });
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(code).toBe(0);
    expect(output).toContain("server.stopped");
    await vi.waitFor(() => expect(isRunning(serverPid)).toBe(false), { timeout: 2_000, interval: 50 });
  });
});
