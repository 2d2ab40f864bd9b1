import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { approvalMatrices, auditEvents, creatives, creativeVersions, outboxMessages, reviewStages, users, type ApprovalRule } from "#db/schema/index";
import { isEditable } from "~/domain/creatives/catalog";
import { saveRuleSet } from "~/domain/creatives/rules.server";
import { PrescreenBlocked, submitCreative, updateCreativeDraft, withdrawCreative } from "~/domain/creatives/submissions.server";
import { onboardingChecklist } from "~/domain/partners/onboarding.server";
import { DEFAULT_RULES } from "~/domain/prescreen";
import { claimStage, decideStage, releaseStage, revokeApproval } from "~/domain/review/decisions.server";
import { DEFAULT_MATRIX, type MatrixSettings } from "~/domain/review/matrix";
import { median, reviewMeasures } from "~/domain/review/measures.server";
import { sendOverdueReminders } from "~/domain/review/reminders.server";
import { nextStepForPartner, partnerHistory, reviewStateForTeam, stagesOfCreative } from "~/domain/review/review-queries.server";
import { creativeReviewConflict } from "~/domain/separation-of-duties.server";
import { runHousekeeping } from "~/runtime.server";
import { DomainError, ForbiddenError } from "~/lib/errors";
import {
  approvedEnergyClaim,
  creativeDraft,
  creativePartner,
  CREATIVE_ORIGIN,
  ENERGY_CLAIM,
  ENERGY_DISCLAIMER,
  readyCreative,
  submittedCreative,
  type CreativePartner,
} from "../support/creatives";
import { reviewerActor, signedIn } from "../support/context";
import { follow, postForm, startTestServerPerFile, toastIn } from "../support/http";

// The review engine of issue 14, called as its pages call it: routing at
// submit by the approval matrix, stages claimed and decided under separation
// of duties, carry-over after "approve with required changes", withdrawal,
// revocation, overdue reminders, what the pages read, the measures, and the
// claim/release route over HTTP. Runs on PGlite and, with TEST_DATABASE_URL,
// on PostgreSQL (where simultaneous decisions really race).

const { server, app, clock } = await startTestServerPerFile();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PAID = { channel: "paid_social", copy: "#ad Lumen bulbs light up the living room." };

type Person = Awaited<ReturnType<typeof signedIn>>;

/** The brand team: two brand reviewers, a legal reviewer, an admin, an analyst, and a disabled admin who hears nothing. */
async function team() {
  const admin = await signedIn(app, { role: "admin", name: "Ada Admin", email: "ada@brand.test" });
  const brand = await signedIn(app, { role: "brand_reviewer", name: "Bea Brand", email: "bea@brand.test" });
  const brand2 = await signedIn(app, { role: "brand_reviewer", name: "Bo Brand", email: "bo@brand.test" });
  const legal = await signedIn(app, { role: "legal_reviewer", name: "Lena Legal", email: "lena@brand.test" });
  const analyst = await signedIn(app, { role: "analyst", name: "Andy Analyst", email: "andy@brand.test" });
  const gone = await signedIn(app, { role: "admin", name: "Gone Admin", email: "gone@brand.test" });
  await app.db.update(users).set({ status: "disabled" }).where(eq(users.id, gone.id));
  return { admin, brand, brand2, legal, analyst };
}

async function stagesOf(creativeId: string, version?: number) {
  const rows = await app.db
    .select()
    .from(reviewStages)
    .where(eq(reviewStages.creativeId, creativeId))
    .orderBy(asc(reviewStages.versionNumber), asc(reviewStages.position), asc(reviewStages.stage));
  return version === undefined ? rows : rows.filter((r) => r.versionNumber === version);
}

const statusesOf = async (creativeId: string, version: number) => Object.fromEntries((await stagesOf(creativeId, version)).map((s) => [s.stage, s.status]));

async function creativeRow(id: string) {
  const [row] = await app.db.select().from(creatives).where(eq(creatives.id, id));
  return row!;
}

async function versionRow(creativeId: string, number: number) {
  const [row] = await app.db
    .select()
    .from(creativeVersions)
    .where(and(eq(creativeVersions.creativeId, creativeId), eq(creativeVersions.number, number)));
  return row!;
}

async function auditFor(subjectId: string) {
  return app.db.select().from(auditEvents).where(eq(auditEvents.subjectId, subjectId)).orderBy(asc(auditEvents.id));
}

async function emails() {
  return (await app.db.select().from(outboxMessages).orderBy(asc(outboxMessages.id))).map((m) => m.payload);
}

/** The error a call refused with (and that it did refuse). */
async function refusal(call: Promise<unknown>): Promise<DomainError> {
  const outcome = await call.then(
    () => null,
    (error: unknown) => error,
  );
  expect(outcome, "the call should have been refused").toBeInstanceOf(DomainError);
  return outcome as DomainError;
}

/** A saved matrix version, written as the settings page will write it. */
async function saveMatrix(version: number, settings: Partial<MatrixSettings>) {
  await app.db.insert(approvalMatrices).values({ version, ...DEFAULT_MATRIX, ...settings });
}

const rule = (name: string, when: Partial<ApprovalRule["when"]>, stages: ApprovalRule["stages"], autoApproveWhenClean = false): ApprovalRule => ({
  name,
  when: { tiers: [], channels: [], partnerTypes: [], usesClaims: "any", ...when },
  stages,
  autoApproveWhenClean,
});

const decide = (person: Person, creativeId: string, stage: string, version: number, decision: string, comment?: string) =>
  decideStage(app, reviewerActor(person), creativeId, { stage, version, decision, comment });

