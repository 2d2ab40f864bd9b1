import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { applications, partnerOrganisations, userTokens, users, type InternalRole, type UserRole } from "#db/schema/index";
import { transaction, type Db } from "~/lib/db.server";
import { recordAudit, type Actor, userActor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { enqueueEmail } from "~/lib/outbox.server";
import { checkNewPassword, hashPassword } from "~/lib/password.server";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { invitationEmail } from "../notifications/emails.server";
import { redactUsedToken } from "../notifications/outbox.server";
import { emailBrand, getBranding } from "../settings/program.server";
import { DomainError, NotFoundError } from "../errors";
import type { ClientMeta } from "./login.server";
import { findToken, revokeOpenTokens, TOKEN_MESSAGES, tokenState } from "./tokens.server";
import { assertResendAllowed, type ResendTrail } from "./resend-limit.server";
import { findUserByEmail, normaliseEmail } from "./users.server";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type PendingInvitation = { id: string; email: string; role: string | null; expiresAt: Date; createdAt: Date };

export async function listPendingInternalInvitations(ctx: AppContext): Promise<PendingInvitation[]> {
  return ctx.db
    .select({ id: userTokens.id, email: userTokens.email, role: userTokens.role, expiresAt: userTokens.expiresAt, createdAt: userTokens.createdAt })
    .from(userTokens)
    .where(
      and(
        eq(userTokens.purpose, "invitation"),
        isNull(userTokens.partnerOrgId),
        isNull(userTokens.usedAt),
        isNull(userTokens.revokedAt),
        gt(userTokens.expiresAt, ctx.clock.now()),
      ),
    )
    .orderBy(desc(userTokens.createdAt));
}

/** A colleague's invitation is the same one across resends: the address it goes to. */
const internalResendTrail = (email: string): ResendTrail => ({
  action: "user.invitation_resent",
  subjectType: "invitation",
  subjectId: email,
  partnerOrgId: null,
});

/** Invites a colleague with a role: one emailed, single-use link valid for 7 days. */
export async function inviteInternalUser(
  ctx: AppContext,
  inviter: Actor & { name: string },
  input: { email: string; role: InternalRole },
  origin: string,
): Promise<void> {
  const email = normaliseEmail(input.email);
  if (await findUserByEmail(ctx.db, email)) {
    throw new DomainError("Someone with this email already has an account.", { field: "email", kind: "conflict" });
  }
  const branding = await getBranding(ctx.db);
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const open = await tx
      .select({ id: userTokens.id })
      .from(userTokens)
      .where(
        and(
          eq(userTokens.purpose, "invitation"),
          eq(userTokens.email, email),
          isNull(userTokens.partnerOrgId),
          isNull(userTokens.usedAt),
          isNull(userTokens.revokedAt),
          gt(userTokens.expiresAt, now),
        ),
      )
      .for("update");
    // Inviting someone whose invitation is still open sends it again: limited like a resend.
    const trail = open.length ? internalResendTrail(email) : null;
    if (trail) await assertResendAllowed(tx, trail, now);
    await revokeOpenTokens(tx, "invitation", email, now);
    await issueInvitation(tx, { email, role: input.role, createdById: inviter.id, ...emailBrand(branding, origin), inviterName: inviter.name, origin }, now);
    await recordAudit(
      tx,
      trail
        ? { actor: inviter, ...trail, data: { email, role: input.role, reinvited: true }, at: now }
        : { actor: inviter, action: "user.invited", subjectType: "invitation", subjectId: email, data: { email, role: input.role }, at: now },
    );
  });
}

/** What an invitation grants: the account's role and, for partners, its organisation. */
export type InvitationGrant = {
  email: string;
  role: UserRole;
  partnerOrgId?: string | null;
  partnerRole?: "owner" | "member" | null;
  createdById: string | null;
};

