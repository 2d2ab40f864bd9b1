import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { z } from "zod";
import { parseHost, type HostName } from "./hosts";

export type DatabaseConfig = { kind: "postgres"; url: string } | { kind: "pglite"; dir: string } | { kind: "pglite-memory" };

export type StorageConfig =
  | { driver: "local"; root: string }
  | {
      driver: "s3";
      bucket: string;
      region: string;
      endpoint?: string;
      accessKeyId?: string;
      secretAccessKey?: string;
    };

export type Config = {
  nodeEnv: "production" | "development" | "test";
  port: number;
  host: string;
  /**
   * Origin the app is reached at. When null, the canonical origin is the one
   * recorded at first-run setup (see app/domain/settings/site.server.ts);
   * links are never built from a request's Host.
   */
  publicUrl: URL | null;
  /**
   * ALLOWED_HOSTS: hosts production answers besides the canonical one and
   * loopback; "any" (`*`) turns the host check off.
   */
  allowedHosts: readonly HostName[] | "any";
  /** Secure, __Host- cookies and HSTS: on whenever the public URL is https. */
  secureTransport: boolean;
  /** Express `trust proxy` setting; decides which client IP rate limits and evidence use. */
  trustProxy: boolean | number | string;
  /**
   * COUNTRY_HEADER: the request header a trusted proxy or CDN puts the
   * visitor's country in (e.g. `cf-ipcountry`); read only when TRUST_PROXY is
   * set, since anyone can send any header to a server that faces the internet.
   */
  countryHeader: string | null;
  dataDir: string;
  database: DatabaseConfig;
  storage: StorageConfig;
  smtpUrl: string | null;
  mailFrom: string;
  appSecret: string;
  setupToken: string | null;
  session: { idleTimeoutMs: number; absoluteTimeoutMs: number };
  workerPollMs: number;
  /**
   * API_RATE_LIMIT_PER_MINUTE: requests each API key may make per minute,
   * shared by every instance (app/domain/api-keys/authenticate.server.ts).
   */
  api: { rateLimitPerMinute: number };
};

const EnvSchema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  ALLOWED_HOSTS: z.string().optional(),
  TRUST_PROXY: z.string().optional(),
  COUNTRY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, "COUNTRY_HEADER must be a header name such as cf-ipcountry")
    .optional(),
  STORAGE_DIR: z.string().default("storage"),
  DATABASE_URL: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().default("us-east-1"),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  SMTP_URL: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).optional(),
  APP_SECRET: z.string().min(32, "APP_SECRET must be at least 32 characters").optional(),
  COBRAND_SETUP_TOKEN: z.string().min(20).optional(),
  SESSION_IDLE_HOURS: z.coerce.number().positive().default(12),
  SESSION_ABSOLUTE_DAYS: z.coerce.number().positive().default(14),
  WORKER_POLL_MS: z.coerce.number().int().min(50).default(1000),
  // 100 a second: a busy shop's checkout. The conversions bench (1,000 a second) raises it.
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(6000),
});

export class ConfigError extends Error {}

/** Parses the environment once at start; a bad value stops the process with a clear message. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable (common in container env files) means "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.STORAGE_DIR);
  const publicUrl = e.PUBLIC_URL ? new URL(e.PUBLIC_URL) : null;
  const database: DatabaseConfig = e.DATABASE_URL ? { kind: "postgres", url: e.DATABASE_URL } : { kind: "pglite", dir: path.join(dataDir, "db") };
  const storage: StorageConfig = e.S3_BUCKET
    ? {
        driver: "s3",
        bucket: e.S3_BUCKET,
        region: e.S3_REGION,
        endpoint: e.S3_ENDPOINT,
        accessKeyId: e.S3_ACCESS_KEY_ID,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY,
      }
    : { driver: "local", root: path.join(dataDir, "files") };
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    allowedHosts: parseAllowedHosts(e.ALLOWED_HOSTS),
    secureTransport: publicUrl?.protocol === "https:",
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    countryHeader: e.COUNTRY_HEADER && parseTrustProxy(e.TRUST_PROXY) !== false ? e.COUNTRY_HEADER.toLowerCase() : null,
    dataDir,
    database,
    storage,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM ?? `Cobrand <no-reply@${publicUrl?.hostname ?? "localhost"}>`,
    appSecret: e.APP_SECRET ?? loadOrCreateSecret(dataDir),
    setupToken: e.COBRAND_SETUP_TOKEN ?? null,
    session: {
      idleTimeoutMs: e.SESSION_IDLE_HOURS * 3_600_000,
      absoluteTimeoutMs: e.SESSION_ABSOLUTE_DAYS * 86_400_000,
    },
    workerPollMs: e.WORKER_POLL_MS,
    api: { rateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE },
  };
}

function parseAllowedHosts(value: string | undefined): readonly HostName[] | "any" {
  const entries = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.includes("*")) return "any";
  return entries.map((entry) => {
    const host = parseHost(entry);
    if (!host) throw new ConfigError(`Invalid configuration:\n  ALLOWED_HOSTS: "${entry}" is not a hostname with an optional port`);
    return host;
  });
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === "" || value === "false") return false;
  if (value === "true") return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // e.g. "loopback" or a comma-separated list of subnets
}

/**
 * The embedded default needs no configuration: a secret is generated on first
 * start and kept in the data directory (mode 0600) so restarts reuse it.
 */
function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "secret.key");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString("base64url");
  try {
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    // Another process won the race: use its secret.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw error;
  }
}
