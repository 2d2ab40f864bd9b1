import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

// The built server (build/server.js) as a child process, the way an operator
// runs it: the process tests, the redirect's shutdown test and the benches.

const SERVER = path.resolve("build/server.js");
export const SETUP_TOKEN = "process-test-setup-token-0123456789";

export type StartedServer = { child: ChildProcess; url: string; output: () => string; exited: Promise<{ code: number | null; at: number }> };

/**
 * Starts the built server on a fresh embedded setup in `storageDir` (unless
 * `env` says otherwise, e.g. DATABASE_URL) and waits until it says where it
 * listens. PORT 0 unless `env` names one. `nodeArgs` go to node before the
 * script (a bench's `--cpu-prof`, which NODE_OPTIONS does not take).
 */
export function startBuiltServer(storageDir: string, env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Promise<StartedServer> {
  // The V8 flag `npm start` passes too (package.json "serve"): see bench/README.md.
  const child = spawn(process.execPath, ["--max-semi-space-size=64", ...nodeArgs, SERVER], {
    env: {
      ...process.env,
      DATABASE_URL: "",
      S3_BUCKET: "",
      SMTP_URL: "",
      PUBLIC_URL: "",
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      STORAGE_DIR: storageDir,
      COBRAND_SETUP_TOKEN: SETUP_TOKEN,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on("exit", (code) => resolve({ code, at: Date.now() })));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve({ child, url: match[1]!.replace("localhost", "127.0.0.1"), output: () => output, exited });
      }
    }, 50);
    void exited.then(({ code }) => {
      clearInterval(timer);
      reject(new Error(`server exited early (${code}):\n${output}`));
    });
  });
}

/** Resolves when the server has written `text` (it logs each step of its shutdown). */
export function waitForOutput(server: StartedServer, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!server.output().includes(text)) return;
      server.child.stdout!.off("data", check);
      server.child.stderr!.off("data", check);
      resolve();
    };
    server.child.stdout!.on("data", check);
    server.child.stderr!.on("data", check);
    void server.exited.then(() => (server.output().includes(text) ? resolve() : reject(new Error(`server exited without "${text}"`))));
    check();
  });
}
