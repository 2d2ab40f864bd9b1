import { describe, expect, it } from "vitest";
import {
  clickPoints,
  computeHealthScore,
  conversionRatePoints,
  healthBandOf,
  healthBucketOf,
  policyShare,
  responsePoints,
  type HealthInputs,
  type HealthScore,
} from "~/domain/partners/health-score";
import { BRIGHTLANE_INPUTS } from "../fixtures/health-score-examples";

// Pins docs/health-score.md: every band and the three worked examples.

const QUIET: HealthInputs = {
  status: "active",
  activeDays: 200,
  humanClicks: 0,
  conversions: 0,
  creativesDecided: 0,
  creativesCompliant: 0,
  incidents: { low: 0, medium: 0, high: 0, critical: 0 },
  changeResponses: [],
  changesWaiting: [],
  policies: [{ title: "Program terms", covered: true, overdueDays: 0 }],
  noMembers: false,
};

const inputs = (overrides: Partial<HealthInputs> = {}): HealthInputs => ({ ...QUIET, ...overrides });

function points(score: HealthScore) {
  return Object.fromEntries(score.components.map((c) => [c.key, c.points]));
}

const totalOf = (score: HealthScore) => (score.scored ? score.total : null);

describe("the bands of docs/health-score.md", () => {
  it("scores clicks on a log scale", () => {
    expect([0, 1, 9, 10, 99, 100, 999, 1000, 50_000].map(clickPoints)).toEqual([0, 3, 3, 7, 7, 11, 11, 15, 15]);
  });

  it("scores the conversion rate, nothing without clicks or conversions", () => {
    expect(conversionRatePoints(0, 100)).toBe(0);
    expect(conversionRatePoints(5, 0)).toBe(0);
    expect(conversionRatePoints(4, 1000)).toBe(3); // 0.4 %
    expect(conversionRatePoints(5, 1000)).toBe(6); // 0.5 %
    expect(conversionRatePoints(10, 1000)).toBe(9); // 1 %
    expect(conversionRatePoints(20, 1000)).toBe(12); // 2 %
    expect(conversionRatePoints(49, 1000)).toBe(12); // 4.9 %
    expect(conversionRatePoints(50, 1000)).toBe(15); // 5 %
  });

  it("scores a response to requested changes by the days taken", () => {
    expect([0.5, 2, 2.01, 5, 5.5, 10, 10.5, 20, 20.5, 90].map(responsePoints)).toEqual([20, 20, 15, 15, 10, 10, 5, 5, 0, 0]);
  });

  it("keeps all of a covered policy, half up to 14 days overdue, a quarter up to 30, none after", () => {
    const share = (covered: boolean, overdueDays: number) => policyShare({ title: "p", covered, overdueDays });
    expect([share(true, 0), share(false, 0), share(false, 14), share(false, 15), share(false, 30), share(false, 31)]).toEqual([1, 0.5, 0.5, 0.25, 0.25, 0]);
  });

  it("bands totals into strong, fair and at risk, and buckets them by ten", () => {
    expect([100, 75, 74, 50, 49, 0].map(healthBandOf)).toEqual(["strong", "strong", "fair", "fair", "at_risk", "at_risk"]);
    expect([0, 9, 10, 55, 99, 100].map(healthBucketOf)).toEqual([0, 0, 1, 5, 9, 9]);
  });
});

