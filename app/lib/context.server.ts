import type { ApiKeyGate } from "./api.server";
import type { Auth } from "./auth.server";
import type { Clock } from "./clock";
import type { Config } from "./config.server";
import type { Db } from "./db.server";
import type { Logger } from "./log.server";
import type { StorageDriver } from "./storage/types";
import type { KeyedTtlCache, TtlCache } from "./ttl-cache";

/**
 * Everything the domain needs from the outside world, built once per process
 * by createAppRuntime (app/runtime.server.ts, the composition root).
 */
export type AppContext = {
  config: Config;
  db: Db;
  storage: StorageDriver;
  auth: Auth;
  log: Logger;
  /** The time rules are judged at; tests hand in an AdjustableClock to move time instead of sleeping. */
  clock: Clock;
  /** The site origin recorded at setup (app/domain/settings/site.server.ts), shared by Express and Remix. */
  siteOriginCache: TtlCache<string | null>;
  /** Program-wide reports computed in the last minutes, shared by everyone who reads them (app/domain/reports). */
  reportCache: KeyedTtlCache;
  /**
   * Whether this partner user must accept policies before using the partner
   * area (the domain's policy gate, once per request); the partner guard asks it.
   */
  partnerGate: (request: Request, userId: string) => Promise<{ blocked: boolean }>;
  /** The API-key check (app/domain/api-keys/authenticate.server.ts), with its per-process cache and rate-limit leases; requireApiKey asks it. */
  apiKeys: ApiKeyGate;
  /**
   * Writes the clicks this process has queued but not yet written (the
   * redirect records them in batches, up to a second later), so a conversion
   * posted right after its click still finds it. Set by the runtime.
   */
  flushClicks?: () => Promise<void>;
};
