// The CommonJS entry, not the package name: see app/types/disposable-email-domains.d.ts.
import disposableDomains from "disposable-email-domains/index.js";
import { domainToASCII } from "node:url";
import { CHANNELS, labelOf, REGIONS, type Channel, type PartnerType, type Region } from "./catalog";

// The rubric is documented for reviewers in docs/fit-score.md and pinned by
// tests/unit/scoring.test.ts: change all three together.

export type ProgramCriteria = {
  partnerTypesOffered: PartnerType[];
  channelsOffered: Channel[];
  targetRegions: Region[];
  regionsServed: Region[];
  minAudienceSize: number;
  blockedEmailDomains: string[];
};

export type ApplicationAnswers = {
  company: string;
  contactName: string;
  email: string;
  website: string | null;
  partnerType: PartnerType;
  channels: Channel[];
  audienceSize: number;
  regions: Region[];
  audienceDescription: string;
  promotionPlan: string;
  socialHandles: string | null;
};

/** Computed by the caller from the database, so that scoring stays pure. */
export type DuplicateSignals = { duplicateEmail: boolean; duplicateDomain: boolean };

export type RiskFlagCode =
  "duplicate_email" | "duplicate_domain" | "disposable_email" | "email_domain_mismatch" | "region_not_served" | "no_website" | "blocked_email_domain";

export type RiskSeverity = "high" | "medium" | "low";
export type RiskFlag = { code: RiskFlagCode; severity: RiskSeverity; message: string };
export type ScoreComponent = { score: number; max: number; reasons: string[] };
export type FitScore = {
  total: number;
  components: { audienceFit: ScoreComponent; channelQuality: ScoreComponent; brandAlignment: ScoreComponent; risk: ScoreComponent };
};

export const SCORE_MAX = { audienceFit: 35, channelQuality: 25, brandAlignment: 20, risk: 20 } as const;
export const RISK_PENALTY: Record<RiskSeverity, number> = { high: 10, medium: 5, low: 2 };

export const RISK_FLAG_SEVERITY: Record<RiskFlagCode, RiskSeverity> = {
  duplicate_email: "high",
  blocked_email_domain: "high",
  disposable_email: "high",
  duplicate_domain: "medium",
  region_not_served: "medium",
  no_website: "medium",
  email_domain_mismatch: "low",
};

/** Short names for badges; the flag's message carries the detail. */
export const RISK_FLAG_TITLES: Record<RiskFlagCode, string> = {
  duplicate_email: "Duplicate email",
  blocked_email_domain: "Blocked email domain",
  disposable_email: "Disposable email",
  duplicate_domain: "Duplicate domain",
  region_not_served: "Region not served",
  no_website: "No website",
  email_domain_mismatch: "Email domain differs from website",
};

// Worst first, so the queue shows the flags that matter most at a glance.
const FLAG_ORDER = Object.keys(RISK_FLAG_SEVERITY) as RiskFlagCode[];

// ---------------------------------------------------------------------------
// Domain helpers

/**
 * A domain in its ASCII (punycode) form, the one the URL parser gives for a
 * website: `exämple.com` and `xn--exmple-cua.com` compare equal everywhere
 * (blocked list, disposable list, email against website).
 */
export function asciiDomain(domain: string): string {
  const d = domain
    .trim()
    .toLowerCase()
    .replace(/^[@.]+/, "")
    .replace(/\.$/, "");
  return domainToASCII(d) || d;
}