describe("the components", () => {
  it("deducts incidents by severity, never below zero", () => {
    const one = computeHealthScore(inputs({ incidents: { low: 1, medium: 1, high: 0, critical: 0 } }));
    expect(one.components.find((c) => c.key === "compliance")!.parts[1]).toMatchObject({ points: 4, reason: "1 medium (−4), 1 low (−2) in the last 90 days." });
    const many = computeHealthScore(inputs({ incidents: { low: 0, medium: 0, high: 1, critical: 1 } }));
    expect(many.components.find((c) => c.key === "compliance")!.parts[1]!.points).toBe(0);
  });

  it("counts a waiting request only once it is more than 2 days old", () => {
    const fresh = computeHealthScore(inputs({ changesWaiting: [1.5] }));
    expect(points(fresh).responsiveness).toBeNull();
    const late = computeHealthScore(inputs({ changeResponses: [1], changesWaiting: [25] }));
    expect(points(late).responsiveness).toBe(10); // (20 + 0) / 2
    expect(late.components.find((c) => c.key === "responsiveness")!.parts[0]!.reason).toBe(
      "1 request answered in 1 day (median); 1 request waiting for 25 days at most.",
    );
  });

  it("leaves policy currency out when there is no required policy or no active member", () => {
    expect(points(computeHealthScore(inputs({ policies: [] }))).policyCurrency).toBeNull();
    const noMembers = computeHealthScore(inputs({ policies: [], noMembers: true }));
    expect(noMembers.components.find((c) => c.key === "policyCurrency")!.parts[0]!.reason).toBe("No active member yet to accept the policies.");
  });

  it("judges performance from day 30, or from the first click", () => {
    expect(points(computeHealthScore(inputs({ activeDays: 29 }))).performance).toBeNull();
    expect(points(computeHealthScore(inputs({ activeDays: 30 }))).performance).toBe(0);
    expect(points(computeHealthScore(inputs({ activeDays: 3, humanClicks: 12, conversions: 1 }))).performance).toBe(7 + 15);
  });
});

describe("status", () => {
  it("does not score onboarding or terminated partners, but shows their components", () => {
    const onboarding = computeHealthScore(inputs({ status: "onboarding", activeDays: null }));
    expect(onboarding).toMatchObject({ scored: false, reason: "Not scored while onboarding." });
    expect(onboarding.components).toHaveLength(4);
    expect(computeHealthScore(inputs({ status: "terminated" }))).toMatchObject({ scored: false, reason: "Not scored: the partnership has ended." });
  });

  it("scores a paused partner as usual", () => {
    expect(totalOf(computeHealthScore(inputs({ status: "paused", humanClicks: 100 })))).toBe(totalOf(computeHealthScore(inputs({ humanClicks: 100 }))));
  });
});

describe("the worked examples", () => {
  it("Example 1: Brightlane Reviews scores 72", () => {
    const score = computeHealthScore(BRIGHTLANE_INPUTS);
    expect(points(score)).toEqual({ performance: 23, compliance: 21, responsiveness: 13, policyCurrency: 15 });
    expect(totalOf(score)).toBe(72);
    const reasons = score.components.flatMap((c) => c.parts.map((p) => `${p.label}: ${p.points}/${p.max}: ${p.reason}`));
    expect(reasons).toEqual([
      "Clicks: 11/15: 240 clicks from people in the last 90 days.",
      "Conversion rate: 12/15: 6 conversions from 240 clicks: 2.5 %.",
      "Creatives approved as submitted: 15/20: 3 of 4 creatives decided were approved without changes and no incident.",
      "Incidents: 6/10: 1 medium (−4) in the last 90 days.",
      "Time to act on requested changes: 13/20: 2 requests answered in 2.7 days (median); 1 request waiting for 12 days at most.",
      "Required policies accepted: 15/20: 1 of 2 policies accepted; Brand guidelines overdue 10 days.",
    ]);
  });

  it("Example 2: Fresh Finds is not scored at 12 days, and scores 50 from day 30", () => {
    const fresh = inputs({
      activeDays: 12,
      policies: [
        { title: "Program terms", covered: true, overdueDays: 0 },
        { title: "Brand guidelines", covered: true, overdueDays: 0 },
      ],
    });
    expect(computeHealthScore(fresh)).toMatchObject({ scored: false, reason: "Not enough data to score yet: 30 of the 100 points have data." });
    const month = computeHealthScore({ ...fresh, activeDays: 30 });
    expect(points(month)).toEqual({ performance: 0, compliance: 10, responsiveness: null, policyCurrency: 20 });
    expect(totalOf(month)).toBe(50);
  });

  it("Example 3: Zed Deals, paused, scores 13", () => {
    const score = computeHealthScore(
      inputs({
        status: "paused",
        activeDays: 365,
        humanClicks: 50,
        creativesDecided: 2,
        incidents: { low: 0, medium: 0, high: 1, critical: 0 },
        policies: [{ title: "Program terms", covered: false, overdueDays: 45 }],
      }),
    );
    expect(points(score)).toEqual({ performance: 7, compliance: 3, responsiveness: null, policyCurrency: 0 });
    expect(totalOf(score)).toBe(13);
  });
});
