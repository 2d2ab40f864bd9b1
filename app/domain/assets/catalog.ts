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
