import { createCipheriv, createHash, randomUUID } from "node:crypto";
import { access, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  assertValidKey,
  createStorage,
  InvalidStorageKeyError,
  ObjectNotFoundError,
  ObjectTooLargeError,
  type StorageDriver,
} from "~/lib/storage/index.server";
import { startS3rver } from "../support/s3rver";

const KiB = 1024;
const MiB = 1024 * KiB;

type Harness = {
  driver: StorageDriver;
  /** Local driver only: its root folder. */
  root?: string;
  close(): Promise<void>;
};

const drivers: { name: "local" | "s3"; start(): Promise<Harness> }[] = [
  {
    name: "local",
    async start() {
      const base = await mkdtemp(path.join(os.tmpdir(), "cobrand-storage-"));
      // A root that does not exist yet: the driver must create it.
      const root = path.join(base, "nested", "files");
      const driver = createStorage({ driver: "local", root });
      return { driver, root, close: () => rm(base, { recursive: true, force: true }) };
    },
  },
  {
    name: "s3",
    async start() {
      const s3 = await startS3rver();
      const driver = createStorage({
        driver: "s3",
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        region: "us-east-1",
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      });
      return {
        driver,
        async close() {
          await driver.close?.();
          await s3.close();
        },
      };
    },
  },
];

const newKey = (name = "file.bin") => `test/${randomUUID()}/${name}`;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Deterministic pseudo-random bytes: the AES-128-CTR keystream of a seed. */
function keystream(seed: string) {
  const key = createHash("sha256").update(seed).digest().subarray(0, 16);
  const cipher = createCipheriv("aes-128-ctr", key, Buffer.alloc(16));
  return (n: number) => cipher.update(Buffer.alloc(n));
}

const bytes = (n: number, seed = "bytes") => keystream(seed)(n);

/** A source that yields `first`, then fails the way a dropped client does: mid-way, after the driver took the bytes. */
function failingAfter(first: Buffer, message: string): Readable {
  return Readable.from(
    (async function* () {
      yield first;
      throw new Error(message);
    })(),
  );
}

/**
 * A source that stops after the first half of `body` until `release()`;
 * `firstHalfRead` settles once the driver has asked for more, i.e. holds the
 * first half, so the test inspects a half-written upload without sleeping.
 */
function pausedHalfway(body: Buffer) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let firstHalfRead!: () => void;
  const read = new Promise<void>((resolve) => (firstHalfRead = resolve));
  const middle = Math.floor(body.length / 2);
  const stream = Readable.from(
    (async function* () {
      yield body.subarray(0, middle);
      firstHalfRead();
      await released;
      yield body.subarray(middle);
    })(),
  );
  return { stream, firstHalfRead: read, release };
}

/**
 * A stream of `total` pseudo-random bytes made on demand (never held in
 * memory), hashing what it hands out.
 */
