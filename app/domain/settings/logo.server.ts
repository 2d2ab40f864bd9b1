import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { programSettings } from "#db/schema/index";
import type { StoredLogo } from "#db/schema/settings";
import type { Actor } from "~/lib/audit.server";
import { recordAudit } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction } from "~/lib/db.server";
import { renderPngInBox } from "~/lib/images.server";
import { MultipartError, readMultipartForm } from "~/lib/multipart.server";
import type { StoredObject } from "~/lib/serve-object.server";
import { inspectStoredFile, readAll, storeUpload, type StoredFile } from "../assets/files.server";
import { DomainError } from "../errors";
import { logoRefOf, type BrandFile } from "./catalog";
import { DEFAULT_BRANDING } from "./program.server";

/** A logo is small: 2 MB is generous for an SVG or a PNG of a mark. */
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;

/** The PNG files made from the logo at upload: for emails (mail clients do not show SVG) and favicons. */
const RENDITIONS = {
  "logo.png": { width: 480, height: 120, square: false },
  "favicon-32.png": { width: 32, height: 32, square: true },
  "favicon-180.png": { width: 180, height: 180, square: true },
} as const satisfies Record<Exclude<BrandFile, "logo">, { width: number; height: number; square: boolean }>;

const RENDITION_MAX_BYTES = 5 * 1024 * 1024;

// A generated folder per upload: a new logo never overwrites the one pages still show.
const objectKey = (prefix: string, file: BrandFile) => `${prefix}/${file}`;
const allKeys = (prefix: string) => (["logo", ...Object.keys(RENDITIONS)] as BrandFile[]).map((file) => objectKey(prefix, file));

async function deleteLogoObjects(ctx: AppContext, prefix: string): Promise<void> {
  await Promise.all(allKeys(prefix).map((key) => ctx.storage.delete(key)));
}

/** Streams the one `file` part of the form to `key`, within the logo limit; other parts are drained. */
async function receiveLogoFile(ctx: AppContext, request: Request, key: string): Promise<StoredFile> {
  let stored: StoredFile | null = null;
  try {
    await readMultipartForm(request, {
      fieldLimitBytes: 1024,
      maxFields: 10,
      onFile: async ({ name, filename, data }) => {
        if (name !== "file" || !filename || stored) {
          for await (const _ of data) void _;
          return undefined;
        }
        stored = await storeUpload(ctx.storage, key, data, LOGO_MAX_BYTES);
        return filename;
      },
    });
  } catch (error) {
    await ctx.storage.delete(key);
    if (error instanceof MultipartError) throw new DomainError(error.message, { field: "file", kind: error.status === 413 ? "too_large" : "invalid" });
    throw error;
  }
  if (!stored) throw new DomainError("Choose an SVG or PNG file for the logo.", { field: "file" });
  return stored;
}

/** Draws an SVG densely enough that the largest rendition is sharp, never past the pixel limit. */
const densityFor = (contentType: string, width: number, height: number) =>
  contentType === "image/svg+xml" ? Math.min(576, Math.max(72, Math.ceil((72 * 480) / Math.max(width, height, 1)))) : undefined;

/**
 * A new program logo from a multipart upload, through the assets' safe
 * pipeline: type from the content (SVG or PNG), 2 MB, SVG sanitized, a
 * raster decoded whole under the pixel limit; then the PNG renditions. The
 * row changes and the audit event are one transaction; the previous logo's
 * objects are deleted only after it committed. Any refusal stores nothing.
 */
export async function uploadLogo(ctx: AppContext, actor: Actor, request: Request): Promise<void> {
  const prefix = `brand/${randomUUID()}`;
  let logo: StoredLogo;
  try {
    const stored = await receiveLogoFile(ctx, request, objectKey(prefix, "logo"));
    const inspected = await inspectStoredFile(ctx.storage, stored, "logo");
    const source = await readAll(await ctx.storage.get(stored.key), LOGO_MAX_BYTES * 2);
    const density = densityFor(inspected.contentType, inspected.width ?? 0, inspected.height ?? 0);
    for (const [file, box] of Object.entries(RENDITIONS)) {
      const png = await renderPngInBox(source, { ...box, density });
      await ctx.storage.put(objectKey(prefix, file as BrandFile), Readable.from([png]), { maxBytes: RENDITION_MAX_BYTES, contentType: "image/png" });
    }
    logo = { prefix, contentType: inspected.contentType, sha256: inspected.sha256, width: inspected.width ?? 0, height: inspected.height ?? 0 };
  } catch (error) {
    await deleteLogoObjects(ctx, prefix);
    throw error;
  }
  let previous: StoredLogo | null = null;
  try {
    previous = await saveLogo(ctx, actor, logo);
  } catch (error) {
    await deleteLogoObjects(ctx, prefix);
    throw error;
  }
  if (previous) await deleteLogoObjects(ctx, previous.prefix);
}

/** Removes the logo; the header, emails and favicon fall back to the name and the default icon. */
export async function removeLogo(ctx: AppContext, actor: Actor): Promise<void> {
  const previous = await saveLogo(ctx, actor, null);
  if (!previous) throw new DomainError("There is no logo to remove.", { kind: "conflict" });
  await deleteLogoObjects(ctx, previous.prefix);
}

/** Sets (or clears) the logo and records it; returns the logo it replaced. */
async function saveLogo(ctx: AppContext, actor: Actor, next: StoredLogo | null): Promise<StoredLogo | null> {
  return transaction(ctx.db, async (tx) => {
    const [row] = await tx.select().from(programSettings).limit(1).for("update");
    const previous = row?.logo ?? null;
    if (!next && !previous) return null;
    const now = ctx.clock.now();
    if (row) await tx.update(programSettings).set({ logo: next, updatedAt: now });
    else await tx.insert(programSettings).values({ ...DEFAULT_BRANDING, logo: next });
    const describe = (logo: StoredLogo | null) => logo && { type: logo.contentType, sha256: logo.sha256, width: logo.width, height: logo.height };
    await recordAudit(tx, {
      actor,
      action: next ? "settings.logo_uploaded" : "settings.logo_removed",
      subjectType: "program",
      data: { changed: { logo: { from: describe(previous), to: describe(next) } } },
      at: now,
    });
    return previous;
  });
}

/** The stored object behind a /brand/ file and the logo's current version, or null when there is no logo. */
export async function brandObject(ctx: AppContext, file: BrandFile): Promise<{ object: StoredObject; version: string } | null> {
  const [row] = await ctx.db.select({ logo: programSettings.logo }).from(programSettings).limit(1);
  const logo = logoRefOf(row?.logo);
  if (!row?.logo || !logo) return null;
  const { prefix, sha256, contentType } = row.logo;
  // The renditions' ETags derive from the original's hash, as the asset previews' do.
  const object =
    file === "logo"
      ? { key: objectKey(prefix, file), sha256, size: -1, contentType }
      : { key: objectKey(prefix, file), sha256: `${sha256}-${file}`, size: -1, contentType: "image/png" };
  return { object, version: logo.version };
}
