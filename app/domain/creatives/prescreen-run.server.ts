import { and, eq, isNull } from "drizzle-orm";
import { claims, creativeFiles, creatives, partnerOrganisations, type Creative, type CreativeFile } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import type { Db } from "~/lib/db.server";
import { consumeLimit, limitKey } from "~/lib/rate-limit.server";
import { DomainError, NotFoundError } from "../errors";
import { channelTextLimits, claimRuleFromLibrary, prescreen, type ChannelTextLimits, type FileFacts, type Finding, type PrescreenInput } from "../prescreen";
import { getBranding } from "../settings/program.server";
import { currentRuleSet } from "./rules.server";

type LibraryClaim = typeof claims.$inferSelect;

type MeasuredFile = Pick<CreativeFile, "originalFilename" | "contentType" | "byteSize" | "width" | "height" | "pageCount">;

/** A stored file as the pre-screen's file rules read it. */
const fileFacts = (f: MeasuredFile): FileFacts => ({
  name: f.originalFilename,
  contentType: f.contentType,
  sizeBytes: f.byteSize,
  width: f.width,
  height: f.height,
  pageCount: f.pageCount,
});

/**
 * Everything the pre-screen needs besides the creative: the rules in force
 * (with the program's name for "{brand}" phrases), the whole claims library
 * (a claim's text used without picking it still counts as used), and the
 * partner's type and regions.
 */
async function screeningContext(db: Db, partnerOrgId: string) {
  const [ruleSet, branding, library, [org]] = await Promise.all([
    currentRuleSet(db),
    getBranding(db),
    db.select().from(claims),
    db
      .select({ partnerType: partnerOrganisations.partnerType, regions: partnerOrganisations.regions })
      .from(partnerOrganisations)
      .where(eq(partnerOrganisations.id, partnerOrgId)),
  ]);
  if (!org) throw new NotFoundError("Partner organisation not found.");
  return { ruleSet, rules: { ...ruleSet.rules, brandName: branding.name, claims: library.map(claimRuleFromLibrary) }, library, org };
}

export type Screening = { findings: Finding[]; ruleSetVersion: number; claims: LibraryClaim[] };

/** The pre-screen of a creative's working copy and files, as submitting runs it. */
export async function prescreenCreative(db: Db, creative: Creative, files: readonly CreativeFile[], now: Date): Promise<Screening> {
  const { ruleSet, rules, library, org } = await screeningContext(db, creative.organisationId);
  const input: PrescreenInput = {
    copy: creative.copy,
    channel: creative.channel,
    regions: org.regions,
    partnerType: org.partnerType,
    claimIds: creative.claimIds,
    destinationUrl: creative.destinationUrl || null,
    files: files.map(fileFacts),
    now,
  };
  // In the order the partner picked them: the version lists them as chosen.
  const byId = new Map(library.map((c) => [c.id, c]));
  const picked = creative.claimIds.flatMap((id) => byId.get(id) ?? []);
  return { findings: prescreen(input, rules), ruleSetVersion: ruleSet.version, claims: picked };
}

export type LiveCheck = { findings: Finding[]; limits: ChannelTextLimits; ruleSetVersion: number };

/**
 * The live check while the partner types: the same rules on what the editor
 * holds now (files as uploaded so far), advice only; submitting runs it again.
 */
export async function prescreenDraftText(
  db: Db,
  partnerOrgId: string,
  draft: { copy: string; channel: string; claimIds: readonly string[]; destinationUrl: string | null },
  files: readonly MeasuredFile[],
  now: Date,
): Promise<LiveCheck> {
  const { ruleSet, rules, org } = await screeningContext(db, partnerOrgId);
  const findings = prescreen(
    {
      ...draft,
      regions: org.regions,
      partnerType: org.partnerType,
      files: files.map(fileFacts),
      now,
    },
    rules,
  );
  return { findings, limits: channelTextLimits(rules, draft.channel, org.partnerType), ruleSetVersion: ruleSet.version };
}

// Typing fires a check about twice a second at most (the editor waits 400 ms);
// this leaves room for that and stops a script hammering the rules engine.
const LIVE_CHECKS = { points: 240, windowSeconds: 60 };

/**
 * The live check for a partner user, on their own organisation's rules and
 * files (of `creativeId`, when editing one), rate-limited per user.
 */
export async function liveCheck(
  ctx: AppContext,
  partner: { id: string; partnerOrgId: string },
  draft: { copy: string; channel: string; claimIds: readonly string[]; destinationUrl: string | null; creativeId: string | null },
): Promise<LiveCheck> {
  const now = ctx.clock.now();
  const limit = await consumeLimit(ctx.db, limitKey(ctx.config.appSecret, "prescreen:user", partner.id), LIVE_CHECKS, now);
  if (!limit.allowed)
    throw new DomainError(`Too many checks in a minute. The check resumes in ${limit.retryAfterSeconds} seconds; saving still works.`, {
      kind: "rate_limited",
    });
  let files: MeasuredFile[] = [];
  if (draft.creativeId) {
    const [own] = await ctx.db
      .select({ id: creatives.id })
      .from(creatives)
      .where(and(eq(creatives.id, draft.creativeId), eq(creatives.organisationId, partner.partnerOrgId)));
    if (!own) throw new NotFoundError("Creative not found.");
    files = await ctx.db
      .select()
      .from(creativeFiles)
      .where(and(eq(creativeFiles.creativeId, own.id), isNull(creativeFiles.detachedAt)));
  }
  return prescreenDraftText(ctx.db, partner.partnerOrgId, draft, files, now);
}
