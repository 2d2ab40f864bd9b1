import { and, count, desc, eq } from "drizzle-orm";
import { coupons, partnerOrganisations, users, type Coupon } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import type { PartnerActor } from "../creatives/submissions.server";
import { DomainError, ForbiddenError, NotFoundError } from "../errors";
import { paginate, type Page } from "../pagination.server";
import { COUPONS_PAGE_SIZE, COUPONS_SHOWN, type CouponStatus } from "./catalog";
import type { NewCouponInput } from "./schemas.server";
import { getConversionSettings } from "./settings.server";

const NOT_FOUND = "Coupon not found.";
const DAY_MS = 86_400_000;

/** The key a code is unique under: coupons are typed at checkouts in any case. */
export const couponCodeKey = (code: string) => code.trim().toLowerCase();

/** Whether a coupon attributes an order placed at `at`: neither disabled nor expired. */
export function couponStatusAt(coupon: Pick<Coupon, "expiresAt" | "disabledAt">, at: Date): CouponStatus {
  if (coupon.disabledAt) return "disabled";
  if (coupon.expiresAt && coupon.expiresAt.getTime() <= at.getTime()) return "expired";
  return "active";
}

/**
 * A coupon's end: the end of its last day (UTC), so "until 31 January" works
 * for every order placed on the 31st whatever the shop's time zone reads.
 */
function expiryOf(lastDay: string | null): Date | null {
  return lastDay ? new Date(Date.parse(`${lastDay}T00:00:00Z`) + DAY_MS) : null;
}

/**
 * Writes the coupon, or says the code is taken. The unique index on the
 * lower-cased code decides, so two people claiming one code at the same
 * moment get one coupon and one clear refusal, never two coupons.
 */
async function insertCoupon(tx: Db, actor: Actor, organisationId: string, input: NewCouponInput, now: Date): Promise<Coupon> {
  const expiresAt = expiryOf(input.expiresOn);
  if (expiresAt && expiresAt.getTime() <= now.getTime()) {
    throw new DomainError("The last day is in the past: choose today or a later day, or leave it empty for a code that does not expire.", {
      field: "expiresOn",
    });
  }
  const code = input.code.trim();
  const [coupon] = await tx
    .insert(coupons)
    .values({ organisationId, code, codeKey: couponCodeKey(code), expiresAt, createdById: actor.id, createdAt: now })
    .onConflictDoNothing({ target: coupons.codeKey })
    .returning();
  if (!coupon) {
    throw new DomainError(`The code ${code} is already taken (codes are unique whatever their case). Choose another.`, { field: "code", kind: "conflict" });
  }
  await recordAudit(tx, {
    actor,
    action: "coupon.created",
    subjectType: "coupon",
    subjectId: coupon.id,
    partnerOrgId: organisationId,
    data: { code, expiresAt: expiresAt?.toISOString() ?? null },
    at: now,
  });
  return coupon;
}

/** An admin gives a partner a coupon code. A terminated partnership gets none. */
export async function createCoupon(ctx: AppContext, actor: Actor, organisationId: string, input: NewCouponInput): Promise<Coupon> {
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    const [org] = await tx.select({ status: partnerOrganisations.status }).from(partnerOrganisations).where(eq(partnerOrganisations.id, organisationId));
    if (!org) throw new NotFoundError("Partner organisation not found.");
    if (org.status === "terminated") throw new DomainError("This partnership is terminated: it gets no new coupon codes.", { kind: "conflict" });
    return insertCoupon(tx, actor, organisationId, input, now);
  });
}

/** Why a partner may not make or disable coupon codes now, or null when they may. */
async function partnerCouponRefusal(db: Db, organisationId: string): Promise<string | null> {
  const [org] = await db.select({ status: partnerOrganisations.status }).from(partnerOrganisations).where(eq(partnerOrganisations.id, organisationId));
  if (!org) throw new NotFoundError("Partner organisation not found.");
  if (!(await getConversionSettings(db)).partnersCreateCoupons)
    return "The program makes coupon codes for its partners: ask your contact at the program for one.";
  if (org.status === "paused" || org.status === "terminated")
    return `Your partnership is ${org.status}, so coupon codes cannot be changed. Your contact at the program can tell you more.`;
  return null;
}

/** What the partner's coupon pages offer: whether the owner may make codes, and why not. */
export async function partnerCouponOptions(db: Db, organisationId: string): Promise<{ refusal: string | null }> {
  return { refusal: await partnerCouponRefusal(db, organisationId) };
}

