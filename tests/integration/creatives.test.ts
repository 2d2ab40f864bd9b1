import fs from "node:fs";
import crypto from "node:crypto";
import { Readable } from "node:stream";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  auditEvents,
  claims,
  creativeFiles,
  creatives,
  creativeVersionFiles,
  creativeVersions,
  outboxMessages,
  partnerOrganisations,
  prescreenRuleSets,
  users,
} from "#db/schema/index";
import { removeCreativeFile, sweepOrphanCreativeObjects, uploadCreativeFile } from "~/domain/creatives/files.server";
import { prescreenDraftText } from "~/domain/creatives/prescreen-run.server";
import {
  countCreativesByStatus,
  CREATIVES_PAGE_SIZE,
  getCreativeForOrganisation,
  getCreativeForTeam,
  hasSubmittedCreative,
  listCreativesForOrganisation,
  listCreativesForTeam,
  listVersions,
  listWorkingFiles,
} from "~/domain/creatives/queries.server";
import { currentRuleSet, saveRuleSet } from "~/domain/creatives/rules.server";
import { CreativeDraftSchema, CreativeFiltersSchema, type CreativeDraftInput } from "~/domain/creatives/schemas.server";
import { createCreativeDraft, PrescreenBlocked, submitCreative, updateCreativeDraft, withdrawCreative } from "~/domain/creatives/submissions.server";
import { DEFAULT_RULES } from "~/domain/prescreen";
import { verifyAuditChain } from "~/lib/audit.server";
import type { AdjustableClock } from "~/lib/clock";
import type { AppContext } from "~/lib/context.server";
import type { Database } from "~/lib/db.server";
import { DomainError, ForbiddenError, NotFoundError } from "~/lib/errors";
import { createTestDatabase, resetDatabase } from "../support/db";
import { adjustableClockFor, createTestContext, createUser, type PartnerOrgFields } from "../support/context";
import { approvedEnergyClaim, creativeDraft, creativePartner, ENERGY_CLAIM, ENERGY_DISCLAIMER, pngImage, type CreativePartner } from "../support/creatives";
import { makePdf } from "../support/pdf";

// The creatives domain (issue 13) called directly, as its routes will call it:
// drafts, submissions as immutable versions, withdrawal, the upload pipeline,
// the pre-screen's rule sets, and what one organisation can reach of another's.

let database: Database;
let app: AppContext;
let clock: AdjustableClock;
beforeAll(async () => {
  database = await createTestDatabase();
  app = createTestContext(database.db);
});
afterAll(() => database.close());
beforeEach(async () => {
  clock = adjustableClockFor(app);
  await resetDatabase(app.db);
});

const ORIGIN = "https://cobrand.test";
const MB = 1024 * 1024;
const DAY = 86_400_000;
const FIXTURES = path.resolve("tests/fixtures");

type Partner = CreativePartner;

/** An active publisher organisation in Europe on the website and organic social channels. */
const partner = (name = "Acme Media", fields: PartnerOrgFields = {}) => creativePartner(app, name, { channels: ["website_blog", "organic_social"], ...fields });

/** The internal team: only active admins and brand reviewers hear about submissions. */
async function team() {
  const admin = await createUser(app.db, { role: "admin", email: "ada@brand.test", name: "Ada Admin" });
  const brand = await createUser(app.db, { role: "brand_reviewer", email: "bea@brand.test", name: "Bea Brand" });
  await createUser(app.db, { role: "legal_reviewer", email: "lena@brand.test" });
  await createUser(app.db, { role: "analyst", email: "andy@brand.test" });
  const gone = await createUser(app.db, { role: "admin", email: "gone@brand.test" });
  await app.db.update(users).set({ status: "disabled" }).where(eq(users.id, gone.id));
  return { admin, brand, reviewers: [admin.email, brand.email].sort() };
}

const draft = creativeDraft;

/** The energy claim, approved for the website, organic social and email only. */
const approvedClaim = (fields: Partial<typeof claims.$inferInsert> = {}) =>
  approvedEnergyClaim(app, { channels: ["website_blog", "organic_social", "email"], ...fields });

const png = pngImage;
const jpeg = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "#2563eb" } })
    .jpeg()
    .toBuffer();

/** Two frames, red then blue: the preview must be the red one. */
async function animatedGif(): Promise<Buffer> {
  const frames = await Promise.all(
    ["#ff0000", "#0000ff"].map((background) =>
      sharp({ create: { width: 40, height: 30, channels: 3, background } })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(frames, { join: { animated: true } })
    .gif()
    .toBuffer();
}

/** Enough of an MP4 for content sniffing: an `ftyp` box (brand isom), then an `mdat` box. */
function mp4(): Buffer {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const ftyp = Buffer.concat([u32(24), Buffer.from("ftyp"), Buffer.from("isom"), u32(512), Buffer.from("isomiso2")]);
  const mdat = Buffer.concat([u32(8 + 4096), Buffer.from("mdat"), Buffer.alloc(4096, 7)]);
  return Buffer.concat([ftyp, mdat]);
}

/** A multipart upload as the browser sends it: one `file` part. */
function uploadRequest(filename: string, bytes: Buffer, type = "application/octet-stream"): Request {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)], { type }), filename);
  return new Request(`${ORIGIN}/partner/creatives/upload`, { method: "POST", body: form });
}

async function upload(who: Partner, creativeId: string, filename: string, bytes: Buffer) {
  return uploadCreativeFile(app, who.actor, creativeId, uploadRequest(filename, bytes));
}

/** Every object stored for a creative. */
async function storedKeys(creativeId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of app.storage.list(`creatives/${creativeId}/`)) keys.push(object.key);
  return keys.sort();
}

