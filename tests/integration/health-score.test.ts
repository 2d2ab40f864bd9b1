import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  auditEvents,
  creatives,
  creativeVersions,
  incidentLinks,
  incidents,
  partnerHealthSnapshots,
  partnerOrganisations,
  policyAcceptances,
  users,
} from "#db/schema/index";
import { healthInputs, partnerHealth, partnerHealthTrend, refreshHealthScores } from "~/domain/partners/health-score.server";
import { keepHealthSnapshot } from "~/domain/partners/health-snapshots.server";
import { previousPeriod } from "~/domain/reports/range.server";
import { healthDistribution, trustCsv, trustPartners, trustPartnersCsv, trustSummary } from "~/domain/reports/trust.server";
import { recordAudit } from "~/lib/audit.server";
import { formatDate } from "~/lib/dates";
import type { Db } from "~/lib/db.server";
import { runHousekeeping } from "~/runtime.server";
import { resetDatabase } from "../support/db";
import { adjustableClockFor, createPartnerOrg, createUser, publishPolicy, sessionCookieFor, signedIn } from "../support/context";
import { clickDay, conversionDay, dayBefore, noonToday, plainLink } from "../support/conversion-stats";
import { get, startTestServer, type TestServer } from "../support/http";
import { BRIGHTLANE_INPUTS } from "../fixtures/health-score-examples";

// The health score and the Brand & trust report read from the database:
// rollups, versions and their decisions, incidents and policy acceptances
// written straight into their tables with known times, and the exact
// figures docs/health-score.md promises for them.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const DAY = 86_400_000;
let NOW: Date;
let today: string;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

type Fixture = Awaited<ReturnType<typeof seedProgram>>;
let program: Fixture;

beforeEach(async () => {
  await resetDatabase(server.app.db);
  // The report pages keep a computed report for a couple of minutes: each test's program is a new one.
  server.app.reportCache.clear();
  NOW = noonToday();
  today = NOW.toISOString().slice(0, 10);
  program = await seedProgram();
});

async function member(db: Db, orgId: string, role: "owner" | "member" = "owner") {
  const user = await createUser(db, { role: "partner", partnerOrgId: orgId, partnerRole: role });
  await db
    .update(users)
    .set({ createdAt: daysAgo(300) })
    .where(eq(users.id, user.id));
  return user;
}

let sequence = 0;

/** A creative with versions decided at the given times, straight into the tables. */
async function creative(
  db: Db,
  orgId: string,
  authorId: string,
  versions: { submittedAt: Date; outcome: (typeof creativeVersions.$inferSelect)["outcome"]; decidedAt: Date | null }[],
  status: (typeof creatives.$inferSelect)["status"],
) {
  sequence++;
  const [row] = await db
    .insert(creatives)
    .values({ organisationId: orgId, status, title: `Creative ${sequence}`, channel: "website_blog", latestVersion: versions.length, createdById: authorId })
    .returning();
  const ids: string[] = [];
  for (const [i, v] of versions.entries()) {
    const [version] = await db
      .insert(creativeVersions)
      .values({
        creativeId: row!.id,
        number: i + 1,
        title: `Creative ${sequence}`,
        channel: "website_blog",
        placement: "Sidebar",
        destinationUrl: "https://shop.example/",
        copy: "Brighter mornings. #ad",
        claims: [],
        disclosure: "#ad",
        findings: [],
        ruleSetVersion: 0,
        submittedById: authorId,
        submittedAt: v.submittedAt,
        outcome: v.outcome,
        decidedAt: v.decidedAt,
      })
      .returning();
    ids.push(version!.id);
  }
  return { id: row!.id, versionIds: ids };
}

async function incident(
  db: Db,
  orgId: string,
  fields: { severity: "low" | "medium" | "high" | "critical"; kind: (typeof incidents.$inferSelect)["kind"]; openedAt: Date; shared?: boolean },
) {
  const [row] = await db
    .insert(incidents)
    .values({
      organisationId: orgId,
      title: "Incident",
      kind: fields.kind,
      severity: fields.severity,
      description: "What happened.",
      sharedWithPartner: fields.shared ?? false,
      openedAt: fields.openedAt,
      updatedAt: fields.openedAt,
    })
    .returning();
  return row!;
}

/**
 * Brightlane: docs/health-score.md's Example 1 (72). Zed: paused, an incident
 * on one of its creatives. Quiet: active, nothing done. Fresh: onboarding.
 * Gone: terminated, with a stale stored score.
 */