/** Resubmits after changes were asked for: the partner edits the copy and sends the next version. */
async function resubmit(who: CreativePartner, creativeId: string, overrides: Record<string, unknown> = {}) {
  await updateCreativeDraft(app, who.actor, creativeId, creativeDraft({ ...overrides, title: "Spring living room, revised" }));
  return submitCreative(app, who.actor, creativeId, CREATIVE_ORIGIN);
}

describe("routing at submit", () => {
  it("needs brand review for a plain website creative, and legal too for paid social, claims and the strategic tier", async () => {
    const acme = await creativePartner(app);
    const plain = await submittedCreative(app, acme);
    expect(plain).toMatchObject({ version: 1, approved: false });
    const [brand, ...others] = await stagesOf(plain.id);
    expect(others).toEqual([]);
    expect(brand).toMatchObject({ stage: "brand", position: 0, status: "pending", versionNumber: 1, confirmsVersion: null, carriedFromVersion: null });
    expect(brand!.requiredBy).toBe("Rule 5 “Everything else” (applies to every creative)");
    expect(brand!.dueAt!.getTime() - brand!.startedAt!.getTime()).toBe(48 * HOUR);
    expect(Math.abs(brand!.startedAt!.getTime() - clock.now().getTime())).toBeLessThan(60_000);
    expect((await versionRow(plain.id, 1)).routing).toMatchObject({
      matrixVersion: 0,
      ruleIndex: 4,
      ruleName: "Everything else",
      stages: ["brand"],
      autoApproved: false,
    });

    const paid = await submittedCreative(app, acme, PAID);
    const [paidBrand, paidLegal] = await stagesOf(paid.id);
    expect(paidBrand).toMatchObject({ stage: "brand", position: 0, status: "pending" });
    // Sequential: legal waits for its turn, its SLA clock not yet running.
    expect(paidLegal).toMatchObject({ stage: "legal", position: 1, status: "waiting", startedAt: null, dueAt: null });
    expect(paidLegal!.requiredBy).toBe("Rule 3 “Paid channels” (channel is Paid social)");

    const claim = await approvedEnergyClaim(app);
    const withClaims = await submittedCreative(app, acme, { copy: `${ENERGY_CLAIM} ${ENERGY_DISCLAIMER}`, claimIds: [claim.id] });
    expect((await stagesOf(withClaims.id)).map((s) => s.stage)).toEqual(["brand", "legal"]);
    expect((await versionRow(withClaims.id, 1)).routing?.ruleName).toBe("Uses claims");

    const big = await creativePartner(app, "Big Retail", { tier: "strategic" });
    const strategic = await submittedCreative(app, big);
    expect((await stagesOf(strategic.id)).map((s) => [s.stage, s.status])).toEqual([
      ["brand", "pending"],
      ["legal", "waiting"],
    ]);
    expect((await versionRow(strategic.id, 1)).routing?.ruleName).toBe("Strategic tier");
    expect((await auditFor(strategic.id)).at(-1)).toMatchObject({
      action: "creative.submitted",
      data: expect.objectContaining({ stages: ["brand", "legal"] }),
    });
  });

  it("routes new submissions by a newly saved matrix, never the versions already in review", async () => {
    const acme = await creativePartner(app);
    const before = await submittedCreative(app, acme);
    await saveMatrix(1, { rules: [rule("Everything, both teams", {}, ["brand", "legal"])], mode: "parallel" });
    const after = await submittedCreative(app, acme);

    expect((await stagesOf(before.id)).map((s) => [s.stage, s.status])).toEqual([["brand", "pending"]]);
    expect((await versionRow(before.id, 1)).routing?.matrixVersion).toBe(0);
    const both = await stagesOf(after.id);
    // Parallel: both stages run at once, from the same moment.
    expect(both.map((s) => [s.stage, s.status, s.position])).toEqual([
      ["brand", "pending", 0],
      ["legal", "pending", 0],
    ]);
    expect(both.every((s) => s.dueAt !== null && s.startedAt !== null)).toBe(true);
    expect((await versionRow(after.id, 1)).routing).toMatchObject({ matrixVersion: 1, ruleName: "Everything, both teams", mode: "parallel" });
  });

  it("approves a clean submission by itself where the rule says so, but not one with warnings", async () => {
    const acme = await creativePartner(app);
    await team();
    await saveMatrix(1, {
      rules: [rule("Pre-approved web template", { channels: ["website_blog"] }, ["brand"], true), rule("Everything else", {}, ["brand"])],
    });

    const clean = await submittedCreative(app, acme);
    expect(clean).toMatchObject({ approved: true, warnings: 0 });
    expect(await creativeRow(clean.id)).toMatchObject({ status: "approved", approvedVersion: 1 });
    expect((await creativeRow(clean.id)).decidedAt).toBeInstanceOf(Date);
    expect(await versionRow(clean.id, 1)).toMatchObject({ outcome: "approved", routing: expect.objectContaining({ autoApproved: true }) });
    expect(await stagesOf(clean.id)).toEqual([]);
    const approved = (await auditFor(clean.id)).find((e) => e.action === "creative.approved");
    expect(approved).toMatchObject({
      actorId: null,
      actorLabel: "system",
      partnerOrgId: acme.org.id,
      data: { version: 1, automatic: true, rule: "Pre-approved web template", ruleIndex: 0, matrixVersion: 1 },
    });
    const sent = await emails();
    expect(sent.map((e) => [e.to, e.subject])).toEqual([[acme.user.email, `"Spring living room" is approved`]]);
    expect(sent[0]!.text).toContain(`${CREATIVE_ORIGIN}/partner/creatives/${clean.id}`);

    // "The best" is a claim the library does not hold: a warning, so a reviewer looks.
    const flagged = await submittedCreative(app, acme, { copy: "Lumen bulbs are the best in the living room." });
    expect(flagged.warnings).toBeGreaterThan(0);
    expect(flagged.approved).toBe(false);
    expect((await creativeRow(flagged.id)).status).toBe("submitted");
    expect(await statusesOf(flagged.id, 1)).toEqual({ brand: "pending" });
  });

  it("sets due times by the clock, counting only business hours when the matrix asks", async () => {
    const acme = await creativePartner(app);
    await saveMatrix(1, { slaHours: { brand: 2, legal: 4 }, businessHours: { enabled: true, timeZone: "UTC", startHour: 9, endHour: 17 } });
    // Friday 15:59:30 UTC: one working hour left that day, the second on Monday morning.
    clock.setOffset(Date.parse("2030-01-04T15:59:30Z") - Date.now());
    const friday = await submittedCreative(app, acme);
    const [brand] = await stagesOf(friday.id);
    expect(brand!.dueAt!.toISOString()).toBe("2030-01-07T10:00:00.000Z");

    // Without business hours, the hours run round the clock from now.
    await saveMatrix(2, { slaHours: { brand: 2, legal: 4 } });
    clock.advance(3 * DAY);
    const monday = await submittedCreative(app, acme);
    const [plain] = await stagesOf(monday.id);
    expect(plain!.dueAt!.getTime() - plain!.startedAt!.getTime()).toBe(2 * HOUR);
    expect(plain!.startedAt!.getTime()).toBeGreaterThan(Date.parse("2030-01-07T15:00:00Z"));
  });

  it("opens a later stage with the SLA of the matrix its version was routed by, not one saved since", async () => {
    const acme = await creativePartner(app);
    const { brand } = await team();
    await saveMatrix(1, { slaHours: { brand: 24, legal: 4 } });
    const { id } = await submittedCreative(app, acme, PAID);
    await saveMatrix(2, { slaHours: { brand: 24, legal: 100 } });
    clock.advance(HOUR);
    await decide(brand, id, "brand", 1, "approve");
    const [, legal] = await stagesOf(id, 1);
    expect(legal!.dueAt!.getTime() - legal!.startedAt!.getTime()).toBe(4 * HOUR);
  });

  it("counts the pre-screen's refusals and records them on the version that gets through", async () => {
    const acme = await creativePartner(app);
    await saveRuleSet(app, { id: null, label: "system" }, { ...DEFAULT_RULES, bannedTerms: ["miracle"] });
    const { id } = await readyCreative(app, acme, { copy: "Miracle bulbs for the living room." });
    for (let attempt = 1; attempt <= 2; attempt++) {
      await expect(submitCreative(app, acme.actor, id, CREATIVE_ORIGIN)).rejects.toBeInstanceOf(PrescreenBlocked);
      expect((await creativeRow(id)).prescreenBlockedAttempts).toBe(attempt);
    }
    await updateCreativeDraft(app, acme.actor, id, creativeDraft({ copy: "Bright bulbs for the living room." }));
    await submitCreative(app, acme.actor, id, CREATIVE_ORIGIN);
    expect((await versionRow(id, 1)).prescreenBlockedAttempts).toBe(2);
    expect((await creativeRow(id)).prescreenBlockedAttempts).toBe(0);
  });
});

