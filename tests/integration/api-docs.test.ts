import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { JSDOM } from "jsdom";
import type { z } from "zod";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiKey } from "~/domain/api-keys/keys.server";
import { API_KEY_SCOPES } from "~/domain/api-keys/catalog";
import { API_OPERATIONS, API_PROBLEM_TYPES, apiReference } from "~/domain/api/openapi.server";
import { clickIdTime } from "~/domain/links/codes.server";
import { getBranding } from "~/domain/settings/program.server";
import { resetDatabase } from "../support/db";
import { createPartner, signedIn } from "../support/context";
import { get, startTestServer, type TestServer } from "../support/http";

// The API's contract (issue 16 §7): the OpenAPI document it serves is valid
// OpenAPI 3.1 and describes every route file of the API, each with the
// methods it answers; the examples the documentation shows are requests the
// API takes; and the admin page shows every operation with its curl example
// at the program's own address, to the roles that may read it.

const ORIGIN = "https://partners.northwind.test";
const RATE_LIMIT = 1234;
const DOCS = "/admin/api";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    configure: (config) => ({ ...config, publicUrl: new URL(ORIGIN), api: { ...config.api, rateLimitPerMinute: RATE_LIMIT } }),
  });
});
afterAll(() => server.close());
beforeEach(async () => {
  await resetDatabase(server.app.db);
  server.app.siteOriginCache.forget();
});

type OpenApiDocument = {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema: { example?: unknown } }[] }>>;
};

async function servedDocument(): Promise<OpenApiDocument> {
  const response = await get(server, "/api/v1/openapi.json");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as OpenApiDocument;
}

async function allScopesKey(): Promise<string> {
  const admin = await signedIn(server.app, { role: "admin" });
  return (await createApiKey(server.app, { id: admin.id, label: admin.email }, { name: "Docs check", scopes: [...API_KEY_SCOPES], expiresOn: null })).secret;
}

const ROUTES = path.resolve("app/routes");
/** The API's endpoints: every api.v1.* route file but the catch-all 404 and the document itself. */
const API_ROUTE_FILES = fs
  .readdirSync(ROUTES)
  .filter((file) => /^api\.v1\..+\.tsx?$/.test(file) && !["api.v1.$.ts", "api.v1.openapi[.]json.ts"].includes(file));

/**
 * A route file's URL path in OpenAPI's notation, by Remix's flat-route rules:
 * `.` separates segments (but not inside `[]`, which escapes), `$name` is a
 * parameter, a trailing `_` only unnests the route.
 */
function apiPathOf(file: string): string {
  const segments = file.replace(/\.tsx?$/, "").split(/\.(?![^[]*\])/);
  return `/${segments
    .map((segment) =>
      segment
        .replace(/_$/, "")
        .replace(/^\$(.+)$/, "{$1}")
        .replace(/\[(.*?)\]/g, "$1"),
    )
    .join("/")}`;
}

/** A path with each parameter replaced by the example the document gives for it. */
function concretePath(document: OpenApiDocument, apiPath: string): string {
  const parameters = Object.values(document.paths[apiPath] ?? {}).flatMap((operation) => operation.parameters ?? []);
  return apiPath.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const example = parameters.find((parameter) => parameter.in === "path" && parameter.name === name)?.schema.example;
    return encodeURIComponent(String(example ?? "example"));
  });
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1, served for the program's canonical origin", async () => {
    const document = await servedDocument();
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([{ url: ORIGIN }]);
    const result = await new Validator().validate(document as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("describes every route file of the API with the methods it answers, and nothing else", async () => {
    expect(API_ROUTE_FILES).toContain("api.v1.reports.performance.ts");
    expect(apiPathOf("api.v1.conversions_.$orderId.refunds.ts")).toBe("/api/v1/conversions/{orderId}/refunds");
    const document = await servedDocument();
    const key = await allScopesKey();
    const described = new Set<string>();
    for (const file of API_ROUTE_FILES) {
      const apiPath = apiPathOf(file);
      expect(document.paths, `${file}: ${apiPath} is missing from the OpenAPI document (add it to API_OPERATIONS)`).toHaveProperty([apiPath]);
      described.add(apiPath);
      // What the route answers with a key that has every scope: anything but 405 means the method is there.
      const answered: string[] = [];
      for (const method of METHODS) {
        const response = await fetch(`${server.url}${concretePath(document, apiPath)}`, { method, headers: { Authorization: `Bearer ${key}` } });
        await response.arrayBuffer();
        if (response.status !== 405) answered.push(method.toLowerCase());
      }
      expect(Object.keys(document.paths[apiPath]!).sort(), `${file}: the methods it answers`).toEqual(answered.sort());
    }
    expect(Object.keys(document.paths).sort()).toEqual([...described].sort());
  });

  it("shows examples that are requests the API takes as they are", async () => {
    for (const operation of API_OPERATIONS) {
      const media = operation.request?.body?.content["application/json"];
      const body = media && "schema" in media ? (media.schema as z.ZodType) : undefined;
      // An operation that takes a body shows one: the curl example is then a whole request.
      expect(Boolean(operation.exampleBody), operation.operationId).toBe(Boolean(body));
      if (body) expect(body.safeParse(operation.exampleBody).error?.issues ?? [], operation.operationId).toEqual([]);
      const query = operation.request?.query as z.ZodType | undefined;
      if (operation.exampleQuery) expect(query?.safeParse(operation.exampleQuery).error?.issues ?? [], operation.operationId).toEqual([]);
    }
    // The conversion's click id is one of the shape the redirect gives out, made before the order.
    const conversion = API_OPERATIONS.find((operation) => operation.operationId === "postConversion")!.exampleBody as { clickId: string; occurredAt: string };
    expect(clickIdTime(conversion.clickId)).toBeLessThan(Date.parse(conversion.occurredAt));

    // And sent as the page shows them, in the page's order, each is answered with success.
    const document = await servedDocument();
    const key = await allScopesKey();
    for (const operation of API_OPERATIONS) {
      const query = operation.exampleQuery ? `?${new URLSearchParams(operation.exampleQuery).toString()}` : "";
      const response = await fetch(`${server.url}${concretePath(document, operation.path)}${query}`, {
        method: operation.method.toUpperCase(),
        headers: { Authorization: `Bearer ${key}`, ...(operation.exampleBody ? { "Content-Type": "application/json" } : {}) },
        ...(operation.exampleBody ? { body: JSON.stringify(operation.exampleBody) } : {}),
      });
      expect(response.status, `${operation.operationId}: ${await response.clone().text()}`).toBeLessThan(300);
      await response.arrayBuffer();
    }
  });
});