async function objectBytes(key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await app.storage.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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

async function auditFor(subjectId: string) {
  return app.db.select().from(auditEvents).where(eq(auditEvents.subjectId, subjectId)).orderBy(asc(auditEvents.id));
}

async function creativeRow(id: string) {
  const [row] = await app.db.select().from(creatives).where(eq(creatives.id, id));
  return row!;
}

async function versionsOf(id: string) {
  return app.db.select().from(creativeVersions).where(eq(creativeVersions.creativeId, id)).orderBy(asc(creativeVersions.number));
}

/** A draft with one image big enough for the website channel: ready to submit. */
async function readyDraft(who: Partner, overrides: Record<string, unknown> = {}) {
  const { id } = await createCreativeDraft(app, who.actor, draft(overrides));
  const { fileId } = await upload(who, id, "hero.png", await png(1200, 630));
  return { id, fileId };
}

const setStatus = (id: string, status: "changes_requested" | "submitted" | "in_review" | "approved") =>
  app.db.update(creatives).set({ status }).where(eq(creatives.id, id));

describe("creative drafts", () => {
  it("save as typed, with no brand rule applied, and each change is audited with what changed", async () => {
    const acme = await partner();
    await saveRuleSet(app, { id: null, label: "system" }, { ...DEFAULT_RULES, bannedTerms: ["miracle"] });
    const claim = await approvedClaim();
    const typed = "Our miracle bulbs are the best.\r\nNo disclosure, no disclaimer: drafts may be wrong.";
    const { id } = await createCreativeDraft(app, acme.actor, draft({ channel: "organic_social", copy: typed, claimIds: [claim.id] }));

    const row = await creativeRow(id);
    expect(row).toMatchObject({
      organisationId: acme.org.id,
      status: "draft",
      latestVersion: 0,
      title: "Spring living room",
      channel: "organic_social",
      placement: "Homepage hero",
      plannedLaunchOn: "2030-04-01",
      destinationUrl: "",
      copy: typed.replace("\r\n", "\n"),
      claimIds: [claim.id],
      disclosure: "",
      createdById: acme.user.id,
    });
    // Saved although the rules in force would refuse it on submit.
    const live = await prescreenDraftText(
      app.db,
      acme.org.id,
      { copy: row.copy, channel: row.channel, claimIds: row.claimIds, destinationUrl: null },
      [],
      clock.now(),
    );
    expect(live.findings.filter((f) => f.severity === "error").map((f) => f.code)).toEqual(
      expect.arrayContaining(["banned_term", "missing_disclosure", "missing_disclaimer"]),
    );
    const created = await auditFor(id);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      action: "creative.draft_created",
      actorId: acme.user.id,
      partnerOrgId: acme.org.id,
      subjectType: "creative",
      data: { title: "Spring living room", channel: "organic_social" },
    });

    clock.advance(60_000);
    await updateCreativeDraft(app, acme.actor, id, draft({ channel: "organic_social", copy: "#ad Our bulbs.", claimIds: [], placement: "Stories" }));
    const updated = await creativeRow(id);
    expect(updated).toMatchObject({ copy: "#ad Our bulbs.", claimIds: [], placement: "Stories" });
    expect(updated.updatedAt.getTime()).toBeGreaterThan(row.updatedAt.getTime());
    const events = await auditFor(id);
    expect(events.map((e) => e.action)).toEqual(["creative.draft_created", "creative.draft_updated"]);
    expect(events[1]!.data).toEqual({ changed: ["placement", "copy", "claimIds"] });

    // Saving the same thing again (the browser's CRLF included) changes nothing and records nothing.
    clock.advance(60_000);
    await updateCreativeDraft(app, acme.actor, id, draft({ channel: "organic_social", copy: "#ad Our bulbs.", placement: "Stories" }));
    expect(await auditFor(id)).toHaveLength(2);
    expect((await creativeRow(id)).updatedAt).toEqual(updated.updatedAt);
    await updateCreativeDraft(app, acme.actor, id, draft({ channel: "organic_social", copy: "#ad Our\r\nbulbs.", placement: "Stories" }));
    await updateCreativeDraft(app, acme.actor, id, draft({ channel: "organic_social", copy: "#ad Our\nbulbs.", placement: "Stories" }));
    expect((await auditFor(id)).map((e) => e.action)).toEqual(["creative.draft_created", "creative.draft_updated", "creative.draft_updated"]);
  });

  it("refuse an unknown channel at `channel` and a claim that is not an approved library claim at `claimIds`, writing nothing", async () => {
    const acme = await partner();
    const parsed = CreativeDraftSchema.safeParse({ title: "x", channel: "carrier_pigeon" });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join("."))).toContain("channel");

    // The domain does not trust its caller to have parsed.
    const unknownChannel = await refusal(createCreativeDraft(app, acme.actor, { ...draft(), channel: "carrier_pigeon" as CreativeDraftInput["channel"] }));
    expect(unknownChannel).toMatchObject({ kind: "invalid", field: "channel" });

    const draftClaim = await approvedClaim({ status: "draft", text: "Draft claim." });
    const retired = await approvedClaim({ status: "retired", text: "Retired claim." });
    const approved = await approvedClaim();
    for (const claimIds of [[draftClaim.id], [retired.id], [crypto.randomUUID()], [approved.id, crypto.randomUUID()]]) {
      expect(await refusal(createCreativeDraft(app, acme.actor, draft({ claimIds })))).toMatchObject({ kind: "invalid", field: "claimIds" });
    }
    expect(await app.db.select().from(creatives)).toHaveLength(0);
    expect(await app.db.select().from(auditEvents)).toHaveLength(0);

    // The same checks on an update, which then changes nothing.
    const { id } = await createCreativeDraft(app, acme.actor, draft({ claimIds: [approved.id, approved.id] }));
    expect((await creativeRow(id)).claimIds).toEqual([approved.id]);
    expect(await refusal(updateCreativeDraft(app, acme.actor, id, draft({ claimIds: [retired.id] })))).toMatchObject({ field: "claimIds" });
    expect(await refusal(updateCreativeDraft(app, acme.actor, id, { ...draft(), channel: "fax" as CreativeDraftInput["channel"] }))).toMatchObject({
      field: "channel",
    });
    expect((await creativeRow(id)).claimIds).toEqual([approved.id]);
    expect((await auditFor(id)).map((e) => e.action)).toEqual(["creative.draft_created"]);
  });
});

