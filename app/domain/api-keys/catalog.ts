// Shared with the browser bundle (the key pages): what each scope allows, the
// shape of a key, and a key's status. Plain data: the scope list is checked
// against the database's own (db/schema/conversions.ts) by type only, so no
// drizzle code reaches the browser.
import type { ApiKeyScope } from "#db/schema/conversions";

export type { ApiKeyScope };

/** Every scope, with what it lets a key do, in the order the form offers them. */
export const API_KEY_SCOPE_DETAILS: Record<ApiKeyScope, { label: string; description: string }> = {
  "conversions:write": {
    label: "Record conversions",
    description: "Post orders and refunds from your shop or billing system (POST /api/v1/conversions). What a checkout integration needs.",
  },
  "reports:read": {
    label: "Read reports",
    description: "Read clicks, conversions, revenue and commission per partner, link and day, for your own dashboards.",
  },
  "links:read": {
    label: "Read tracking links",
    description: "List every partner's tracking links with their short addresses and destinations (GET /api/v1/links).",
  },
};

export const API_KEY_SCOPES = Object.keys(API_KEY_SCOPE_DETAILS) as [ApiKeyScope, ...ApiKeyScope[]];

/** Every secret starts with this, so a leaked one is recognisable (secret scanners, logs) and cannot be mistaken for another token. */
export const API_KEY_PREFIX = "cb_live_";

/** How many characters of the random part the display prefix keeps: enough to tell keys apart, far too few to matter to a guesser. */
export const API_KEY_PREFIX_RANDOM_CHARS = 6;

export const API_KEY_LIMITS = { nameMax: 80 } as const;

export const API_KEY_STATUS_LABELS = { active: "Active", expired: "Expired", revoked: "Revoked" } as const;
export type ApiKeyStatus = keyof typeof API_KEY_STATUS_LABELS;

/**
 * Revoked wins over expired: a key someone revoked says so whatever its date.
 * Expired from the first instant of `expiresAt` (the day after the expiry date
 * chosen, at 00:00 UTC).
 */
export function apiKeyStatus(key: { revokedAt: Date | string | null; expiresAt: Date | string | null }, now: Date): ApiKeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now.getTime()) return "expired";
  return "active";
}

/** The display form of a key: its prefix and an ellipsis for the part never shown again. */
export const maskedKey = (prefix: string) => `${prefix}…`;
