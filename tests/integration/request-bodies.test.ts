import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { assets, assetVersions, creativeFiles } from "#db/schema/index";
import { createCreativeDraft } from "~/domain/creatives/submissions.server";
import { runHousekeeping } from "~/runtime.server";
import { resetDatabase } from "../support/db";
import { createPartner, createUser, sessionCookieFor } from "../support/context";
import { get, startTestServer, type TestServer } from "../support/http";

const MB = 1024 * 1024;
const BOUNDARY = "----cobrandTestBoundary7MA4YWxkTrZu0gW";

/** Samples this process's RSS (the server runs in it) while `work` runs; returns the peak rise. */
async function peakRssRise(work: () => Promise<void>): Promise<number> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return peak - before;
}

/**
 * Posts a declared `size`-byte multipart body, written lazily from one reused
 * chunk so the client itself holds almost nothing. Resolves with the status
 * the server answered (the server may stop reading long before the end).
 */
function postHugeMultipart(
  server: TestServer,
  pathname: string,
  size: number,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(pathname, server.url);
    const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="email"\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, "a");
    const request = http.request(
      url,
      {
        method: "POST",
        headers: {
          "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`,
          "Content-Length": String(size),
          Origin: server.url,
          "Sec-Fetch-Site": "same-origin",
          ...headers,
        },
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (c: string) => (body += c.slice(0, 4096)));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        response.on("error", reject);
      },
    );
    // The server may close the connection once it has answered: that is the point.
    request.on("error", () => {});
    let written = head.length;
    request.write(head);
    const pump = () => {
      while (written < size) {
        const piece = size - written >= chunk.length ? chunk : chunk.subarray(0, size - written);
        written += piece.length;
        if (!request.write(piece)) return void request.once("drain", pump);
      }
      request.end();
    };
    request.on("socket", (socket) => socket.on("close", () => (written = size)));
    pump();
  });
}

/** Sends `head` and part of a body that declares more, then drops the connection. */
function abortedUpload(server: TestServer, head: string, partial: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), "127.0.0.1", () => {
      socket.write(head);
      socket.write(partial, () => setTimeout(() => socket.destroy(), 50));
    });
    socket.on("close", () => resolve());
    socket.on("error", reject);
  });
}

