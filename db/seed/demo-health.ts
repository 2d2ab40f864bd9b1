import { partnerHealthSnapshots, partnerOrganisations } from "#db/schema/index";
import { healthScores } from "~/domain/partners/health-score.server";
import { keepHealthSnapshot } from "~/domain/partners/health-snapshots.server";
import type { AppContext } from "~/lib/context.server";

// The daily health snapshots housekeeping would have kept since the demo
// partners joined (decision 029, addendum), so Brand & trust sets the
// distribution at the end of the previous period beside now's on a fresh
// demo. Each past day's scores are recomputed as they stood then, with the
// function the partner page's trend uses, so the two never disagree; before
// the partners joined nothing was kept, and the report says so for a range
// that reaches back that far.

const DAY = 86_400_000;

export async function seedHealthSnapshots(app: AppContext): Promise<void> {
  const db = app.db;
  const now = app.clock.now();
  const partners = await db
    .select({
      id: partnerOrganisations.id,
      joinedAt: partnerOrganisations.onboardingStartedAt,
      status: partnerOrganisations.status,
      terminatedAt: partnerOrganisations.terminatedAt,
    })
    .from(partnerOrganisations);
  const days = Math.floor((now.getTime() - Math.min(...partners.map((p) => p.joinedAt.getTime()))) / DAY);
  // Each past day since the first partner joined, at the time of day the seed runs, as if the day's first housekeeping ran then.
  for (let back = days; back >= 1; back--) {
    const asOf = new Date(now.getTime() - back * DAY);
    const present = partners.filter((p) => p.joinedAt <= asOf && (p.terminatedAt ? p.terminatedAt > asOf : p.status !== "terminated"));
    if (!present.length) continue;
    const scores = await healthScores(
      db,
      asOf,
      present.map((p) => p.id),
    );
    await db.insert(partnerHealthSnapshots).values(
      present.map((p) => {
        const score = scores.get(p.id);
        return { day: asOf.toISOString().slice(0, 10), partnerOrganisationId: p.id, score: score?.scored ? score.total : null, computedAt: asOf };
      }),
    );
  }
  // Today's, as housekeeping keeps it: from the stored scores the seed has just written.
  await keepHealthSnapshot(db, now);
}