const documentOf = (html: string) => new JSDOM(html).window.document;
const textOf = (element: Element | null | undefined) => (element?.textContent ?? "").replace(/\s+/g, " ").trim();

describe("the API page", () => {
  it("shows every operation with its scope, fields, answers and a curl example at the program's address, with contents linking to each", async () => {
    const admin = await signedIn(server.app, { role: "admin" });
    const response = await get(server, DOCS, { Cookie: admin.cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    // Addresses are the program's, never the request's host.
    expect(html).not.toContain(server.url);
    const doc = documentOf(html);
    const operations = apiReference(ORIGIN, (await getBranding(server.app.db)).name);
    expect(operations.map((operation) => operation.id)).toEqual(API_OPERATIONS.map((operation) => operation.operationId));
    for (const operation of operations) {
      expect(doc.querySelector(`nav a[href="#${operation.id}"]`), operation.id).not.toBeNull();
      const section = doc.getElementById(operation.id);
      expect(textOf(section?.querySelector("h2")), operation.id).toBe(`${operation.method} ${operation.path}`);
      expect(textOf(section?.querySelector(".badge"))).toContain(operation.scope);
      const rowNames = [...(section?.querySelectorAll("tbody th[scope='row']") ?? [])].map(textOf);
      for (const field of [...operation.parameters, ...operation.body]) expect(rowNames, `${operation.id}: ${field.name}`).toContain(field.name);
      for (const answer of operation.responses) expect(rowNames, `${operation.id}: ${answer.status}`).toContain(answer.status);
      const example = section?.querySelector("pre");
      expect(example?.textContent).toBe(operation.curl);
      expect(operation.curl).toContain(`"${ORIGIN}${operation.path.split("{")[0]}`);
    }
    expect(doc.querySelector("#getPerformanceReport pre")?.textContent).toContain(
      `${ORIGIN}/api/v1/reports/performance?from=2026-11-01&to=2026-11-30&groupBy=link`,
    );

    const basics = doc.getElementById("basics");
    const basicsText = textOf(basics);
    expect(basicsText).toContain(`${ORIGIN}/api/v1`);
    expect(basicsText).toContain("Authorization: Bearer cb_live_…");
    expect(basicsText).toContain("1,234 requests a minute per key");
    expect(basicsText).toContain("30 days, last click model");
    for (const problem of API_PROBLEM_TYPES) expect(basicsText).toContain(problem.type);
    expect(basics?.querySelector("a[href='/api/v1/openapi.json']")).not.toBeNull();
    expect(basics?.querySelector("a[href='/admin/api-keys']")).not.toBeNull();
  });

  it("is for admins and analysts: an analyst reads it (and finds it in the navigation), a reviewer is refused, a partner finds nothing", async () => {
    const analyst = await signedIn(server.app, { role: "analyst" });
    const page = await get(server, DOCS, { Cookie: analyst.cookie });
    expect(page.status).toBe(200);
    const doc = documentOf(await page.text());
    expect(doc.querySelector(`nav a[href='${DOCS}']`)).not.toBeNull();
    // Analysts do not manage keys: the page says who does, without a link they would be refused at.
    expect(doc.querySelector("#basics a[href='/admin/api-keys']")).toBeNull();
    expect(textOf(doc.getElementById("basics"))).toContain("An admin makes keys under Admin → API keys.");

    const reviewer = await signedIn(server.app, { role: "brand_reviewer" });
    expect((await get(server, DOCS, { Cookie: reviewer.cookie })).status).toBe(403);
    const partner = await createPartner(server.app);
    expect((await get(server, DOCS, { Cookie: partner.cookie })).status).toBe(404);
    const anonymous = await get(server, DOCS);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login/);

    // Admins reach it from API keys rather than a second entry in their navigation.
    const admin = await signedIn(server.app, { role: "admin" });
    const adminHome = documentOf(await (await get(server, "/admin", { Cookie: admin.cookie })).text());
    expect(adminHome.querySelector(`nav a[href='${DOCS}']`)).toBeNull();
    expect(adminHome.querySelector("nav a[href='/admin/api-keys']")).not.toBeNull();
  });

  it("is where the conversions page sends those who have none yet", async () => {
    const analyst = await signedIn(server.app, { role: "analyst" });
    const doc = documentOf(await (await get(server, "/admin/conversions", { Cookie: analyst.cookie })).text());
    expect(doc.querySelector(`.empty-state a[href='${DOCS}#postConversion']`)).not.toBeNull();
  });
});
