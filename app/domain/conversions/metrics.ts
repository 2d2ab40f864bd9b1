// The ratios of the performance pages, as plain arithmetic shared by the
// server (CSV) and the browser bundle (tables, charts). No server imports.

import { currencyFractionDigits, formatMoney, plainAmount } from "~/lib/money";

/** Conversions, revenue (net of refunds), commission and refunds in one currency; amounts in minor units. */
export type ConversionFigures = { conversions: number; revenueMinor: number; commissionMinor: number; refundedMinor: number };

/** The same figures with the currency they are in: how conversions outside the program's currency are reported, never converted. */
export type CurrencyFigures = ConversionFigures & { currency: string };

export const NO_CONVERSIONS: ConversionFigures = { conversions: 0, revenueMinor: 0, commissionMinor: 0, refundedMinor: 0 };

/**
 * Conversions per unique click, as a share (0.042 is 4.2 %): unique clicks,
 * because one person clicking three times is still one chance of a sale.
 * Null without unique clicks, where a rate means nothing (a coupon's sales
 * have no clicks at all). Can pass 1: a visitor may buy more than once.
 */
export function conversionRate(conversions: number, uniqueClicks: number): number | null {
  return uniqueClicks > 0 ? conversions / uniqueClicks : null;
}

/**
 * Earnings per click: the partner's commission divided by the clicks (people,
 * bots and tests left out), in minor units with a fraction (a link that
 * earned $1.00 from 3 clicks makes 33.33… cents a click). Null without clicks.
 */
export function earningsPerClickMinor(commissionMinor: number, clicks: number): number | null {
  return clicks > 0 ? commissionMinor / clicks : null;
}

/** Decimals an earnings-per-click figure is shown with: the currency's own, and at least two, so a yen program still sees ¥0.43. */
export const epcFractionDigits = (currency: string) => Math.max(2, currencyFractionDigits(currency));

/** Earnings per click with its currency ("$0.43"), or a dash without clicks. */
export function formatEarningsPerClick(epcMinor: number | null, currency: string): string {
  return epcMinor === null ? "–" : formatMoney(epcMinor, currency, epcFractionDigits(currency));
}

/** Earnings per click as a spreadsheet cell ("0.43"), empty without clicks. */
export function plainEarningsPerClick(epcMinor: number | null, currency: string): string {
  return epcMinor === null ? "" : plainAmount(epcMinor, currency, epcFractionDigits(currency));
}

/** Adds figures up (days into a range, slots and links into a total). */
export function addFigures(into: ConversionFigures, more: ConversionFigures): ConversionFigures {
  return {
    conversions: into.conversions + more.conversions,
    revenueMinor: into.revenueMinor + more.revenueMinor,
    commissionMinor: into.commissionMinor + more.commissionMinor,
    refundedMinor: into.refundedMinor + more.refundedMinor,
  };
}
