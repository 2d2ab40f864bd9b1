import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import {
  applications,
  assets,
  claims,
  conversionDaily,
  conversionRefunds,
  conversions,
  coupons,
  creativeFiles,
  creatives,
  creativeVersionFiles,
  creativeVersions,
  creativeComments,
  incidentEvents,
  incidents,
  linkClickDaily,
  notifications,
  reviewStages,
  partnerHealthSnapshots,
  partnerOrganisations,
  policyAcceptances,
  policyVersions,
  userTokens,
  users,
  webhookDeliveries,
  webhookEndpoints,
} from "#db/schema/index";
import { gateOf, policyStandingFor } from "~/domain/policies/acceptance.server";
import { listClaimsForPartner } from "~/domain/claims/claims.server";
import { listAssetsForPartner } from "~/domain/assets/visibility.server";
import { listKitsForPartner } from "~/domain/assets/kits.server";
import { CREATIVE_STATUSES } from "~/domain/creatives/catalog";
import { prescreenCreative } from "~/domain/creatives/prescreen-run.server";
import { currentRuleSet } from "~/domain/creatives/rules.server";
import { linksOfOrganisation } from "~/domain/links/queries.server";
import { incidentForPartner } from "~/domain/incidents/queries.server";
import { presetRange, previousPeriod } from "~/domain/reports/range.server";
import { trustSummary } from "~/domain/reports/trust.server";
import { seedDemo } from "#db/seed/demo";
import { DEMO_NOTIFIED } from "#db/seed/demo-notifications";
import { unreadCount } from "~/domain/notifications/notify.server";
import { verifyAuditChain } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import type { Database } from "~/lib/db.server";
import { createTestDatabase } from "../support/db";
import { createTestContext } from "../support/context";

let database: Database;
let app: AppContext;
let firstSeeding: { created: boolean };
beforeAll(async () => {
  database = await createTestDatabase();
  app = createTestContext(database.db);
  firstSeeding = await seedDemo(app);
});
afterAll(() => database.close());

