// The partner health score (docs/health-score.md): pure functions over what
// health-score.server.ts reads from the rollups, so the rubric is pinned by
// unit tests and the same inputs always give the same score.

export type PartnerStatus = "onboarding" | "active" | "paused" | "terminated";
export type IncidentSeverity = "low" | "medium" | "high" | "critical";

/** How many days of history one score reads: the 90 days up to the moment it is "as of". */
export const HEALTH_WINDOW_DAYS = 90;
/** A partner active for fewer days than this, with no clicks yet, is not judged on performance. */
export const PERFORMANCE_GRACE_DAYS = 30;

export type PolicyInput = {
  title: string;
  /** Every active member accepted the version current at the time. */
  covered: boolean;
  /** Days since the organisation became due to accept it (0 when covered). */
  overdueDays: number;
};

/** What one partner did in the window, as health-score.server.ts reads it. */
export type HealthInputs = {
  status: PartnerStatus;
  /** Whole days since the partner first became active, or null if it never was. */
  activeDays: number | null;
  /** Clicks that were neither bots nor tests. */
  humanClicks: number;
  conversions: number;
  /** Creatives whose first version got a reviewer's decision in the window. */
  creativesDecided: number;
  /** Of those: version 1 approved outright, and no incident points at the creative. */
  creativesCompliant: number;
  /** Incidents opened in the window, by severity. */
  incidents: Record<IncidentSeverity, number>;
  /** Days the partner took to submit a new version after each request for changes decided in the window. */
  changeResponses: number[];
  /** Days each request for changes still unanswered has waited so far. */
  changesWaiting: number[];
  /** Each required policy's current version. */
  policies: PolicyInput[];
  /** The organisation has no active member, so no one could have accepted anything. */
  noMembers: boolean;
};

export type HealthComponentKey = "performance" | "compliance" | "responsiveness" | "policyCurrency";

/** One part of a component: points out of `max`, or null (no data: left out of the total). */
export type HealthPart = { label: string; points: number | null; max: number; reason: string };

export type HealthComponent = {
  key: HealthComponentKey;
  label: string;
  max: number;
  /** The component's points over the parts that have data, or null when none has. */
  points: number | null;
  /** The largest number of points the parts with data could give. */
  scoredMax: number;
  parts: HealthPart[];
};

export type HealthScore = { scored: true; total: number; components: HealthComponent[] } | { scored: false; reason: string; components: HealthComponent[] };

/** A total built on fewer points than this would say more about missing data than about the partner. */
export const MIN_SCORED_POINTS = 50;

export const HEALTH_WEIGHTS: Record<HealthComponentKey, number> = { performance: 30, compliance: 30, responsiveness: 20, policyCurrency: 20 };

export const HEALTH_COMPONENT_LABELS: Record<HealthComponentKey, string> = {
  performance: "Performance",
  compliance: "Compliance",
  responsiveness: "Responsiveness",
  policyCurrency: "Policy currency",
};

export const INCIDENT_DEDUCTIONS: Record<IncidentSeverity, number> = { low: 2, medium: 4, high: 7, critical: 10 };

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** Human clicks in the window, in bands that grow tenfold (a log scale). */
export function clickPoints(clicks: number): number {
  if (clicks >= 1000) return 15;
  if (clicks >= 100) return 11;
  if (clicks >= 10) return 7;
  if (clicks >= 1) return 3;
  return 0;
}

/** Conversions per human click in the window; no clicks scores nothing. */
export function conversionRatePoints(conversions: number, clicks: number): number {
  if (clicks <= 0 || conversions <= 0) return 0;
  const rate = conversions / clicks;
  if (rate >= 0.05) return 15;
  if (rate >= 0.02) return 12;
  if (rate >= 0.01) return 9;
  if (rate >= 0.005) return 6;
  return 3;
}

