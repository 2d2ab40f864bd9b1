import crypto from "node:crypto";
import { and, count, desc, eq } from "drizzle-orm";
import { instanceSettings, users, webhookDeliveries, webhookEndpoints, type WebhookDelivery, type WebhookEndpoint } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { checkOutboundUrl, UnsafeUrlError, type Resolver, type UrlPolicy } from "~/lib/safe-http.server";
import { DomainError, NotFoundError } from "../errors";
import { paginate, type Page } from "../pagination.server";
import { WEBHOOK_EVENTS, WEBHOOK_FAMILIES, WEBHOOK_LIMITS, WEBHOOK_SUBSCRIPTIONS, WEBHOOK_TEST_EVENT, type WebhookFamily } from "./catalog";
import { insertDelivery } from "./emit.server";

// Webhook endpoints (issue 17 §3): an admin registers a receiver's URL, the
// events it wants and gets a signing secret, shown once. Every change is
// audited in its own transaction. Delivery is delivery.server.ts; emitting
// events from the domain's transitions is emit.server.ts.

export const WEBHOOKS_PAGE_SIZE = 25;
export const WEBHOOK_DELIVERIES_PAGE_SIZE = 25;

/** Instance setting: whether receivers on private, loopback and link-local addresses are allowed (self-hosted receivers). Off unless an admin turns it on. */
export const ALLOW_PRIVATE_RECEIVERS_KEY = "webhooks_allow_private_receivers";

export type WebhookSettings = { allowPrivateReceivers: boolean };

export async function getWebhookSettings(db: Db): Promise<WebhookSettings> {
  const [row] = await db.select({ value: instanceSettings.value }).from(instanceSettings).where(eq(instanceSettings.key, ALLOW_PRIVATE_RECEIVERS_KEY));
  return { allowPrivateReceivers: row?.value === "true" };
}

/** An admin allows or refuses private receivers; audited with from and to. */
export async function updateWebhookSettings(ctx: Pick<AppContext, "db" | "clock">, actor: Actor, input: WebhookSettings): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const before = await getWebhookSettings(tx);
    if (before.allowPrivateReceivers === input.allowPrivateReceivers) return;
    const value = String(input.allowPrivateReceivers);
    await tx
      .insert(instanceSettings)
      .values({ key: ALLOW_PRIVATE_RECEIVERS_KEY, value, updatedAt: now })
      .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: now } });
    await recordAudit(tx, {
      actor,
      action: "webhooks.settings_changed",
      subjectType: "program",
      subjectId: null,
      data: { allowPrivateReceivers: { from: before.allowPrivateReceivers, to: input.allowPrivateReceivers } },
      at: now,
    });
  });
}

/**
 * What a receiver's URL must meet now: https, except in development or when
 * private receivers are allowed (a self-hosted receiver on the same network
 * seldom has a certificate); public addresses unless private ones are allowed.
 */
export async function webhookUrlPolicy(ctx: Pick<AppContext, "db" | "config">, resolve?: Resolver): Promise<UrlPolicy> {
  const { allowPrivateReceivers } = await getWebhookSettings(ctx.db);
  return { allowPrivate: allowPrivateReceivers, allowHttp: allowPrivateReceivers || ctx.config.nodeEnv === "development", ...(resolve ? { resolve } : {}) };
}

/** A signing secret as Standard Webhooks writes one: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString("base64")}`;
}

export type EndpointInput = { url: string; description: string; eventTypes: readonly string[] };

/** The subscriptions as stored: known values only, in catalogue order; a family's wildcard stands for its events. */
export function normalisedSubscriptions(eventTypes: readonly string[]): string[] {
  const chosen = new Set(eventTypes);
  const wholeFamilies = new Set((Object.keys(WEBHOOK_FAMILIES) as WebhookFamily[]).filter((f) => chosen.has(`${f}.*`)));
  return WEBHOOK_SUBSCRIPTIONS.filter((value) => {
    if (!chosen.has(value)) return false;
    if (value.endsWith(".*")) return true;
    return !wholeFamilies.has(WEBHOOK_EVENTS[value as keyof typeof WEBHOOK_EVENTS].family);
  });
}

