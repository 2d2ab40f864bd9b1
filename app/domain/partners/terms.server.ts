import { and, desc, eq, inArray } from "drizzle-orm";
import { auditEvents, partnerOrganisations, users, type PartnerOrganisation } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import type { Db } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { enqueueEmail } from "~/lib/outbox.server";
import { DomainError, NotFoundError } from "../errors";
import { partnerTermsChangedEmail } from "../notifications/emails.server";
import { emailBrand, getBranding, getProgramRules } from "../settings/program.server";
import { describeTerms, minorUnitsPer, RATE_MODELS, tierLabel, type CommercialModel } from "./catalog";
import type { ChangeTermsInput } from "./schemas.server";

/** What the terms form asks for, before it is stored. */
type TermsForm = { commercialModel: CommercialModel; rate?: number | undefined; amount?: number | undefined; currency?: string | undefined };

/** Commercial terms as stored: a rate in basis points, or an amount in minor units of its currency. */
export function storedTermsOf(input: TermsForm) {
  if (RATE_MODELS.includes(input.commercialModel)) {
    return { commercialModel: input.commercialModel, rateBasisPoints: Math.round(input.rate! * 100), amountMinor: null, currency: null };
  }
  const currency = input.currency!;
  return { commercialModel: input.commercialModel, rateBasisPoints: null, amountMinor: Math.round(input.amount! * minorUnitsPer(currency)), currency };
}

/** Tier, terms and renewal date: the values a terms change records as `from` and `to`. */
export type TermsSnapshot = {
  tier: string;
  commercialModel: string;
  rateBasisPoints: number | null;
  amountMinor: number | null;
  currency: string | null;
  renewalDate: string | null;
};

const snapshotOf = (org: Pick<PartnerOrganisation, keyof TermsSnapshot>): TermsSnapshot => ({
  tier: org.tier,
  commercialModel: org.commercialModel,
  rateBasisPoints: org.rateBasisPoints,
  amountMinor: org.amountMinor,
  currency: org.currency,
  renewalDate: org.renewalDate,
});

const sameTerms = (a: TermsSnapshot, b: TermsSnapshot) => (Object.keys(a) as (keyof TermsSnapshot)[]).every((key) => a[key] === b[key]);

export const TERMS_ACTIONS = ["partner.created", "partner.terms_changed"] as const;

/**
 * Changes a partner's tier, commercial terms and renewal date. The change,
 * its audit event (with the values before and after) and the email to the
 * organisation's owner commit together or not at all.
 */
export async function changePartnerTerms(
  ctx: AppContext,
  actor: Actor,
  partnerOrgId: string,
  input: ChangeTermsInput,
  origin: string,
): Promise<{ notified: string | null }> {
  const [rules, branding] = await Promise.all([getProgramRules(ctx.db), getBranding(ctx.db)]);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    // Locked so two admins editing at once each record the real `from`.
    const [org] = await tx.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, partnerOrgId)).for("update");
    if (!org) throw new NotFoundError("Partner not found.");
    if (org.status === "terminated") throw new DomainError("This partnership is terminated: its terms can no longer change.", { kind: "conflict" });
    // A tier since removed from the program's settings may be kept, not chosen anew.
    if (!rules.partnerTiers.includes(input.tier) && input.tier !== org.tier) throw new DomainError("Choose a tier from the list.", { field: "tier" });

    const from = snapshotOf(org);
    const to: TermsSnapshot = { tier: input.tier, ...storedTermsOf(input), renewalDate: input.renewalDate };
    if (sameTerms(from, to)) throw new DomainError("These are already the partner's tier and terms: nothing was changed.");

    await tx
      .update(partnerOrganisations)
      .set({
        ...to,
        commercialModel: to.commercialModel as CommercialModel,
        // A new renewal date gets its reminders afresh.
        ...(to.renewalDate !== from.renewalDate ? { renewalRemindedDays: null } : {}),
        updatedAt: now,
      })
      .where(eq(partnerOrganisations.id, partnerOrgId));

    const [owner] = await tx
      .select({ email: users.email, name: users.name })
      .from(users)
      .where(and(eq(users.partnerOrgId, partnerOrgId), eq(users.partnerRole, "owner"), eq(users.status, "active")))
      .limit(1);
    if (owner) {
      await enqueueEmail(
        tx,
        partnerTermsChangedEmail({
          to: owner.email,
          ...emailBrand(branding, origin),
          name: owner.name,
          organisationName: org.name,
          tier: tierLabel(to.tier),
          terms: describeTerms(to),
          renewalDate: to.renewalDate,
          reason: input.reason,
          url: `${origin}/partner`,
        }),
      );
    }
    await recordAudit(tx, {
      actor,
      action: "partner.terms_changed",
      subjectType: "partner",
      subjectId: partnerOrgId,
      partnerOrgId,
      data: { from, to, reason: input.reason, notified: owner?.email ?? null },
      at: now,
    });
    return { notified: owner?.email ?? null };
  });
}