/** Stores a single-use invitation (only its hash), valid for 7 days from `now`, and returns the link's token. */
export async function createInvitationToken(tx: Db, grant: InvitationGrant, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  await tx.insert(userTokens).values({
    purpose: "invitation",
    tokenHash: hashToken(token),
    email: grant.email,
    role: grant.role,
    partnerOrgId: grant.partnerOrgId ?? null,
    partnerRole: grant.partnerRole ?? null,
    createdById: grant.createdById,
    expiresAt,
  });
  return { token, expiresAt };
}

export const invitationUrl = (origin: string, token: string) => `${origin}/invitation?token=${token}`;

async function issueInvitation(
  tx: Db,
  input: { email: string; role: InternalRole; createdById: string | null; programName: string; logoUrl: string | null; inviterName: string; origin: string },
  now: Date,
): Promise<void> {
  const { token, expiresAt } = await createInvitationToken(tx, input, now);
  await enqueueEmail(
    tx,
    invitationEmail({
      to: input.email,
      programName: input.programName,
      logoUrl: input.logoUrl,
      inviterName: input.inviterName,
      role: input.role,
      url: invitationUrl(input.origin, token),
      expiresAt,
    }),
  );
}

/**
 * Locks an invitation that has not been accepted. `partnerOrgId` scopes the
 * lookup: null for the brand team's invitations, an id for one organisation's.
 */
export async function lockOpenInvitation(tx: Db, id: string, partnerOrgId: string | null) {
  const [row] = await tx
    .select()
    .from(userTokens)
    .where(
      and(
        eq(userTokens.id, id),
        eq(userTokens.purpose, "invitation"),
        partnerOrgId ? eq(userTokens.partnerOrgId, partnerOrgId) : isNull(userTokens.partnerOrgId),
      ),
    )
    .for("update");
  if (!row) throw new NotFoundError("Invitation not found");
  if (row.usedAt) throw new DomainError("This invitation has already been accepted.", { kind: "conflict" });
  return row;
}

const lockOpenInternalInvitation = (tx: Db, id: string) => lockOpenInvitation(tx, id, null);

export async function revokeInvitation(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const row = await lockOpenInternalInvitation(tx, id);
    if (row.revokedAt) return;
    const now = ctx.clock.now();
    await tx.update(userTokens).set({ revokedAt: now }).where(eq(userTokens.id, id));
    await recordAudit(tx, { actor, action: "user.invitation_revoked", subjectType: "invitation", subjectId: row.email, data: { email: row.email }, at: now });
  });
}

/** Sends a fresh link, at most once per 5 minutes and 5 times a day; the old one stops working. */
export async function resendInvitation(ctx: AppContext, inviter: Actor & { name: string }, id: string, origin: string): Promise<void> {
  const branding = await getBranding(ctx.db);
  await transaction(ctx.db, async (tx) => {
    const row = await lockOpenInternalInvitation(tx, id);
    if (!row.role || row.role === "partner") throw new NotFoundError("Invitation not found");
    const trail = internalResendTrail(row.email);
    const now = ctx.clock.now();
    await assertResendAllowed(tx, trail, now);
    await tx.update(userTokens).set({ revokedAt: now }).where(eq(userTokens.id, id));
    await issueInvitation(
      tx,
      { email: row.email, role: row.role, createdById: inviter.id, ...emailBrand(branding, origin), inviterName: inviter.name, origin },
      now,
    );
    await recordAudit(tx, { actor: inviter, ...trail, data: { email: row.email, role: row.role }, at: now });
  });
}

export async function describeInvitation(ctx: AppContext, token: string | null) {
  const row = token ? await findToken(ctx.db, "invitation", token) : undefined;
  const state = tokenState(row, ctx.clock.now());
  if (state !== "valid") return { valid: false as const, message: TOKEN_MESSAGES[state] };
  const [organisation] = row!.partnerOrgId
    ? await ctx.db.select({ name: partnerOrganisations.name }).from(partnerOrganisations).where(eq(partnerOrganisations.id, row!.partnerOrgId))
    : [];
  return {
    valid: true as const,
    email: row!.email,
    role: row!.role!,
    partnerRole: row!.partnerRole,
    organisationName: organisation?.name ?? null,
    name: await nameOnRecord(ctx.db, row!),
  };
}