describe("decisions", () => {
  it("go brand then legal, by two different people, and approve the creative with the event tracking links follow", async () => {
    const acme = await creativePartner(app);
    const { admin, legal } = await team();
    const { id } = await submittedCreative(app, acme, PAID);

    const early = await refusal(decide(legal, id, "legal", 1, "approve"));
    expect(early.status).toBe(409);
    expect(early.message).toBe("Legal review has not started: brand review comes first.");

    clock.advance(5 * HOUR);
    expect(await decide(admin, id, "brand", 1, "approve")).toEqual({ result: "stage_approved", next: ["legal"] });
    const [brand, legalStage] = await stagesOf(id, 1);
    expect(brand).toMatchObject({ status: "approved", decidedById: admin.id, comment: null });
    // Legal's turn and SLA clock start with brand's approval.
    expect(legalStage).toMatchObject({ status: "pending", startedAt: brand!.decidedAt });
    expect(legalStage!.dueAt!.getTime() - legalStage!.startedAt!.getTime()).toBe(48 * HOUR);
    expect((await creativeRow(id)).status).toBe("in_review");
    // Legal's reviewers hear it waits for them; the admin who approved brand may not decide it, so is not told.
    const ready = (await emails()).filter((e) => e.subject === `"Spring living room" is ready for legal review`);
    expect(ready.map((e) => e.to)).toEqual([legal.email]);
    expect(ready[0]!.text).toContain('Brand review approved version 1 of "Spring living room" (Acme Media); legal review is next.');
    expect((await emails()).filter((e) => e.to === acme.user.email).map((e) => e.subject)).toEqual(['Brand review approved "Spring living room"']);

    // The admin may decide legal by role, but not after deciding brand on the same version.
    const twice = await refusal(decide(admin, id, "legal", 1, "approve"));
    expect(twice).toBeInstanceOf(ForbiddenError);
    expect((twice as ForbiddenError).reason).toBe("separation_of_duties");
    expect(twice.message).toContain("You decided the brand review of this version");

    expect(await decide(legal, id, "legal", 1, "approve", "  Fine by legal.  ")).toEqual({ result: "approved" });
    expect((await stagesOf(id, 1))[1]).toMatchObject({ status: "approved", decidedById: legal.id, comment: "Fine by legal." });
    const creative = await creativeRow(id);
    expect(creative).toMatchObject({ status: "approved", approvedVersion: 1 });
    expect(creative.decidedAt).toBeInstanceOf(Date);
    expect(await versionRow(id, 1)).toMatchObject({ outcome: "approved" });
    const events = await auditFor(id);
    expect(events.map((e) => e.action)).toEqual([
      "creative.draft_created",
      "creative.file_added",
      "creative.submitted",
      "creative.stage_decided",
      "creative.stage_decided",
      "creative.approved",
      // No destination on the creative and no default destination in the program: no tracking link, and why is on record.
      "link.not_issued",
    ]);
    expect(events.at(-3)!.data).toEqual({ stage: "legal", version: 1, decision: "approve", comment: "Fine by legal." });
    expect(events.at(-2)).toMatchObject({
      actorId: legal.id,
      partnerOrgId: acme.org.id,
      data: {
        version: 1,
        automatic: false,
        stages: [
          { stage: "brand", by: admin.id },
          { stage: "legal", by: legal.id },
        ],
      },
    });
    expect((await emails()).filter((e) => e.to === acme.user.email).at(-1)!.subject).toBe(`"Spring living room" is approved`);
  });

  it("run both stages at once in parallel mode and approve when the last one does", async () => {
    const acme = await creativePartner(app);
    const { brand, legal } = await team();
    await saveMatrix(1, { mode: "parallel" });
    const { id } = await submittedCreative(app, acme, PAID);
    // Both stages start now, so both teams hear of it (the disabled admin does not).
    const told = (await emails()).filter((e) => e.subject.endsWith("for review")).map((e) => e.to);
    expect(told.sort()).toEqual(["ada@brand.test", "bea@brand.test", "bo@brand.test", "lena@brand.test"]);
    expect(await decide(legal, id, "legal", 1, "approve")).toEqual({ result: "stage_approved", next: ["brand"] });
    expect(await decide(brand, id, "brand", 1, "approve")).toEqual({ result: "approved" });
    expect(await statusesOf(id, 1)).toEqual({ brand: "approved", legal: "approved" });
    expect((await creativeRow(id)).status).toBe("approved");
  });

  it("are refused to the wrong role, to partner users and to the creative's own people", async () => {
    const acme = await creativePartner(app);
    const { brand, legal, analyst } = await team();
    await saveMatrix(1, { mode: "parallel" });
    const { id } = await submittedCreative(app, acme, PAID);
    const partnerPerson = { id: acme.user.id, email: acme.user.email };
    for (const [person, stage] of [
      [brand, "legal"],
      [legal, "brand"],
      [analyst, "brand"],
      [partnerPerson, "brand"],
    ] as const) {
      const refused = await refusal(decideStage(app, reviewerActor(person), id, { stage, version: 1, decision: "approve" }));
      expect(refused).toBeInstanceOf(ForbiddenError);
      expect((refused as ForbiddenError).reason).toBe("role");
    }
    expect(await statusesOf(id, 1)).toEqual({ brand: "pending", legal: "pending" });

    // The rule itself, for the people a role check cannot tell apart.
    const creative = { createdById: "author", organisationId: "org-a" };
    const version = { submittedById: "submitter" };
    const conflict = (id: string, partnerOrgId: string | null, decisions: { stage: string; decidedById: string | null }[] = []) =>
      creativeReviewConflict({ decider: { id, partnerOrgId }, creative, version, stage: "legal", decisions });
    expect(conflict("author", null)).toContain("You created or submitted this creative");
    expect(conflict("submitter", null)).toContain("You created or submitted this creative");
    expect(conflict("colleague", "org-a")).toContain("You belong to the partner organisation");
    expect(conflict("reviewer", null, [{ stage: "brand", decidedById: "reviewer" }])).toContain("You decided the brand review");
    expect(conflict("reviewer", "org-b", [{ stage: "legal", decidedById: null }])).toBeNull();
  });

  it("need a comment for anything but a plain approval, and no more than 5000 characters of it", async () => {
    const acme = await creativePartner(app);
    const { brand } = await team();
    const { id } = await submittedCreative(app, acme);
    for (const decision of ["approve_with_changes", "request_changes", "reject"]) {
      const missing = await refusal(decide(brand, id, "brand", 1, decision, "   "));
      expect(missing.field).toBe("comment");
    }
    const long = await refusal(decide(brand, id, "brand", 1, "approve", "x".repeat(5001)));
    expect(long.field).toBe("comment");
    expect((await refusal(decide(brand, id, "brand", 1, "ship it"))).field).toBe("decision");
    expect(await statusesOf(id, 1)).toEqual({ brand: "pending" });
    expect((await auditFor(id)).filter((e) => e.action === "creative.stage_decided")).toEqual([]);
  });

  it("on a replaced version, a decided stage or a creative out of review are refused with what happened (409)", async () => {
    const acme = await creativePartner(app);
    const { admin, brand, brand2, legal } = await team();
    const { id } = await submittedCreative(app, acme, PAID);
    await decide(admin, id, "brand", 1, "approve");
    const again = await refusal(decide(brand2, id, "brand", 1, "approve"));
    expect(again.status).toBe(409);
    expect(again.message).toMatch(/^Brand review of version 1 was already decided by Ada Admin on .+\. Nothing was changed\.$/);

    await decide(legal, id, "legal", 1, "request_changes", "The saving needs its disclaimer.");
    await resubmit(acme, id, PAID);
    const stale = await refusal(decide(brand, id, "brand", 1, "approve"));
    expect(stale.status).toBe(409);
    expect(stale.message).toContain("Version 1 was replaced by version 2");

    await decide(brand, id, "brand", 2, "reject", "Off-brand colours.");
    const closed = await refusal(decide(legal, id, "legal", 2, "approve"));
    expect(closed.status).toBe(409);
    expect(closed.message).toContain("This creative is no longer in review (it is rejected)");
    expect(await creativeRow(id)).toMatchObject({ status: "rejected" });
    expect(await statusesOf(id, 2)).toEqual({ brand: "rejected", legal: "cancelled" });
    expect(await versionRow(id, 2)).toMatchObject({ outcome: "rejected" });
    expect((await emails()).filter((e) => e.to === acme.user.email).at(-1)!.subject).toBe(`"Spring living room, revised" was not approved`);
  });

  it("taken at the same moment on the same stage: exactly one wins, the others get 409", async () => {
    const acme = await creativePartner(app);
    const { admin, brand, brand2 } = await team();
    for (let round = 0; round < 3; round++) {
      const { id } = await submittedCreative(app, acme);
      const results = await Promise.allSettled([
        decide(admin, id, "brand", 1, "approve"),
        decide(brand, id, "brand", 1, "request_changes", "Tighter crop."),
        decide(brand2, id, "brand", 1, "reject", "Not for us."),
      ]);
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(lost).toHaveLength(2);
      for (const loss of lost) expect((loss.reason as DomainError).status).toBe(409);
      expect((await auditFor(id)).filter((e) => e.action === "creative.stage_decided")).toHaveLength(1);
      const [stage] = await stagesOf(id, 1);
      expect(["approved", "changes_requested", "rejected"]).toContain(stage!.status);
    }
  });

  it("leave no trace when any part fails: the audit events roll back with the change", async () => {
    const acme = await creativePartner(app);
    const { brand } = await team();
    const { id } = await submittedCreative(app, acme);
    const before = (await auditFor(id)).length;
    // The partner's email is the decision's last write: refusing it must undo the stage, the creative and the events.
    await app.db.execute(sql`create function refuse_mail() returns trigger language plpgsql as $$ begin raise exception 'outbox refused'; end $$`);
    await app.db.execute(sql`create trigger refuse_mail before insert on outbox_messages for each row execute function refuse_mail()`);
    try {
      await expect(decide(brand, id, "brand", 1, "approve")).rejects.toThrow();
    } finally {
      await app.db.execute(sql`drop trigger refuse_mail on outbox_messages`);
      await app.db.execute(sql`drop function refuse_mail()`);
    }
    expect((await auditFor(id)).length).toBe(before);
    expect(await statusesOf(id, 1)).toEqual({ brand: "pending" });
    expect((await creativeRow(id)).status).toBe("submitted");
    expect(await decide(brand, id, "brand", 1, "approve")).toEqual({ result: "approved" });
  });
});

