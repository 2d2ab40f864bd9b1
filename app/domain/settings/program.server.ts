import { changedKeys, fromTo } from "../versioned-settings.server";
import { programSettings, type ProgramSettings } from "#db/schema/index";
import type { EarningsRow } from "#db/schema/settings";
import type { AuditAction } from "~/lib/audit-actions";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { DomainError } from "../errors";
import { DEFAULT_TIERS } from "../partners/catalog";
import { brandFilePath, logoRefOf, type LogoRef } from "./catalog";
import { CHANNEL_VALUES, PARTNER_TYPE_VALUES, REGION_VALUES, type Channel, type PartnerType, type Region } from "../applications/catalog";

export type Branding = Pick<ProgramSettings, "name" | "tagline" | "description" | "brandColor">;

/** The identity as pages show it: the editable fields and the uploaded logo, if any. */
export type BrandingView = Branding & { logo: LogoRef | null };

/** The terms summary on the public page; empty parts are not shown. */
export type ProgramSummary = { summaryEarnings: string; earningsRows: EarningsRow[]; summaryRequirements: string; summaryFaq: string };

// A fresh install shows no summary rather than invented terms.
export const EMPTY_SUMMARY: ProgramSummary = { summaryEarnings: "", earningsRows: [], summaryRequirements: "", summaryFaq: "" };

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
  description: "Join our partner program to get approved brand assets, accurate product claims and tracking links, all in one place.",
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

export async function getBranding(db: Db): Promise<BrandingView> {
  const row = await readSettings(db);
  return row
    ? { name: row.name, tagline: row.tagline, description: row.description, brandColor: row.brandColor, logo: logoRefOf(row.logo) }
    : { ...DEFAULT_BRANDING, logo: null };
}

/**
 * How an email names its sender: the program name, and the logo as an
 * absolute PNG URL on the canonical origin (the mail is read elsewhere, and
 * mail clients do not show SVG), or null when there is no logo.
 */
export function emailBrand(branding: BrandingView, origin: string): { programName: string; logoUrl: string | null; brandColor: string } {
  return {
    programName: branding.name,
    logoUrl: branding.logo ? `${origin}${brandFilePath("logo.png", branding.logo)}` : null,
    brandColor: branding.brandColor,
  };
}

export async function getProgramSummary(db: Db): Promise<ProgramSummary> {
  const row = await readSettings(db);
  return row ? pick(row, EMPTY_SUMMARY) : EMPTY_SUMMARY;
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
  ctx: AppContext,
  actor: Actor,
  action: Extract<AuditAction, `settings.${string}`>,
  next: T,
  current: (row: ProgramSettings | undefined) => T,
): Promise<void> {
  await transaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const [row] = await tx.select().from(programSettings).limit(1).for("update");
    const before = current(row);
    if (row) await tx.update(programSettings).set({ ...next, updatedAt: now });
    else await tx.insert(programSettings).values({ ...DEFAULT_BRANDING, ...next });
    const changed = fromTo(changedKeys(next, before), before, next);
    await recordAudit(tx, { actor, action, subjectType: "program", data: { changed }, at: now });
  });
}

/** Saves the program's public identity. */
export function updateBranding(ctx: AppContext, actor: Actor, next: Branding): Promise<void> {
  return saveSettings(ctx, actor, "settings.branding_updated", next, (row) => (row ? pick(row, next) : DEFAULT_BRANDING));
}

/** Saves the terms summary of the public page; earnings rows for tiers the program does not have are refused. */
export async function updateProgramSummary(ctx: AppContext, actor: Actor, next: ProgramSummary): Promise<void> {
  const { partnerTiers } = await getProgramRules(ctx.db);
  const unknown = next.earningsRows.find((row) => !partnerTiers.includes(row.tier));
  if (unknown)
    throw new DomainError(`The earnings table has a row for "${unknown.tier}", which is not one of the program's tiers. Reload the page and try again.`, {
      kind: "conflict",
    });
  return saveSettings(ctx, actor, "settings.summary_updated", next, (row) => (row ? pick(row, next) : EMPTY_SUMMARY));
}

/** Saves the rules that drive the apply form, the fit score and the risk flags. */
export function updateProgramRules(ctx: AppContext, actor: Actor, next: ProgramRules): Promise<void> {
  return saveSettings(ctx, actor, "settings.rules_updated", next, (row) => (row ? pick(row, next) : DEFAULT_RULES));
}

function pick<T extends Record<string, unknown>>(row: ProgramSettings, shape: T): T {
  return Object.fromEntries(Object.keys(shape).map((k) => [k, row[k as keyof ProgramSettings]])) as T;
}
