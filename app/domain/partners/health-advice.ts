import { HEALTH_WINDOW_DAYS, INCIDENT_DEDUCTIONS, PERFORMANCE_GRACE_DAYS, type HealthComponent } from "./health-score";

// What a partner can do to raise each component of its health score
// (docs/health-score.md), from the component as scored: advice only for the
// parts short of their points, in the rubric's own numbers. A plain module:
// the partner's Reports page renders it.

/** One thing to do, with where in the partner area to do it. */
export type HealthTip = { text: string; to?: string; linkLabel?: string };

const shortOf = (component: HealthComponent, index: number) => {
  const part = component.parts[index];
  return part !== undefined && part.points !== null && part.points < part.max;
};

const FULL: HealthTip = { text: "Full points: keep doing what you do." };

export function healthAdvice(component: HealthComponent): HealthTip[] {
  const tips: HealthTip[] = [];
  switch (component.key) {
    case "performance":
      if (component.points === null) {
        tips.push({
          text: `Share your links: performance counts from your first click, or once you have been active for ${PERFORMANCE_GRACE_DAYS} days.`,
          to: "/partner/links",
          linkLabel: "Your links",
        });
        break;
      }
      if (shortOf(component, 0)) {
        tips.push({
          text: `Clicks from people count in tenfold steps: 10, 100 and 1,000 in ${HEALTH_WINDOW_DAYS} days each add points. Put your links where your audience already is.`,
          to: "/partner/links",
          linkLabel: "Your links",
        });
      }
      if (shortOf(component, 1)) {
        tips.push({
          text: "A conversion rate of 5 % or more scores in full: send people to the page that matches what your creative promised, with the brand's approved assets.",
          to: "/partner/assets",
          linkLabel: "Approved assets",
        });
      }
      break;
    case "compliance":
      if (component.parts[0]?.points === null || shortOf(component, 0)) {
        tips.push({
          text: "Creatives approved as submitted score in full: run the pre-screen, fix what it finds, and use approved claims with their disclaimers.",
          to: "/partner/claims",
          linkLabel: "Approved claims",
        });
      }
      if (shortOf(component, 1)) {
        tips.push({
          text: `Each incident opened in the last ${HEALTH_WINDOW_DAYS} days costs points (${INCIDENT_DEDUCTIONS.low} for a low one up to ${INCIDENT_DEDUCTIONS.critical} for a critical one) until it is older than that. Read yours and answer what the brand asks.`,
          to: "/partner/incidents",
          linkLabel: "Your incidents",
        });
      }
      break;
    case "responsiveness":
      if (component.points === null) {
        tips.push({ text: `No changes were requested in the last ${HEALTH_WINDOW_DAYS} days: nothing to act on.` });
        return tips;
      }
      if (shortOf(component, 0)) {
        tips.push({
          text: "Upload a new version within 2 days of a request for changes to score in full; after 5, 10 and 20 days a request scores less. A request still open counts too.",
          to: "/partner/creatives",
          linkLabel: "Your creatives",
        });
      }
      break;
    case "policyCurrency":
      if (component.points === null) return [{ text: "Nothing to accept right now." }];
      if (shortOf(component, 0)) {
        tips.push({
          text: "Every active member of your team must accept the current version of each required policy. An overdue policy keeps half its points for 14 days, a quarter up to 30, then none.",
          to: "/partner/policies",
          linkLabel: "Policies",
        });
        tips.push({ text: "Someone who has left still counts until they are removed from your team.", to: "/partner/team", linkLabel: "Team" });
      }
      break;
  }
  return tips.length ? tips : [FULL];
}
