import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it, vi } from "vitest";
import { ConversionInput } from "~/domain/conversions/api-schemas.server";
import { ApiPageQuery, decodeCursor, encodeCursor } from "~/domain/api-pages.server";
import {
  apiErrorResponse,
  apiJson,
  methodNotAllowed,
  parseApiInput,
  problem,
  problemFromDomainError,
  queryOf,
  readJsonBody,
  withApiErrors,
  type Problem,
} from "~/lib/api.server";
import type { AppContext } from "~/lib/context.server";
import { DomainError, ForbiddenError, NotFoundError } from "~/lib/errors";

// The API's answers (app/lib/api.server.ts): RFC 9457 problem documents for
// every refusal, JSON bodies read with a limit, zod and domain errors named
// by field. The routes that use them are tested over HTTP in
// tests/integration/api-keys.test.ts.

/** What a thrown value is, when it is thrown. */
async function thrown(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("nothing was thrown");
}

async function problemOf(response: unknown): Promise<Problem & { headers: Headers }> {
  if (!(response instanceof Response)) throw new Error(`not a Response: ${String(response)}`);
  expect(response.headers.get("Content-Type")).toBe("application/problem+json");
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  const body = (await response.json()) as Problem;
  expect(body.status).toBe(response.status);
  return { ...body, headers: response.headers };
}

const post = (body: BodyInit | null, headers: Record<string, string> = { "Content-Type": "application/json" }) =>
  new Request("http://portal.test/api/v1/conversions", { method: "POST", body, headers, duplex: "half" } as RequestInit);

function scope() {
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const context = { app: { log } as unknown as AppContext, requestId: "req-42", cspNonce: "n", clientIp: null, responseCookies: [] } as AppLoadContext;
  return { context, request: new Request("http://portal.test/api/v1/links"), log };
}

describe("problem documents", () => {
  it("carry type, title, status and detail, errors only when there are some, and the headers asked for", async () => {
    const answer = await problemOf(problem("rate_limited", "Slow down.", { headers: { "Retry-After": "7" } }));
    expect(answer).toMatchObject({ type: "urn:cobrand:problem:rate-limited", title: "Too many requests", status: 429, detail: "Slow down." });
    expect(answer).not.toHaveProperty("errors");
    expect(answer.headers.get("Retry-After")).toBe("7");
  });

  it("answer a DomainError with its kind's status and each field it names", async () => {
    const conflict = new DomainError("This order id was recorded with a different body.", { kind: "conflict", fields: ["amount", "currency"] });
    expect(await problemOf(problemFromDomainError(conflict))).toMatchObject({
      status: 409,
      type: "urn:cobrand:problem:conflict",
      detail: "This order id was recorded with a different body.",
      errors: [
        { field: "amount", message: "This order id was recorded with a different body." },
        { field: "currency", message: "This order id was recorded with a different body." },
      ],
    });
    expect(await problemOf(problemFromDomainError(new NotFoundError("No such order.")))).toMatchObject({ status: 404, detail: "No such order." });
    expect(await problemOf(problemFromDomainError(new DomainError("Too big.", { kind: "unsupported_type" })))).toMatchObject({
      status: 415,
      type: "urn:cobrand:problem:unsupported-media-type",
    });
  });

  it("name each bad field of a zod failure by its path, an unknown key as a field of its own", async () => {
    const body = { orderId: "", amount: 12.5, currency: "usd", occurredAt: "2026-11-30T14:05:00Z", ammount: 5, metadata: "plan" };
    const answer = await problemOf(await thrown(() => parseApiInput(ConversionInput, body)));
    expect(answer.status).toBe(400);
    expect(answer.type).toBe("urn:cobrand:problem:invalid");
    const messagesOf = (field: string) => (answer.errors ?? []).filter((e) => e.field === field).map((e) => e.message);
    expect([...new Set(answer.errors?.map((e) => e.field))].sort()).toEqual(["ammount", "amount", "currency", "metadata", "orderId"]);
    // Every issue is listed, several for one field if need be.
    expect(messagesOf("orderId")).toContain("orderId must not be empty.");
    expect(messagesOf("amount")).toEqual([expect.stringMatching(/whole number of minor units/)]);
    expect(messagesOf("ammount")).toEqual([expect.stringMatching(/Unknown field "ammount"/)]);
    expect(answer.detail).toBe("5 fields are not valid: see errors.");
  });

  it("say what is wrong with a body that is not an object at all, with no field", async () => {
    const answer = await problemOf(await thrown(() => parseApiInput(ConversionInput, [1, 2])));
    expect(answer.detail).toBe("The body must be a JSON object.");
    expect(answer).not.toHaveProperty("errors");
  });

  it("join nested paths with dots", async () => {
    const schema = ApiPageQuery;
    const answer = await problemOf(await thrown(() => parseApiInput(schema, { limit: "500" })));
    expect(answer.errors).toEqual([{ field: "limit", message: "limit must be a whole number from 1 to 100." }]);
    expect(answer.detail).toBe("limit must be a whole number from 1 to 100.");
  });

  it("405 names the methods an endpoint answers", async () => {
    const answer = await problemOf(methodNotAllowed(["GET"]));
    expect(answer.status).toBe(405);
    expect(answer.headers.get("Allow")).toBe("GET");
  });

  it("a success is JSON that is never cached", async () => {
    const response = apiJson({ ok: 1 }, { status: 201 });
    expect(response.status).toBe(201);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ ok: 1 });
  });
});

