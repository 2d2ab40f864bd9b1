import { and, asc, eq, gte, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { coupons, linkClicks, partnerOrganisations, trackingLinks, type AttributionNote } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import type { FallbackReason } from "../links/catalog";
import { clickIdTime } from "../links/codes.server";
import { CLICK_CLOCK_SKEW_MS, type AttributedBy, type ConversionSettings } from "./catalog";
import { couponCodeKey, couponStatusAt } from "./coupons.server";
import { preparedPerDb } from "./prepared.server";

// Attribution (PRODUCT.md, Conversions; docs/decisions/018-conversions.md):
// decided once, when the conversion is written, and kept on it with the
// window and model it was decided under, and a note for every reason a click
// id or a coupon did not count.

const DAY_MS = 86_400_000;
/**
 * A click id this recent that is not in the table yet may still be in the
 * recorder's queue (clicks are written in batches up to about a second after
 * the redirect): the local recorder is flushed and the click looked up again.
 */
const RECENT_CLICK_MS = 10_000;

export type AttributedClick = { clickId: string; clickedAt: Date; isTest: boolean };

export type Attribution = {
  attributedBy: AttributedBy;
  organisationId: string | null;
  link: { id: string; code: string } | null;
  creativeId: string | null;
  creativeVersionId: string | null;
  /** The click that won (under the first-click model, perhaps not the one posted). */
  click: AttributedClick | null;
  coupon: { id: string; code: string } | null;
  notes: AttributionNote[];
};

export type AttributionRequest = {
  clickId?: string | undefined;
  couponCode?: string | undefined;
  occurredAt: Date;
  /** Test conversions are attributed to test clicks too: that is how a partner validates tracking. */
  test: boolean;
};

export type AttributionOptions = {
  settings: ConversionSettings;
  now: Date;
  /** Writes the clicks this process still holds in memory (the click recorder's flush). */
  flushClicks?: (() => Promise<void>) | undefined;
};

const clickColumns = {
  clickId: linkClicks.clickId,
  clickedAt: linkClicks.clickedAt,
  linkId: linkClicks.linkId,
  organisationId: linkClicks.organisationId,
  visitorHash: linkClicks.visitorHash,
  isBot: linkClicks.isBot,
  isTest: linkClicks.isTest,
  fallbackReason: linkClicks.fallbackReason,
  linkCode: trackingLinks.code,
  creativeId: trackingLinks.creativeId,
  creativeVersionId: trackingLinks.creativeVersionId,
};
type ClickRow = {
  clickId: string;
  clickedAt: Date;
  linkId: string | null;
  organisationId: string | null;
  visitorHash: string;
  isBot: boolean;
  isTest: boolean;
  fallbackReason: FallbackReason | null;
  linkCode: string | null;
  creativeId: string | null;
  creativeVersionId: string | null;
};

const clickById = preparedPerDb((db) =>
  db
    .select(clickColumns)
    .from(linkClicks)
    .leftJoin(trackingLinks, eq(trackingLinks.id, linkClicks.linkId))
    .where(and(eq(linkClicks.clickedAt, sql.placeholder("clickedAt")), eq(linkClicks.clickId, sql.placeholder("clickId"))))
    .prepare("click_by_id"),
);

/**
 * The click of this id. Its first characters are the millisecond it was
 * recorded under, so the lookup names the partition (and the primary key):
 * an id of another shape names no click of ours and is not looked up.
 */
async function findClick(db: Db, clickId: string, at: number): Promise<ClickRow | null> {
  // A placeholder in a condition reaches the driver as given (drizzle does not encode it by its column): the time as text, which both drivers take.
  const [row] = await clickById(db).execute({ clickedAt: new Date(at).toISOString(), clickId });
  return row ?? null;
}

async function lookUpClick(db: Db, clickId: string, options: AttributionOptions): Promise<ClickRow | null> {
  const at = clickIdTime(clickId);
  if (at === null) return null;
  const found = await findClick(db, clickId, at);
  if (found || !options.flushClicks) return found;
  const age = options.now.getTime() - at;
  if (age < -RECENT_CLICK_MS || age > RECENT_CLICK_MS) return null;
  await options.flushClicks();
  return findClick(db, clickId, at);
}

/** Why a click cannot earn a conversion whatever its time, or null when it can. */
function notCountable(click: ClickRow, test: boolean): Extract<AttributionNote, { kind: "click_not_countable" }>["reason"] | null {
  if (click.linkId === null || click.organisationId === null) return "orphan";
  if (click.fallbackReason !== null) return "fallback";
  if (click.isBot) return "bot";
  if (click.isTest && !test) return "test";
  return null;
}

/**
 * The visitor's earliest countable click before `posted` within the window,
 * under the first-click model. A visitor is a hash of address and browser
 * under a salt that changes every UTC day, so the same person can only be
 * recognised within the day of the posted click: the search starts at the
 * later of the window's start and that day's start.
 */
async function firstClickOfVisitor(db: Db, posted: ClickRow, windowStart: Date, test: boolean): Promise<ClickRow | null> {
  const dayStart = new Date(Math.floor(posted.clickedAt.getTime() / DAY_MS) * DAY_MS);
  const from = dayStart > windowStart ? dayStart : windowStart;
  const [row] = await db
    .select(clickColumns)
    .from(linkClicks)
    .innerJoin(trackingLinks, eq(trackingLinks.id, linkClicks.linkId))
    .where(
      and(
        eq(linkClicks.visitorHash, posted.visitorHash),
        gte(linkClicks.clickedAt, from),
        lt(linkClicks.clickedAt, posted.clickedAt),
        isNotNull(linkClicks.organisationId),
        isNull(linkClicks.fallbackReason),
        eq(linkClicks.isBot, false),
        test ? undefined : eq(linkClicks.isTest, false),
      ),
    )
    .orderBy(asc(linkClicks.clickedAt), asc(linkClicks.clickId))
    .limit(1);
  return row ?? null;
}

const couponByCode = preparedPerDb((db) =>
  db
    .select({
      id: coupons.id,
      code: coupons.code,
      organisationId: coupons.organisationId,
      expiresAt: coupons.expiresAt,
      disabledAt: coupons.disabledAt,
      partnerStatus: partnerOrganisations.status,
    })
    .from(coupons)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, coupons.organisationId))
    .where(eq(coupons.codeKey, sql.placeholder("codeKey")))
    .prepare("coupon_by_code"),
);