function multipartUpload(fields: Record<string, string>, file: { name: string; bytes: Buffer }): { head: string; body: Buffer } {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: image/png\r\n\r\n`));
  parts.push(file.bytes);
  return { head: "", body: Buffer.concat(parts) };
}

describe("request bodies", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  beforeEach(() => resetDatabase(server.app.db));

  describe("multipart on routes that take no upload", () => {
    it("refuses a 100 MB multipart sign-in with 413 before reading it, and memory stays flat", async () => {
      let answer = { status: 0, body: "" };
      const rise = await peakRssRise(async () => {
        answer = await postHugeMultipart(server, "/login", 100 * MB);
      });
      expect(answer.status).toBe(413);
      expect(answer.body).not.toContain("aaaa");
      expect(rise).toBeLessThan(32 * MB);
      // The server still answers.
      expect((await get(server, "/healthz")).status).toBe(200);
    });

    it("refuses a large multipart body on every kind of non-upload route, including data requests", async () => {
      for (const pathname of ["/apply", "/login.data", "/forgot-password", "/admin/users", "/partner/team"]) {
        const answer = await postHugeMultipart(server, pathname, 5 * MB);
        expect(answer.status, pathname).toBe(413);
      }
    });

    it("asks for a length when a multipart body to a form route is chunked", async () => {
      const response = await new Promise<number>((resolve, reject) => {
        const request = http.request(
          new URL("/login", server.url),
          {
            method: "POST",
            headers: {
              "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`,
              "Transfer-Encoding": "chunked",
              Origin: server.url,
              "Sec-Fetch-Site": "same-origin",
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        request.on("error", reject);
        request.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="email"\r\n\r\n`);
        request.end(`${"a".repeat(1000)}\r\n--${BOUNDARY}--\r\n`);
      });
      expect(response).toBe(411);
    });

    it("echoes no more of a field than its own maximum length", async () => {
      const long = "b".repeat(400_000);
      for (const contentType of ["urlencoded", "multipart"] as const) {
        const body =
          contentType === "urlencoded"
            ? new URLSearchParams({ email: long, password: "x", stray: long })
            : (() => {
                const form = new FormData();
                form.append("email", long);
                form.append("password", "x");
                return form;
              })();
        const response = await fetch(`${server.url}/login`, { method: "POST", body, headers: { Origin: server.url, "Sec-Fetch-Site": "same-origin" } });
        expect(response.status, contentType).toBe(400);
        const page = await response.text();
        expect(page).toContain("That email address is too long.");
        // The email field's maximum is 254 characters; the stray field is not a field of this form.
        expect(page).not.toMatch(/b{255}/);
      }
    });
  });

  describe("interrupted and malformed uploads", () => {
    async function adminCookie() {
      const admin = await createUser(server.app.db, { role: "admin" });
      return sessionCookieFor(server.app, admin.id);
    }
    const tmpDir = () => path.join((server.app.config.storage as { root: string }).root, ".tmp");
    const tmpFiles = () => (fs.existsSync(tmpDir()) ? fs.readdirSync(tmpDir()) : []);

    async function eventually(check: () => boolean, what: string) {
      const deadline = Date.now() + 5_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    it("survives clients that drop the connection mid-upload, leaving no row, no object and no temporary file", async () => {
      const cookie = await adminCookie();
      const { port } = new URL(server.url);
      const upload = multipartUpload({ kind: "image", title: "Dropped", visibility: "all" }, { name: "big.png", bytes: Buffer.alloc(260 * 1024, 7) });
      for (let i = 0; i < 5; i += 1) {
        const head =
          `POST /admin/assets/upload HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\nOrigin: ${server.url}\r\nSec-Fetch-Site: same-origin\r\n` +
          `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${5 * MB}\r\n\r\n`;
        await abortedUpload(server, head, upload.body);
      }
      expect((await get(server, "/healthz")).status).toBe(200);
      await eventually(() => tmpFiles().length === 0, "temporary files removed");
      expect(await server.app.db.select().from(assets)).toEqual([]);
      expect(await server.app.db.select().from(assetVersions)).toEqual([]);
      const objects = [];
      for await (const object of server.app.storage.list("assets/")) objects.push(object.key);
      expect(objects).toEqual([]);
    });

    it("leaves no file row, no object and no temporary file when a partner's creative upload is dropped mid-way", async () => {
      const { org, user, cookie } = await createPartner(server.app, { name: "Dropped Media" });
      const { id } = await createCreativeDraft(
        server.app,
        { id: user.id, label: user.email, name: user.name, partnerOrgId: org.id },
        { title: "Dropped video", channel: "video", placement: null, plannedLaunchOn: null, destinationUrl: null, copy: "", claimIds: [], disclosure: null },
      );
      const { port } = new URL(server.url);
      const upload = multipartUpload(
        {},
        { name: "launch.mp4", bytes: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypisom"), Buffer.alloc(300 * 1024, 3)]) },
      );
      for (const path of [`/partner/creatives/${id}/files`, `/partner/creatives/${id}`]) {
        const head =
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\nOrigin: ${server.url}\r\nSec-Fetch-Site: same-origin\r\n` +
          `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${50 * MB}\r\n\r\n`;
        await abortedUpload(server, head, upload.body);
      }
      expect((await get(server, "/healthz")).status).toBe(200);
      await eventually(() => tmpFiles().length === 0, "temporary files removed");
      expect(await server.app.db.select().from(creativeFiles)).toEqual([]);
      const objects = [];
      for await (const object of server.app.storage.list(`creatives/${id}/`)) objects.push(object.key);
      expect(objects).toEqual([]);
    });

    it("has housekeeping remove temporary files a crash left behind, once an hour old, and nothing in progress", async () => {
      fs.mkdirSync(tmpDir(), { recursive: true });
      const stale = path.join(tmpDir(), crypto.randomUUID());
      const live = path.join(tmpDir(), crypto.randomUUID());
      fs.writeFileSync(stale, "left by a crash");
      fs.writeFileSync(live, "an upload in progress");
      const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
      fs.utimesSync(stale, twoHoursAgo, twoHoursAgo);
      await runHousekeeping(server.app);
      expect(tmpFiles()).toEqual([path.basename(live)]);
      fs.rmSync(live);
    });

    it("answers 400, not 500, to malformed multipart bodies", async () => {
      const cookie = await adminCookie();
      const headers = { Cookie: cookie, Origin: server.url, "Sec-Fetch-Site": "same-origin" };
      const truncatedHeaders = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\nContent-Ty`;
      const truncatedBody = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nimage\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="x.png"\r\n\r\n\x89PNG`;
      const cases: { contentType: string; body: string }[] = [
        { contentType: "multipart/form-data", body: truncatedBody },
        { contentType: "multipart/form-data; boundary=", body: truncatedBody },
        { contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: truncatedHeaders },
        { contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: truncatedBody },
        { contentType: `multipart/form-data; boundary=other`, body: truncatedBody },
      ];
      for (const { contentType, body } of cases) {
        for (const target of ["/admin/assets/upload", "/admin/assets/new"]) {
          const response = await fetch(`${server.url}${target}`, { method: "POST", body, headers: { ...headers, "Content-Type": contentType } });
          expect(response.status, `${target} ${contentType} ${body.slice(-12)}`).toBe(400);
        }
      }
      await eventually(() => tmpFiles().length === 0, "temporary files removed");
      expect(await server.app.db.select().from(assets)).toEqual([]);
      expect((await get(server, "/healthz")).status).toBe(200);
    });
  });
});