async function seedProgram() {
  const app = server.app;
  const db = app.db;
  const clock = adjustableClockFor(app);
  // Policies are published by the domain at the clock's time: Program terms 250 days ago, Brand guidelines 10.
  // A minute early: the clock runs on while the policy is published, and overdue days are whole days.
  clock.setOffset(daysAgo(250).getTime() - 60_000 - Date.now());
  const terms = await publishPolicy(app, { title: "Program terms", body: "# Terms\n\nBe accurate." });
  clock.setOffset(daysAgo(10).getTime() - 60_000 - Date.now());
  const guidelines = await publishPolicy(app, { title: "Brand guidelines", body: "# Guidelines\n\nUse the logo as given." });
  clock.setOffset(NOW.getTime() - Date.now());

  const brightlane = await createPartnerOrg(db, "Brightlane Reviews", { status: "active", activatedAt: daysAgo(200) });
  const owner = await member(db, brightlane.id);
  const teammate = await member(db, brightlane.id, "member");
  for (const user of [owner, teammate]) {
    await db.insert(policyAcceptances).values({
      userId: user.id,
      partnerOrgId: brightlane.id,
      policyVersionId: terms.version.id,
      contentHash: terms.version.contentHash!,
      acceptedAt: daysAgo(240),
    });
  }
  // Brand guidelines: only the owner has accepted, so the organisation is not covered (overdue 10 days).
  await db.insert(policyAcceptances).values({
    userId: owner.id,
    partnerOrgId: brightlane.id,
    policyVersionId: guidelines.version.id,
    contentHash: guidelines.version.contentHash!,
    acceptedAt: daysAgo(5),
  });
  const link = await plainLink(db, brightlane.id);
  // 190 + 50 people in the window; the day 95 days ago is outside it.
  await clickDay(db, link, dayBefore(today, 5), { clicks: 200, unique: 150, bots: 10, tests: 4 });
  await clickDay(db, link, dayBefore(today, 60), { clicks: 50, unique: 40 });
  await clickDay(db, link, dayBefore(today, 95), { clicks: 1000, unique: 900 });
  await conversionDay(db, { organisationId: brightlane.id, linkId: link.id, day: dayBefore(today, 3), conversions: 4 });
  await conversionDay(db, { organisationId: brightlane.id, linkId: link.id, day: dayBefore(today, 80), conversions: 2 });
  await conversionDay(db, { organisationId: brightlane.id, linkId: link.id, day: dayBefore(today, 120), conversions: 50 });
  for (const days of [40, 50, 70]) {
    await creative(db, brightlane.id, owner.id, [{ submittedAt: daysAgo(days + 1), outcome: "approved", decidedAt: daysAgo(days) }], "approved");
  }
  // Decided before the window: not counted.
  await creative(db, brightlane.id, owner.id, [{ submittedAt: daysAgo(101), outcome: "approved", decidedAt: daysAgo(100) }], "approved");
  // Changes requested, answered in 1.5 days; approved with required changes, answered in 4; changes requested 12 days ago, still waiting.
  await creative(
    db,
    brightlane.id,
    owner.id,
    [
      { submittedAt: daysAgo(31), outcome: "changes_requested", decidedAt: daysAgo(30) },
      { submittedAt: daysAgo(28.5), outcome: "approved_with_changes", decidedAt: daysAgo(20) },
      { submittedAt: daysAgo(16), outcome: "changes_requested", decidedAt: daysAgo(12) },
    ],
    "changes_requested",
  );
  await incident(db, brightlane.id, { severity: "medium", kind: "brand_misuse", openedAt: daysAgo(40) });
  await incident(db, brightlane.id, { severity: "critical", kind: "fraud", openedAt: daysAgo(100) });

  const zed = await createPartnerOrg(db, "Zed Deals", { status: "paused", activatedAt: daysAgo(365), pausedAt: daysAgo(2) });
  const zedOwner = await member(db, zed.id);
  const zedLink = await plainLink(db, zed.id);
  await clickDay(db, zedLink, dayBefore(today, 10), { clicks: 70, unique: 60, bots: 20 });
  const flagged = await creative(db, zed.id, zedOwner.id, [{ submittedAt: daysAgo(9), outcome: "approved", decidedAt: daysAgo(8) }], "approved");
  await creative(db, zed.id, zedOwner.id, [{ submittedAt: daysAgo(7), outcome: "rejected", decidedAt: daysAgo(6) }], "rejected");
  // A withdrawn creative answers its request: not counted.
  const withdrawn = await creative(db, zed.id, zedOwner.id, [{ submittedAt: daysAgo(200), outcome: "changes_requested", decidedAt: daysAgo(20) }], "withdrawn");
  await db
    .update(creatives)
    .set({ withdrawnAt: daysAgo(15) })
    .where(eq(creatives.id, withdrawn.id));
  const high = await incident(db, zed.id, { severity: "high", kind: "misleading_claim", openedAt: daysAgo(5) });
  await db.insert(incidentLinks).values({ incidentId: high.id, objectKind: "creative_version", objectId: flagged.versionIds[0]!, linkedAt: daysAgo(5) });

  const quiet = await createPartnerOrg(db, "Quiet Co", { status: "active", activatedAt: daysAgo(100) });
  await member(db, quiet.id);
  const fresh = await createPartnerOrg(db, "Fresh Finds", { status: "onboarding" });
  await member(db, fresh.id);
  const gone = await createPartnerOrg(db, "Gone Ltd", { status: "terminated", activatedAt: daysAgo(300), terminatedAt: daysAgo(3), healthScore: 90 });
  await member(db, gone.id);
  return { brightlane, brightlaneOwner: owner, zed, quiet, fresh, gone, terms, guidelines };
}

const range = () => ({ from: dayBefore(today, 89), to: today });
/** The last 90 days alone (compare=none), and beside the 90 days before (the default). */
const alone = () => ({ current: range(), previous: null });
const compared = () => ({ current: range(), previous: previousPeriod(range()) });
const csvLines = (csv: string) =>
  csv
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n");

const componentPoints = (score: Awaited<ReturnType<typeof partnerHealth>>) => Object.fromEntries(score!.components.map((c) => [c.key, c.points]));