function generatedStream(total: number, seed: string, chunkSize = 64 * KiB) {
  const next = keystream(seed);
  const hash = createHash("sha256");
  const state = { produced: 0, sha256: "" };
  const stream = new Readable({
    read() {
      if (state.produced >= total) {
        state.sha256 = hash.digest("hex");
        this.push(null);
        return;
      }
      const chunk = next(Math.min(chunkSize, total - state.produced));
      state.produced += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, state };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function digestStream(stream: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of stream) {
    const buf = chunk as Uint8Array;
    size += buf.byteLength;
    hash.update(buf);
  }
  return { size, sha256: hash.digest("hex") };
}

function rssSampler(intervalMs = 50) {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, intervalMs);
  return {
    /** Peak RSS above the baseline, in bytes. */
    stop() {
      clearInterval(timer);
      sample();
      return peak - baseline;
    },
  };
}

const INVALID_KEYS = [
  "../x",
  "/abs",
  "a//b",
  "A/B",
  "a/../../etc/passwd",
  "",
  "a/",
  "./a",
  "a/./b",
  "a..b",
  "a b",
  "a\\b",
  "a/\u0000",
  "é",
  "x".repeat(256),
  `${"abcdefgh/".repeat(57)}x`, // 514 characters
];

describe("assertValidKey", () => {
  it.each(INVALID_KEYS)("rejects %j", (key) => {
    expect(() => assertValidKey(key)).toThrow(InvalidStorageKeyError);
  });

  it.each(["a", "assets/0f3c2a9e-77d1-4b0c-9a57-2a0e1b4c5d6f/original.png", "a-b_c.d/e", "x".repeat(255)])("accepts %j", (key) => {
    expect(() => assertValidKey(key)).not.toThrow();
  });
});

describe.each(drivers)("$name storage driver", ({ name, start }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("reports its name", () => {
    expect(h.driver.name).toBe(name);
  });

  it("stores a stream and reads back the same bytes", async () => {
    const key = newKey("logo.png");
    const body = bytes(300 * KiB);
    const result = await h.driver.put(key, Readable.from([body.subarray(0, 1000), body.subarray(1000)]), {
      maxBytes: MiB,
      contentType: "image/png",
    });

    expect(result).toEqual({ key, size: body.length, sha256: sha256(body) });
    expect((await readAll(await h.driver.get(key))).equals(body)).toBe(true);
  });

  it("accepts a body of exactly maxBytes, and an empty body", async () => {
    const exact = bytes(4 * KiB);
    const exactKey = newKey();
    await expect(h.driver.put(exactKey, Readable.from([exact]), { maxBytes: exact.length })).resolves.toEqual({
      key: exactKey,
      size: exact.length,
      sha256: sha256(exact),
    });

    const emptyKey = newKey();
    await expect(h.driver.put(emptyKey, Readable.from([]), { maxBytes: 0 })).resolves.toEqual({
      key: emptyKey,
      size: 0,
      sha256: sha256(Buffer.alloc(0)),
    });
    expect((await readAll(await h.driver.get(emptyKey))).length).toBe(0);
  });

  it("head reports size and content type, and null when absent", async () => {
    const key = newKey("brief.pdf");
    await h.driver.put(key, Readable.from([bytes(1234)]), { maxBytes: MiB, contentType: "application/pdf" });

    await expect(h.driver.head(key)).resolves.toEqual({ key, size: 1234, contentType: "application/pdf" });
    await expect(h.driver.head(newKey())).resolves.toBeNull();
  });

  it("overwriting a key replaces its bytes and content type", async () => {
    const key = newKey();
    await h.driver.put(key, Readable.from([bytes(100, "first")]), {
      maxBytes: MiB,
      contentType: "text/plain",
    });
    const second = bytes(200, "second");
    await h.driver.put(key, Readable.from([second]), { maxBytes: MiB, contentType: "image/webp" });

    await expect(h.driver.head(key)).resolves.toEqual({ key, size: 200, contentType: "image/webp" });
    expect((await readAll(await h.driver.get(key))).equals(second)).toBe(true);
  });

  it("delete removes the object and is idempotent", async () => {
    const key = newKey();
    await h.driver.put(key, Readable.from([bytes(10)]), { maxBytes: MiB, contentType: "text/plain" });

    await h.driver.delete(key);
    await expect(h.driver.head(key)).resolves.toBeNull();
    await expect(h.driver.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(h.driver.delete(key)).resolves.toBeUndefined();
    await expect(h.driver.delete(newKey())).resolves.toBeUndefined();
  });

  it("get of a missing key throws ObjectNotFoundError", async () => {
    await expect(h.driver.get(newKey())).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it.each([
    { label: "within the first chunk", limit: 1000, total: 256 * KiB },
    { label: "after a full multipart part", limit: 7 * MiB, total: 20 * MiB },
  ])("cuts off a body over maxBytes ($label) and leaves no object", async ({ limit, total }) => {
    const key = newKey();
    const { stream, state } = generatedStream(total, "too-large");

    const error = await h.driver.put(key, stream, { maxBytes: limit }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ObjectTooLargeError);
    expect((error as ObjectTooLargeError).limitBytes).toBe(limit);
    // Reading stopped near the limit instead of draining the sender.
    expect(state.produced).toBeLessThan(total);
    expect(stream.destroyed).toBe(true);
    await expect(h.driver.head(key)).resolves.toBeNull();
    await expect(h.driver.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it("a failed put leaves an existing object at the key untouched", async () => {
    const key = newKey();
    const original = bytes(500, "original");
    await h.driver.put(key, Readable.from([original]), { maxBytes: MiB, contentType: "text/csv" });

    await expect(h.driver.put(key, Readable.from([bytes(2000)]), { maxBytes: 1000 })).rejects.toBeInstanceOf(ObjectTooLargeError);

    await expect(h.driver.head(key)).resolves.toEqual({ key, size: 500, contentType: "text/csv" });
    expect((await readAll(await h.driver.get(key))).equals(original)).toBe(true);
  });

  it("a source that fails mid-way rejects the put with its error and leaves no object", async () => {
    const key = newKey();
    const put = h.driver.put(key, failingAfter(bytes(6 * MiB), "client went away"), { maxBytes: 50 * MiB });

    await expect(put).rejects.toThrow("client went away");
    await expect(h.driver.head(key)).resolves.toBeNull();
  });

  it("an object is invisible until its upload completes", async () => {
    const key = newKey();
    const body = bytes(200 * KiB);
    const halfway = pausedHalfway(body);
    const put = h.driver.put(key, halfway.stream, { maxBytes: MiB, contentType: "image/jpeg" });
    await halfway.firstHalfRead;

    await expect(h.driver.head(key)).resolves.toBeNull();
    await expect(h.driver.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);

    halfway.release();
    await expect(put).resolves.toMatchObject({ size: body.length, sha256: sha256(body) });
    await expect(h.driver.head(key)).resolves.toEqual({ key, size: body.length, contentType: "image/jpeg" });
  });

  it.each(INVALID_KEYS)("rejects the invalid key %j in every operation", async (key) => {
    const body = Readable.from([Buffer.from("x")]);
    await expect(h.driver.put(key, body, { maxBytes: MiB })).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(h.driver.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(h.driver.head(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(h.driver.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });

  it("round-trips a 100 MB stream byte-exact while memory stays flat", { timeout: 180_000 }, async () => {
    const size = 100 * MiB;
    const key = newKey("large.bin");
    // Warm up the code paths (SDK modules, sockets, file handles) so the
    // baseline is not taken before one-off allocations.
    await h.driver.put(key, Readable.from([bytes(64 * KiB)]), { maxBytes: MiB });
    await digestStream(await h.driver.get(key));

    const { stream, state } = generatedStream(size, "large");
    const memory = rssSampler(50);
    const put = await h.driver.put(key, stream, { maxBytes: size, contentType: "application/zip" });
    const readBack = await digestStream(await h.driver.get(key));
    const peakDelta = memory.stop();

    expect(state.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(put).toEqual({ key, size, sha256: state.sha256 });
    expect(readBack).toEqual({ size, sha256: state.sha256 });
    await expect(h.driver.head(key)).resolves.toEqual({ key, size, contentType: "application/zip" });
    console.info(`[storage:${name}] 100 MB put+get: peak RSS +${(peakDelta / MiB).toFixed(1)} MiB over baseline`);
    expect(peakDelta).toBeLessThan(64 * MiB);

    await h.driver.delete(key);
  });
});

describe("local storage driver", () => {
  let h: Harness;
  let root: string;
  beforeAll(async () => {
    h = await drivers[0]!.start();
    root = h.root!;
  });
  afterAll(async () => {
    await h?.close();
  });

  const tempFiles = () => readdir(path.join(root, ".tmp"));

  it("creates its root folder and keeps objects inside it", async () => {
    const key = newKey("a.txt");
    await h.driver.put(key, Readable.from([Buffer.from("hello")]), { maxBytes: 10 });
    await expect(access(path.join(root, "objects", ...key.split("/")))).resolves.toBeUndefined();
  });

  it("leaves no temp files after failed puts", async () => {
    const tooLarge = h.driver.put(newKey(), generatedStream(5 * MiB, "tmp").stream, { maxBytes: MiB });
    await expect(tooLarge).rejects.toBeInstanceOf(ObjectTooLargeError);

    const broken = h.driver.put(newKey(), failingAfter(bytes(10 * KiB), "reset"), { maxBytes: MiB });
    await expect(broken).rejects.toThrow("reset");

    expect(await tempFiles()).toEqual([]);
  });

  it("treats a folder of other keys as no object", async () => {
    const parent = `test/${randomUUID()}`;
    await h.driver.put(`${parent}/child`, Readable.from([Buffer.from("x")]), { maxBytes: 10 });

    await expect(h.driver.head(parent)).resolves.toBeNull();
    await expect(h.driver.get(parent)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(h.driver.delete(parent)).resolves.toBeUndefined();
    await expect(h.driver.head(`${parent}/child`)).resolves.not.toBeNull();
  });
});

describe("s3 storage driver", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await drivers[1]!.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("refuses half-configured credentials", () => {
    expect(() => createStorage({ driver: "s3", bucket: "b", region: "us-east-1", accessKeyId: "only-the-id" })).toThrow(/both accessKeyId and secretAccessKey/);
  });
});
