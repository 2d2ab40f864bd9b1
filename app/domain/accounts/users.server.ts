import { and, asc, eq, ne, sql } from "drizzle-orm";
import { users, type InternalRole, type User } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { recordAudit, type Actor } from "~/lib/audit.server";
import { DomainError, NotFoundError } from "../errors";

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, normaliseEmail(email)))
    .limit(1);
  return user;
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

export type InternalUserRow = Pick<User, "id" | "email" | "name" | "role" | "status" | "lastLoginAt" | "createdAt">;

export async function listInternalUsers(db: Db): Promise<InternalUserRow[]> {
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      status: users.status,
      lastLoginAt: users.lastLoginAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(ne(users.role, "partner"))
    .orderBy(asc(users.name));
}

async function lockInternalUser(tx: Db, userId: string): Promise<User> {
  const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
  if (!user || user.role === "partner") throw new NotFoundError("User not found");
  return user;
}

/** Someone must always be able to administer the program. */
async function assertAnotherActiveAdmin(tx: Db, userId: string): Promise<void> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.status, "active"), ne(users.id, userId)));
  if ((row?.n ?? 0) === 0) throw new DomainError("The program needs at least one active admin.");
}

/** Changes an internal user's role; their sessions end so the new role applies at once. */
export async function changeUserRole(ctx: AppContext, actor: Actor, userId: string, role: InternalRole): Promise<void> {
  if (actor.id === userId) throw new DomainError("You cannot change your own role.");
  await transaction(ctx.db, async (tx) => {
    const user = await lockInternalUser(tx, userId);
    if (user.role === role) return;
    if (user.role === "admin") await assertAnotherActiveAdmin(tx, userId);
    await tx.update(users).set({ role }).where(eq(users.id, userId));
    await ctx.auth.invalidateUserSessions(tx, userId);
    await recordAudit(tx, {
      actor,
      action: "user.role_changed",
      subjectType: "user",
      subjectId: userId,
      data: { email: user.email, from: user.role, to: role },
      at: ctx.clock.now(),
    });
  });
}

/** Disables an account; every session of it ends in the same transaction. */
export async function disableUser(ctx: AppContext, actor: Actor, userId: string): Promise<void> {
  if (actor.id === userId) throw new DomainError("You cannot disable your own account.");
  await transaction(ctx.db, async (tx) => {
    const user = await lockInternalUser(tx, userId);
    if (user.status === "disabled") return;
    if (user.role === "admin") await assertAnotherActiveAdmin(tx, userId);
    const now = ctx.clock.now();
    await tx.update(users).set({ status: "disabled", disabledAt: now }).where(eq(users.id, userId));
    await ctx.auth.invalidateUserSessions(tx, userId);
    await recordAudit(tx, {
      actor,
      action: "user.disabled",
      subjectType: "user",
      subjectId: userId,
      data: { email: user.email },
      at: now,
    });
  });
}

export async function enableUser(ctx: AppContext, actor: Actor, userId: string): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const user = await lockInternalUser(tx, userId);
    if (user.status === "active") return;
    await tx.update(users).set({ status: "active", disabledAt: null }).where(eq(users.id, userId));
    await recordAudit(tx, {
      actor,
      action: "user.enabled",
      subjectType: "user",
      subjectId: userId,
      data: { email: user.email },
      at: ctx.clock.now(),
    });
  });
}