describe("the demo program", () => {
  it("has applications in every state, made through the domain, on an intact audit trail; seeding twice changes nothing", async () => {
    expect(firstSeeding).toEqual({ created: true });
    const rows = await database.db.select().from(applications);
    const byStatus = (status: string) => rows.filter((r) => r.status === status).length;
    expect({
      submitted: byStatus("submitted"),
      info_requested: byStatus("info_requested"),
      approved: byStatus("approved"),
      rejected: byStatus("rejected"),
    }).toEqual({
      submitted: 4,
      info_requested: 1,
      approved: 1,
      rejected: 1,
    });
    expect(rows.some((r) => r.flagCodes.includes("disposable_email"))).toBe(true);
    const orgs = await database.db.select().from(partnerOrganisations);
    expect(orgs.map((o) => o.slug).sort()).toEqual(["brightpath-reviews", "northwind-media", "solstice-creators"]);
    const owners = (await database.db.select().from(userTokens)).filter((t) => t.partnerRole === "owner");
    expect(owners).toHaveLength(1);

    // Policies: four published, Northwind's owner accepted (active), a minor update asks her; others meet the gate.
    expect((await database.db.select().from(policyVersions)).map((v) => v.status)).toEqual(Array(5).fill("published"));
    expect(await database.db.select().from(policyAcceptances)).toHaveLength(4);
    const northwind = orgs.find((o) => o.slug === "northwind-media")!;
    const [activated] = await database.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, northwind.id));
    expect(activated).toMatchObject({ status: "active" });
    const gateFor = async (email: string) => {
      const [user] = await database.db.select().from(users).where(eq(users.email, email));
      return gateOf(await policyStandingFor(database.db, user!.id));
    };
    expect(await gateFor("owner@northwind.test")).toMatchObject({ blocked: false, updates: 1 });
    expect(await gateFor("member@northwind.test")).toMatchObject({ blocked: true, blocking: 4 });
    expect(await gateFor("owner@brightpath.test")).toMatchObject({ blocked: true });
    // Claims: four approved, one draft, one retired; Northwind sees the ones for its channels and regions.
    const claimRows = await database.db.select().from(claims);
    expect(claimRows.map((c) => c.status).sort()).toEqual(["approved", "approved", "approved", "approved", "draft", "retired"]);
    const visible = await listClaimsForPartner(app, northwind.id);
    expect(visible.claims.length).toBeGreaterThanOrEqual(3);
    // Assets: two logos, two images (one for strategic partners only), a guideline page; Northwind (strategic) sees all five.
    expect((await database.db.select().from(assets)).map((a) => a.kind).sort()).toEqual(["guideline", "image", "image", "logo", "logo"]);
    expect((await listAssetsForPartner(database.db, northwind.id, {}, app.clock.now())).rows).toHaveLength(5);
    expect(await listKitsForPartner(database.db, northwind.id, app.clock.now())).toMatchObject([{ name: "Starter kit", files: 4 }]);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
    const creativeCount = (await database.db.select().from(creatives)).length;
    expect(await seedDemo(app)).toEqual({ created: false });
    expect(await database.db.select().from(applications)).toHaveLength(rows.length);
    expect(await database.db.select().from(creatives)).toHaveLength(creativeCount);
  });

  it("has creatives in every state, submitted through the real pre-screen, with their versions and stored files", async () => {
    const db = database.db;
    const rows = await db.select().from(creatives);
    const versions = await db.select().from(creativeVersions);
    const files = await db.select().from(creativeFiles);
    const versionFiles = await db.select().from(creativeVersionFiles);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(CREATIVE_STATUSES.map((s) => s.value)));

    // The brand's domain is allowlisted (the defaults allow none), so clean creatives pass.
    expect(await currentRuleSet(db)).toMatchObject({ version: 1, rules: { allowedDomains: ["lumen.test"] } });
    expect(versions.every((v) => v.ruleSetVersion === 1)).toBe(true);

    // Findings come from the real pre-screen: submitting refuses errors, so no version has one; some carry warnings, some none.
    expect(versions.flatMap((v) => v.findings).filter((f) => f.severity === "error")).toEqual([]);
    expect(versions.some((v) => v.findings.some((f) => f.code === "possible_unapproved_claim" && f.severity === "warning"))).toBe(true);
    expect(versions.some((v) => v.findings.length === 0)).toBe(true);

    for (const creative of rows.filter((r) => r.status !== "draft")) {
      const own = versions.filter((v) => v.creativeId === creative.id);
      expect(own.map((v) => v.number)).toEqual([creative.latestVersion]);
      expect(creative.submittedAt).not.toBeNull();
      expect(files.filter((f) => f.creativeId === creative.id).length).toBeGreaterThanOrEqual(1);
      expect(versionFiles.filter((vf) => vf.versionId === own[0]!.id).length).toBeGreaterThanOrEqual(1);
      expect(creative.decidedAt !== null).toBe(["changes_requested", "approved", "rejected", "revoked"].includes(creative.status));
    }

    // The review went through the decision functions: stages with due times, an overdue one, legal's turn, two people on an approval.
    const stages = await db.select().from(reviewStages);
    const now = app.clock.now();
    const open = stages.filter((st) => st.status === "pending");
    expect(open.some((st) => st.stage === "brand" && st.dueAt! < now && st.assigneeId === null)).toBe(true);
    expect(open.some((st) => st.stage === "brand" && st.dueAt! < now && st.assigneeId !== null)).toBe(true);
    expect(open.some((st) => st.stage === "legal" && st.dueAt! > now)).toBe(true);
    const approved = rows.find((r) => r.status === "approved")!;
    const approvals = stages.filter((st) => st.creativeId === approved.id && st.status === "approved");
    expect(approvals.map((st) => st.stage).sort()).toEqual(["brand", "legal"]);
    expect(new Set(approvals.map((st) => st.decidedById)).size).toBe(2);
    expect(rows.find((r) => r.status === "revoked")!.revokedReason).toMatch(/discontinued/);
    expect(await db.select().from(creativeComments)).toHaveLength(1);
    const withdrawn = rows.find((r) => r.status === "withdrawn")!;
    expect(withdrawn.withdrawnReason).toMatch(/spring issue/);

    // Changes requested: version 1 as submitted, and the partner's working copy of version 2 (new wording, one more file).
    const changes = rows.find((r) => r.status === "changes_requested")!;
    const [v1] = versions.filter((v) => v.creativeId === changes.id);
    expect(v1!.copy).toContain("Cheapest");
    expect(changes.copy).not.toBe(v1!.copy);
    expect(files.filter((f) => f.creativeId === changes.id)).toHaveLength(versionFiles.filter((vf) => vf.versionId === v1!.id).length + 1);

    // A draft still holds a pre-screen error: organic social without a disclosure.
    const drafts = rows.filter((r) => r.status === "draft");
    const screenings = await Promise.all(
      drafts.map(async (d) =>
        prescreenCreative(
          db,
          d,
          files.filter((f) => f.creativeId === d.id),
          app.clock.now(),
        ),
      ),
    );
    expect(screenings.some((s) => s.findings.some((f) => f.code === "missing_disclosure" && f.severity === "error"))).toBe(true);

    // Every file (images and a PDF) was checked and stored like an upload: the object and its preview exist.
    expect(new Set(files.map((f) => f.kind))).toEqual(new Set(["image", "pdf"]));
    for (const file of files) {
      expect(file.previewKey).not.toBeNull();
      expect(await app.storage.head(file.storageKey)).toMatchObject({ size: file.byteSize });
      expect(await app.storage.head(file.previewKey!)).not.toBeNull();
    }
    expect(files.filter((f) => f.kind === "image").every((f) => f.width === 1200 && f.height === 1200)).toBe(true);
  });

  it("gives Northwind live links with a few weeks of clicks, counted by the recorder's own writer", async () => {
    const db = database.db;
    const [northwind] = await db.select().from(partnerOrganisations).where(eq(partnerOrganisations.slug, "northwind-media"));
    const links = await linksOfOrganisation(db, northwind!.id, 1, app.clock.now());
    // The approved and the revoked creative's links (issued by their approvals) and two evergreen links, one disabled by the brand.
    expect(links.rows.map((l) => `${l.kind}:${l.status}`).sort()).toEqual(["creative:active", "creative:active", "evergreen:active", "evergreen:disabled"]);
    expect(links.rows.every((l) => l.code.length === 8)).toBe(true);
    const daily = await db.select().from(linkClickDaily).where(eq(linkClickDaily.organisationId, northwind!.id));
    expect(new Set(daily.map((d) => d.day)).size).toBeGreaterThanOrEqual(21);
    const sum = (pick: (d: (typeof daily)[number]) => number) => daily.reduce((total, d) => total + pick(d), 0);
    expect(sum((d) => d.clicks)).toBeGreaterThan(500);
    expect(sum((d) => d.botClicks)).toBeGreaterThan(0);
    expect(sum((d) => d.uniqueClicks)).toBeLessThan(sum((d) => d.clicks));
    expect(sum((d) => d.testClicks)).toBe(4);
    expect(sum((d) => d.fallbackClicks)).toBeGreaterThan(0);
    // Its first real click ended its time to onboard.
    expect(northwind!.firstLinkLiveAt).toBeInstanceOf(Date);
    expect(northwind!.timeToOnboardSeconds).toBeGreaterThan(0);
    expect(links.rows.some((l) => l.clicks.last7Days > 0)).toBe(true);
  });

  it("gives Northwind a few weeks of conversions through the domain: by click, by coupon, one unattributed, one refunded, rollups to match", async () => {
    const db = database.db;
    const [northwind] = await db.select().from(partnerOrganisations).where(eq(partnerOrganisations.slug, "northwind-media"));
    const rows = await db.select().from(conversions);
    const by = (kind: string) => rows.filter((r) => r.attributedBy === kind && !r.isTest);
    expect(by("click").length).toBeGreaterThanOrEqual(24);
    expect(by("coupon")).toHaveLength(2);
    expect(by("none")).toHaveLength(1);
    expect(by("none")[0]!.attributionNote).toEqual([{ kind: "coupon_unknown", code: "SPRINGSALE" }]);
    expect(rows.filter((r) => r.organisationId !== null).every((r) => r.organisationId === northwind!.id)).toBe(true);
    // Spread over the weeks of its clicks, each paid at its 12 % revenue share.
    expect(new Set(by("click").map((r) => r.occurredAt.toISOString().slice(0, 10))).size).toBeGreaterThanOrEqual(14);
    expect(by("click").every((r) => r.commissionModel === "revenue_share" && r.commissionRateBasisPoints === 1200 && r.commissionMinor > 0)).toBe(true);
    expect(await db.select({ code: coupons.code }).from(coupons)).toEqual([{ code: "NORTHWIND15" }]);
    const refunds = await db.select().from(conversionRefunds);
    expect(refunds).toHaveLength(1);
    expect(rows.find((r) => r.id === refunds[0]!.conversionId)!.refundedMinor).toBe(refunds[0]!.amountMinor);

    // The test order on Nora's test click validated Northwind's tracking; it is counted nowhere.
    const tests = rows.filter((r) => r.isTest);
    expect(tests).toHaveLength(1);
    expect(tests[0]).toMatchObject({ attributedBy: "click", commissionMinor: 0 });
    expect(northwind!.trackingValidatedAt).toBeInstanceOf(Date);

    // The rollups say what the conversions say.
    const counted = rows.filter((r) => !r.isTest && r.organisationId !== null);
    const daily = await db.select().from(conversionDaily);
    const total = (pick: (d: (typeof daily)[number]) => number) => daily.reduce((sum, d) => sum + pick(d), 0);
    expect(total((d) => d.conversions)).toBe(counted.length);
    expect(total((d) => d.revenueMinor)).toBe(counted.reduce((sum, r) => sum + r.amountMinor - r.refundedMinor, 0));
    expect(total((d) => d.commissionMinor)).toBe(counted.reduce((sum, r) => sum + r.commissionMinor - r.refundedCommissionMinor, 0));
    expect(total((d) => d.refundedMinor)).toBe(refunds[0]!.amountMinor);
  });

  it("has incidents: Solstice paused through the kill switch, which opened one; Northwind's shared with it, with a reply", async () => {
    const db = database.db;
    const orgs = await db.select().from(partnerOrganisations);
    const solstice = orgs.find((o) => o.slug === "solstice-creators")!;
    const northwind = orgs.find((o) => o.slug === "northwind-media")!;
    expect(solstice).toMatchObject({ status: "paused" });
    expect(northwind).toMatchObject({ status: "active" });
    const rows = await db.select().from(incidents);
    expect(rows.map((r) => [r.organisationId, r.source, r.sharedWithPartner]).sort()).toEqual(
      [
        [solstice.id, "kill_switch", false],
        [northwind.id, "staff", true],
      ].sort(),
    );
    const shared = rows.find((r) => r.organisationId === northwind.id)!;
    const seen = await incidentForPartner(db, northwind.id, shared.id);
    expect(seen.timeline.map((e) => e.kind)).toEqual(["opened", "note", "status_changed", "partner_reply"]);
    const all = await db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, shared.id));
    expect(all.some((e) => e.visibility === "internal" && e.kind === "note")).toBe(true);
  });

  it("keeps a daily health snapshot since the partners joined, so Brand & trust sets the last 30 days' distribution beside the 30 before", async () => {
    const db = database.db;
    const now = app.clock.now();
    const periods = (days: number) => {
      const current = presetRange(days === 30 ? "30d" : "90d", now);
      return { current, previous: previousPeriod(current) };
    };
    const month = await trustSummary(db, periods(30));
    expect(month.previousHealth).not.toBeNull();
    // Before the partners joined, 45 days ago, nothing was kept: the 90 days before the last 90 have no figure, and say since when.
    const quarter = await trustSummary(db, periods(90));
    expect(quarter.previousHealth).toBeNull();
    expect(quarter.healthKeptSince! > quarter.previousEnd!.toISOString()).toBe(true);
    expect(quarter.healthKeptSince! <= month.previousEnd!.toISOString()).toBe(true);
    // The seeding's own day is kept as housekeeping keeps it: every partner, Solstice (approved while seeding) too.
    const rows = await db.select().from(partnerHealthSnapshots);
    const lastDay = rows
      .map((r) => r.day)
      .sort()
      .at(-1);
    expect(rows.filter((r) => r.day === lastDay)).toHaveLength(3);
  });

  it("gives the admin and Northwind's owner notifications from what the seeding did, a few of them unread", async () => {
    const db = database.db;
    for (const email of DEMO_NOTIFIED) {
      const [person] = await db.select().from(users).where(eq(users.email, email));
      const rows = await db.select().from(notifications).where(eq(notifications.userId, person!.id));
      expect(rows.length, email).toBeGreaterThan(3);
      expect(
        rows.filter((n) => n.readAt === null),
        email,
      ).toHaveLength(3);
      expect(await unreadCount(db, person!.id)).toBe(3);
    }
    const [owner] = await db.select().from(users).where(eq(users.email, "owner@northwind.test"));
    const kinds = new Set((await db.select().from(notifications).where(eq(notifications.userId, owner!.id))).map((n) => n.kind));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["creative_decision", "link_disabled", "policy_published"]));
  });
});

describe("the demo's webhooks", () => {
  it("has an endpoint for the CRM with delivered deliveries and one that failed, none left for the worker to send", async () => {
    const endpoints = await database.db.select().from(webhookEndpoints);
    expect(endpoints).toMatchObject([{ url: "https://crm.lumen.example/hooks/cobrand", enabled: true, eventTypes: ["partner.*", "conversion.*"] }]);
    const deliveries = await database.db.select().from(webhookDeliveries);
    expect(deliveries.filter((d) => d.status === "delivered").length).toBeGreaterThanOrEqual(3);
    expect(deliveries.filter((d) => d.status === "dead")).toMatchObject([{ lastStatusCode: 503, attempts: 8 }]);
    expect(deliveries.every((d) => d.status === "delivered" || d.status === "dead")).toBe(true);
    expect(deliveries.every((d) => d.lastRequestHeaders?.["webhook-signature"]?.startsWith("v1,"))).toBe(true);
  });
});
