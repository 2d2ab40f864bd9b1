// Shared with the browser bundle: the webhook event catalogue (what each
// event means and what its data looks like), the families an endpoint can
// subscribe to whole, and the delivery statuses. Plain data.

export const WEBHOOK_FAMILIES = {
  application: "Applications",
  partner: "Partners",
  creative: "Creatives",
  link: "Tracking links",
  conversion: "Conversions",
  incident: "Incidents",
} as const;

export type WebhookFamily = keyof typeof WEBHOOK_FAMILIES;

type EventEntry = { family: WebhookFamily; description: string; example: Record<string, unknown> };

const AT = "2026-05-04T09:30:00.000Z";
const PARTNER_ID = "4b0d3c6e-1f7a-4d1e-9a51-2b7f3c9d8e10";
const PARTNER = { partnerId: PARTNER_ID, partnerName: "Northwind Reviews" };
const CREATIVE = { creativeId: "9a7e2f10-3c44-4b8e-8d2a-6f1e0c5b7a21", partnerId: PARTNER_ID, title: "Spring launch banner" };
const LINK = { linkId: "c3e1a7b2-5d64-4f19-8e0a-7b2c9d4f1e33", code: "nW3spRg8", partnerId: PARTNER_ID, kind: "evergreen" };
const CONVERSION = {
  conversionId: "e5f2b8c1-7a93-4d20-9b6e-1c4d8f2a3b45",
  orderId: "ORD-10482",
  partnerId: PARTNER_ID,
  amountMinor: 12900,
  currency: "USD",
  commissionMinor: 1290,
  attributedBy: "click",
  test: false,
  occurredAt: AT,
};
const INCIDENT = { incidentId: "0f6a9d2e-8b1c-4e37-a5d0-3c2b7e9f1a64", ...PARTNER, severity: "high", status: "open", title: "Unapproved discount claim" };

/** Every event a webhook can carry, with a one-line meaning and an example of its `data`. */
export const WEBHOOK_EVENTS = {
  "application.submitted": {
    family: "application",
    description: "Someone applied to the program.",
    example: {
      applicationId: "7d1f0e9a-2b3c-4d5e-8f6a-1b2c3d4e5f60",
      reference: "APP-2026-0042",
      company: "Northwind Reviews",
      partnerType: "publisher",
      submittedAt: AT,
    },
  },
  "application.approved": {
    family: "application",
    description: "An application was approved: its partner organisation exists and its owner is invited.",
    example: {
      applicationId: "7d1f0e9a-2b3c-4d5e-8f6a-1b2c3d4e5f60",
      reference: "APP-2026-0042",
      company: "Northwind Reviews",
      ...PARTNER,
      tier: "standard",
      decidedAt: AT,
    },
  },
  "application.rejected": {
    family: "application",
    description: "An application was not accepted.",
    example: {
      applicationId: "7d1f0e9a-2b3c-4d5e-8f6a-1b2c3d4e5f60",
      reference: "APP-2026-0042",
      company: "Northwind Reviews",
      reason: "audience_mismatch",
      decidedAt: AT,
    },
  },
  "partner.paused": {
    family: "partner",
    description: "A partnership was paused: its links go to the fallback page until it is resumed.",
    example: { ...PARTNER, status: "paused", previousStatus: "active", reason: "Reviewing a complaint.", at: AT },
  },
  "partner.resumed": {
    family: "partner",
    description: "A paused partnership was resumed.",
    example: { ...PARTNER, status: "active", previousStatus: "paused", reason: null, at: AT },
  },
  "partner.terminated": {
    family: "partner",
    description: "A partnership was ended for good.",
    example: { ...PARTNER, status: "terminated", previousStatus: "active", reason: "Breach of the program terms.", at: AT },
  },
  "creative.submitted": {
    family: "creative",
    description: "A partner submitted a creative (or a new version of it) for review.",
    example: { ...CREATIVE, partnerName: "Northwind Reviews", channel: "website_blog", version: 1, status: "submitted", at: AT },
  },
  "creative.approved": {
    family: "creative",
    description: "A creative passed every review stage.",
    example: { ...CREATIVE, version: 1, status: "approved", at: AT },
  },
  "creative.changes_requested": {
    family: "creative",
    description: "A reviewer asked for changes to a creative.",
    example: { ...CREATIVE, version: 1, status: "changes_requested", at: AT },
  },
  "creative.rejected": {
    family: "creative",
    description: "A creative was rejected.",
    example: { ...CREATIVE, version: 1, status: "rejected", at: AT },
  },
  "link.created": {
    family: "link",
    description: "A tracking link was made: an evergreen link by a partner, or one issued for an approved creative.",
    example: { ...LINK, partnerName: "Northwind Reviews", label: "Spring guide", destinationUrl: "https://brand.example/spring", at: AT },
  },
  "link.disabled": {
    family: "link",
    description: "A tracking link was disabled: its clicks go to the fallback page.",
    example: { ...LINK, reason: "Destination retired.", at: AT },
  },
  "conversion.recorded": {
    family: "conversion",
    description: "A conversion (an order) was recorded, attributed to a partner or not.",
    example: { ...CONVERSION, partnerName: "Northwind Reviews" },
  },
  "conversion.refunded": {
    family: "conversion",
    description: "A conversion was refunded, in full or in part.",
    example: { ...CONVERSION, refundId: "RF-2231", refundedMinor: 12900, commissionReversedMinor: 1290, at: AT },
  },
  "incident.opened": {
    family: "incident",
    description: "A compliance incident was opened about a partner.",
    example: { ...INCIDENT, at: AT },
  },
  "incident.updated": {
    family: "incident",
    description: "An incident changed: its status, severity or notes.",
    example: { ...INCIDENT, status: "resolved", at: AT },
  },
} as const satisfies Record<string, EventEntry>;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;

