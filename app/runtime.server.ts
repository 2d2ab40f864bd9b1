// The composition root: builds the context the domain runs with and starts
// the background work. It lives outside app/lib because it wires the domain
// (housekeeping, the policy gate, the site origin cache) into the
// infrastructure, and app/lib never imports app/domain.
import { getEmailSettings } from "~/domain/settings/email.server";
import { ApiKeyAuthenticator } from "~/domain/api-keys/authenticate.server";
import { partnerGateFor } from "~/domain/policies/acceptance.server";
import { sweepOrphanAssetObjects } from "~/domain/assets/orphans.server";
import { sweepOrphanCreativeObjects } from "~/domain/creatives/files.server";
import { redactSpentOutboxTokens } from "~/domain/notifications/outbox.server";
import { ClickRecorder } from "~/domain/links/click-recorder.server";
import { ALL_LINKS, LINKS_CHANNEL } from "~/domain/links/notify.server";
import { dropExpiredClickPartitions, ensureClickPartitions } from "~/domain/links/partitions.server";
import { LinkResolver } from "~/domain/links/resolve.server";
import { getLinkSettings } from "~/domain/links/settings.server";
import { pruneDailyVisitors } from "~/domain/links/stats.server";
import { sendOverdueReminders } from "~/domain/review/reminders.server";
import { sendRenewalReminders } from "~/domain/partners/renewals.server";
import { refreshHealthScores } from "~/domain/partners/health-score.server";
import { keepHealthSnapshot } from "~/domain/partners/health-snapshots.server";
import { WebhookWorker } from "~/domain/webhooks/delivery.server";
import { knownOrigin, SITE_ORIGIN_CACHE_TTL_MS } from "~/domain/settings/site.server";
import { REPORT_CACHE_TTL_MS, REPORT_SERVE_STALE_MS } from "~/domain/reports/range";
import { ReportWarmer } from "~/domain/reports/warm.server";
import { writeAuditCheckpoint } from "~/lib/audit-checkpoints.server";
import { systemClock } from "~/lib/clock";
import { keyAuditChain, setAuditKeys } from "~/lib/audit.server";
import { createAuth } from "~/lib/auth.server";
import type { Config } from "~/lib/config.server";
import type { AppContext } from "~/lib/context.server";
import { openDatabase, type Database, type Db } from "~/lib/db.server";
import { DatabaseHealth } from "~/lib/db-health.server";
import { createLogger, type Logger } from "~/lib/log.server";
import { createMailer, type Mailer } from "~/lib/mail.server";
import { OutboxWorker } from "~/lib/outbox.server";
import { deleteExpiredLimits } from "~/lib/rate-limit.server";
import { createStorage } from "~/lib/storage/index.server";
import { KeyedTtlCache, TtlCache } from "~/lib/ttl-cache";

export type AppRuntime = {
  context: AppContext;
  database: Database;
  mailer: Mailer;
  outbox: OutboxWorker;
  /** Sends the signed webhook deliveries (app/domain/webhooks/delivery.server.ts). */
  webhooks: WebhookWorker;
  /** The redirect's link cache (forgotten on NOTIFY) and the click recorder (flushed on close). */
  links: { resolver: LinkResolver; recorder: ClickRecorder };
  /** Whether the database answers: the HTTP layer's 503 while it does not. */
  databaseHealth: DatabaseHealth;
  /** Stops background work, then closes the database; safe to call twice. */
  close(): Promise<void>;
};

/** The parts of the context the domain provides: the site origin cache, the partner policy gate and the API-key check. */
export function domainServices(db: Db, log: Logger): Pick<AppContext, "siteOriginCache" | "reportCache" | "partnerGate" | "clock" | "apiKeys"> {
  return {
    clock: systemClock,
    siteOriginCache: new TtlCache(SITE_ORIGIN_CACHE_TTL_MS),
    // Kept two minutes; a report read again within half an hour is shown at once while it is worked out again behind (decision 023, addendum).
    reportCache: new KeyedTtlCache(REPORT_CACHE_TTL_MS, 50, {
      serveStaleForMs: REPORT_SERVE_STALE_MS,
      onRefreshFailed: (key, error) => log.error("reports.refresh_failed", { key, error: String(error) }),
    }),
    partnerGate: (request, userId) => partnerGateFor(db, request, userId),
    apiKeys: new ApiKeyAuthenticator(),
  };
}