async function lookUpCoupon(db: Db, code: string) {
  const [coupon] = await couponByCode(db).execute({ codeKey: couponCodeKey(code) });
  return coupon ?? null;
}

/**
 * How a conversion is attributed:
 * 1. the click id, when it names a countable click (a person's, on a live
 *    link; a test click only for a test conversion) made within the window
 *    before the order: [occurredAt − window, occurredAt + CLICK_CLOCK_SKEW_MS];
 *    under the first-click model, the same visitor's earliest such click
 *    that day instead;
 * 2. else the coupon code, when it names a coupon neither disabled nor
 *    expired when the order was placed, of a partner neither paused nor
 *    terminated;
 * 3. else nobody: the conversion is kept, unattributed.
 * A click and a coupon of different partners: the click wins, and the coupon
 * is noted as a conflict for the admins.
 */
export async function attribute(db: Db, request: AttributionRequest, options: AttributionOptions): Promise<Attribution> {
  const { settings } = options;
  const notes: AttributionNote[] = [];
  const windowStart = new Date(request.occurredAt.getTime() - settings.attributionWindowDays * DAY_MS);
  const windowEnd = new Date(request.occurredAt.getTime() + CLICK_CLOCK_SKEW_MS);
  let won: ClickRow | null = null;

  if (request.clickId !== undefined) {
    const click = await lookUpClick(db, request.clickId, options);
    const reason = click && notCountable(click, request.test);
    if (!click) notes.push({ kind: "click_unknown", clickId: request.clickId });
    else if (reason) notes.push({ kind: "click_not_countable", clickId: request.clickId, reason });
    else if (click.clickedAt < windowStart || click.clickedAt > windowEnd) {
      notes.push({ kind: "click_outside_window", clickId: request.clickId, clickedAt: click.clickedAt.toISOString() });
    } else {
      won = click;
      if (settings.attributionModel === "first_click") {
        const first = await firstClickOfVisitor(db, click, windowStart, request.test);
        if (first) {
          won = first;
          notes.push({ kind: "first_click", postedClickId: request.clickId });
        }
      }
    }
  }

  let coupon: Awaited<ReturnType<typeof lookUpCoupon>> = null;
  if (request.couponCode !== undefined) {
    coupon = await lookUpCoupon(db, request.couponCode);
    const status = coupon && couponStatusAt(coupon, request.occurredAt);
    if (!coupon) notes.push({ kind: "coupon_unknown", code: request.couponCode });
    else if (status === "disabled") notes.push({ kind: "coupon_disabled", code: coupon.code });
    else if (status === "expired") notes.push({ kind: "coupon_expired", code: coupon.code });
    else if (coupon.partnerStatus === "paused" || coupon.partnerStatus === "terminated") {
      // The kill switch: a paused or ended partnership earns nothing from its codes (the click rule still applies).
      notes.push({ kind: "coupon_partner_inactive", code: coupon.code, partnerStatus: coupon.partnerStatus });
      coupon = null;
    } else if (won && coupon.organisationId !== won.organisationId) {
      notes.push({ kind: "coupon_conflict", code: coupon.code, couponOrganisationId: coupon.organisationId });
    }
    if (status !== "active") coupon = null;
  }

  if (won) {
    return {
      attributedBy: "click",
      organisationId: won.organisationId,
      link: { id: won.linkId!, code: won.linkCode! },
      creativeId: won.creativeId,
      creativeVersionId: won.creativeVersionId,
      click: { clickId: won.clickId, clickedAt: won.clickedAt, isTest: won.isTest },
      // The coupon of the same partner came along with the click: kept, it explains the order.
      coupon: coupon && coupon.organisationId === won.organisationId ? { id: coupon.id, code: coupon.code } : null,
      notes,
    };
  }
  if (coupon) {
    return {
      attributedBy: "coupon",
      organisationId: coupon.organisationId,
      link: null,
      creativeId: null,
      creativeVersionId: null,
      click: null,
      coupon: { id: coupon.id, code: coupon.code },
      notes,
    };
  }
  return { attributedBy: "none", organisationId: null, link: null, creativeId: null, creativeVersionId: null, click: null, coupon: null, notes };
}