async function checkedInput(
  ctx: Pick<AppContext, "db" | "config">,
  input: EndpointInput,
  resolve?: Resolver,
): Promise<{ url: string; description: string; eventTypes: string[] }> {
  const raw = input.url.trim();
  if (!raw) throw new DomainError("Enter the receiver's address.", { field: "url" });
  if (raw.length > WEBHOOK_LIMITS.urlMax) throw new DomainError(`An address must be at most ${WEBHOOK_LIMITS.urlMax} characters.`, { field: "url" });
  let url: string;
  try {
    url = (await checkOutboundUrl(raw, await webhookUrlPolicy(ctx, resolve))).url.toString();
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw new DomainError(error.message, { field: "url" });
    throw error;
  }
  const description = input.description.trim();
  if (description.length > WEBHOOK_LIMITS.descriptionMax) {
    throw new DomainError(`A description must be at most ${WEBHOOK_LIMITS.descriptionMax} characters.`, { field: "description" });
  }
  if (input.eventTypes.some((type) => !WEBHOOK_SUBSCRIPTIONS.includes(type))) throw new DomainError("Choose events from the list.", { field: "eventTypes" });
  const eventTypes = normalisedSubscriptions(input.eventTypes);
  if (eventTypes.length === 0) throw new DomainError("Choose at least one event.", { field: "eventTypes" });
  return { url, description, eventTypes };
}

/** Registers an endpoint and returns its secret: the one time it is shown. */
export async function createEndpoint(
  ctx: AppContext,
  actor: Actor,
  input: EndpointInput,
  options: { resolve?: Resolver } = {},
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const checked = await checkedInput(ctx, input, options.resolve);
  const secret = newWebhookSecret();
  const endpoint = await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ ...checked, secret, createdById: actor.id, createdAt: now, updatedAt: now })
      .returning();
    await recordAudit(tx, { actor, action: "webhook.created", subjectType: "webhook_endpoint", subjectId: row!.id, data: checked, at: now });
    return row!;
  });
  return { endpoint, secret };
}

async function lockEndpoint(tx: Db, endpointId: string): Promise<WebhookEndpoint> {
  const [row] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).for("update");
  if (!row) throw new NotFoundError("Webhook endpoint not found.");
  return row;
}

/** Changes the URL, the description or the events; the audit event keeps what each was. */
export async function updateEndpoint(
  ctx: AppContext,
  actor: Actor,
  endpointId: string,
  input: EndpointInput,
  options: { resolve?: Resolver } = {},
): Promise<void> {
  const checked = await checkedInput(ctx, input, options.resolve);
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const before = await lockEndpoint(tx, endpointId);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (before.url !== checked.url) changes.url = { from: before.url, to: checked.url };
    if (before.description !== checked.description) changes.description = { from: before.description, to: checked.description };
    if (before.eventTypes.join(",") !== checked.eventTypes.join(",")) changes.eventTypes = { from: before.eventTypes, to: checked.eventTypes };
    if (Object.keys(changes).length === 0) return;
    await tx
      .update(webhookEndpoints)
      .set({ ...checked, updatedAt: now })
      .where(eq(webhookEndpoints.id, endpointId));
    await recordAudit(tx, { actor, action: "webhook.updated", subjectType: "webhook_endpoint", subjectId: endpointId, data: changes, at: now });
  });
}

/** Stops deliveries to an endpoint: they wait, and go when it is enabled again. */
export async function disableEndpoint(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: Actor,
  endpointId: string,
  reason = "Disabled by an admin.",
): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const endpoint = await lockEndpoint(tx, endpointId);
    if (!endpoint.enabled) throw new DomainError("This endpoint is already disabled.", { kind: "conflict" });
    await tx
      .update(webhookEndpoints)
      .set({ enabled: false, disabledAt: now, disabledReason: reason, updatedAt: now })
      .where(eq(webhookEndpoints.id, endpointId));
    await recordAudit(tx, {
      actor,
      action: "webhook.disabled",
      subjectType: "webhook_endpoint",
      subjectId: endpointId,
      data: { url: endpoint.url, reason },
      at: now,
    });
  });
}