describe("the health score from the database", () => {
  it("reads Example 1's inputs from the rollups, decisions, incidents and acceptances, and scores 72", async () => {
    const db = server.app.db;
    const inputs = (await healthInputs(db, NOW, [program.brightlane.id])).get(program.brightlane.id)!;
    expect(inputs).toMatchObject(BRIGHTLANE_INPUTS);
    const score = await partnerHealth(db, program.brightlane.id, NOW);
    expect(score).toMatchObject({ scored: true, total: 72 });
    expect(componentPoints(score)).toEqual({ performance: 23, compliance: 21, responsiveness: 13, policyCurrency: 15 });
  });

  it("scores a paused partner, counts an incident against the creative it points at, and hides unshared incidents from the partner's own view", async () => {
    const db = server.app.db;
    const brand = await partnerHealth(db, program.zed.id, NOW);
    // Clicks 50 → 7, no conversions; 0 of 2 compliant, high incident → 3; no open request (the withdrawn one is not); both policies uncovered: (0 + ½) ÷ 2 → 5.
    expect(componentPoints(brand)).toEqual({ performance: 7, compliance: 3, responsiveness: null, policyCurrency: 5 });
    expect(brand).toMatchObject({ scored: true, total: 19 }); // 15 of 80
    const own = await partnerHealth(db, program.zed.id, NOW, "partner");
    // The unshared incident neither costs points nor makes its creative non-compliant: 1 of 3 compliant → 7, incidents 10.
    expect(componentPoints(own)).toEqual({ performance: 7, compliance: 17, responsiveness: null, policyCurrency: 5 });
    expect(own).toMatchObject({ scored: true, total: 36 }); // 29 of 80
    await db.update(incidents).set({ sharedWithPartner: true }).where(eq(incidents.organisationId, program.zed.id));
    expect(await partnerHealth(db, program.zed.id, NOW, "partner")).toMatchObject({ total: 19 });
  });

  it("does not score onboarding or terminated partners", async () => {
    const db = server.app.db;
    expect(await partnerHealth(db, program.fresh.id, NOW)).toMatchObject({ scored: false, reason: "Not scored while onboarding." });
    expect(await partnerHealth(db, program.gone.id, NOW)).toMatchObject({ scored: false, reason: "Not scored: the partnership has ended." });
  });

  it("gives a monthly trend whose last point is the score now, and scores a past month-end by what had happened by then", async () => {
    const db = server.app.db;
    const trend = await partnerHealthTrend(db, program.brightlane.id, NOW);
    expect(trend).toHaveLength(6);
    expect(trend.at(-1)).toMatchObject({ period: today.slice(0, 7), score: 72 });
    const months = trend.map((p) => p.period);
    expect(new Set(months).size).toBe(6);
    expect([...months].sort()).toEqual(months);
    // Gone Ltd was terminated 3 days ago: scored before that, not now.
    // No clicks (0 of 30), no incidents (10), terms overdue 246 days and guidelines 6 days ((0 + ½) ÷ 2 → 5): 15 of 60.
    expect(await partnerHealth(db, program.gone.id, daysAgo(4))).toMatchObject({ scored: true, total: 25 });
  });

  it("writes the stored scores for the directory, null where not scored", async () => {
    const db = server.app.db;
    expect(await refreshHealthScores(db, NOW)).toBe(3);
    const rows = await db.select({ name: partnerOrganisations.name, score: partnerOrganisations.healthScore }).from(partnerOrganisations);
    expect(Object.fromEntries(rows.map((r) => [r.name, r.score]))).toEqual({
      "Brightlane Reviews": 72,
      "Zed Deals": 19,
      "Quiet Co": 25,
      "Fresh Finds": null,
      "Gone Ltd": null,
    });
  });
});

describe("the partner directory by health", () => {
  it("sorts best or at-risk first with unscored partners last, keeps the filters and pages, and exports the score", async () => {
    await refreshHealthScores(server.app.db, NOW);
    const analyst = await signedIn(server.app, { role: "analyst" });
    const names = ["Brightlane Reviews", "Zed Deals", "Quiet Co", "Fresh Finds", "Gone Ltd"];
    const order = async (query: string) => {
      const response = await get(server, `/admin/partners${query}`, { Cookie: analyst.cookie });
      expect(response.status).toBe(200);
      const html = (await response.text()).replaceAll("<!-- -->", "");
      return names.filter((n) => html.includes(`>${n}</a>`)).sort((a, b) => html.indexOf(`>${a}</a>`) - html.indexOf(`>${b}</a>`));
    };
    expect(await order("?sort=health")).toEqual(["Brightlane Reviews", "Quiet Co", "Zed Deals", "Fresh Finds", "Gone Ltd"]);
    expect(await order("?sort=health_low")).toEqual(["Zed Deals", "Quiet Co", "Brightlane Reviews", "Fresh Finds", "Gone Ltd"]);
    expect(await order("?sort=health&status=active")).toEqual(["Brightlane Reviews", "Quiet Co"]);

    const csv = await (await get(server, "/admin/partners.csv?sort=health_low", { Cookie: analyst.cookie })).text();
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]!.endsWith(",Health score")).toBe(true);
    expect(lines.slice(1).map((l) => [l.split(",")[0], l.split(",").at(-1)])).toEqual([
      ["Zed Deals", "19"],
      ["Quiet Co", "25"],
      ["Brightlane Reviews", "72"],
      ["Fresh Finds", ""],
      ["Gone Ltd", ""],
    ]);
  });

  it("pages a long directory by health, 25 at a time", async () => {
    const db = server.app.db;
    for (let i = 0; i < 26; i++) await createPartnerOrg(db, `Bulk ${String(i).padStart(2, "0")}`, { healthScore: 30 + i });
    const admin = await signedIn(server.app, { role: "admin" });
    const first = (await (await get(server, "/admin/partners?sort=health", { Cookie: admin.cookie })).text()).replaceAll("<!-- -->", "");
    expect(first).toContain("Page 1 of 2");
    // 55 is the best of the bulk; Bulk 00 (30) is on the second page, behind the 25 better ones.
    expect(first.indexOf(">Bulk 25</a>")).toBeGreaterThan(-1);
    expect(first).not.toContain(">Bulk 00</a>");
    const second = await (await get(server, "/admin/partners?sort=health&page=2", { Cookie: admin.cookie })).text();
    expect(second).toContain(">Bulk 00</a>");
  });
});

