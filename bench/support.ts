import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import postgres from "postgres";
import { createUser, sessionCookieFor } from "../tests/support/context";
import { startTestServer, type TestServer } from "../tests/support/http";
import { BENCH_PASSWORD } from "./dataset";

/**
 * The real Express app and Remix build on loopback, over an in-memory database
 * (or, with TEST_DATABASE_URL, a PostgreSQL database of its own) and local files.
 */
export async function benchServer(options: Parameters<typeof startTestServer>[0] = {}): Promise<{ server: TestServer; adminCookie: string }> {
  const server = await startTestServer(options);
  const admin = await createUser(server.app.db, { role: "admin", name: "Bench Admin" });
  return { server, adminCookie: await sessionCookieFor(server.app, admin.id) };
}

/**
 * The review stages of a seeded creative `c`, for a lateral join (`cross join lateral (…) st`): brand on its
 * latest version, legal on about 40 % of creatives (one in five of those alongside brand rather than behind it);
 * pending, or waiting behind brand, while the creative is open, decided or cancelled once it is not.
 */
export const SEEDED_REVIEW_STAGES = `
  select 'brand' as stage, 0 as position,
    case when c.status in ('submitted', 'in_review') then 'pending'
         when c.status = 'approved' then 'approved'
         when c.status = 'changes_requested' then 'changes_requested'
         when c.status = 'rejected' then 'rejected'
         else 'cancelled' end as status
  union all
  select 'legal', case when abs(hashtext(c.id::text)) % 5 = 0 then 0 else 1 end,
    case when c.status in ('submitted', 'in_review') then (case when abs(hashtext(c.id::text)) % 5 = 0 then 'pending' else 'waiting' end)
         when c.status = 'approved' then 'approved'
         else 'cancelled' end
  where abs(hashtext(c.id::text || 'legal')) % 10 < 4`;

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

/** User and system CPU time of a process so far, in milliseconds (Linux). */
export function cpuMillis(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * CPU time so far (ms) of each PostgreSQL backend serving `database`, by
 * process id: a backend's command line names its database ("postgres: user
 * db 127.0.0.1(5123) idle"), so other databases on the same server, and its
 * background writers, are left out. Linux, with the server on this machine.
 */
export function postgresBackendCpu(database: string): Map<number, number> {
  const backends = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (command.startsWith("postgres: ") && command.split(" ").includes(database)) backends.set(Number(entry), cpuMillis(Number(entry)));
    } catch {
      // The process ended while the list was read.
    }
  }
  return backends;
}

/** CPU time (ms) the backends spent between two postgresBackendCpu readings; a backend started in between counts from nothing. */
export function postgresCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, millis] of after) spent += millis - (before.get(pid) ?? 0);
  return spent;
}

export const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The one-minute load average, to two decimals. */
export const loadAverage = () => Math.round(os.loadavg()[0]! * 100) / 100;

/**
 * A PostgreSQL database of the bench's own, made on the server that
 * TEST_DATABASE_URL names (nothing else there is touched), or null when it
 * is not set. `drop` removes it, whatever connections are left.
 */
export async function benchPostgresDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> } | null> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return null;
  const name = `cobrand_bench_${randomBytes(4).toString("hex")}`;
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  const onServer = async (statement: string) => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(statement);
    } finally {
      await admin.end();
    }
  };
  await onServer(`create database ${name}`);
  return { name, url, drop: () => onServer(`drop database if exists ${name} with (force)`) };
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? "cpu"} × ${cpus.length}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}`;
}

/** A multipart body of `fields` and one file of `size` bytes (starting with `magic`), generated as a stream: the client holds no copy. */
export function streamedMultipart(upload: { fields: Record<string, string>; filename: string; contentType: string; magic: Buffer; size: number }) {
  const boundary = "----cobrandbench" + randomBytes(8).toString("hex");
  const head = Buffer.from(
    [
      ...Object.entries(upload.fields).flatMap(([name, value]) => [`--${boundary}`, `Content-Disposition: form-data; name="${name}"`, "", value]),
      `--${boundary}`,
      `Content-Disposition: form-data; name="file"; filename="${upload.filename}"`,
      `Content-Type: ${upload.contentType}`,
      "",
      "",
    ].join("\r\n"),
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = randomBytes(256 * 1024);
  let sent = 0;
  let stage = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === 0) {
        controller.enqueue(head);
        controller.enqueue(upload.magic);
        sent = upload.magic.length;
        stage = 1;
      } else if (stage === 1) {
        const n = Math.min(chunk.length, upload.size - sent);
        controller.enqueue(chunk.subarray(0, n));
        sent += n;
        if (sent >= upload.size) stage = 2;
      } else {
        controller.enqueue(tail);
        controller.close();
      }
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Posts a streamed upload to `url` as the signed-in `cookie`, samples RSS
 * meanwhile and prints the result against the 64 MB budget (ARCHITECTURE.md).
 */
export async function measureUpload(
  bench: string,
  server: TestServer,
  url: string,
  cookie: string,
  upload: Parameters<typeof streamedMultipart>[0],
): Promise<void> {
  const started = Date.now();
  const { result, baselineMb, peakMb, riseMb } = await peakRssDuring(async () => {
    const { body, contentType } = streamedMultipart(upload);
    const response = await fetch(`${server.url}${url}`, {
      method: "POST",
      body,
      // Node's fetch needs duplex for a streamed request body.
      duplex: "half",
      headers: { Cookie: cookie, Origin: server.url, "Sec-Fetch-Site": "same-origin", "Content-Type": contentType },
    } as RequestInit);
    return { status: response.status, body: await response.text() };
  });
  const seconds = (Date.now() - started) / 1000;
  const uploadMb = Math.round(upload.size / 1024 / 1024);
  const report = {
    bench,
    machine: machine(),
    uploadMb,
    status: result.status,
    seconds,
    baselineMb,
    peakMb,
    riseMb,
    budgetMb: 64,
    pass: result.status === 200 && riseMb < 64,
  };
  console.log(JSON.stringify(report, null, 2));
  if (result.status !== 200) console.error(result.body);
}

/** Signs a bench user in through the real login form of the server at `url`, from `forwardedFor` (behind the trusted loopback proxy): its session cookie. */
export async function signInThroughForm(url: string, email: string, forwardedFor: string): Promise<string> {
  const response = await fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url, "Sec-Fetch-Site": "same-origin", "X-Forwarded-For": forwardedFor },
    body: new URLSearchParams({ email, password: BENCH_PASSWORD, redirectTo: "" }),
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("cobrand_session="));
  if (!cookie) throw new Error(`sign-in of ${email} failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
  return cookie.split(";")[0]!;
}

/** How long a GET of `url` takes, body read; anything but a 200 is an error. */
export async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers, redirect: "manual" });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${body.slice(0, 300)}`);
  return performance.now() - started;
}
