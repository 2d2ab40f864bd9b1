import { randomUUID } from "node:crypto";
import {
  creativeFiles,
  creatives,
  creativeVersionFiles,
  creativeVersions,
  reviewStages,
  type ClaimSnapshot,
  type Creative,
  type StoredFinding,
} from "#db/schema/index";
import type { Db } from "~/lib/db.server";

/** What may differ from one version to the next (the compare page's fields), and the version's findings and file. */
export type VersionSeed = {
  title?: string;
  channel?: string;
  placement?: string;
  destinationUrl?: string;
  copy?: string;
  claims?: ClaimSnapshot[];
  disclosure?: string;
  findings?: StoredFinding[];
  /** The version's one file, as a row only (pages render its URL; no object is stored). */
  file?: { kind: "image" | "pdf"; pageCount?: number };
};

/** A stage of the newest version, as the review engine would have opened it. */
export type StageSeed = {
  stage: "brand" | "legal";
  status?: "waiting" | "pending" | "approved" | "changes_requested" | "rejected" | "cancelled";
  dueAt?: Date | null;
  assigneeId?: string | null;
  confirmsVersion?: number | null;
};

const HOUR = 3_600_000;

/**
 * A submitted creative written straight into the tables, as the partner's
 * submission and the review engine leave it: its versions (1..n, each with
 * the given fields, findings and file) and the stages of the newest version.
 * Reviews and the queue read these rows; nothing here goes through the domain.
 */
export async function seedReviewCreative(
  db: Db,
  input: {
    organisationId: string;
    authorId: string;
    title: string;
    status?: Creative["status"];
    channel?: string;
    versions?: VersionSeed[];
    stages?: StageSeed[];
    decidedAt?: Date | null;
    now?: Date;
  },
) {
  const now = input.now ?? new Date();
  const versions = input.versions?.length ? input.versions : [{}];
  const channel = input.channel ?? "website_blog";
  const latest = versions.at(-1)!;
  const [creative] = await db
    .insert(creatives)
    .values({
      organisationId: input.organisationId,
      status: input.status ?? "submitted",
      title: input.title,
      channel: latest.channel ?? channel,
      placement: latest.placement ?? "Homepage banner",
      copy: latest.copy ?? "Mornings with Northwind. #ad",
      latestVersion: versions.length,
      submittedAt: now,
      decidedAt: input.decidedAt ?? null,
      createdById: input.authorId,
    })
    .returning();
  const made: { id: string; number: number; fileId: string | null }[] = [];
  for (const [index, seed] of versions.entries()) {
    const number = index + 1;
    const [version] = await db
      .insert(creativeVersions)
      .values({
        creativeId: creative!.id,
        number,
        title: seed.title ?? input.title,
        channel: seed.channel ?? channel,
        placement: seed.placement ?? "Homepage banner",
        destinationUrl: seed.destinationUrl ?? "https://northwindcoffee.com/shop",
        copy: seed.copy ?? "Mornings with Northwind. #ad",
        claims: seed.claims ?? [],
        disclosure: seed.disclosure ?? "#ad",
        findings: seed.findings ?? [],
        ruleSetVersion: 0,
        submittedById: input.authorId,
        submittedAt: new Date(now.getTime() - (versions.length - number) * HOUR),
      })
      .returning();
    let fileId: string | null = null;
    if (seed.file) {
      fileId = randomUUID();
      const pdf = seed.file.kind === "pdf";
      await db.insert(creativeFiles).values({
        id: fileId,
        creativeId: creative!.id,
        kind: seed.file.kind,
        storageKey: `creatives/${creative!.id}/${fileId}/original`,
        contentType: pdf ? "application/pdf" : "image/png",
        originalFilename: pdf ? `brochure-v${number}.pdf` : `banner-v${number}.png`,
        byteSize: 1024,
        sha256: "0".repeat(64),
        width: pdf ? null : 1200,
        height: pdf ? null : 630,
        pageCount: pdf ? (seed.file.pageCount ?? 1) : null,
        uploadedById: input.authorId,
      });
      await db.insert(creativeVersionFiles).values({ versionId: version!.id, fileId, position: 0 });
    }
    made.push({ id: version!.id, number, fileId });
  }
  const newest = made.at(-1)!;
  const stageIds: string[] = [];
  for (const [position, seed] of (input.stages ?? []).entries()) {
    const [stage] = await db
      .insert(reviewStages)
      .values({
        creativeId: creative!.id,
        versionId: newest.id,
        versionNumber: newest.number,
        stage: seed.stage,
        position,
        status: seed.status ?? "pending",
        requiredBy: "Everything else",
        confirmsVersion: seed.confirmsVersion ?? null,
        startedAt: now,
        dueAt: seed.dueAt === undefined ? new Date(now.getTime() + 48 * HOUR) : seed.dueAt,
        assigneeId: seed.assigneeId ?? null,
        assignedAt: seed.assigneeId ? now : null,
      })
      .returning({ id: reviewStages.id });
    stageIds.push(stage!.id);
  }
  return { id: creative!.id, versions: made, stageIds };
}
