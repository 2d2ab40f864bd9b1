import { and, count, desc, eq, sql } from "drizzle-orm";
import { auditEvents, prescreenRuleSets, users } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { notifyLinksChanged } from "../links/notify.server";
import { paginate, type Page } from "../pagination.server";
import { DEFAULT_RULES, type ProgramRules } from "../prescreen";
import { changedKeys, changedKeysOf, fromTo, lockVersionedSetting, refuseIfStale } from "../versioned-settings.server";

// Serialises saves, so two admins saving at once get consecutive numbers.
const PRESCREEN_RULES_LOCK = 7_262_013;

export type RuleSet = { version: number; rules: ProgramRules; createdAt: Date | null };

/** The stored rules over the defaults: a key a newer release adds gets its default until an admin sets it. */
const withDefaults = (stored: Partial<ProgramRules>): ProgramRules => ({ ...DEFAULT_RULES, ...stored });

/**
 * The rules in force: the newest saved version, or version 0 (the defaults
 * this release ships) before an admin ever saved any. Versions record what
 * each submission was checked against.
 */
export async function currentRuleSet(db: Db): Promise<RuleSet> {
  const [row] = await db.select().from(prescreenRuleSets).orderBy(desc(prescreenRuleSets.version)).limit(1);
  if (!row) return { version: 0, rules: { ...DEFAULT_RULES, version: 0 }, createdAt: null };
  return { version: row.version, rules: { ...withDefaults(row.rules as Partial<ProgramRules>), version: row.version }, createdAt: row.createdAt };
}

/**
 * Saves the admin's rules as the next numbered version, with what changed on
 * record. `basedOn`, the version the admin's form was filled from: when
 * another save came in between, nothing is saved (a conflict), so no one
 * silently undoes a colleague's change.
 */
export async function saveRuleSet(
  ctx: AppContext,
  actor: Actor,
  rules: ProgramRules,
  options: { basedOn?: number | null } = {},
): Promise<{ version: number; changed: string[] }> {
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    await lockVersionedSetting(tx, PRESCREEN_RULES_LOCK);
    const current = await currentRuleSet(tx);
    refuseIfStale("the rules", current.version, options.basedOn);
    const { version: _ignored, ...next } = rules;
    const { version: _current, ...previous } = current.rules;
    const changed = changedKeys(next, previous);
    if (!changed.length) return { version: current.version, changed };
    const version = current.version + 1;
    await tx.insert(prescreenRuleSets).values({ version, rules: next, createdById: actor.id, createdAt: now });
    await recordAudit(tx, {
      actor,
      action: "prescreen.rules_updated",
      subjectType: "prescreen_rules",
      subjectId: String(version),
      data: { version, changed, values: fromTo(changed, previous, next) },
      at: now,
    });
    // The allowlist is checked again at click time: every redirect picks up the new list at once.
    if (changed.includes("allowedDomains")) await notifyLinksChanged(tx);
    return { version, changed };
  });
}

export const RULE_SET_HISTORY_PAGE_SIZE = 10;

export type RuleSetVersionRow = { version: number; createdAt: Date; createdByName: string | null; changed: string[] };

/**
 * The saved versions, newest first: when, by whom, and which keys each
 * changed (from its `prescreen.rules_updated` audit event, which saveRuleSet
 * writes in the same transaction as the row).
 */
export async function listRuleSetVersions(db: Db, page: number): Promise<Page<RuleSetVersionRow>> {
  return paginate(
    page,
    RULE_SET_HISTORY_PAGE_SIZE,
    async (limit, offset) => {
      const rows = await db
        .select({ version: prescreenRuleSets.version, createdAt: prescreenRuleSets.createdAt, createdByName: users.name, data: auditEvents.data })
        .from(prescreenRuleSets)
        .leftJoin(users, eq(users.id, prescreenRuleSets.createdById))
        .leftJoin(
          auditEvents,
          and(
            eq(auditEvents.subjectType, "prescreen_rules"),
            eq(auditEvents.subjectId, sql`${prescreenRuleSets.version}::text`),
            eq(auditEvents.action, "prescreen.rules_updated"),
          ),
        )
        .orderBy(desc(prescreenRuleSets.version))
        .limit(limit)
        .offset(offset);
      return rows.map(({ data, ...row }) => ({ ...row, changed: changedKeysOf(data) }));
    },
    () => db.select({ n: count() }).from(prescreenRuleSets),
  );
}

/** Who saved a version and when; null for version 0 (the release's defaults) or a number never saved. */
export async function ruleSetVersionInfo(db: Db, version: number): Promise<{ createdAt: Date; createdByName: string | null } | null> {
  if (version === 0) return null;
  const [row] = await db
    .select({ createdAt: prescreenRuleSets.createdAt, createdByName: users.name })
    .from(prescreenRuleSets)
    .leftJoin(users, eq(users.id, prescreenRuleSets.createdById))
    .where(eq(prescreenRuleSets.version, version));
  return row ?? null;
}
