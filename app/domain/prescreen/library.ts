import type { ClaimRule } from "./types";

/** A claim row of the library (calendar-date expiry, as the claims table stores it) as the pre-screen reads it. */
export function claimRuleFromLibrary(claim: {
  id: string;
  text: string;
  disclaimers: readonly string[];
  channels: readonly string[] | null;
  regions: readonly string[] | null;
  status: string;
  expiresOn: string | null;
}): ClaimRule {
  return {
    id: claim.id,
    text: claim.text,
    disclaimers: claim.disclaimers,
    channels: claim.channels,
    regions: claim.regions,
    status: claim.status,
    // Usable through the whole expiry day (UTC), as the claims library lists it.
    expiresAt: claim.expiresOn ? endOfUtcDay(claim.expiresOn) : null,
  };
}

/** The first instant after the calendar day YYYY-MM-DD (UTC). */
export function endOfUtcDay(isoDate: string): Date {
  const start = Date.parse(`${isoDate}T00:00:00Z`);
  return new Date(start + 24 * 60 * 60 * 1000);
}
