// Pure data shared by the server and the browser bundle (Settings form, public page).
import type { StoredLogo } from "#db/schema/settings";

/** How a tier is paid, as offered in the public earnings table. */
export const COMMISSION_MODELS = [
  { value: "revenue_share", label: "Share of each sale" },
  { value: "recurring", label: "Recurring revenue share" },
  { value: "flat_fee", label: "Flat fee per sale" },
  { value: "cost_per_lead", label: "Fee per qualified lead" },
  { value: "hybrid", label: "Fee plus revenue share" },
] as const;

export type CommissionModel = (typeof COMMISSION_MODELS)[number]["value"];
export const COMMISSION_MODEL_VALUES = COMMISSION_MODELS.map((m) => m.value) as [CommissionModel, ...CommissionModel[]];
export const commissionModelLabel = (value: string) => COMMISSION_MODELS.find((m) => m.value === value)?.label ?? value;

/** Character limits of the summary's Markdown parts: a summary, not the full terms. */
export const SUMMARY_LIMITS = { summaryEarnings: 2_000, summaryRequirements: 4_000, summaryFaq: 8_000 } as const;
export const EARNINGS_RANGE_MAX = 80;
/** One earnings row per tier; there are at most 12 tiers. */
export const MAX_EARNINGS_ROWS = 12;

/** What pages need of the logo: the version that busts caches, and its size for the <img>. */
export type LogoRef = { version: string; width: number; height: number };

export const logoRefOf = (logo: StoredLogo | null | undefined): LogoRef | null =>
  logo ? { version: logo.sha256.slice(0, 16), width: logo.width, height: logo.height } : null;

/** The files served under /brand/; the path carries the version so a new logo is fetched at once. */
export type BrandFile = "logo" | "logo.png" | "favicon-32.png" | "favicon-180.png";
export const brandFilePath = (file: BrandFile, logo: LogoRef) => `/brand/${file}?v=${logo.version}`;

/** "#4F46E5", "4f46e5" or the shorthand "#fff" as "#4f46e5" / "#ffffff"; null for anything else. */
export function normaliseHexColour(value: string): string | null {
  const digits = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim())?.[1];
  if (!digits) return null;
  return `#${(digits.length === 3 ? [...digits].map((d) => d + d).join("") : digits).toLowerCase()}`;
}
