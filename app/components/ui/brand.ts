import type { CSSProperties } from "react";
import { brandPalette } from "~/lib/brand-colors";

/**
 * Inline style for <html> that applies a program's brand colour.
 *
 * The stylesheet derives --brand-contrast and --brand-ink from --brand with
 * fixed mixes, which cannot know whether an arbitrary colour is light or
 * dark. Computing them here keeps text on the brand colour and brand-coloured
 * links at WCAG AA whatever colour an admin picks.
 *
 * Returns undefined for anything that is not a #rgb / #rrggbb colour, so a bad
 * setting falls back to the default palette instead of breaking the page.
 */
export function brandStyle(color: string | null | undefined): CSSProperties | undefined {
  const palette = brandPalette(color);
  if (!palette) return undefined;
  const vars: Record<`--${string}`, string> = {
    "--brand": palette.brand,
    "--brand-contrast": palette.contrast,
    "--brand-ink": palette.ink,
  };
  return vars as CSSProperties;
}

export { contrastRatio, parseHex } from "~/lib/brand-colors";