/** Sends to an endpoint again, its failure count from zero: deliveries waiting for it go at once. */
export async function enableEndpoint(ctx: Pick<AppContext, "db" | "clock">, actor: Actor, endpointId: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const endpoint = await lockEndpoint(tx, endpointId);
    if (endpoint.enabled) throw new DomainError("This endpoint is already enabled.", { kind: "conflict" });
    await tx
      .update(webhookEndpoints)
      .set({ enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0, updatedAt: now })
      .where(eq(webhookEndpoints.id, endpointId));
    await recordAudit(tx, {
      actor,
      action: "webhook.enabled",
      subjectType: "webhook_endpoint",
      subjectId: endpointId,
      data: { url: endpoint.url, wasDisabledFor: endpoint.disabledReason },
      at: now,
    });
  });
}

/** How long the secret before a rotation keeps signing beside the new one: time to give the receiver the new secret. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * A new signing secret, in use from the next attempt on; returned once, like
 * the first. The old one signs too (a second signature) for
 * PREVIOUS_SECRET_GRACE_MS, unless `revokeOld` (a leaked secret) ends it now.
 */
export async function rotateSecret(
  ctx: Pick<AppContext, "db" | "clock">,
  actor: Actor,
  endpointId: string,
  options: { revokeOld?: boolean } = {},
): Promise<string> {
  const secret = newWebhookSecret();
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const endpoint = await lockEndpoint(tx, endpointId);
    const graceUntil = options.revokeOld ? null : new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS);
    await tx
      .update(webhookEndpoints)
      .set({ secret, secretRotatedAt: now, previousSecret: graceUntil ? endpoint.secret : null, previousSecretExpiresAt: graceUntil, updatedAt: now })
      .where(eq(webhookEndpoints.id, endpointId));
    await recordAudit(tx, {
      actor,
      action: "webhook.secret_rotated",
      subjectType: "webhook_endpoint",
      subjectId: endpointId,
      data: { url: endpoint.url, previousSecretSignsUntil: graceUntil?.toISOString() ?? null },
      at: now,
    });
  });
  return secret;
}

/** The secrets that sign an attempt at `now`: the current one, and the one before it during its grace period. */
export function signingSecrets(endpoint: Pick<WebhookEndpoint, "secret" | "previousSecret" | "previousSecretExpiresAt">, now: Date): string[] {
  const previous = endpoint.previousSecret;
  const lives = previous !== null && endpoint.previousSecretExpiresAt !== null && endpoint.previousSecretExpiresAt.getTime() > now.getTime();
  return lives ? [endpoint.secret, previous] : [endpoint.secret];
}

/** Deletes an endpoint and its delivery log; the audit trail keeps that it existed. */
export async function deleteEndpoint(ctx: Pick<AppContext, "db" | "clock">, actor: Actor, endpointId: string): Promise<{ url: string }> {
  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const endpoint = await lockEndpoint(tx, endpointId);
    const [deliveries] = await tx.select({ n: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
    await recordAudit(tx, {
      actor,
      action: "webhook.deleted",
      subjectType: "webhook_endpoint",
      subjectId: endpointId,
      data: { url: endpoint.url, eventTypes: endpoint.eventTypes, deliveries: deliveries?.n ?? 0 },
      at: now,
    });
    return { url: endpoint.url };
  });
}

/** Queues a `webhook.test` event to this endpoint only, whatever it subscribes to. */
export async function sendTestEvent(ctx: Pick<AppContext, "db" | "clock">, actor: Actor, endpointId: string): Promise<WebhookDelivery> {
  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const endpoint = await lockEndpoint(tx, endpointId);
    if (!endpoint.enabled) throw new DomainError("This endpoint is disabled: enable it to send a test event.", { kind: "conflict" });
    const delivery = await insertDelivery(tx, endpoint.id, WEBHOOK_TEST_EVENT, { endpointId: endpoint.id, message: "A test event sent from Cobrand." }, now);
    await recordAudit(tx, {
      actor,
      action: "webhook.test_sent",
      subjectType: "webhook_endpoint",
      subjectId: endpoint.id,
      data: { url: endpoint.url, messageId: delivery.messageId },
      at: now,
    });
    return delivery;
  });
}

