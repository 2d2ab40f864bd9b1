// Money as the app keeps it: whole numbers of the currency's minor units
// (cents), shown with the currency's ISO 4217 code. Shared with the browser
// bundle. The number of minor digits is the currency's own, as Intl knows it
// (two for USD, none for JPY, three for BHD), never assumed to be two.

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    // The code, not a symbol: "$" is the dollar of several countries, "USD 49.99" is one.
    formatter = new Intl.NumberFormat("en", { style: "currency", currency, currencyDisplay: "code" });
    formatters.set(currency, formatter);
  }
  return formatter;
}

/** How many digits of minor units the currency has (2 for USD: 1999 is 19.99). */
export function minorDigitsOf(currency: string): number {
  return formatterFor(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "USD 1,234.50" for 123450 minor units of USD; a negative amount keeps its sign. */
export function formatMoney(amountMinor: number, currency: string): string {
  return formatterFor(currency).format(amountMinor / 10 ** minorDigitsOf(currency));
}
