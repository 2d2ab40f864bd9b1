import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  unlink,
  writeFile,
  type FileHandle,
} from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import {
  assertValidKey,
  InvalidStorageKeyError,
  MeteredStream,
  ObjectNotFoundError,
  type ListedObject,
  type ObjectInfo,
  type PutOptions,
  type PutResult,
  type StorageDriver,
} from "./types";

const FILE_MODE = 0o640;

/**
 * Filesystem driver for the embedded single-process mode.
 *
 * Layout under `root`:
 *   objects/<key>  the bytes
 *   meta/<key>     JSON sidecar `{ "contentType": string | null }`; a separate
 *                  tree rather than `<key>.meta.json` so no key can collide
 *                  with another key's sidecar
 *   .tmp/          uploads in progress; same filesystem, so the final rename
 *                  is atomic and readers never see a partial object
 */
export class LocalStorageDriver implements StorageDriver {
  readonly name = "local" as const;
  readonly root: string;
  private readonly objectsDir: string;
  private readonly metaDir: string;
  private readonly tmpDir: string;
  private ready: Promise<void> | null = null;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.objectsDir = path.join(this.root, "objects");
    this.metaDir = path.join(this.root, "meta");
    this.tmpDir = path.join(this.root, ".tmp");
  }

  async put(key: string, body: NodeJS.ReadableStream | Readable, opts: PutOptions): Promise<PutResult> {
    const target = this.resolveIn(this.objectsDir, key);
    const metaTarget = this.resolveIn(this.metaDir, key);
    const meter = new MeteredStream(opts.maxBytes);
    await this.ensureDirs();

    const tmpObject = path.join(this.tmpDir, randomUUID());
    const tmpMeta = `${tmpObject}.meta`;
    try {
      // "wx": a temp name that already exists means something else writes it.
      // flush: fsync before close, so the rename below never publishes a file
      // whose bytes are still only in the page cache.
      await pipeline(
        body,
        meter,
        createWriteStream(tmpObject, { flags: "wx", mode: FILE_MODE, flush: true })
      );
      const sha256 = meter.sha256;
      if (sha256 === null) throw new Error("Upload stream ended without being flushed");

      await writeFile(tmpMeta, JSON.stringify({ contentType: opts.contentType ?? null }), {
        flag: "wx",
        mode: FILE_MODE,
        flush: true,
      });
      await mkdir(path.dirname(metaTarget), { recursive: true });
      await mkdir(path.dirname(target), { recursive: true });
      // Sidecar first: once the object is visible, its content type is too.
      await rename(tmpMeta, metaTarget);
      await rename(tmpObject, target);
      await fsyncDir(path.dirname(target));
      return { key, size: meter.bytes, sha256 };
    } catch (err) {
      // pipeline() has already destroyed the source and the file stream.
      await Promise.all([rm(tmpObject, { force: true }), rm(tmpMeta, { force: true })]);
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.resolveIn(this.objectsDir, key);
    // Opened here, not lazily by the stream, so a missing object is an error
    // of this call rather than an 'error' event after headers went out.
    let handle: FileHandle;
    try {
      handle = await open(file, "r");
    } catch (err) {
      if (isMissing(err)) throw new ObjectNotFoundError(`No object at ${key}`);
      throw err;
    }
    const info = await handle.stat().catch(async (err: unknown) => {
      await handle.close();
      throw err;
    });
    if (!info.isFile()) {
      await handle.close();
      throw new ObjectNotFoundError(`No object at ${key}`);
    }
    return createReadStream(file, { fd: handle });
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const file = this.resolveIn(this.objectsDir, key);
    const metaFile = this.resolveIn(this.metaDir, key);
    let size: number;
    try {
      const info = await stat(file);
      if (!info.isFile()) return null;
      size = info.size;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    return { key, size, contentType: await readContentType(metaFile) };
  }

  async delete(key: string): Promise<void> {
    const file = this.resolveIn(this.objectsDir, key);
    const metaFile = this.resolveIn(this.metaDir, key);
    // Empty parent folders are left in place: removing them would race with a
    // concurrent put that has just created the folder and is about to rename.
    await unlinkIfPresent(file);
    await unlinkIfPresent(metaFile);
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    const folder = prefix.replace(/\/+$/, "");
    const base = folder ? this.resolveIn(this.objectsDir, folder) : this.objectsDir;
    let entries;
    try {
      entries = await readdir(base, { recursive: true, withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      const info = await stat(file).catch(() => null);
      if (!info) continue;
      yield { key: path.relative(this.objectsDir, file).split(path.sep).join("/"), size: info.size, lastModified: info.mtime };
    }
  }

  async sweepIncomplete(olderThanMs: number, now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.tmpDir);
    } catch (err) {
      if (isMissing(err)) return 0;
      throw err;
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.tmpDir, name);
      const info = await stat(file).catch(() => null);
      // A put in progress keeps writing, so its file's mtime stays recent.
      if (!info || now - info.mtimeMs < olderThanMs) continue;
      await rm(file, { force: true, recursive: true });
      removed += 1;
    }
    return removed;
  }

  /** Defence in depth behind assertValidKey: the resolved path must stay inside `base`. */
  private resolveIn(base: string, key: string): string {
    assertValidKey(key);
    const resolved = path.resolve(base, ...key.split("/"));
    const relative = path.relative(base, resolved);
    if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
      throw new InvalidStorageKeyError("Storage key resolves outside the storage root");
    }
    return resolved;
  }

  private ensureDirs(): Promise<void> {
    this.ready ??= Promise.all(
      [this.objectsDir, this.metaDir, this.tmpDir].map((dir) => mkdir(dir, { recursive: true }))
    ).then(
      () => undefined,
      (err: unknown) => {
        this.ready = null; // let a later call retry, e.g. after a mount appears
        throw err;
      }
    );
    return this.ready;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  // Persists the rename itself. Not every platform can open a directory
  // (Windows); there the rename is as durable as the OS makes it.
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // best effort, see above
  } finally {
    await handle?.close();
  }
}

async function readContentType(metaFile: string): Promise<string | null> {
  let raw: string;
  try {
    raw = await readFile(metaFile, "utf8");
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === "object" && parsed !== null && "contentType" in parsed) {
      return typeof parsed.contentType === "string" ? parsed.contentType : null;
    }
  } catch {
    // A damaged sidecar costs the content type, not the object.
  }
  return null;
}

async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if (isMissing(err)) return;
    // A folder here is the parent of other keys (key "a" vs "a/b"), not an object.
    if (
      await stat(file).then(
        (s) => s.isDirectory(),
        () => false
      )
    )
      return;
    throw err;
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  // ENOTDIR: a path segment is a file, e.g. key "a/b" while object "a" exists.
  return code === "ENOENT" || code === "ENOTDIR";
}