describe("the Brand & trust report's figures", () => {
  it("counts the compliance rate per partner and overall, and incidents by severity and kind", async () => {
    const db = server.app.db;
    await refreshHealthScores(db, NOW);
    const summary = await trustSummary(db, alone());
    expect(summary).toMatchObject({ previous: null, previousEnd: null });
    // Zed's withdrawn creative had a decision on its first version (changes requested): it counts, not compliant.
    expect(summary.compliance).toEqual({ counted: 7, compliant: 3, rate: 3 / 7, partners: 2 });
    expect(summary.incidents.total).toBe(2);
    expect(summary.incidents.partners).toBe(2);
    expect(summary.incidents.bySeverity).toEqual({ low: 0, medium: 1, high: 1, critical: 0 });
    expect(summary.incidents.byKind.filter((k) => k.total > 0).map((k) => [k.kind, k.total])).toEqual([
      ["misleading_claim", 1],
      ["brand_misuse", 1],
    ]);

    const page = await trustPartners(db, alone(), 1);
    expect(page.total).toBe(2);
    expect(
      page.rows.map((r) => ({
        name: r.name,
        counted: r.counted,
        compliant: r.compliant,
        rate: r.complianceRate,
        incidents: r.incidents,
        score: r.healthScore,
      })),
    ).toEqual([
      { name: "Zed Deals", counted: 3, compliant: 0, rate: 0, incidents: 1, score: 19 },
      { name: "Brightlane Reviews", counted: 4, compliant: 3, rate: 0.75, incidents: 1, score: 72 },
    ]);
    expect(page.rows[0]!.bySeverity).toEqual({ critical: 0, high: 1, medium: 0, low: 0 });
    expect(page.rows[0]!.byKind).toEqual({ misleading_claim: 1 });
    expect(page.rows.map((r) => r.previous)).toEqual([null, null]);

    // A range that reaches the critical incident 100 days ago.
    const longer = await trustSummary(db, { current: { from: dayBefore(today, 119), to: today }, previous: null });
    expect(longer.incidents.bySeverity.critical).toBe(1);
  });

  it("gives policy acceptance coverage per version over active partners, and the stored scores' distribution", async () => {
    const db = server.app.db;
    await refreshHealthScores(db, NOW);
    const summary = await trustSummary(db, alone());
    // Active partners: Brightlane (both members accepted the terms) and Quiet (nothing accepted).
    expect(summary.coverage.map((c) => ({ title: c.title, number: c.number, covered: c.covered, partners: c.partners, share: c.share }))).toEqual([
      { title: "Program terms", number: 1, covered: 1, partners: 2, share: 0.5 },
      { title: "Brand guidelines", number: 1, covered: 0, partners: 2, share: 0 },
    ]);
    const health = summary.health;
    // Gone Ltd's stale 90 is left out: terminated partners are not in the distribution.
    expect({ scored: health.scored, notScored: health.notScored, median: health.median }).toEqual({ scored: 3, notScored: 1, median: 25 });
    expect(health.buckets.filter((b) => b.partners > 0).map((b) => [b.label, b.partners])).toEqual([
      ["10–19", 1],
      ["20–29", 1],
      ["70–79", 1],
    ]);
    expect(health.bands.map((b) => [b.band, b.partners])).toEqual([
      ["strong", 0],
      ["fair", 1],
      ["at_risk", 2],
    ]);
  });

  it("exports the per-partner rows as formula-safe CSV", async () => {
    const db = server.app.db;
    await db.update(partnerOrganisations).set({ name: "=cmd()" }).where(eq(partnerOrganisations.id, program.zed.id));
    const { csv, count } = await trustPartnersCsv(db, alone());
    expect(count).toBe(2);
    const lines = csvLines(csv);
    expect(lines[0]).toBe(
      "Partner,Status,Health score,Creatives decided,Approved as submitted,Compliance rate (%),Incidents,Critical,High,Medium,Low,Misleading claim,Missing disclosure,Brand misuse,Data issue,Fraud,Other",
    );
    expect(lines[1]).toBe("'=cmd(),Paused,,3,0,0.0,1,0,1,0,0,1,0,0,0,0,0");
    expect(lines[2]).toBe("Brightlane Reviews,Active,,4,3,75.0,1,0,0,1,0,0,0,1,0,0,0");
  });

  it("sets compliance and incidents beside the previous 90 days, per partner and overall", async () => {
    const db = server.app.db;
    const summary = await trustSummary(db, compared());
    // Unchanged in the range; the 90 days before hold Brightlane's creative approved 100 days ago and its critical fraud incident.
    expect(summary.compliance).toEqual({ counted: 7, compliant: 3, rate: 3 / 7, partners: 2 });
    expect(summary.previous!.compliance).toEqual({ counted: 1, compliant: 1, rate: 1, partners: 1 });
    expect(summary.previous!.incidents).toMatchObject({ total: 1, partners: 1, bySeverity: { low: 0, medium: 0, high: 0, critical: 1 } });
    expect(summary.previous!.incidents.byKind.filter((k) => k.total > 0).map((k) => [k.kind, k.bySeverity.critical])).toEqual([["fraud", 1]]);

    const page = await trustPartners(db, compared(), 1);
    expect(page.rows.map((r) => [r.name, r.complianceRate, r.previous!.counted, r.previous!.complianceRate, r.previous!.incidents])).toEqual([
      ["Zed Deals", 0, 0, null, 0],
      ["Brightlane Reviews", 0.75, 1, 1, 1],
    ]);
    expect(page.rows[1]!.previous).toMatchObject({ bySeverity: { critical: 1, high: 0, medium: 0, low: 0 }, byKind: { fraud: 1 } });

    // A partner with an incident in the previous period only is listed too, after those with a rate.
    await incident(db, program.quiet.id, { severity: "low", kind: "data_issue", openedAt: daysAgo(120) });
    const withQuiet = await trustPartners(db, compared(), 1);
    expect(withQuiet.total).toBe(3);
    expect(withQuiet.rows.at(-1)).toMatchObject({ name: "Quiet Co", counted: 0, incidents: 0, previous: { incidents: 1, byKind: { data_issue: 1 } } });
    expect((await trustSummary(db, compared())).previous!.incidents).toMatchObject({ total: 2, partners: 2 });

    // Brightlane's creative approved 100 days ago stays compliant in the previous period when an incident points at it only later,
    // and is not when one pointed at it before that period ended.
    const [old] = await db
      .select({ id: creativeVersions.id })
      .from(creativeVersions)
      .where(eq(creativeVersions.decidedAt, daysAgo(100)));
    for (const [days, compliant] of [
      [50, 1],
      [95, 0],
    ] as const) {
      const flagged = await incident(db, program.brightlane.id, { severity: "low", kind: "other", openedAt: daysAgo(days) });
      await db.insert(incidentLinks).values({ incidentId: flagged.id, objectKind: "creative_version", objectId: old!.id, linkedAt: daysAgo(days) });
      expect((await trustSummary(db, compared())).previous!.compliance).toMatchObject({ counted: 1, compliant });
    }
  });

  it("sets coverage now beside the end of the previous period, recomputed as of then, and no health distribution then before a score was kept", async () => {
    const db = server.app.db;
    await refreshHealthScores(db, NOW);
    const summary = await trustSummary(db, compared());
    // The last millisecond of the previous period's last day, 90 days ago.
    expect(summary.previousEnd).toEqual(new Date(Date.parse(`${dayBefore(today, 89)}T00:00:00Z`) - 1));
    // Then: the guidelines were not published; Brightlane, Zed (paused only 2 days ago), Quiet and Gone (terminated 3 days ago)
    // were active, and only Brightlane had accepted the terms. Fresh Finds did not exist yet.
    expect(summary.coverage.map((c) => [c.title, c.covered, c.partners, c.previous])).toEqual([
      ["Program terms", 1, 2, { covered: 1, partners: 4, share: 0.25, current: true }],
      ["Brand guidelines", 0, 2, null],
    ]);
    // No daily snapshot yet: now's distribution, and none then rather than a made-up one.
    expect(summary.health).toEqual((await trustSummary(db, alone())).health);
    expect({ scored: summary.health.scored, notScored: summary.health.notScored, median: summary.health.median }).toEqual({
      scored: 3,
      notScored: 1,
      median: 25,
    });
    expect({ previousHealth: summary.previousHealth, healthKeptSince: summary.healthKeptSince }).toEqual({ previousHealth: null, healthKeptSince: null });
    expect(await trustSummary(db, alone())).toMatchObject({ previousHealth: null, healthKeptSince: null });
  });

  it("reads a pause that has ended from the audit trail, and counts a member removed since as a member then, in coverage and in a past score", async () => {
    const db = server.app.db;
    const end = new Date(Date.parse(`${dayBefore(today, 89)}T00:00:00Z`) - 1);
    // Quiet Co was paused from 100 to 50 days ago (its row no longer says so); Zed from 120 to 95 days ago.
    const pause = (orgId: string, action: "partner.paused" | "partner.resumed", at: Date) =>
      recordAudit(db, {
        actor: { id: null, label: "ada@brand.test" },
        action,
        subjectType: "partner_organisation",
        subjectId: orgId,
        partnerOrgId: orgId,
        data: {},
        at,
      });
    await pause(program.quiet.id, "partner.paused", daysAgo(100));
    await pause(program.zed.id, "partner.paused", daysAgo(120));
    await pause(program.zed.id, "partner.resumed", daysAgo(95));
    await pause(program.quiet.id, "partner.resumed", daysAgo(50));
    // A Brightlane member who never accepted the terms, removed 10 days ago: Brightlane was not covered then, and is now.
    const leaver = await member(db, program.brightlane.id, "member");
    await db
      .update(users)
      .set({ status: "disabled", disabledAt: daysAgo(10) })
      .where(eq(users.id, leaver.id));
    const summary = await trustSummary(db, compared());
    expect(summary.coverage.map((c) => [c.title, c.covered, c.partners, c.previous?.covered ?? null, c.previous?.partners ?? null])).toEqual([
      ["Program terms", 1, 2, 0, 3],
      ["Brand guidelines", 0, 2, null, null],
    ]);
    // Brightlane as of then: clicks 15, conversion rate 5 % (15), 1 of 1 creative (20), the critical incident (0), and the terms
    // overdue 160 days because of the leaver (0): 50 of 80. Without the leaver they were accepted: 70 of 80, 88.
    expect(await partnerHealth(db, program.brightlane.id, end)).toMatchObject({ scored: true, total: 63 });
    await db
      .update(users)
      .set({ disabledAt: daysAgo(100) })
      .where(eq(users.id, leaver.id));
    expect(await partnerHealth(db, program.brightlane.id, end)).toMatchObject({ scored: true, total: 88 });
  });

  it("exports each table with the previous period's columns when compared, and without them for compare=none", async () => {
    const db = server.app.db;
    await refreshHealthScores(db, NOW);
    const partners = csvLines((await trustPartnersCsv(db, compared())).csv);
    expect(partners[0]!.startsWith('Partner,Status,Health score,Creatives decided,"Creatives decided, previous period","Creatives decided, change (%)",')).toBe(
      true,
    );
    expect(partners[0]!.endsWith(',Other,"Other, previous period","Other, change (%)"')).toBe(true);
    // A fall starts with a minus, which the CSV escapes as it would a formula.
    expect(partners[2]).toBe(
      "Brightlane Reviews,Active,72,4,1,300.0,3,1,200.0,75.0,100.0,'-25.0,1,1,0.0,0,1,'-100.0,0,0,,1,0,,0,0,,0,0,,0,0,,1,0,,0,0,,0,1,'-100.0,0,0,",
    );

    const incidents = csvLines(await trustCsv(db, "incidents", compared()));
    expect(incidents[0]).toBe(
      'Kind,Critical,"Critical, previous period","Critical, change (%)",High,"High, previous period","High, change (%)",Medium,"Medium, previous period","Medium, change (%)",Low,"Low, previous period","Low, change (%)",Total,"Total, previous period","Total, change (%)"',
    );
    expect(incidents.at(-1)).toBe("All kinds,0,1,'-100.0,1,0,,1,0,,0,0,,2,1,100.0");
    expect(csvLines(await trustCsv(db, "incidents", alone())).at(-1)).toBe("All kinds,0,1,1,0,2");

    const coverage = csvLines(await trustCsv(db, "coverage", compared()));
    expect(coverage[0]).toBe(
      'Policy,Required,Version,Current,Material,Published (UTC),Active partners covered,"Active partners covered, end of previous period","Active partners covered, change (%)",Active partners,"Active partners, end of previous period","Active partners, change (%)",Coverage (%),"Coverage (%), end of previous period","Coverage (%), change (%)"',
    );
    expect(coverage[1]).toBe(`Program terms,yes,1,yes,yes,${program.terms.version.publishedAt!.toISOString()},1,1,0.0,2,4,'-50.0,50.0,25.0,100.0`);
    // Not published yet at the end of the previous period: nothing to set beside it.
    expect(coverage[2]).toBe(`Brand guidelines,yes,1,yes,yes,${program.guidelines.version.publishedAt!.toISOString()},0,,,2,,,0.0,,`);
    expect(csvLines(await trustCsv(db, "coverage", alone()))[1]).toBe(
      `Program terms,yes,1,yes,yes,${program.terms.version.publishedAt!.toISOString()},1,2,50.0`,
    );

    // No score kept at the end of the previous period: its columns are there and empty.
    const health = csvLines(await trustCsv(db, "health", compared()));
    expect(health[0]).toBe('Health score,Partners,"Partners, end of previous period","Partners, change (%)"');
    expect(health.slice(1, 3)).toEqual(["0–9,0,,", "10–19,1,,"]);
    expect(health.at(-1)).toBe("Not scored,1,,");
    const healthAlone = csvLines(await trustCsv(db, "health", alone()));
    expect(healthAlone[0]).toBe("Health score,Partners");
    expect(healthAlone.slice(1, 3)).toEqual(["0–9,0", "10–19,1"]);
    expect(healthAlone.at(-1)).toBe("Not scored,1");
  });
});

