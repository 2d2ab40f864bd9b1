// Shared with the browser bundle: how partners are paid and tiered.

import { currencyFractionDigits, minorUnitsPer } from "~/lib/money";

export const COMMERCIAL_MODELS = [
  { value: "revenue_share", label: "Revenue share", term: "rate", description: "A percentage of the revenue each conversion brings." },
  { value: "lead_share", label: "Lead share", term: "rate", description: "A percentage of the value of each qualified lead." },
  { value: "fixed_fee", label: "Fixed fee", term: "amount", description: "A fixed fee for the partnership period." },
  { value: "co_op", label: "Co-op budget", term: "amount", description: "A marketing budget the partner spends on approved campaigns." },
] as const;
export type CommercialModel = (typeof COMMERCIAL_MODELS)[number]["value"];
export const COMMERCIAL_MODEL_VALUES = COMMERCIAL_MODELS.map((m) => m.value) as [CommercialModel, ...CommercialModel[]];
export const RATE_MODELS: readonly CommercialModel[] = COMMERCIAL_MODELS.filter((m) => m.term === "rate").map((m) => m.value);

export const CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "JPY", "CHF", "SEK"] as const;
export type Currency = (typeof CURRENCIES)[number];
// Currencies without minor units (JPY) store whole amounts: one rule for terms and conversions alike.
export { minorUnitsPer };

export const DEFAULT_TIERS = ["strategic", "standard", "trial"] as const;

export const tierLabel = (tier: string) => tier.replace(/[-_]+/g, " ").replace(/^./, (c) => c.toUpperCase());
export const commercialModelLabel = (model: string) => COMMERCIAL_MODELS.find((m) => m.value === model)?.label ?? model;

/** "Revenue share, 12.5 %" or "Fixed fee, USD 5,000.00". */
export function describeTerms(terms: { commercialModel: string; rateBasisPoints: number | null; amountMinor: number | null; currency: string | null }): string {
  const label = commercialModelLabel(terms.commercialModel);
  if (terms.rateBasisPoints !== null) return `${label}, ${(terms.rateBasisPoints / 100).toLocaleString("en", { maximumFractionDigits: 2 })} %`;
  if (terms.amountMinor !== null && terms.currency) {
    const digits = currencyFractionDigits(terms.currency);
    const amount = (terms.amountMinor / minorUnitsPer(terms.currency)).toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return `${label}, ${terms.currency} ${amount}`;
  }
  return label;
}

export const PARTNER_STATUSES = [
  { value: "onboarding", label: "Onboarding" },
  { value: "active", label: "Active" },
  { value: "paused", label: "Paused" },
  { value: "terminated", label: "Terminated" },
] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number]["value"];
export const PARTNER_STATUS_VALUES = PARTNER_STATUSES.map((s) => s.value) as [PartnerStatus, ...PartnerStatus[]];
export const partnerStatusLabel = (status: string) => PARTNER_STATUSES.find((s) => s.value === status)?.label ?? status;
export const PARTNER_STATUS_TONE = { onboarding: "warning", active: "success", paused: "danger", terminated: "neutral" } as const;
