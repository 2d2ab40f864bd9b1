import crypto from "node:crypto";

/** 256 bits from the CSPRNG, URL-safe. */
export function generateToken(): string {
  return crypto.randomBytes(32).toString("base64url");
}

/** What the database stores instead of a token: a leaked row cannot be replayed. */
export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

/** Constant-time comparison of two hex digests of equal length. */
export function digestsEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, "hex");
  const bb = Buffer.from(b, "hex");
  return ab.length === bb.length && ab.length > 0 && crypto.timingSafeEqual(ab, bb);
}
