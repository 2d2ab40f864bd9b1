import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";

// OWASP Password Storage cheat sheet: argon2id, m=19 MiB, t=2, p=1.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

let commonPasswords: Set<string> | null = null;
function isCommonPassword(password: string): boolean {
  // ~49k leaked passwords from the zxcvbn-ts corpus; built lazily, once.
  commonPasswords ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return commonPasswords.has(password.toLowerCase());
}

/**
 * NIST 800-63B rules: a length range, no composition rules, and a check
 * against common passwords. Returns a message for the user, or null.
 */
export function checkNewPassword(password: string, context: { email?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (isCommonPassword(password)) return "This password is too common. Choose one that is harder to guess.";
  const email = context.email?.toLowerCase();
  if (email && (password.toLowerCase() === email || password.toLowerCase() === email.split("@")[0])) {
    return "Your password must not be your email address.";
  }
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;
/** Spends the same time as a real check so response timing does not reveal unknown emails. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("cobrand-timing-equaliser");
  await verifyPassword(await dummyHash, password);
}
