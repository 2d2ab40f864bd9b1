import { and, count, eq } from "drizzle-orm";
import { creativeVersions, partnerOrganisations, trackingLinks, type Creative, type TrackingLink } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { slugify } from "~/lib/slug";
import { labelOf } from "../applications/catalog";
import type { PartnerActor } from "../creatives/submissions.server";
import { tierLabel } from "../partners/catalog";
import { currentRuleSet } from "../creatives/rules.server";
import { DomainError, ForbiddenError, NotFoundError } from "../errors";
import { notify, partnerMembers } from "../notifications/notify.server";
import { checkDestination, normaliseAllowedDomain } from "../prescreen/destination";
import { DEFAULT_EVERGREEN_LIMIT, EVERGREEN_CAMPAIGN, LINK_LIMITS, type LinkSettings } from "./catalog";
import { newShortCode } from "./codes.server";
import { notifyLinksChanged } from "./notify.server";
import { getLinkSettings } from "./settings.server";
import { emitWebhookEvent } from "../webhooks/emit.server";

const NOT_FOUND = "Link not found.";

/** A fresh code; a clash with an existing one (one in 62⁸) takes the next. */
async function unusedCode(tx: Db): Promise<string> {
  for (;;) {
    const code = newShortCode();
    const [taken] = await tx.select({ id: trackingLinks.id }).from(trackingLinks).where(eq(trackingLinks.code, code));
    if (!taken) return code;
  }
}

/** Allowlisted destinations in force now (the pre-screen rules' list). */
async function allowedDomains(tx: Db): Promise<readonly string[]> {
  return (await currentRuleSet(tx)).rules.allowedDomains;
}

/**
 * The tracking link of an approved creative version, made in the approval's
 * transaction: bound to the version, to the creative's destination (or the
 * program's default destination when it has none), with the UTM convention's
 * values fixed now. Returns null, and records why, when there is no
 * destination to send visitors to or it is not allowlisted any more.
 */
