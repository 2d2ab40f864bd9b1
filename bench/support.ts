import { randomBytes } from "node:crypto";
import os from "node:os";
import { createUser, sessionCookieFor } from "../tests/support/context";
import { startTestServer, type TestServer } from "../tests/support/http";

/**
 * The real Express app and Remix build on loopback, over an in-memory database
 * (or, with TEST_DATABASE_URL, a PostgreSQL database of its own) and local files.
 */
export async function benchServer(options: Parameters<typeof startTestServer>[0] = {}): Promise<{ server: TestServer; adminCookie: string }> {
  const server = await startTestServer(options);
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
