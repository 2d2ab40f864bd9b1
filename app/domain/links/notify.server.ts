import { sql } from "drizzle-orm";
import type { Db } from "~/lib/db.server";

/**
 * The channel every instance's redirect listens on (LISTEN/NOTIFY): a
 * payload is a link code to forget, or ALL_LINKS when program-wide facts
 * changed (the allowlist, link settings, a partner's status, a revocation).
 */
export const LINKS_CHANNEL = "cobrand_links";
export const ALL_LINKS = "*";

/**
 * Tells every instance's redirect cache that a link (or all of them) changed.
 * Sent inside the caller's transaction: PostgreSQL delivers it on commit and
 * drops it on rollback, so no instance forgets a change that did not happen.
 */
export async function notifyLinksChanged(tx: Db, code: string = ALL_LINKS): Promise<void> {
  await tx.execute(sql`select pg_notify(${LINKS_CHANNEL}, ${code})`);
}
