import crypto from "node:crypto";
import { SHORT_CODE_LENGTH } from "./catalog";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// 248 is the largest multiple of 62 that fits a byte: bytes above it are
// skipped, so every character is equally likely.
const UNBIASED_LIMIT = 248;

/** `length` base62 characters from the CSPRNG, without modulo bias. */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new short code for a tracking link. */
export const newShortCode = () => randomBase62(SHORT_CODE_LENGTH);

/**
 * Click ids for the redirect's hot path: 16 base62 characters (95 bits), cut
 * from a pool of random bytes refilled 4 KB at a time instead of a system call
 * per click.
 */
export class ClickIdSource {
  private pool = Buffer.alloc(0);
  private offset = 0;
  // The id's characters are written here and read out as one string (no string built a character at a time).
  private readonly id = Buffer.alloc(CLICK_ID_LENGTH);

  next(): string {
    for (let length = 0; length < CLICK_ID_LENGTH;) {
      if (this.offset >= this.pool.length) {
        this.pool = crypto.randomBytes(4096);
        this.offset = 0;
      }
      const byte = this.pool[this.offset++]!;
      if (byte < UNBIASED_LIMIT) this.id[length++] = BASE62_CODES[byte % 62]!;
    }
    return this.id.toString("latin1");
  }
}

const CLICK_ID_LENGTH = 16;
const BASE62_CODES = Buffer.from(BASE62, "latin1");
