import { desc, eq } from "drizzle-orm";
import { conversions, partnerOrganisations, users, webhookDeliveries } from "#db/schema/index";
import { createEndpoint } from "~/domain/webhooks/endpoints.server";
import { insertDelivery } from "~/domain/webhooks/emit.server";
import { signedHeaders } from "~/domain/webhooks/delivery.server";
import type { AppContext } from "~/lib/context.server";

// A webhook endpoint for the demo (issue 17 §3): the brand's CRM receives
// conversion and partner events. Its log shows what a few weeks of use leave
// behind: conversions delivered in a few dozen milliseconds, and one that
// failed every attempt while the CRM was down. The demo runs offline, so the
// CRM's host name is resolved here to a public address (example.com's)
// rather than asked of DNS.

const MINUTE = 60_000;
const CRM_URL = "https://crm.lumen.example/hooks/cobrand";

export async function seedWebhooks(app: AppContext): Promise<void> {
  const db = app.db;
  const now = app.clock.now();
  const [admin] = await db.select().from(users).where(eq(users.email, "admin@demo.cobrand.test"));
  const actor = { id: admin!.id, label: admin!.email, ip: "127.0.0.1" };
  const { endpoint } = await createEndpoint(
    { ...app, clock: { now: () => new Date(now.getTime() - 14 * 24 * 60 * MINUTE) } },
    actor,
    { url: CRM_URL, description: "Lumen CRM: new orders and partner changes", eventTypes: ["conversion.*", "partner.*"] },
    { resolve: async () => [{ address: "93.184.216.34", family: 4 }] },
  );
  const recent = await db
    .select({ conversion: conversions, partnerName: partnerOrganisations.name })
    .from(conversions)
    .leftJoin(partnerOrganisations, eq(partnerOrganisations.id, conversions.organisationId))
    .orderBy(desc(conversions.receivedAt))
    .limit(5);
  for (const [index, { conversion, partnerName }] of recent.entries()) {
    const sentAt = new Date(conversion.receivedAt.getTime() + 2_000);
    const data = {
      conversionId: conversion.id,
      orderId: conversion.orderId,
      partnerId: conversion.organisationId,
      ...(partnerName ? { partnerName } : {}),
      amountMinor: conversion.amountMinor,
      currency: conversion.currency,
      commissionMinor: conversion.commissionMinor,
      attributedBy: conversion.attributedBy,
      test: conversion.isTest,
      occurredAt: conversion.occurredAt,
    };
    const delivery = await insertDelivery(db, endpoint.id, "conversion.recorded", data, conversion.receivedAt);
    const headers = signedHeaders([endpoint.secret], delivery.messageId, sentAt, JSON.stringify(delivery.payload));
    // The second most recent order went out while the CRM was down: every attempt failed.
    const failed = index === 1;
    await db
      .update(webhookDeliveries)
      .set(
        failed
          ? {
              status: "dead",
              attempts: 8,
              lastAttemptAt: new Date(sentAt.getTime() + 63 * MINUTE),
              lastStatusCode: 503,
              lastResponseMs: 182,
              lastResponseBody: "Service Unavailable: maintenance until 10:00 UTC",
              lastError: "The receiver answered 503.",
              lastRequestHeaders: headers,
            }
          : {
              status: "delivered",
              attempts: 1,
              lastAttemptAt: sentAt,
              deliveredAt: sentAt,
              lastStatusCode: 200,
              lastResponseMs: 38 + index * 11,
              lastResponseBody: '{"received":true}',
              lastRequestHeaders: headers,
            },
      )
      .where(eq(webhookDeliveries.id, delivery.id));
  }
}
