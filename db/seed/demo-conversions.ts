import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import { linkClicks, partnerOrganisations, users } from "#db/schema/index";
import { ConversionInput, RefundInput } from "~/domain/conversions/api-schemas.server";
import { recordConversion, recordRefund } from "~/domain/conversions/conversions.server";
import { createCoupon } from "~/domain/conversions/coupons.server";
import type { AppContext } from "~/lib/context.server";
import { randomFrom } from "./demo-links";

// Conversions for the demo (issue 16): the brand's shop posted Northwind's
// orders over the weeks of its demo clicks. They go through the domain's own
// recordConversion and recordRefund, each at its own time, so attribution,
// commission and the daily rollups are what the API would have left behind:
// most orders carry a click id of a Northwind visitor, a couple only
// Northwind's coupon code, one a code nobody has (kept, unattributed), one
// was partly refunded, and a test order on Nora's test click validated
// Northwind's tracking before launch.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Orders posted: one for about every this many of Northwind's countable clicks. */
const CLICKS_PER_ORDER = 18;
const MAX_CLICK_ORDERS = 36;

const at = (app: AppContext, when: Date): AppContext => ({ ...app, clock: { now: () => when } });

export async function seedConversions(app: AppContext): Promise<void> {
  const db = app.db;
  const now = app.clock.now();
  const [admin] = await db.select().from(users).where(eq(users.email, "admin@demo.cobrand.test"));
  const adminActor = { id: admin!.id, label: admin!.email, ip: "127.0.0.1" };
  const [northwind] = await db.select().from(partnerOrganisations).where(eq(partnerOrganisations.slug, "northwind-media"));
  const random = randomFrom(20_261_216);

  // The brand gave Northwind a coupon code for its newsletter three weeks ago.
  await createCoupon(at(app, new Date(now.getTime() - 21 * 24 * HOUR)), adminActor, northwind!.id, { code: "NORTHWIND15", expiresOn: null });

  const clicks = await db
    .select({ clickId: linkClicks.clickId, clickedAt: linkClicks.clickedAt, isTest: linkClicks.isTest })
    .from(linkClicks)
    .where(and(eq(linkClicks.organisationId, northwind!.id), isNotNull(linkClicks.linkId), eq(linkClicks.isBot, false), isNull(linkClicks.fallbackReason)))
    .orderBy(asc(linkClicks.clickedAt));
  const real = clicks.filter((click) => !click.isTest);
  let order = 10_400;
  const post = (fields: Record<string, unknown>, occurredAt: Date) => {
    // The shop posts each order a minute or two after checkout.
    const receivedAt = new Date(occurredAt.getTime() + MINUTE + Math.floor(random() * MINUTE));
    const input = ConversionInput.parse({ orderId: `LUM-${order++}`, currency: "USD", occurredAt: occurredAt.toISOString(), ...fields });
    return recordConversion(at(app, receivedAt), { input, apiKeyId: null });
  };
  const basket = () => 1_999 + Math.floor(random() * 15) * 1_000;

  // Before launch: Nora's test click on her first link, and the shop's test order for it.
  const firstTest = clicks.find((click) => click.isTest);
  if (firstTest) await post({ amount: 2_999, clickId: firstTest.clickId, test: true }, new Date(firstTest.clickedAt.getTime() + 3 * MINUTE));

  const orders: { orderId: string; occurredAt: Date; amount: number }[] = [];
  for (let i = 0; i < real.length && orders.length < MAX_CLICK_ORDERS; i += CLICKS_PER_ORDER) {
    const click = real[Math.min(real.length - 1, i + Math.floor(random() * CLICKS_PER_ORDER))]!;
    // Bought minutes to a day and a half after the click, never later than an hour ago.
    const occurredAt = new Date(Math.min(click.clickedAt.getTime() + 5 * MINUTE + Math.floor(random() * 36 * HOUR), now.getTime() - HOUR));
    const amount = basket();
    const { conversion } = await post({ amount, clickId: click.clickId, customerId: `CUST-${3000 + orders.length}` }, occurredAt);
    orders.push({ orderId: conversion.orderId, occurredAt, amount });
  }

  // Newsletter readers who typed the code without a click.
  for (const daysAgo of [12, 4]) {
    await post({ amount: basket(), couponCode: "northwind15" }, new Date(now.getTime() - daysAgo * 24 * HOUR - 3 * HOUR));
  }
  // A code nobody has: kept, attributed to nobody, with the reason for the admins.
  await post({ amount: 4_999, couponCode: "SPRINGSALE" }, new Date(now.getTime() - 6 * 24 * HOUR));

  // A customer sent back half of an order a few days after buying it.
  const returned = orders[Math.floor(orders.length / 2)];
  if (returned) {
    const refundedAt = new Date(returned.occurredAt.getTime() + 3 * 24 * HOUR);
    await recordRefund(at(app, refundedAt > now ? now : refundedAt), {
      orderId: returned.orderId,
      input: RefundInput.parse({ refundId: "RMA-2207", amount: Math.floor(returned.amount / 2), reason: "One of two lamps returned unopened." }),
      apiKeyId: null,
    });
  }
}
