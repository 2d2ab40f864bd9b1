import { and, eq } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, creativeVersions, reviewStages } from "#db/schema/index";
import { previousPeriod } from "~/domain/reports/range.server";
import type { ReportRange } from "~/domain/reports/range";
import { WHOLE_PROGRAM } from "~/domain/reports/scope.server";
import { monthsOf, partnerWorkflowReport, workflowReport } from "~/domain/reports/workflow.server";
import { resetDatabase } from "../support/db";
import { createPartnerOrg, createUser, sessionCookieFor, signedIn } from "../support/context";
import { get, startTestServer, type TestServer } from "../support/http";
import { seedReviewCreative } from "../support/review-fixtures";

// The Workflow report (issue 18) from rows written here: medians and 90th
// percentiles (percentile_cont) by month and over the range, SLA breaches,
// first-pass and pre-screen rates, tracking validated before go-live; the
// page and its audited CSV; and the same measures on one partner's own rows
// (Partner → Reports → Review), without what only the brand reads.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const CURRENT = { from: "2025-03-01", to: "2025-04-30" };
const RANGE: ReportRange = { preset: "custom", current: CURRENT, previous: previousPeriod(CURRENT), days: 61 };
const QUERY = `range=custom&from=${CURRENT.from}&to=${CURRENT.to}`;
const at = (iso: string) => new Date(`${iso}Z`);
const HOUR = 3600;

let fixture: Awaited<ReturnType<typeof seedWorkflow>>;
beforeEach(async () => {
  await resetDatabase(server.app.db);
  fixture = await seedWorkflow();
});

/**
 * Launches: March 3 (onboard 72 h, approval to launch 48 h, validated the day
 * before), March 20 (300 h, 240 h, never validated), April 2 (48 h, 24 h,
 * validated after going live); February 11 in the previous period (480 h,
 * 240 h); one partner not live yet. Review: creative 1's version 1 approved
 * (brand 10 h within its SLA, legal 72 h past it); creative 2's version 1
 * sent back, version 2 approved by brand in 30 h (legal carried over from
 * version 1); creative 3 withdrawn. Pre-screen blocks: 0, 2, 0, 1.
 */
async function seedWorkflow() {
  const db = server.app.db;
  const launched = async (name: string, approved: string, live: string | null, onboardHours: number | null, validated: string | null) =>
    createPartnerOrg(db, name, {
      status: "active",
      onboardingStartedAt: at(approved),
      firstLinkLiveAt: live ? at(live) : null,
      timeToOnboardSeconds: onboardHours === null ? null : onboardHours * HOUR,
      trackingValidatedAt: validated ? at(validated) : null,
    });
  const first = await launched("One", "2025-03-01T00:00:00", "2025-03-03T00:00:00", 72, "2025-03-02T00:00:00");
  await launched("Two", "2025-03-10T00:00:00", "2025-03-20T00:00:00", 300, null);
  await launched("Three", "2025-04-01T00:00:00", "2025-04-02T00:00:00", 48, "2025-04-05T00:00:00");
  await launched("Four", "2025-02-01T00:00:00", "2025-02-11T00:00:00", 480, "2025-02-01T00:00:00");
  await launched("Five", "2025-04-20T00:00:00", null, null, null);

  const org = await createPartnerOrg(db, "Reviewed");
  const author = await createUser(db, { role: "partner", partnerOrgId: org.id });
  const version = (id: string, fields: Partial<typeof creativeVersions.$inferInsert>) =>
    db.update(creativeVersions).set(fields).where(eq(creativeVersions.id, id));
  const stage = (id: string, fields: Partial<typeof reviewStages.$inferInsert>) => db.update(reviewStages).set(fields).where(eq(reviewStages.id, id));

  const one = await seedReviewCreative(db, { organisationId: org.id, authorId: author.id, title: "One", stages: [{ stage: "brand" }, { stage: "legal" }] });
  await version(one.versions[0]!.id, { submittedAt: at("2025-03-04T00:00:00"), outcome: "approved", decidedAt: at("2025-03-08T10:00:00") });
  await stage(one.stageIds[0]!, {
    status: "approved",
    startedAt: at("2025-03-05T00:00:00"),
    decidedAt: at("2025-03-05T10:00:00"),
    dueAt: at("2025-03-07T00:00:00"),
  });
  await stage(one.stageIds[1]!, {
    status: "approved",
    startedAt: at("2025-03-05T10:00:00"),
    decidedAt: at("2025-03-08T10:00:00"),
    dueAt: at("2025-03-07T10:00:00"),
  });

  const two = await seedReviewCreative(db, {
    organisationId: org.id,
    authorId: author.id,
    title: "Two",
    versions: [{}, {}],
    stages: [{ stage: "brand" }, { stage: "legal" }],
  });
  await version(two.versions[0]!.id, {
    submittedAt: at("2025-03-15T00:00:00"),
    prescreenBlockedAttempts: 2,
    outcome: "changes_requested",
    decidedAt: at("2025-03-20T00:00:00"),
  });
  await version(two.versions[1]!.id, { submittedAt: at("2025-04-09T00:00:00"), outcome: "approved", decidedAt: at("2025-04-11T06:00:00") });
  await stage(two.stageIds[0]!, {
    status: "approved",
    startedAt: at("2025-04-10T00:00:00"),
    decidedAt: at("2025-04-11T06:00:00"),
    dueAt: at("2025-04-12T00:00:00"),
  });
  await stage(two.stageIds[1]!, { status: "approved", carriedFromVersion: 1, startedAt: at("2025-04-10T00:00:00"), decidedAt: at("2025-04-10T00:00:00") });

  const three = await seedReviewCreative(db, { organisationId: org.id, authorId: author.id, title: "Three", stages: [{ stage: "brand" }] });
  await version(three.versions[0]!.id, {
    submittedAt: at("2025-04-14T00:00:00"),
    prescreenBlockedAttempts: 1,
    outcome: "withdrawn",
    decidedAt: at("2025-04-15T00:00:00"),
  });
  await stage(three.stageIds[0]!, { status: "cancelled", startedAt: at("2025-04-14T00:00:00"), decidedAt: at("2025-04-15T00:00:00") });
  return { first, reviewed: org, author };
}