/**
 * The name we already know for an invited person, to prefill so they only
 * choose a password: an organisation's owner gave it in the application, a
 * member invited back has it on their old account. A colleague invited
 * fresh has none on record.
 */
async function nameOnRecord(
  db: Db,
  invitation: { email: string; partnerOrgId: string | null; partnerRole: "owner" | "member" | null },
): Promise<string | null> {
  const { email, partnerOrgId, partnerRole } = invitation;
  if (!partnerOrgId) return null;
  const [known] =
    partnerRole === "owner"
      ? await db
          .select({ name: applications.contactName })
          .from(applications)
          .where(and(eq(applications.partnerOrgId, partnerOrgId), eq(applications.email, email)))
          .orderBy(desc(applications.submittedAt))
          .limit(1)
      : await db
          .select({ name: users.name })
          .from(users)
          .where(and(eq(users.email, email), eq(users.partnerOrgId, partnerOrgId), eq(users.status, "disabled")));
  return known?.name ?? null;
}

/** Turns a valid invitation into an account and signs it in. */
export async function acceptInvitation(
  ctx: AppContext,
  token: string,
  input: { name: string; password: string },
  meta: ClientMeta,
): Promise<{ userId: string; role: string; setCookie: string }> {
  const preview = await findToken(ctx.db, "invitation", token);
  const problem = checkNewPassword(input.password, { email: preview?.email });
  if (problem) throw new DomainError(problem, { field: "password" });
  const passwordHash = await hashPassword(input.password);

  const created = await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const row = await findToken(tx, "invitation", token, { forUpdate: true });
    const state = tokenState(row, now);
    if (state !== "valid" || !row?.role) throw new DomainError(TOKEN_MESSAGES[state === "valid" ? "unknown" : state], { kind: "gone" });
    const existing = await findUserByEmail(tx, row.email);
    // A member removed from a partner team may be invited back: the same account returns, history and all.
    const rejoining = existing && existing.status === "disabled" && row.partnerRole === "member" && existing.partnerOrgId === row.partnerOrgId;
    if (existing && !rejoining) throw new DomainError("An account with this email already exists. Sign in instead.", { kind: "conflict" });
    const returning = { id: users.id, email: users.email, role: users.role, partnerOrgId: users.partnerOrgId };
    const [user] = rejoining
      ? await tx
          .update(users)
          .set({ name: input.name.trim(), passwordHash, status: "active", disabledAt: null, partnerRole: "member", passwordChangedAt: now, lastLoginAt: now })
          .where(eq(users.id, existing.id))
          .returning(returning)
      : await tx
          .insert(users)
          .values({
            email: row.email,
            name: input.name.trim(),
            passwordHash,
            role: row.role,
            partnerOrgId: row.partnerOrgId,
            partnerRole: row.partnerRole,
            passwordChangedAt: now,
            // Accepting signs the person in: it is their first sign-in, not "never".
            lastLoginAt: now,
          })
          .returning(returning);
    await tx.update(userTokens).set({ usedAt: now }).where(eq(userTokens.id, row.id));
    await redactUsedToken(tx, token, now);
    await recordAudit(tx, {
      actor: userActor(user!, meta.ip),
      action: "user.invitation_accepted",
      subjectType: "user",
      subjectId: user!.id,
      partnerOrgId: user!.partnerOrgId,
      data: { role: user!.role, invitedBy: row.createdById, ...(rejoining ? { rejoined: true } : {}) },
      at: now,
    });
    return user!;
  });
  const { setCookie } = await ctx.auth.createSession(created.id, meta);
  return { userId: created.id, role: created.role, setCookie };
}
