import fs from "node:fs";
import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { JSDOM } from "jsdom";
import { afterAll, beforeEach } from "vitest";
import { AdjustableClock } from "~/lib/clock";
import type { AppContext } from "~/lib/context.server";
import { createAppRuntime, type AppRuntime } from "~/runtime.server";
import type { Config } from "~/lib/config.server";
import { createLogger } from "~/lib/log.server";
import { createHttpApp } from "../../server/http";
import { createRedirectHandler } from "../../server/redirect";
import { createTestDatabase, resetDatabase } from "./db";
import { testConfig } from "./context";

const BUILD = path.resolve("build/remix/index.js");

export type TestServer = {
  url: string;
  runtime: AppRuntime;
  app: AppContext;
  close(): Promise<void>;
};

/** The real Express app and Remix build on a loopback port, over a fresh database. */
export async function startTestServer(options: { configure?: (config: Config) => Config } = {}): Promise<TestServer> {
  if (!fs.existsSync(BUILD)) throw new Error("No build found: run `npm run build` before the HTTP tests.");
  const build = (await import(BUILD)) as ServerBuild;
  const database = await createTestDatabase();
  const config = (options.configure ?? ((c) => c))(testConfig());
  const runtime = await createAppRuntime(config, { database, log: createLogger({ silent: true }), startWorkers: false });
  const express = createHttpApp({ build, context: runtime.context, publicDir: path.resolve("public") });
  // The short links' redirect in front of the app, as server/index.ts composes them.
  const redirect = createRedirectHandler({ context: runtime.context, resolver: runtime.links.resolver, recorder: runtime.links.recorder });
  const server = http.createServer((req, res) => {
    if (!redirect(req, res)) express(req, res);
  });
  server.listen(0, "127.0.0.1");
  // fetch (undici) keeps connections for 4 s; a server that drops idle ones at 5 s can close a
  // socket just as a request goes out on it (ECONNRESET under load). Tests outlive neither limit.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    app: runtime.context,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
    },
  };
}

/**
 * One test server for a whole test file, started at once (await it at the top
 * of the file) and closed after the file. Before each test the database is
 * emptied and the context's clock stands at real time again: move it with
 * `clock.advance(ms)` rather than faking the global Date.
 */
export async function startTestServerPerFile(): Promise<{ server: TestServer; app: AppContext; clock: AdjustableClock }> {
  const server = await startTestServer();
  const clock = new AdjustableClock();
  server.app.clock = clock;
  afterAll(() => server.close());
  beforeEach(async () => {
    clock.reset();
    await resetDatabase(server.app.db);
  });
  return { server, app: server.app, clock };
}

/** A form POST as a browser on the same origin would send it. */
export function postForm(server: { url: string }, pathname: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "Sec-Fetch-Site": "same-origin", ...headers },
    body: new URLSearchParams(fields),
  });
}

export function get(server: { url: string }, pathname: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${pathname}`, { redirect: "manual", headers });
}

export function cookieFrom(response: Response): string {
  const setCookie = response.headers.getSetCookie().find((c) => c.includes("cobrand_session="));
  if (!setCookie) throw new Error("no session cookie in response");
  return setCookie.split(";")[0]!;
}

/**
 * Follows a redirect as a browser would: a GET of its Location with the
 * cookies of `cookie` and those the redirect set (a new session, the flash
 * toast), the redirect's own replacing or clearing the old ones.
 */
export function follow(server: { url: string }, redirect: Response, cookie = ""): Promise<Response> {
  const location = redirect.headers.get("location");
  if (!location) throw new Error(`not a redirect: ${redirect.status}`);
  const jar = new Map(
    cookie
      .split(/;\s*/)
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair] as const),
  );
  for (const setCookie of redirect.headers.getSetCookie()) {
    const pair = setCookie.split(";")[0]!;
    const name = pair.slice(0, pair.indexOf("="));
    if (/;\s*Max-Age=0/i.test(setCookie)) jar.delete(name);
    else jar.set(name, pair);
  }
  return get(server, location, jar.size ? { Cookie: [...jar.values()].join("; ") } : {});
}

/**
 * The flash toast a page shows (app/components/toast.tsx) as one line, its
 * title, message and link in that order; null when it shows none.
 */
export function toastIn(html: string): string | null {
  const region = new JSDOM(html).window.document.querySelector(".toast-region");
  if (!region) throw new Error("no toast region in the page");
  const parts = [...region.querySelectorAll(".toast p, .toast .alert__actions a")].map((part) => part.textContent?.trim() ?? "");
  return parts.length ? parts.join(" ") : null;
}

/** The redirect target in a single-fetch (`.data`) answer's turbo-stream body, or null. */
export function singleFetchRedirect(body: string): string | null {
  const values = JSON.parse(body) as unknown[];
  const at = values.indexOf("redirect");
  const target = at >= 0 ? values[at + 1] : undefined;
  return typeof target === "string" ? target : null;
}

export type RawResponse = { status: number; headers: IncomingHttpHeaders; body: string };

/**
 * A request with headers fetch refuses to set (Host), through node:http to
 * the server's port: what an attacker's own client can send.
 */
export function rawRequest(
  server: { url: string },
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {},
): Promise<RawResponse> {
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    headers["Content-Length"] = String(Buffer.byteLength(body));
  }
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname, port, path: pathname, method: options.method ?? (body ? "POST" : "GET"), headers, setHost: !("Host" in headers) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}