describe("workflow figures", () => {
  it("works out onboarding by month and over the range, beside the previous period", async () => {
    const report = await workflowReport(server.app.db, WHOLE_PROGRAM, RANGE, at("2025-05-01T00:00:00"));
    expect(report.months).toEqual(["2025-03", "2025-04"]);
    expect(report.onboarding.months).toEqual([
      { month: "2025-03", count: 2, medianHours: 186, p90Hours: expect.closeTo(277.2, 6) as number, flagged: 0, rate: 0 },
      { month: "2025-04", count: 1, medianHours: 48, p90Hours: 48, flagged: 0, rate: 0 },
    ]);
    expect(report.onboarding.current).toMatchObject({ count: 3, medianHours: 72, p90Hours: expect.closeTo(254.4, 6) as number });
    expect(report.onboarding.previous).toMatchObject({ count: 1, medianHours: 480, p90Hours: 480 });
    expect(report.launch.months.map((m) => [m.medianHours, m.p90Hours])).toEqual([
      [144, expect.closeTo(220.8, 6)],
      [24, 24],
    ]);
    expect(report.launch.current).toMatchObject({ count: 3, medianHours: 48, p90Hours: expect.closeTo(201.6, 6) as number });
    expect(report.tracking.months.map((m) => [m.count, m.flagged])).toEqual([
      [2, 1],
      [1, 0],
    ]);
    expect(report.tracking.current.rate).toBeCloseTo(1 / 3, 10);
    expect(report.tracking.previous).toMatchObject({ count: 1, flagged: 1, rate: 1 });
  });

  it("works out review cycle times, breaches and first-time rates", async () => {
    const report = await workflowReport(server.app.db, WHOLE_PROGRAM, RANGE, at("2025-05-01T00:00:00"));
    const [brand, legal] = report.stages;
    expect(brand!.figures.months.map((m) => [m.count, m.medianHours, m.flagged])).toEqual([
      [1, 10, 0],
      [1, 30, 0],
    ]);
    expect(brand!.figures.current).toMatchObject({ count: 2, medianHours: 20, p90Hours: expect.closeTo(28, 6) as number, flagged: 0 });
    expect(legal!.figures.current).toMatchObject({ count: 1, medianHours: 72, p90Hours: 72, flagged: 1, rate: 1 });
    expect(legal!.figures.months[1]).toMatchObject({ count: 0, medianHours: null, rate: null });
    expect(report.firstPass.months.map((m) => [m.count, m.flagged])).toEqual([
      [2, 1],
      [0, 0],
    ]);
    expect(report.firstPass.current.rate).toBe(0.5);
    expect(report.prescreen.months.map((m) => [m.count, m.flagged])).toEqual([
      [2, 1],
      [2, 1],
    ]);
    expect(report.prescreen.previous).toMatchObject({ count: 0, rate: null });
    expect(report.overdueNow).toBe(0);
  });

  it("lists every month a range touches", () => {
    expect(monthsOf({ from: "2024-11-15", to: "2025-02-01" })).toEqual(["2024-11", "2024-12", "2025-01", "2025-02"]);
    expect(monthsOf({ from: "2025-03-02", to: "2025-03-09" })).toEqual(["2025-03"]);
  });
});