describe("submitting a creative", () => {
  it("is refused without a file, at `file`", async () => {
    const acme = await partner();
    const { id } = await createCreativeDraft(app, acme.actor, draft());
    expect(await refusal(submitCreative(app, acme.actor, id, ORIGIN))).toMatchObject({ kind: "invalid", field: "file" });
    expect(await creativeRow(id)).toMatchObject({ status: "draft", latestVersion: 0 });
    expect(await versionsOf(id)).toHaveLength(0);
  });

  it("is refused with the pre-screen's findings when it finds errors, and nothing is written", async () => {
    await team();
    const acme = await partner();
    const claim = await approvedClaim();
    // Organic social needs a disclosure; the picked claim needs its disclaimer.
    const { id } = await readyDraft(acme, { channel: "organic_social", copy: `${ENERGY_CLAIM} Swap yours today.`, claimIds: [claim.id] });
    await upload(acme, id, "square.png", await png(1080, 1080));
    const before = await auditFor(id);

    const blocked = await refusal(submitCreative(app, acme.actor, id, ORIGIN));
    expect(blocked).toBeInstanceOf(PrescreenBlocked);
    expect(blocked.kind).toBe("invalid");
    const findings = (blocked as PrescreenBlocked).findings;
    const errors = findings.filter((f) => f.severity === "error").map((f) => f.code);
    expect(errors).toEqual(expect.arrayContaining(["missing_disclosure", "missing_disclaimer"]));
    expect(blocked.message).toContain(`${errors.length} problem`);
    const disclaimer = findings.find((f) => f.code === "missing_disclaimer")!;
    // Marked where the claim is in the copy.
    expect(ENERGY_CLAIM).toContain(`${ENERGY_CLAIM} Swap yours today.`.slice(disclaimer.start!, disclaimer.end!));
    expect(disclaimer.start).toBe(0);

    expect(await versionsOf(id)).toHaveLength(0);
    expect(await app.db.select().from(creativeVersionFiles)).toHaveLength(0);
    expect(await creativeRow(id)).toMatchObject({ status: "draft", latestVersion: 0, submittedAt: null });
    expect(await app.db.select().from(outboxMessages)).toHaveLength(0);
    expect(await auditFor(id)).toEqual(before);
    expect(await hasSubmittedCreative(app.db, acme.org.id)).toBe(false);
  });

  it("makes an immutable version 1 with the copy, claims, warnings, rule-set version and files, and tells the active reviewers", async () => {
    const { admin, reviewers } = await team();
    const acme = await partner();
    // Links are accepted only to allowlisted hosts: rule-set version 1 lists the partner's.
    await saveRuleSet(app, { id: admin.id, label: admin.email }, { ...DEFAULT_RULES, allowedDomains: ["acme.test"] });
    const claim = await approvedClaim({ disclaimers: [ENERGY_DISCLAIMER, "Savings depend on use."] });
    const copy = `${ENERGY_CLAIM} ${ENERGY_DISCLAIMER} Savings depend on use.\nThe best bulbs we have tried.`;
    const { id, fileId: image } = await readyDraft(acme, { copy, claimIds: [claim.id], destinationUrl: "https://acme.test/lumen" });
    const { fileId: pdf } = await upload(acme, id, "brochure.pdf", makePdf(2));
    expect(await hasSubmittedCreative(app.db, acme.org.id)).toBe(false);

    const outcome = await submitCreative(app, acme.actor, id, ORIGIN);
    const [version] = await versionsOf(id);
    expect(version).toMatchObject({
      number: 1,
      title: "Spring living room",
      channel: "website_blog",
      placement: "Homepage hero",
      plannedLaunchOn: "2030-04-01",
      destinationUrl: "https://acme.test/lumen",
      copy,
      disclosure: "",
      claims: [{ id: claim.id, text: ENERGY_CLAIM, disclaimers: [ENERGY_DISCLAIMER, "Savings depend on use."] }],
      ruleSetVersion: 1,
      submittedById: acme.user.id,
    });
    // "best" is a warning: it travels with the version; nothing else was found.
    expect(version!.findings.length).toBeGreaterThan(0);
    expect(version!.findings.every((f) => f.severity === "warning")).toBe(true);
    expect(version!.findings.map((f) => f.code)).toContain("possible_unapproved_claim");
    expect(outcome).toEqual({ version: 1, warnings: version!.findings.length, approved: false });

    const versionFiles = await app.db
      .select()
      .from(creativeVersionFiles)
      .where(eq(creativeVersionFiles.versionId, version!.id))
      .orderBy(asc(creativeVersionFiles.position));
    expect(versionFiles.map((f) => [f.fileId, f.position])).toEqual([
      [image, 0],
      [pdf, 1],
    ]);
    const row = await creativeRow(id);
    expect(row).toMatchObject({ status: "submitted", latestVersion: 1 });
    expect(row.submittedAt).toEqual(version!.submittedAt);

    const mail = await app.db.select().from(outboxMessages);
    expect(mail.map((m) => m.payload.to).sort()).toEqual(reviewers);
    expect(mail[0]!.payload.subject).toBe('Acme Media submitted "Spring living room" for review');
    expect(mail[0]!.payload.text).toContain(`${ORIGIN}/admin/creatives/${id}`);
    const submitted = (await auditFor(id)).filter((e) => e.action === "creative.submitted");
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toMatchObject({
      actorId: acme.user.id,
      partnerOrgId: acme.org.id,
      data: { version: 1, warnings: outcome.warnings, ruleSetVersion: 1, files: 2 },
    });
    expect(await hasSubmittedCreative(app.db, acme.org.id)).toBe(true);
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: true });

    // Two submits at once (a double click): one version, the other refused.
    const { id: twice } = await readyDraft(acme, { title: "Twice", copy: "Lumen bulbs light up the living room." });
    const both = await Promise.allSettled([submitCreative(app, acme.actor, twice, ORIGIN), submitCreative(app, acme.actor, twice, ORIGIN)]);
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((both.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ kind: "conflict" });
    expect(await versionsOf(twice)).toHaveLength(1);

    // Waiting for a decision: neither the draft nor a second submission.
    expect(await refusal(submitCreative(app, acme.actor, id, ORIGIN))).toMatchObject({ kind: "conflict" });
    expect(await refusal(updateCreativeDraft(app, acme.actor, id, draft({ copy: "Changed after submitting." })))).toMatchObject({ kind: "conflict" });
    expect(await versionsOf(id)).toHaveLength(1);

    // The team sees it with its version; the partner's view lists the version's files.
    const forTeam = await getCreativeForTeam(app.db, id);
    expect(forTeam?.organisation.name).toBe("Acme Media");
    expect(forTeam?.versions.map((v) => v.number)).toEqual([1]);
    const own = await getCreativeForOrganisation(app.db, acme.org.id, id);
    expect(own?.versions[0]!.files.map((f) => [f.id, f.kind, f.hasPreview])).toEqual([
      [image, "image", true],
      [pdf, "pdf", true],
    ]);
  });

  it("after changes were requested, makes version 2 and leaves version 1 exactly as it was", async () => {
    const { reviewers } = await team();
    const acme = await partner();
    const firstCopy = "Lumen bulbs light up the living room. The best light we have tried.";
    const { id, fileId } = await readyDraft(acme, { copy: firstCopy });
    await submitCreative(app, acme.actor, id, ORIGIN);
    const [v1] = await versionsOf(id);
    // The review workflow (next issue) requests changes.
    await setStatus(id, "changes_requested");
    await app.db.delete(outboxMessages);

    clock.advance(DAY);
    await updateCreativeDraft(app, acme.actor, id, draft({ copy: "Lumen bulbs light up the living room." }));
    const { fileId: second } = await upload(acme, id, "second.jpg", await jpeg(1200, 630));
    const outcome = await submitCreative(app, acme.actor, id, ORIGIN);
    expect(outcome).toEqual({ version: 2, warnings: 0, approved: false });

    const [first, v2] = await versionsOf(id);
    expect(first).toEqual(v1);
    expect(first!.copy).toBe(firstCopy);
    expect(first!.findings.map((f) => f.code)).toEqual(["possible_unapproved_claim"]);
    expect(v2).toMatchObject({ number: 2, copy: "Lumen bulbs light up the living room.", findings: [] });
    expect(v2!.submittedAt.getTime()).toBeGreaterThan(first!.submittedAt.getTime());
    const files = await listVersions(app.db, id);
    expect(files.map((v) => [v.number, v.files.map((f) => f.id)])).toEqual([
      [2, [fileId, second]],
      [1, [fileId]],
    ]);
    expect(await creativeRow(id)).toMatchObject({ status: "submitted", latestVersion: 2 });
    expect((await auditFor(id)).filter((e) => e.action.endsWith("submitted")).map((e) => [e.action, e.data.version])).toEqual([
      ["creative.submitted", 1],
      ["creative.resubmitted", 2],
    ]);
    const mail = await app.db.select().from(outboxMessages);
    expect(mail.map((m) => m.payload.to).sort()).toEqual(reviewers);
    expect(mail[0]!.payload.subject).toBe('Acme Media submitted version 2 of "Spring living room" for review');
  });
});