export async function createAppRuntime(config: Config, options: { log?: Logger; database?: Database; startWorkers?: boolean } = {}): Promise<AppRuntime> {
  const log = options.log ?? createLogger();
  setAuditKeys(config.appSecret);
  const database = options.database ?? (await openDatabase(config.database));
  await keyAuditChainOnce(database.db, log);
  const storage = createStorage(config.storage.driver === "local" ? { driver: "local", root: config.storage.root } : { ...config.storage, driver: "s3" });
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom });
  const context: AppContext = { config, db: database.db, storage, auth: createAuth(database.db, config), log, ...domainServices(database.db, log) };
  const outbox = new OutboxWorker({ db: database.db, mailer, log, sender: () => getEmailSettings(database.db) }, { pollMs: config.workerPollMs });
  const webhooks = new WebhookWorker(context, { pollMs: config.workerPollMs });
  const resolver = new LinkResolver(database.db, { ttlMs: LINK_CACHE_TTL_MS, maxEntries: LINK_CACHE_ENTRIES, siteOrigin: () => knownOrigin(context) });
  const recorder = new ClickRecorder(database.db, log);
  context.flushClicks = () => recorder.flush();
  const databaseHealth = new DatabaseHealth(database.db, log);
  // Every instance forgets a changed link at once; after a reconnect (notifications may have been missed) it forgets all.
  const stopListening = await database.listen(
    LINKS_CHANNEL,
    (code) => resolver.forget(code),
    () => resolver.forget(ALL_LINKS),
  );
  await ensureClickPartitions(database.db, context.clock.now());
  recorder.start();
  let housekeeping: NodeJS.Timeout | null = null;
  const startWorkers = options.startWorkers ?? true;
  if (startWorkers) {
    outbox.start();
    webhooks.start();
    housekeeping = setInterval(() => void runHousekeeping(context), HOUSEKEEPING_INTERVAL_MS);
    housekeeping.unref();
  }
  const reportWarmer = new ReportWarmer(context);
  if (startWorkers) reportWarmer.start(REPORT_FIRST_WARM_MS);

  let closing: Promise<void> | null = null;
  return {
    context,
    database,
    mailer,
    outbox,
    webhooks,
    links: { resolver, recorder },
    databaseHealth,
    close() {
      closing ??= (async () => {
        if (housekeeping) clearInterval(housekeeping);
        await reportWarmer.stop();
        databaseHealth.stop();
        // The server stopped taking requests before this: every click it answered is written now.
        const clicks = await recorder.stop();
        log.info("clicks.flushed", { ...clicks, written: recorder.counters.written, heldRedirects: recorder.counters.heldRedirects });
        await stopListening().catch(() => {});
        // A send in flight gets a moment to finish; one still waiting on its receiver is retried by the next instance once its claim ends.
        await Promise.race([webhooks.stop(), new Promise((resolve) => setTimeout(resolve, WEBHOOK_SHUTDOWN_MS).unref())]);
        await outbox.stop();
        // A server's last events get a checkpoint too; bounded so a slow bucket cannot hold up the exit.
        if (startWorkers) await Promise.race([checkpointAuditChain(context), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_CHECKPOINT_MS).unref())]);
        mailer.close();
        await storage.close?.();
        await database.close();
      })();
      return closing;
    },
  };
}

const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;
/** Long enough after start that the first requests are not kept waiting by the reports' computation. */
const REPORT_FIRST_WARM_MS = 10_000;
/** A change on an instance that could not notify (none should) shows on the others after this. */
const LINK_CACHE_TTL_MS = 5_000;
const LINK_CACHE_ENTRIES = 10_000;
/** Temporary upload files untouched this long belong to no live request (a crash left them). */
const INCOMPLETE_UPLOAD_MAX_AGE_MS = 60 * 60 * 1000;
// Up to 4 of the 9 seconds a shutdown may take: under load a checkpoint (count, head, signed write) can need several.
const SHUTDOWN_CHECKPOINT_MS = 4_000;
const WEBHOOK_SHUTDOWN_MS = 2_000;

/**
 * Removes expired sessions, spent rate-limit windows, orphaned asset objects
 * and temporary files of uploads a crash interrupted; redacts spent tokens in
 * the outbox; makes the coming months' click partitions and drops those past
 * retention; reminds reviewers of overdue review stages; rewrites every
 * partner's stored health score (decision 026) and keeps the day's snapshot
 * of them (decision 029, addendum); safe on every instance at once.
 */
