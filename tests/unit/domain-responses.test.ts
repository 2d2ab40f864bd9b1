import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it, vi } from "vitest";
import type { AppContext } from "~/lib/context.server";
import { domainErrorResponse, domainFailure, mapDomainErrors } from "~/lib/domain-responses.server";
import { DOMAIN_ERROR_STATUS, DomainError, ForbiddenError, NotFoundError } from "~/lib/errors";
import { idParam, outcomeForEndpoint, outcomeForPage } from "~/lib/forms.server";
import { notFound } from "~/lib/http.server";

/** A request scope whose session belongs to user u-1 (or to nobody), with the logger spied on. */
function scope(signedIn = true) {
  const warn = vi.fn();
  const user = { id: "u-1", email: "lena@example.com", name: "Lena", role: "legal_reviewer", partnerOrgId: null, partnerRole: null, status: "active" };
  const app = {
    log: { info: vi.fn(), warn, error: vi.fn() },
    auth: { cookieName: "cobrand_session", validate: async () => (signedIn ? { user, session: { id: "s-1" } } : null), blankCookie: () => "" },
  } as unknown as AppContext;
  const context = { app, requestId: "req-1", cspNonce: "n", clientIp: null, responseCookies: [] } as AppLoadContext;
  const request = new Request("http://portal.test/admin/claims/1", { method: "POST", headers: { Cookie: "cobrand_session=abc" } });
  return { context, request, warn };
}

/** What a thrown value is, when it is thrown. */
async function thrown(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("nothing was thrown");
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};

describe("DomainError kinds", () => {
  it("derive the status from the kind, invalid by default", () => {
    expect(new DomainError("Bad.").status).toBe(400);
    expect(new DomainError("Taken.", { kind: "conflict" }).status).toBe(409);
    expect(new DomainError("Slow down.", { kind: "rate_limited" }).status).toBe(429);
    expect(new NotFoundError().status).toBe(404);
    expect(new ForbiddenError("Not yours.", "separation_of_duties")).toMatchObject({ kind: "forbidden", status: 403, reason: "separation_of_duties" });
    expect(Object.values(DOMAIN_ERROR_STATUS).every((status) => status >= 400 && status < 500)).toBe(true);
  });
});

describe("domainFailure (a form's action)", () => {
  it("answers invalid and conflict with the form again: the message at its field, what was typed, the kind's status", async () => {
    const { context, request, warn } = scope();
    const answer = await domainFailure(
      new DomainError("A policy with this name already exists.", { kind: "conflict", field: "title" }),
      form({ title: "Terms", password: "secret" }),
      { context, request },
    );
    expect(answer.init?.status).toBe(409);
    expect(answer.data).toEqual({ ok: false, errors: { title: ["A policy with this name already exists."] }, formError: null, values: { title: "Terms" } });
    const general = await domainFailure(new DomainError("Nothing was changed."), form({}), { context, request });
    expect(general.init?.status).toBe(400);
    expect(general.data.formError).toBe("Nothing was changed.");
    expect(warn).not.toHaveBeenCalled();
  });

  it("throws the 404 for not_found: there is no form for a thing that is not there", async () => {
    const { context, request } = scope();
    const response = await thrown(() => domainFailure(new NotFoundError("Kit not found."), form({ name: "x" }), { context, request }));
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(404);
    // The same bare answer as an unknown id: the message stays in the server.
    expect(await (response as Response).text()).toBe("Not found");
  });

  it("logs a 403 as authz_fail with the rule's reason and the signed-in user, then shows the form with the message", async () => {
    const { context, request, warn } = scope();
    const answer = await domainFailure(
      new ForbiddenError("You wrote this draft; another legal reviewer must approve it.", "separation_of_duties"),
      form({ intent: "approve" }),
      { context, request },
    );
    expect(answer.init?.status).toBe(403);
    expect(answer.data.formError).toBe("You wrote this draft; another legal reviewer must approve it.");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith("authz_fail", {
      requestId: "req-1",
      userId: "u-1",
      method: "POST",
      path: "/admin/claims/1",
      reason: "separation_of_duties",
      status: 403,
    });
  });

  it("logs a 403 with no user when nobody is signed in", async () => {
    const { context, request, warn } = scope(false);
    await domainFailure(new ForbiddenError("No.", "rule"), null, { context, request });
    expect(warn).toHaveBeenCalledWith("authz_fail", expect.objectContaining({ userId: null, reason: "rule" }));
  });

  it("closes the connection after a 413 (the body was not read to its end)", async () => {
    const { context, request } = scope();
    const answer = await domainFailure(new DomainError("The file is larger than the limit of 25 MB.", { kind: "too_large", field: "file" }), null, {
      context,
      request,
    });
    expect(answer.init?.status).toBe(413);
    expect(answer.init?.headers).toEqual({ Connection: "close" });
  });

  it("rethrows anything that is not a DomainError", async () => {
    const { context, request } = scope();
    const failure = new Error("database down");
    expect(await thrown(() => domainFailure(failure, form({}), { context, request }))).toBe(failure);
  });
});