describe("withdrawing a creative", () => {
  it("takes a submission back with the partner's reason, tells the reviewers, and is audited; a draft or a withdrawn one cannot be", async () => {
    const { reviewers } = await team();
    const acme = await partner();
    const { id } = await readyDraft(acme);
    expect(await refusal(withdrawCreative(app, acme.actor, id, "Not yet.", ORIGIN))).toMatchObject({ kind: "conflict" });
    expect(await creativeRow(id)).toMatchObject({ status: "draft", withdrawnAt: null });

    await submitCreative(app, acme.actor, id, ORIGIN);
    await app.db.delete(outboxMessages);
    clock.advance(3_600_000);
    await withdrawCreative(app, acme.actor, id, "The campaign moved to autumn.", ORIGIN);
    const row = await creativeRow(id);
    expect(row).toMatchObject({ status: "withdrawn", withdrawnReason: "The campaign moved to autumn.", latestVersion: 1 });
    expect(row.withdrawnAt!.getTime()).toBeGreaterThan(row.submittedAt!.getTime());
    const mail = await app.db.select().from(outboxMessages);
    expect(mail.map((m) => m.payload.to).sort()).toEqual(reviewers);
    expect(mail[0]!.payload.text).toContain("The campaign moved to autumn.");
    const withdrawn = (await auditFor(id)).filter((e) => e.action === "creative.withdrawn");
    expect(withdrawn).toHaveLength(1);
    expect(withdrawn[0]).toMatchObject({
      actorId: acme.user.id,
      partnerOrgId: acme.org.id,
      data: { reason: "The campaign moved to autumn.", version: 1, from: "submitted" },
    });

    const again = await refusal(withdrawCreative(app, acme.actor, id, "Again.", ORIGIN));
    expect(again).toMatchObject({ kind: "conflict", message: "This creative was already withdrawn." });
    expect(await creativeRow(id)).toMatchObject({ withdrawnReason: "The campaign moved to autumn." });
    expect(await app.db.select().from(outboxMessages)).toHaveLength(reviewers.length);

    // In review counts as waiting for a decision too.
    const { id: other } = await readyDraft(acme, { title: "Other" });
    await submitCreative(app, acme.actor, other, ORIGIN);
    await setStatus(other, "in_review");
    await withdrawCreative(app, acme.actor, other, "Changed our mind.", ORIGIN);
    expect((await auditFor(other)).at(-1)!.data).toMatchObject({ from: "in_review" });
    // After a decision it is too late.
    const { id: decided } = await readyDraft(acme, { title: "Decided" });
    await submitCreative(app, acme.actor, decided, ORIGIN);
    await setStatus(decided, "approved");
    expect(await refusal(withdrawCreative(app, acme.actor, decided, "Late.", ORIGIN))).toMatchObject({ kind: "conflict" });
  });
});

