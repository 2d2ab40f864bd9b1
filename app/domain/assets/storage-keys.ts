import type { AllowedRendition } from "./downloads.server";

// Where an asset's objects are stored: a folder per version, named by ids
// alone (nothing of the uploaded file's name reaches storage).

export const originalKey = (assetId: string, versionId: string) => `assets/${assetId}/${versionId}/original`;
export const previewKey = (assetId: string, versionId: string) => `assets/${assetId}/${versionId}/preview.png`;
export const renditionKey = (assetId: string, versionId: string, r: AllowedRendition) =>
  `assets/${assetId}/${versionId}/r-${r.format}-${r.width}-${r.background || "none"}`;

/** The asset and version ids of a key made above: how the orphan sweep knows whose object it is. */
export const ASSET_KEY_PARTS = /^assets\/([0-9a-f-]{36})\/([0-9a-f-]{36})\//;
