import { desc, sql } from "drizzle-orm";
import { prescreenRuleSets } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { DEFAULT_RULES, type ProgramRules } from "../prescreen";

// Serialises saves, so two admins saving at once get consecutive numbers.
const PRESCREEN_RULES_LOCK = 7_262_013;

export type RuleSet = { version: number; rules: ProgramRules; createdAt: Date | null };

/**
 * JSON with every object's keys sorted. jsonb keeps keys in an order of its
 * own, so a stored rule set reads back reordered (channelRules, their fields)
 * and plain JSON.stringify would call unchanged rules changed.
 */
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));

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

/** Saves the admin's rules as the next numbered version, with what changed on record. */
export async function saveRuleSet(ctx: AppContext, actor: Actor, rules: ProgramRules): Promise<{ version: number; changed: string[] }> {
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PRESCREEN_RULES_LOCK})`);
    const current = await currentRuleSet(tx);
    const { version: _ignored, ...next } = rules;
    const { version: _current, ...previous } = current.rules;
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((key) => canonicalJson(next[key]) !== canonicalJson(previous[key]));
    if (!changed.length) return { version: current.version, changed };
    const version = current.version + 1;
    await tx.insert(prescreenRuleSets).values({ version, rules: next, createdById: actor.id, createdAt: now });
    await recordAudit(tx, { actor, action: "prescreen.rules_updated", subjectType: "prescreen_rules", subjectId: String(version), data: { version, changed }, at: now });
    return { version, changed };
  });
}