describe("creative files", () => {
  it("accepts PNG, JPEG and GIF with their size and a preview, a PDF with its page count and first page, an MP4 without a preview", async () => {
    const acme = await partner();
    const { id } = await createCreativeDraft(app, acme.actor, draft());
    const add = async (name: string, bytes: Buffer) => {
      const { fileId } = await upload(acme, id, name, bytes);
      const [row] = await app.db.select().from(creativeFiles).where(eq(creativeFiles.id, fileId));
      return row!;
    };

    const pngBytes = await png(1200, 630);
    const pngRow = await add("../../hero.PNG", pngBytes);
    expect(pngRow).toMatchObject({
      originalFilename: "hero.PNG",
      kind: "image",
      contentType: "image/png",
      width: 1200,
      height: 630,
      pageCount: null,
      byteSize: pngBytes.length,
      uploadedById: acme.user.id,
      detachedAt: null,
    });
    expect(pngRow.storageKey).toBe(`creatives/${id}/${pngRow.id}/original`);
    expect(pngRow.previewKey).toBe(`creatives/${id}/${pngRow.id}/preview.png`);
    expect((await objectBytes(pngRow.storageKey)).equals(pngBytes)).toBe(true);
    expect(await sharp(await objectBytes(pngRow.previewKey!)).metadata()).toMatchObject({ format: "png", width: 512 });

    const jpegRow = await add("photo.jpg", await jpeg(800, 600));
    expect(jpegRow).toMatchObject({ kind: "image", contentType: "image/jpeg", width: 800, height: 600 });
    expect(jpegRow.previewKey).not.toBeNull();

    const gifRow = await add("loop.gif", await animatedGif());
    expect(gifRow).toMatchObject({ kind: "image", contentType: "image/gif", width: 40, height: 30 });
    const gifPreview = sharp(await objectBytes(gifRow.previewKey!));
    expect(await gifPreview.metadata()).toMatchObject({ format: "png", width: 40, height: 30 });
    const { data } = await gifPreview.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([255, 0, 0]); // the first frame

    const pdfRow = await add("brochure.pdf", makePdf(3));
    expect(pdfRow).toMatchObject({ kind: "pdf", contentType: "application/pdf", pageCount: 3, width: null, height: null });
    const pdfPreview = await sharp(await objectBytes(pdfRow.previewKey!)).metadata();
    expect(pdfPreview).toMatchObject({ format: "png", height: 512 });
    expect(pdfPreview.width).toBeLessThan(512);

    const mp4Row = await add("clip.mp4", mp4());
    expect(mp4Row).toMatchObject({ kind: "video", contentType: "video/mp4", previewKey: null, width: null, height: null, pageCount: null });

    expect(await storedKeys(id)).toEqual(
      [pngRow, jpegRow, gifRow, pdfRow, mp4Row].flatMap((f) => [f.storageKey, ...(f.previewKey ? [f.previewKey] : [])]).sort(),
    );
    expect((await listWorkingFiles(app.db, id)).map((f) => f.originalFilename)).toEqual(["hero.PNG", "photo.jpg", "loop.gif", "brochure.pdf", "clip.mp4"]);
    expect((await auditFor(id)).filter((e) => e.action === "creative.file_added")).toHaveLength(5);
  });

  it("refuses other types (415), oversized images (413) and damaged ones (422), leaving no row and no object", async () => {
    const acme = await partner();
    const { id } = await createCreativeDraft(app, acme.actor, draft());
    const refused = async (name: string, bytes: Buffer) => {
      const error = await refusal(upload(acme, id, name, bytes));
      expect(error.field).toBe("file");
      expect(await app.db.select().from(creativeFiles)).toHaveLength(0);
      expect(await storedKeys(id)).toEqual([]);
      return error;
    };

    expect(await refused("notes.txt", Buffer.from("Just some text about bulbs.\n"))).toMatchObject({ kind: "unsupported_type" });
    expect(await refused("page.png", Buffer.from("<!doctype html><html><body><script>alert(1)</script></body></html>"))).toMatchObject({
      kind: "unsupported_type",
    });
    expect(await refused("logo.svg", fs.readFileSync(path.join(FIXTURES, "logo.svg")))).toMatchObject({ kind: "unsupported_type" });
    expect(await refused("empty.png", Buffer.alloc(0))).toMatchObject({ kind: "invalid" });

    // A PNG signature and header, then zeros: refused by its size, before anything decodes it.
    const small = await png(10, 10);
    const big = Buffer.concat([small.subarray(0, 33), Buffer.alloc(26 * MB - 33)]);
    expect(await refused("huge.png", big)).toMatchObject({ kind: "too_large", status: 413 });

    expect(await refused("cut.jpg", fs.readFileSync(path.join(FIXTURES, "hostile/truncated.jpg")))).toMatchObject({ kind: "unprocessable", status: 422 });
    expect(await refused("pixels.png", fs.readFileSync(path.join(FIXTURES, "hostile/pixel-flood.png")))).toMatchObject({ kind: "unprocessable" });
    expect(await refused("cut.pdf", makePdf(2).subarray(0, 40))).toMatchObject({ kind: "unprocessable" });
    // A PDF that opens but has no page: nothing to review.
    const pageless =
      "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    expect(await refused("blank.pdf", Buffer.from(pageless, "latin1"))).toMatchObject({ kind: "unprocessable", message: expect.stringContaining("no pages") });
    expect((await auditFor(id)).map((e) => e.action)).toEqual(["creative.draft_created"]);
  });

  it("takes at most ten files, refuses uploads to a creative waiting for a decision before reading them, and keeps files a version uses", async () => {
    const acme = await partner();
    const { id } = await createCreativeDraft(app, acme.actor, draft());
    const small = await png(1200, 630);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await upload(acme, id, `f${i}.png`, small)).fileId);
    const eleventh = await refusal(upload(acme, id, "f10.png", small));
    expect(eleventh).toMatchObject({ kind: "conflict", field: "file" });
    expect(await app.db.select().from(creativeFiles)).toHaveLength(10);
    expect(await storedKeys(id)).toHaveLength(20);

    // A file no version uses goes, row and objects.
    const [unused] = await app.db.select().from(creativeFiles).where(eq(creativeFiles.id, ids[9]!));
    await removeCreativeFile(app, acme.actor, id, ids[9]!);
    expect(await app.db.select().from(creativeFiles).where(eq(creativeFiles.id, ids[9]!))).toHaveLength(0);
    expect(await app.storage.head(unused!.storageKey)).toBeNull();
    expect(await app.storage.head(unused!.previewKey!)).toBeNull();
    expect(await storedKeys(id)).toHaveLength(18);
    for (const fileId of ids.slice(1, 9)) await removeCreativeFile(app, acme.actor, id, fileId);
    expect(await refusal(removeCreativeFile(app, acme.actor, id, ids[9]!))).toMatchObject({ kind: "not_found" });

    await submitCreative(app, acme.actor, id, ORIGIN);
    // Waiting for a decision: refused before the body is read.
    const request = uploadRequest("late.png", small);
    expect(await refusal(uploadCreativeFile(app, acme.actor, id, request))).toMatchObject({ kind: "conflict" });
    expect(request.bodyUsed).toBe(false);
    expect(await refusal(removeCreativeFile(app, acme.actor, id, ids[0]!))).toMatchObject({ kind: "conflict" });

    // After changes were requested, removing the file version 1 uses only detaches it.
    await setStatus(id, "changes_requested");
    const [kept] = await app.db.select().from(creativeFiles).where(eq(creativeFiles.id, ids[0]!));
    await removeCreativeFile(app, acme.actor, id, ids[0]!);
    const [detached] = await app.db.select().from(creativeFiles).where(eq(creativeFiles.id, ids[0]!));
    expect(detached!.detachedAt).not.toBeNull();
    expect(await app.storage.head(kept!.storageKey)).not.toBeNull();
    expect(await app.storage.head(kept!.previewKey!)).not.toBeNull();
    expect(await listWorkingFiles(app.db, id)).toEqual([]);
    const [v1] = await listVersions(app.db, id);
    expect(v1!.files.map((f) => f.id)).toEqual([ids[0]]);
    // Detached, it is gone from the working copy: not removable again, not counted, not submitted.
    expect(await refusal(removeCreativeFile(app, acme.actor, id, ids[0]!))).toMatchObject({ kind: "not_found" });
    expect(await refusal(submitCreative(app, acme.actor, id, ORIGIN))).toMatchObject({ field: "file" });
    const removed = (await auditFor(id)).filter((e) => e.action === "creative.file_removed");
    expect(removed.map((e) => e.data.kept)).toEqual([...Array(9).fill(false), true]);
  });
});