/** A partner's owner makes a coupon code for their own organisation, when the program's settings allow partners to. */
export async function createPartnerCoupon(ctx: AppContext, actor: PartnerActor, input: NewCouponInput): Promise<Coupon> {
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    const refusal = await partnerCouponRefusal(tx, actor.partnerOrgId);
    if (refusal) throw new ForbiddenError(refusal, "coupons_not_allowed");
    return insertCoupon(tx, actor, actor.partnerOrgId, input, now);
  });
}

/** Disables the coupon in the caller's transaction, on record. */
async function disableIn(tx: Db, actor: Actor, coupon: Coupon, now: Date): Promise<Coupon> {
  if (coupon.disabledAt) throw new DomainError(`The code ${coupon.code} is already disabled.`, { kind: "conflict" });
  const [updated] = await tx.update(coupons).set({ disabledAt: now }).where(eq(coupons.id, coupon.id)).returning();
  await recordAudit(tx, {
    actor,
    action: "coupon.disabled",
    subjectType: "coupon",
    subjectId: coupon.id,
    partnerOrgId: coupon.organisationId,
    data: { code: coupon.code },
    at: now,
  });
  return updated!;
}

/** The coupon of `organisationId` with this id, locked for the change; another organisation's is not found. */
async function lockedCouponOf(tx: Db, organisationId: string, couponId: string): Promise<Coupon> {
  const [coupon] = await tx
    .select()
    .from(coupons)
    .where(and(eq(coupons.id, couponId), eq(coupons.organisationId, organisationId)))
    .for("update");
  if (!coupon) throw new NotFoundError(NOT_FOUND);
  return coupon;
}

/**
 * An admin disables a partner's coupon: orders that name it afterwards are not
 * attributed by it (conversions it attributed before keep their attribution).
 * A disabled code stays taken, so it can never come to mean another partner.
 */
export async function disableCoupon(ctx: AppContext, actor: Actor, organisationId: string, couponId: string): Promise<Coupon> {
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => disableIn(tx, actor, await lockedCouponOf(tx, organisationId, couponId), now));
}

/** A partner's owner disables one of their own organisation's coupons, when the program lets partners manage them. */
export async function disablePartnerCoupon(ctx: AppContext, actor: PartnerActor, couponId: string): Promise<Coupon> {
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    // Another organisation's coupon is not found, whatever the settings say.
    const coupon = await lockedCouponOf(tx, actor.partnerOrgId, couponId);
    const refusal = await partnerCouponRefusal(tx, actor.partnerOrgId);
    if (refusal) throw new ForbiddenError(refusal, "coupons_not_allowed");
    return disableIn(tx, actor, coupon, now);
  });
}

export type CouponRow = {
  id: string;
  code: string;
  status: CouponStatus;
  expiresAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
  createdBy: string | null;
};

/** One page of an organisation's coupons, newest first, each with its status now. */
export async function couponsOfOrganisation(db: Db, organisationId: string, page: number, now: Date, pageSize = COUPONS_PAGE_SIZE): Promise<Page<CouponRow>> {
  const where = eq(coupons.organisationId, organisationId);
  const result = await paginate(
    page,
    pageSize,
    (limit, offset) =>
      db
        .select({
          id: coupons.id,
          code: coupons.code,
          expiresAt: coupons.expiresAt,
          disabledAt: coupons.disabledAt,
          createdAt: coupons.createdAt,
          createdBy: users.name,
        })
        .from(coupons)
        .leftJoin(users, eq(users.id, coupons.createdById))
        .where(where)
        .orderBy(desc(coupons.createdAt), desc(coupons.id))
        .limit(limit)
        .offset(offset),
    () => db.select({ n: count() }).from(coupons).where(where),
  );
  return { ...result, rows: result.rows.map((row) => ({ ...row, status: couponStatusAt(row, now) })) };
}

/** The organisation a coupon page is about (its name and whether it may get new codes), or not found. */
export async function couponOwner(db: Db, organisationId: string): Promise<{ id: string; name: string; status: string }> {
  const [org] = await db
    .select({ id: partnerOrganisations.id, name: partnerOrganisations.name, status: partnerOrganisations.status })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.id, organisationId));
  if (!org) throw new NotFoundError("Partner organisation not found.");
  return org;
}

export type CouponSummary = { rows: CouponRow[]; total: number; canAdd: boolean };

/** The newest few coupons of an organisation for a section of another page, and whether the reader may add one. */
export async function couponSummary(db: Db, organisationId: string, now: Date, reader: { partnerOwner: boolean } | { admin: boolean }): Promise<CouponSummary> {
  const [page, canAdd] = await Promise.all([
    couponsOfOrganisation(db, organisationId, 1, now, COUPONS_SHOWN),
    "admin" in reader ? reader.admin : reader.partnerOwner && partnerCouponRefusal(db, organisationId).then((refusal) => refusal === null),
  ]);
  return { rows: page.rows, total: page.total, canAdd };
}
