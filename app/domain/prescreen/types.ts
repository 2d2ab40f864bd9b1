// The pre-screen's vocabulary. Pure data: no database, no zod, no Remix, no
// node: modules, so the same module runs in the app server, in the browser
// (live checks while the partner types) and in the command line.

export type Severity = "error" | "warning";

export type FindingCode =
  // Errors: they block submitting.
  | "missing_disclosure"
  | "missing_disclaimer"
  | "claim_not_allowed"
  | "banned_term"
  | "destination_not_allowed"
  | "file_type_not_allowed"
  | "file_too_large"
  | "image_too_small"
  | "pdf_too_many_pages"
  // Warnings: they travel with the version to the reviewers.
  | "possible_unapproved_claim"
  | "disclosure_in_hashtag_run"
  | "copy_too_long";

/**
 * One thing to fix. `start`/`end` are offsets into the copy as JavaScript
 * counts them (UTF-16 code units, what `copy.slice(start, end)` and a
 * textarea's selection use), or both null when the finding is about the copy
 * as a whole, the destination or a file.
 */
export type Finding = {
  code: FindingCode;
  severity: Severity;
  message: string;
  start: number | null;
  end: number | null;
};

/**
 * A claim of the library as the pre-screen sees it. Both the database row
 * (`claimRuleFromLibrary`) and the command line's program file map into it.
 */
export type ClaimRule = {
  id: string;
  /** The approved wording partners copy. */
  text: string;
  /** Each must appear in copy that uses the claim. */
  disclaimers: readonly string[];
  /** Channels it may be used on; null means every channel. */
  channels: readonly string[] | null;
  /** Regions it may be used in; null means every region. */
  regions: readonly string[] | null;
  /** Only "approved" claims may be used; "draft", "retired" or anything else may not. */
  status: string;
  /** The instant it stops being usable (usable while now < expiresAt); null never expires. */
  expiresAt: Date | null;
};

/**
 * A banned term: a plain string, or an object. A string ending in `*`
 * ("heal*") also matches the term's word forms (heals, healed, healing).
 */
export type BannedTerm = string | { term: string; matchWordForms?: boolean };

/** What a channel accepts; every field optional, unset means "no limit". */
export type ChannelRules = {
  /** The most characters the channel takes (counted as people count them: an emoji is one). */
  characterLimit?: number | null;
  /** Content types accepted for files, e.g. "image/png"; empty or unset accepts any. */
  allowedFileTypes?: readonly string[] | null;
  maxFileBytes?: number | null;
  minImageWidth?: number | null;
  minImageHeight?: number | null;
  maxPdfPages?: number | null;
};

/**
 * The admin's rule set (Settings). Each saved change is a new numbered
 * version; the version a submission was checked against travels with it.
 */
export type ProgramRules = {
  /** Number of the rule-set version, for the audit trail and the reviewers. */
  version?: number;
  /** Replaces `{brand}` in disclosure phrases ("Paid partnership with {brand}"). */
  brandName?: string | null;
  /** Phrases that disclose the partnership; matched as whole tokens, any case and spacing. */
  disclosurePhrases: readonly string[];
  /** Markers that look like a disclosure but are not one (#sp, #partner…): named in the message only. */
  ambiguousDisclosureMarkers: readonly string[];
  /** Channels whose copy must carry a disclosure. */
  disclosureChannels: readonly string[];
  /** Partner types that must disclose on every channel. */
  disclosurePartnerTypes: readonly string[];
  /** The disclosure must end within this many characters (feeds truncate there). */
  disclosureWithinChars: number;
  bannedTerms: readonly BannedTerm[];
  /**
   * Words and phrases that make a sentence look like a claim. "%" stands for
   * a number with a percent sign, "$", "£" and "€" for an amount of money; a
   * word also matches its simple forms (guarantee → guaranteed).
   */
  claimTriggers: readonly string[];
  /** Ordinary phrases a trigger sits in that are not claims: "best friend", "feel free", "step #1". */
  claimTriggerExceptions: readonly string[];
  /** Destination hosts: each domain and its subdomains. */
  allowedDomains: readonly string[];
  /** Rules for channels without their own entry. */
  defaultChannelRules: ChannelRules;
  /** Per channel, merged over `defaultChannelRules`. Channel names are compared exactly. */
  channelRules: Readonly<Record<string, ChannelRules>>;
};

/** The program's rules plus its claims library: everything a check needs besides the submission. */
export type PrescreenRules = ProgramRules & { claims: readonly ClaimRule[] };

/** Facts about an uploaded file, measured by the upload pipeline. */
export type FileFacts = {
  name?: string | null;
  contentType: string;
  sizeBytes: number;
  /** Pixels, for images. */
  width?: number | null;
  height?: number | null;
  /** For PDFs. */
  pageCount?: number | null;
};

/** One submission (or the draft being typed). */
export type PrescreenInput = {
  copy: string;
  channel: string;
  /** Regions the creative runs in; empty or unset skips the claims' region check. */
  regions?: readonly string[] | null;
  /** The partner's type; "creator" (by default) must disclose on every channel. Unset: not a creator. */
  partnerType?: string | null;
  /** Claims the partner picked from the library. */
  claimIds?: readonly string[] | null;
  /** Unset or empty: nothing to check. */
  destinationUrl?: string | null;
  files?: readonly FileFacts[] | null;
  /** From the caller's clock: claims expire against it. */
  now: Date;
};

/** What the editor shows under the copy for a channel. */
export type ChannelTextLimits = {
  /** Where the feed cuts the copy ("… more"): the disclosure must come before it. Null when no disclosure is needed. */
  disclosureWithinChars: number | null;
  /** The channel's maximum length, when the admin set one. */
  characterLimit: number | null;
};