describe("orphaned creative objects", () => {
  it("are swept once a day old when no file row points at them; files with rows stay", async () => {
    const acme = await partner();
    const { id } = await createCreativeDraft(app, acme.actor, draft());
    const { fileId } = await upload(acme, id, "kept.png", await png(1200, 630));
    const strayKey = `creatives/${id}/${crypto.randomUUID()}/original`;
    await app.storage.put(strayKey, Readable.from([Buffer.from("left by a crash")]), { maxBytes: 1024 });
    // Too young: an upload may still be committing its row.
    expect(await sweepOrphanCreativeObjects(app)).toMatchObject({ deleted: 0 });
    expect(await app.storage.head(strayKey)).not.toBeNull();
    clock.advance(DAY + 60_000);
    // Earlier tests' files lost their rows to the database reset, so they are swept too.
    expect((await sweepOrphanCreativeObjects(app)).deleted).toBeGreaterThanOrEqual(1);
    expect(await app.storage.head(strayKey)).toBeNull();
    const [file] = await app.db.select().from(creativeFiles).where(eq(creativeFiles.id, fileId));
    expect(await app.storage.head(file!.storageKey)).not.toBeNull();
    expect(await app.storage.head(file!.previewKey!)).not.toBeNull();
  });
});

describe("organisations", () => {
  it("cannot reach another organisation's creatives: every call reads as not found and nothing changes", async () => {
    await team();
    const acme = await partner("Acme Media");
    const globex = await partner("Globex");
    const { id, fileId } = await readyDraft(acme);
    const { id: own } = await readyDraft(globex, { title: "Globex own" });
    const snapshot = async () => ({
      creative: await creativeRow(id),
      files: await app.db.select().from(creativeFiles).where(eq(creativeFiles.creativeId, id)),
      keys: await storedKeys(id),
      audit: await auditFor(id),
      versions: await versionsOf(id),
    });
    const before = await snapshot();

    expect(await getCreativeForOrganisation(app.db, globex.org.id, id)).toBeNull();
    const request = uploadRequest("x.png", await png(1200, 630));
    const attempts: (() => Promise<unknown>)[] = [
      () => updateCreativeDraft(app, globex.actor, id, draft({ title: "Hijacked" })),
      () => submitCreative(app, globex.actor, id, ORIGIN),
      () => withdrawCreative(app, globex.actor, id, "Hijacked.", ORIGIN),
      () => uploadCreativeFile(app, globex.actor, id, request),
      () => removeCreativeFile(app, globex.actor, id, fileId),
      // Its own creative with the other's file.
      () => removeCreativeFile(app, globex.actor, own, fileId),
    ];
    for (const attempt of attempts) {
      const error = await refusal(attempt());
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.kind).toBe("not_found");
    }
    await submitCreative(app, acme.actor, id, ORIGIN);
    expect(await refusal(withdrawCreative(app, globex.actor, id, "Hijacked.", ORIGIN))).toBeInstanceOf(NotFoundError);

    const after = await snapshot();
    expect(request.bodyUsed).toBe(false);
    expect(after.creative).toMatchObject({
      ...before.creative,
      status: "submitted",
      latestVersion: 1,
      submittedAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    expect(after.files).toEqual(before.files);
    expect(after.keys).toEqual(before.keys);
    expect(after.audit.slice(0, before.audit.length)).toEqual(before.audit);
    expect(after.audit.slice(before.audit.length).map((e) => [e.action, e.actorId])).toEqual([["creative.submitted", acme.user.id]]);
    expect((await listCreativesForOrganisation(app.db, globex.org.id, {}, 1)).rows.map((r) => r.id)).toEqual([own]);
    expect((await listCreativesForOrganisation(app.db, globex.org.id, { q: "Spring" }, 1)).rows).toEqual([]);
    expect(await hasSubmittedCreative(app.db, globex.org.id)).toBe(false);
  });

  it("refuses drafts and submissions from a paused or terminated partner", async () => {
    const acme = await partner();
    const { id } = await readyDraft(acme);
    for (const status of ["paused", "terminated"] as const) {
      await app.db.update(partnerOrganisations).set({ status }).where(eq(partnerOrganisations.id, acme.org.id));
      const calls = [
        () => createCreativeDraft(app, acme.actor, draft()),
        () => updateCreativeDraft(app, acme.actor, id, draft({ title: "Changed" })),
        () => submitCreative(app, acme.actor, id, ORIGIN),
      ];
      for (const call of calls) {
        const error = await refusal(call());
        expect(error).toBeInstanceOf(ForbiddenError);
        expect((error as ForbiddenError).reason).toBe(`partner_${status}`);
      }
    }
    expect(await app.db.select().from(creatives)).toHaveLength(1);
    expect(await creativeRow(id)).toMatchObject({ title: "Spring living room", status: "draft" });
    expect(await versionsOf(id)).toHaveLength(0);

    // Resumed, it carries on.
    await app.db.update(partnerOrganisations).set({ status: "active" }).where(eq(partnerOrganisations.id, acme.org.id));
    await submitCreative(app, acme.actor, id, ORIGIN);
  });
});

describe("creative lists", () => {
  it("page by 25, search title, placement and copy, filter by status and channel; the team never sees drafts", async () => {
    const acme = await partner();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      clock.advance(1000);
      ids.push(
        (await createCreativeDraft(app, acme.actor, draft({ title: `Creative ${String(i).padStart(2, "0")}`, placement: "Sidebar", copy: "Plain copy." }))).id,
      );
    }
    const first = await listCreativesForOrganisation(app.db, acme.org.id, {}, 1);
    expect(first).toMatchObject({ total: 30, page: 1, pageCount: 2 });
    expect(first.rows).toHaveLength(CREATIVES_PAGE_SIZE);
    expect(first.rows[0]!.title).toBe("Creative 29"); // newest change first
    const second = await listCreativesForOrganisation(app.db, acme.org.id, {}, 2);
    expect(second.rows.map((r) => r.title)).toEqual(["Creative 04", "Creative 03", "Creative 02", "Creative 01", "Creative 00"]);

    clock.advance(1000);
    const { id: social } = await readyDraft(acme, {
      title: "Summer reel",
      placement: "Instagram stories",
      channel: "organic_social",
      copy: "#ad Glowing 100% evenings with Lumen.",
    });
    await upload(acme, social, "square.png", await png(1080, 1080));
    const { id: blog } = await readyDraft(acme, { title: "Blog banner", placement: "Header", copy: "Warm_white evenings." });
    await submitCreative(app, acme.actor, social, ORIGIN);
    await submitCreative(app, acme.actor, blog, ORIGIN);
    await setStatus(blog, "in_review");

    const search = async (q: string) =>
      (await listCreativesForOrganisation(app.db, acme.org.id, CreativeFiltersSchema.parse({ q }), 1)).rows.map((r) => r.id).sort();
    expect(await search("summer")).toEqual([social]);
    expect(await search("STORIES")).toEqual([social]);
    expect(await search("glowing")).toEqual([social]);
    expect(await search("100%")).toEqual([social]);
    // % and _ are literal, not LIKE wildcards.
    expect(await search("wa_m")).toEqual([]);
    expect(await search("5%")).toEqual([]);
    expect(await search("warm_white")).toEqual([blog]);
    expect(await search("creative 1")).toHaveLength(10);

    const filtered = async (filters: Record<string, string>) =>
      (await listCreativesForOrganisation(app.db, acme.org.id, CreativeFiltersSchema.parse(filters), 1)).rows.map((r) => r.id).sort();
    expect(await filtered({ status: "submitted" })).toEqual([social]);
    expect(await filtered({ status: "in_review" })).toEqual([blog]);
    expect(await filtered({ channel: "organic_social" })).toEqual([social]);
    const total = async (filters: Record<string, string>) =>
      (await listCreativesForOrganisation(app.db, acme.org.id, CreativeFiltersSchema.parse(filters), 1)).total;
    expect(await total({ channel: "website_blog", status: "draft" })).toBe(30);
    expect(await filtered({ channel: "website_blog", q: "banner" })).toEqual([blog]);
    // Nonsense filters are ignored, not errors.
    expect(await total({ status: "bogus", channel: "fax" })).toBe(32);

    // The team's list: waiting ones first, the longest waiting first; decided ones after.
    const { id: done } = await readyDraft(acme, { title: "Done" });
    await submitCreative(app, acme.actor, done, ORIGIN);
    await setStatus(done, "approved");
    const forTeam = await listCreativesForTeam(app.db, {}, 1);
    expect(forTeam.total).toBe(3);
    expect(forTeam.rows.map((r) => r.id)).toEqual([social, blog, done]);
    expect(forTeam.rows[0]).toMatchObject({ organisationId: acme.org.id, organisationName: "Acme Media" });
    expect((await listCreativesForTeam(app.db, { status: "draft" }, 1)).rows).toEqual([]);
    expect((await listCreativesForTeam(app.db, { q: "Creative" }, 1)).rows).toEqual([]);
    expect(await getCreativeForTeam(app.db, ids[0]!)).toBeNull();
    expect(await countCreativesByStatus(app.db, acme.org.id)).toEqual({ draft: 30, submitted: 1, in_review: 1, approved: 1 });
    expect(await countCreativesByStatus(app.db, null)).toEqual({ submitted: 1, in_review: 1, approved: 1 });
  });
});