describe("the Workflow page", () => {
  it("shows the figures to analysts and exports them, audited", async () => {
    const analyst = await signedIn(server.app, { role: "analyst" });
    const page = await get(server, `/admin/reports/workflow?${QUERY}`, { Cookie: analyst.cookie });
    expect(page.status).toBe(200);
    const doc = new JSDOM(await page.text()).window.document;
    const stats = [...doc.querySelectorAll(".stat")].map((s) => s.textContent);
    expect(stats).toContain("Time to onboard, median3.0 dayswas 20.0 days · −85.0 %Application to first live click");
    expect(stats).toContain("First-pass approval rate50.0 %was –1 of 2 first versions approved");
    expect(stats).toContain("Legal SLA breaches1was 0");
    expect(doc.querySelector('nav[aria-label="Reports"] a[aria-current="page"]')?.textContent).toBe("Workflow");

    const csv = await get(server, `/admin/reports/workflow.csv?table=review&${QUERY}`, { Cookie: analyst.cookie });
    expect(csv.status).toBe(200);
    const lines = (await csv.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines).toEqual([
      'Stage,Period,Decisions,"Cycle time, median (hours)","Cycle time, 90th percentile (hours)",SLA breaches,SLA breaches (%)',
      "Brand,2025-03,1,10.0,10.0,0,0.0",
      "Brand,2025-04,1,30.0,30.0,0,0.0",
      "Brand,Whole range 2025-03-01 to 2025-04-30,2,20.0,28.0,0,0.0",
      "Brand,Previous period 2024-12-30 to 2025-02-28,0,,,0,",
      "Legal,2025-03,1,72.0,72.0,1,100.0",
      "Legal,2025-04,0,,,0,",
      "Legal,Whole range 2025-03-01 to 2025-04-30,1,72.0,72.0,1,100.0",
      "Legal,Previous period 2024-12-30 to 2025-02-28,0,,,0,",
    ]);
    const [event] = await server.app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "reports.exported"), eq(auditEvents.actorId, analyst.id)));
    expect(event?.data).toMatchObject({ report: "workflow", table: "review", from: "2025-03-01", to: "2025-04-30" });
  });

  it("keeps a range it cannot use and says why, with a 400", async () => {
    const admin = await signedIn(server.app);
    const response = await get(server, "/admin/reports/workflow?range=custom&from=2019-01-01&to=2025-03-01", { Cookie: admin.cookie });
    expect(response.status).toBe(400);
    const doc = new JSDOM(await response.text()).window.document;
    expect(doc.querySelector("#field-to-error")?.textContent).toBe("A report covers at most 731 days; choose an end date closer to the start.");
    expect(doc.querySelector<HTMLInputElement>("#field-from")?.value).toBe("2019-01-01");
  });
});

