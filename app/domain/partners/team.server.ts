import { and, asc, count, desc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { partnerOrganisations, userTokens, users } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { enqueueEmail } from "~/lib/outbox.server";
import { createInvitationToken, invitationUrl, lockOpenInvitation } from "../accounts/invitations.server";
import { assertResendAllowed, recentEvents, type ResendTrail } from "../accounts/resend-limit.server";
import { normaliseEmail } from "../accounts/users.server";
import { teamInvitationEmail, teamInvitationNotPossibleEmail } from "../notifications/emails.server";
import { emailBrand, getBranding } from "../settings/program.server";
import { DomainError, ForbiddenError, NotFoundError } from "../errors";

/** Who an email is from: the program's name and logo. */
type EmailSender = ReturnType<typeof emailBrand>;

/** Enough open invitations for any real team; a ceiling against an owner's account being used to send mail. */
export const MAX_OPEN_TEAM_INVITATIONS = 25;

export type TeamOwner = Actor & { id: string; name: string; partnerOrgId: string };

const openInvitationOf = (partnerOrgId: string, now: Date) =>
  and(
    eq(userTokens.purpose, "invitation"),
    eq(userTokens.partnerOrgId, partnerOrgId),
    isNull(userTokens.usedAt),
    isNull(userTokens.revokedAt),
    gt(userTokens.expiresAt, now),
  );

/** The organisation's active members and invitations open at `now`, always scoped by the session's organisation. */
export async function listTeam(db: Db, partnerOrgId: string, now: Date) {
  const members = await db
    .select({ id: users.id, name: users.name, email: users.email, partnerRole: users.partnerRole, lastLoginAt: users.lastLoginAt, createdAt: users.createdAt })
    .from(users)
    .where(and(eq(users.partnerOrgId, partnerOrgId), eq(users.status, "active")))
    .orderBy(sql`${users.partnerRole} = 'owner' desc`, asc(users.name));
  const invitations = await db
    .select({ id: userTokens.id, email: userTokens.email, expiresAt: userTokens.expiresAt, createdAt: userTokens.createdAt })
    .from(userTokens)
    .where(openInvitationOf(partnerOrgId, now))
    .orderBy(desc(userTokens.createdAt));
  return { members, invitations };
}

/** Whether the organisation has ever invited anyone beyond its owner (an onboarding step). */
export async function hasInvitedTeam(db: Db, partnerOrgId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(userTokens)
    .where(and(eq(userTokens.purpose, "invitation"), eq(userTokens.partnerOrgId, partnerOrgId), eq(userTokens.partnerRole, "member")));
  return Number(row?.n ?? 0) > 0;
}

async function organisationName(tx: Db, partnerOrgId: string): Promise<string> {
  const [org] = await tx.select({ name: partnerOrganisations.name }).from(partnerOrganisations).where(eq(partnerOrganisations.id, partnerOrgId));
  return org!.name;
}

async function issueTeamInvitation(tx: Db, owner: TeamOwner, email: string, origin: string, sender: EmailSender, now: Date) {
  const { token, expiresAt } = await createInvitationToken(
    tx,
    {
      email,
      role: "partner",
      partnerOrgId: owner.partnerOrgId,
      partnerRole: "member",
      createdById: owner.id,
    },
    now,
  );
  const organisation = await organisationName(tx, owner.partnerOrgId);
  await enqueueEmail(
    tx,
    teamInvitationEmail({ to: email, ...sender, inviterName: owner.name, organisationName: organisation, url: invitationUrl(origin, token), expiresAt }),
  );
}

/** A member's invitation is the same one across resends (and re-invites): the address, within the organisation. */
const memberResendTrail = (partnerOrgId: string, email: string): ResendTrail => ({
  action: "partner.member_invitation_resent",
  subjectType: "invitation",
  subjectId: email,
  partnerOrgId,
});

/** What the owner is told after inviting anyone: the same words whether or not the person can join. */
export const TEAM_INVITE_ANSWER = "If this person can join, they will receive an invitation.";

const NOTICE_INTERVAL_MS = 24 * 60 * 60 * 1000;

/**
 * An address that cannot join this team (it has an account elsewhere, staff
 * included, or an open invitation elsewhere). The owner gets the same answer
 * as for anyone else and nothing is written but the audit event and,
 * at most once a day per organisation and address, an email to the address
 * saying why. We tell the address rather than stay silent: a real colleague
 * then knows to give another address, and the owner still learns nothing.
 * The daily cap keeps repeated attempts from flooding that inbox.
 */
async function declineTeamInvitation(
  tx: Db,
  owner: TeamOwner,
  email: string,
  reason: "account_exists" | "invited_elsewhere",
  sender: EmailSender,
  now: Date,
): Promise<void> {
  const trail: ResendTrail = { action: "partner.member_invitation_declined", subjectType: "invitation", subjectId: email, partnerOrgId: owner.partnerOrgId };
  const notifiedRecently = (await recentEvents(tx, trail, new Date(now.getTime() - NOTICE_INTERVAL_MS))).some((e) => e.data["notified"] === true);
  if (!notifiedRecently) {
    const organisation = await organisationName(tx, owner.partnerOrgId);
    await enqueueEmail(tx, teamInvitationNotPossibleEmail({ to: email, ...sender, inviterName: owner.name, organisationName: organisation, reason }));
  }
  await recordAudit(tx, { actor: owner, ...trail, data: { email, reason, notified: !notifiedRecently }, at: now });
}

/**
 * The owner invites a colleague as a member: a single-use link valid for 7
 * days. Someone with an account elsewhere, or with an open invitation from
 * another organisation or the brand, cannot be invited (that invitation is
 * left untouched); the owner is not told so (see declineTeamInvitation). A
 * member removed earlier can be invited back. Inviting someone whose
 * invitation is still open sends it again, within the resend limits.
 */
export async function inviteTeamMember(ctx: AppContext, owner: TeamOwner, input: { email: string }, origin: string): Promise<void> {
  const email = normaliseEmail(input.email);
  const branding = await getBranding(ctx.db);
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const [existing] = await tx
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`);
    // The owner's own team is theirs to see: saying so tells them nothing new.
    if (existing?.partnerOrgId === owner.partnerOrgId && existing.status === "active") {
      throw new DomainError("This person is already on your team.", { field: "email", kind: "conflict" });
    }
    // Checked before anything about the address, so it answers alike for every address.
    const [pending] = await tx
      .select({ n: count() })
      .from(userTokens)
      .where(and(openInvitationOf(owner.partnerOrgId, now), ne(userTokens.email, email)));
    if (Number(pending?.n ?? 0) >= MAX_OPEN_TEAM_INVITATIONS) {
      throw new DomainError(`You have ${MAX_OPEN_TEAM_INVITATIONS} open invitations. Withdraw some before sending more.`, {
        field: "email",
        kind: "rate_limited",
      });
    }
    if (existing && !(existing.partnerOrgId === owner.partnerOrgId && existing.status === "disabled")) {
      return declineTeamInvitation(tx, owner, email, "account_exists", emailBrand(branding, origin), now);
    }
    const open = await tx
      .select({ id: userTokens.id, partnerOrgId: userTokens.partnerOrgId })
      .from(userTokens)
      .where(
        and(
          eq(userTokens.purpose, "invitation"),
          eq(userTokens.email, email),
          isNull(userTokens.usedAt),
          isNull(userTokens.revokedAt),
          gt(userTokens.expiresAt, now),
        ),
      )
      .for("update");
    if (open.some((t) => t.partnerOrgId !== owner.partnerOrgId)) {
      return declineTeamInvitation(tx, owner, email, "invited_elsewhere", emailBrand(branding, origin), now);
    }
    // A second invitation to the same person replaces the first: it is a resend, and limited like one.
    const trail = open.length ? memberResendTrail(owner.partnerOrgId, email) : null;
    if (trail) await assertResendAllowed(tx, trail, now);
    for (const token of open) await tx.update(userTokens).set({ revokedAt: now }).where(eq(userTokens.id, token.id));
    await issueTeamInvitation(tx, owner, email, origin, emailBrand(branding, origin), now);
    await recordAudit(
      tx,
      trail
        ? { actor: owner, ...trail, data: { email, reinvited: true }, at: now }
        : {
            actor: owner,
            action: "partner.member_invited",
            subjectType: "invitation",
            subjectId: email,
            partnerOrgId: owner.partnerOrgId,
            data: { email },
            at: now,
          },
    );
  });
}

/** Sends a fresh link, at most once per 5 minutes and 5 times a day; the old one stops working. */
export async function resendTeamInvitation(ctx: AppContext, owner: TeamOwner, invitationId: string, origin: string): Promise<void> {
  const branding = await getBranding(ctx.db);
  await transaction(ctx.db, async (tx) => {
    const row = await lockOpenInvitation(tx, invitationId, owner.partnerOrgId);
    if (row.partnerRole !== "member") throw new NotFoundError("Invitation not found");
    const trail = memberResendTrail(owner.partnerOrgId, row.email);
    const now = ctx.clock.now();
    await assertResendAllowed(tx, trail, now);
    await tx.update(userTokens).set({ revokedAt: now }).where(eq(userTokens.id, row.id));
    await issueTeamInvitation(tx, owner, row.email, origin, emailBrand(branding, origin), now);
    await recordAudit(tx, { actor: owner, ...trail, data: { email: row.email }, at: now });
  });
}

export async function revokeTeamInvitation(ctx: AppContext, owner: TeamOwner, invitationId: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const row = await lockOpenInvitation(tx, invitationId, owner.partnerOrgId);
    if (row.partnerRole !== "member") throw new NotFoundError("Invitation not found");
    if (row.revokedAt) return;
    const now = ctx.clock.now();
    await tx.update(userTokens).set({ revokedAt: now }).where(eq(userTokens.id, row.id));
    await recordAudit(tx, {
      actor: owner,
      action: "partner.member_invitation_revoked",
      subjectType: "invitation",
      subjectId: row.email,
      partnerOrgId: owner.partnerOrgId,
      data: { email: row.email },
      at: now,
    });
  });
}

type OwnerScope = Pick<TeamOwner, "id" | "partnerOrgId">;

/** An active member of the owner's own organisation: another organisation's id is simply not found. */
const activeMemberOf = (owner: OwnerScope, userId: string) => and(eq(users.id, userId), eq(users.partnerOrgId, owner.partnerOrgId), eq(users.status, "active"));

function assertNotOwnerThemself<M extends { id: string }>(member: M | undefined, owner: OwnerScope): M {
  if (!member) throw new NotFoundError("Team member not found");
  if (member.id === owner.id) throw new DomainError("That is you. Transfer ownership first if you want to leave the team.", { kind: "conflict" });
  return member;
}

/** A fellow active member of the owner's organisation, locked. */
async function lockTeamMember(tx: Db, owner: OwnerScope, userId: string) {
  const [member] = await tx.select().from(users).where(activeMemberOf(owner, userId)).for("update");
  return assertNotOwnerThemself(member, owner);
}

/** Who the owner is about to remove, as the confirmation names them: name, address and organisation. */
export async function memberToRemove(
  db: Db,
  owner: OwnerScope,
  userId: string,
): Promise<{ id: string; name: string; email: string; organisationName: string }> {
  const [member] = await db
    .select({ id: users.id, name: users.name, email: users.email, organisationName: partnerOrganisations.name })
    .from(users)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, users.partnerOrgId))
    .where(activeMemberOf(owner, userId));
  return assertNotOwnerThemself(member, owner);
}

/** Removes a member: the account is disabled (its acceptances stay on record) and its sessions end at once. */
export async function removeTeamMember(ctx: AppContext, owner: TeamOwner, userId: string): Promise<{ name: string }> {
  return transaction(ctx.db, async (tx) => {
    const member = await lockTeamMember(tx, owner, userId);
    const now = ctx.clock.now();
    await tx.update(users).set({ status: "disabled", disabledAt: now }).where(eq(users.id, member.id));
    await ctx.auth.invalidateUserSessions(tx, member.id);
    await recordAudit(tx, {
      actor: owner,
      action: "partner.member_removed",
      subjectType: "user",
      subjectId: member.id,
      partnerOrgId: owner.partnerOrgId,
      data: { email: member.email },
      at: now,
    });
    return { name: member.name };
  });
}

/** Makes a member the owner; the previous owner stays on as a member. */
export async function transferOwnership(ctx: AppContext, owner: TeamOwner, userId: string): Promise<{ name: string }> {
  return transaction(ctx.db, async (tx) => {
    const [self] = await tx
      .select()
      .from(users)
      .where(and(eq(users.id, owner.id), eq(users.partnerOrgId, owner.partnerOrgId)))
      .for("update");
    if (self?.partnerRole !== "owner") throw new ForbiddenError("Only the owner can transfer ownership.", "partner_member");
    const member = await lockTeamMember(tx, owner, userId);
    await tx.update(users).set({ partnerRole: "member" }).where(eq(users.id, owner.id));
    await tx.update(users).set({ partnerRole: "owner" }).where(eq(users.id, member.id));
    await recordAudit(tx, {
      actor: owner,
      action: "partner.ownership_transferred",
      subjectType: "partner_organisation",
      subjectId: owner.partnerOrgId,
      partnerOrgId: owner.partnerOrgId,
      data: { from: owner.label, to: member.email },
      at: ctx.clock.now(),
    });
    return { name: member.name };
  });
}