describe("resubmission", () => {
  it("after approval with required changes, sends version 2 back to the same stage to confirm them, then on to legal", async () => {
    const acme = await creativePartner(app);
    const { brand, legal } = await team();
    const { id } = await submittedCreative(app, acme, PAID);
    expect(await decide(brand, id, "brand", 1, "approve_with_changes", "Move the logo to the top right.")).toEqual({ result: "changes_requested" });
    expect(await statusesOf(id, 1)).toEqual({ brand: "approved_with_changes", legal: "cancelled" });
    expect(await versionRow(id, 1)).toMatchObject({ outcome: "approved_with_changes" });
    const creative = await creativeRow(id);
    expect(creative.status).toBe("changes_requested");
    expect(isEditable(creative.status)).toBe(true);
    expect(nextStepForPartner(creative, await stagesOfCreative(app.db, id))).toBe(
      "Upload a new version that addresses the required changes; brand review will confirm them.",
    );
    const told = (await emails()).filter((e) => e.to === acme.user.email).at(-1)!;
    expect(told.subject).toBe(`"Spring living room" is approved once you make the required changes`);
    expect(told.text).toContain("Move the logo to the top right.");
    expect((await auditFor(id)).at(-1)).toMatchObject({
      action: "creative.changes_requested",
      data: { version: 1, stage: "brand", decision: "approve_with_changes" },
    });

    clock.advance(HOUR);
    await resubmit(acme, id, PAID);
    const [brand2, legal2] = await stagesOf(id, 2);
    expect(brand2).toMatchObject({ status: "pending", confirmsVersion: 1, carriedFromVersion: null, decidedById: null });
    expect(legal2).toMatchObject({ status: "waiting", confirmsVersion: null });
    expect(nextStepForPartner(await creativeRow(id), await stagesOfCreative(app.db, id), clock.now())).toBe(
      "Waiting for brand review to confirm the required changes (due in 2 days); legal review follows.",
    );

    expect(await decide(brand, id, "brand", 2, "approve")).toEqual({ result: "stage_approved", next: ["legal"] });
    expect(await decide(legal, id, "legal", 2, "approve")).toEqual({ result: "approved" });
    expect(await creativeRow(id)).toMatchObject({ status: "approved", approvedVersion: 2 });
  });

  it("carries a stage's plain approval over when another stage asked for changes, and counts it as that person's decision", async () => {
    const acme = await creativePartner(app);
    const { admin, legal } = await team();
    const { id } = await submittedCreative(app, acme, PAID);
    await decide(admin, id, "brand", 1, "approve");
    await decide(legal, id, "legal", 1, "approve_with_changes", "Add the disclaimer under the claim.");
    const [brandBefore] = await stagesOf(id, 1);
    await resubmit(acme, id, PAID);

    const [brand2, legal2] = await stagesOf(id, 2);
    expect(brand2).toMatchObject({ status: "approved", carriedFromVersion: 1, decidedById: admin.id, decidedAt: brandBefore!.decidedAt, startedAt: null });
    // Legal's turn comes at once (brand stands approved), to confirm its own required changes.
    expect(legal2).toMatchObject({ status: "pending", confirmsVersion: 1 });
    expect(legal2!.dueAt).not.toBeNull();
    const carried = await refusal(decide(admin, id, "brand", 2, "approve"));
    expect(carried.message).toContain("carried over");
    const sameAdmin = await refusal(decide(admin, id, "legal", 2, "approve"));
    expect((sameAdmin as ForbiddenError).reason).toBe("separation_of_duties");

    await decide(legal, id, "legal", 2, "approve");
    expect((await auditFor(id)).find((e) => e.action === "creative.approved")).toMatchObject({
      action: "creative.approved",
      data: {
        version: 2,
        automatic: false,
        stages: [
          { stage: "brand", by: admin.id },
          { stage: "legal", by: legal.id },
        ],
      },
    });
  });

  it("starts every stage over after a request for changes", async () => {
    const acme = await creativePartner(app);
    const { brand, legal } = await team();
    const { id } = await submittedCreative(app, acme, PAID);
    await decide(brand, id, "brand", 1, "approve");
    await decide(legal, id, "legal", 1, "request_changes", "Say where the saving comes from.");
    expect(await creativeRow(id)).toMatchObject({ status: "changes_requested" });
    expect(await versionRow(id, 1)).toMatchObject({ outcome: "changes_requested" });
    expect(nextStepForPartner(await creativeRow(id), await stagesOf(id))).toBe(
      "Upload a new version that addresses the requested changes; it will be reviewed again.",
    );
    await resubmit(acme, id, PAID);
    const [brand2, legal2] = await stagesOf(id, 2);
    expect(brand2).toMatchObject({ status: "pending", confirmsVersion: null, carriedFromVersion: null, decidedById: null });
    expect(legal2).toMatchObject({ status: "waiting", confirmsVersion: null, carriedFromVersion: null });
  });
});