export async function issueCreativeLink(
  tx: Db,
  input: {
    creative: Pick<Creative, "id" | "organisationId">;
    versionId: string;
    actor: Actor;
    now: Date;
  },
): Promise<TrackingLink | null> {
  const { creative, now } = input;
  const [existing] = await tx.select().from(trackingLinks).where(eq(trackingLinks.creativeVersionId, input.versionId));
  if (existing) return existing;
  const [version] = await tx.select().from(creativeVersions).where(eq(creativeVersions.id, input.versionId));
  if (!version) throw new NotFoundError("Creative version not found.");
  const settings = await getLinkSettings(tx);
  const destination = version.destinationUrl.trim() || settings.defaultDestinationUrl;
  const refusal = destination ? checkDestination(destination, await allowedDomains(tx)) : null;
  if (!destination || refusal) {
    await recordAudit(tx, {
      actor: input.actor,
      action: "link.not_issued",
      subjectType: "creative",
      subjectId: creative.id,
      partnerOrgId: creative.organisationId,
      data: { version: version.number, reason: refusal ? refusal.message : "The creative has no destination and the program has no default destination." },
      at: now,
    });
    return null;
  }
  const [org] = await tx.select({ slug: partnerOrganisations.slug }).from(partnerOrganisations).where(eq(partnerOrganisations.id, creative.organisationId));
  if (!org) throw new NotFoundError("Partner organisation not found.");
  const campaign = slugify(version.title, { fallback: "creative", maxLength: 60 });
  const [link] = await tx
    .insert(trackingLinks)
    .values({
      code: await unusedCode(tx),
      organisationId: creative.organisationId,
      kind: "creative",
      creativeId: creative.id,
      creativeVersionId: version.id,
      label: version.title,
      destinationUrl: destination,
      utmSource: org.slug,
      utmMedium: version.channel,
      utmCampaign: campaign,
      utmContent: `${campaign}-v${version.number}`,
      createdById: input.actor.id,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await recordAudit(tx, {
    actor: input.actor,
    action: "link.issued",
    subjectType: "tracking_link",
    subjectId: link!.id,
    partnerOrgId: creative.organisationId,
    data: { code: link!.code, creativeId: creative.id, version: version.number, destination },
    at: now,
  });
  await emitWebhookEvent(tx, { now }, "link.created", {
    linkId: link!.id,
    code: link!.code,
    partnerId: creative.organisationId,
    kind: "creative",
    creativeId: creative.id,
    destinationUrl: destination,
    at: now,
  });
  return link!;
}

/** Evergreen links an organisation of `tier` may have. */
const evergreenLimitOf = (settings: LinkSettings, tier: string) =>
  Math.min(settings.evergreenLimits[tier] ?? DEFAULT_EVERGREEN_LIMIT, LINK_LIMITS.evergreenMax);

/** Evergreen links the organisation made; disabled ones count too, so disabling one never frees a place. */
async function evergreenLinksMade(db: Db, organisationId: string): Promise<number> {
  const [made] = await db
    .select({ n: count() })
    .from(trackingLinks)
    .where(and(eq(trackingLinks.organisationId, organisationId), eq(trackingLinks.kind, "evergreen")));
  return made?.n ?? 0;
}

export type EvergreenOptions = {
  /** The organisation's channels, one of which each link is for (utm_medium). */
  channels: string[];
  /** The allowlisted destination domains in force now. */
  allowedDomains: string[];
  tier: string;
  limit: number;
  used: number;
  /** Why no link can be made now (a paused or terminated partnership), or null. */
  refusal: string | null;
};

/** What the new evergreen link form shows: the channels to choose from, the allowlist, and the tier's limit with how much of it is used. */
export async function evergreenOptions(db: Db, organisationId: string): Promise<EvergreenOptions> {
  const [org] = await db
    .select({ channels: partnerOrganisations.channels, tier: partnerOrganisations.tier, status: partnerOrganisations.status })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.id, organisationId));
  if (!org) throw new NotFoundError("Partner organisation not found.");
  const [settings, allowed, used] = await Promise.all([getLinkSettings(db), allowedDomains(db), evergreenLinksMade(db, organisationId)]);
  return {
    channels: org.channels,
    allowedDomains: allowed.flatMap((entry) => normaliseAllowedDomain(entry) ?? []),
    tier: org.tier,
    limit: evergreenLimitOf(settings, org.tier),
    used,
    refusal: org.status === "paused" || org.status === "terminated" ? pausedOrTerminated(org.status) : null,
  };
}

const pausedOrTerminated = (status: "paused" | "terminated") =>
  `Your partnership is ${status}, so no new links can be made. Your contact at the program can tell you more.`;

export type EvergreenLinkInput = { label: string; destinationUrl: string; channel: string };

/**
 * An evergreen link the partner makes to an allowlisted page. Only an
 * organisation in good standing may (the partner area's policy gate has
 * already checked acceptance), within its tier's limit, on one of its channels.
 */