export type TermsHistoryEntry = { id: number; occurredAt: Date; actorLabel: string; action: string; data: Record<string, unknown> };

/** How the partner's terms came to be, newest first: the approval, then each change (read from the audit trail). */
export function termsHistory(db: Db, partnerOrgId: string, limit = 50): Promise<TermsHistoryEntry[]> {
  return db
    .select({ id: auditEvents.id, occurredAt: auditEvents.occurredAt, actorLabel: auditEvents.actorLabel, action: auditEvents.action, data: auditEvents.data })
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, "partner"), eq(auditEvents.subjectId, partnerOrgId), inArray(auditEvents.action, [...TERMS_ACTIONS])))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}

/** When the partner's terms last changed after approval, for its home page; null if never. */
export async function lastTermsChange(db: Db, partnerOrgId: string): Promise<Date | null> {
  const [row] = await db
    .select({ occurredAt: auditEvents.occurredAt })
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, "partner"), eq(auditEvents.subjectId, partnerOrgId), eq(auditEvents.action, "partner.terms_changed")))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return row?.occurredAt ?? null;
}

export type TermsChangeLine = { label: string; from: string; to: string };
export type TermsHistoryItem = {
  id: number;
  occurredAt: Date;
  actorLabel: string;
  title: string;
  lines: TermsChangeLine[];
  summary: string | null;
  reason: string | null;
};

const NOTHING = "none";
const dayOf = (iso: string | null) => (iso ? formatDate(`${iso}T00:00:00Z`) : NOTHING);

/** A stored snapshot from an audit event's data, tolerant of fields an older event lacks. */
function snapshotFromData(value: unknown): TermsSnapshot | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  const text = (key: string) => (typeof v[key] === "string" ? (v[key] as string) : null);
  const num = (key: string) => (typeof v[key] === "number" ? (v[key] as number) : null);
  return {
    tier: text("tier") ?? "",
    commercialModel: text("commercialModel") ?? "",
    rateBasisPoints: num("rateBasisPoints"),
    amountMinor: num("amountMinor"),
    currency: text("currency"),
    renewalDate: text("renewalDate"),
  };
}

/** The terms history as people read it: what each change moved from and to, and why. */
export function describeTermsHistory(entries: TermsHistoryEntry[]): TermsHistoryItem[] {
  return entries.map((entry) => {
    const base = { id: entry.id, occurredAt: entry.occurredAt, actorLabel: entry.actorLabel };
    if (entry.action === "partner.created") {
      const initial = snapshotFromData(entry.data)!;
      const reference = typeof entry.data.fromApplication === "string" ? ` (application ${entry.data.fromApplication})` : "";
      return { ...base, title: "Approved", lines: [], summary: `Tier ${tierLabel(initial.tier)}; ${describeTerms(initial)}${reference}.`, reason: null };
    }
    const from = snapshotFromData(entry.data.from);
    const to = snapshotFromData(entry.data.to);
    const lines: TermsChangeLine[] = [];
    if (from && to) {
      if (from.tier !== to.tier) lines.push({ label: "Tier", from: tierLabel(from.tier), to: tierLabel(to.tier) });
      const [termsFrom, termsTo] = [describeTerms(from), describeTerms(to)];
      if (termsFrom !== termsTo) lines.push({ label: "Terms", from: termsFrom, to: termsTo });
      if (from.renewalDate !== to.renewalDate) lines.push({ label: "Renewal", from: dayOf(from.renewalDate), to: dayOf(to.renewalDate) });
    }
    return { ...base, title: "Terms changed", lines, summary: null, reason: typeof entry.data.reason === "string" ? entry.data.reason : null };
  });
}

/** The organisation's commercial terms as they stand: what its performance figures are paid under. */
export async function currentTermsOf(
  db: Db,
  partnerOrgId: string,
): Promise<Pick<TermsSnapshot, "commercialModel" | "rateBasisPoints" | "amountMinor" | "currency">> {
  const [row] = await db
    .select({
      commercialModel: partnerOrganisations.commercialModel,
      rateBasisPoints: partnerOrganisations.rateBasisPoints,
      amountMinor: partnerOrganisations.amountMinor,
      currency: partnerOrganisations.currency,
    })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.id, partnerOrgId));
  if (!row) throw new NotFoundError("No such partner organisation.");
  return row;
}