describe("pre-screen rule sets", () => {
  async function ruleEditor() {
    const ada = await createUser(app.db, { role: "admin", email: "ada@brand.test" });
    return { ada, admin: { id: ada.id, label: ada.email } };
  }

  it("start at version 0 (the defaults), number each saved change, audit it, and skip a save that changes nothing", async () => {
    const { ada, admin } = await ruleEditor();
    const initial = await currentRuleSet(app.db);
    expect(initial).toMatchObject({ version: 0, createdAt: null });
    expect({ ...initial.rules, version: undefined }).toEqual({ ...DEFAULT_RULES, version: undefined });

    const first = await saveRuleSet(app, admin, { ...DEFAULT_RULES, bannedTerms: ["miracle"] });
    expect(first).toEqual({ version: 1, changed: ["bannedTerms"] });
    const second = await saveRuleSet(app, admin, { ...DEFAULT_RULES, bannedTerms: ["miracle"], disclosureWithinChars: 100, allowedDomains: ["acme.test"] });
    expect(second).toEqual({ version: 2, changed: ["disclosureWithinChars", "allowedDomains"] });
    // The version a caller passes is not the one stored; identical rules make no version.
    expect(
      await saveRuleSet(app, admin, { ...DEFAULT_RULES, version: 99, bannedTerms: ["miracle"], disclosureWithinChars: 100, allowedDomains: ["acme.test"] }),
    ).toEqual({ version: 2, changed: [] });

    let current = await currentRuleSet(app.db);
    expect(current.version).toBe(2);
    expect(current.rules).toMatchObject({ version: 2, bannedTerms: ["miracle"], disclosureWithinChars: 100, allowedDomains: ["acme.test"] });
    expect((await app.db.select().from(prescreenRuleSets)).map((r) => [r.version, r.createdById])).toEqual([
      [1, ada.id],
      [2, ada.id],
    ]);
    const events = await app.db.select().from(auditEvents).where(eq(auditEvents.action, "prescreen.rules_updated")).orderBy(asc(auditEvents.id));
    expect(events.map((e) => [e.subjectType, e.subjectId, e.actorId, e.data])).toEqual([
      ["prescreen_rules", "1", ada.id, expect.objectContaining({ version: 1, changed: ["bannedTerms"] })],
      ["prescreen_rules", "2", ada.id, expect.objectContaining({ version: 2, changed: ["disclosureWithinChars", "allowedDomains"] })],
    ]);
    // Each save records what it changed from and to.
    expect(events[1]!.data).toMatchObject({ values: { disclosureWithinChars: { to: 100 }, allowedDomains: { from: [], to: ["acme.test"] } } });
    expect(Object.keys((events[1]!.data as { values: object }).values).sort()).toEqual(["allowedDomains", "disclosureWithinChars"]);

    // Two admins saving at once get consecutive numbers.
    const saves = await Promise.all([
      saveRuleSet(app, admin, { ...current.rules, bannedTerms: ["a"] }),
      saveRuleSet(app, admin, { ...current.rules, bannedTerms: ["b"] }),
    ]);
    expect(saves.map((r) => r.version).sort()).toEqual([3, 4]);
    current = await currentRuleSet(app.db);
    expect(current.version).toBe(4);
  });

  it("a submission keeps the rule-set version it was checked against and its findings when the rules change later", async () => {
    const { admin } = await ruleEditor();
    const acme = await partner();
    await saveRuleSet(app, admin, { ...DEFAULT_RULES, bannedTerms: ["miracle"] });
    const copy = "Lumen bulbs glow warm. The best light for reading.";
    const { id } = await readyDraft(acme, { copy });
    await submitCreative(app, acme.actor, id, ORIGIN);
    const [before] = await versionsOf(id);
    expect(before).toMatchObject({ ruleSetVersion: 1, findings: [expect.objectContaining({ code: "possible_unapproved_claim", severity: "warning" })] });

    // Now "glow" is banned and "best" is no longer a trigger: the stored version does not move.
    await saveRuleSet(app, admin, { ...DEFAULT_RULES, bannedTerms: ["miracle", "glow"], claimTriggers: ["%"] });
    const [after] = await versionsOf(id);
    expect(after).toEqual(before);
    const live = await prescreenDraftText(app.db, acme.org.id, { copy, channel: "website_blog", claimIds: [], destinationUrl: null }, [], clock.now());
    expect(live.ruleSetVersion).toBe(2);
    expect(live.findings.map((f) => f.code)).toEqual(["banned_term"]);

    // The next submission is checked against version 2, and refused by it.
    const { id: next } = await readyDraft(acme, { copy, title: "Next" });
    const blocked = await refusal(submitCreative(app, acme.actor, next, ORIGIN));
    expect((blocked as PrescreenBlocked).findings.map((f) => f.code)).toEqual(["banned_term"]);
  });

  it("judges a claim's expiry by the context's clock", async () => {
    const acme = await partner();
    const day = (offsetDays: number) => new Date(clock.now().getTime() + offsetDays * DAY).toISOString().slice(0, 10);
    const claim = await approvedClaim({ expiresOn: day(1) });
    const copy = `${ENERGY_CLAIM} ${ENERGY_DISCLAIMER}`;
    const today = await readyDraft(acme, { copy, claimIds: [claim.id] });
    const later = await readyDraft(acme, { copy, claimIds: [claim.id], title: "Later" });
    expect(await submitCreative(app, acme.actor, today.id, ORIGIN)).toEqual({ version: 1, warnings: 0, approved: false });

    clock.advance(3 * DAY);
    const live = await prescreenDraftText(app.db, acme.org.id, { copy, channel: "website_blog", claimIds: [claim.id], destinationUrl: null }, [], clock.now());
    expect(live.findings.map((f) => f.code)).toEqual(["claim_not_allowed"]);
    const blocked = await refusal(submitCreative(app, acme.actor, later.id, ORIGIN));
    expect(blocked).toBeInstanceOf(PrescreenBlocked);
    const finding = (blocked as PrescreenBlocked).findings.find((f) => f.code === "claim_not_allowed");
    expect(finding?.message).toContain("expired");
    expect(await creativeRow(later.id)).toMatchObject({ status: "draft" });
    // The submission made before the expiry keeps its clean result.
    expect((await versionsOf(today.id))[0]!.findings).toEqual([]);
  });
});
