import { eq } from "drizzle-orm";
import { creatives, partnerOrganisations, trackingLinks } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { currentRuleSet } from "../creatives/rules.server";
import { isAllowedHost, normaliseAllowedDomain } from "../prescreen/destination";
import type { FallbackReason, LinkSettings } from "./catalog";
import { finalUrl, prepareDestination, type PreparedDestination } from "./final-url";
import { ALL_LINKS } from "./notify.server";
import { getLinkSettings } from "./settings.server";

/** What the redirect needs to know of one link, read with one query and then kept for a few seconds. */
export type LinkTarget = {
  id: string;
  code: string;
  organisationId: string;
  status: "active" | "disabled";
  partnerStatus: "onboarding" | "active" | "paused" | "terminated";
  approvalRevoked: boolean;
  destinationHost: string;
  prepared: PreparedDestination;
};

/** The program-wide facts every click is judged by. */
export type ProgramLinkFacts = { settings: LinkSettings; allowedDomains: string[]; fallbackUrl: string };

export type RedirectDecision = { location: string; fallbackReason: FallbackReason | null };

/**
 * Where a click goes. The destination's host is checked against the allowlist
 * as it is now, not as it was when the link was made.
 */
export function decideRedirect(target: LinkTarget, program: ProgramLinkFacts, clickId: string): RedirectDecision {
  const reason = fallbackReasonOf(target, program.allowedDomains);
  if (reason) return { location: program.fallbackUrl, fallbackReason: reason };
  return { location: finalUrl(target.prepared, clickId), fallbackReason: null };
}

/**
 * Why a link sends its visitors to the fallback page rather than its
 * destination, or null when it does not: the one rule the redirect and the
 * pages that show a link's state both apply. `allowedDomains` are normalised
 * (normaliseAllowedDomain).
 */
export function fallbackReasonOf(
  target: Pick<LinkTarget, "partnerStatus" | "status" | "approvalRevoked" | "destinationHost">,
  allowedDomains: readonly string[],
): FallbackReason | null {
  if (target.partnerStatus === "terminated") return "partner_terminated";
  if (target.partnerStatus === "paused") return "partner_paused";
  if (target.status === "disabled") return "link_disabled";
  if (target.approvalRevoked) return "approval_revoked";
  if (!isAllowedHost(target.destinationHost, allowedDomains)) return "host_not_allowed";
  return null;
}

/** The allowlist in force, normalised, as the redirect checks hosts against it. */
export async function allowedHosts(db: Db): Promise<string[]> {
  return (await currentRuleSet(db)).rules.allowedDomains.flatMap((entry) => normaliseAllowedDomain(entry) ?? []);
}

type Entry<T> = { value: T; expiresAt: number };

/**
 * How long past its expiry a link's facts may still answer while the database
 * cannot be reached: a restart or a failover, not a day-long outage.
 */
export const STALE_IF_ERROR_MS = 15 * 60_000;

export type LinkResolverOptions = {
  /** How long a link's facts are trusted without a notification (a change on an instance that cannot notify shows after this). */
  ttlMs: number;
  /** Links kept (least recently used out first), and as many codes known not to exist, apart. */
  maxEntries: number;
  /** The program's public page, where the fallback goes when no fallback URL is set. */
  siteOrigin: () => Promise<string | null>;
  now?: () => number;
};

/**
 * The redirect's cache of links (an LRU: a Map in recency order) and of the
 * program's facts, both with a short TTL and both forgotten at once when a
 * change is announced on the links channel (see notify.server.ts). Unknown
 * codes are cached too, so a scan of random codes costs one query per code,
 * but apart, so that such a scan cannot push the links people follow out of
 * the cache. `cachedLink` and `cachedProgram` answer synchronously on a hit,
 * so the hot path never waits on a promise.
 */
export class LinkResolver {
  private readonly links = new Map<string, Entry<LinkTarget>>();
  /** Codes known not to exist, with when that stops being trusted (oldest first). */
  private readonly unknown = new Map<string, number>();
  private readonly loading = new Map<string, Promise<LinkTarget | null>>();
  private program: Entry<ProgramLinkFacts> | null = null;
  private programLoading: Promise<ProgramLinkFacts> | null = null;
  private generation = 0;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly options: LinkResolverOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The link's facts if cached and fresh (null: known not to exist), undefined on a miss. */
  cachedLink(code: string): LinkTarget | null | undefined {
    const entry = this.links.get(code);
    if (!entry) return this.knownUnknown(code) ? null : undefined;
    // Expired, but kept: what the link was is the answer while the database cannot be asked (staleLink).
    if (entry.expiresAt <= this.now()) return undefined;
    // Most recently used goes last; the oldest is evicted first.
    this.links.delete(code);
    this.links.set(code, entry);
    return entry.value;
  }