describe("withdrawal and revocation", () => {
  it("withdrawing cancels the version's open stages", async () => {
    const acme = await creativePartner(app);
    const { brand } = await team();
    const { id } = await submittedCreative(app, acme, PAID);
    await claimStage(app, reviewerActor(brand), id, "brand");
    await withdrawCreative(app, acme.actor, id, "Campaign moved to autumn.", CREATIVE_ORIGIN);
    expect(await statusesOf(id, 1)).toEqual({ brand: "cancelled", legal: "cancelled" });
    expect(await versionRow(id, 1)).toMatchObject({ outcome: "withdrawn" });
    expect((await refusal(decide(brand, id, "brand", 1, "approve"))).status).toBe(409);
  });

  it("revoking an approval takes admin or legal and a reason, and is final", async () => {
    const acme = await creativePartner(app);
    const { brand, legal } = await team();
    const { id } = await submittedCreative(app, acme);
    expect((await refusal(revokeApproval(app, reviewerActor(legal), id, "Too early."))).status).toBe(409);
    await decide(brand, id, "brand", 1, "approve");

    const byBrand = await refusal(revokeApproval(app, reviewerActor(brand), id, "Wrong colours."));
    expect((byBrand as ForbiddenError).reason).toBe("role");
    expect((await refusal(revokeApproval(app, reviewerActor(legal), id, "  "))).field).toBe("reason");

    await revokeApproval(app, reviewerActor(legal), id, "The energy figure is no longer supported.");
    const creative = await creativeRow(id);
    expect(creative).toMatchObject({
      status: "revoked",
      revokedById: legal.id,
      revokedReason: "The energy figure is no longer supported.",
      approvedVersion: 1,
    });
    expect(creative.revokedAt).toBeInstanceOf(Date);
    expect(isEditable(creative.status)).toBe(false);
    expect(await versionRow(id, 1)).toMatchObject({ outcome: "revoked" });
    expect((await auditFor(id)).at(-1)).toMatchObject({
      action: "creative.approval_revoked",
      actorId: legal.id,
      data: { version: 1, reason: "The energy figure is no longer supported." },
    });
    const told = (await emails()).filter((e) => e.to === acme.user.email).at(-1)!;
    expect(told.subject).toBe(`The approval of "Spring living room" was revoked`);
    expect((await refusal(revokeApproval(app, reviewerActor(legal), id, "Again."))).message).toContain("already revoked by Lena Legal");
    expect((await refusal(updateCreativeDraft(app, acme.actor, id, creativeDraft()))).status).toBe(409);
    expect(nextStepForPartner(creative, [])).toBe("Stop using it wherever it runs: the approval was revoked.");
  });
});

