import { and, inArray, isNull, sql } from "drizzle-orm";
import { partnerOrganisations } from "#db/schema/index";
import { recordAudit, SYSTEM_ACTOR } from "~/lib/audit.server";
import { rowsOf, transaction, type Db } from "~/lib/db.server";
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
  /** Queued clicks beyond which the redirect waits for a write (backpressure) while the database keeps up. */
  highWater: number;
  /** While the database is unreachable, clicks are kept up to this many; the oldest beyond it are dropped and logged. */
  maxQueued: number;
};

export const DEFAULT_CLICK_RECORDER_OPTIONS: ClickRecorderOptions = { batchSize: 500, flushIntervalMs: 1_000, highWater: 5_000, maxQueued: 200_000 };

const RETRY_DELAY_MS = 2_000;

/**
 * Clicks queued in memory and written in batches: one multi-row insert per
 * batch into link_clicks, one ON CONFLICT DO NOTHING insert that decides
 * which are the day's unique visitors, and one upsert per link and day into
 * the daily counts (never an UPDATE per click). A batch is written when it is
 * full or a second old, on `flush`, and on `stop` (graceful shutdown).
 */
export class ClickRecorder {
  private queue: PendingClick[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private retryAt = 0;
  private waiters: (() => void)[] = [];
  private stopped = false;
  /** Organisations known to have their first live click recorded: no need to ask again. */
  private readonly liveOrganisations = new Set<string>();
  readonly counters = { queued: 0, written: 0, dropped: 0, failedWrites: 0 };

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: ClickRecorderOptions = DEFAULT_CLICK_RECORDER_OPTIONS,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flushDue(), Math.min(250, this.options.flushIntervalMs));
    this.timer.unref();
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Whether the redirect should wait (`room()`) before answering: the queue is long and the database keeps up. */
  get congested(): boolean {
    return this.queue.length >= this.options.highWater && this.retryAt === 0;
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
    if (this.queue.length >= this.options.batchSize) void this.drain();
  }