export async function createEvergreenLink(ctx: AppContext, actor: PartnerActor, input: EvergreenLinkInput): Promise<TrackingLink> {
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    // One organisation's links are counted one save at a time, so two tabs cannot both take the last one.
    const [org] = await tx.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, actor.partnerOrgId)).for("update");
    if (!org) throw new NotFoundError("Partner organisation not found.");
    if (org.status === "paused" || org.status === "terminated") {
      throw new ForbiddenError(pausedOrTerminated(org.status), `partner_${org.status}`);
    }
    if (!org.channels.includes(input.channel)) {
      throw new DomainError(`Choose one of your channels (${org.channels.map(labelOf).join(", ") || "none yet"}).`, { field: "channel", kind: "invalid" });
    }
    const refusal = checkDestination(input.destinationUrl, await allowedDomains(tx));
    if (refusal) throw new DomainError(refusal.message, { field: "destinationUrl", kind: "invalid" });
    const limit = evergreenLimitOf(await getLinkSettings(tx), org.tier);
    if ((await evergreenLinksMade(tx, org.id)) >= limit) {
      throw new DomainError(
        `Your ${tierLabel(org.tier)} tier allows ${limit} evergreen link${limit === 1 ? "" : "s"}, and you have made them all. Disabled links count too; ask the program team for more.`,
        { kind: "conflict" },
      );
    }
    const label = input.label.trim();
    const [link] = await tx
      .insert(trackingLinks)
      .values({
        code: await unusedCode(tx),
        organisationId: org.id,
        kind: "evergreen",
        label,
        destinationUrl: input.destinationUrl.trim(),
        utmSource: org.slug,
        utmMedium: input.channel,
        utmCampaign: EVERGREEN_CAMPAIGN,
        utmContent: slugify(label, { fallback: "link", maxLength: 60 }),
        createdById: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordAudit(tx, {
      actor,
      action: "link.created",
      subjectType: "tracking_link",
      subjectId: link!.id,
      partnerOrgId: org.id,
      data: { code: link!.code, label, destination: link!.destinationUrl, channel: input.channel },
      at: now,
    });
    await emitWebhookEvent(tx, { now }, "link.created", {
      linkId: link!.id,
      code: link!.code,
      partnerId: org.id,
      partnerName: org.name,
      kind: "evergreen",
      label,
      destinationUrl: link!.destinationUrl,
      at: now,
    });
    return link!;
  });
}

/**
 * Disables or re-enables a link, with the reason on record. Every instance's
 * redirect hears of it on commit (NOTIFY) and sends the link's visitors to
 * the fallback page from then on.
 */
export async function setLinkStatus(
  ctx: AppContext,
  actor: Actor,
  linkId: string,
  change: { status: "active" | "disabled"; reason: string },
): Promise<TrackingLink> {
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    const [link] = await tx.select().from(trackingLinks).where(eq(trackingLinks.id, linkId)).for("update");
    if (!link) throw new NotFoundError(NOT_FOUND);
    if (link.status === change.status) {
      throw new DomainError(change.status === "disabled" ? "This link is already disabled." : "This link is already active.", { kind: "conflict" });
    }
    const disabling = change.status === "disabled";
    const [updated] = await tx
      .update(trackingLinks)
      .set({ status: change.status, disabledAt: disabling ? now : null, disabledReason: disabling ? change.reason : null, updatedAt: now })
      .where(eq(trackingLinks.id, link.id))
      .returning();
    await recordAudit(tx, {
      actor,
      action: disabling ? "link.disabled" : "link.enabled",
      subjectType: "tracking_link",
      subjectId: link.id,
      partnerOrgId: link.organisationId,
      data: { code: link.code, reason: change.reason },
      at: now,
    });
    if (disabling)
      await emitWebhookEvent(tx, { now }, "link.disabled", {
        linkId: link.id,
        code: link.code,
        partnerId: link.organisationId,
        kind: link.kind,
        reason: change.reason,
        at: now,
      });
    await notifyLinksChanged(tx, link.code);
    if (disabling) {
      await notify(
        tx,
        { now },
        {
          recipients: await partnerMembers(tx, link.organisationId),
          kind: "link_disabled",
          title: `Your link "${link.label}" was disabled`,
          body: `Its visitors now go to the program's fallback page. Why: ${change.reason}`,
          href: `/partner/links/${link.id}`,
          subject: { type: "tracking_link", id: link.id },
        },
      );
    }
    return updated!;
  });
}

/** Tells every redirect that a creative's links changed (its approval was revoked): they go to the fallback page at once. */
export async function notifyCreativeLinksChanged(tx: Db, creativeId: string): Promise<void> {
  const links = await tx.select({ code: trackingLinks.code }).from(trackingLinks).where(eq(trackingLinks.creativeId, creativeId));
  for (const { code } of links) await notifyLinksChanged(tx, code);
}