/**
 * Sends a delivery again with a fresh set of attempts, the same webhook-id
 * (receivers that saw it can tell it is a repeat). Not while it is being sent.
 */
export async function redeliver(ctx: Pick<AppContext, "db" | "clock">, actor: Actor, endpointId: string, deliveryId: number): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const endpoint = await lockEndpoint(tx, endpointId);
    const [delivery] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)))
      .for("update");
    if (!delivery) throw new NotFoundError("Delivery not found.");
    if (!endpoint.enabled) throw new DomainError("This endpoint is disabled: enable it first, then redeliver.", { kind: "conflict" });
    if (delivery.status === "sending" || delivery.status === "pending")
      throw new DomainError("This delivery is already waiting to be sent.", { kind: "conflict" });
    await tx
      .update(webhookDeliveries)
      .set({ status: "pending", attempts: 0, nextAttemptAt: now, lockedUntil: null })
      .where(eq(webhookDeliveries.id, delivery.id));
    await recordAudit(tx, {
      actor,
      action: "webhook.redelivered",
      subjectType: "webhook_endpoint",
      subjectId: endpoint.id,
      data: { messageId: delivery.messageId, eventType: delivery.eventType, previousStatus: delivery.status },
      at: now,
    });
  });
}

export type EndpointView = Omit<WebhookEndpoint, "secret" | "previousSecret"> & { createdByName: string | null };

const viewColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  eventTypes: webhookEndpoints.eventTypes,
  secretRotatedAt: webhookEndpoints.secretRotatedAt,
  previousSecretExpiresAt: webhookEndpoints.previousSecretExpiresAt,
  enabled: webhookEndpoints.enabled,
  disabledAt: webhookEndpoints.disabledAt,
  disabledReason: webhookEndpoints.disabledReason,
  consecutiveFailures: webhookEndpoints.consecutiveFailures,
  createdById: webhookEndpoints.createdById,
  createdAt: webhookEndpoints.createdAt,
  updatedAt: webhookEndpoints.updatedAt,
  createdByName: users.name,
};

/** Every endpoint, newest first, never with its secret. */
export function listEndpoints(ctx: Pick<AppContext, "db">, page: number): Promise<Page<EndpointView>> {
  return paginate(
    page,
    WEBHOOKS_PAGE_SIZE,
    (limit, offset) =>
      ctx.db
        .select(viewColumns)
        .from(webhookEndpoints)
        .leftJoin(users, eq(users.id, webhookEndpoints.createdById))
        .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))
        .limit(limit)
        .offset(offset),
    () => ctx.db.select({ n: count() }).from(webhookEndpoints),
  );
}

export async function getEndpoint(ctx: Pick<AppContext, "db">, endpointId: string): Promise<EndpointView> {
  const [row] = await ctx.db
    .select(viewColumns)
    .from(webhookEndpoints)
    .leftJoin(users, eq(users.id, webhookEndpoints.createdById))
    .where(eq(webhookEndpoints.id, endpointId));
  if (!row) throw new NotFoundError("Webhook endpoint not found.");
  return row;
}

/** An endpoint's deliveries, newest first. */
export function listDeliveries(ctx: Pick<AppContext, "db">, endpointId: string, page: number): Promise<Page<WebhookDelivery>> {
  return paginate(
    page,
    WEBHOOK_DELIVERIES_PAGE_SIZE,
    (limit, offset) =>
      ctx.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.endpointId, endpointId))
        .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
        .limit(limit)
        .offset(offset),
    () => ctx.db.select({ n: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)),
  );
}

/** One delivery of one endpoint (a delivery id under another endpoint is not found). */
export async function getDelivery(ctx: Pick<AppContext, "db">, endpointId: string, deliveryId: number): Promise<WebhookDelivery> {
  const [row] = Number.isSafeInteger(deliveryId)
    ? await ctx.db
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)))
    : [];
  if (!row) throw new NotFoundError("Delivery not found.");
  return row;
}
