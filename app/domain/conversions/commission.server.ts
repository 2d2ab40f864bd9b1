import type { CommercialModel } from "../partners/catalog";

// What a partner earns from a conversion, and what a refund takes back, in
// whole minor units. Amounts go up to 10¹³ and rates to 10,000 basis points,
// so their product passes 2⁵³: the arithmetic is BigInt, never floating point.

const BASIS_POINTS_PER_WHOLE = 10_000n;

/**
 * numerator ÷ denominator rounded to the nearest whole number, a half to the
 * even neighbour (banker's rounding): over many conversions the halves
 * cancel out instead of always favouring the partner or the brand.
 */
export function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError("The denominator must be positive.");
  if (numerator < 0n) return -roundHalfEven(-numerator, denominator);
  const quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator % denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/** The terms a conversion is paid under, as the partner had them when it happened. */
export type CommissionTerms = { commercialModel: CommercialModel; rateBasisPoints: number | null };

/**
 * The commission one conversion earns, in minor units of its currency:
 * - revenue share and lead share: amount × rate ÷ 10,000, rounded half to even;
 * - fixed fee: nothing per conversion (the fee is paid per period);
 * - co-op: nothing per conversion (the budget is spent on campaigns; the
 *   conversions are reported against it, not paid one by one).
 */
export function commissionFor(terms: CommissionTerms, amountMinor: number): number {
  switch (terms.commercialModel) {
    case "revenue_share":
    case "lead_share":
      return Number(roundHalfEven(BigInt(amountMinor) * BigInt(terms.rateBasisPoints ?? 0), BASIS_POINTS_PER_WHOLE));
    case "fixed_fee":
    case "co_op":
      return 0;
  }
}

/** Whether the model pays a rate per conversion (the rate is stored with the conversion then). */
export const paysPerConversion = (model: CommercialModel) => model === "revenue_share" || model === "lead_share";

/**
 * The commission a refund takes back. Not the refund's own share rounded
 * (partial refunds would each round, and their sum could miss the whole by a
 * cent or two), but the difference between the commission refunded after it
 * and before it, both from the total refunded: refunding everything, in any
 * number of parts, takes back exactly the whole commission.
 */
export function commissionToReverse(input: { commissionMinor: number; amountMinor: number; refundedAfterMinor: number; reversedBeforeMinor: number }): number {
  if (input.amountMinor === 0) return 0;
  const reversedAfter = roundHalfEven(BigInt(input.commissionMinor) * BigInt(input.refundedAfterMinor), BigInt(input.amountMinor));
  return Number(reversedAfter) - input.reversedBeforeMinor;
}
