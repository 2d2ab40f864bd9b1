// Shared with the browser bundle.

export const ASSET_KINDS = [
  { value: "logo", label: "Logo", hint: "SVG or PNG" },
  { value: "image", label: "Image", hint: "PNG, JPEG or WebP" },
  { value: "document", label: "Document", hint: "PDF" },
  { value: "guideline", label: "Guideline page", hint: "Written here, in Markdown" },
] as const;

export type AssetKindValue = (typeof ASSET_KINDS)[number]["value"];
export type FileAssetKind = Exclude<AssetKindValue, "guideline">;

export const assetKindLabel = (kind: string) => ASSET_KINDS.find((k) => k.value === kind)?.label ?? kind;

export const isRaster = (contentType: string | null) => contentType === "image/png" || contentType === "image/jpeg" || contentType === "image/webp";
export const isImageLike = (contentType: string | null) => isRaster(contentType) || contentType === "image/svg+xml";

export const RENDITION_FORMATS = [
  { value: "png", label: "PNG" },
  { value: "jpeg", label: "JPEG" },
  { value: "webp", label: "WebP" },
] as const;

export const WIDTHS = [256, 512, 1024, 2048] as const;

const TYPE_NAMES: Record<string, string> = {
  "image/svg+xml": "SVG",
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "image/webp": "WebP",
  "application/pdf": "PDF",
};

/** "SVG", "PNG", "PDF": a content type as people name it. */
export const typeName = (contentType: string) => TYPE_NAMES[contentType] ?? contentType;

export const EXTENSIONS: Record<string, string> = { "image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "application/pdf": "pdf" };

/** A rendition background: "" keeps transparency; otherwise six lowercase hex digits, no '#'. */
export const TRANSPARENT = "";
export const WHITE = "ffffff";
export const BLACK = "000000";
/** Offered for every image, before the brand colour and the asset's own colours. */
export const FIXED_BACKGROUNDS = [TRANSPARENT, WHITE, BLACK] as const;

/** How many colours the brand may add to one asset's backgrounds. */
export const MAX_EXTRA_BACKGROUNDS = 5;

/** "Transparent", "White", "Black", "Brand colour (#0f766e)", "#aabbcc": a background as people read it. */
export function backgroundLabel(background: string, brandColor: string | null): string {
  if (background === TRANSPARENT) return "Transparent";
  if (background === WHITE) return "White";
  if (background === BLACK) return "Black";
  return background === brandColor ? `Brand colour (#${background})` : `#${background}`;
}