export function emailDomain(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 0) return "";
  return asciiDomain(email.slice(at + 1));
}

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export function websiteDomain(website: string | null): string | null {
  if (website === null) return null;
  // The URL parser drops tabs and newlines too; doing it first keeps the scheme check honest.
  const input = website.replace(/[\t\n\r]/g, "").trim();
  if (!input) return null;

  let candidate: string;
  if (/^https?:\/\//i.test(input)) candidate = input;
  // Any other scheme (javascript:, mailto:, ftp://, data:) is not a website. A colon followed by
  // a digit is a port on a bare host ("example.com:8080"), not a scheme.
  else if (/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(input)) return null;
  else candidate = `https://${input}`;

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;

  let host = url.hostname.toLowerCase().replace(/\.$/, "");
  const labels = host.split(".");
  // A public website needs a registrable name: no IP literals, no single-label hosts such as localhost.
  if (labels.length < 2 || !labels.every((l) => HOST_LABEL.test(l)) || !TOP_LEVEL_LABEL.test(labels[labels.length - 1] ?? "")) {
    return null;
  }
  if (host.startsWith("www.") && host.split(".").length > 2) host = host.slice(4);
  return host;
}

/** The domain itself, then each parent: "a.b.example.com" → "b.example.com" → "example.com" → "com". */
function domainAndParents(domain: string): string[] {
  const out: string[] = [];
  let d = domain;
  while (d) {
    out.push(d);
    const dot = d.indexOf(".");
    d = dot < 0 ? "" : d.slice(dot + 1);
  }
  return out;
}

/** Same organisation when equal or one is a subdomain of the other (mail.example.com ~ example.com). */
function sameDomainFamily(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

let disposableSet: Set<string> | null = null;

export function isDisposableEmailDomain(domain: string): boolean {
  // ~120k entries: built on first use, once, and only for the process that scores applications.
  disposableSet ??= new Set(disposableDomains);
  const set = disposableSet;
  const d = asciiDomain(domain);
  // Single labels are skipped so a stray entry can never flag a whole top-level domain.
  return domainAndParents(d).some((candidate) => candidate.includes(".") && set.has(candidate));
}

function blockedMatch(domain: string, blocked: string[]): string | null {
  if (!domain) return null;
  const set = new Set(blocked.map(asciiDomain).filter(Boolean));
  return domainAndParents(asciiDomain(domain)).find((candidate) => set.has(candidate)) ?? null;
}

// Free mail is not suspicious in itself, but reviewers should know why the domains differ.
const FREE_MAIL_PROVIDERS = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "hotmail.co.uk",
  "live.com",
  "msn.com",
  "yahoo.com",
  "yahoo.co.uk",
  "ymail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "proton.me",
  "protonmail.com",
  "pm.me",
  "gmx.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "mail.com",
  "zoho.com",
  "yandex.com",
  "yandex.ru",
  "fastmail.com",
  "tutanota.com",
  "qq.com",
  "163.com",
]);

// ---------------------------------------------------------------------------
// Risk flags

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Catalog order, without repeats, so reasons and messages read the same every time. */
function inCatalogOrder<T extends string>(values: readonly T[], catalog: readonly { value: string }[]): T[] {
  const present = new Set<string>(values);
  return catalog.map((o) => o.value).filter((v): v is T => present.has(v));
}

export function computeRiskFlags(answers: ApplicationAnswers, criteria: ProgramCriteria, duplicates: DuplicateSignals): RiskFlag[] {
  const found = new Map<RiskFlagCode, string>();
  const mailDomain = emailDomain(answers.email);
  const siteDomain = websiteDomain(answers.website);

  if (duplicates.duplicateEmail) {
    found.set("duplicate_email", `Another application already uses the email address ${answers.email.trim()}.`);
  }

  const blockedBy = blockedMatch(mailDomain, criteria.blockedEmailDomains);
  if (blockedBy) {
    found.set(
      "blocked_email_domain",
      blockedBy === mailDomain
        ? `The email domain ${mailDomain} is on the program's blocked list.`
        : `The email domain ${mailDomain} is blocked because ${blockedBy} is on the program's blocked list.`,
    );
  }

  if (mailDomain && isDisposableEmailDomain(mailDomain)) {
    found.set("disposable_email", `The email domain ${mailDomain} is a disposable address service.`);
  }

  if (duplicates.duplicateDomain) {
    found.set(
      "duplicate_domain",
      siteDomain ? `Another application already comes from the website domain ${siteDomain}.` : "Another application already comes from the same domain.",
    );
  }

  // An empty list means the program has not restricted regions, not that it serves none.
  if (criteria.regionsServed.length > 0) {
    const served = new Set<Region>(criteria.regionsServed);
    const unserved = inCatalogOrder(answers.regions, REGIONS).filter((r) => !served.has(r));
    if (unserved.length > 0) {
      found.set("region_not_served", `The program does not serve ${joinAnd(unserved.map(labelOf))}.`);
    }
  }

  if (siteDomain === null) {
    const given = answers.website?.trim();
    found.set("no_website", given ? `The website "${given}" is not a valid http(s) address.` : "No website was given.");
  } else if (!mailDomain) {
    found.set("email_domain_mismatch", `The email address has no domain to compare with the website domain ${siteDomain}.`);
  } else if (!sameDomainFamily(mailDomain, siteDomain)) {
    found.set(
      "email_domain_mismatch",
      FREE_MAIL_PROVIDERS.has(mailDomain)
        ? `The email uses the free mail provider ${mailDomain} rather than the website domain ${siteDomain}.`
        : `The email domain ${mailDomain} differs from the website domain ${siteDomain}.`,
    );
  }

  return FLAG_ORDER.flatMap((code) => {
    const message = found.get(code);
    return message === undefined ? [] : [{ code, severity: RISK_FLAG_SEVERITY[code], message }];
  });
}

