import { describe, expect, it } from "vitest";
import {
  addFigures,
  conversionRate,
  earningsPerClickMinor,
  epcFractionDigits,
  formatEarningsPerClick,
  NO_CONVERSIONS,
  plainEarningsPerClick,
} from "~/domain/conversions/metrics";
import { dailyPerformanceCsv, type DailyPerformance } from "~/domain/conversions/stats.server";
import { describeTerms, minorUnitsPer as termsMinorUnitsPer } from "~/domain/partners/catalog";
import { currencyFractionDigits, formatMoney, minorUnitsPer, plainAmount } from "~/lib/money";

describe("money in minor units", () => {
  it("knows each currency's decimals: cents for the dollar and the euro, none for the yen, three for the dinar", () => {
    expect(["USD", "EUR", "GBP", "JPY", "BHD"].map(currencyFractionDigits)).toEqual([2, 2, 2, 0, 3]);
    expect(["USD", "JPY", "KWD"].map(minorUnitsPer)).toEqual([100, 1, 1000]);
  });

  it("is the same rule for the partners' terms and for conversions", () => {
    expect(termsMinorUnitsPer).toBe(minorUnitsPer);
    expect(describeTerms({ commercialModel: "fixed_fee", rateBasisPoints: null, amountMinor: 500_000, currency: "USD" })).toBe("Fixed fee, USD 5,000.00");
    expect(describeTerms({ commercialModel: "fixed_fee", rateBasisPoints: null, amountMinor: 500_000, currency: "JPY" })).toBe("Fixed fee, JPY 500,000");
  });

  it("shows an amount with its currency and the currency's decimals", () => {
    expect(formatMoney(123_450, "USD")).toBe("$1,234.50");
    expect(formatMoney(12_000, "EUR")).toBe("€120.00");
    expect(formatMoney(500, "JPY")).toBe("¥500");
    expect(formatMoney(1_234_500, "BHD")).toBe("BHD\u00a01,234.500");
    expect(formatMoney(0, "GBP")).toBe("£0.00");
  });

  it("writes a spreadsheet amount as a plain number in major units", () => {
    expect(plainAmount(123_450, "USD")).toBe("1234.50");
    expect(plainAmount(7, "USD")).toBe("0.07");
    expect(plainAmount(500, "JPY")).toBe("500");
  });
});

describe("conversion rate", () => {
  it("is conversions per unique click", () => {
    expect(conversionRate(3, 120)).toBe(0.025);
    expect(conversionRate(0, 50)).toBe(0);
  });

  it("means nothing without unique clicks: null, not a division by zero", () => {
    expect(conversionRate(4, 0)).toBeNull();
    expect(conversionRate(0, 0)).toBeNull();
  });

  it("can pass 100 %: one visitor may buy twice", () => {
    expect(conversionRate(3, 2)).toBe(1.5);
  });
});

describe("earnings per click", () => {
  it("is the commission divided by the clicks, in minor units with a fraction", () => {
    expect(earningsPerClickMinor(1_000, 4)).toBe(250);
    expect(earningsPerClickMinor(100, 3)).toBeCloseTo(33.333, 3);
    expect(earningsPerClickMinor(0, 10)).toBe(0);
  });

  it("is null without clicks", () => {
    expect(earningsPerClickMinor(500, 0)).toBeNull();
  });

  it("shows with at least two decimals, so a yen program still sees its fractions, and rounds half up", () => {
    expect(epcFractionDigits("USD")).toBe(2);
    expect(epcFractionDigits("JPY")).toBe(2);
    expect(epcFractionDigits("BHD")).toBe(3);
    expect(formatEarningsPerClick(earningsPerClickMinor(100, 3), "USD")).toBe("$0.33");
    expect(formatEarningsPerClick(earningsPerClickMinor(200, 3), "USD")).toBe("$0.67");
    expect(formatEarningsPerClick(earningsPerClickMinor(1, 8), "USD")).toBe("$0.00");
    expect(formatEarningsPerClick(earningsPerClickMinor(1, 2), "USD")).toBe("$0.01");
    expect(formatEarningsPerClick(earningsPerClickMinor(43, 100), "JPY")).toBe("¥0.43");
    expect(formatEarningsPerClick(null, "USD")).toBe("–");
    expect(plainEarningsPerClick(earningsPerClickMinor(1_000, 3), "EUR")).toBe("3.33");
    expect(plainEarningsPerClick(null, "EUR")).toBe("");
  });
});

describe("adding figures up", () => {
  it("adds each figure", () => {
    const day = { conversions: 2, revenueMinor: 5_000, commissionMinor: 500, refundedMinor: 1_000 };
    expect(addFigures(addFigures(NO_CONVERSIONS, day), day)).toEqual({ conversions: 4, revenueMinor: 10_000, commissionMinor: 1_000, refundedMinor: 2_000 });
  });
});

describe("the clicks and conversions CSV", () => {
  const day = (fields: Partial<DailyPerformance>): DailyPerformance => ({
    day: "2026-03-01",
    clicks: 0,
    uniqueClicks: 0,
    botClicks: 0,
    ...NO_CONVERSIONS,
    conversionRate: null,
    epcMinor: null,
    otherCurrencies: [],
    ...fields,
  });
  const linesOf = (csv: string) =>
    csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");

  it("has the click columns, then the program currency's money, the rate and EPC, then four columns per other currency", () => {
    const csv = dailyPerformanceCsv({
      currency: "USD",
      days: [
        day({
          day: "2026-03-01",
          clicks: 40,
          uniqueClicks: 30,
          botClicks: 10,
          conversions: 3,
          revenueMinor: 12_345,
          commissionMinor: 1_234,
          conversionRate: 0.1,
          epcMinor: 1_234 / 40,
        }),
        day({
          day: "2026-03-02",
          otherCurrencies: [
            { currency: "JPY", conversions: 1, revenueMinor: 5_000, commissionMinor: 500, refundedMinor: 0 },
            { currency: "EUR", conversions: 2, revenueMinor: 8_000, commissionMinor: 800, refundedMinor: 2_000 },
          ],
        }),
      ],
    });
    const lines = linesOf(csv);
    expect(lines[0]).toBe(
      "Day,Clicks,Unique clicks,Bot clicks,Bot share (%),Conversions,Revenue (USD),Commission (USD),Refunded (USD),Conversion rate (%),Earnings per click (USD)," +
        "Conversions (EUR),Revenue (EUR),Commission (EUR),Refunded (EUR),Conversions (JPY),Revenue (JPY),Commission (JPY),Refunded (JPY)",
    );
    expect(lines[1]).toBe("2026-03-01,40,30,10,20.0,3,123.45,12.34,0.00,10.00,0.31,0,0.00,0.00,0.00,0,0,0,0");
    expect(lines[2]).toBe("2026-03-02,0,0,0,,0,0.00,0.00,0.00,,,2,80.00,8.00,20.00,1,5000,500,0");
  });

  it("escapes a cell a spreadsheet would take for a formula (a negative amount is one)", () => {
    const lines = linesOf(dailyPerformanceCsv({ currency: "USD", days: [day({ revenueMinor: -500 })] }));
    expect(lines[1]!.split(",")[6]).toBe("'-5.00");
  });
});