describe("a partner's own Review report", () => {
  const now = at("2025-05-01T00:00:00");
  const none = { count: 0, medianHours: null, p90Hours: null };

  it("measures its own creatives' review, durations only: no SLA breaches", async () => {
    const report = await partnerWorkflowReport(server.app.db, fixture.reviewed.id, RANGE, now);
    expect(report.months).toEqual(["2025-03", "2025-04"]);
    const [brand, legal] = report.stages;
    expect(brand).toEqual({
      stage: "brand",
      label: "Brand",
      figures: {
        months: [
          { month: "2025-03", count: 1, medianHours: 10, p90Hours: 10 },
          { month: "2025-04", count: 1, medianHours: 30, p90Hours: 30 },
        ],
        current: { count: 2, medianHours: 20, p90Hours: expect.closeTo(28, 6) as number },
        previous: none,
      },
    });
    expect(legal!.figures.current).toEqual({ count: 1, medianHours: 72, p90Hours: 72 });
    expect(legal!.figures.months[1]).toEqual({ month: "2025-04", ...none });
    expect(report.firstPass.months.map((m) => [m.count, m.flagged])).toEqual([
      [2, 1],
      [0, 0],
    ]);
    expect(report.firstPass.current.rate).toBe(0.5);
    expect(report.prescreen.current).toMatchObject({ count: 4, flagged: 2, rate: 0.5 });
    expect(report.launch.current).toMatchObject({ count: 0, medianHours: null });
    expect(Object.keys(report).sort()).toEqual(["firstPass", "launch", "months", "prescreen", "stages", "tracking"]);
  });

  it("gives another partner its own launch and none of the other's review", async () => {
    const report = await partnerWorkflowReport(server.app.db, fixture.first.id, RANGE, now);
    expect(report.launch.current).toMatchObject({ count: 1, medianHours: 48, p90Hours: 48 });
    expect(report.launch.previous).toMatchObject({ count: 0 });
    expect(report.tracking.current).toMatchObject({ count: 1, flagged: 1, rate: 1 });
    expect(report.stages.map((s) => s.figures.current)).toEqual([none, none]);
    expect(report.firstPass.current.count).toBe(0);
    expect(report.prescreen.current.count).toBe(0);
  });

  it("shows the partner its figures and exports them, audited under its organisation", async () => {
    const cookie = await sessionCookieFor(server.app, fixture.author.id);
    const page = await get(server, `/partner/reports/review?${QUERY}`, { Cookie: cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    const doc = new JSDOM(html).window.document;
    const stats = [...doc.querySelectorAll(".stat")].map((s) => s.textContent);
    expect(stats).toContain("Brand review, median20.0 hwas –2 decided; 90th percentile 28.0 h");
    expect(stats).toContain("Legal review, median3.0 dayswas –1 decided; 90th percentile 3.0 days");
    expect(stats).toContain("First-pass approval rate50.0 %was –1 of 2 first versions approved");
    expect(stats).toContain("Pre-screen pass rate, first try50.0 %was –2 of 4 versions submitted");
    expect(doc.querySelector("main")!.textContent).not.toMatch(/SLA|[Bb]reach|[Oo]verdue/);
    expect(doc.querySelector('nav[aria-label="Reports"] a[aria-current="page"]')?.textContent).toBe("Review");

    const csv = await get(server, `/partner/reports/review.csv?table=review&${QUERY}`, { Cookie: cookie });
    expect(csv.status).toBe(200);
    expect(
      (await csv.text())
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n"),
    ).toEqual([
      'Stage,Period,Decisions,"Cycle time, median (hours)","Cycle time, 90th percentile (hours)"',
      "Brand,2025-03,1,10.0,10.0",
      "Brand,2025-04,1,30.0,30.0",
      "Brand,Whole range 2025-03-01 to 2025-04-30,2,20.0,28.0",
      "Brand,Previous period 2024-12-30 to 2025-02-28,0,,",
      "Legal,2025-03,1,72.0,72.0",
      "Legal,2025-04,0,,",
      "Legal,Whole range 2025-03-01 to 2025-04-30,1,72.0,72.0",
      "Legal,Previous period 2024-12-30 to 2025-02-28,0,,",
    ]);
    const [event] = await server.app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "reports.exported"), eq(auditEvents.actorId, fixture.author.id)));
    expect(event?.partnerOrgId).toBe(fixture.reviewed.id);
    expect(event?.data).toEqual({
      report: "partner-review",
      table: "review",
      from: "2025-03-01",
      to: "2025-04-30",
      compared_from: "2024-12-30",
      compared_to: "2025-02-28",
    });
  });

  it("reads the session's organisation, never one in the address", async () => {
    const outsider = await createUser(server.app.db, { role: "partner", partnerOrgId: fixture.first.id });
    const cookie = await sessionCookieFor(server.app, outsider.id);
    const r = fixture.reviewed.id;
    const csv = await get(server, `/partner/reports/review.csv?table=quality&${QUERY}&organisationId=${r}&partnerId=${r}`, { Cookie: cookie });
    expect(
      (await csv.text())
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n")
        .slice(1),
    ).toEqual([
      "2025-03,0,0,,0,0,",
      "2025-04,0,0,,0,0,",
      "Whole range 2025-03-01 to 2025-04-30,0,0,,0,0,",
      "Previous period 2024-12-30 to 2025-02-28,0,0,,0,0,",
    ]);
    const launch = await (await get(server, `/partner/reports/review.csv?table=launch&${QUERY}&organisationId=${r}`, { Cookie: cookie })).text();
    expect(launch).toContain("\r\nWhole range 2025-03-01 to 2025-04-30,1,48.0,48.0,1,100.0\r\n");
  });

  it("keeps a range it cannot use and says why, with a 400; an unknown table is a 400", async () => {
    const cookie = await sessionCookieFor(server.app, fixture.author.id);
    const response = await get(server, "/partner/reports/review?range=custom&from=2025-04-01&to=2025-03-01", { Cookie: cookie });
    expect(response.status).toBe(400);
    const doc = new JSDOM(await response.text()).window.document;
    expect(doc.querySelector("#field-to-error")?.textContent).toBe("The end date must be on or after the start date.");
    expect(doc.querySelector<HTMLInputElement>("#field-from")?.value).toBe("2025-04-01");
    expect((await get(server, `/partner/reports/review.csv?table=onboarding&${QUERY}`, { Cookie: cookie })).status).toBe(400);
  });
});
