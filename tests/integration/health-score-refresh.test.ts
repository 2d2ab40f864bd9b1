import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { approvalMatrices, creativeVersions, partnerOrganisations, type ApprovalRule } from "#db/schema/index";
import { submitCreative, updateCreativeDraft } from "~/domain/creatives/submissions.server";
import { linkObject, openIncident } from "~/domain/incidents/incidents.server";
import { partnerHealth, refreshPartnerHealth, storedHealth } from "~/domain/partners/health-score.server";
import { acceptPolicyVersion } from "~/domain/policies/acceptance.server";
import { decideStage, revokeApproval } from "~/domain/review/decisions.server";
import { DEFAULT_MATRIX } from "~/domain/review/matrix";
import { creativeDraft, creativePartner, CREATIVE_ORIGIN, submittedCreative, type CreativePartner } from "../support/creatives";
import { publishPolicy, reviewerActor, signedIn } from "../support/context";
import { startTestServerPerFile } from "../support/http";

// The stored health score (partner_organisations.health_score, which the
// directory sorts by) after each state change that moves it: review decisions,
// revocation, resubmission, approval at submission, policy acceptance and an
// incident linked to a creative. Each transition rewrites it in its own
// transaction, so it equals the score the partner page computes fresh. Runs on
// PGlite and, with TEST_DATABASE_URL, on PostgreSQL.

const { app, clock } = await startTestServerPerFile();

const DAY = 86_400_000;

/** A score no rubric gives: left on the row before a transition, it shows whether the transition rewrote the row. */
const STALE = 101;

async function markStale(orgId: string) {
  await app.db.update(partnerOrganisations).set({ healthScore: STALE, healthScoredAt: null }).where(eq(partnerOrganisations.id, orgId));
}

/** The stored score equals the one computed now, and was written at the transition's time. */
async function expectFresh(orgId: string, at: Date) {
  const stored = await storedHealth(app.db, orgId);
  const fresh = await partnerHealth(app.db, orgId, clock.now());
  expect(stored).toEqual({ score: fresh?.scored ? fresh.total : null, scoredAt: expect.any(Date) });
  expect(stored!.scoredAt!.getTime()).toBeGreaterThanOrEqual(at.getTime());
  return stored!.score;
}

/** Runs a transition on a partner whose stored score is stale, and checks the transition refreshed it. */
async function afterTransition(orgId: string, transition: () => Promise<unknown>): Promise<number | null> {
  await markStale(orgId);
  const at = clock.now();
  await transition();
  return expectFresh(orgId, at);
}

async function firstVersionId(creativeId: string): Promise<string> {
  const [row] = await app.db.select({ id: creativeVersions.id }).from(creativeVersions).where(eq(creativeVersions.creativeId, creativeId));
  return row!.id;
}

async function setup() {
  const acme: CreativePartner = await creativePartner(app);
  await app.db
    .update(partnerOrganisations)
    .set({ activatedAt: new Date(clock.now().getTime() - 200 * DAY) })
    .where(eq(partnerOrganisations.id, acme.org.id));
  const terms = await publishPolicy(app, { title: "Program terms", body: "# Terms\n\nBe accurate." });
  const admin = await signedIn(app, { role: "admin", email: "ada@brand.test" });
  const brand = await signedIn(app, { role: "brand_reviewer", email: "bea@brand.test" });
  const legal = await signedIn(app, { role: "legal_reviewer", email: "lena@brand.test" });
  return { acme, terms, admin, brand, legal };
}

