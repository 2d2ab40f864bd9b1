import { and, asc, desc, eq, ilike, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { auditEvents, claims, partnerOrganisations, users, type Claim } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { toCsv } from "~/lib/csv.server";
import { labelOf } from "../applications/catalog";
import { containsPattern, type Db, transaction } from "~/lib/db.server";
import { DomainError, NotFoundError } from "../errors";
import { assertNotAuthor } from "../separation-of-duties.server";
import type { ClaimStatus } from "./catalog";
import type { ClaimInput, PartnerClaimFilters } from "./schemas.server";

/** The day of `now` (the context's clock) as YYYY-MM-DD in UTC, the calendar dates claims carry. */
export const todayIso = (now: Date) => now.toISOString().slice(0, 10);

async function assertInternalOwner(tx: Db, ownerId: string): Promise<void> {
  const [owner] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, ownerId), ne(users.role, "partner"), eq(users.status, "active")));
  if (!owner) throw new DomainError("Choose the owner from the list.", { field: "ownerId" });
}

const columnsOf = (input: ClaimInput) => ({
  text: input.text,
  disclaimers: input.disclaimers,
  category: input.category,
  channels: input.channels,
  regions: input.regions,
  substantiation: input.substantiation,
  ownerId: input.ownerId,
  reviewBy: input.reviewBy,
  expiresOn: input.expiresOn,
});

/** A new claim starts as a draft; only a legal reviewer's approval shows it to partners. */
export async function createClaim(ctx: AppContext, actor: Actor & { id: string }, input: ClaimInput): Promise<{ id: string }> {
  return transaction(ctx.db, async (tx) => {
    await assertInternalOwner(tx, input.ownerId);
    const [row] = await tx
      .insert(claims)
      .values({ ...columnsOf(input), createdById: actor.id })
      .returning({ id: claims.id });
    await recordAudit(tx, {
      actor,
      action: "claim.created",
      subjectType: "claim",
      subjectId: row!.id,
      data: { text: input.text, category: input.category },
      at: ctx.clock.now(),
    });
    return row!;
  });
}

async function lockClaim(tx: Db, claimId: string): Promise<Claim> {
  const [claim] = await tx.select().from(claims).where(eq(claims.id, claimId)).for("update");
  if (!claim) throw new NotFoundError("Claim not found.");
  return claim;
}

/**
 * Edits a claim. Changing an approved claim sends it back to draft: partners
 * stop seeing it until a legal reviewer approves the new wording.
 */
export async function updateClaim(ctx: AppContext, actor: Actor, claimId: string, input: ClaimInput): Promise<{ backToDraft: boolean }> {
  return transaction(ctx.db, async (tx) => {
    const claim = await lockClaim(tx, claimId);
    if (claim.status === "retired") throw new DomainError("A retired claim cannot change. Write a new claim instead.", { kind: "conflict" });
    await assertInternalOwner(tx, input.ownerId);
    const backToDraft = claim.status === "approved";
    await tx
      .update(claims)
      .set({ ...columnsOf(input), ...(backToDraft ? { status: "draft" as const, approvedById: null, approvedAt: null } : {}) })
      .where(eq(claims.id, claimId));
    const changed = (Object.keys(columnsOf(input)) as (keyof ReturnType<typeof columnsOf>)[]).filter(
      (key) => JSON.stringify(claim[key]) !== JSON.stringify(columnsOf(input)[key]),
    );
    await recordAudit(tx, { actor, action: "claim.updated", subjectType: "claim", subjectId: claimId, data: { changed, backToDraft }, at: ctx.clock.now() });
    return { backToDraft };
  });
}

/** What partners are shown of a claim: a change to any of these makes its editor the draft's author. */
const DRAFT_CONTENT_FIELDS = ["text", "disclaimers", "category", "channels", "regions", "expiresOn"] as const;

export const OWN_DRAFT_MESSAGE = "You wrote this draft; another legal reviewer must approve it.";

