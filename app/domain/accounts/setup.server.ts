import { eq } from "drizzle-orm";
import { instanceSettings, programSettings, users } from "#db/schema/index";
import { recordAudit, userActor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { checkNewPassword, hashPassword } from "~/lib/password.server";
import { digestsEqual, generateToken, hashToken } from "~/lib/tokens.server";
import { DEFAULT_BRANDING } from "../settings/program.server";
import { storeSiteOrigin } from "../settings/site.server";
import { DomainError, NotFoundError } from "../errors";
import type { ClientMeta } from "./login.server";
import { countUsers, normaliseEmail } from "./users.server";

const SETUP_TOKEN_KEY = "setup_token_hash";

/**
 * On an empty database, makes the one-time setup token (or adopts the one
 * given by COBRAND_SETUP_TOKEN) and returns it for the console. Once an
 * account exists there is no token and the setup page answers 404.
 */
export async function prepareSetupToken(ctx: AppContext, preset: string | null): Promise<string | null> {
  const { db } = ctx;
  if ((await countUsers(db)) > 0) {
    await db.delete(instanceSettings).where(eq(instanceSettings.key, SETUP_TOKEN_KEY));
    return null;
  }
  const token = preset ?? generateToken();
  await db
    .insert(instanceSettings)
    .values({ key: SETUP_TOKEN_KEY, value: hashToken(token) })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value: hashToken(token), updatedAt: ctx.clock.now() } });
  return token;
}

export async function isSetupTokenValid(db: Db, token: string | null): Promise<boolean> {
  if (!token) return false;
  const [row] = await db.select().from(instanceSettings).where(eq(instanceSettings.key, SETUP_TOKEN_KEY));
  if (!row || (await countUsers(db)) > 0) return false;
  return digestsEqual(row.value, hashToken(token));
}

export type SetupInput = { token: string; programName: string; name: string; email: string; password: string };

/**
 * Creates the first admin and the program's name; the token dies with it.
 * `siteOrigin` is the origin the setup request came to: only the token holder
 * can make it, so it becomes the canonical origin of email links unless
 * PUBLIC_URL says otherwise.
 */
export async function completeSetup(ctx: AppContext, input: SetupInput, meta: ClientMeta, siteOrigin: string): Promise<{ userId: string; setCookie: string }> {
  const problem = checkNewPassword(input.password, { email: input.email });
  if (problem) throw new DomainError(problem, { field: "password" });
  const passwordHash = await hashPassword(input.password);

  const userId = await transaction(ctx.db, async (tx) => {
    const [row] = await tx.select().from(instanceSettings).where(eq(instanceSettings.key, SETUP_TOKEN_KEY)).for("update");
    if (!row || !digestsEqual(row.value, hashToken(input.token)) || (await countUsers(tx)) > 0) {
      throw new NotFoundError("Setup is already complete.");
    }
    const now = ctx.clock.now();
    const [user] = await tx
      .insert(users)
      .values({ email: normaliseEmail(input.email), name: input.name.trim(), passwordHash, role: "admin", passwordChangedAt: now, lastLoginAt: now })
      .returning({ id: users.id, email: users.email });
    await tx.insert(programSettings).values({ ...DEFAULT_BRANDING, name: input.programName.trim() });
    await tx.delete(instanceSettings).where(eq(instanceSettings.key, SETUP_TOKEN_KEY));
    await storeSiteOrigin(tx, siteOrigin, now);
    await recordAudit(tx, {
      actor: userActor(user!, meta.ip),
      action: "setup.completed",
      subjectType: "user",
      subjectId: user!.id,
      data: { programName: input.programName.trim(), role: "admin", siteOrigin },
      at: now,
    });
    return user!.id;
  });
  ctx.siteOriginCache.forget();
  const { setCookie } = await ctx.auth.createSession(userId, meta);
  return { userId, setCookie };
}