/** Points for one request for changes, by the days the partner took (or has waited so far). */
export function responsePoints(days: number): number {
  if (days <= 2) return 20;
  if (days <= 5) return 15;
  if (days <= 10) return 10;
  if (days <= 20) return 5;
  return 0;
}

/** The share of a required policy's points the organisation keeps: all when covered, less the longer it is overdue. */
export function policyShare(policy: PolicyInput): number {
  if (policy.covered) return 1;
  if (policy.overdueDays <= 14) return 0.5;
  if (policy.overdueDays <= 30) return 0.25;
  return 0;
}

/** Rounds halves up, as the fit score does. */
const round = (n: number) => Math.floor(n + 0.5);

function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)} %`;
}

function componentOf(key: HealthComponentKey, parts: HealthPart[]): HealthComponent {
  const withData = parts.filter((p) => p.points !== null);
  return {
    key,
    label: HEALTH_COMPONENT_LABELS[key],
    max: HEALTH_WEIGHTS[key],
    points: withData.length ? withData.reduce((sum, p) => sum + p.points!, 0) : null,
    scoredMax: withData.reduce((sum, p) => sum + p.max, 0),
    parts,
  };
}

function performance(inputs: HealthInputs): HealthComponent {
  const tooNew = inputs.humanClicks === 0 && (inputs.activeDays === null || inputs.activeDays < PERFORMANCE_GRACE_DAYS);
  if (tooNew) {
    const reason = `Active for under ${PERFORMANCE_GRACE_DAYS} days with no clicks yet: not judged on performance.`;
    return componentOf("performance", [
      { label: "Clicks", points: null, max: 15, reason },
      { label: "Conversion rate", points: null, max: 15, reason },
    ]);
  }
  const clicks = clickPoints(inputs.humanClicks);
  const rate = conversionRatePoints(inputs.conversions, inputs.humanClicks);
  return componentOf("performance", [
    { label: "Clicks", points: clicks, max: 15, reason: `${plural(inputs.humanClicks, "click")} from people in the last ${HEALTH_WINDOW_DAYS} days.` },
    {
      label: "Conversion rate",
      points: rate,
      max: 15,
      reason:
        inputs.humanClicks > 0
          ? `${plural(inputs.conversions, "conversion")} from ${plural(inputs.humanClicks, "click")}: ${formatRate(inputs.conversions / inputs.humanClicks)}.`
          : "No clicks, so no conversion rate.",
    },
  ]);
}

function compliance(inputs: HealthInputs): HealthComponent {
  const creatives: HealthPart =
    inputs.creativesDecided > 0
      ? {
          label: "Creatives approved as submitted",
          points: round((20 * inputs.creativesCompliant) / inputs.creativesDecided),
          max: 20,
          reason: `${inputs.creativesCompliant} of ${plural(inputs.creativesDecided, "creative")} decided were approved without changes and no incident.`,
        }
      : { label: "Creatives approved as submitted", points: null, max: 20, reason: `No creative decided in the last ${HEALTH_WINDOW_DAYS} days.` };
  const severities = (["critical", "high", "medium", "low"] as const).filter((s) => inputs.incidents[s] > 0);
  const deduction = severities.reduce((sum, s) => sum + INCIDENT_DEDUCTIONS[s] * inputs.incidents[s], 0);
  const incidents: HealthPart = {
    label: "Incidents",
    points: Math.max(0, 10 - deduction),
    max: 10,
    reason: severities.length
      ? `${severities.map((s) => `${inputs.incidents[s]} ${s} (−${INCIDENT_DEDUCTIONS[s] * inputs.incidents[s]})`).join(", ")} in the last ${HEALTH_WINDOW_DAYS} days.`
      : `No incidents in the last ${HEALTH_WINDOW_DAYS} days.`,
  };
  return componentOf("compliance", [creatives, incidents]);
}

function responsiveness(inputs: HealthInputs): HealthComponent {
  // A request still open counts once it can no longer score in full: before that the partner is not late.
  const waiting = inputs.changesWaiting.filter((d) => d > 2);
  const all = [...inputs.changeResponses, ...waiting];
  if (!all.length) {
    return componentOf("responsiveness", [
      { label: "Time to act on requested changes", points: null, max: 20, reason: `No changes requested in the last ${HEALTH_WINDOW_DAYS} days.` },
    ]);
  }
  const points = round(all.reduce((sum, d) => sum + responsePoints(d), 0) / all.length);
  const answered = inputs.changeResponses.length
    ? `${plural(inputs.changeResponses.length, "request")} answered in ${formatDays(median(inputs.changeResponses))} (median)`
    : "";
  const open = waiting.length ? `${plural(waiting.length, "request")} waiting for ${formatDays(Math.max(...waiting))} at most` : "";
  return componentOf("responsiveness", [
    { label: "Time to act on requested changes", points, max: 20, reason: `${[answered, open].filter(Boolean).join("; ")}.` },
  ]);
}

function policyCurrency(inputs: HealthInputs): HealthComponent {
  if (!inputs.policies.length || inputs.noMembers) {
    return componentOf("policyCurrency", [
      {
        label: "Required policies accepted",
        points: null,
        max: 20,
        reason: inputs.noMembers ? "No active member yet to accept the policies." : "The program has no required policy.",
      },
    ]);
  }
  const share = inputs.policies.reduce((sum, p) => sum + policyShare(p), 0) / inputs.policies.length;
  const overdue = inputs.policies.filter((p) => !p.covered);
  return componentOf("policyCurrency", [
    {
      label: "Required policies accepted",
      points: round(20 * share),
      max: 20,
      reason: overdue.length
        ? `${inputs.policies.length - overdue.length} of ${plural(inputs.policies.length, "policy", "policies")} accepted; ${overdue
            .map((p) => `${p.title} overdue ${formatDays(p.overdueDays)}`)
            .join(", ")}.`
        : `All ${plural(inputs.policies.length, "required policy", "required policies")} accepted in their current version.`,
    },
  ]);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function formatDays(days: number): string {
  if (days < 1) return "under a day";
  const whole = Math.floor(days * 10) / 10;
  return `${Number.isInteger(whole) ? whole : whole.toFixed(1)} ${whole === 1 ? "day" : "days"}`;
}

/**
 * The score: each component's points over the parts that have data, and a
 * total of those points over their maxima, scaled to 100. Onboarding and
 * terminated partners are not scored.
 */
export function computeHealthScore(inputs: HealthInputs): HealthScore {
  const components = [performance(inputs), compliance(inputs), responsiveness(inputs), policyCurrency(inputs)];
  if (inputs.status === "onboarding") return { scored: false, reason: "Not scored while onboarding.", components };
  if (inputs.status === "terminated") return { scored: false, reason: "Not scored: the partnership has ended.", components };
  const max = components.reduce((sum, c) => sum + c.scoredMax, 0);
  if (max < MIN_SCORED_POINTS) return { scored: false, reason: `Not enough data to score yet: ${max} of the 100 points have data.`, components };
  const points = components.reduce((sum, c) => sum + (c.points ?? 0), 0);
  return { scored: true, total: round((100 * points) / max), components };
}

/** The band a score falls in, for badges and the report's distribution. */
export type HealthBand = "strong" | "fair" | "at_risk";

export function healthBandOf(score: number): HealthBand {
  if (score >= 75) return "strong";
  if (score >= 50) return "fair";
  return "at_risk";
}

export const HEALTH_BAND_LABELS: Record<HealthBand, string> = { strong: "Strong", fair: "Fair", at_risk: "At risk" };
export const HEALTH_BAND_TONE: Record<HealthBand, "success" | "warning" | "danger"> = { strong: "success", fair: "warning", at_risk: "danger" };

/** The distribution's buckets: 0–9, 10–19, … 90–100 (100 goes with the nineties). */
export function healthBucketOf(score: number): number {
  return Math.min(9, Math.floor(score / 10));
}
