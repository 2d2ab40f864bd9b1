import crypto from "node:crypto";
import { and, desc, eq, gt, inArray, ne, or, sql } from "drizzle-orm";
import { applications } from "#db/schema/index";
import { recordAudit } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { enqueueEmail } from "~/lib/outbox.server";
import { consumeLimit, limitKey, type Limit } from "~/lib/rate-limit.server";
import { emailBrand, getBranding, getProgramRules, type ProgramRules } from "../settings/program.server";
import { DomainError } from "../errors";
import type { ClientMeta } from "../accounts/login.server";
import { applicationReceivedEmail } from "../notifications/emails.server";
import { applicationStatusPath } from "./catalog";
import { reapplyFrom } from "./cooldown";
import type { ApplyInput } from "./schemas.server";
import { computeFitScore, computeRiskFlags, emailDomain, websiteDomain } from "./scoring.server";
import { emitWebhookEvent } from "../webhooks/emit.server";

export const APPLY_PER_IP: Limit = { points: 10, windowSeconds: 60 * 60 };
export const OPEN_STATUSES = ["submitted", "info_requested"] as const;

// Crockford's base32 without look-alikes: easy to read out over the phone.
const REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
export function newReference(): string {
  const bytes = crypto.randomBytes(8);
  return `APP-${[...bytes].map((b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join("")}`;
}

export const statusUrl = (origin: string, reference?: string) => `${origin}${applicationStatusPath(reference)}`;

/** The confirmation page after applying (post/redirect/get); `amended` after an update sent back. */
export const submittedLocation = (reference: string, options: { amended?: boolean } = {}) =>
  `/apply/submitted?reference=${encodeURIComponent(reference)}${options.amended ? "&amended=1" : ""}`;

/**
 * Scores answers against the program's rules. Duplicates are looked for among
 * every other application (`excludeId` is the one being amended).
 */
export async function assessAnswers(tx: Db, answers: ApplyInput, rules: ProgramRules, excludeId?: string) {
  const siteDomain = websiteDomain(answers.website);
  const others = excludeId ? ne(applications.id, excludeId) : undefined;
  const [dupEmail] = await tx
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.email, answers.email), others))
    .limit(1);
  const [dupDomain] = siteDomain
    ? await tx
        .select({ id: applications.id })
        .from(applications)
        .where(and(eq(applications.websiteDomain, siteDomain), others))
        .limit(1)
    : [];
  const flags = computeRiskFlags(answers, rules, { duplicateEmail: Boolean(dupEmail), duplicateDomain: Boolean(dupDomain) });
  const score = computeFitScore(answers, rules, flags);
  return { flags, score, emailDomain: emailDomain(answers.email), websiteDomain: siteDomain };
}

/**
 * Stores a new application with its fit score and risk flags, queues the
 * confirmation email and records the event, all in one transaction.
 */
export async function submitApplication(ctx: AppContext, input: ApplyInput, meta: ClientMeta, origin: string): Promise<{ reference: string }> {
  const now = ctx.clock.now();
  const perIp = await consumeLimit(ctx.db, limitKey(ctx.config.appSecret, "apply:ip", meta.ip ?? "unknown"), APPLY_PER_IP, now);
  if (!perIp.allowed) {
    throw new DomainError(`Too many applications from your network. Try again in ${Math.ceil(perIp.retryAfterSeconds / 60)} minutes.`, {
      kind: "rate_limited",
    });
  }
  const [rules, branding] = await Promise.all([getProgramRules(ctx.db), getBranding(ctx.db)]);
  const email = input.email;
  const mailDomain = emailDomain(email);
  const siteDomain = websiteDomain(input.website);

  return transaction(ctx.db, async (tx) => {
    // Serialise submissions per email so two tabs cannot both pass the duplicate check.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`application:${email}`}))`);

    const [open] = await tx
      .select({ id: applications.id })
      .from(applications)
      .where(and(eq(applications.email, email), inArray(applications.status, [...OPEN_STATUSES])))
      .limit(1);
    if (open) {
      throw new DomainError(
        "An application from this email address is already being reviewed. You can check its status with the reference from your confirmation email.",
        { field: "email", kind: "conflict" },
      );
    }

    const cooldownStart = new Date(now.getTime() - rules.reapplyCooldownDays * 86_400_000);
    const sameApplicant = siteDomain ? or(eq(applications.email, email), eq(applications.websiteDomain, siteDomain)) : eq(applications.email, email);
    const [recentRejection] = await tx
      .select({ decidedAt: applications.decidedAt })
      .from(applications)
      .where(and(sameApplicant, eq(applications.status, "rejected"), gt(applications.decidedAt, cooldownStart)))
      .orderBy(desc(applications.decidedAt))
      .limit(1);
    if (recentRejection?.decidedAt) {
      const until = reapplyFrom(recentRejection.decidedAt, rules.reapplyCooldownDays);
      throw new DomainError(`A recent application from you was not accepted. You can apply again from ${formatDate(until)}.`, { kind: "conflict" });
    }

    const { flags, score } = await assessAnswers(tx, input, rules);
    const reference = newReference();

    const [row] = await tx
      .insert(applications)
      .values({
        reference,
        company: input.company,
        contactName: input.contactName,
        email,
        emailDomain: mailDomain,
        website: input.website,
        websiteDomain: siteDomain,
        partnerType: input.partnerType,
        channels: input.channels,
        audienceSize: input.audienceSize,
        regions: input.regions,
        audienceDescription: input.audienceDescription,
        promotionPlan: input.promotionPlan,
        socialHandles: input.socialHandles,
        privacyConsentAt: now,
        fitScore: score.total,
        score,
        flags,
        flagCodes: flags.map((f) => f.code),
        submitterIp: meta.ip,
      })
      .returning({ id: applications.id });
    await enqueueEmail(
      tx,
      applicationReceivedEmail({
        to: email,
        ...emailBrand(branding, origin),
        contactName: input.contactName,
        reference,
        statusUrl: statusUrl(origin, reference),
      }),
    );
    await recordAudit(tx, {
      actor: { id: null, label: email, ip: meta.ip },
      action: "application.submitted",
      subjectType: "application",
      subjectId: row!.id,
      data: { reference, company: input.company, fitScore: score.total, flags: flags.map((f) => f.code) },
      at: now,
    });
    await emitWebhookEvent(tx, ctx, "application.submitted", {
      applicationId: row!.id,
      reference,
      company: input.company,
      partnerType: input.partnerType,
      submittedAt: now,
    });
    return { reference };
  });
}