describe("readJsonBody", () => {
  it("reads a JSON body, with or without a UTF-8 charset, or a +json type", async () => {
    expect(await readJsonBody(post('{"orderId":"A-1"}'))).toEqual({ orderId: "A-1" });
    expect(await readJsonBody(post('{"a":"é"}', { "Content-Type": "application/json; charset=UTF-8" }))).toEqual({ a: "é" });
    expect(await readJsonBody(post("[1]", { "Content-Type": "application/merge-patch+json" }))).toEqual([1]);
  });

  it("refuses a body that is not sent as JSON with 415", async () => {
    for (const headers of [
      {} as Record<string, string>,
      { "Content-Type": "application/x-www-form-urlencoded" },
      { "Content-Type": "application/json; charset=latin1" },
    ]) {
      const answer = await problemOf(await thrown(() => readJsonBody(post('{"a":1}', headers))));
      expect(answer.status, JSON.stringify(headers)).toBe(415);
      expect(answer.detail).toMatch(/Content-Type: application\/json/);
    }
  });

  it("refuses malformed JSON, an empty body and bytes that are not UTF-8 with 400", async () => {
    for (const body of ['{"orderId": "A-1",}', "", new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d])]) {
      const answer = await problemOf(await thrown(() => readJsonBody(post(body))));
      expect(answer.status).toBe(400);
      expect(answer.type).toBe("urn:cobrand:problem:invalid-json");
      expect(answer.detail).toMatch(/^The body is not valid JSON/);
    }
  });

  it("refuses a body over the limit with 413, by its declared length or while reading it", async () => {
    const big = JSON.stringify({ pad: "x".repeat(2000) });
    const declared = await problemOf(
      await thrown(() => readJsonBody(post(big, { "Content-Type": "application/json", "Content-Length": String(big.length) }), { maxBytes: 1024 })),
    );
    expect(declared.status).toBe(413);
    expect(declared.headers.get("Connection")).toBe("close");
    // A streamed body declares nothing: it is cut off once it passes the limit.
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new TextEncoder().encode("x".repeat(512)));
        if (pulled > 100) controller.close();
      },
    });
    const streamed = await problemOf(await thrown(() => readJsonBody(post(stream), { maxBytes: 1024 })));
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });
});

describe("apiErrorResponse and withApiErrors", () => {
  it("pass a thrown Response through and answer a DomainError as its problem", async () => {
    const { context, request } = scope();
    const ready = problem("unauthorized", "No key.");
    expect(apiErrorResponse(ready, { context, request })).toBe(ready);
    const answer = await problemOf(await withApiErrors({ context, request }, async () => Promise.reject(new DomainError("Bad day.", { field: "day" }))));
    expect(answer).toMatchObject({ status: 400, errors: [{ field: "day", message: "Bad day." }] });
  });

  it("log a ForbiddenError as authz_fail before answering 403", async () => {
    const { context, request, log } = scope();
    const answer = await problemOf(apiErrorResponse(new ForbiddenError("Not for you.", "test_rule"), { context, request }));
    expect(answer.status).toBe(403);
    expect(log.warn).toHaveBeenCalledWith("authz_fail", expect.objectContaining({ reason: "test_rule", status: 403, path: "/api/v1/links" }));
  });

  it("answer anything else with a 500 that names the request id and nothing of the failure, which is logged", async () => {
    const { context, request, log } = scope();
    const answer = await problemOf(
      await withApiErrors({ context, request }, async () => {
        throw new Error("relation secret_table does not exist");
      }),
    );
    expect(answer.status).toBe(500);
    expect(answer.detail).toContain("req-42");
    expect(JSON.stringify(answer)).not.toContain("secret_table");
    expect(log.error).toHaveBeenCalledWith(
      "api.unhandled_error",
      expect.objectContaining({ requestId: "req-42", error: expect.stringContaining("secret_table") }),
    );
  });
});

describe("API list paging", () => {
  it("reads limit and cursor from the query, refusing other parameters by name", async () => {
    expect(parseApiInput(ApiPageQuery, queryOf(new Request("http://portal.test/api/v1/links")))).toEqual({ limit: 25 });
    expect(parseApiInput(ApiPageQuery, queryOf(new Request("http://portal.test/api/v1/links?limit=100&cursor=abc")))).toEqual({ limit: 100, cursor: "abc" });
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=ten", "limit"],
      ["limit=5&limit=6", "limit"],
      ["page=2", "page"],
    ] as const) {
      const answer = await problemOf(await thrown(() => parseApiInput(ApiPageQuery, queryOf(new Request(`http://portal.test/api/v1/links?${query}`)))));
      expect(
        answer.errors?.map((e) => e.field),
        query,
      ).toEqual([field]);
    }
  });

  it("gives out cursors it can read back, and refuses any other as a bad cursor", () => {
    const cursor = { at: "2026-12-01T10:19:36.123456Z", id: "0f8fad5b-d9cb-469f-a165-70867728950e" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const bad of ["", "abc", Buffer.from('["2026-12-01", "x"]').toString("base64url"), Buffer.from("{}").toString("base64url")]) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ field: "cursor", kind: "invalid" }));
    }
  });
});
