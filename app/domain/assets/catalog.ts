// Shared with the browser bundle.

export const ASSET_KINDS = [
  { value: "logo", label: "Logo", hint: "SVG or PNG" },
  { value: "image", label: "Image", hint: "PNG, JPEG or WebP" },
  { value: "document", label: "Document", hint: "PDF" },
  { value: "guideline", label: "Guideline page", hint: "Written here, in Markdown" },
] as const;

/** How the asset lists sort: by the current version's upload, or by title. */
export const ASSET_SORTS = [
  { value: "newest", label: "Newest first" },
  { value: "title", label: "A–Z" },
] as const;
export type AssetSort = (typeof ASSET_SORTS)[number]["value"];

export type AssetKindValue = (typeof ASSET_KINDS)[number]["value"];
export type FileAssetKind = Exclude<AssetKindValue, "guideline">;

export const assetKindLabel = (kind: string) => ASSET_KINDS.find((k) => k.value === kind)?.label ?? kind;

export const isRaster = (contentType: string | null) => contentType === "image/png" || contentType === "image/jpeg" || contentType === "image/webp";
export const isImageLike = (contentType: string | null) => isRaster(contentType) || contentType === "image/svg+xml";

/** A version's "what changed" note is at most this long. */
export const VERSION_NOTE_MAX = 500;

export const RENDITION_FORMATS = [
  { value: "png", label: "PNG" },
  { value: "jpeg", label: "JPEG" },
  { value: "webp", label: "WebP" },
] as const;

/** The image's own width: a rendition that is never scaled up or down. */
export const ORIGINAL_SIZE = "original";
/** The widths partners pick from: fixed pixel widths (never wider than the image) and the image's own. */
export const WIDTHS = [256, 512, 1024, 2048, ORIGINAL_SIZE] as const;
export type RenditionWidth = (typeof WIDTHS)[number];

/** "512 px", "Original size (1200 px)": a width as the download form names it. */
export const widthLabel = (width: { value: RenditionWidth; pixels: number }) =>
  width.value === ORIGINAL_SIZE ? `Original size (${width.pixels} px)` : `${width.pixels} px`;

const TYPE_NAMES: Record<string, string> = {
  "image/svg+xml": "SVG",
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "image/webp": "WebP",
  "application/pdf": "PDF",
  "image/gif": "GIF",
  "video/mp4": "MP4 video",
  "video/webm": "WebM video",
};

/** "SVG", "PNG", "PDF": a content type as people name it. */
export const typeName = (contentType: string) => TYPE_NAMES[contentType] ?? contentType;

export const EXTENSIONS: Record<string, string> = {
  "image/svg+xml": "svg",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "application/pdf": "pdf",
};

/** A rendition background: "" keeps transparency; otherwise six lowercase hex digits, no '#'. */
export const TRANSPARENT = "";
export const WHITE = "ffffff";
export const BLACK = "000000";
/** Offered for every image, before the brand colour and the asset's own colours. */
export const FIXED_BACKGROUNDS = [TRANSPARENT, WHITE, BLACK] as const;

/** How many colours the brand may add to one asset's backgrounds. */
export const MAX_EXTRA_BACKGROUNDS = 5;

/**
 * The light and dark background variants of a logo (PRODUCT.md, journey 4),
 * as presets over the closed background set: a PNG at the logo's own size on
 * white, to place on light backgrounds, or on black, for dark ones.
 */
export const BACKGROUND_VARIANTS = [
  { label: "For light backgrounds", format: "png", width: ORIGINAL_SIZE, background: WHITE },
  { label: "For dark backgrounds", format: "png", width: ORIGINAL_SIZE, background: BLACK },
] as const;

/** "Transparent", "White (for light backgrounds)", "Brand colour (#0f766e)", "#aabbcc": a background as people read it. */
export function backgroundLabel(background: string, brandColor: string | null): string {
  if (background === TRANSPARENT) return "Transparent";
  if (background === WHITE) return "White (for light backgrounds)";
  if (background === BLACK) return "Black (for dark backgrounds)";
  return background === brandColor ? `Brand colour (#${background})` : `#${background}`;
}
