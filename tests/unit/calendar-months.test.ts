import { describe, expect, it } from "vitest";
import { joinAdjacent, monthsOf, splitByMonths } from "~/domain/reports/calendar-months";

// The reports read whole calendar months from the monthly rollups and the
// other days from the daily ones (decision 031): a day read twice, or left
// out, would be a wrong figure.

describe("a range cut at calendar months", () => {
  it("is all days when it lies within one month", () => {
    expect(splitByMonths({ from: "2026-03-08", to: "2026-03-14" })).toEqual({ months: null, days: [{ from: "2026-03-08", to: "2026-03-14" }] });
    // From the first, but short of the last day.
    expect(splitByMonths({ from: "2026-03-01", to: "2026-03-30" })).toEqual({ months: null, days: [{ from: "2026-03-01", to: "2026-03-30" }] });
    // To the last day, but not from the first.
    expect(splitByMonths({ from: "2026-03-02", to: "2026-03-31" })).toEqual({ months: null, days: [{ from: "2026-03-02", to: "2026-03-31" }] });
  });

  it("is a single day, even the first or the last of a month", () => {
    for (const day of ["2026-03-04", "2026-03-01", "2026-03-31", "2026-02-28"]) {
      expect(splitByMonths({ from: day, to: day })).toEqual({ months: null, days: [{ from: day, to: day }] });
    }
  });

  it("is months alone when it is whole months", () => {
    expect(splitByMonths({ from: "2026-02-01", to: "2026-02-28" })).toEqual({ months: { from: "2026-02-01", to: "2026-02-01" }, days: [] });
    expect(splitByMonths({ from: "2026-01-01", to: "2026-06-30" })).toEqual({ months: { from: "2026-01-01", to: "2026-06-01" }, days: [] });
    // February of a leap year ends on the 29th: to the 28th it is not whole.
    expect(splitByMonths({ from: "2028-02-01", to: "2028-02-29" })).toEqual({ months: { from: "2028-02-01", to: "2028-02-01" }, days: [] });
    expect(splitByMonths({ from: "2028-02-01", to: "2028-02-28" })).toEqual({ months: null, days: [{ from: "2028-02-01", to: "2028-02-28" }] });
  });

  it("keeps the days before and after the whole months, across a year's end", () => {
    expect(splitByMonths({ from: "2025-11-15", to: "2026-02-10" })).toEqual({
      months: { from: "2025-12-01", to: "2026-01-01" },
      days: [
        { from: "2025-11-15", to: "2025-11-30" },
        { from: "2026-02-01", to: "2026-02-10" },
      ],
    });
    expect(splitByMonths({ from: "2025-12-01", to: "2026-01-05" })).toEqual({
      months: { from: "2025-12-01", to: "2025-12-01" },
      days: [{ from: "2026-01-01", to: "2026-01-05" }],
    });
    expect(splitByMonths({ from: "2025-12-31", to: "2026-01-31" })).toEqual({
      months: { from: "2026-01-01", to: "2026-01-01" },
      days: [{ from: "2025-12-31", to: "2025-12-31" }],
    });
    // Across a year's end with no whole month between.
    expect(splitByMonths({ from: "2025-12-20", to: "2026-01-10" })).toEqual({ months: null, days: [{ from: "2025-12-20", to: "2026-01-10" }] });
  });

  it("covers every day of the range exactly once, whatever the range", () => {
    const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const daysIn = (from: string, to: string) => {
      const days: string[] = [];
      for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += 86_400_000) days.push(dayOf(at));
      return days;
    };
    const start = Date.parse("2025-10-27T00:00:00Z");
    for (let offset = 0; offset < 70; offset += 3) {
      for (const length of [1, 2, 28, 31, 45, 62, 100, 400]) {
        const range = { from: dayOf(start + offset * 86_400_000), to: dayOf(start + (offset + length - 1) * 86_400_000) };
        const split = splitByMonths(range);
        const covered = split.days.flatMap((days) => daysIn(days.from, days.to));
        if (split.months) {
          for (const month of monthsOf(split.months))
            covered.push(...daysIn(`${month.key}-01`, dayOf(Date.UTC(+month.key.slice(0, 4), +month.key.slice(5), 0))));
        }
        expect(covered.sort()).toEqual(daysIn(range.from, range.to));
      }
    }
  });
});

describe("the months a range touches", () => {
  it("lists each with the range's days in it", () => {
    expect(monthsOf({ from: "2025-11-15", to: "2026-02-10" })).toEqual([
      { key: "2025-11", from: "2025-11-15", to: "2025-11-30" },
      { key: "2025-12", from: "2025-12-01", to: "2025-12-31" },
      { key: "2026-01", from: "2026-01-01", to: "2026-01-31" },
      { key: "2026-02", from: "2026-02-01", to: "2026-02-10" },
    ]);
    expect(monthsOf({ from: "2026-03-04", to: "2026-03-04" })).toEqual([{ key: "2026-03", from: "2026-03-04", to: "2026-03-04" }]);
  });
});

describe("ranges read together", () => {
  it("become one where they touch or overlap, and stay apart where a day or a month lies between", () => {
    // A 30-day range and the 30 days before it: one read, as before there were monthly rollups.
    expect(
      joinAdjacent(
        [
          { from: "2026-11-02", to: "2026-12-01" },
          { from: "2026-10-03", to: "2026-11-01" },
        ],
        "day",
      ),
    ).toEqual([{ from: "2026-10-03", to: "2026-12-01" }]);
    expect(
      joinAdjacent(
        [
          { from: "2026-01-01", to: "2026-01-05" },
          { from: "2026-01-07", to: "2026-01-09" },
          { from: "2026-01-03", to: "2026-01-04" },
        ],
        "day",
      ),
    ).toEqual([
      { from: "2026-01-01", to: "2026-01-05" },
      { from: "2026-01-07", to: "2026-01-09" },
    ]);
    expect(
      joinAdjacent(
        [
          { from: "2026-03-01", to: "2026-04-01" },
          { from: "2025-12-01", to: "2026-02-01" },
          { from: "2026-06-01", to: "2026-06-01" },
        ],
        "month",
      ),
    ).toEqual([
      { from: "2025-12-01", to: "2026-04-01" },
      { from: "2026-06-01", to: "2026-06-01" },
    ]);
    expect(joinAdjacent([], "day")).toEqual([]);
  });
});
