import { DEFAULT_RULES } from "./defaults";
import { normaliseAllowedDomain } from "./destination";
import { endOfUtcDay } from "./library";
import type { BannedTerm, ClaimRule, FileFacts, Finding, PrescreenInput, PrescreenRules } from "./types";

// The command line's file formats (issue 13, part 3), read by hand so the
// messages name the exact key that is wrong. Pure: the script does the I/O.
//
// program.json: { now, disclosurePhrases, disclosureChannels,
//   disclosureWithinChars, bannedTerms, claimTriggers?, allowedDomains,
//   claims: [{ id, text, disclaimers, channels (null = all), regions?, status, expiresAt? }] }
// A key left out takes the app's default; unknown keys are ignored.
//
// Input lines: { id, channel, copy, claimIds, destinationUrl }, plus what the
// app knows and the format leaves out, all optional: regions, partnerType and
// files ([{ name?, contentType, sizeBytes, width?, height?, pageCount? }]).

export class ProgramFileError extends Error {
  override name = "ProgramFileError";
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

function stringList(value: Json | undefined, path: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new ProgramFileError(`${path} must be a list of strings.`);
  return value as string[];
}

function optionalStringList(value: Json | undefined, path: string): string[] | null {
  return value === undefined || value === null ? null : stringList(value, path);
}

/** An id as given: JSON numbers are accepted and compared as their decimal text. */
function idOf(value: Json | undefined): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * An ISO date or date-time ("2025-06-15T12:00:00Z", "2025-06-15 12:00"), or
 * milliseconds since 1970. A bare date (2025-12-31) is a calendar day, as in
 * the claims library: with `dateMeansEndOfDay`, usable through that whole day (UTC).
 */
function parseInstant(value: string | number, path: string, dateMeansEndOfDay: boolean): Date {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new ProgramFileError(`${path} is not a valid time.`);
    return new Date(value);
  }
  const trimmed = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    const start = Date.parse(`${trimmed}T00:00:00Z`);
    if (Number.isNaN(start)) throw new ProgramFileError(`${path} is not a valid date: ${JSON.stringify(value)}.`);
    return dateMeansEndOfDay ? endOfUtcDay(trimmed) : new Date(start);
  }
  // Without a zone, a date-time is read as UTC, so the result does not depend on the machine.
  const iso = trimmed.replace(/^(\d{4}-\d{2}-\d{2})[ T]/, "$1T");
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`;
  const time = Date.parse(zoned);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}T/.test(iso))
    throw new ProgramFileError(`${path} must be an ISO date or date-time, like "2025-06-15T12:00:00Z": got ${JSON.stringify(value)}.`);
  return new Date(time);
}

// The flag that makes a banned term match its word forms, under the names people reach for.
const WORD_FORM_KEYS = ["matchWordForms", "wordForms", "matchForms", "forms"] as const;

function parseBannedTerms(value: Json | undefined): BannedTerm[] {
  if (value === undefined) return [...DEFAULT_RULES.bannedTerms];
  if (!Array.isArray(value)) throw new ProgramFileError("bannedTerms must be a list of strings (or { term, matchWordForms } objects).");
  return value.map((item, i): BannedTerm => {
    if (typeof item === "string") return item;
    if (isObject(item) && typeof item.term === "string") {
      const flags = WORD_FORM_KEYS.map((key) => item[key]).filter((v) => v !== undefined);
      if (flags.every((v) => typeof v === "boolean")) return { term: item.term, matchWordForms: flags.includes(true) };
    }
    throw new ProgramFileError(`bannedTerms[${i}] must be a string or { "term": string, "matchWordForms"?: boolean }.`);
  });
}

function parseClaim(value: Json, i: number): ClaimRule {
  const path = `claims[${i}]`;
  if (!isObject(value)) throw new ProgramFileError(`${path} must be an object.`);
  const id = idOf(value.id);
  if (id === null) throw new ProgramFileError(`${path}.id must be a string.`);
  if (typeof value.text !== "string") throw new ProgramFileError(`${path}.text must be a string.`);
  const disclaimers = value.disclaimers === undefined || value.disclaimers === null ? [] : stringList(value.disclaimers, `${path}.disclaimers`);
  if (value.status !== undefined && typeof value.status !== "string") throw new ProgramFileError(`${path}.status must be a string such as "approved".`);
  const expiresAt = value.expiresAt === undefined || value.expiresAt === null || value.expiresAt === "" ? null : value.expiresAt;
  if (expiresAt !== null && typeof expiresAt !== "string" && typeof expiresAt !== "number")
    throw new ProgramFileError(`${path}.expiresAt must be an ISO date or null.`);
  return {
    id,
    text: value.text,
    disclaimers,
    channels: optionalStringList(value.channels, `${path}.channels`),
    regions: optionalStringList(value.regions, `${path}.regions`),
    // A claim listed without a status is taken as approved: it is in the library.
    status: typeof value.status === "string" ? value.status.trim().toLowerCase() : "approved",
    expiresAt: expiresAt === null ? null : parseInstant(expiresAt, `${path}.expiresAt`, true),
  };
}

/** The rules and the time of a program file. `fallbackNow` is used when the file has no `now`. */
export function parseProgramFile(value: unknown, fallbackNow: Date): { rules: PrescreenRules; now: Date } {
  if (!isObject(value)) throw new ProgramFileError("The program file must hold a JSON object.");
  const now =
    value.now === undefined || value.now === null
      ? fallbackNow
      : typeof value.now === "string" || typeof value.now === "number"
        ? parseInstant(value.now, "now", false)
        : null;
  if (now === null) throw new ProgramFileError('now must be an ISO date-time string, like "2025-06-15T12:00:00Z".');

  const within = value.disclosureWithinChars;
  if (within !== undefined && (typeof within !== "number" || !Number.isInteger(within) || within < 0)) {
    throw new ProgramFileError("disclosureWithinChars must be a whole number of characters, 0 or more.");
  }
  const allowedDomains = value.allowedDomains === undefined ? [...DEFAULT_RULES.allowedDomains] : stringList(value.allowedDomains, "allowedDomains");
  allowedDomains.forEach((domain, i) => {
    if (normaliseAllowedDomain(domain) === null) throw new ProgramFileError(`allowedDomains[${i}] is not a domain name: ${JSON.stringify(domain)}.`);
  });
  if (value.claims !== undefined && !Array.isArray(value.claims)) throw new ProgramFileError("claims must be a list.");
  const claims = (value.claims ?? []) as Json[];
  const ids = new Set<string>();
  const parsedClaims = claims.map((claim, i) => {
    const parsed = parseClaim(claim, i);
    if (ids.has(parsed.id)) throw new ProgramFileError(`claims[${i}].id ${JSON.stringify(parsed.id)} is used twice.`);
    ids.add(parsed.id);
    return parsed;
  });
  if (value.brandName !== undefined && value.brandName !== null && typeof value.brandName !== "string")
    throw new ProgramFileError("brandName must be a string.");

  const rules: PrescreenRules = {
    ...DEFAULT_RULES,
    brandName: typeof value.brandName === "string" ? value.brandName : DEFAULT_RULES.brandName,
    disclosurePhrases: value.disclosurePhrases === undefined ? DEFAULT_RULES.disclosurePhrases : stringList(value.disclosurePhrases, "disclosurePhrases"),
    disclosureChannels: value.disclosureChannels === undefined ? DEFAULT_RULES.disclosureChannels : stringList(value.disclosureChannels, "disclosureChannels"),
    disclosureWithinChars: typeof within === "number" ? within : DEFAULT_RULES.disclosureWithinChars,
    bannedTerms: parseBannedTerms(value.bannedTerms),
    claimTriggers:
      value.claimTriggers === undefined || value.claimTriggers === null ? DEFAULT_RULES.claimTriggers : stringList(value.claimTriggers, "claimTriggers"),
    allowedDomains,
    claims: parsedClaims,
  };
  return { rules, now };
}

export type ParsedLine = { ok: true; id: string | number | null; input: PrescreenInput } | { ok: false; error: string };

/** One input line (already known not to be blank). */
export function parseInputLine(line: string, now: Date): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { ok: false, error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isObject(value)) return { ok: false, error: "Each line must be a JSON object." };
  const id =
    value.id === undefined || value.id === null
      ? null
      : typeof value.id === "string" || (typeof value.id === "number" && Number.isFinite(value.id))
        ? value.id
        : undefined;
  if (id === undefined) return { ok: false, error: "id must be a string or a number." };
  if (typeof value.channel !== "string") return { ok: false, error: "channel must be a string." };
  if (typeof value.copy !== "string") return { ok: false, error: "copy must be a string." };
  const claimIds = value.claimIds === undefined || value.claimIds === null ? [] : value.claimIds;
  if (!Array.isArray(claimIds) || claimIds.some((c) => idOf(c) === null)) return { ok: false, error: "claimIds must be a list of claim ids." };
  const destinationUrl = value.destinationUrl === undefined ? null : value.destinationUrl;
  if (destinationUrl !== null && typeof destinationUrl !== "string") return { ok: false, error: "destinationUrl must be a string or null." };
  const regions = value.regions === undefined || value.regions === null ? null : value.regions;
  if (regions !== null && (!Array.isArray(regions) || !regions.every((r) => typeof r === "string")))
    return { ok: false, error: "regions must be a list of strings." };
  const partnerType = value.partnerType === undefined || value.partnerType === null ? null : value.partnerType;
  if (partnerType !== null && typeof partnerType !== "string") return { ok: false, error: "partnerType must be a string." };
  const files = parseFiles(value.files);
  if (typeof files === "string") return { ok: false, error: files };
  return {
    ok: true,
    id,
    input: {
      copy: value.copy,
      channel: value.channel,
      claimIds: claimIds.map((c) => idOf(c)!),
      destinationUrl,
      regions: regions as string[] | null,
      partnerType,
      files,
      now,
    },
  };
}

const optionalCount = (v: Json | undefined) => v === undefined || v === null || (typeof v === "number" && Number.isFinite(v) && v >= 0);

/** Optional file facts on an input line; a string is what is wrong with them. */
function parseFiles(value: Json | undefined): FileFacts[] | string {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return "files must be a list of { contentType, sizeBytes, width?, height?, pageCount? }.";
  const files: FileFacts[] = [];
  for (const [i, file] of value.entries()) {
    if (!isObject(file) || typeof file.contentType !== "string" || typeof file.sizeBytes !== "number" || !(file.sizeBytes >= 0)) {
      return `files[${i}] needs a contentType (string) and a sizeBytes (number).`;
    }
    if (!optionalCount(file.width) || !optionalCount(file.height) || !optionalCount(file.pageCount))
      return `files[${i}]: width, height and pageCount must be numbers.`;
    if (file.name !== undefined && file.name !== null && typeof file.name !== "string") return `files[${i}].name must be a string.`;
    files.push({
      name: typeof file.name === "string" ? file.name : null,
      contentType: file.contentType,
      sizeBytes: file.sizeBytes,
      width: typeof file.width === "number" ? file.width : null,
      height: typeof file.height === "number" ? file.height : null,
      pageCount: typeof file.pageCount === "number" ? file.pageCount : null,
    });
  }
  return files;
}

/** The output line for one input: exactly these keys, in this order. */
export function resultLine(id: string | number | null, findings: readonly Finding[]): string {
  return JSON.stringify({ id, findings: findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, start: f.start, end: f.end })) });
}

export const errorLine = (error: string): string => JSON.stringify({ id: null, error });
