import { describe, expect, it } from "vitest";
import { commissionFor, commissionToReverse, roundHalfEven } from "~/domain/conversions/commission.server";

describe("banker's rounding", () => {
  it("rounds to the nearest whole number, a half to the even neighbour", () => {
    const cases: [bigint, bigint, bigint][] = [
      [5n, 2n, 2n], // 2.5 → 2
      [7n, 2n, 4n], // 3.5 → 4
      [9n, 2n, 4n], // 4.5 → 4
      [11n, 2n, 6n], // 5.5 → 6
      [24n, 10n, 2n], // 2.4 → 2
      [26n, 10n, 3n], // 2.6 → 3
      [1n, 3n, 0n],
      [2n, 3n, 1n],
      [0n, 7n, 0n],
      [10n, 5n, 2n],
      [-5n, 2n, -2n], // −2.5 → −2
      [-7n, 2n, -4n],
    ];
    for (const [numerator, denominator, expected] of cases) expect(roundHalfEven(numerator, denominator), `${numerator}/${denominator}`).toBe(expected);
    expect(() => roundHalfEven(1n, 0n)).toThrow(RangeError);
  });

  it("is exact far beyond what floating point can hold", () => {
    // 9,999,999,999,999 × 9,999 basis points: past 2⁵³, where a float would already be off.
    expect(roundHalfEven(9_999_999_999_999n * 9_999n, 10_000n)).toBe(9_998_999_999_999n);
    expect(commissionFor({ commercialModel: "revenue_share", rateBasisPoints: 9_999 }, 9_999_999_999_999)).toBe(9_998_999_999_999);
  });
});

describe("commission per conversion", () => {
  it("is the amount times the rate for revenue and lead shares, a half cent to even", () => {
    // 12 % of 19.99 is 2.3988: 2.40.
    expect(commissionFor({ commercialModel: "revenue_share", rateBasisPoints: 1200 }, 1999)).toBe(240);
    // 12.5 % of 1.00 is 12.5 cents: 12 (even). Of 1.40 it is 17.5: 18 (even).
    expect(commissionFor({ commercialModel: "revenue_share", rateBasisPoints: 1250 }, 100)).toBe(12);
    expect(commissionFor({ commercialModel: "revenue_share", rateBasisPoints: 1250 }, 140)).toBe(18);
    expect(commissionFor({ commercialModel: "lead_share", rateBasisPoints: 1250 }, 100)).toBe(12);
    expect(commissionFor({ commercialModel: "lead_share", rateBasisPoints: 333 }, 1000)).toBe(33);
    expect(commissionFor({ commercialModel: "revenue_share", rateBasisPoints: 10_000 }, 4999)).toBe(4999);
    expect(commissionFor({ commercialModel: "revenue_share", rateBasisPoints: 1200 }, 0)).toBe(0);
    // A share with no rate set yet earns nothing rather than failing the conversion.
    expect(commissionFor({ commercialModel: "revenue_share", rateBasisPoints: null }, 5000)).toBe(0);
  });

  it("is nothing for a fixed fee or a co-op budget: they are paid per period, not per conversion", () => {
    expect(commissionFor({ commercialModel: "fixed_fee", rateBasisPoints: null }, 100_000)).toBe(0);
    expect(commissionFor({ commercialModel: "co_op", rateBasisPoints: 1200 }, 100_000)).toBe(0);
  });
});

describe("commission taken back by refunds", () => {
  /** Refunds `parts` in turn, as recordRefund does; returns what each took back. */
  function refundInParts(commissionMinor: number, amountMinor: number, parts: number[]): number[] {
    let refunded = 0;
    let reversed = 0;
    return parts.map((part) => {
      refunded += part;
      const taken = commissionToReverse({ commissionMinor, amountMinor, refundedAfterMinor: refunded, reversedBeforeMinor: reversed });
      reversed += taken;
      return taken;
    });
  }

  it("is proportional to the part refunded", () => {
    expect(refundInParts(240, 1999, [1000])).toEqual([120]);
    expect(refundInParts(1000, 10_000, [2500, 2500])).toEqual([250, 250]);
  });

  it("adds up to exactly the whole commission when everything is refunded, in any number of parts", () => {
    for (const [commission, amount, parts] of [
      [240, 1999, [1, 1, 1997]],
      [333, 1000, [333, 333, 334]],
      [1, 3, [1, 1, 1]],
      [7, 10, [5, 5]],
      [100, 7, [1, 1, 1, 1, 1, 1, 1]],
      [9_998_999_999_999, 9_999_999_999_999, [3_333_333_333_333, 3_333_333_333_333, 3_333_333_333_333]],
    ] as [number, number, number[]][]) {
      const taken = refundInParts(commission, amount, parts);
      expect(
        taken.reduce((sum, part) => sum + part, 0),
        `${commission} of ${amount} in ${parts.length} parts`,
      ).toBe(commission);
      expect(taken.every((part) => part >= 0)).toBe(true);
    }
  });

  it("takes nothing back from a conversion that earned nothing", () => {
    expect(refundInParts(0, 5000, [2000, 3000])).toEqual([0, 0]);
    expect(commissionToReverse({ commissionMinor: 0, amountMinor: 0, refundedAfterMinor: 0, reversedBeforeMinor: 0 })).toBe(0);
  });
});