export async function runHousekeeping(context: AppContext): Promise<void> {
  await checkpointAuditChain(context);
  try {
    await context.auth.deleteExpiredSessions();
    // Rate-limit windows are counted by the context's clock, so they expire by it too.
    await deleteExpiredLimits(context.db, context.clock.now());
    const redacted = await redactSpentOutboxTokens(context.db, context.clock.now());
    if (redacted) context.log.info("housekeeping.outbox_tokens_redacted", { redacted });
    const swept = await sweepOrphanAssetObjects(context);
    const sweptCreatives = await sweepOrphanCreativeObjects(context);
    if (sweptCreatives.deleted) context.log.info("housekeeping.creative_orphans_deleted", sweptCreatives);
    if (swept.deleted) context.log.info("housekeeping.orphans_deleted", swept);
    const leftovers = (await context.storage.sweepIncomplete?.(INCOMPLETE_UPLOAD_MAX_AGE_MS)) ?? 0;
    if (leftovers) context.log.info("housekeeping.incomplete_uploads_removed", { removed: leftovers });
  } catch (error) {
    context.log.error("housekeeping.failed", { error: String(error) });
  }
  try {
    const now = context.clock.now();
    await ensureClickPartitions(context.db, now);
    const dropped = await dropExpiredClickPartitions(context.db, now, (await getLinkSettings(context.db)).clickRetentionMonths);
    if (dropped.length) context.log.info("housekeeping.click_partitions_dropped", { dropped });
    await pruneDailyVisitors(context.db, now);
  } catch (error) {
    context.log.error("housekeeping.clicks_failed", { error: String(error) });
  }
  // On its own, so a storage outage in the sweeps above never holds back the reviewers' reminders.
  try {
    const reminded = await sendOverdueReminders(context);
    if (reminded) context.log.info("housekeeping.review_reminders_sent", { reminded });
  } catch (error) {
    context.log.error("housekeeping.review_reminders_failed", { error: String(error) });
  }
  let refreshed = false;
  try {
    const scored = await refreshHealthScores(context.db, context.clock.now());
    refreshed = true;
    context.log.info("housekeeping.health_scores_refreshed", { scored });
  } catch (error) {
    context.log.error("housekeeping.health_scores_failed", { error: String(error) });
  }
  // Only from scores just refreshed: after a failed refresh they may be hours old, and the next run keeps the day's instead.
  if (refreshed) {
    try {
      const kept = await keepHealthSnapshot(context.db, context.clock.now());
      if (kept.written || kept.deleted) context.log.info("housekeeping.health_snapshot_kept", kept);
    } catch (error) {
      context.log.error("housekeeping.health_snapshot_failed", { error: String(error) });
    }
  }
  try {
    const renewals = await sendRenewalReminders(context);
    if (renewals) context.log.info("housekeeping.renewal_reminders_sent", { renewals });
  } catch (error) {
    context.log.error("housekeeping.renewal_reminders_failed", { error: String(error) });
  }
}

/** Writes an audit checkpoint to storage; a refusal means the chain lost rows since the last one, which an admin must hear about. */
export async function checkpointAuditChain(context: AppContext): Promise<void> {
  try {
    const started = Date.now();
    const result = await writeAuditCheckpoint(context.db, context.storage);
    if (result.status === "refused") context.log.error("audit.checkpoint_mismatch", { reason: result.reason });
    else context.log.info("audit.checkpoint", { status: result.status, ms: Date.now() - started });
  } catch (error) {
    context.log.error("audit.checkpoint_failed", { error: String(error) });
  }
}

/** Moves a chain written before keying onto the keyed chain (see keyAuditChain); says so when it cannot. */
async function keyAuditChainOnce(db: Db, log: Logger): Promise<void> {
  const keying = await keyAuditChain(db);
  switch (keying.status) {
    case "rekeyed":
      log.info("audit.chain_rekeyed", keying);
      break;
    case "head-unrecognised":
      log.error("audit.chain_key_mismatch", {
        ...keying,
        hint: "The newest audit event matches neither the keyed nor the old hash: APP_SECRET changed, or the row was altered. Run audit:verify.",
      });
      break;
    case "unkeyed-chain-broken":
      log.error("audit.chain_broken", keying);
      break;
  }
}
