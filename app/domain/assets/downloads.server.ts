import { slugify } from "~/lib/slug";
import type { Asset, AssetVersion } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import type { Db } from "~/lib/db.server";
import type { RenditionFormat } from "~/lib/images.server";
import { DomainError, ForbiddenError, NotFoundError } from "../errors";
import {
  BACKGROUND_VARIANTS,
  EXTENSIONS,
  FIXED_BACKGROUNDS,
  isImageLike,
  MAX_EXTRA_BACKGROUNDS,
  ORIGINAL_SIZE,
  RENDITION_FORMATS,
  TRANSPARENT,
  WHITE,
  WIDTHS,
  backgroundLabel,
  type RenditionWidth,
} from "./catalog";
import { getBranding } from "../settings/program.server";
import { renditionOf, type ServedObject } from "./renditions.server";
import { getAssetForPartner } from "./visibility.server";

/**
 * The most renditions one version can have stored: formats × widths ×
 * backgrounds = 3 × 5 (256, 512, 1024, 2048 and the original size) ×
 * (transparent, white, black, the brand colour and at most
 * MAX_EXTRA_BACKGROUNDS = 5 of the asset's own colours) = 3 × 5 × 9 = 135.
 * Fewer in practice: renditions are stored by their pixel width, so widths at
 * or above the original collapse into the original size, and JPEG has no
 * transparent one. A colour that leaves the set (the brand colour
 * changed, an asset colour removed) keeps what it made until the version is
 * replaced, but makes nothing new.
 */
export const MAX_RENDITIONS_PER_VERSION = RENDITION_FORMATS.length * WIDTHS.length * (FIXED_BACKGROUNDS.length + 1 + MAX_EXTRA_BACKGROUNDS);

/**
 * Everything a partner may take of one asset version: the only place that
 * decides it (with decideDownload). The download route, the kit ZIP, the kit
 * editor and the partner's asset page all read this, so what the page offers
 * is exactly what the server accepts.
 */
export type DownloadOffer = {
  /** The file exactly as uploaded (documents have nothing else). */
  original: boolean;
  /** Rendition formats; none for a document. */
  formats: RenditionFormat[];
  /** Each width of the fixed list with the pixels it gives: never wider than the original; "original" gives exactly its width. */
  widths: { value: RenditionWidth; pixels: number }[];
  /** Backgrounds in the order offered; "" is transparent. */
  backgrounds: { value: string; label: string }[];
};