/**
 * Who wrote the wording an approval would publish: the actor of the claim's
 * last creation or content edit, read from its audit trail (written in the
 * same transaction as each edit, so it cannot lag behind the row). An edit of
 * only internal fields (owner, review date, substantiation) does not make
 * someone the author. Falls back to the claim's creator.
 */
async function draftAuthorOf(db: Db, claim: Pick<Claim, "id" | "createdById">): Promise<string | null> {
  const [last] = await db
    .select({ actorId: auditEvents.actorId })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.subjectType, "claim"),
        eq(auditEvents.subjectId, claim.id),
        or(
          eq(auditEvents.action, "claim.created"),
          and(eq(auditEvents.action, "claim.updated"), sql`jsonb_exists_any(${auditEvents.data}->'changed', ${textArray([...DRAFT_CONTENT_FIELDS])})`),
        ),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return last?.actorId ?? claim.createdById;
}

/**
 * A legal reviewer approves a draft, unless they wrote it (separation of
 * duties); an already expired claim cannot be approved.
 */
export async function approveClaim(ctx: AppContext, actor: Actor & { id: string }, claimId: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const claim = await lockClaim(tx, claimId);
    if (claim.status !== "draft")
      throw new DomainError(claim.status === "approved" ? "This claim is already approved." : "A retired claim cannot be approved.", { kind: "conflict" });
    // Read under the claim's lock: an edit committed before it is seen, a later one waits.
    assertNotAuthor(await draftAuthorOf(tx, claim), actor.id, OWN_DRAFT_MESSAGE);
    if (claim.expiresOn && claim.expiresOn < todayIso(now))
      throw new DomainError("This claim has expired. Change its expiry date before approving it.", { kind: "conflict" });
    await tx.update(claims).set({ status: "approved", approvedById: actor.id, approvedAt: now }).where(eq(claims.id, claimId));
    await recordAudit(tx, { actor, action: "claim.approved", subjectType: "claim", subjectId: claimId, data: { text: claim.text }, at: now });
  });
}

/** Retired claims disappear for partners and stay on record. */
export async function retireClaim(ctx: AppContext, actor: Actor, claimId: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const claim = await lockClaim(tx, claimId);
    if (claim.status === "retired") throw new DomainError("This claim is already retired.", { kind: "conflict" });
    const now = ctx.clock.now();
    await tx.update(claims).set({ status: "retired", retiredAt: now }).where(eq(claims.id, claimId));
    await recordAudit(tx, { actor, action: "claim.retired", subjectType: "claim", subjectId: claimId, data: { from: claim.status }, at: now });
  });
}

export type AdminClaimFilters = { status: ClaimStatus | "all"; q?: string | undefined };

/** The brand team's list, with the owner's name; everything internal is theirs to see. */
export async function listClaimsForTeam(db: Db, filters: AdminClaimFilters) {
  const conditions: SQL[] = [];
  if (filters.status !== "all") conditions.push(eq(claims.status, filters.status));
  if (filters.q) conditions.push(or(ilike(claims.text, containsPattern(filters.q)), ilike(claims.category, containsPattern(filters.q)))!);
  return db
    .select({
      id: claims.id,
      text: claims.text,
      category: claims.category,
      channels: claims.channels,
      status: claims.status,
      reviewBy: claims.reviewBy,
      expiresOn: claims.expiresOn,
      ownerName: users.name,
    })
    .from(claims)
    .leftJoin(users, eq(users.id, claims.ownerId))
    .where(and(...conditions))
    .orderBy(sql`case ${claims.status} when 'draft' then 0 when 'approved' then 1 else 2 end`, asc(claims.reviewBy), desc(claims.updatedAt))
    .limit(500);
}

