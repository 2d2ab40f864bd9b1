import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import {
  apiKeys,
  conversionRefunds,
  conversions,
  coupons,
  partnerOrganisations,
  trackingLinks,
  type Conversion,
  type ConversionRefund,
} from "#db/schema/index";
import { canonicalJson, recordAudit, SYSTEM_ACTOR, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { formatMoney } from "~/lib/money";
import { DomainError, NotFoundError } from "../errors";
import type { ConversionInput, ConversionView, RefundInput, RefundView } from "./api-schemas.server";
import { attribute, type Attribution } from "./attribution.server";
import { FUTURE_TOLERANCE_MS } from "./catalog";
import { commissionFor, commissionToReverse, paysPerConversion } from "./commission.server";
import { addToRollup, ROLLUP_PLACEHOLDERS, rollupPlaceholderValues, rollupRowOf, rollupUpsertCtes, type RollupChange } from "./rollups.server";
import { preparedPerDb } from "./prepared.server";
import { getConversionSettings } from "./settings.server";
import { emitWebhookEvent } from "../webhooks/emit.server";

// Conversions and refunds posted by the brand's systems (issue 16). Each is
// written once, forever: the order id (and the refund id within its order)
// is unique in the database, and a repeat answers with what was written the
// first time. See docs/decisions/018-conversions.md.

export type ConversionOutcome = "created" | "repeat";

export type RecordConversionArgs = {
  input: ConversionInput;
  /** The API key the request came with (null for conversions written by the demo seed). */
  apiKeyId: string | null;
  /**
   * Writes the clicks this process holds in memory (the click recorder's
   * flush): a click id made seconds ago may not be in the table yet.
   */
  flushClicks?: () => Promise<void>;
};

export type RecordConversionResult = { outcome: ConversionOutcome; conversion: ConversionView };

export type RecordRefundArgs = { orderId: string; input: RefundInput; apiKeyId: string | null };

export type RecordRefundResult = { outcome: ConversionOutcome; refund: RefundView; conversion: ConversionView };

type PartnerRef = { id: string; slug: string; name: string };
type ConversionRefs = { partner: PartnerRef | null; linkCode: string | null; couponCode: string | null };

/** What a conversion.* webhook says about the conversion: no customer id, no metadata. */
function conversionEventOf(row: Conversion, partner: { id: string; name: string | null } | null): Record<string, unknown> {
  return {
    conversionId: row.id,
    orderId: row.orderId,
    partnerId: partner?.id ?? null,
    ...(partner?.name ? { partnerName: partner.name } : {}),
    amountMinor: row.amountMinor,
    currency: row.currency,
    commissionMinor: row.commissionMinor,
    attributedBy: row.attributedBy,
    test: row.isTest,
    occurredAt: row.occurredAt,
  };
}

/** The API's view of a conversion row (ConversionOutput in api-schemas.server.ts). */
function viewOf(row: Conversion, refs: ConversionRefs): ConversionView {
  return {
    id: row.id,
    orderId: row.orderId,
    amount: row.amountMinor,
    currency: row.currency,
    occurredAt: row.occurredAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    test: row.isTest,
    attribution: {
      attributedBy: row.attributedBy,
      partner: refs.partner,
      link: row.linkId && refs.linkCode ? { id: row.linkId, code: refs.linkCode } : null,
      creativeVersion: row.creativeVersionId && row.creativeId ? { id: row.creativeVersionId, creativeId: row.creativeId } : null,
      clickId: row.attributedClickId,
      coupon: refs.couponCode ? { code: refs.couponCode } : null,
      windowDays: row.attributionWindowDays,
      model: row.attributionModel,
      notes: row.attributionNote,
    },
    commission: {
      model: row.commissionModel,
      rateBasisPoints: row.commissionRateBasisPoints,
      amount: row.commissionMinor,
      currency: row.currency,
    },
    refunded: { amount: row.refundedMinor, commission: row.refundedCommissionMinor },
  };
}

function refundViewOf(refund: ConversionRefund, conversion: Conversion): RefundView {
  return {
    id: refund.id,
    refundId: refund.refundId,
    orderId: conversion.orderId,
    amount: refund.amountMinor,
    currency: conversion.currency,
    commissionReversed: refund.commissionReversedMinor,
    occurredAt: refund.occurredAt.toISOString(),
    receivedAt: refund.receivedAt.toISOString(),
    reason: refund.reason,
  };
}

/** A conversion with what its view names (partner, link, coupon): the query, its rows still to be chosen. */
function conversionWithRefs(db: Db) {
  return db
    .select({
      conversion: conversions,
      partnerSlug: partnerOrganisations.slug,
      partnerName: partnerOrganisations.name,
      linkCode: trackingLinks.code,
      couponCode: coupons.code,
    })
    .from(conversions)
    .leftJoin(partnerOrganisations, eq(partnerOrganisations.id, conversions.organisationId))
    .leftJoin(trackingLinks, eq(trackingLinks.id, conversions.linkId))
    .leftJoin(coupons, eq(coupons.id, conversions.couponId))
    .$dynamic();
}

type StoredConversion = { row: Conversion; view: ConversionView };

/** A stored conversion with what its view names (partner, link, coupon). */
async function storedConversion(db: Db, where: SQL): Promise<StoredConversion | null> {
  const [found] = await conversionWithRefs(db).where(where);
  return found ? storedOf(found) : null;
}

// Every post asks first whether its order id is recorded: prepared (prepared.server.ts).
const conversionOfOrder = preparedPerDb((db) =>
  conversionWithRefs(db)
    .where(eq(conversions.orderId, sql.placeholder("orderId")))
    .prepare("conversion_of_order"),
);

/** The stored conversion of an order id. */
async function storedConversionOfOrder(db: Db, orderId: string): Promise<StoredConversion | null> {
  const [found] = await conversionOfOrder(db).execute({ orderId });
  return found ? storedOf(found) : null;
}

function storedOf(found: {
  conversion: Conversion;
  partnerSlug: string | null;
  partnerName: string | null;
  linkCode: string | null;
  couponCode: string | null;
}): StoredConversion {
  const row = found.conversion;
  const partner = row.organisationId && found.partnerSlug !== null ? { id: row.organisationId, slug: found.partnerSlug, name: found.partnerName! } : null;
  return { row, view: viewOf(row, { partner, linkCode: found.linkCode, couponCode: found.couponCode }) };
}

/** The conversion of this order id as the API answers it, or null. */
export async function conversionByOrderId(db: Db, orderId: string): Promise<ConversionView | null> {
  return (await storedConversionOfOrder(db, orderId))?.view ?? null;
}

/** The request's fields that differ from what was first recorded for its order id, in the API's names. */
function differingFields(row: Conversion, input: ConversionInput): string[] {
  const differs: Record<string, boolean> = {
    amount: row.amountMinor !== input.amount,
    currency: row.currency !== input.currency,
    // The same instant, however it was written (a time zone offset, or milliseconds left out).
    occurredAt: row.occurredAt.getTime() !== input.occurredAt.getTime(),
    clickId: row.clickId !== (input.clickId ?? null),
    couponCode: row.couponCode !== (input.couponCode ?? null),
    customerId: row.customerId !== (input.customerId ?? null),
    // Key order is not a difference: both sides as canonical JSON.
    metadata: canonicalJson(row.metadata ?? null) !== canonicalJson(input.metadata ?? null),
    test: row.isTest !== input.test,
  };
  return Object.keys(differs).filter((field) => differs[field]);
}

/** The first result again, or a conflict naming every field that differs from it. */
function repeatOf(stored: StoredConversion, input: ConversionInput): RecordConversionResult {
  const fields = differingFields(stored.row, input);
  if (fields.length) {
    throw new DomainError(
      `Order ${input.orderId} was already recorded with a different ${wordList(fields)}. A conversion is counted once per order id: send the first body again to repeat it, or use a new order id for a new order.`,
      { kind: "conflict", field: fields[0], fields },
    );
  }
  return { outcome: "repeat", conversion: stored.view };
}

const wordList = (words: readonly string[]) => (words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`);

/** Who wrote it, for the audit trail: the API key by its name (never its secret), or the system. */
async function apiKeyActor(db: Db, apiKeyId: string | null): Promise<Actor> {
  if (!apiKeyId) return SYSTEM_ACTOR;
  const [key] = await db.select({ name: apiKeys.name, prefix: apiKeys.prefix }).from(apiKeys).where(eq(apiKeys.id, apiKeyId));
  return { id: null, label: key ? `API key ${key.name} (${key.prefix}…)` : "API key" };
}

function refuseFutureTime(at: Date, now: Date, field: string): void {
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new DomainError(
      `${field} is more than ${FUTURE_TOLERANCE_MS / 60_000} minutes in the future (${at.toISOString()}; it is ${now.toISOString()} here).`,
      {
        field,
      },
    );
  }
}

const termsOfPartner = preparedPerDb((db) =>
  db
    .select({
      id: partnerOrganisations.id,
      slug: partnerOrganisations.slug,
      name: partnerOrganisations.name,
      commercialModel: partnerOrganisations.commercialModel,
      rateBasisPoints: partnerOrganisations.rateBasisPoints,
    })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.id, sql.placeholder("organisationId")))
    .prepare("partner_terms"),
);

/** The attributed partner's identity and terms now: the terms the conversion is paid under. */
async function partnerTerms(db: Db, organisationId: string) {
  const [org] = await termsOfPartner(db).execute({ organisationId });
  if (!org) throw new Error(`The organisation ${organisationId} of an attribution does not exist.`);
  return org;
}

/**
 * "Tracking validated" (issue 16 §9): the first test conversion attributed to
 * a test click of the partner's own link proves the whole path, from the
 * short link through the brand's checkout to this API. Set once, audited.
 */
async function markTrackingValidated(tx: Db, conversion: Conversion, attribution: Attribution, actor: Actor): Promise<void> {
  const [validated] = await tx
    .update(partnerOrganisations)
    .set({ trackingValidatedAt: conversion.receivedAt })
    .where(and(eq(partnerOrganisations.id, conversion.organisationId!), isNull(partnerOrganisations.trackingValidatedAt)))
    .returning({ id: partnerOrganisations.id });
  if (!validated) return;
  await recordAudit(tx, {
    actor,
    action: "partner.tracking_validated",
    subjectType: "partner_organisation",
    subjectId: validated.id,
    partnerOrgId: validated.id,
    data: { orderId: conversion.orderId, clickId: attribution.click!.clickId, link: attribution.link!.code },
    at: conversion.receivedAt,
  });
}

/**
 * Records a conversion, exactly once per order id, forever. A repeat of the
 * same body answers "repeat" with the conversion as it stands; a different
 * body for a recorded order id is a conflict naming each differing field.
 * Attribution and commission are decided before the write and stored with
 * it; the insert itself (ON CONFLICT DO NOTHING on the unique order id)
 * decides which of concurrent identical requests creates it, and only that
 * one adds to the daily rollup, in the same statement (insertConversion).
 */
export async function recordConversion(ctx: AppContext, args: RecordConversionArgs): Promise<RecordConversionResult> {
  const { input } = args;
  const now = ctx.clock.now();
  refuseFutureTime(input.occurredAt, now, "occurredAt");
  // Most repeats are retries of a recorded order: answered without attributing again.
  const recorded = await storedConversionOfOrder(ctx.db, input.orderId);
  if (recorded) return repeatOf(recorded, input);

  const settings = await getConversionSettings(ctx.db);
  const attribution = await attribute(ctx.db, input, { settings, now, flushClicks: args.flushClicks });
  const partner = attribution.organisationId ? await partnerTerms(ctx.db, attribution.organisationId) : null;
  const ratePaid = partner !== null && paysPerConversion(partner.commercialModel);
  // Test conversions are never paid: their commission is nought whatever the terms.
  const commissionMinor = partner && !input.test ? commissionFor(partner, input.amount) : 0;

  const values: ConversionValues = {
    orderId: input.orderId,
    amountMinor: input.amount,
    currency: input.currency,
    occurredAt: input.occurredAt,
    receivedAt: now,
    clickId: input.clickId ?? null,
    couponCode: input.couponCode ?? null,
    customerId: input.customerId ?? null,
    metadata: input.metadata ?? null,
    isTest: input.test,
    apiKeyId: args.apiKeyId,
    attributedBy: attribution.attributedBy,
    attributionModel: settings.attributionModel,
    attributionWindowDays: settings.attributionWindowDays,
    organisationId: attribution.organisationId,
    linkId: attribution.link?.id ?? null,
    creativeId: attribution.creativeId,
    creativeVersionId: attribution.creativeVersionId,
    attributedClickId: attribution.click?.clickId ?? null,
    attributedClickAt: attribution.click?.clickedAt ?? null,
    couponId: attribution.coupon?.id ?? null,
    attributionNote: attribution.notes,
    commissionModel: partner?.commercialModel ?? null,
    commissionRateBasisPoints: ratePaid ? partner.rateBasisPoints : null,
    commissionMinor,
  };
  // Test conversions are never counted; an attributed one adds to its day's rollup, in the insert's own statement.
  const counted: RollupChange | null =
    partner && !input.test
      ? {
          organisationId: partner.id,
          linkId: attribution.link?.id ?? null,
          occurredAt: input.occurredAt,
          currency: input.currency,
          conversions: 1,
          revenueMinor: input.amount,
          commissionMinor,
          refundedMinor: 0,
        }
      : null;
  // The first test conversion on a test click also ticks the partner's "Tracking validated", in the same transaction.
  const validates = input.test && attribution.click?.isTest === true;
  const row = validates
    ? await transaction(ctx.db, async (tx) => {
        const written = await insertConversion(tx, values, counted);
        if (written) await markTrackingValidated(tx, written, attribution, await apiKeyActor(tx, args.apiKeyId));
        return written;
      })
    : await insertConversion(ctx.db, values, counted);
  if (!row) {
    // A concurrent request for the same order id got there first (and has committed: the insert waited for it).
    const stored = await storedConversionOfOrder(ctx.db, input.orderId);
    if (!stored) throw new Error(`The conversion of order ${input.orderId} conflicted on insert but cannot be read.`);
    return repeatOf(stored, input);
  }
  const refs: ConversionRefs = {
    partner: partner && { id: partner.id, slug: partner.slug, name: partner.name },
    linkCode: attribution.link?.code ?? null,
    couponCode: attribution.coupon?.code ?? null,
  };
  // Right after the insert, not in its transaction: the hot path is one statement (docs/decisions/021-webhooks.md).
  await emitWebhookEvent(ctx.db, ctx, "conversion.recorded", conversionEventOf(row, partner));
  return { outcome: "created", conversion: viewOf(row, refs) };
}

/** The columns a new conversion is written with; the others take the database's defaults. */
const WRITTEN_COLUMNS = [
  "orderId",
  "amountMinor",
  "currency",
  "occurredAt",
  "receivedAt",
  "clickId",
  "couponCode",
  "customerId",
  "metadata",
  "isTest",
  "apiKeyId",
  "attributedBy",
  "attributionModel",
  "attributionWindowDays",
  "organisationId",
  "linkId",
  "creativeId",
  "creativeVersionId",
  "attributedClickId",
  "attributedClickAt",
  "couponId",
  "attributionNote",
  "commissionModel",
  "commissionRateBasisPoints",
  "commissionMinor",
] as const satisfies readonly (keyof typeof conversions.$inferInsert)[];

type ConversionValues = Required<Pick<typeof conversions.$inferInsert, (typeof WRITTEN_COLUMNS)[number]>>;

/**
 * The insert of a conversion and, with `counted`, its rollup upserts (the
 * day's and the month's) in the same statement: the insert (ON CONFLICT DO
 * NOTHING on the unique order id) returns no row when the order id is
 * recorded, and the upserts then add nothing. Prepared once per database handle, its values placeholders: built
 * by drizzle on every post, this statement alone took some 200 µs of CPU.
 */
function conversionInsert(db: Db, counted: boolean) {
  // Each placeholder wrapped in SQL, so that drizzle passes its value on as given (driverValues encodes them): as an insert value of its
  // own it would be encoded by its column, null included, which a time column cannot take.
  const placeholders = Object.fromEntries(WRITTEN_COLUMNS.map((column) => [column, sql`${sql.placeholder(column)}`])) as {
    [K in (typeof WRITTEN_COLUMNS)[number]]: SQL;
  };
  const inserted = db.$with("inserted").as(db.insert(conversions).values(placeholders).onConflictDoNothing({ target: conversions.orderId }).returning());
  const rollup = counted ? rollupUpsertCtes(db, ROLLUP_PLACEHOLDERS, sql`select 1 from ${inserted}`) : [];
  return db
    .with(inserted, ...rollup)
    .select()
    .from(inserted)
    .prepare(counted ? "insert_counted_conversion" : "insert_conversion");
}
const uncountedInsert = preparedPerDb((db) => conversionInsert(db, false));
const countedInsert = preparedPerDb((db) => conversionInsert(db, true));

/** `values` encoded as drizzle encodes the values it binds itself (times and JSON as text), null as null. */
function driverValues(values: ConversionValues): Record<string, unknown> {
  return Object.fromEntries(
    WRITTEN_COLUMNS.map((column) => {
      const value = values[column];
      // Each column takes its own type; they are paired by name here, which TypeScript cannot follow.
      return [column, value === null ? null : conversions[column].mapToDriverValue(value as never)];
    }),
  );
}

/**
 * Inserts the conversion unless its order id is recorded (of concurrent
 * identical requests, the one whose insert wins creates it) and, when it is
 * inserted, adds `counted` to the daily and monthly rollups: one statement,
 * so all happen or none, in a single round trip. Null when the order id was
 * recorded already.
 */
async function insertConversion(db: Db, values: ConversionValues, counted: RollupChange | null): Promise<Conversion | null> {
  const [row] = counted
    ? await countedInsert(db).execute({ ...driverValues(values), ...rollupPlaceholderValues(rollupRowOf(counted)) })
    : await uncountedInsert(db).execute(driverValues(values));
  return row ?? null;
}

/**
 * Records a refund of a conversion, once per refund id of its order. The
 * conversion's row is locked for the refund's transaction, so concurrent
 * refunds of one order are applied one after the other and can never refund
 * more than the order's amount together (the database's CHECK bounds it as
 * well). The commission taken back is proportional to what is refunded, and
 * refunding everything takes back exactly the whole commission.
 */
export async function recordRefund(ctx: AppContext, args: RecordRefundArgs): Promise<RecordRefundResult> {
  const { input } = args;
  const now = ctx.clock.now();
  const occurredAt = input.occurredAt ?? now;
  refuseFutureTime(occurredAt, now, "occurredAt");
  const reason = input.reason ? input.reason : null;

  return transaction(ctx.db, async (tx) => {
    const [conversion] = await tx.select().from(conversions).where(eq(conversions.orderId, args.orderId)).for("update");
    if (!conversion) throw new NotFoundError(`No conversion has the order id ${args.orderId}.`);
    const [existing] = await tx
      .select()
      .from(conversionRefunds)
      .where(and(eq(conversionRefunds.conversionId, conversion.id), eq(conversionRefunds.refundId, input.refundId)));
    if (existing) {
      const fields = [existing.amountMinor !== input.amount && "amount", existing.reason !== reason && "reason"].filter((f): f is string => Boolean(f));
      if (fields.length) {
        throw new DomainError(
          `Refund ${input.refundId} of order ${args.orderId} was already recorded with a different ${wordList(fields)}. A refund is applied once per refund id: send the first body again to repeat it, or use a new refund id.`,
          { kind: "conflict", field: fields[0], fields },
        );
      }
      const stored = await storedConversion(tx, eq(conversions.id, conversion.id));
      return { outcome: "repeat" as const, refund: refundViewOf(existing, conversion), conversion: stored!.view };
    }

    const left = conversion.amountMinor - conversion.refundedMinor;
    if (input.amount > left) {
      const money = (minor: number) => formatMoney(minor, conversion.currency);
      throw new DomainError(
        left === 0
          ? `Order ${args.orderId} is refunded in full already (${money(conversion.amountMinor)}): nothing is left to refund.`
          : `Only ${money(left)} of order ${args.orderId} is left to refund: ${money(conversion.refundedMinor)} of its ${money(conversion.amountMinor)} is refunded already.`,
        { kind: "conflict", field: "amount" },
      );
    }
    const refundedAfter = conversion.refundedMinor + input.amount;
    const reversed = commissionToReverse({
      commissionMinor: conversion.commissionMinor,
      amountMinor: conversion.amountMinor,
      refundedAfterMinor: refundedAfter,
      reversedBeforeMinor: conversion.refundedCommissionMinor,
    });
    const [refund] = await tx
      .insert(conversionRefunds)
      .values({
        conversionId: conversion.id,
        refundId: input.refundId,
        amountMinor: input.amount,
        commissionReversedMinor: reversed,
        occurredAt,
        receivedAt: now,
        reason,
        apiKeyId: args.apiKeyId,
      })
      .returning();
    await tx
      .update(conversions)
      .set({ refundedMinor: refundedAfter, refundedCommissionMinor: conversion.refundedCommissionMinor + reversed })
      .where(eq(conversions.id, conversion.id));
    if (!conversion.isTest && conversion.organisationId) {
      await addToRollup(tx, {
        organisationId: conversion.organisationId,
        linkId: conversion.linkId,
        occurredAt: conversion.occurredAt,
        currency: conversion.currency,
        conversions: 0,
        revenueMinor: -input.amount,
        commissionMinor: -reversed,
        refundedMinor: input.amount,
      });
    }
    await emitWebhookEvent(tx, ctx, "conversion.refunded", {
      ...conversionEventOf(conversion, conversion.organisationId ? { id: conversion.organisationId, name: null } : null),
      refundId: input.refundId,
      refundedMinor: input.amount,
      commissionReversedMinor: reversed,
      at: occurredAt,
    });
    const stored = await storedConversion(tx, eq(conversions.id, conversion.id));
    return { outcome: "created" as const, refund: refundViewOf(refund!, conversion), conversion: stored!.view };
  });
}
