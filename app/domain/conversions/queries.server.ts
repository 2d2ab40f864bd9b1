import { and, asc, count, desc, eq, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import {
  apiKeys,
  conversionRefunds,
  conversions,
  coupons,
  creatives,
  creativeVersions,
  partnerOrganisations,
  trackingLinks,
  type AttributionNote,
} from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { NotFoundError } from "../errors";
import { paginate, type Page } from "../pagination.server";
import { CONVERSIONS_PAGE_SIZE, type AttributedBy } from "./catalog";
import type { ConversionFilters } from "./schemas.server";

// What the brand team's conversion pages read: the list with its filters,
// and one conversion with everything that explains it.

export type ConversionListRow = {
  id: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  occurredAt: Date;
  receivedAt: Date;
  isTest: boolean;
  attributedBy: AttributedBy;
  organisationId: string | null;
  partnerName: string | null;
  linkId: string | null;
  linkCode: string | null;
  couponCode: string | null;
  commissionMinor: number;
  refundedMinor: number;
  notes: number;
};

function whereOf(filters: ConversionFilters): SQL | undefined {
  return and(
    filters.attributedBy ? eq(conversions.attributedBy, filters.attributedBy) : undefined,
    filters.partner ? eq(conversions.organisationId, filters.partner) : undefined,
    filters.test === "only" ? eq(conversions.isTest, true) : filters.test === "exclude" ? eq(conversions.isTest, false) : undefined,
    filters.currency ? eq(conversions.currency, filters.currency) : undefined,
  );
}

/** One page of conversions, the latest received first, with the filters applied. */
export async function listConversions(db: Db, filters: ConversionFilters, page: number): Promise<Page<ConversionListRow>> {
  const where = whereOf(filters);
  const result = await paginate(
    page,
    CONVERSIONS_PAGE_SIZE,
    (limit, offset) =>
      db
        .select({
          id: conversions.id,
          orderId: conversions.orderId,
          amountMinor: conversions.amountMinor,
          currency: conversions.currency,
          occurredAt: conversions.occurredAt,
          receivedAt: conversions.receivedAt,
          isTest: conversions.isTest,
          attributedBy: conversions.attributedBy,
          organisationId: conversions.organisationId,
          partnerName: partnerOrganisations.name,
          linkId: conversions.linkId,
          linkCode: trackingLinks.code,
          couponCode: coupons.code,
          commissionMinor: conversions.commissionMinor,
          refundedMinor: conversions.refundedMinor,
          notes: sql<number>`jsonb_array_length(${conversions.attributionNote})`,
        })
        .from(conversions)
        .leftJoin(partnerOrganisations, eq(partnerOrganisations.id, conversions.organisationId))
        .leftJoin(trackingLinks, eq(trackingLinks.id, conversions.linkId))
        .leftJoin(coupons, eq(coupons.id, conversions.couponId))
        .where(where)
        .orderBy(desc(conversions.receivedAt), desc(conversions.id))
        .limit(limit)
        .offset(offset),
    () => db.select({ n: count() }).from(conversions).where(where),
  );
  return result;
}

/** The partners conversions were attributed to, by name: the list's partner filter. */
export function partnersWithConversions(db: Db): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: partnerOrganisations.id, name: partnerOrganisations.name })
    .from(partnerOrganisations)
    .where(
      inArray(partnerOrganisations.id, db.selectDistinct({ id: conversions.organisationId }).from(conversions).where(isNotNull(conversions.organisationId))),
    )
    .orderBy(asc(partnerOrganisations.name));
}

/** The currencies conversions came in: the list's currency filter. */
export async function conversionCurrencies(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ currency: conversions.currency }).from(conversions).orderBy(asc(conversions.currency));
  return rows.map((row) => row.currency);
}

export type ConversionDetail = Awaited<ReturnType<typeof conversionDetail>>;

/** One conversion with what explains it: the partner, link, creative and coupon it went to, its terms, its refunds, the key it came with. */
export async function conversionDetail(db: Db, conversionId: string) {
  const [found] = await db
    .select({
      conversion: conversions,
      partner: { id: partnerOrganisations.id, name: partnerOrganisations.name, slug: partnerOrganisations.slug },
      link: { id: trackingLinks.id, code: trackingLinks.code, label: trackingLinks.label },
      creativeTitle: creatives.title,
      versionNumber: creativeVersions.number,
      coupon: { id: coupons.id, code: coupons.code },
      apiKeyName: apiKeys.name,
    })
    .from(conversions)
    .leftJoin(partnerOrganisations, eq(partnerOrganisations.id, conversions.organisationId))
    .leftJoin(trackingLinks, eq(trackingLinks.id, conversions.linkId))
    .leftJoin(creatives, eq(creatives.id, conversions.creativeId))
    .leftJoin(creativeVersions, eq(creativeVersions.id, conversions.creativeVersionId))
    .leftJoin(coupons, eq(coupons.id, conversions.couponId))
    .leftJoin(apiKeys, eq(apiKeys.id, conversions.apiKeyId))
    .where(eq(conversions.id, conversionId));
  if (!found) throw new NotFoundError("Conversion not found.");
  const row = found.conversion;
  // A refund per refund id, each at least one minor unit of the amount: a conversion has few.
  const refunds = await db
    .select({
      id: conversionRefunds.id,
      refundId: conversionRefunds.refundId,
      amountMinor: conversionRefunds.amountMinor,
      commissionReversedMinor: conversionRefunds.commissionReversedMinor,
      occurredAt: conversionRefunds.occurredAt,
      receivedAt: conversionRefunds.receivedAt,
      reason: conversionRefunds.reason,
    })
    .from(conversionRefunds)
    .where(eq(conversionRefunds.conversionId, row.id))
    .orderBy(asc(conversionRefunds.receivedAt), asc(conversionRefunds.id));
  return {
    conversion: row,
    partner: found.partner,
    link: found.link,
    creative: row.creativeId && found.creativeTitle !== null ? { id: row.creativeId, title: found.creativeTitle, versionNumber: found.versionNumber } : null,
    coupon: found.coupon,
    apiKeyName: found.apiKeyName,
    refunds,
    notePartners: await partnersNamedIn(db, row.attributionNote),
  };
}

/** The names of the partners the notes mention (a coupon that lost to a click), by id. */
async function partnersNamedIn(db: Db, notes: AttributionNote[]): Promise<Record<string, { name: string }>> {
  const ids = [...new Set(notes.flatMap((note) => (note.kind === "coupon_conflict" ? [note.couponOrganisationId] : [])))];
  if (!ids.length) return {};
  const rows = await db
    .select({ id: partnerOrganisations.id, name: partnerOrganisations.name })
    .from(partnerOrganisations)
    .where(inArray(partnerOrganisations.id, ids));
  return Object.fromEntries(rows.map((row) => [row.id, { name: row.name }]));
}
