import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type ErrorRequestHandler } from "express";
import { knownOrigin } from "../app/domain/settings/site.server";
import type { AppContext } from "../app/lib/context.server";
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
};

/** The Express application: security layer first, then static files, then Remix. */
export function createHttpApp({ build, context, publicDir, isStopping }: HttpAppOptions): express.Express {
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

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: build.mode,
      getLoadContext: (req, res) => ({
        app: context,
        requestId: res.locals.requestId as string,
        cspNonce: res.locals.cspNonce as string,
        clientIp: req.ip ?? null,
        responseCookies: res.locals.responseCookies as string[],
      }),
    }),
  );

  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    const requestId = res.locals.requestId as string | undefined;
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
