import { and, arrayContains, asc, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { applications, assetDownloads, partnerOrganisations, policies, policyAcceptances, policyVersions, users } from "#db/schema/index";
import { containsPattern, rowsOf, type Db } from "~/lib/db.server";
import { toCsv } from "~/lib/csv.server";
import { labelOf } from "../applications/catalog";
import { listDownloads } from "../assets/download-log.server";
import { paginate } from "../pagination.server";
import { describeTerms, partnerStatusLabel, tierLabel } from "./catalog";
import type { DirectoryFilters } from "./schemas.server";

export const DIRECTORY_PAGE_SIZE = 25;
/** The most rows one CSV export holds: far more than any program has partners. */
const EXPORT_LIMIT = 100_000;

function whereOf(filters: DirectoryFilters): SQL | undefined {
  const pattern = filters.q ? containsPattern(filters.q) : null;
  return and(
    pattern
      ? or(ilike(partnerOrganisations.name, pattern), ilike(partnerOrganisations.slug, pattern), ilike(partnerOrganisations.website, pattern))
      : undefined,
    filters.status ? eq(partnerOrganisations.status, filters.status) : undefined,
    filters.tier ? eq(partnerOrganisations.tier, filters.tier) : undefined,
    filters.type ? eq(partnerOrganisations.partnerType, filters.type) : undefined,
    filters.region ? arrayContains(partnerOrganisations.regions, [filters.region]) : undefined,
  );
}

/**
 * The sort order. "Tier" follows the program's own tier list (strategic
 * first by default), not the alphabet; tiers no longer listed come last.
 * Name breaks ties and the id makes paging stable.
 */
function orderOf(filters: DirectoryFilters, tiers: readonly string[]): SQL[] {
  const byName = [asc(sql`lower(${partnerOrganisations.name})`), asc(partnerOrganisations.id)];
  if (filters.sort === "newest") return [desc(partnerOrganisations.createdAt), asc(partnerOrganisations.id)];
  // The stored score (decision 026); partners not scored come last either way.
  if (filters.sort === "health") return [sql`${partnerOrganisations.healthScore} desc nulls last`, ...byName];
  if (filters.sort === "health_low") return [sql`${partnerOrganisations.healthScore} asc nulls last`, ...byName];
  if (filters.sort === "tier" && tiers.length > 0) {
    // Positions are our own integers, so they go in as literals, not text parameters.
    const rank = sql`case ${sql.join(
      tiers.map((tier, i) => sql`when ${partnerOrganisations.tier} = ${tier} then ${sql.raw(String(i))}`),
      sql` `,
    )} else ${sql.raw(String(tiers.length))} end`;
    return [asc(rank), ...byName];
  }
  return byName;
}

// Spelled out with an alias: drizzle leaves columns unqualified in a single-table select, and an
// unqualified "id" inside this subquery would be the user's, not the organisation's.
const activeMembers = sql<number>`(select count(*)::int from ${users} u where u.partner_org_id = ${partnerOrganisations}.id and u.status = 'active')`;

const directoryColumns = {
  id: partnerOrganisations.id,
  name: partnerOrganisations.name,
  slug: partnerOrganisations.slug,
  status: partnerOrganisations.status,
  tier: partnerOrganisations.tier,
  partnerType: partnerOrganisations.partnerType,
  regions: partnerOrganisations.regions,
  channels: partnerOrganisations.channels,
  website: partnerOrganisations.website,
  commercialModel: partnerOrganisations.commercialModel,
  rateBasisPoints: partnerOrganisations.rateBasisPoints,
  amountMinor: partnerOrganisations.amountMinor,
  currency: partnerOrganisations.currency,
  renewalDate: partnerOrganisations.renewalDate,
  createdAt: partnerOrganisations.createdAt,
  activatedAt: partnerOrganisations.activatedAt,
  healthScore: partnerOrganisations.healthScore,
  members: activeMembers,
};

/** One page of the directory. `tiers` is the program's tier list, for the tier sort. */
export function listPartners(db: Db, filters: DirectoryFilters, page: number, tiers: readonly string[]) {
  const where = whereOf(filters);
  return paginate(
    page,
    DIRECTORY_PAGE_SIZE,
    (limit, offset) =>
      db
        .select(directoryColumns)
        .from(partnerOrganisations)
        .where(where)
        .orderBy(...orderOf(filters, tiers))
        .limit(limit)
        .offset(offset),
    () =>
      db
        .select({ n: sql<number>`count(*)::int` })
        .from(partnerOrganisations)
        .where(where),
  );
}

type DirectoryRow = Awaited<ReturnType<typeof listPartners>>["rows"][number];

/** The directory as filtered and sorted on screen, every page of it, as CSV (formula-like cells neutralised). */
export async function partnerDirectoryCsv(db: Db, filters: DirectoryFilters, tiers: readonly string[]): Promise<{ csv: string; count: number }> {
  const rows: DirectoryRow[] = await db
    .select(directoryColumns)
    .from(partnerOrganisations)
    .where(whereOf(filters))
    .orderBy(...orderOf(filters, tiers))
    .limit(EXPORT_LIMIT);
  const csv = toCsv([
    [
      "Name",
      "Slug",
      "Status",
      "Tier",
      "Type",
      "Regions",
      "Channels",
      "Website",
      "Terms",
      "Renewal date",
      "Active members",
      "Created (UTC)",
      "Active since (UTC)",
      "Health score",
    ],
    ...rows.map((r) => [
      r.name,
      r.slug,
      partnerStatusLabel(r.status),
      tierLabel(r.tier),
      r.partnerType ? labelOf(r.partnerType) : "",
      r.regions.map(labelOf).join("; "),
      r.channels.map(labelOf).join("; "),
      r.website,
      describeTerms(r),
      r.renewalDate,
      r.members,
      r.createdAt.toISOString(),
      r.activatedAt?.toISOString() ?? "",
      r.healthScore,
    ]),
  ]);
  return { csv, count: rows.length };
}

/** The tiers partners actually have, for the filter (the program's list plus any tier since removed from it). */
export async function tiersInUse(db: Db, programTiers: readonly string[]): Promise<string[]> {
  const rows = await db.selectDistinct({ tier: partnerOrganisations.tier }).from(partnerOrganisations);
  const extra = rows
    .map((r) => r.tier)
    .filter((t) => !programTiers.includes(t))
    .sort();
  return [...programTiers, ...extra];
}

export type PolicyAcceptanceState = { policyId: string; title: string; number: number; members: number; accepted: number };

/**
 * Per required policy, how many of the organisation's active members accepted
 * its current version. Covered, as on the coverage page, means all of them.
 */
async function requiredPolicyAcceptance(db: Db, partnerOrgId: string): Promise<PolicyAcceptanceState[]> {
  const rows = rowsOf<PolicyAcceptanceState>(
    await db.execute(sql`
      with current_versions as (
        select distinct on (v.policy_id) v.policy_id, v.id, v.number
        from ${policyVersions} v
        where v.status = 'published'
        order by v.policy_id, v.number desc
      ),
      members as (
        select u.id from ${users} u where u.partner_org_id = ${partnerOrgId} and u.role = 'partner' and u.status = 'active'
      )
      select p.id as "policyId", p.title, c.number,
             (select count(*)::int from members) as members,
             (select count(*)::int from members m join ${policyAcceptances} a on a.user_id = m.id and a.policy_version_id = c.id) as accepted
      from ${policies} p
      join current_versions c on c.policy_id = p.id
      where p.required
      order by p.created_at asc, p.title asc
    `),
  );
  return rows.map((r) => ({ ...r, number: Number(r.number), members: Number(r.members), accepted: Number(r.accepted) }));
}

export const RECENT_DOWNLOADS = 5;

/** Everything the partner page shows, or null for an unknown id. */
export async function getPartnerProfile(db: Db, partnerOrgId: string) {
  const [organisation] = await db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, partnerOrgId));
  if (!organisation) return null;
  const [application, members, policyAcceptance, downloads, [downloadTotal]] = await Promise.all([
    db
      .select({
        id: applications.id,
        reference: applications.reference,
        company: applications.company,
        contactName: applications.contactName,
        email: applications.email,
        website: applications.website,
        partnerType: applications.partnerType,
        channels: applications.channels,
        regions: applications.regions,
        audienceSize: applications.audienceSize,
        audienceDescription: applications.audienceDescription,
        submittedAt: applications.submittedAt,
        decidedAt: applications.decidedAt,
      })
      .from(applications)
      .where(eq(applications.partnerOrgId, partnerOrgId))
      .orderBy(desc(applications.decidedAt))
      .limit(1)
      .then((r) => r[0] ?? null),
    db
      .select({ id: users.id, name: users.name, email: users.email, partnerRole: users.partnerRole, status: users.status, lastLoginAt: users.lastLoginAt })
      .from(users)
      .where(eq(users.partnerOrgId, partnerOrgId))
      // The owner first, then members by name; removed members last.
      .orderBy(asc(users.status), sql`case ${users.partnerRole} when 'owner' then 0 else 1 end`, asc(users.name)),
    requiredPolicyAcceptance(db, partnerOrgId),
    listDownloads(db, { partnerOrgId }, RECENT_DOWNLOADS),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(assetDownloads)
      .where(eq(assetDownloads.partnerOrgId, partnerOrgId)),
  ]);
  return { organisation, application, members, policyAcceptance, downloads, downloadTotal: Number(downloadTotal?.n ?? 0) };
}
