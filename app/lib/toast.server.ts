import crypto from "node:crypto";
import { createCookie, redirect, type AppLoadContext, type Cookie } from "@remix-run/node";
import type { Config } from "./config.server";
import { sameSitePath } from "./redirects";
import type { ShownToast, Toast, ToastKind } from "./toast";

// How the flash toast (app/lib/toast.ts) travels from an action to the next
// page: a short-lived, signed, HTTP-only cookie set on the action's answer
// (usually its redirect) and cleared by the root loader that reads it, so it
// is shown once. Signed with a key of its own derived from APP_SECRET: a
// cookie planted by a sibling subdomain or a script cannot put words on the
// page, and the key is good for nothing else.

/** Long enough for any redirect to be followed, short enough that a toast never turns up on an unrelated page much later. */
const TOAST_MAX_AGE_SECONDS = 60;
const MAX_MESSAGE_LENGTH = 500;
const KINDS: readonly ToastKind[] = ["success", "info"];

const cookies = new WeakMap<Config, Cookie>();

function toastCookie(config: Config): Cookie {
  let cookie = cookies.get(config);
  if (!cookie) {
    const key = Buffer.from(crypto.hkdfSync("sha256", config.appSecret, "cobrand", "flash-toast-cookie", 32)).toString("base64url");
    // __Host- requires Secure, path=/ and no Domain: subdomains cannot plant or read it (as the session cookie).
    cookie = createCookie(config.secureTransport ? "__Host-cobrand_toast" : "cobrand_toast", {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: config.secureTransport,
      secrets: [key],
      maxAge: TOAST_MAX_AGE_SECONDS,
    });
    cookies.set(config, cookie);
  }
  return cookie;
}

/** The Set-Cookie value that carries `toast` to the next page this browser loads. */
export function toastSetCookie(context: AppLoadContext, toast: Toast): Promise<string> {
  const shown: ShownToast = { ...toast, id: crypto.randomUUID() };
  return toastCookie(context.app.config).serialize(shown);
}

/** Headers for an answer that is not a redirect (the upload endpoint's JSON) but after which the browser moves on. */
export async function toastHeaders(context: AppLoadContext, toast: Toast | undefined): Promise<Headers> {
  const headers = new Headers();
  if (toast) headers.append("Set-Cookie", await toastSetCookie(context, toast));
  return headers;
}

/** A redirect whose target page shows `toast` once. `init` may carry cookies of its own (a new session). */
export async function redirectWithToast(context: AppLoadContext, url: string, toast: Toast, init: ResponseInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await toastSetCookie(context, toast));
  return redirect(url, { ...init, headers });
}

/**
 * The toast this request brings, or null; read once: the answer clears the
 * cookie. Only the root loader calls this, on every navigation (see
 * `shouldRevalidate` in app/root.tsx).
 */
export async function readToast(context: AppLoadContext, request: Request): Promise<ShownToast | null> {
  const cookie = toastCookie(context.app.config);
  const header = request.headers.get("Cookie");
  if (!header?.includes(`${cookie.name}=`)) return null;
  context.responseCookies.push(await cookie.serialize("", { maxAge: 0 }));
  // A bad signature parses as null; a value of the wrong shape is dropped too.
  return shownToastOf(await cookie.parse(header));
}

function shownToastOf(value: unknown): ShownToast | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== "string" || !KINDS.includes(v.kind as ToastKind)) return null;
  if (typeof v.message !== "string" || v.message.length > MAX_MESSAGE_LENGTH) return null;
  if (v.title !== undefined && typeof v.title !== "string") return null;
  const link = v.link as { to?: unknown; label?: unknown } | undefined;
  if (link !== undefined && (typeof link?.label !== "string" || sameSitePath(link.to, "") === "")) return null;
  return {
    id: v.id,
    kind: v.kind as ToastKind,
    message: v.message,
    ...(typeof v.title === "string" ? { title: v.title } : {}),
    ...(link ? { link: { to: sameSitePath(link.to, "/"), label: link.label as string } } : {}),
  };
}
