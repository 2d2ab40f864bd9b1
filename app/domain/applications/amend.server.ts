import { eq } from "drizzle-orm";
import { applicationReplies, applications, type Application } from "#db/schema/index";
import { recordAudit } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { enqueueEmail } from "~/lib/outbox.server";
import { hashToken } from "~/lib/tokens.server";
import type { ClientMeta } from "../accounts/login.server";
import { DomainError } from "../errors";
import { applicationReceivedEmail } from "../notifications/emails.server";
import { redactUsedToken } from "../notifications/outbox.server";
import { emailBrand, getBranding, getProgramRules } from "../settings/program.server";
import type { ApplyInput } from "./schemas.server";
import { assessAnswers, statusUrl } from "./submit.server";

const AMEND_LINK_MESSAGES = {
  unknown: "This link is not valid. Use the link in the most recent email we sent you.",
  expired: "This link has expired. Reply to our email and we will send you a new one.",
  done: "This application is no longer waiting for an update: it has already been sent back to our team. You can check its status with your reference.",
} as const;

type AmendLink = { ok: true; application: Application } | { ok: false; message: string };

async function findAmendable(db: Db, token: string | null, now: Date, options: { forUpdate?: boolean } = {}): Promise<AmendLink> {
  if (!token || token.length > 200) return { ok: false, message: AMEND_LINK_MESSAGES.unknown };
  const query = db
    .select()
    .from(applications)
    .where(eq(applications.amendTokenHash, hashToken(token)))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) return { ok: false, message: AMEND_LINK_MESSAGES.unknown };
  if (row.status !== "info_requested") return { ok: false, message: AMEND_LINK_MESSAGES.done };
  if (!row.amendExpiresAt || row.amendExpiresAt <= now) return { ok: false, message: AMEND_LINK_MESSAGES.expired };
  return { ok: true, application: row };
}

/** What the amend page shows: the answers as they are and the reviewer's question. */
export async function describeAmendment(ctx: AppContext, token: string | null) {
  const link = await findAmendable(ctx.db, token, ctx.clock.now());
  if (!link.ok) return link;
  const a = link.application;
  return {
    ok: true as const,
    reference: a.reference,
    question: a.decisionNote ?? "",
    answers: {
      company: a.company,
      contactName: a.contactName,
      email: a.email,
      website: a.website ?? "",
      socialHandles: a.socialHandles ?? "",
      partnerType: a.partnerType,
      channels: a.channels.join(","),
      regions: a.regions.join(","),
      audienceSize: String(a.audienceSize),
      audienceDescription: a.audienceDescription,
      promotionPlan: a.promotionPlan,
    },
  };
}

const AMENDABLE_FIELDS = [
  "company",
  "contactName",
  "website",
  "partnerType",
  "channels",
  "audienceSize",
  "regions",
  "audienceDescription",
  "promotionPlan",
  "socialHandles",
] as const;

/** A text answer and/or one file that already passed its checks and sits in storage at `key`. */
export type ReplyToStore = {
  id: string;
  message: string | null;
  attachment: { key: string; filename: string; contentType: string; size: number; sha256: string } | null;
};

/**
 * The applicant's answer to a request for information: the same application,
 * rescored, back in the queue, with their reply (text, file) if they wrote
 * one. The email address is who they are, so it stays.
 */
export async function amendApplication(
  ctx: AppContext,
  token: string,
  input: ApplyInput,
  meta: ClientMeta,
  origin: string,
  reply: ReplyToStore | null = null,
): Promise<{ reference: string }> {
  const [rules, branding] = await Promise.all([getProgramRules(ctx.db), getBranding(ctx.db)]);
  return transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const link = await findAmendable(tx, token, now, { forUpdate: true });
    if (!link.ok) throw new DomainError(link.message, { kind: "gone" });
    const before = link.application;
    const answers: ApplyInput = { ...input, email: before.email };
    const { flags, score, websiteDomain } = await assessAnswers(tx, answers, rules, before.id);
    const changed = AMENDABLE_FIELDS.filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(answers[field] ?? null));
    await tx
      .update(applications)
      .set({
        company: answers.company,
        contactName: answers.contactName,
        website: answers.website,
        websiteDomain,
        partnerType: answers.partnerType,
        channels: answers.channels,
        audienceSize: answers.audienceSize,
        regions: answers.regions,
        audienceDescription: answers.audienceDescription,
        promotionPlan: answers.promotionPlan,
        socialHandles: answers.socialHandles,
        fitScore: score.total,
        score,
        flags,
        flagCodes: flags.map((f) => f.code),
        status: "submitted",
        // The link's hash stays so that reopening it explains that it was used.
        revision: before.revision + 1,
      })
      .where(eq(applications.id, before.id));
    if (reply) await storeReply(tx, before, reply, meta, now);
    await redactUsedToken(tx, token, now);
    await enqueueEmail(
      tx,
      applicationReceivedEmail({
        to: before.email,
        ...emailBrand(branding, origin),
        contactName: answers.contactName,
        reference: before.reference,
        statusUrl: statusUrl(origin, before.reference),
        amended: true,
      }),
    );
    await recordAudit(tx, {
      actor: { id: null, label: before.email, ip: meta.ip },
      action: "application.resubmitted",
      subjectType: "application",
      subjectId: before.id,
      data: {
        reference: before.reference,
        revision: before.revision + 1,
        changed,
        fitScore: { from: before.fitScore, to: score.total },
        flags: flags.map((f) => f.code),
      },
      at: now,
    });
    return { reference: before.reference };
  });
}

async function storeReply(tx: Db, application: Application, reply: ReplyToStore, meta: ClientMeta, now: Date) {
  const file = reply.attachment;
  await tx.insert(applicationReplies).values({
    id: reply.id,
    applicationId: application.id,
    revision: application.revision + 1,
    message: reply.message,
    attachmentKey: file?.key ?? null,
    attachmentName: file?.filename ?? null,
    attachmentContentType: file?.contentType ?? null,
    attachmentSize: file?.size ?? null,
    attachmentSha256: file?.sha256 ?? null,
  });
  await recordAudit(tx, {
    actor: { id: null, label: application.email, ip: meta.ip },
    action: "application.reply_received",
    subjectType: "application",
    subjectId: application.id,
    data: {
      reference: application.reference,
      replyId: reply.id,
      message: reply.message,
      attachment: file && { filename: file.filename, contentType: file.contentType, size: file.size, sha256: file.sha256 },
    },
    at: now,
  });
}
