import { and, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { partnerOrganisations } from "#db/schema/index";
import { recordAudit, SYSTEM_ACTOR } from "~/lib/audit.server";
import { executePrepared, rowsOf, transaction, type Db } from "~/lib/db.server";
import type { Logger } from "~/lib/log.server";
import type { FallbackReason } from "./catalog";
import { ensureClickPartition, isMissingPartition } from "./partitions.server";
import type { UserAgentClass } from "./visitors.server";
import { utcDay } from "./visitors.server";

/** One click as the redirect saw it; written later, in a batch. */
export type PendingClick = {
  clickedAt: Date;
  clickId: string;
  linkId: string | null;
  organisationId: string | null;
  requestedCode: string | null;
  visitorHash: string;
  userAgentClass: UserAgentClass;
  referrerHost: string | null;
  country: string | null;
  isBot: boolean;
  isTest: boolean;
  fallbackReason: FallbackReason | null;
};

export type ClickRecorderOptions = {
  /** Rows per multi-row insert; a batch this size is written at once. */
  batchSize: number;
  /** A partial batch waits at most this long. */
  flushIntervalMs: number;
  /** Batches written at the same time, each on a connection of its own (a batch costs mostly round trips, not database work). */
  concurrentWrites: number;
  /** Queued clicks beyond which the redirect waits for a write (backpressure) while the database keeps up. */
  highWater: number;
  /** While the database is unreachable, clicks are kept up to this many; the oldest beyond it are dropped and logged. */
  maxQueued: number;
};

// About 2 s of clicks at 10,000 a second (some 5 MB) before the redirect waits for the database;
// while the database is down, 200,000 clicks (some 60 MB) before any is dropped.
export const DEFAULT_CLICK_RECORDER_OPTIONS: ClickRecorderOptions = {
  batchSize: 500,
  flushIntervalMs: 1_000,
  concurrentWrites: 3,
  highWater: 20_000,
  maxQueued: 200_000,
};

const RETRY_DELAY_MS = 2_000;
/** Redirects held by backpressure are logged as one summary at most this often, not once per batch. */
const HOLD_REPORT_INTERVAL_MS = 10_000;

/**
 * Clicks queued in memory and written in batches of one statement each (see
 * batchStatement): the clicks, the day's unique visitors and one upsert per
 * link and day of the daily counts (and per link and month of the monthly
 * ones), never an UPDATE per click. A full batch
 * is written at once, up to `concurrentWrites` batches at a time; whatever is
 * queued is written at least every `flushIntervalMs`, on `flush`, and on
 * `stop` (graceful shutdown). A batch that fails goes back to the queue and
 * is tried again after a pause.
 */
export class ClickRecorder {
  private queue: PendingClick[] = [];
  private writers = 0;
  /** Clicks in the batches being written. */
  private inFlight = 0;
  /** Whether the writers go on until the queue is empty, rather than stopping at the last full batch. */
  private writeAll = false;
  private timer: NodeJS.Timeout | null = null;
  /** While the database is unreachable: when to try again (0: it keeps up). */
  private retryAt = 0;
  /** Redirects waiting for room in the queue (backpressure). */
  private waiters: (() => void)[] = [];
  /** When the first of the waiting redirects began to wait. */
  private holdingSince = 0;
  /** Holds not logged yet: how many redirects, the longest wait, and when the last summary went out. */
  private holds = { redirects: 0, longestMs: 0, reportedAt: 0 };
  /** Flushes waiting for the writers to finish. */
  private idleWaiters: (() => void)[] = [];
  private readonly memory = new RecorderMemory();
  readonly counters = { queued: 0, written: 0, dropped: 0, failedWrites: 0, heldRedirects: 0 };

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: ClickRecorderOptions = DEFAULT_CLICK_RECORDER_OPTIONS,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.queue.length && !this.waitingToRetry()) void this.drain(true);
      this.reportHolds(false);
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Clicks not written yet (queued or being written). */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Whether the redirect should wait (`room()`) before answering: the queue is long and the database keeps up. */
  get congested(): boolean {
    return this.queue.length >= this.options.highWater && this.retryAt === 0;
  }

  private waitingToRetry(): boolean {
    return this.retryAt !== 0 && Date.now() < this.retryAt;
  }

  record(click: PendingClick): void {
    this.queue.push(click);
    this.counters.queued++;
    if (this.queue.length > this.options.maxQueued) {
      const excess = this.queue.length - this.options.maxQueued;
      this.queue.splice(0, excess);
      this.counters.dropped += excess;
      this.log.error("clicks.dropped", { dropped: excess, totalDropped: this.counters.dropped, reason: "queue full while the database is unreachable" });
    }
    // A full batch goes at once, unless the database just failed: then the timer retries, not every click.
    if (this.queue.length >= this.options.batchSize && this.writers < this.options.concurrentWrites && !this.waitingToRetry()) void this.drain(false);
  }

  /** Resolves when the queue is below its high-water mark again. */
  room(): Promise<void> {
    if (!this.congested) return Promise.resolve();
    void this.drain(false);
    if (!this.waiters.length) this.holdingSince = Date.now();
    this.counters.heldRedirects++;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Writes everything queued now (and what arrives meanwhile); resolves when the queue is empty or a write failed. */
  flush(): Promise<void> {
    this.retryAt = 0;
    return this.drain(true);
  }

  /** Starts writers up to the limit; resolves when none is left. */
  private drain(all: boolean): Promise<void> {
    if (all) this.writeAll = true;
    while (this.writers < this.options.concurrentWrites && this.hasWork()) {
      this.writers++;
      void this.writer();
    }
    if (this.writers === 0) {
      this.writeAll = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private hasWork(): boolean {
    return !this.waitingToRetry() && (this.queue.length >= this.options.batchSize || (this.writeAll && this.queue.length > 0));
  }

  private async writer(): Promise<void> {
    try {
      while (this.hasWork()) {
        const batch = this.queue.splice(0, this.options.batchSize);
        this.inFlight += batch.length;
        let refused = 0;
        try {
          refused = await this.write(batch);
        } catch (error) {
          // What was not written goes back to the head of the queue, to be tried again (stop() and the timer retry).
          const unwritten = error instanceof UnwrittenClicks ? error.clicks : batch;
          this.queue.unshift(...unwritten);
          this.counters.written += batch.length - unwritten.length - (error instanceof UnwrittenClicks ? error.refused : 0);
          this.counters.failedWrites++;
          this.retryAt = Date.now() + RETRY_DELAY_MS;
          this.log.error("clicks.write_failed", { error: String(error instanceof UnwrittenClicks ? error.cause : error), queued: this.queue.length });
          return;
        } finally {
          this.inFlight -= batch.length;
          this.release();
        }
        this.counters.written += batch.length - refused;
        this.retryAt = 0;
      }
    } finally {
      this.writers--;
      if (this.writers === 0) {
        this.writeAll = false;
        const idle = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of idle) resolve();
      }
    }
  }

  private release(): void {
    if (this.congested || !this.waiters.length) return;
    const waiters = this.waiters;
    this.waiters = [];
    this.holds.redirects += waiters.length;
    this.holds.longestMs = Math.max(this.holds.longestMs, Date.now() - this.holdingSince);
    for (const resolve of waiters) resolve();
    this.reportHolds(false);
  }

  /**
   * Logs the redirects that waited for the database since the last summary
   * (a slow or busy database shows as visitors kept waiting: operators should
   * see it), at most once per HOLD_REPORT_INTERVAL_MS unless `now`.
   */
  private reportHolds(now: boolean): void {
    if (!this.holds.redirects) return;
    const at = Date.now();
    if (!now && at - this.holds.reportedAt < HOLD_REPORT_INTERVAL_MS) return;
    this.log.warn("clicks.backpressure", {
      redirectsHeld: this.holds.redirects,
      longestHoldMs: this.holds.longestMs,
      totalHeld: this.counters.heldRedirects,
      reason: "the click queue was full while the database was writing",
    });
    this.holds = { redirects: 0, longestMs: 0, reportedAt: at };
  }

  /**
   * Stops the timer and writes every queued click, retrying until
   * `deadlineMs` has passed; says how many were still to be written when it
   * was called and how many of those had to be dropped.
   */
  async stop(deadlineMs = 5_000): Promise<{ pending: number; dropped: number }> {
    if (this.timer) clearInterval(this.timer);
    const pending = this.pending;
    const until = Date.now() + deadlineMs;
    while (this.pending && Date.now() < until) {
      await this.flush();
      if (this.queue.length) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const dropped = this.queue.length;
    if (dropped) {
      this.counters.dropped += dropped;
      this.log.error("clicks.dropped", {
        dropped,
        totalDropped: this.counters.dropped,
        stillWriting: this.inFlight,
        reason: "shutdown before the database took them",
      });
      this.queue = [];
    }
    this.release();
    this.reportHolds(true);
    return { pending, dropped };
  }

  /**
   * Writes a batch; returns how many of its clicks the database refused as
   * data (dropped and logged). A batch the database refuses is halved until
   * the click it refuses is alone, so one bad click never holds up the others
   * (a batch put back as it is would fail again forever). Throws
   * UnwrittenClicks, naming what is still to be written, on any other failure.
   */
  private async write(batch: PendingClick[]): Promise<number> {
    try {
      await writeClicks(this.db, batch, this.memory);
      return 0;
    } catch (error) {
      if (!isRefusedData(error)) throw new UnwrittenClicks(batch, 0, error);
      if (batch.length === 1) {
        this.counters.dropped++;
        this.log.error("clicks.dropped", { dropped: 1, totalDropped: this.counters.dropped, reason: "the database refused the click", error: String(error) });
        return 1;
      }
    }
    const half = Math.ceil(batch.length / 2);
    let refused: number;
    try {
      refused = await this.write(batch.slice(0, half));
    } catch (error) {
      const unwritten = error as UnwrittenClicks;
      throw new UnwrittenClicks([...unwritten.clicks, ...batch.slice(half)], unwritten.refused, unwritten.cause);
    }
    try {
      return refused + (await this.write(batch.slice(half)));
    } catch (error) {
      const unwritten = error as UnwrittenClicks;
      throw new UnwrittenClicks(unwritten.clicks, refused + unwritten.refused, unwritten.cause);
    }
  }
}

/** A write that failed part way: the clicks still to be written, and how many the database refused before it failed. */
class UnwrittenClicks extends Error {
  constructor(
    readonly clicks: PendingClick[],
    readonly refused: number,
    override readonly cause: unknown,
  ) {
    super("clicks not written");
  }
}

/**
 * Whether the database refused the data itself (SQLSTATE class 22, data
 * exception, or 23, integrity constraint violation): writing the same
 * clicks again would fail again. Anything else (a lost connection, a
 * shutdown, a full disk) may pass.
 */
function isRefusedData(error: unknown): boolean {
  // A month without its partition is class 23 too, but writeClicks makes the partition; one it could not make is no fault of the clicks.
  if (isMissingPartition(error)) return false;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^2[23][0-9A-Z]{3}$/.test(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The UTC day of each moment, as a string, with the day's bounds kept: a batch's clicks mostly share one day. */
function dayNamer(): (at: Date) => string {
  let from = 0;
  let until = 0;
  let name = "";
  return (at) => {
    const ms = at.getTime();
    if (ms < from || ms >= until) {
      name = utcDay(at);
      from = Date.parse(name);
      until = from + 86_400_000;
    }
    return name;
  };
}

/** The counts a batch adds to a link's day (link_click_daily) and to its month (link_click_monthly). */
const CLICK_COUNT_COLUMNS = ["clicks", "unique_clicks", "bot_clicks", "test_clicks", "fallback_clicks"] as const;
const CLICK_COUNTS = sql.raw(CLICK_COUNT_COLUMNS.join(", "));
const CLICK_SUMS = sql.raw(CLICK_COUNT_COLUMNS.map((column) => `sum(${column})`).join(", "));
/** An upsert's SET list: each count of the row to insert added to the one stored. */
const addedUp = (table: string) => sql.raw(CLICK_COUNT_COLUMNS.map((column) => `${column} = ${table}.${column} + excluded.${column}`).join(", "));

/**
 * One batch as one statement, so it costs the redirect's process one round
 * trip and is atomic without a transaction of its own: the day's first visits
 * of each visitor go into link_daily_visitors (those the table did not have
 * yet are the unique clicks), the clicks into link_clicks, one upsert per
 * link and day adds them to the daily counts (test clicks counted apart, bots
 * and fallbacks among the clicks), and one per link and month the same counts
 * to the monthly ones (decision 031). Rows are locked in key order, every day's
 * row before any month's (the monthly upsert waits for the daily one to
 * finish), so that two instances writing the same links at once wait for
 * each other rather than deadlock.
 */
function batchStatement(batch: PendingClick[], memory: RecorderMemory): { statement: SQL; visits: string[] } {
  const dayOf = dayNamer();
  const days = batch.map((click) => dayOf(click.clickedAt));
  // A visitor's first click of the day on a link, unless an earlier batch already recorded that visit.
  const visits = new Set<string>();
  const firstVisit = batch.map((click, i) => {
    if (!click.linkId || click.isBot || click.isTest) return false;
    const key = `${click.linkId}|${days[i]}|${click.visitorHash}`;
    if (visits.has(key) || memory.knowsVisit(key)) return false;
    visits.add(key);
    return true;
  });
  // A batch's clicks are mostly on a few links: each link (and its organisation) is sent once, clicks name it by position.
  const linkPositions = new Map<string, number>();
  const links: { id: string; organisationId: string | null }[] = [];
  const linkPosition = batch.map((click) => {
    if (!click.linkId) return null;
    let position = linkPositions.get(click.linkId);
    if (position === undefined) {
      links.push({ id: click.linkId, organisationId: click.organisationId });
      position = links.length;
      linkPositions.set(click.linkId, position);
    }
    return position;
  });
  const column = (pick: (click: PendingClick) => string | number | boolean | null) => pgArray(batch.map(pick));
  const statement = sql`
    with links as (
      select * from unnest(${pgArray(links.map((l) => l.id))}::uuid[], ${pgArray(links.map((l) => l.organisationId))}::uuid[])
        with ordinality as l (link_id, organisation_id, position)
    ),
    batch as (
      select clicks.clicked_at, (clicks.clicked_at at time zone 'UTC')::date as day, clicks.click_id, links.link_id, links.organisation_id,
        clicks.requested_code, clicks.visitor_hash, clicks.user_agent_class, clicks.referrer_host, clicks.country,
        clicks.is_bot, clicks.is_test, clicks.fallback_reason, clicks.first_visit
      from (
        select 'epoch'::timestamptz + c.at_ms * interval '1 millisecond' as clicked_at, c.*
        from unnest(
          ${column((c) => c.clickedAt.getTime())}::bigint[],
          ${column((c) => c.clickId)}::text[],
          ${pgArray(linkPosition)}::int[],
          ${column((c) => c.requestedCode)}::text[],
          ${column((c) => c.visitorHash)}::text[],
          ${column((c) => c.userAgentClass)}::user_agent_class[],
          ${column((c) => c.referrerHost)}::text[],
          ${column((c) => c.country)}::text[],
          ${column((c) => c.isBot)}::boolean[],
          ${column((c) => c.isTest)}::boolean[],
          ${column((c) => c.fallbackReason)}::click_fallback_reason[],
          ${pgArray(firstVisit)}::boolean[]
        ) as c (at_ms, click_id, link_position, requested_code, visitor_hash, user_agent_class, referrer_host, country,
          is_bot, is_test, fallback_reason, first_visit)
      ) clicks
      left join links on links.position = clicks.link_position
    ),
    fresh as (
      insert into link_daily_visitors (link_id, day, visitor_hash)
      select link_id, day, visitor_hash from batch where first_visit order by link_id, day, visitor_hash
      on conflict do nothing
      returning link_id, day, visitor_hash
    ),
    flagged as (
      select batch.*,
        batch.first_visit and (batch.link_id, batch.day, batch.visitor_hash) in (select link_id, day, visitor_hash from fresh) as is_unique
      from batch
    ),
    clicks as (
      insert into link_clicks (clicked_at, click_id, link_id, organisation_id, requested_code, visitor_hash, user_agent_class, referrer_host, country,
        is_bot, is_unique, is_test, fallback_reason)
      select clicked_at, click_id, link_id, organisation_id, requested_code, visitor_hash, user_agent_class, referrer_host, country,
        is_bot, is_unique, is_test, fallback_reason
      from flagged
    ),
    counted as (
      select link_id, day, organisation_id,
        count(*) filter (where not is_test) as clicks,
        count(*) filter (where is_unique) as unique_clicks,
        count(*) filter (where is_bot and not is_test) as bot_clicks,
        count(*) filter (where is_test) as test_clicks,
        count(*) filter (where fallback_reason is not null and not is_test) as fallback_clicks
      from flagged
      where link_id is not null
      group by link_id, day, organisation_id
    ),
    daily as (
      insert into link_click_daily (link_id, day, organisation_id, ${CLICK_COUNTS})
      select link_id, day, organisation_id, ${CLICK_COUNTS}
      from counted
      order by link_id, day
      on conflict (link_id, day) do update set ${addedUp("link_click_daily")}
      returning 1
    )
    insert into link_click_monthly (link_id, month, organisation_id, ${CLICK_COUNTS})
    select link_id, date_trunc('month', day::timestamp)::date, organisation_id, ${CLICK_SUMS}
    from counted
    where (select count(*) from daily) > 0
    group by 1, 2, 3
    order by 1, 2
    on conflict (link_id, month) do update set ${addedUp("link_click_monthly")}`;
  return { statement, visits: [...visits] };
}

/**
 * Writes one batch. A click in a month without its partition yet
 * (housekeeping makes them ahead; a clock far off does not wait for it) gets
 * the partition made, and the batch is written again.
 */
export async function writeClicks(db: Db, batch: PendingClick[], memory: RecorderMemory = new RecorderMemory()): Promise<void> {
  try {
    await writeBatch(db, batch, memory);
  } catch (error) {
    if (!isMissingPartition(error)) throw error;
    for (const month of new Set(batch.map((click) => click.clickedAt.toISOString().slice(0, 7)))) {
      await ensureClickPartition(db, new Date(`${month}-01T00:00:00Z`));
    }
    await writeBatch(db, batch, memory);
  }
}

/**
 * One batch's statement. An organisation's first live click (rare: once per
 * organisation, and known afterwards) is recorded in the same transaction as
 * the batch that holds it.
 */
async function writeBatch(db: Db, batch: PendingClick[], memory: RecorderMemory): Promise<void> {
  const { statement, visits } = batchStatement(batch, memory);
  const firstLive = firstLiveCandidates(batch, memory.liveOrganisations);
  if (!firstLive.size) {
    await executePrepared(db, statement);
  } else {
    const settled = await transaction(db, async (tx) => {
      await executePrepared(tx, statement);
      return recordFirstLiveClicks(tx, firstLive);
    });
    for (const id of settled) memory.liveOrganisations.add(id);
  }
  // Only once committed: a batch rolled back teaches nothing.
  memory.rememberVisits(visits);
}

/**
 * What a recorder learnt from the batches it wrote, so that it does not ask
 * the database again: organisations whose first live click is recorded, and
 * the day's visits (link, day, visitor hash, never an address) already in
 * link_daily_visitors. Repeat visits, most of a popular link's clicks, then
 * cost the database nothing beyond the click row. Bounded: forgotten all at
 * once when full, which costs only the database's own conflict check.
 */
export class RecorderMemory {
  readonly liveOrganisations = new Set<string>();
  private visits = new Set<string>();

  constructor(private readonly maxVisits = 100_000) {}

  knowsVisit(key: string): boolean {
    return this.visits.has(key);
  }

  rememberVisits(keys: string[]): void {
    if (this.visits.size + keys.length > this.maxVisits) this.visits = new Set();
    for (const key of keys) this.visits.add(key);
  }
}

/**
 * "First link live" (PRODUCT.md, Partner onboarding): the first click that is
 * neither a test nor a bot nor sent to the fallback ends the organisation's
 * time to onboard, counted from its application (or, for an organisation an
 * admin made without one, from the start of its onboarding). The batch's
 * earliest such click of each organisation not yet known to be live.
 */
function firstLiveCandidates(batch: PendingClick[], liveOrganisations: Set<string>): Map<string, Date> {
  const firstLive = new Map<string, Date>();
  for (const click of batch) {
    if (!click.organisationId || click.isBot || click.isTest || click.fallbackReason || liveOrganisations.has(click.organisationId)) continue;
    const seen = firstLive.get(click.organisationId);
    if (!seen || click.clickedAt < seen) firstLive.set(click.organisationId, click.clickedAt);
  }
  return firstLive;
}

/** Sets first_link_live_at and time_to_onboard_seconds where not set yet (audited); returns the organisations now known to be live. */
async function recordFirstLiveClicks(tx: Db, firstLive: Map<string, Date>): Promise<string[]> {
  const candidates = await tx
    .select({ id: partnerOrganisations.id })
    .from(partnerOrganisations)
    .where(and(inArray(partnerOrganisations.id, [...firstLive.keys()]), isNull(partnerOrganisations.firstLinkLiveAt)));
  for (const { id } of candidates) {
    const at = firstLive.get(id)!;
    const [updated] = rowsOf<{ seconds: number | null }>(
      await tx.execute(sql`
        update partner_organisations set first_link_live_at = ${at.toISOString()}::timestamptz,
          time_to_onboard_seconds = greatest(0, floor(extract(epoch from (${at.toISOString()}::timestamptz - coalesce(
            (select min(a.submitted_at) from applications a where a.partner_org_id = ${id}),
            partner_organisations.onboarding_started_at
          ))))::int)
        where id = ${id} and first_link_live_at is null
        returning time_to_onboard_seconds as seconds`),
    );
    if (!updated) continue;
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: "partner.first_link_live",
      subjectType: "partner_organisation",
      subjectId: id,
      partnerOrgId: id,
      data: { at: at.toISOString(), timeToOnboardSeconds: updated.seconds },
      at,
    });
  }
  return [...firstLive.keys()];
}

/**
 * A PostgreSQL array literal for `unnest`: one parameter per column whatever
 * the batch size, instead of one per value.
 */
function pgArray(values: readonly (string | number | boolean | null)[]): string {
  return `{${values
    .map((value) => {
      if (value === null) return "NULL";
      if (typeof value === "boolean") return value ? "t" : "f";
      if (typeof value !== "string") return String(value);
      // Ids, hashes, enum values and host names go as they are; anything else quoted, its quotes and backslashes escaped.
      if (BARE_ELEMENT.test(value) && !(value.length === 4 && /^null$/i.test(value))) return value;
      return `"${value.replace(/[\\"]/g, "\\$&")}"`;
    })
    .join(",")}}`;
}

/** What an array literal's element may be without quotes (no braces, commas, quotes, backslashes or spaces), and not empty. */
const BARE_ELEMENT = /^[A-Za-z0-9_.:-]+$/;