/** The event "Send test event" sends to one endpoint, whatever it subscribes to: it is not part of any family. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as [WebhookEventType, ...WebhookEventType[]];

export const isWebhookEventType = (value: string): value is WebhookEventType => Object.hasOwn(WEBHOOK_EVENTS, value);

/** "partner.*": every event of the family, those added later included. */
export const familyWildcard = (family: WebhookFamily) => `${family}.*` as const;

/** Every value an endpoint's subscription list may hold: the event types and the family wildcards. */
export const WEBHOOK_SUBSCRIPTIONS: readonly string[] = [...(Object.keys(WEBHOOK_FAMILIES) as WebhookFamily[]).map(familyWildcard), ...WEBHOOK_EVENT_TYPES];

/** The events of each family, in catalogue order: the form's groups and the catalogue page. */
export function webhookEventsByFamily(): { family: WebhookFamily; label: string; events: { type: WebhookEventType; description: string }[] }[] {
  return (Object.keys(WEBHOOK_FAMILIES) as WebhookFamily[]).map((family) => ({
    family,
    label: WEBHOOK_FAMILIES[family],
    events: WEBHOOK_EVENT_TYPES.filter((type) => WEBHOOK_EVENTS[type].family === family).map((type) => ({
      type,
      description: WEBHOOK_EVENTS[type].description,
    })),
  }));
}

/** Whether an endpoint subscribed to `subscriptions` receives `type`. */
export function subscribesTo(subscriptions: readonly string[], type: string): boolean {
  return subscriptions.includes(type) || subscriptions.includes(`${type.split(".")[0]}.*`);
}

export const WEBHOOK_LIMITS = { urlMax: 2000, descriptionMax: 200 } as const;

export const WEBHOOK_DELIVERY_STATUS_LABELS = {
  pending: "Pending",
  sending: "Sending",
  failed: "Retrying",
  delivered: "Delivered",
  dead: "Failed",
} as const;
export type WebhookDeliveryStatusName = keyof typeof WEBHOOK_DELIVERY_STATUS_LABELS;

/** The headers Standard Webhooks defines, and the user agent deliveries are sent with. */
export const WEBHOOK_USER_AGENT = "Cobrand-Webhooks/1";
