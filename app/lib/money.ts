// Money as the app stores and shows it: integers in the currency's minor
// units (cents), shown with the currency's symbol and its own number of
// decimals. Shared by the server, the domain and the browser bundle (no
// server imports), so that one rule decides what a minor unit is everywhere.

const fractionDigitsCache = new Map<string, number>();

/**
 * How many decimals a currency has (2 for USD, 0 for JPY, 3 for BHD), from
 * the runtime's CLDR data through Intl: the digits a price in it is written
 * with, the same ISO 4217 gives for the currencies programs use.
 */
export function currencyFractionDigits(currency: string): number {
  let digits = fractionDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    fractionDigitsCache.set(currency, digits);
  }
  return digits;
}

/** Minor units in one major unit: 100 cents to the dollar, 1 for the yen. */
export const minorUnitsPer = (currency: string) => 10 ** currencyFractionDigits(currency);

/**
 * An amount in minor units with its currency, as people read it: "$1,234.50",
 * "€120.00", "¥500". `fractionDigits` overrides the currency's own decimals,
 * for figures finer than a cent (earnings per click).
 */
export function formatMoney(minor: number, currency: string, fractionDigits = currencyFractionDigits(currency)): string {
  return cachedFormat(`money|${currency}|${fractionDigits}`, () => ({
    style: "currency",
    currency,
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  })).format(minor / minorUnitsPer(currency));
}

// Making an Intl.NumberFormat costs far more than using one: made per call, it was 16 % of the
// server's CPU on the partner links page, which formats hundreds of amounts (bench/README.md, "Pages").
// Kept per currency and digits; there are only a few of each.
const formatCache = new Map<string, Intl.NumberFormat>();

function cachedFormat(key: string, options: () => Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = formatCache.get(key);
  if (!format) {
    format = new Intl.NumberFormat("en", options());
    formatCache.set(key, format);
  }
  return format;
}

/**
 * An amount in minor units as a plain number in major units with the
 * currency's decimals ("1234.50", "500"): what a spreadsheet cell holds, the
 * currency named in the column's header.
 */
export function plainAmount(minor: number, currency: string, fractionDigits = currencyFractionDigits(currency)): string {
  return cachedFormat(`plain|${fractionDigits}`, () => ({
    useGrouping: false,
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  })).format(minor / minorUnitsPer(currency));
}