describe("the daily health snapshots", () => {
  /** A partner's score as housekeeping would have kept it on `day`, five minutes into the day. */
  const kept = (db: Db, orgId: string, day: string, score: number | null) =>
    db.insert(partnerHealthSnapshots).values({ day, partnerOrganisationId: orgId, score, computedAt: new Date(`${day}T00:05:00Z`) });
  const snapshots = (db: Db) =>
    db.select().from(partnerHealthSnapshots).orderBy(asc(partnerHealthSnapshots.day), asc(partnerHealthSnapshots.partnerOrganisationId));
  const figures = (d: Awaited<ReturnType<typeof healthDistribution>>) =>
    d && {
      scored: d.scored,
      notScored: d.notScored,
      median: d.median,
      buckets: d.buckets.filter((b) => b.partners > 0).map((b) => [b.label, b.partners]),
      bands: d.bands.map((b) => [b.band, b.partners]),
    };

  it("are kept by housekeeping once a day, one row per partner not terminated from the scores just refreshed, and never twice", async () => {
    const app = server.app;
    await runHousekeeping(app);
    const first = await snapshots(app.db);
    const rows = await app.db.select().from(partnerOrganisations);
    // Every partner but Gone Ltd (terminated), with the score and time the refresh has just stored.
    expect(first.map((r) => r.partnerOrganisationId).sort()).toEqual(
      rows
        .filter((o) => o.status !== "terminated")
        .map((o) => o.id)
        .sort(),
    );
    for (const r of first) {
      const org = rows.find((o) => o.id === r.partnerOrganisationId)!;
      expect(r).toMatchObject({ day: today, score: org.healthScore, computedAt: org.healthScoredAt });
    }
    expect(first.find((r) => r.partnerOrganisationId === program.brightlane.id)!.score).toBe(72);
    expect(first.find((r) => r.partnerOrganisationId === program.fresh.id)!.score).toBeNull();

    // The day's later runs refresh the scores again and keep nothing more: the rows still carry the first run's times.
    await runHousekeeping(app);
    expect(await snapshots(app.db)).toEqual(first);

    // The next day, two instances at once: one row per partner between them.
    const tomorrow = new Date(NOW.getTime() + DAY);
    const both = await Promise.all([keepHealthSnapshot(app.db, tomorrow), keepHealthSnapshot(app.db, tomorrow)]);
    expect(both[0].written + both[1].written).toBe(first.length);
    expect((await snapshots(app.db)).filter((r) => r.day === dayBefore(today, -1))).toHaveLength(first.length);
    expect(await keepHealthSnapshot(app.db, tomorrow)).toEqual({ written: 0, deleted: 0 });
  });

  it("are kept for 800 days", async () => {
    const db = server.app.db;
    await kept(db, program.quiet.id, dayBefore(today, 801), 40);
    await kept(db, program.quiet.id, dayBefore(today, 800), 41);
    await kept(db, program.quiet.id, dayBefore(today, 799), 42);
    expect(await keepHealthSnapshot(db, NOW)).toMatchObject({ deleted: 1 });
    expect((await snapshots(db)).filter((r) => r.day < today).map((r) => r.score)).toEqual([41, 42]);
  });

  it("give the distribution at the end of the previous period: each partner's latest kept score of the week up to it, for the partners not terminated then", async () => {
    const db = server.app.db;
    await refreshHealthScores(db, NOW);
    const end = dayBefore(today, 90);
    // Kept on the previous period's last day: Brightlane 80, Zed 40 (99 three days before: the later one counts), Quiet not scored,
    // and Gone Ltd 90: terminated 3 days ago, so a partner then.
    await kept(db, program.brightlane.id, end, 80);
    await kept(db, program.zed.id, dayBefore(end, 3), 99);
    await kept(db, program.zed.id, end, 40);
    await kept(db, program.quiet.id, end, null);
    await kept(db, program.gone.id, end, 90);
    // After the end: not then.
    await kept(db, program.brightlane.id, dayBefore(end, -1), 10);
    // Fresh Finds' only score is 10 days before the end: too old to stand for it.
    await kept(db, program.fresh.id, dayBefore(end, 10), 55);
    // A partner terminated before the end, kept two days before it: not a partner then.
    const ended = await createPartnerOrg(db, "Ended Co", { status: "terminated", activatedAt: daysAgo(300), terminatedAt: daysAgo(91) });
    await kept(db, ended.id, dayBefore(end, 2), 70);
    // A partner that joined after the end: kept only since.
    const late = await createPartnerOrg(db, "Late Co", { status: "active", activatedAt: daysAgo(30), createdAt: daysAgo(31) });
    await kept(db, late.id, dayBefore(today, 30), 60);
    await kept(db, late.id, dayBefore(today, 29), 60);

    const summary = await trustSummary(db, compared());
    const then = {
      scored: 3,
      notScored: 1,
      median: 80,
      buckets: [
        ["40–49", 1],
        ["80–89", 1],
        ["90–100", 1],
      ],
      bands: [
        ["strong", 2],
        ["fair", 0],
        ["at_risk", 1],
      ],
    };
    expect(figures(summary.previousHealth)).toEqual(then);
    expect(summary.previousHealth!.scoredAt).toEqual(new Date(`${end}T00:05:00Z`));
    expect(summary.healthKeptSince).toBe(dayBefore(end, 10));
    expect(figures(await healthDistribution(db, summary.previousEnd!))).toEqual(then);
    // Now's distribution is the stored scores, as without a comparison (Late Co is now's too).
    expect(summary.health).toEqual((await trustSummary(db, alone())).health);
    expect(await trustSummary(db, alone())).toMatchObject({ previousHealth: null, healthKeptSince: null });

    // A week after the end, only Brightlane's row from the day after it is within the week.
    expect(figures(await healthDistribution(db, new Date(`${dayBefore(end, -7)}T23:59:59.999Z`)))).toMatchObject({ scored: 1, median: 10 });
    // Eight days after, none is: no figure rather than an old one.
    expect(await healthDistribution(db, new Date(`${dayBefore(end, -8)}T23:59:59.999Z`))).toBeNull();
    // Before a day's snapshot was taken, that day's does not count.
    expect(figures(await healthDistribution(db, new Date(`${end}T00:04:00Z`)))).toMatchObject({ scored: 1, median: 99 });

    const csv = csvLines(await trustCsv(db, "health", compared()));
    expect(csv[0]).toBe('Health score,Partners,"Partners, end of previous period","Partners, change (%)"');
    // Now: Zed 19, Quiet 25, Brightlane 72, Late Co (no data) and Fresh not scored.
    expect(csv.slice(1)).toEqual([
      "0–9,0,0,",
      "10–19,1,0,",
      "20–29,1,0,",
      "30–39,0,0,",
      "40–49,0,1,'-100.0",
      "50–59,0,0,",
      "60–69,0,0,",
      "70–79,1,0,",
      "80–89,0,1,'-100.0",
      "90–100,0,1,'-100.0",
      "Not scored,2,1,100.0",
    ]);
  });

  it("say on the page, beside now's, what was kept at the end of the previous period, or since when scores are kept", async () => {
    const db = server.app.db;
    await refreshHealthScores(db, NOW);
    const analyst = await signedIn(server.app, { role: "analyst" });
    const page = async (path: string) => (await (await get(server, path, { Cookie: analyst.cookie })).text()).replaceAll("<!-- -->", "");
    // Only today's snapshot: nothing kept as early as the end of the previous period.
    await keepHealthSnapshot(db, NOW);
    const gap = await page("/admin/reports/trust?range=90d");
    expect(gap).toContain(`No scores were kept before ${formatDate(`${today}T00:00:00Z`)}, so the distribution at the end of`);
    expect(gap).not.toContain("Partners at the end of");

    server.app.reportCache.clear();
    const end = dayBefore(today, 90);
    await kept(db, program.brightlane.id, end, 80);
    await kept(db, program.zed.id, end, 40);
    const html = await page("/admin/reports/trust?range=90d");
    expect(html).not.toContain("No scores were kept before");
    // Fair: Brightlane now (72), Brightlane then (80 is strong): 1, was 0.
    expect(html).toMatch(/<p class="stat__label">Fair<\/p><p class="stat__value">1<span class="report-cell__previous">was 0<\/span><\/p>/);
    expect(html).toMatch(/<p class="stat__label">Median score<\/p><p class="stat__value">25<span class="report-cell__previous">was 60 · /);
    // The chart's table view has now's and then's columns.
    expect(html).toContain(`Partners at the end of ${formatDate(`${end}T00:00:00Z`)}`);
    expect(html).toContain("as housekeeping kept it once a day");

    const none = await page("/admin/reports/trust?range=90d&compare=none");
    expect(none).not.toContain("Partners at the end of");
    expect(none).not.toContain("No scores were kept");
  });
});