// ---------------------------------------------------------------------------
// Fit score

const OWNED_CHANNELS = new Set<Channel>(["website_blog", "email", "video"]);
const CHANNEL_POINTS = { owned: 9, other: 7 } as const;

const AUDIENCE_POINTS = { regions: 12, partnerType: 8 } as const;
/** With no minimum set, sizes are still banded, against this reference instead. */
const NO_MINIMUM_REFERENCE = 1_000;
// Log-scale: each band is roughly three times the previous one.
const SIZE_BANDS = [
  { multiple: 100, points: 15 },
  { multiple: 30, points: 14 },
  { multiple: 10, points: 12 },
  { multiple: 3, points: 10 },
  { multiple: 1, points: 7 },
] as const;
const SIZE_POINTS_HALF_MINIMUM = 3;

const BRAND_POINTS = { website: 3, socialHandles: 2, emailMatchesWebsite: 5 } as const;
// Length in characters after collapsing whitespace, so padding earns nothing.
const TEXT_BANDS = [
  { atLeast: 400, points: 5, word: "thorough" },
  { atLeast: 150, points: 4, word: "detailed" },
  { atLeast: 40, points: 2, word: "brief" },
] as const;

function formatNumber(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function points(n: number): string {
  return n < 0 ? `−${-n}` : `+${n}`;
}

function clamp(score: number, max: number): number {
  return Math.min(max, Math.max(0, score));
}

function component(raw: number, max: number, reasons: string[]): ScoreComponent {
  const score = clamp(raw, max);
  if (raw > max) reasons.push(`Capped at the maximum of ${max}.`);
  if (raw < 0) reasons.push("Deductions exceed the maximum, so this component stops at 0.");
  return { score, max, reasons };
}

function audienceSizePoints(rawSize: number, minAudienceSize: number): { points: number; reason: string } {
  const size = Number.isFinite(rawSize) && rawSize > 0 ? Math.floor(rawSize) : 0;
  const hasMinimum = Number.isFinite(minAudienceSize) && minAudienceSize > 0;
  const reference = hasMinimum ? Math.floor(minAudienceSize) : NO_MINIMUM_REFERENCE;
  const ref = hasMinimum ? `the minimum of ${formatNumber(reference)}` : `the reference size of ${formatNumber(reference)} (the program sets no minimum)`;
  const audience = `Audience of ${formatNumber(size)}`;

  for (const band of SIZE_BANDS) {
    if (size >= band.multiple * reference) {
      const where = band.multiple === 1 ? `meets ${ref}` : `is at least ${band.multiple}× ${ref}`;
      return { points: band.points, reason: `${audience} ${where}: ${points(band.points)}.` };
    }
  }
  if (size * 2 >= reference) {
    return { points: SIZE_POINTS_HALF_MINIMUM, reason: `${audience} is below ${ref} but at least half of it: ${points(SIZE_POINTS_HALF_MINIMUM)}.` };
  }
  return { points: 0, reason: `${audience} is less than half ${ref}: +0.` };
}

function audienceFit(answers: ApplicationAnswers, criteria: ProgramCriteria): ScoreComponent {
  const reasons: string[] = [];
  const size = audienceSizePoints(answers.audienceSize, criteria.minAudienceSize);
  reasons.push(size.reason);

  let regionPoints = 0;
  const regions = inCatalogOrder(answers.regions, REGIONS);
  if (regions.length === 0) {
    reasons.push("No regions were given: +0.");
  } else if (criteria.targetRegions.length === 0) {
    regionPoints = AUDIENCE_POINTS.regions;
    reasons.push(`The program sets no target regions, so every region counts: ${points(regionPoints)}.`);
  } else {
    const targets = new Set<Region>(criteria.targetRegions);
    const onTarget = regions.filter((r) => targets.has(r));
    const offTarget = regions.filter((r) => !targets.has(r));
    regionPoints = Math.round((AUDIENCE_POINTS.regions * onTarget.length) / regions.length);
    const share = `${onTarget.length} of ${regions.length} region${regions.length === 1 ? "" : "s"}`;
    if (onTarget.length === 0) {
      reasons.push(`None of the regions (${joinAnd(offTarget.map(labelOf))}) is a target region: +0.`);
    } else if (offTarget.length === 0) {
      reasons.push(
        `${share} (${joinAnd(onTarget.map(labelOf))}) ${regions.length === 1 ? "is a target region" : "are target regions"}: ${points(regionPoints)}.`,
      );
    } else {
      reasons.push(
        `${share} ${onTarget.length === 1 ? "is a target region" : "are target regions"} (${joinAnd(onTarget.map(labelOf))}; not ${joinAnd(offTarget.map(labelOf))}): ${points(regionPoints)}.`,
      );
    }
  }

  let typePoints = 0;
  const typeLabel = labelOf(answers.partnerType);
  if (criteria.partnerTypesOffered.length === 0) {
    typePoints = AUDIENCE_POINTS.partnerType;
    reasons.push(`The program does not restrict partner types: ${points(typePoints)}.`);
  } else if (criteria.partnerTypesOffered.includes(answers.partnerType)) {
    typePoints = AUDIENCE_POINTS.partnerType;
    reasons.push(`${typeLabel} is a partner type the program accepts: ${points(typePoints)}.`);
  } else {
    reasons.push(`${typeLabel} is not a partner type the program accepts: +0.`);
  }

  return component(size.points + regionPoints + typePoints, SCORE_MAX.audienceFit, reasons);
}

function channelQuality(answers: ApplicationAnswers, criteria: ProgramCriteria): ScoreComponent {
  const reasons: string[] = [];
  const channels = inCatalogOrder(answers.channels, CHANNELS);
  if (channels.length === 0) {
    reasons.push("No channels were given: +0.");
    return component(0, SCORE_MAX.channelQuality, reasons);
  }
  // No stated preference means every channel is welcome.
  const wanted = new Set<Channel>(criteria.channelsOffered.length > 0 ? criteria.channelsOffered : channels);
  const matches = channels.filter((c) => wanted.has(c));
  const others = channels.filter((c) => !wanted.has(c));
  if (matches.length === 0) {
    reasons.push(`None of the channels (${joinAnd(channels.map(labelOf))}) is one the program wants, so the component scores nothing: +0.`);
    return component(0, SCORE_MAX.channelQuality, reasons);
  }

  let raw = 0;
  for (const channel of matches) {
    // Owned audiences (a site, a list, a channel) are steadier than paid reach or a marketplace listing.
    const owned = OWNED_CHANNELS.has(channel);
    const p = owned ? CHANNEL_POINTS.owned : CHANNEL_POINTS.other;
    raw += p;
    reasons.push(`${labelOf(channel)} is a wanted ${owned ? "owned channel" : "channel"}: ${points(p)}.`);
  }
  if (others.length > 0) {
    reasons.push(`${joinAnd(others.map(labelOf))} ${others.length === 1 ? "is not a channel" : "are not channels"} the program asks for: +0.`);
  }
  return component(raw, SCORE_MAX.channelQuality, reasons);
}

function textLengthPoints(text: string, name: string): { points: number; reason: string } {
  const length = [...text.trim().replace(/\s+/g, " ")].length;
  const count = `${formatNumber(length)} character${length === 1 ? "" : "s"}`;
  const band = TEXT_BANDS.find((b) => length >= b.atLeast);
  if (!band) return { points: 0, reason: `${name} is too short to judge (${count}): +0.` };
  return { points: band.points, reason: `${name} is ${band.word} (${count}): ${points(band.points)}.` };
}

function brandAlignment(answers: ApplicationAnswers): ScoreComponent {
  const reasons: string[] = [];
  const description = textLengthPoints(answers.audienceDescription, "The audience description");
  const plan = textLengthPoints(answers.promotionPlan, "The promotion plan");
  reasons.push(description.reason, plan.reason);
  let raw = description.points + plan.points;

  const siteDomain = websiteDomain(answers.website);
  if (siteDomain) {
    raw += BRAND_POINTS.website;
    reasons.push(`A website is given (${siteDomain}): ${points(BRAND_POINTS.website)}.`);
  } else if (answers.website?.trim()) {
    reasons.push("The website is not a valid address: +0.");
  } else {
    reasons.push("No website is given: +0.");
  }

  if (answers.socialHandles?.trim()) {
    raw += BRAND_POINTS.socialHandles;
    reasons.push(`Social handles are given: ${points(BRAND_POINTS.socialHandles)}.`);
  } else {
    reasons.push("No social handles are given: +0.");
  }

  const mailDomain = emailDomain(answers.email);
  if (!siteDomain) {
    reasons.push("Without a website the email domain cannot be matched: +0.");
  } else if (mailDomain && sameDomainFamily(mailDomain, siteDomain)) {
    raw += BRAND_POINTS.emailMatchesWebsite;
    reasons.push(`The email domain matches the website (${siteDomain}): ${points(BRAND_POINTS.emailMatchesWebsite)}.`);
  } else {
    reasons.push(`The email domain (${mailDomain || "none"}) differs from the website (${siteDomain}): +0.`);
  }

  return component(raw, SCORE_MAX.brandAlignment, reasons);
}

function risk(flags: RiskFlag[]): ScoreComponent {
  const reasons: string[] = [];
  // One deduction per kind of flag, so a caller that repeats a flag cannot double-count it.
  const seen = new Set<RiskFlagCode>();
  let raw = SCORE_MAX.risk;
  for (const flag of flags) {
    if (seen.has(flag.code)) continue;
    seen.add(flag.code);
    const penalty = RISK_PENALTY[flag.severity];
    raw -= penalty;
    reasons.push(`${RISK_FLAG_TITLES[flag.code]} (${flag.severity}): ${points(-penalty)}.`);
  }
  if (seen.size === 0) reasons.push(`No risk flags: ${points(SCORE_MAX.risk)}.`);
  return component(raw, SCORE_MAX.risk, reasons);
}

/**
 * How risky an application reads, from its risk component (20 is no flags).
 * The bands follow the deductions: what is left after at most two low flags
 * is low risk, what one medium flag (or three low ones) leaves is medium, and
 * a high flag's worth of deductions or more is high.
 */
export function riskLevelOf(riskScore: number): RiskSeverity {
  if (riskScore > SCORE_MAX.risk - RISK_PENALTY.medium) return "low";
  if (riskScore > SCORE_MAX.risk - RISK_PENALTY.high) return "medium";
  return "high";
}

export function computeFitScore(answers: ApplicationAnswers, criteria: ProgramCriteria, flags: RiskFlag[]): FitScore {
  const components = {
    audienceFit: audienceFit(answers, criteria),
    channelQuality: channelQuality(answers, criteria),
    brandAlignment: brandAlignment(answers),
    risk: risk(flags),
  };
  const total = components.audienceFit.score + components.channelQuality.score + components.brandAlignment.score + components.risk.score;
  return { total, components };
}
