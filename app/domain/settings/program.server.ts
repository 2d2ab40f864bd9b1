import { programSettings, type ProgramSettings } from "#db/schema/index";
import type { AuditAction } from "~/lib/audit-actions";
import { recordAudit, type Actor } from "~/lib/audit.server";
import { transaction, type Db } from "~/lib/db.server";
import { DEFAULT_TIERS } from "../partners/catalog";
import { CHANNEL_VALUES, PARTNER_TYPE_VALUES, REGION_VALUES, type Channel, type PartnerType, type Region } from "../applications/catalog";

export type Branding = Pick<ProgramSettings, "name" | "tagline" | "description" | "brandColor">;

export type ProgramRules = {
  partnerTypesOffered: PartnerType[];
  channelsOffered: Channel[];
  targetRegions: Region[];
  regionsServed: Region[];
  minAudienceSize: number;
  blockedEmailDomains: string[];
  reapplyCooldownDays: number;
  partnerTiers: string[];
};

export const DEFAULT_BRANDING: Branding = {
  name: "Partner Program",
  tagline: "Grow with us as a partner",
  description:
    "Join our partner program to get approved brand assets, accurate product claims and tracking links, all in one place.",
  brandColor: "#4f46e5",
};

export const DEFAULT_RULES: ProgramRules = {
  partnerTypesOffered: [...PARTNER_TYPE_VALUES],
  channelsOffered: [...CHANNEL_VALUES],
  targetRegions: [],
  regionsServed: [...REGION_VALUES],
  minAudienceSize: 1000,
  blockedEmailDomains: [],
  reapplyCooldownDays: 30,
  partnerTiers: [...DEFAULT_TIERS],
};

async function readSettings(db: Db): Promise<ProgramSettings | undefined> {
  const [row] = await db.select().from(programSettings).limit(1);
  return row;
}

export async function getBranding(db: Db): Promise<Branding> {
  const row = await readSettings(db);
  return row ? { name: row.name, tagline: row.tagline, description: row.description, brandColor: row.brandColor } : DEFAULT_BRANDING;
}

export async function getProgramRules(db: Db): Promise<ProgramRules> {
  const row = await readSettings(db);
  if (!row) return DEFAULT_RULES;
  return {
    partnerTypesOffered: row.partnerTypesOffered as PartnerType[],
    channelsOffered: row.channelsOffered as Channel[],
    targetRegions: row.targetRegions as Region[],
    regionsServed: row.regionsServed as Region[],
    minAudienceSize: row.minAudienceSize,
    blockedEmailDomains: row.blockedEmailDomains,
    reapplyCooldownDays: row.reapplyCooldownDays,
    partnerTiers: row.partnerTiers,
  };
}

/**
 * Saves part of the one settings row and records what changed, from what to
 * what, in the same transaction.
 */
async function saveSettings<T extends Record<string, unknown>>(
  db: Db,
  actor: Actor,
  action: Extract<AuditAction, `settings.${string}`>,
  next: T,
  current: (row: ProgramSettings | undefined) => T,
): Promise<void> {
  await transaction(db, async (tx) => {
    const [row] = await tx.select().from(programSettings).limit(1).for("update");
    const before = current(row);
    if (row) await tx.update(programSettings).set({ ...next, updatedAt: new Date() });
    else await tx.insert(programSettings).values({ ...DEFAULT_BRANDING, ...next });
    const changed = Object.fromEntries(
      Object.keys(next)
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]))
        .map((k) => [k, { from: before[k], to: next[k] }]),
    );
    await recordAudit(tx, { actor, action, subjectType: "program", data: { changed } });
  });
}

/** Saves the program's public identity. */
export function updateBranding(db: Db, actor: Actor, next: Branding): Promise<void> {
  return saveSettings(db, actor, "settings.branding_updated", next, (row) => (row ? pick(row, next) : DEFAULT_BRANDING));
}

/** Saves the rules that drive the apply form, the fit score and the risk flags. */
export function updateProgramRules(db: Db, actor: Actor, next: ProgramRules): Promise<void> {
  return saveSettings(db, actor, "settings.rules_updated", next, (row) => (row ? pick(row, next) : DEFAULT_RULES));
}

function pick<T extends Record<string, unknown>>(row: ProgramSettings, shape: T): T {
  return Object.fromEntries(Object.keys(shape).map((k) => [k, row[k as keyof ProgramSettings]])) as T;
}