export async function countClaimsByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: claims.status, n: sql<number>`count(*)::int` })
    .from(claims)
    .groupBy(claims.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function getClaimForTeam(db: Db, claimId: string) {
  const approver = alias(users, "approver");
  const [row] = await db
    .select({ claim: claims, ownerName: users.name, approverName: approver.name })
    .from(claims)
    .leftJoin(users, eq(users.id, claims.ownerId))
    .leftJoin(approver, eq(approver.id, claims.approvedById))
    .where(eq(claims.id, claimId));
  if (!row) return null;
  const draftAuthorId = row.claim.status === "draft" ? await draftAuthorOf(db, row.claim) : null;
  const history = await db
    .select({ occurredAt: auditEvents.occurredAt, action: auditEvents.action, actorLabel: auditEvents.actorLabel })
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, "claim"), eq(auditEvents.subjectId, claimId)))
    .orderBy(desc(auditEvents.occurredAt))
    .limit(50);
  return { ...row, draftAuthorId, history };
}

/** Active internal users who can own a claim. */
export async function listClaimOwners(db: Db) {
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(ne(users.role, "partner"), eq(users.status, "active")))
    .orderBy(asc(users.name));
}

/** A text[] literal of bound parameters, for the && (overlaps) operator. */
const textArray = (values: string[]) =>
  sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/** The fields a partner may see of a claim: never the substantiation, the owner or who approved it. */
const PARTNER_FIELDS = {
  id: claims.id,
  text: claims.text,
  disclaimers: claims.disclaimers,
  category: claims.category,
  channels: claims.channels,
  regions: claims.regions,
  expiresOn: claims.expiresOn,
};

/**
 * Approved, unexpired claims allowed in at least one of the organisation's
 * channels and regions, filtered as the partner asks. The organisation is
 * always the session's. Expiry is judged by the context's clock.
 */
export async function listClaimsForPartner({ db, clock }: Pick<AppContext, "db" | "clock">, partnerOrgId: string, filters: PartnerClaimFilters = {}) {
  const [org] = await db
    .select({ channels: partnerOrganisations.channels, regions: partnerOrganisations.regions })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.id, partnerOrgId));
  if (!org) throw new NotFoundError("Partner organisation not found.");
  const channels = filters.channel ? org.channels.filter((c) => c === filters.channel) : org.channels;
  const regions = filters.region ? org.regions.filter((r) => r === filters.region) : org.regions;
  if (!channels.length || !regions.length) return { claims: [], organisation: org };
  const conditions: SQL[] = [
    eq(claims.status, "approved"),
    or(isNull(claims.expiresOn), sql`${claims.expiresOn} >= ${todayIso(clock.now())}`)!,
    sql`${claims.channels} && ${textArray(channels)}`,
    sql`${claims.regions} && ${textArray(regions)}`,
  ];
  if (filters.category) conditions.push(eq(claims.category, filters.category));
  if (filters.q)
    conditions.push(or(ilike(claims.text, containsPattern(filters.q)), sql`array_to_string(${claims.disclaimers}, ' ') ilike ${containsPattern(filters.q)}`)!);
  const rows = await db
    .select(PARTNER_FIELDS)
    .from(claims)
    .where(and(...conditions))
    .orderBy(asc(claims.category), asc(claims.text));
  return { claims: rows, organisation: org };
}

/** Categories in use, suggested when the team writes a claim. */
export async function listClaimCategories(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ category: claims.category }).from(claims).orderBy(asc(claims.category));
  return rows.map((r) => r.category);
}

/** The partner's claims sheet as CSV (the claims library download and the kits' claims sheet). */
export function claimsSheetCsv(
  rows: { text: string; disclaimers: string[]; category: string; channels: string[]; regions: string[]; expiresOn: string | null }[],
): string {
  return toCsv([
    ["Claim", "Required disclaimers", "Category", "Channels", "Regions", "Expires on"],
    ...rows.map((c) => [
      c.text,
      c.disclaimers.join("\n"),
      c.category,
      c.channels.map(labelOf).join(", "),
      c.regions.map(labelOf).join(", "),
      c.expiresOn ?? "",
    ]),
  ]);
}