describe("claiming a stage", () => {
  it("assigns it to one reviewer at a time and moves the creative into review", async () => {
    const acme = await creativePartner(app);
    const { admin, brand, brand2, legal } = await team();
    const { id } = await submittedCreative(app, acme, PAID);

    await claimStage(app, reviewerActor(brand), id, "brand");
    expect((await stagesOf(id, 1))[0]).toMatchObject({ assigneeId: brand.id });
    expect((await creativeRow(id)).status).toBe("in_review");
    const claimed = await refusal(claimStage(app, reviewerActor(brand2), id, "brand"));
    expect(claimed.status).toBe(409);
    expect(claimed.message).toContain("Bea Brand has already claimed the brand review");
    // Claiming what one holds changes nothing.
    await claimStage(app, reviewerActor(brand), id, "brand");
    expect((await auditFor(id)).filter((e) => e.action === "creative.stage_claimed")).toHaveLength(1);

    expect(((await refusal(releaseStage(app, reviewerActor(brand2), id, "brand"))) as ForbiddenError).reason).toBe("role");
    expect(((await refusal(claimStage(app, reviewerActor(legal), id, "brand"))) as ForbiddenError).reason).toBe("role");
    expect((await refusal(claimStage(app, reviewerActor(legal), id, "legal"))).message).toBe("Legal review has not started: brand review comes first.");

    await releaseStage(app, reviewerActor(admin), id, "brand");
    expect((await stagesOf(id, 1))[0]).toMatchObject({ assigneeId: null, assignedAt: null });
    expect((await auditFor(id)).at(-1)).toMatchObject({
      action: "creative.stage_released",
      actorId: admin.id,
      data: { stage: "brand", version: 1, heldBy: brand.id },
    });
    expect((await refusal(releaseStage(app, reviewerActor(brand), id, "brand"))).status).toBe(409);
    await claimStage(app, reviewerActor(brand2), id, "brand");
    expect((await stagesOf(id, 1))[0]!.assigneeId).toBe(brand2.id);
  });
});

