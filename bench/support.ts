import os from "node:os";
import { createUser, sessionCookieFor } from "../tests/support/context";
import { startTestServer, type TestServer } from "../tests/support/http";

/** The real Express app and Remix build on loopback, over an in-memory database and local files. */
export async function benchServer(): Promise<{ server: TestServer; adminCookie: string }> {
  const server = await startTestServer();
  const admin = await createUser(server.app.db, { role: "admin", name: "Bench Admin" });
  return { server, adminCookie: await sessionCookieFor(server.app, admin.id) };
}

/** Samples RSS every 5 ms while `work` runs; returns the peak above the level just before. */
export async function peakRssDuring<T>(work: () => Promise<T>): Promise<{ result: T; baselineMb: number; peakMb: number; riseMb: number }> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
    return { result, baselineMb: mb(baseline), peakMb: mb(peak), riseMb: mb(peak - baseline) };
  } finally {
    clearInterval(timer);
  }
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? "cpu"} × ${cpus.length}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}`;
}
