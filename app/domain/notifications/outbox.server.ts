import { and, desc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { applications, outboxMessages, userTokens, type EmailPayload, type OutboxMessage } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import type { MailMode } from "~/lib/mail.server";
import { REDACTED_TOKEN, redactTokens, tokensIn } from "~/lib/outbox.server";
import { hashToken } from "~/lib/tokens.server";
import { paginate } from "../pagination.server";

export const OUTBOX_PAGE_SIZE = 50;

export function listOutboxMessages(db: Db, page: number) {
  return paginate(
    page,
    OUTBOX_PAGE_SIZE,
    (limit, offset) =>
      db
        .select({
          id: outboxMessages.id,
          to: sql<string>`${outboxMessages.payload}->>'to'`,
          subject: sql<string>`${outboxMessages.payload}->>'subject'`,
          status: outboxMessages.status,
          attempts: outboxMessages.attempts,
          createdAt: outboxMessages.createdAt,
          deliveredAt: outboxMessages.deliveredAt,
          lastError: outboxMessages.lastError,
        })
        .from(outboxMessages)
        .orderBy(desc(outboxMessages.id))
        .limit(limit)
        .offset(offset),
    () => db.select({ n: sql<number>`count(*)::int` }).from(outboxMessages),
  );
}

/**
 * Which of these link tokens still open something: an invitation or password
 * reset neither used, revoked nor expired, or an amend link of an application
 * still waiting for the update. Only hashes are compared.
 */
export async function liveTokens(db: Db, tokens: string[], now: Date): Promise<Set<string>> {
  if (tokens.length === 0) return new Set();
  const byHash = new Map(tokens.map((token) => [hashToken(token), token]));
  const hashes = [...byHash.keys()];
  const [accountLinks, amendLinks] = await Promise.all([
    db
      .select({ hash: userTokens.tokenHash })
      .from(userTokens)
      .where(and(inArray(userTokens.tokenHash, hashes), isNull(userTokens.usedAt), isNull(userTokens.revokedAt), gt(userTokens.expiresAt, now))),
    db
      .select({ hash: applications.amendTokenHash })
      .from(applications)
      .where(and(inArray(applications.amendTokenHash, hashes), eq(applications.status, "info_requested"), gt(applications.amendExpiresAt, now))),
  ]);
  return new Set([...accountLinks, ...amendLinks].map((row) => byHash.get(row.hash!)!));
}

/**
 * An outbox message as an admin may see it (docs/decisions/010). A live
 * token is shown only when the outbox is how the email is delivered (no
 * SMTP: mail is kept here for admins to pass on) or when the viewer is the
 * recipient; a spent token is never shown. `tokensHidden` says the page
 * shows less than the email held.
 */
export async function getOutboxMessageForViewer(db: Db, id: number, viewer: { email: string }, mailMode: MailMode, now: Date) {
  const [row] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, id));
  if (!row) return null;
  const tokens = tokensIn(row.payload);
  const mayShowLive = mailMode === "keep" || row.payload.to.toLowerCase() === viewer.email.toLowerCase();
  const live = mayShowLive ? await liveTokens(db, tokens, now) : new Set<string>();
  const payload = redactTokens(row.payload, (token) => !live.has(token));
  const hidden = `token=${REDACTED_TOKEN}`;
  return { message: { ...row, payload }, tokensHidden: [payload.subject, payload.text, payload.html].some((part) => part.includes(hidden)) };
}

// Rows whose stored copy still holds a token (the redacted form does not match).
const HOLDS_TOKEN = sql`${outboxMessages.payload}->>'text' ~ 'token=[A-Za-z0-9_-]{16,}'`;

async function redactSpent(db: Db, rows: Pick<OutboxMessage, "id" | "payload">[], now: Date): Promise<number> {
  const live = await liveTokens(
    db,
    rows.flatMap((row) => tokensIn(row.payload)),
    now,
  );
  let redacted = 0;
  for (const row of rows) {
    const payload: EmailPayload = redactTokens(row.payload, (token) => !live.has(token));
    if (payload.text === row.payload.text && payload.html === row.payload.html && payload.subject === row.payload.subject) continue;
    await db.update(outboxMessages).set({ payload }).where(eq(outboxMessages.id, row.id));
    redacted++;
  }
  return redacted;
}

/**
 * Redacts the stored copy of every message whose token is spent (used,
 * revoked, expired): the hourly housekeeping runs it, so no token outlives
 * its use by more than an hour in the table or its backups.
 */
export async function redactSpentOutboxTokens(db: Db, now: Date, batchSize = 500): Promise<number> {
  let total = 0;
  let afterId = 0;
  for (;;) {
    const rows = await db
      .select({ id: outboxMessages.id, payload: outboxMessages.payload })
      .from(outboxMessages)
      .where(and(HOLDS_TOKEN, gt(outboxMessages.id, afterId)))
      .orderBy(outboxMessages.id)
      .limit(batchSize);
    if (rows.length === 0) return total;
    total += await redactSpent(db, rows, now);
    afterId = rows.at(-1)!.id;
  }
}

/**
 * Called in the transaction that uses a token (accepting an invitation,
 * resetting a password, amending an application): the emails that carried
 * it stop showing it at once, in the same commit.
 */
export async function redactUsedToken(tx: Db, token: string, now: Date): Promise<void> {
  const pattern = `%token=${token}%`;
  const rows = await tx
    .select({ id: outboxMessages.id, payload: outboxMessages.payload })
    .from(outboxMessages)
    .where(or(sql`${outboxMessages.payload}->>'text' like ${pattern}`, sql`${outboxMessages.payload}->>'html' like ${pattern}`));
  await redactSpent(tx, rows, now);
}

export async function countOutboxByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: outboxMessages.status, n: sql<number>`count(*)::int` })
    .from(outboxMessages)
    .groupBy(outboxMessages.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
