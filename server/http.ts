import path from "node:path";
// Remix's own Express glue, less its handler: ours looks at the answer before sending it (see below).
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import express, { type ErrorRequestHandler } from "express";
import { knownOrigin } from "../app/domain/settings/site.server";
import type { AppContext } from "../app/lib/context.server";
import type { DatabaseHealth } from "../app/lib/db-health.server";
import { isUploadPath } from "../app/lib/multipart.server";
import {
  apiAuthFailureLimit,
  bodyLimit,
  floodLimit,
  FORM_BODY_LIMIT_BYTES,
  hostAllowList,
  isApiBearerRequest,
  noStoreByDefault,
  originCheck,
  requestIdentity,
  responseCookies,
  securityHeaders,
  survivesAbortedRequests,
} from "./security";

/** Refused API keys an address may send in a minute before it is answered 429 (a client retrying a revoked key, or someone guessing). */
const API_KEY_FAILURES_PER_MINUTE = 60;

export type HttpAppOptions = {
  build: ServerBuild;
  context: AppContext;
  publicDir: string;
  /** While shutting down, responses close their connection instead of keeping it alive. */
  isStopping?: () => boolean;
  /** Turns failures while the database is unreachable into 503s (app/lib/db-health.server.ts); without it they stay 500s. */
  databaseHealth?: DatabaseHealth;
};

/** Seconds a client is told to wait while the database is unreachable: about how long a restart or failover takes. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The answer while the database cannot be reached: the cause is on our side
 * and passes, so 503 with Retry-After (a load balancer or an API client
 * retries; a person reads that it is temporary), never a 500 that reads as a
 * bug, and nothing of the failure itself.
 */
function sendUnavailable(res: express.Response, what: "database" | "storage" = "database"): void {
  if (res.headersSent) return void res.end();
  const message =
    what === "storage"
      ? "The file could not be saved: file storage is not answering. Nothing was kept. Please try again in a few minutes."
      : "The service is temporarily unavailable: its database cannot be reached. Please try again in a few seconds.";
  res
    .status(503)
    .set("Retry-After", String(UNAVAILABLE_RETRY_AFTER_SECONDS))
    .set("Cache-Control", "no-store")
    .type("text/plain")
    .send(`${message} Request id: ${String(res.locals.requestId ?? "unknown")}\n`);
}

/** The Express application: security layer first, then static files, then Remix. */
export function createHttpApp({ build, context, publicDir, isStopping, databaseHealth }: HttpAppOptions): express.Express {
  const { config, log } = context;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);

  app.use((_req, res, next) => {
    if (isStopping?.()) res.setHeader("Connection", "close");
    next();
  });
  app.use(requestIdentity());
  app.use(survivesAbortedRequests(log));
  app.use(securityHeaders({ secureTransport: config.secureTransport }));
  const knownSiteOrigin = () => knownOrigin(context);
  app.use(hostAllowList({ enforce: config.nodeEnv === "production", allowedHosts: config.allowedHosts, knownOrigin: knownSiteOrigin, log }));

  // Fingerprinted assets are immutable; everything else in public/ revalidates hourly.
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(publicDir, { maxAge: "1h", index: false }));

  // API requests with a bearer key are limited per key instead (app/domain/api-keys), and per address when their keys are refused.
  app.use(floodLimit({ log, perMinute: 1200, writesPerMinute: 180, isExempt: isApiBearerRequest }));
  app.use(apiAuthFailureLimit({ log, failuresPerMinute: API_KEY_FAILURES_PER_MINUTE }));
  app.use(originCheck({ knownOrigin: knownSiteOrigin, allowedHosts: config.allowedHosts, log, isExempt: isApiBearerRequest }));
  app.use(bodyLimit({ maxBytes: FORM_BODY_LIMIT_BYTES, isUploadPath }));
  app.use(noStoreByDefault());
  app.use(responseCookies());

  // Known unreachable: answered at once, not after each request waits out the pool's connect timeout.
  if (databaseHealth) app.use((_req, res, next) => (databaseHealth.reachable ? next() : sendUnavailable(res)));

  const handleRemix = createRequestHandler(build, build.mode);
  app.all("*", async (req, res, next) => {
    try {
      const loadContext: AppLoadContext = {
        app: context,
        requestId: res.locals.requestId as string,
        cspNonce: res.locals.cspNonce as string,
        clientIp: req.ip ?? null,
        responseCookies: res.locals.responseCookies as string[],
      };
      const response = await handleRemix(createRemixRequest(req, res), loadContext);
      // Storage failed the request (handleError said so): a 503 that says what to do, not the 500 of a bug.
      if (response.status >= 500 && loadContext.unavailable === "storage") {
        await response.body?.cancel();
        return sendUnavailable(res, "storage");
      }
      // A failure is a 503 when the database does not answer now; a 500 (a bug) when it does. Asked only on failures.
      if (response.status >= 500 && databaseHealth && !(await databaseHealth.confirm())) {
        await response.body?.cancel();
        return sendUnavailable(res);
      }
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  });

  const onError: ErrorRequestHandler = async (error, _req, res, _next) => {
    const requestId = res.locals.requestId as string | undefined;
    // A middleware that reads the database (the site origin, the API key) failed because it is unreachable.
    if (databaseHealth && !res.headersSent && !(await databaseHealth.confirm())) {
      log.warn("http.database_unavailable", { requestId, error: String(error) });
      return sendUnavailable(res);
    }
    log.error("http.unhandled_error", { requestId, error: error instanceof Error ? error.stack : String(error) });
    if (res.headersSent) return res.end();
    const detail = config.nodeEnv === "production" ? "" : `\n\n${error instanceof Error ? error.stack : String(error)}`;
    res
      .status(500)
      .type("text/plain")
      .send(`Something went wrong on our side. Request id: ${requestId ?? "unknown"}${detail}`);
  };
  app.use(onError);
  return app;
}