describe("overdue reminders", () => {
  it("go once when a stage is overdue, then daily, to its assignee and the active admins, and stop once it is decided", async () => {
    const acme = await creativePartner(app);
    const { admin, brand } = await team();
    const { id } = await submittedCreative(app, acme);
    await claimStage(app, reviewerActor(brand), id, "brand");
    const reminders = async () => (await emails()).filter((e) => e.subject.startsWith("Overdue:"));

    expect(await sendOverdueReminders(app)).toBe(0);
    clock.advance(47 * HOUR);
    expect(await sendOverdueReminders(app)).toBe(0);
    clock.advance(2 * HOUR);
    expect(await sendOverdueReminders(app)).toBe(1);
    const first = await reminders();
    expect(first.map((e) => e.to).sort()).toEqual([admin.email, brand.email].sort());
    expect(first[0]!.subject).toBe(`Overdue: brand review of "Spring living room"`);
    expect(first[0]!.text).toContain("is overdue by 1 h");
    expect(first[0]!.text).toContain("Bea Brand has claimed it.");
    expect((await stagesOf(id, 1))[0]).toMatchObject({ reminders: 1 });
    expect((await auditFor(id)).at(-1)).toMatchObject({
      action: "creative.stage_overdue_reminded",
      actorId: null,
      data: expect.objectContaining({ stage: "brand", reminder: 1 }),
    });

    expect(await sendOverdueReminders(app)).toBe(0);
    clock.advance(23 * HOUR);
    expect(await sendOverdueReminders(app)).toBe(0);
    clock.advance(2 * HOUR);
    // Housekeeping (hourly) is what sends them.
    await runHousekeeping(app);
    expect((await stagesOf(id, 1))[0]).toMatchObject({ reminders: 2 });
    expect(await reminders()).toHaveLength(4);

    await decide(brand, id, "brand", 1, "approve");
    clock.advance(3 * DAY);
    expect(await sendOverdueReminders(app)).toBe(0);
  });
});

describe("what the review pages read", () => {
  it("says which stage each person may decide, claim, release or revoke now", async () => {
    const acme = await creativePartner(app);
    const { admin, brand, legal } = await team();
    const { id } = await submittedCreative(app, acme, PAID);
    const now = clock.now();

    const forBrand = await reviewStateForTeam(app.db, id, now, brand);
    expect(forBrand).toMatchObject({ decidable: ["brand"], mayRevoke: false, version: { number: 1 } });
    expect(forBrand!.stages.map((s) => [s.stage, s.mayDecide, s.mayClaim, s.due?.text ?? null])).toEqual([
      ["brand", true, true, "due in 2 days"],
      ["legal", false, false, null],
    ]);
    expect((await reviewStateForTeam(app.db, id, now, legal))!.decidable).toEqual([]);

    await claimStage(app, reviewerActor(brand), id, "brand");
    const claimedForAdmin = await reviewStateForTeam(app.db, id, now, admin);
    expect(claimedForAdmin!.stages[0]).toMatchObject({ assigneeName: "Bea Brand", mayDecide: true, mayClaim: false, mayRelease: true });
    await decide(admin, id, "brand", 1, "approve");
    const afterBrand = await reviewStateForTeam(app.db, id, now, admin);
    expect(afterBrand!.decidable).toEqual([]);
    expect(afterBrand!.stages[1]!.conflict).toContain("You decided the brand review");
    expect((await reviewStateForTeam(app.db, id, now, legal))!.decidable).toEqual(["legal"]);
    await decide(legal, id, "legal", 1, "approve");
    expect((await reviewStateForTeam(app.db, id, now, legal))!.mayRevoke).toBe(true);
    expect((await reviewStateForTeam(app.db, id, now, brand))!.mayRevoke).toBe(false);
    expect(await reviewStateForTeam(app.db, randomUUID(), now, admin)).toBeNull();

    const stages = await stagesOfCreative(app.db, id);
    expect(stages.map((s) => [s.versionNumber, s.stage, s.decidedByName])).toEqual([
      [1, "brand", "Ada Admin"],
      [1, "legal", "Lena Legal"],
    ]);
  });

  it("give a partner's track record and tick the onboarding step for a first approval", async () => {
    const acme = await creativePartner(app);
    const { brand } = await team();
    const step = async () => (await onboardingChecklist(app.db, acme.org.id, { partnerRole: "owner" })).find((s) => s.key === "creative_approved");
    expect(await partnerHistory(app.db, acme.org.id)).toEqual({
      submitted: 0,
      approved: 0,
      firstPassRate: null,
      prescreenFirstTryRate: null,
      lastSubmissions: [],
    });
    expect((await step())?.done).toBe(false);

    const first = await submittedCreative(app, acme);
    await decide(brand, first.id, "brand", 1, "approve");
    clock.advance(HOUR);
    const second = await submittedCreative(app, acme, { title: "Autumn kitchen" });
    await decide(brand, second.id, "brand", 1, "request_changes", "Brighter, please.");
    clock.advance(HOUR);
    await submittedCreative(app, acme, { title: "Winter hallway" });

    const history = await partnerHistory(app.db, acme.org.id);
    expect(history).toMatchObject({ submitted: 3, approved: 1, firstPassRate: 0.5, prescreenFirstTryRate: 1 });
    expect(history.lastSubmissions.map((s) => [s.title, s.status])).toEqual([
      ["Winter hallway", "submitted"],
      ["Autumn kitchen", "changes_requested"],
      ["Spring living room", "approved"],
    ]);
    expect((await step())?.done).toBe(true);
    expect(await partnerHistory(app.db, (await creativePartner(app, "Other Org")).org.id)).toMatchObject({ submitted: 0 });
  });
});

