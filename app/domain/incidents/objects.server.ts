import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { conversions, creatives, creativeVersions, trackingLinks } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { INCIDENT_OBJECT_LABELS, type IncidentObjectKind } from "./catalog";

// The objects an incident can be about: a submitted creative version, a
// tracking link, a conversion. Each is read with the partner it belongs to,
// so the domain can refuse another partner's object, and with a label and
// the admin page it opens.

export type IncidentObject = {
  kind: IncidentObjectKind;
  id: string;
  organisationId: string | null;
  label: string;
  path: string;
};

/** The objects of `kind` with these ids, as the incident pages name them; missing ones are left out. */
export async function describeObjects(db: Db, kind: IncidentObjectKind, ids: readonly string[]): Promise<IncidentObject[]> {
  if (!ids.length) return [];
  const list = [...ids];
  if (kind === "creative_version") {
    const rows = await db
      .select({
        id: creativeVersions.id,
        number: creativeVersions.number,
        title: creativeVersions.title,
        creativeId: creatives.id,
        org: creatives.organisationId,
      })
      .from(creativeVersions)
      .innerJoin(creatives, eq(creatives.id, creativeVersions.creativeId))
      .where(inArray(creativeVersions.id, list));
    return rows.map((r) => ({ kind, id: r.id, organisationId: r.org, label: `${r.title}, version ${r.number}`, path: `/admin/creatives/${r.creativeId}` }));
  }
  if (kind === "link") {
    const rows = await db
      .select({ id: trackingLinks.id, label: trackingLinks.label, code: trackingLinks.code, org: trackingLinks.organisationId })
      .from(trackingLinks)
      .where(inArray(trackingLinks.id, list));
    return rows.map((r) => ({ kind, id: r.id, organisationId: r.org, label: `${r.label} (${r.code})`, path: `/admin/links/${r.id}` }));
  }
  const rows = await db
    .select({ id: conversions.id, orderId: conversions.orderId, org: conversions.organisationId })
    .from(conversions)
    .where(inArray(conversions.id, list));
  return rows.map((r) => ({ kind, id: r.id, organisationId: r.org, label: `Order ${r.orderId}`, path: `/admin/conversions/${r.id}` }));
}

export async function describeObject(db: Db, kind: IncidentObjectKind, id: string): Promise<IncidentObject | null> {
  const [found] = await describeObjects(db, kind, [id]);
  return found ?? null;
}

/** How a refusal names an object kind in a sentence. */
export const objectNoun = (kind: IncidentObjectKind) => INCIDENT_OBJECT_LABELS[kind].toLowerCase();

const CHOICES_PER_KIND = 50;

/** What the "link an object" picker offers for one partner: its newest creative versions, links and attributed conversions. */
export async function objectChoices(db: Db, organisationId: string): Promise<Record<IncidentObjectKind, { id: string; label: string }[]>> {
  const [versions, links, sales] = await Promise.all([
    db
      .select({ id: creativeVersions.id, number: creativeVersions.number, title: creativeVersions.title })
      .from(creativeVersions)
      .innerJoin(creatives, eq(creatives.id, creativeVersions.creativeId))
      .where(eq(creatives.organisationId, organisationId))
      .orderBy(desc(creativeVersions.submittedAt))
      .limit(CHOICES_PER_KIND),
    db
      .select({ id: trackingLinks.id, label: trackingLinks.label, code: trackingLinks.code })
      .from(trackingLinks)
      .where(eq(trackingLinks.organisationId, organisationId))
      .orderBy(desc(trackingLinks.createdAt))
      .limit(CHOICES_PER_KIND),
    db
      .select({ id: conversions.id, orderId: conversions.orderId })
      .from(conversions)
      .where(and(eq(conversions.organisationId, organisationId), isNotNull(conversions.organisationId)))
      .orderBy(desc(conversions.occurredAt))
      .limit(CHOICES_PER_KIND),
  ]);
  return {
    creative_version: versions.map((v) => ({ id: v.id, label: `${v.title}, version ${v.number}` })),
    link: links.map((l) => ({ id: l.id, label: `${l.label} (${l.code})` })),
    conversion: sales.map((c) => ({ id: c.id, label: `Order ${c.orderId}` })),
  };
}
