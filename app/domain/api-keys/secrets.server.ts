import crypto from "node:crypto";
import { API_KEY_PREFIX, API_KEY_PREFIX_RANDOM_CHARS } from "./catalog";

// The secret of an API key: 256 bits from the CSPRNG after a fixed prefix.
// Only its SHA-256 is stored. A slow hash (argon2, as for passwords) buys
// nothing here: the secret is random, not chosen by a person, so there is no
// dictionary to try, and a fast hash keeps authentication cheap at a
// thousand requests a second.

const RANDOM_BYTES = 32;

/** `cb_live_` and 43 base64url characters. */
export const API_KEY_SECRET_PATTERN = new RegExp(`^${API_KEY_PREFIX}[A-Za-z0-9_-]{43}$`);

export function newApiKeySecret(): string {
  return API_KEY_PREFIX + crypto.randomBytes(RANDOM_BYTES).toString("base64url");
}

/** SHA-256 of the whole secret, in hex: what `api_keys.token_hash` holds and is looked up by. */
export function hashApiKeySecret(secret: string): string {
  return crypto.createHash("sha256").update(secret, "utf8").digest("hex");
}

/** The first characters of the secret, kept in clear so people can tell keys apart. */
export function displayPrefixOf(secret: string): string {
  return secret.slice(0, API_KEY_PREFIX.length + API_KEY_PREFIX_RANDOM_CHARS);
}

/**
 * Whether two hex SHA-256 hashes are equal, in time that does not depend on
 * where they differ. The lookup went through the unique index already; this
 * compares what came back with what was asked for, the way a password check
 * would, so no code path answers faster for a near miss.
 */
export function sameHash(stored: string, presented: string): boolean {
  const a = Buffer.from(stored, "hex");
  const b = Buffer.from(presented, "hex");
  return a.length === 32 && b.length === 32 && crypto.timingSafeEqual(a, b);
}