  /** Resolves when the queue is below its high-water mark again. */
  room(): Promise<void> {
    if (!this.congested) return Promise.resolve();
    void this.drain();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private oldestAgeMs(): number {
    return this.queue.length ? Date.now() - this.queue[0]!.clickedAt.getTime() : 0;
  }

  private flushDue(): Promise<void> | void {
    if (!this.queue.length || this.writing) return;
    if (this.retryAt && Date.now() < this.retryAt) return;
    if (this.queue.length >= this.options.batchSize || this.oldestAgeMs() >= this.options.flushIntervalMs || this.retryAt) return this.drain();
  }

  /** Writes everything queued now (and what arrives meanwhile), batch by batch. */
  flush(): Promise<void> {
    this.retryAt = 0;
    return this.drain();
  }

  private drain(): Promise<void> {
    this.writing ??= (async () => {
      try {
        while (this.queue.length) {
          const batch = this.queue.slice(0, this.options.batchSize);
          try {
            await this.write(batch);
          } catch (error) {
            this.counters.failedWrites++;
            this.retryAt = Date.now() + RETRY_DELAY_MS;
            this.log.error("clicks.write_failed", { error: String(error), queued: this.queue.length });
            this.release();
            return;
          }
          this.queue.splice(0, batch.length);
          this.counters.written += batch.length;
          this.retryAt = 0;
          this.release();
          if (this.stopped === false && this.queue.length < this.options.batchSize && this.oldestAgeMs() < this.options.flushIntervalMs) return;
        }
      } finally {
        this.writing = null;
      }
    })();
    return this.writing;
  }

  private release(): void {
    if (this.congested) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Stops the timer and writes every queued click, retrying until `deadlineMs` has passed. */
  async stop(deadlineMs = 5_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const until = Date.now() + deadlineMs;
    while (this.writing) await this.writing;
    while (this.queue.length && Date.now() < until) {
      await this.flush();
      if (this.queue.length) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (this.queue.length) {
      this.counters.dropped += this.queue.length;
      this.log.error("clicks.dropped", { dropped: this.queue.length, totalDropped: this.counters.dropped, reason: "shutdown before the database took them" });
      this.queue = [];
    }
    this.release();
  }

  private write(batch: PendingClick[]): Promise<void> {
    return writeClicks(this.db, batch, this.liveOrganisations);
  }
}

type Rollup = { linkId: string; day: string; organisationId: string; clicks: number; unique: number; bots: number; tests: number; fallbacks: number };

/**
 * One batch, in one transaction: unique visitors, the clicks, the daily
 * counts, and the first live click of an organisation. A click in a month
 * without its partition yet (housekeeping makes them ahead; a clock far off
 * does not wait for it) gets the partition made, and the batch is written again.
 */
export async function writeClicks(db: Db, batch: PendingClick[], liveOrganisations: Set<string> = new Set()): Promise<void> {
  try {
    await writeBatch(db, batch, liveOrganisations);
  } catch (error) {
    if (!isMissingPartition(error)) throw error;
    for (const month of new Set(batch.map((click) => click.clickedAt.toISOString().slice(0, 7)))) {
      await ensureClickPartition(db, new Date(`${month}-01T00:00:00Z`));
    }
    await writeBatch(db, batch, liveOrganisations);
  }
}

async function writeBatch(db: Db, batch: PendingClick[], liveOrganisations: Set<string>): Promise<void> {
  await transaction(db, async (tx) => {
    // Each link's visitors of the day, once per batch; those the table did not have yet are unique.
    const visitorKeys = new Map<string, { linkId: string; day: string; visitorHash: string }>();
    for (const click of batch) {
      if (!click.linkId || click.isBot || click.isTest) continue;
      const day = utcDay(click.clickedAt);
      visitorKeys.set(`${click.linkId}|${day}|${click.visitorHash}`, { linkId: click.linkId, day, visitorHash: click.visitorHash });
    }
    const fresh = new Set<string>();
    if (visitorKeys.size) {
      const keys = [...visitorKeys.values()];
      const inserted = rowsOf<{ link_id: string; day: string | Date; visitor_hash: string }>(
        await tx.execute(sql`
          insert into link_daily_visitors (link_id, day, visitor_hash)
          select * from unnest(${pgArray(keys.map((k) => k.linkId))}::uuid[], ${pgArray(keys.map((k) => k.day))}::date[], ${pgArray(keys.map((k) => k.visitorHash))}::text[])
          on conflict do nothing
          returning link_id, day::text as day, visitor_hash`),
      );
      for (const row of inserted) fresh.add(`${row.link_id}|${String(row.day)}|${row.visitor_hash}`);
    }

    const isUnique: boolean[] = [];
    const rollups = new Map<string, Rollup>();
    for (const click of batch) {
      const day = utcDay(click.clickedAt);
      const key = `${click.linkId}|${day}|${click.visitorHash}`;
      const unique = fresh.delete(key);
      isUnique.push(unique);
      if (!click.linkId || !click.organisationId) continue;
      const rollupKey = `${click.linkId}|${day}`;
      let rollup = rollups.get(rollupKey);
      if (!rollup) {
        rollup = { linkId: click.linkId, day, organisationId: click.organisationId, clicks: 0, unique: 0, bots: 0, tests: 0, fallbacks: 0 };
        rollups.set(rollupKey, rollup);
      }
      if (click.isTest) {
        rollup.tests++;
        continue;
      }
      rollup.clicks++;
      if (unique) rollup.unique++;
      if (click.isBot) rollup.bots++;
      if (click.fallbackReason) rollup.fallbacks++;
    }

    const column = (pick: (click: PendingClick) => string | number | boolean | null) => pgArray(batch.map(pick));
    await tx.execute(sql`
      insert into link_clicks (clicked_at, click_id, link_id, organisation_id, requested_code, visitor_hash, user_agent_class, referrer_host, country, is_bot, is_unique, is_test, fallback_reason)
      select * from unnest(
        ${column((c) => c.clickedAt.toISOString())}::timestamptz[],
        ${column((c) => c.clickId)}::text[],
        ${column((c) => c.linkId)}::uuid[],
        ${column((c) => c.organisationId)}::uuid[],
        ${column((c) => c.requestedCode)}::text[],
        ${column((c) => c.visitorHash)}::text[],
        ${column((c) => c.userAgentClass)}::user_agent_class[],
        ${column((c) => c.referrerHost)}::text[],
        ${column((c) => c.country)}::text[],
        ${column((c) => c.isBot)}::boolean[],
        ${pgArray(isUnique)}::boolean[],
        ${column((c) => c.isTest)}::boolean[],
        ${column((c) => c.fallbackReason)}::click_fallback_reason[]
      )`);

    if (rollups.size) {
      const rows = [...rollups.values()];
      const col = (pick: (rollup: Rollup) => string | number) => pgArray(rows.map(pick));
      await tx.execute(sql`
        insert into link_click_daily (link_id, day, organisation_id, clicks, unique_clicks, bot_clicks, test_clicks, fallback_clicks)
        select * from unnest(
          ${col((r) => r.linkId)}::uuid[], ${col((r) => r.day)}::date[], ${col((r) => r.organisationId)}::uuid[],
          ${col((r) => r.clicks)}::int[], ${col((r) => r.unique)}::int[], ${col((r) => r.bots)}::int[],
          ${col((r) => r.tests)}::int[], ${col((r) => r.fallbacks)}::int[]
        )
        on conflict (link_id, day) do update set
          clicks = link_click_daily.clicks + excluded.clicks,
          unique_clicks = link_click_daily.unique_clicks + excluded.unique_clicks,
          bot_clicks = link_click_daily.bot_clicks + excluded.bot_clicks,
          test_clicks = link_click_daily.test_clicks + excluded.test_clicks,
          fallback_clicks = link_click_daily.fallback_clicks + excluded.fallback_clicks`);
    }

    await recordFirstLiveClicks(tx, batch, liveOrganisations);
  });
}

/**
 * "First link live" (PRODUCT.md, Partner onboarding): the first click that is
 * neither a test nor a bot nor sent to the fallback ends the organisation's
 * time to onboard, counted from its application (or, for an organisation an
 * admin made without one, from the start of its onboarding).
 */
async function recordFirstLiveClicks(tx: Db, batch: PendingClick[], liveOrganisations: Set<string>): Promise<void> {
  const firstLive = new Map<string, Date>();
  for (const click of batch) {
    if (!click.organisationId || click.isBot || click.isTest || click.fallbackReason || liveOrganisations.has(click.organisationId)) continue;
    const seen = firstLive.get(click.organisationId);
    if (!seen || click.clickedAt < seen) firstLive.set(click.organisationId, click.clickedAt);
  }
  if (!firstLive.size) return;
  const candidates = await tx
    .select({ id: partnerOrganisations.id })
    .from(partnerOrganisations)
    .where(and(inArray(partnerOrganisations.id, [...firstLive.keys()]), isNull(partnerOrganisations.firstLinkLiveAt)));
  for (const id of firstLive.keys()) if (!candidates.some((c) => c.id === id)) liveOrganisations.add(id);
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
    liveOrganisations.add(id);
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
}

/**
 * A PostgreSQL array literal for `unnest`: one parameter per column whatever
 * the batch size, instead of one per value.
 */
function pgArray(values: readonly (string | number | boolean | null)[]): string {
  return `{${values
    .map((value) => {
      if (value === null) return "NULL";
      if (typeof value !== "string") return String(value);
      return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
    })
    .join(",")}}`;
}
