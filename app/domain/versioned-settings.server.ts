import { sql } from "drizzle-orm";
import { canonicalJson } from "~/lib/audit.server";
import type { Db } from "~/lib/db.server";
import { DomainError } from "./errors";

// What the versioned settings (the pre-screen rules, the approval matrix)
// share: each save is the next numbered row, saves are serialised, a form
// filled from an older version is refused rather than silently undoing a
// colleague's change, and a save that changes nothing makes no version.

/** Serialises the saves of one versioned setting (`lockKey` is that setting's own), so two admins get consecutive numbers. */
export async function lockVersionedSetting(tx: Db, lockKey: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${lockKey})`);
}

/**
 * A conflict when another save came in after the admin's form was filled
 * from `basedOn` (null or undefined: the caller did not say, nothing to check).
 * `what` names the setting in the message: "the rules", "the approval matrix".
 */
export function refuseIfStale(what: string, current: number, basedOn: number | null | undefined): void {
  if (basedOn == null || basedOn === current) return;
  throw new DomainError(
    `Version ${current} of ${what} was saved while you were editing version ${basedOn}, so nothing was saved. The form now starts from version ${current} with your changes kept: check them against it and save again.`,
    { kind: "conflict" },
  );
}

/**
 * The keys of `next` whose values differ from `previous`, in `next`'s order.
 * Compared as canonical JSON: jsonb keeps object keys in an order of its own,
 * so a stored value reads back reordered and plain JSON.stringify would call
 * it changed.
 */
export function changedKeys<T extends object>(next: T, previous: T): (keyof T & string)[] {
  return (Object.keys(next) as (keyof T & string)[]).filter((key) => canonicalJson(next[key]) !== canonicalJson(previous[key]));
}

/**
 * What a save changed, each key with its value before and after: what an
 * audit event of a settings change records, so the trail answers "from what".
 */
export function fromTo<T extends object>(keys: readonly (keyof T & string)[], previous: T, next: T): Record<string, { from: unknown; to: unknown }> {
  return Object.fromEntries(keys.map((key) => [key, { from: previous[key], to: next[key] }]));
}

/** The `changed` list an audit event of a save recorded, or [] when it has none. */
export const changedKeysOf = (data: Record<string, unknown> | null): string[] =>
  Array.isArray(data?.["changed"]) ? (data["changed"] as unknown[]).filter((k): k is string => typeof k === "string") : [];

/** The names of the settings a save changed, in the order `labels` (the form's order) lists them: what its confirmation says. */
export function changedSettingNames<K extends string>(labels: Record<K, string>, changed: readonly K[]): string[] {
  return (Object.keys(labels) as K[]).filter((key) => changed.includes(key)).map((key) => labels[key]);
}