describe("the stored health score after a transition", () => {
  it("is rewritten by every review decision, a revocation and a resubmission", async () => {
    const { acme, brand, legal } = await setup();
    const org = acme.org.id;
    const decide = (creativeId: string, version: number, decision: string) =>
      decideStage(app, reviewerActor(brand), creativeId, {
        stage: "brand",
        version,
        decision,
        comment: decision === "approve" ? null : "Say where it comes from.",
      });
    const approved = await submittedCreative(app, acme);
    const changes = await submittedCreative(app, acme);
    const withChanges = await submittedCreative(app, acme);
    const rejected = await submittedCreative(app, acme);

    // Before any decision: no clicks in 200 days (0 of 30), no incident (10), the terms not accepted, overdue 0 days (half of 20).
    const scores = [
      await afterTransition(org, () => decide(approved.id, 1, "approve")),
      await afterTransition(org, () => decide(changes.id, 1, "request_changes")),
      await afterTransition(org, () => decide(withChanges.id, 1, "approve_with_changes")),
      await afterTransition(org, () => decide(rejected.id, 1, "reject")),
    ];
    // 1 of 1 approved as submitted (20): 40 of 80; then 1 of 2, 1 of 3, 1 of 4 with two requests not yet late.
    expect(scores).toEqual([50, 38, 34, 31]);

    // Three days later the requests are late; the partner answers one of them.
    clock.advance(3 * DAY);
    const late = await afterTransition(org, async () => {
      await updateCreativeDraft(app, acme.actor, changes.id, creativeDraft({ title: "Spring living room, revised" }));
      await submitCreative(app, acme.actor, changes.id, CREATIVE_ORIGIN);
    });
    // Responsiveness: answered in 3 days (15) and one waiting 3 days (15): 15 of 20, so 40 of 100.
    expect(late).toBe(40);

    const revoked = await afterTransition(org, () => revokeApproval(app, reviewerActor(legal), approved.id, "The energy figure is no longer supported."));
    // No creative approved as submitted any more: 0 of 20, so 35 of 100.
    expect(revoked).toBe(35);
  });

  it("is rewritten by an approval at submission, a policy acceptance and an incident linked to a creative", async () => {
    const { acme, terms, admin } = await setup();
    const org = acme.org.id;
    const rule = (name: string, when: Partial<ApprovalRule["when"]>, autoApproveWhenClean: boolean): ApprovalRule => ({
      name,
      when: { tiers: [], channels: [], partnerTypes: [], usesClaims: "any", ...when },
      stages: ["brand"],
      autoApproveWhenClean,
    });
    await app.db.insert(approvalMatrices).values({
      version: 1,
      ...DEFAULT_MATRIX,
      rules: [rule("Pre-approved web template", { channels: ["website_blog"] }, true), rule("Everything else", {}, false)],
    });
    let creativeId = "";
    const approvedAtSubmission = await afterTransition(org, async () => {
      const submitted = await submittedCreative(app, acme);
      expect(submitted.approved).toBe(true);
      creativeId = submitted.id;
    });
    expect(approvedAtSubmission).toBe(50);

    const accepted = await afterTransition(org, () =>
      acceptPolicyVersion(
        app,
        { id: acme.user.id, email: acme.user.email, partnerOrgId: org, partnerRole: "owner" },
        { versionId: terms.version.id, contentHash: terms.version.contentHash! },
        { ip: null, userAgent: null },
      ),
    );
    // The terms accepted: 20 of 20, so 50 of 80.
    expect(accepted).toBe(63);

    const incident = await openIncident(
      app,
      { id: admin.id, label: admin.email },
      {
        organisationId: org,
        title: "Energy claim on the blog",
        kind: "misleading_claim",
        severity: "low",
        description: "The post says the bulbs save 95 % energy.",
        ownerId: null,
        object: null,
      },
    );
    expect((await storedHealth(app.db, org))!.score).toBe(60); // 48 of 80: the low incident costs 2
    const versionId = await firstVersionId(creativeId);
    const linked = await afterTransition(org, () =>
      linkObject(app, { id: admin.id, label: admin.email }, incident.id, { kind: "creative_version", id: versionId }),
    );
    // The creative the incident points at is no longer compliant: 0 of 20, so 28 of 80.
    expect(linked).toBe(35);
  });

  it("costs a handful of indexed reads for one partner", async () => {
    const { acme } = await setup();
    for (let i = 0; i < 5; i++) await submittedCreative(app, acme);
    const runs: number[] = [];
    for (let i = 0; i < 15; i++) {
      const started = performance.now();
      await refreshPartnerHealth(app.db, acme.org.id, clock.now());
      runs.push(performance.now() - started);
    }
    const median = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
    console.info(`refreshPartnerHealth, one partner: median ${median.toFixed(1)} ms over ${runs.length} runs`);
    expect(median).toBeLessThan(250);
  });
});
