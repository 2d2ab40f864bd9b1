import { and, asc, eq, inArray, lte, or, sql } from "drizzle-orm";
import { outboxMessages, type EmailPayload, type OutboxMessage } from "#db/schema/index";
import { transaction, type Db } from "./db.server";
import type { Logger } from "./log.server";
import type { Mailer, Sender } from "./mail.server";
import { Poller } from "./poller.server";

export type OutboxOptions = {
  pollMs: number;
  batchSize: number;
  /** First retry delay; doubles with each attempt. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a claimed row stays invisible to other workers before it is retried. */
  claimSeconds: number;
};

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  pollMs: 1000,
  batchSize: 10,
  backoffBaseMs: 30_000,
  backoffMaxMs: 3_600_000,
  claimSeconds: 300,
};

/** Queues an email in the caller's transaction: it leaves only if the change commits. */
export async function enqueueEmail(tx: Db, payload: EmailPayload): Promise<void> {
  await tx.insert(outboxMessages).values({ kind: "email", payload });
}

/**
 * A one-time token in an emailed link (`?token=…`: invitations, password
 * resets, amend links). Tokens are 43 base64url characters; the length floor
 * keeps ordinary words such as "token=abc" in a message out of it.
 */
const LINK_TOKEN = /\btoken=([A-Za-z0-9_-]{16,})/g;
export const REDACTED_TOKEN = "[redacted]";

/** The one-time tokens a message carries in its links. */
export function tokensIn(payload: EmailPayload): string[] {
  const found = new Set<string>();
  for (const part of [payload.subject, payload.text, payload.html]) for (const match of part.matchAll(LINK_TOKEN)) found.add(match[1]!);
  return [...found];
}

/**
 * The message with its link tokens replaced by `token=[redacted]`: every
 * token, or only those `spent` says are. See docs/decisions/010.
 */
export function redactTokens(payload: EmailPayload, spent: (token: string) => boolean = () => true): EmailPayload {
  const redact = (part: string) => part.replace(LINK_TOKEN, (whole, token: string) => (spent(token) ? `token=${REDACTED_TOKEN}` : whole));
  return { ...payload, subject: redact(payload.subject), text: redact(payload.text), html: redact(payload.html) };
}

export function retryDelayMs(attempts: number, options: Pick<OutboxOptions, "backoffBaseMs" | "backoffMaxMs">): number {
  return Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers outbox rows. Rows are claimed with FOR UPDATE SKIP LOCKED in a
 * short transaction and delivered outside it, so several workers (or
 * instances) never send the same row and no transaction waits on SMTP.
 */
export class OutboxWorker extends Poller {
  private readonly options: OutboxOptions;

  constructor(
    /** `sender` reads the sender name and reply-to chosen in Settings; read per batch so a change applies to the next email. */
    private readonly deps: { db: Db; mailer: Mailer; log: Logger; sender?: () => Promise<Sender> },
    options: Partial<OutboxOptions> = {},
  ) {
    const merged = { ...DEFAULT_OUTBOX_OPTIONS, ...options };
    super({ name: "outbox", pollMs: merged.pollMs, log: deps.log });
    this.options = merged;
  }

  /** Once stopped, delivers what is already due (the server's last emails leave before it exits). */
  protected override async afterStop(): Promise<void> {
    await this.runOnce();
  }

  /** One claim-and-deliver pass; returns how many rows it handled. */
  async runOnce(): Promise<number> {
    const claimed = await this.claim();
    if (claimed.length === 0) return 0;
    const sender = await this.deps.sender?.();
    for (const message of claimed) await this.deliver(message, sender);
    return claimed.length;
  }

  private async claim(): Promise<OutboxMessage[]> {
    const { db } = this.deps;
    return transaction(db, async (tx) => {
      const due = await tx
        .select({ id: outboxMessages.id })
        .from(outboxMessages)
        .where(
          or(
            and(eq(outboxMessages.status, "pending"), lte(outboxMessages.nextAttemptAt, sql`now()`)),
            and(eq(outboxMessages.status, "sending"), lte(outboxMessages.lockedUntil, sql`now()`)),
          ),
        )
        .orderBy(asc(outboxMessages.id))
        .limit(this.options.batchSize)
        .for("update", { skipLocked: true });
      if (due.length === 0) return [];
      return tx
        .update(outboxMessages)
        .set({
          status: "sending",
          attempts: sql`${outboxMessages.attempts} + 1`,
          lockedUntil: sql`now() + make_interval(secs => ${this.options.claimSeconds})`,
        })
        .where(
          inArray(
            outboxMessages.id,
            due.map((d) => d.id),
          ),
        )
        .returning();
    });
  }

  private async deliver(message: OutboxMessage, sender: Sender | undefined): Promise<void> {
    const { db, mailer, log } = this.deps;
    try {
      const result = await mailer.deliver(message.payload, sender);
      // Once it has left by SMTP the recipient holds the link; the stored copy
      // (admins' outbox, backups) keeps no usable token. A kept message is the
      // delivery itself, so it keeps its token while the token is live.
      const payload = result === "sent" ? redactTokens(message.payload) : message.payload;
      await db
        .update(outboxMessages)
        .set({ status: result, payload, deliveredAt: new Date(), lockedUntil: null, lastError: null })
        .where(eq(outboxMessages.id, message.id));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const dead = message.attempts >= message.maxAttempts;
      const delay = retryDelayMs(message.attempts, this.options);
      await db
        .update(outboxMessages)
        .set({
          status: dead ? "dead" : "pending",
          lockedUntil: null,
          lastError: reason.slice(0, 2000),
          nextAttemptAt: new Date(Date.now() + delay),
        })
        .where(eq(outboxMessages.id, message.id));
      log.warn(dead ? "outbox.dead" : "outbox.retry", { id: message.id, attempts: message.attempts, reason });
    }
  }
}
