import { and, eq } from "drizzle-orm";
import { applications } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import { consumeLimit, limitKey, type Limit } from "~/lib/rate-limit.server";
import type { ClientMeta } from "../accounts/login.server";
import { DomainError } from "../errors";
import { getProgramRules } from "../settings/program.server";
import type { ApplicationStatus } from "./catalog";
import { reapplyFrom } from "./cooldown";

export const STATUS_CHECKS_PER_IP: Limit = { points: 20, windowSeconds: 60 * 60 };

export type StatusAnswer =
  | { found: false }
  | {
      found: true;
      reference: string;
      company: string;
      status: ApplicationStatus;
      submittedAt: Date;
      decidedAt: Date | null;
      question: string | null;
      reapplyFrom: Date | null;
    };

/**
 * Looks an application up by reference and email together. A wrong email and
 * an unknown reference get the same answer, so the page cannot be used to
 * find out whether a reference or an address exists.
 */
export async function checkApplicationStatus(ctx: AppContext, input: { reference: string; email: string }, meta: ClientMeta): Promise<StatusAnswer> {
  const limit = await consumeLimit(ctx.db, limitKey(ctx.config.appSecret, "status:ip", meta.ip ?? "unknown"), STATUS_CHECKS_PER_IP);
  if (!limit.allowed) {
    throw new DomainError(`Too many status checks from your network. Try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.`, {
      kind: "rate_limited",
    });
  }
  const [row] = await ctx.db
    .select({
      reference: applications.reference,
      company: applications.company,
      status: applications.status,
      submittedAt: applications.submittedAt,
      decidedAt: applications.decidedAt,
      decisionNote: applications.decisionNote,
    })
    .from(applications)
    .where(and(eq(applications.reference, input.reference), eq(applications.email, input.email)))
    .limit(1);
  if (!row) return { found: false };
  const { reapplyCooldownDays } = await getProgramRules(ctx.db);
  return {
    found: true,
    reference: row.reference,
    company: row.company,
    status: row.status,
    submittedAt: row.submittedAt,
    decidedAt: row.decidedAt,
    question: row.status === "info_requested" ? row.decisionNote : null,
    reapplyFrom: row.status === "rejected" && row.decidedAt ? reapplyFrom(row.decidedAt, reapplyCooldownDays) : null,
  };
}