describe("review measures", () => {
  it("count each stage's decisions, hours in stage against the SLA, first-pass approvals and first-try pre-screen passes", async () => {
    const acme = await creativePartner(app);
    const { brand, legal } = await team();
    const from = clock.now();
    await saveRuleSet(app, { id: null, label: "system" }, { ...DEFAULT_RULES, bannedTerms: ["miracle"] });

    const quick = await submittedCreative(app, acme);
    const slow = await readyCreative(app, acme, { ...PAID, copy: "#ad Miracle bulbs." });
    await expect(submitCreative(app, acme.actor, slow.id, CREATIVE_ORIGIN)).rejects.toBeInstanceOf(PrescreenBlocked);
    await updateCreativeDraft(app, acme.actor, slow.id, creativeDraft(PAID));
    await submitCreative(app, acme.actor, slow.id, CREATIVE_ORIGIN);

    clock.advance(10 * HOUR);
    await decide(brand, quick.id, "brand", 1, "approve");
    clock.advance(40 * HOUR);
    await decide(brand, slow.id, "brand", 1, "approve");
    clock.advance(2 * HOUR);
    await decide(legal, slow.id, "legal", 1, "request_changes", "Name the source.");
    const to = new Date(clock.now().getTime() + 1);

    const measures = await reviewMeasures(app.db, { from, to });
    const brandMeasures = measures.stages.find((s) => s.stage === "brand")!;
    expect(brandMeasures).toMatchObject({ decided: 2, slaMet: 1, slaBreached: 1 });
    expect(brandMeasures.averageHours).toBeCloseTo(30, 1);
    expect(brandMeasures.medianHours).toBeCloseTo(30, 1);
    const legalMeasures = measures.stages.find((s) => s.stage === "legal")!;
    expect(legalMeasures).toMatchObject({ decided: 1, slaMet: 1, slaBreached: 0 });
    expect(legalMeasures.averageHours).toBeCloseTo(2, 1);
    expect(measures.firstPassRate).toBe(0.5);
    expect(measures.prescreenFirstTryRate).toBe(0.5);

    // Only what was decided in the period counts.
    const later = await reviewMeasures(app.db, { from: to, to: new Date(to.getTime() + DAY) });
    expect(later).toEqual({
      stages: [
        { stage: "brand", decided: 0, averageHours: null, medianHours: null, slaMet: 0, slaBreached: 0 },
        { stage: "legal", decided: 0, averageHours: null, medianHours: null, slaMet: 0, slaBreached: 0 },
      ],
      firstPassRate: null,
      prescreenFirstTryRate: null,
    });
    expect(median([4, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe("the claim and release route", () => {
  const assignment = (creativeId: string) => `/admin/creatives/${creativeId}/assignment`;

  it("claims and releases with a toast, back to a page of the team's creatives only", async () => {
    const acme = await creativePartner(app);
    const { brand, brand2 } = await team();
    const { id } = await submittedCreative(app, acme);
    const claimed = await postForm(
      server,
      assignment(id),
      { intent: "claim", stage: "brand", returnTo: "/admin/creatives?status=submitted" },
      { Cookie: brand.cookie },
    );
    expect(claimed.status).toBe(302);
    expect(claimed.headers.get("location")).toBe("/admin/creatives?status=submitted");
    expect(toastIn(await (await follow(server, claimed, brand.cookie)).text())).toContain("The brand review is yours");
    expect((await stagesOf(id, 1))[0]!.assigneeId).toBe(brand.id);

    // Someone else holds it: back to the page with the reason, nothing changed.
    const taken = await postForm(server, assignment(id), { intent: "claim", stage: "brand" }, { Cookie: brand2.cookie });
    expect(taken.status).toBe(302);
    expect(taken.headers.get("location")).toBe(`/admin/creatives/${id}`);
    expect(toastIn(await (await follow(server, taken, brand2.cookie)).text())).toContain("Bea Brand has already claimed the brand review");

    for (const returnTo of ["https://evil.test/admin/creatives", "//evil.test/x", "/admin/users", "/admin/creativesx"]) {
      const released = await postForm(server, assignment(id), { intent: "release", stage: "brand", returnTo }, { Cookie: brand.cookie });
      expect(released.headers.get("location")).toBe(`/admin/creatives/${id}`);
      await claimStage(app, reviewerActor(brand), id, "brand");
    }
  });

  it("answers bad input with 400, and unknown, draft or out-of-area ids with 404", async () => {
    const acme = await creativePartner(app);
    const { brand, analyst } = await team();
    const { id } = await submittedCreative(app, acme);
    const draft = await readyCreative(app, acme, { title: "Still a draft" });
    const bad: Record<string, string>[] = [{}, { intent: "claim" }, { intent: "grab", stage: "brand" }, { intent: "claim", stage: "marketing" }];
    for (const fields of bad) {
      expect((await postForm(server, assignment(id), fields, { Cookie: brand.cookie })).status).toBe(400);
    }
    expect((await postForm(server, assignment(randomUUID()), { intent: "claim", stage: "brand" }, { Cookie: brand.cookie })).status).toBe(404);
    expect((await postForm(server, assignment(draft.id), { intent: "claim", stage: "brand" }, { Cookie: brand.cookie })).status).toBe(404);
    expect((await postForm(server, assignment("not-an-id"), { intent: "claim", stage: "brand" }, { Cookie: brand.cookie })).status).toBe(404);
    const partner = await signedIn(app, { role: "partner", partnerOrgId: acme.org.id, partnerRole: "member", email: "member@acme.test" });
    expect((await postForm(server, assignment(id), { intent: "claim", stage: "brand" }, { Cookie: partner.cookie })).status).toBe(404);
    expect((await postForm(server, assignment(id), { intent: "claim", stage: "brand" }, { Cookie: analyst.cookie })).status).toBe(403);
    expect((await stagesOf(id, 1))[0]!.assigneeId).toBeNull();
  });
});
