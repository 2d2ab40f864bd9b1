import { and, asc, count, desc, eq, inArray } from "drizzle-orm";
import { auditEvents, linkSettings, partnerOrganisations, trackingLinks, users } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import type { FallbackReason, LinkStatus } from "./catalog";
import { linkDetail, linkOfCreative } from "./queries.server";

// What the brand team's link pages read beyond the links themselves: the
// counts above the list, the partners to filter by, a link's history, and
// where each link's visitors go now.

export type LinkCounts = { total: number; active: number; disabled: number; creative: number; evergreen: number };

/** Every link counted by status and by kind, whatever the list's filters. */
export async function linkCounts(db: Db): Promise<LinkCounts> {
  const rows = await db
    .select({ status: trackingLinks.status, kind: trackingLinks.kind, n: count() })
    .from(trackingLinks)
    .groupBy(trackingLinks.status, trackingLinks.kind);
  const counts: LinkCounts = { total: 0, active: 0, disabled: 0, creative: 0, evergreen: 0 };
  for (const row of rows) {
    counts.total += row.n;
    counts[row.status] += row.n;
    counts[row.kind] += row.n;
  }
  return counts;
}

/** The organisations that have links, by name: the partner filter's choices. */
export function partnersWithLinks(db: Db): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: partnerOrganisations.id, name: partnerOrganisations.name })
    .from(partnerOrganisations)
    .where(inArray(partnerOrganisations.id, db.selectDistinct({ id: trackingLinks.organisationId }).from(trackingLinks)))
    .orderBy(asc(partnerOrganisations.name));
}

const HISTORY_ACTIONS = ["link.issued", "link.created", "link.disabled", "link.enabled"] as const;
export type LinkHistoryAction = (typeof HISTORY_ACTIONS)[number];
export type LinkHistoryEntry = { id: number; occurredAt: Date; action: LinkHistoryAction; who: string; reason: string | null };

/** How a link came to be as it is, newest first, read from the audit trail: made, then each disable and enable with its reason. */
export async function linkHistory(db: Db, linkId: string, limit = 50): Promise<LinkHistoryEntry[]> {
  const rows = await db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      action: auditEvents.action,
      actorLabel: auditEvents.actorLabel,
      actorName: users.name,
      data: auditEvents.data,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(and(eq(auditEvents.subjectType, "tracking_link"), eq(auditEvents.subjectId, linkId), inArray(auditEvents.action, [...HISTORY_ACTIONS])))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    occurredAt: row.occurredAt,
    action: row.action as LinkHistoryAction,
    who: row.actorName ?? row.actorLabel,
    reason: typeof row.data.reason === "string" ? row.data.reason : null,
  }));
}

/** Why the newest approval of a creative issued no link (the `link.not_issued` event), or null when none was refused. */
export async function linkNotIssuedReason(db: Db, creativeId: string): Promise<{ version: number | null; reason: string; at: Date } | null> {
  const [row] = await db
    .select({ data: auditEvents.data, occurredAt: auditEvents.occurredAt })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "link.not_issued"), eq(auditEvents.subjectType, "creative"), eq(auditEvents.subjectId, creativeId)))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  if (!row) return null;
  return {
    version: typeof row.data.version === "number" ? row.data.version : null,
    reason: typeof row.data.reason === "string" ? row.data.reason : "No reason was recorded.",
    at: row.occurredAt,
  };
}

/** When the link settings were last saved and by whom; null while the defaults apply. */
export async function linkSettingsSavedBy(db: Db): Promise<{ at: Date; by: string | null } | null> {
  const [row] = await db
    .select({ at: linkSettings.updatedAt, by: users.name })
    .from(linkSettings)
    .leftJoin(users, eq(users.id, linkSettings.updatedById))
    .where(eq(linkSettings.id, true));
  return row ?? null;
}

export type CreativeLinkState =
  | { link: { id: string; code: string; status: LinkStatus; fallbackReason: FallbackReason | null; clicks: number }; refusal: null }
  | { link: null; refusal: NonNullable<Awaited<ReturnType<typeof linkNotIssuedReason>>> };

/** The creative review page's card: the creative's link and where it sends visitors now, or why none was issued; null before any approval. */
export async function creativeLinkState(db: Db, creativeId: string, now: Date): Promise<CreativeLinkState | null> {
  const issued = await linkOfCreative(db, creativeId);
  if (!issued) {
    const refusal = await linkNotIssuedReason(db, creativeId);
    return refusal ? { link: null, refusal } : null;
  }
  const detail = await linkDetail(db, issued.id, now);
  return {
    link: { id: detail.id, code: detail.code, status: detail.status, fallbackReason: detail.fallbackReason, clicks: detail.clicks.total },
    refusal: null,
  };
}