describe("domainErrorResponse and mapDomainErrors (loaders, resource routes)", () => {
  it("give the bare 404 for not_found, and the status with the message for the other kinds", async () => {
    const { context, request } = scope();
    const missing = await domainErrorResponse(new NotFoundError("Partner organisation not found."), { context, request });
    expect([missing.status, await missing.text()]).toEqual([404, "Not found"]);
    const conflict = await domainErrorResponse(new DomainError("That is you.", { kind: "conflict" }), { context, request });
    expect([conflict.status, await conflict.text()]).toEqual([409, "That is you."]);
  });

  it("log a 403 and, given a page, draw it in the portal's look with a way back", async () => {
    const { context, request, warn } = scope();
    const page = vi.fn(async () => ({
      back: { href: "/partner/assets/a-1", label: "Back to Lumen logo" },
      branding: { name: "Lumen Partners", brandColor: "#0f766e" },
    }));
    const response = await domainErrorResponse(
      new ForbiddenError("The original file of this asset is not offered for download.", "original_not_offered"),
      { context, request },
      page,
    );
    expect(response.status).toBe(403);
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain("The original file of this asset is not offered for download.");
    expect(html).toContain('href="/partner/assets/a-1"');
    expect(warn).toHaveBeenCalledWith("authz_fail", expect.objectContaining({ reason: "original_not_offered", status: 403 }));
    // A 404 is never drawn as a refusal page: it says no more than an unknown id.
    page.mockClear();
    expect((await domainErrorResponse(new NotFoundError(), { context, request }, page)).status).toBe(404);
    expect(page).not.toHaveBeenCalled();
  });

  it("mapDomainErrors passes a value through and throws the response a DomainError stands for", async () => {
    const { context, request } = scope();
    expect(await mapDomainErrors(Promise.resolve(7), { context, request })).toBe(7);
    const response = await thrown(() => mapDomainErrors(Promise.reject(new NotFoundError()), { context, request }));
    expect((response as Response).status).toBe(404);
    const failure = new TypeError("a bug");
    expect(await thrown(() => mapDomainErrors(Promise.reject(failure), { context, request }))).toBe(failure);
  });
});

describe("form outcomes (uploads)", () => {
  const failure = { ok: false as const, errors: { file: ["This file is identical to version 1."] }, formError: null, values: {} };

  it("answer the page with the form and the kind's status, or the 404 page for a thing that is gone", async () => {
    const { context } = scope();
    expect((await outcomeForPage({ ok: false, kind: "conflict", failure }, context)).init?.status).toBe(409);
    const response = await thrown(() => outcomeForPage({ ok: false, kind: "not_found", failure }, context));
    expect((response as Response).status).toBe(404);
  });

  it("answer the upload endpoint in JSON, whatever the kind, so its script can show the message", async () => {
    const { context } = scope();
    const response = await outcomeForEndpoint({ ok: false, kind: "not_found", failure }, context);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual(failure);
    expect((await outcomeForEndpoint({ ok: false, kind: "too_large", failure }, context)).headers.get("Connection")).toBe("close");
  });
});

describe("the one 404 and idParam", () => {
  it("notFound throws the bare 404, with headers when asked", async () => {
    const response = (await thrown(() => notFound({ "Cache-Control": "no-cache" }))) as Response;
    expect([response.status, response.headers.get("Cache-Control"), await response.text()]).toEqual([404, "no-cache", "Not found"]);
  });

  it("reads a UUID, and 404s on anything else", async () => {
    const id = "0b6f1f4e-6a3c-4a8e-9d55-2f1e8b7c9a10";
    expect(idParam({ assetId: id }, "assetId")).toBe(id);
    for (const value of [undefined, "", "42", "not-an-id", `${id}x`, "../admin"]) {
      const response = await thrown(() => idParam({ assetId: value }, "assetId"));
      expect((response as Response).status, String(value)).toBe(404);
    }
  });

  it("reads a serial as a positive whole number, and 404s on anything else", async () => {
    expect(idParam({ messageId: "42" }, "messageId", "serial")).toBe(42);
    for (const value of [undefined, "", "0", "-1", "007", "1e3", "4.2", " 7", "0x10", "99999999999999999999"]) {
      const response = await thrown(() => idParam({ messageId: value }, "messageId", "serial"));
      expect((response as Response).status, String(value)).toBe(404);
    }
  });
});