describe("the pages", () => {
  const text = async (path: string, cookie: string) => {
    const response = await get(server, path, { Cookie: cookie });
    return { status: response.status, html: (await response.text()).replaceAll("<!-- -->", "") };
  };

  it("shows the partner page's score, components and monthly trend to the brand team", async () => {
    const analyst = await signedIn(server.app, { role: "analyst" });
    const { status, html } = await text(`/admin/partners/${program.brightlane.id}`, analyst.cookie);
    expect(status).toBe(200);
    expect(html).toContain("Health score 72: see its components");
    for (const part of [
      "240 clicks from people in the last 90 days.",
      "3 of 4 creatives decided were approved without changes and no incident.",
      "1 medium (−4) in the last 90 days.",
      "1 of 2 policies accepted; Brand guidelines overdue 10 days.",
    ]) {
      expect(html).toContain(part);
    }
    expect(html).toContain("Health score by month as a table");
  });

  it("shows a partner its own score, counting only incidents shared with it, and no other organisation's", async () => {
    const cookie = await sessionCookieFor(server.app, program.brightlaneOwner.id);
    const { status, html } = await text("/partner", cookie);
    expect(status).toBe(200);
    expect(html).toContain("Your health score");
    // The medium incident is internal: 23 + (15 + 10) + 13 + 15.
    expect(html).toContain('health-summary__number tabular">76<');
    expect(html).not.toContain("1 medium");
    expect(html).not.toContain("Zed Deals");
    expect((await text(`/admin/partners/${program.zed.id}`, cookie)).status).toBe(404);
  });

  it("gives a partner its Reports → Health tab: score, components with what to do, the trend, and audited CSVs of its own organisation", async () => {
    const cookie = await sessionCookieFor(server.app, program.brightlaneOwner.id);
    // An id of another organisation in the address changes nothing: the session's is read.
    const { status, html } = await text(`/partner/reports/health?organisationId=${program.zed.id}&partnerId=${program.zed.id}`, cookie);
    expect(status).toBe(200);
    expect(html).toContain('<p class="stat__value"><span class="tabular">76 / 100</span></p>');
    expect(html).toContain("3 of 4 creatives decided were approved without changes and no incident.");
    expect(html).not.toContain("1 medium");
    expect(html).not.toContain("Zed Deals");
    // Advice for the parts short of their points, none for the full ones.
    expect(html).toContain("Upload a new version within 2 days of a request for changes to score in full");
    expect(html).toContain("Every active member of your team must accept the current version of each required policy.");
    expect(html).not.toContain("Each incident opened in the last 90 days costs points");

    const components = await get(server, `/partner/reports/health.csv?table=components&organisationId=${program.zed.id}`, { Cookie: cookie });
    expect(components.status).toBe(200);
    expect(
      (await components.text())
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n"),
    ).toEqual([
      "Component,Part,Points,Out of,What it counted",
      "Performance,Clicks,11,15,240 clicks from people in the last 90 days.",
      "Performance,Conversion rate,12,15,6 conversions from 240 clicks: 2.5 %.",
      "Compliance,Creatives approved as submitted,15,20,3 of 4 creatives decided were approved without changes and no incident.",
      "Compliance,Incidents,10,10,No incidents in the last 90 days.",
      "Responsiveness,Time to act on requested changes,13,20,2 requests answered in 2.7 days (median); 1 request waiting for 12 days at most.",
      "Policy currency,Required policies accepted,15,20,1 of 2 policies accepted; Brand guidelines overdue 10 days.",
      "Total,,76,100,Strong",
    ]);
    const trend = (await (await get(server, "/partner/reports/health.csv?table=trend", { Cookie: cookie })).text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(trend[0]).toBe("Month,Score,As of");
    expect(trend).toHaveLength(7);
    expect(trend[6]).toMatch(new RegExp(`^${today.slice(0, 7)},76,${today}T`));
    expect((await get(server, "/partner/reports/health.csv?table=partners", { Cookie: cookie })).status).toBe(400);

    const events = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "reports.exported"));
    const tableOf = (data: unknown) => (data as { table: string }).table;
    events.sort((a, b) => tableOf(a.data).localeCompare(tableOf(b.data)));
    expect(events.map((e) => [e.actorId, e.partnerOrgId, e.subjectId, e.data])).toEqual([
      [program.brightlaneOwner.id, program.brightlane.id, "report:partner-health", { report: "partner-health", table: "components" }],
      [program.brightlaneOwner.id, program.brightlane.id, "report:partner-health", { report: "partner-health", table: "trend" }],
    ]);
  });

  it("reports Brand & trust for a range with its tables, and audits each CSV export", async () => {
    await refreshHealthScores(server.app.db, NOW);
    await server.app.db.update(partnerOrganisations).set({ name: "@SUM(1)" }).where(eq(partnerOrganisations.id, program.zed.id));
    const analyst = await signedIn(server.app, { role: "analyst" });
    const { status, html } = await text("/admin/reports/trust?range=90d", analyst.cookie);
    expect(status).toBe(200);
    expect(html).toContain("3 of 7 creatives approved as submitted, with no incident");
    expect(html.indexOf(">@SUM(1)</a>")).toBeLessThan(html.indexOf(">Brightlane Reviews</a>"));
    expect(html).toContain("Share of active partners covered, per policy version");
    // Beside the 90 days before (the default): the compliance rate fell from 1 of 1.
    expect(html).toContain('42.9 %<span class="report-cell__previous">was 100.0 % · <span class="change--down">−57.1 %</span></span>');
    expect(html).toContain("Incidents by kind beside the previous period");
    expect(html).toContain("was 1 of 4 (25.0 %) · ");
    expect(html).toContain("not published yet at the end of");
    expect(html).toContain("recomputed from what the records keep");
    expect(html).toContain("No scores have been kept yet (housekeeping keeps every partner&#x27;s score once a day), so the distribution at the end of");

    const alone = await text("/admin/reports/trust?range=90d&compare=none", analyst.cookie);
    expect(alone.status).toBe(200);
    expect(alone.html).toContain("3 of 7 creatives approved as submitted, with no incident");
    expect(alone.html).not.toContain("report-cell__previous");
    expect(alone.html).not.toContain("Incidents by kind beside the previous period");
    expect(alone.html).not.toContain("recomputed from what the records keep");
    expect(alone.html).not.toContain("No scores have been kept yet");

    const response = await get(server, "/admin/reports/trust.csv?table=partners&range=90d&compare=none", { Cookie: analyst.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="trust-partners-/);
    const csv = await response.text();
    expect(csv).toContain("'@SUM(1),Paused,19,3,0,0.0,1");
    const coverage = await (await get(server, "/admin/reports/trust.csv?table=coverage&range=90d", { Cookie: analyst.cookie })).text();
    expect(coverage).toContain("Program terms,yes,1,yes,yes,");
    expect(coverage).toContain(",1,1,0.0,2,4,'-50.0,50.0,25.0,100.0");
    const events = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "reports.exported"));
    expect(events.map((e) => (e.data as { table: string }).table).sort()).toEqual(["coverage", "partners"]);
    expect(events[0]).toMatchObject({ actorId: analyst.id, subjectId: "report:trust" });

    expect((await get(server, "/admin/reports/trust.csv?table=nonsense&range=90d", { Cookie: analyst.cookie })).status).toBe(400);
    expect((await text("/admin/reports/trust?range=custom&from=2026-02-30&to=x", analyst.cookie)).status).toBe(400);
  });
});