/** "#0F766E" → "0f766e"; anything that is not a hex colour → null. */
export function hexColour(value: string): string | null {
  const hex = value.trim().toLowerCase().replace(/^#/, "");
  return /^[0-9a-f]{6}$/.test(hex) ? hex : null;
}

export function downloadOffer(
  asset: Pick<Asset, "allowOriginal" | "extraBackgrounds">,
  version: Pick<AssetVersion, "storageKey" | "contentType" | "width">,
  brandColor: string,
): DownloadOffer {
  if (!version.storageKey) return { original: false, formats: [], widths: [], backgrounds: [] };
  const image = isImageLike(version.contentType);
  if (!image) return { original: true, formats: [], widths: [], backgrounds: [] };
  const brand = hexColour(brandColor);
  const backgrounds = [
    ...new Set([...FIXED_BACKGROUNDS, ...(brand ? [brand] : []), ...asset.extraBackgrounds.map(hexColour).filter((c): c is string => c !== null)]),
  ];
  return {
    original: asset.allowOriginal,
    formats: RENDITION_FORMATS.map((f) => f.value),
    widths: WIDTHS.flatMap((value): DownloadOffer["widths"] => {
      // An image without known dimensions has no "original size" to offer.
      if (value === ORIGINAL_SIZE) return version.width ? [{ value, pixels: version.width }] : [];
      return [{ value, pixels: Math.min(value, version.width ?? value) }];
    }),
    backgrounds: backgrounds.map((value) => ({ value, label: backgroundLabel(value, brand) })),
  };
}

/** An asset the partner may see at `now`, its newest version, and what of it the partner may download; null when not visible. */
export async function getDownloadableAsset(db: Db, partnerOrgId: string, assetId: string, now: Date) {
  const [found, branding] = await Promise.all([getAssetForPartner(db, partnerOrgId, assetId, now), getBranding(db)]);
  return found && { ...found, offer: downloadOffer(found.asset, found.version, branding.brandColor) };
}

/** What was asked for: from the download URL's query or a kit item. */
export type DownloadChoice = {
  format?: "original" | RenditionFormat | undefined;
  width?: number | typeof ORIGINAL_SIZE | null | undefined;
  background?: string | undefined;
};

declare const decided: unique symbol;
/** A rendition that `decideDownload` allowed: the only kind `renditionOf` makes and stores. */
export type AllowedRendition = { format: RenditionFormat; width: number; background: string; readonly [decided]: true };

export type DownloadDecision = { kind: "original" } | { kind: "rendition"; rendition: AllowedRendition };

const DEFAULT_WIDTH: RenditionWidth = 1024;
const FIXED_WIDTHS = WIDTHS.filter((w) => w !== ORIGINAL_SIZE);

/**
 * Allows a choice or refuses it with a message for the partner (or the
 * kit's editor): 403 for an original the brand does not offer, 400 for a
 * format, width or background outside the offer, 404 when there is nothing
 * to download. Nothing is guessed or substituted.
 */
export function decideDownload(offer: DownloadOffer, choice: DownloadChoice): DownloadDecision {
  const image = offer.formats.length > 0;
  if (!image && !offer.original) throw new NotFoundError("This asset has no file to download.");
  const format = choice.format ?? (image ? "png" : "original");
  if (format === "original") {
    if (!offer.original) throw new ForbiddenError("The original file of this asset is not offered for download.", "original_not_offered", { field: "format" });
    return { kind: "original" };
  }
  if (!image || !offer.formats.includes(format)) throw new DomainError("This file is downloaded as it is: choose Original.", { field: "format" });
  const width = offer.widths.find((w) => w.value === (choice.width ?? DEFAULT_WIDTH));
  if (!width) throw new DomainError(`Choose a width of ${FIXED_WIDTHS.join(", ")} px, or the original size.`, { field: "width" });
  // JPEG has no transparency: "transparent" means white there.
  const asked = choice.background ?? TRANSPARENT;
  const background = format === "jpeg" && asked === TRANSPARENT ? WHITE : asked;
  if (!offer.backgrounds.some((b) => b.value === background)) {
    const offered = offer.backgrounds.map((b) => (b.value === TRANSPARENT ? b.label.toLowerCase() : `#${b.value}`)).join(", ");
    throw new DomainError(`This background colour is not offered for this asset. Choose one of: ${offered}.`, { field: "background" });
  }
  return { kind: "rendition", rendition: { format, width: width.pixels, background } as AllowedRendition };
}

/** decideDownload for a stored choice (a kit item): null when it is no longer allowed. */
export function allowedOrNull(offer: DownloadOffer, choice: DownloadChoice): DownloadDecision | null {
  try {
    return decideDownload(offer, choice);
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

/** The light/dark background presets (for a logo) that this offer allows, by the same rule as any download. */
export function backgroundVariants(offer: DownloadOffer) {
  return BACKGROUND_VARIANTS.filter((variant) => allowedOrNull(offer, variant) !== null).map(({ label, format, width, background }) => ({
    label,
    query: new URLSearchParams({ format, width, background }).toString(),
    pixels: offer.widths.find((w) => w.value === width)?.pixels ?? null,
  }));
}

export const renditionLabel = (decision: DownloadDecision) =>
  decision.kind === "original" ? "original" : [decision.rendition.format, decision.rendition.width, decision.rendition.background].filter(Boolean).join("-");

/** A filename partners get: the title, the version, the format; nothing taken from the uploaded name. */
export function downloadName(title: string, versionNumber: number, extension: string, suffix = ""): string {
  const base = slugify(title, { maxLength: 60, fallback: "asset" });
  return `${base}-v${versionNumber}${suffix ? `-${suffix}` : ""}.${extension}`;
}

/** The file name partners get, and the download log's name for what they got. */
export function downloadFile(
  asset: Pick<Asset, "title">,
  version: Pick<AssetVersion, "number" | "contentType">,
  decision: DownloadDecision,
): { filename: string; label: string } {
  const label = renditionLabel(decision);
  if (decision.kind === "original") return { filename: downloadName(asset.title, version.number, EXTENSIONS[version.contentType ?? ""] ?? "bin"), label };
  const { format, width } = decision.rendition;
  return { filename: downloadName(asset.title, version.number, EXTENSIONS[`image/${format}`]!, `${width}px`), label };
}

/** The stored object for an allowed download; a rendition is made (once) on first request. */
export async function openDownload(ctx: AppContext, version: AssetVersion, decision: DownloadDecision): Promise<ServedObject> {
  if (decision.kind === "rendition") return renditionOf(ctx, version, decision.rendition);
  if (!version.storageKey || !version.contentType || !version.sha256 || version.byteSize === null) throw new NotFoundError("Not found.");
  return { key: version.storageKey, sha256: version.sha256, size: version.byteSize, contentType: version.contentType };
}