  private knownUnknown(code: string): boolean {
    const expiresAt = this.unknown.get(code);
    if (expiresAt === undefined) return false;
    if (expiresAt > this.now()) return true;
    this.unknown.delete(code);
    return false;
  }

  private keep(code: string, value: LinkTarget | null): void {
    const expiresAt = this.now() + this.options.ttlMs;
    const cache: Map<string, unknown> = value ? this.links : this.unknown;
    // A reload replaces its expired entry (and moves it last) rather than pushing another link out.
    cache.delete(code);
    if (cache.size >= this.options.maxEntries) cache.delete(cache.keys().next().value!);
    if (value) this.links.set(code, { value, expiresAt });
    else this.unknown.set(code, expiresAt);
  }

  cachedProgram(): ProgramLinkFacts | undefined {
    return this.program && this.program.expiresAt > this.now() ? this.program.value : undefined;
  }

  /**
   * The link's facts; while the database cannot be reached, the last facts
   * read within STALE_IF_ERROR_MS (a link changed since would have been
   * forgotten by its notification, and nothing can change while the
   * database is down), so visitors still get their redirect and their clicks
   * wait in the recorder. Throws when there is nothing to fall back on.
   */
  async link(code: string): Promise<LinkTarget | null> {
    const hit = this.cachedLink(code);
    if (hit !== undefined) return hit;
    try {
      return await this.load(code);
    } catch (error) {
      const entry = this.links.get(code);
      if (entry && this.now() - entry.expiresAt < STALE_IF_ERROR_MS) return entry.value;
      throw error;
    }
  }

  private async load(code: string): Promise<LinkTarget | null> {
    const program = await this.programFacts();
    let pending = this.loading.get(code);
    if (!pending) {
      const generation = this.generation;
      pending = loadLink(this.db, code, program.settings.clickIdParam).finally(() => this.loading.delete(code));
      this.loading.set(code, pending);
      void pending.then(
        (value) => {
          // A change announced while the query ran may not be in its answer: keep nothing then.
          if (generation !== this.generation) return;
          this.keep(code, value);
        },
        () => {},
      );
    }
    return pending;
  }

  /** The program's facts; while the database cannot be reached, the last ones read within STALE_IF_ERROR_MS (see `link`). */
  async programFacts(): Promise<ProgramLinkFacts> {
    const hit = this.cachedProgram();
    if (hit) return hit;
    const last = this.program;
    try {
      return await this.loadProgram();
    } catch (error) {
      if (last && last === this.program && this.now() - last.expiresAt < STALE_IF_ERROR_MS) return last.value;
      throw error;
    }
  }

  private loadProgram(): Promise<ProgramLinkFacts> {
    if (!this.programLoading) {
      const generation = this.generation;
      this.programLoading = loadProgramFacts(this.db, this.options.siteOrigin)
        .then((value) => {
          if (generation === this.generation) this.program = { value, expiresAt: this.now() + this.options.ttlMs };
          return value;
        })
        .finally(() => {
          this.programLoading = null;
        });
    }
    return this.programLoading;
  }

  /** Forgets one link, or everything for ALL_LINKS (the payload of a notification). */
  forget(code: string): void {
    this.generation++;
    if (code === ALL_LINKS) {
      this.links.clear();
      this.unknown.clear();
      this.program = null;
    } else {
      this.links.delete(code);
      this.unknown.delete(code);
    }
  }
}

async function loadLink(db: Db, code: string, clickIdParam: string): Promise<LinkTarget | null> {
  const [row] = await db
    .select({
      id: trackingLinks.id,
      code: trackingLinks.code,
      organisationId: trackingLinks.organisationId,
      status: trackingLinks.status,
      destinationUrl: trackingLinks.destinationUrl,
      utmSource: trackingLinks.utmSource,
      utmMedium: trackingLinks.utmMedium,
      utmCampaign: trackingLinks.utmCampaign,
      utmContent: trackingLinks.utmContent,
      partnerStatus: partnerOrganisations.status,
      creativeStatus: creatives.status,
    })
    .from(trackingLinks)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, trackingLinks.organisationId))
    .leftJoin(creatives, eq(creatives.id, trackingLinks.creativeId))
    .where(eq(trackingLinks.code, code));
  if (!row) return null;
  return {
    id: row.id,
    code: row.code,
    organisationId: row.organisationId,
    status: row.status,
    partnerStatus: row.partnerStatus,
    approvalRevoked: row.creativeStatus === "revoked",
    destinationHost: new URL(row.destinationUrl).hostname,
    prepared: prepareDestination(row.destinationUrl, row, clickIdParam),
  };
}

async function loadProgramFacts(db: Db, siteOrigin: () => Promise<string | null>): Promise<ProgramLinkFacts> {
  const [settings, allowedDomains, origin] = await Promise.all([getLinkSettings(db), allowedHosts(db), siteOrigin()]);
  return {
    settings,
    allowedDomains,
    fallbackUrl: settings.fallbackUrl || `${origin ?? ""}/`,
  };
}
