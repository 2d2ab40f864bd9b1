/**
 * Colours derived from a program's brand colour so that text on it, and
 * brand-coloured text on white, stay at WCAG AA whatever colour an admin
 * picks. Pure: the portal's stylesheet variables and the emails both use it.
 */

export type Rgb = readonly [number, number, number];

const WHITE: Rgb = [255, 255, 255];
const DARK_TEXT = "#101828";
const DARK_TEXT_RGB: Rgb = [16, 24, 40];

export function parseHex(value: string): Rgb | null {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  const digits = match?.[1];
  if (!digits) return null;
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join("") : digits;
  const n = Number.parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * White text unless the brand is too light for it; then the near-black text
 * colour, or pure black for mid-tones (e.g. #ff0000) where even that falls
 * short of 4.5:1.
 */
export function brandContrast(rgb: Rgb): string {
  if (contrastRatio(rgb, WHITE) >= contrastRatio(rgb, DARK_TEXT_RGB)) return "#ffffff";
  return contrastRatio(rgb, DARK_TEXT_RGB) >= 4.5 ? DARK_TEXT : "#000000";
}

/**
 * Brand colour for text and links on white: the same 15% darkening the
 * stylesheet uses by default, continued until it reaches 5:1 (a margin over
 * 4.5:1 because the tinted badge background is a little darker than white).
 */
export function brandInk(rgb: Rgb): Rgb {
  let amount = 0.15;
  let ink = mixBlack(rgb, amount);
  while (contrastRatio(ink, WHITE) < 5 && amount < 1) {
    amount = Math.min(1, amount + 0.05);
    ink = mixBlack(rgb, amount);
  }
  return ink;
}

function mixBlack([r, g, b]: Rgb, amount: number): Rgb {
  const keep = 1 - amount;
  return [r * keep, g * keep, b * keep];
}

export type BrandPalette = { brand: string; contrast: string; ink: string };

/** The brand colour with its text colour and its ink on white, or null for anything that is not #rgb / #rrggbb. */
export function brandPalette(color: string | null | undefined): BrandPalette | null {
  const rgb = color ? parseHex(color) : null;
  if (!rgb) return null;
  return { brand: toHex(rgb), contrast: brandContrast(rgb), ink: toHex(brandInk(rgb)) };
}
