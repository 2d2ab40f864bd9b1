import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { loadConfig } from "~/lib/config.server";
import { readToast, redirectWithToast } from "~/lib/toast.server";

// Only what the toast code reads of the load context: the config and the response's cookie jar.
function contextWith(env: Record<string, string> = {}): AppLoadContext {
  const config = loadConfig({ NODE_ENV: "test", STORAGE_DIR: "/nonexistent", APP_SECRET: "t".repeat(40), ...env });
  return { app: { config }, responseCookies: [] } as unknown as AppLoadContext;
}

const requestWith = (cookie: string | null) => new Request("http://localhost/admin", { headers: cookie ? { Cookie: cookie } : {} });
const pairOf = (setCookie: string) => setCookie.split(";")[0]!;

describe("the flash toast", () => {
  it("rides a redirect in a signed, HTTP-only, short-lived cookie, next to the cookies the redirect sets itself", async () => {
    const response = await redirectWithToast(
      contextWith(),
      "/admin/kits/1",
      { kind: "success", message: "Saved." },
      { headers: { "Set-Cookie": "cobrand_session=abc; Path=/" } },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/admin/kits/1");
    const cookies = response.headers.getSetCookie();
    expect(cookies[0]).toBe("cobrand_session=abc; Path=/");
    expect(cookies[1]).toMatch(/^cobrand_toast=[^;]+; Max-Age=60; Path=\/; HttpOnly; SameSite=Lax/);
    expect(cookies[1]).not.toContain("Saved.");
  });

  it("is read once by the next page: the answer clears the cookie", async () => {
    const context = contextWith();
    const response = await redirectWithToast(context, "/admin", {
      kind: "success",
      title: "Done",
      message: "Saved.",
      link: { to: "/partner", label: "Go on" },
    });
    const next = contextWith();
    const toast = await readToast(next, requestWith(pairOf(response.headers.getSetCookie()[0]!)));
    expect(toast).toMatchObject({ kind: "success", title: "Done", message: "Saved.", link: { to: "/partner", label: "Go on" } });
    expect(toast!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(next.responseCookies).toEqual([expect.stringMatching(/^cobrand_toast=; Max-Age=0; Path=\//)]);
  });

  it("ignores a cookie it did not sign, and clears it", async () => {
    const elsewhere = contextWith({ APP_SECRET: "o".repeat(40) });
    const planted = pairOf((await redirectWithToast(elsewhere, "/", { kind: "success", message: "Your account is suspended." })).headers.getSetCookie()[0]!);
    const context = contextWith();
    expect(await readToast(context, requestWith(planted))).toBeNull();
    expect(context.responseCookies).toHaveLength(1);
    const forged = `cobrand_toast=${Buffer.from(JSON.stringify({ id: "x", kind: "success", message: "Hi" })).toString("base64")}`;
    expect(await readToast(contextWith(), requestWith(forged))).toBeNull();
  });

  it("leaves a request without the cookie alone", async () => {
    const context = contextWith();
    expect(await readToast(context, requestWith("cobrand_session=abc"))).toBeNull();
    expect(context.responseCookies).toEqual([]);
  });

  it("is a __Host- cookie, Secure, on an https site", async () => {
    const response = await redirectWithToast(contextWith({ PUBLIC_URL: "https://partners.example" }), "/", { kind: "info", message: "You have signed out." });
    expect(response.headers.getSetCookie()[0]).toMatch(/^__Host-cobrand_toast=.*; Secure/);
  });
});
