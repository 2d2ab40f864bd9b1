import type { AppContext } from "./context.server";

// What the Express layer hands every loader and action (server/http.ts).
declare module "@remix-run/node" {
  // Types loader/action data as single fetch serialises it.
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    app: AppContext;
    requestId: string;
    cspNonce: string;
    /** Client IP as resolved under the trusted-proxy setting. */
    clientIp: string | null;
    /** Set-Cookie values added to whatever response this request ends with. */
    responseCookies: string[];
    /** Set by handleError (app/entry.server.tsx) when the request failed because a service we depend on did not answer: its 500 becomes a 503 (server/http.ts). */
    unavailable?: "storage";
  }
}

export {};
