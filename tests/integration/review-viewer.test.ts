import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { asc, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, creativeComments, creativeFilePages, creativeFiles, creatives, creativeVersionFiles, creativeVersions } from "#db/schema/index";
import { creativeFileKey, creativePreviewKey } from "~/domain/creatives/files.server";
import {
  addComment,
  commentsForPartner,
  commentsOfCreative,
  reopenComment,
  resolveComment,
  type CommentInput,
  type ReviewActor,
} from "~/domain/review/comments.server";
import { pageImage } from "~/domain/review/pages.server";
import { DomainError, ForbiddenError, NotFoundError } from "~/lib/errors";
import { PAGE_MAX_WIDTH, renderPdfPage } from "~/lib/pdf.server";
import { resetDatabase, usingPostgres } from "../support/db";
import { createPartner, signedIn } from "../support/context";
import { pngImage } from "../support/creatives";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";
import { makePdf } from "../support/pdf";

// Issue 14 §3–4: PDF pages rendered on the server once per file, the page
// routes of both areas, and pinned comments (numbering, rules, resolve and
// reopen, who may comment and who sees them), over HTTP and called directly.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ configure: (config) => ({ ...config, trustProxy: "loopback" }) });
});
afterAll(() => server.close());
beforeEach(() => resetDatabase(server.app.db));

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Partner = Awaited<ReturnType<typeof createPartner>>;

async function storeFile(creativeId: string, partner: Partner, file: { name: string; kind: "pdf" | "image"; bytes: Buffer; pageCount?: number }) {
  const id = randomUUID();
  const contentType = file.kind === "pdf" ? "application/pdf" : "image/png";
  const stored = await server.app.storage.put(creativeFileKey(creativeId, id), Readable.from([file.bytes]), { maxBytes: 10_000_000, contentType });
  let previewKey: string | null = null;
  if (file.kind === "image") {
    previewKey = creativePreviewKey(creativeId, id);
    await server.app.storage.put(previewKey, Readable.from([await sharp(file.bytes).resize(512).png().toBuffer()]), { maxBytes: 10_000_000 });
  }
  await server.app.db.insert(creativeFiles).values({
    id,
    creativeId,
    kind: file.kind,
    storageKey: stored.key,
    previewKey,
    contentType,
    originalFilename: file.name,
    byteSize: stored.size,
    sha256: stored.sha256,
    width: file.kind === "image" ? 1200 : null,
    height: file.kind === "image" ? 600 : null,
    pageCount: file.pageCount ?? null,
    uploadedById: partner.user.id,
  });
  return id;
}

/**
 * A creative submitted twice: version 1 with an image, version 2 (the latest)
 * with a 3-page PDF and the same image; plus a file on the working copy that
 * no version holds.
 */
async function submittedCreative(partner: Partner) {
  const db = server.app.db;
  const now = new Date();
  const [creative] = await db
    .insert(creatives)
    .values({
      organisationId: partner.org.id,
      status: "submitted",
      title: "Autumn brochure",
      channel: "website_blog",
      copy: "Warm light for long evenings.",
      latestVersion: 2,
      submittedAt: now,
      createdById: partner.user.id,
    })
    .returning();
  const id = creative!.id;
  const banner = await storeFile(id, partner, {
    name: "banner.png",
    kind: "image",
    bytes: await pngImage(1200, 600),
  });
  const brochure = await storeFile(id, partner, { name: "brochure.pdf", kind: "pdf", bytes: makePdf(3), pageCount: 3 });
  const loose = await storeFile(id, partner, { name: "draft.pdf", kind: "pdf", bytes: makePdf(1), pageCount: 1 });
  const versionIds: string[] = [];
  for (const [number, files] of [
    [1, [banner]],
    [2, [brochure, banner]],
  ] as const) {
    const [version] = await db
      .insert(creativeVersions)
      .values({
        creativeId: id,
        number,
        title: "Autumn brochure",
        channel: "website_blog",
        placement: "",
        destinationUrl: "",
        copy: "Warm light for long evenings.",
        claims: [],
        disclosure: "",
        findings: [],
        ruleSetVersion: 0,
        submittedById: partner.user.id,
        submittedAt: now,
      })
      .returning();
    versionIds.push(version!.id);
    await db.insert(creativeVersionFiles).values(files.map((fileId, position) => ({ versionId: version!.id, fileId, position })));
  }
  return { id, banner, brochure, loose, versionIds };
}

async function reviewer(role: "admin" | "brand_reviewer" | "legal_reviewer" | "analyst" = "brand_reviewer") {
  const user = await signedIn(server.app, { role, name: `Rey ${role}`, email: `${role}-${randomUUID().slice(0, 8)}@brand.test` });
  const actor: ReviewActor = { id: user.id, label: user.email, role };
  return { user, actor, headers: { Cookie: user.cookie } };
}

async function objectsUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of server.app.storage.list(prefix)) keys.push(object.key);
  return keys.sort();
}

const pagesPrefix = (creativeId: string, fileId: string) => `creatives/${creativeId}/${fileId}/pages/`;

describe("PDF pages rendered on the server", () => {
  it("draws a page as a PNG no wider than the maximum, and refuses a page the document does not have", async () => {
    const page = await renderPdfPage(makePdf(3), 2, { width: 800 });
    expect(page.png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const meta = await sharp(page.png).metadata();
    expect(meta).toMatchObject({ format: "png", width: 800, height: Math.round((842 * 800) / 595) });
    expect((await renderPdfPage(makePdf(1), 1, { width: 10_000 })).width).toBe(PAGE_MAX_WIDTH);
    // A very long page is drawn smaller than the widest width rather than as a huge bitmap.
    const roll = await renderPdfPage(makePdf(1, { width: 200, height: 14_000 }), 1);
    expect(roll.width * roll.height).toBeLessThanOrEqual(8_000_000);
    expect(roll.width).toBeLessThan(PAGE_MAX_WIDTH);
    await expect(renderPdfPage(makePdf(3), 4)).rejects.toThrow(RangeError);
  });

  it("renders a page on the first request and serves the stored rendition afterwards", async () => {
    const owner = await createPartner(server.app, { name: "Lumen Media" });
    const creative = await submittedCreative(owner);
    const { headers } = await reviewer("analyst");
    const url = `/admin/creatives/${creative.id}/files/${creative.brochure}/pages/2`;

    const first = await get(server, url, headers);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/png");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("cache-control")).toContain("private");
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const meta = await sharp(bytes).metadata();
    expect(meta.width).toBe(PAGE_MAX_WIDTH);
    expect(meta.height).toBe(Math.round((842 * PAGE_MAX_WIDTH) / 595));

    const rows = await server.app.db.select().from(creativeFilePages).where(eq(creativeFilePages.fileId, creative.brochure));
    expect(rows.find((r) => r.page === 2)).toMatchObject({ width: meta.width, height: meta.height });
    const objects = await objectsUnder(pagesPrefix(creative.id, creative.brochure));
    expect(objects).toContain(rows.find((r) => r.page === 2)!.storageKey);

    // The second request reads the row: the same bytes, no new object.
    const again = await get(server, url, headers);
    expect(Buffer.from(await again.arrayBuffer())).toEqual(bytes);
    const unchanged = await get(server, url, { ...headers, "If-None-Match": first.headers.get("etag")! });
    expect(unchanged.status).toBe(304);
    // The other pages were queued behind the first: each rendered once, one object per page, and every object has its row.
    const image = await pageImage(server.app, creative.brochure, 3);
    const settled = await server.app.db
      .select()
      .from(creativeFilePages)
      .where(eq(creativeFilePages.fileId, creative.brochure))
      .orderBy(asc(creativeFilePages.page));
    expect(settled.map((r) => r.page)).toEqual([1, 2, 3]);
    expect(image.storageKey).toBe(settled[2]!.storageKey);
    expect(await objectsUnder(pagesPrefix(creative.id, creative.brochure))).toEqual(settled.map((r) => r.storageKey).sort());
  });

  it("renders a page asked for many times at once only once", async () => {
    const owner = await createPartner(server.app, { name: "Lumen Media" });
    const creative = await submittedCreative(owner);
    const images = await Promise.all(Array.from({ length: 5 }, () => pageImage(server.app, creative.brochure, 1)));
    expect(new Set(images.map((i) => i.storageKey)).size).toBe(1);
    await pageImage(server.app, creative.brochure, 3);
    const rows = await server.app.db.select().from(creativeFilePages).where(eq(creativeFilePages.fileId, creative.brochure));
    expect(rows).toHaveLength(3);
    expect(await objectsUnder(pagesPrefix(creative.id, creative.brochure))).toHaveLength(3);
  });

  it("answers 404 for a page outside the document, a file without pages, a file of no version and another creative's file", async () => {
    const owner = await createPartner(server.app, { name: "Lumen Media" });
    const creative = await submittedCreative(owner);
    const other = await submittedCreative(owner);
    const { headers } = await reviewer();
    const base = `/admin/creatives/${creative.id}/files`;
    for (const path of [
      `${base}/${creative.brochure}/pages/0`,
      `${base}/${creative.brochure}/pages/4`,
      `${base}/${creative.brochure}/pages/01`,
      `${base}/${creative.brochure}/pages/two`,
      `${base}/${creative.banner}/pages/1`,
      // On the working copy only: the partner's, not the reviewers'.
      `${base}/${creative.loose}/pages/1`,
      `${base}/${other.brochure}/pages/1`,
    ]) {
      const response = await get(server, path, headers);
      expect(response.status, path).toBe(404);
      await response.arrayBuffer();
    }
    await expect(pageImage(server.app, creative.brochure, 4)).rejects.toBeInstanceOf(NotFoundError);
    await expect(pageImage(server.app, creative.banner, 1)).rejects.toBeInstanceOf(NotFoundError);
    expect(await server.app.db.select().from(creativeFilePages)).toHaveLength(0);
  });

  it("serves the partner the pages of their own creative only", async () => {
    const owner = await createPartner(server.app, { name: "Lumen Media" });
    const stranger = await createPartner(server.app, { name: "Other Media" });
    const creative = await submittedCreative(owner);
    const url = `/partner/creatives/${creative.id}/files/${creative.brochure}/pages/1`;
    const own = await get(server, url, { Cookie: owner.cookie });
    expect(own.status).toBe(200);
    expect(Buffer.from(await own.arrayBuffer()).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    // The partner's own working-copy PDF has pages too.
    const loose = await get(server, `/partner/creatives/${creative.id}/files/${creative.loose}/pages/1`, { Cookie: owner.cookie });
    expect(loose.status).toBe(200);
    await loose.arrayBuffer();
    const foreign = await get(server, url, { Cookie: stranger.cookie });
    expect(foreign.status).toBe(404);
    await foreign.arrayBuffer();
  });
});

describe("pinned comments", () => {
  it("numbers comments per version and keeps numbers distinct when they are added at once", async () => {
    const owner = await createPartner(server.app, { name: "Lumen Media" });
    const creative = await submittedCreative(owner);
    const { actor } = await reviewer();
    const added = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        addComment(server.app, actor, creative.id, { version: 2, fileId: creative.brochure, page: 1 + (i % 3), x: 0.1 * i, y: 0.5, body: `Point ${i}` }),
      ),
    );
    expect(added.map((c) => c.number).sort()).toEqual([1, 2, 3, 4, 5]);
    const groups = await commentsOfCreative(server.app.db, creative.id);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.version).toBe(2);
    expect(groups[0]!.comments.map((c) => c.number)).toEqual([1, 2, 3, 4, 5]);
    expect(groups[0]!.comments[0]).toMatchObject({ authorName: "Rey brand_reviewer", resolvedAt: null });
    const audit = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "creative.comment_added"));
    expect(audit).toHaveLength(5);
    expect(audit[0]).toMatchObject({ subjectId: creative.id, partnerOrgId: owner.org.id });
  }, 20_000);

  it(`numbers comments one after another on ${usingPostgres ? "PostgreSQL" : "PGlite"} when reviewers add them over HTTP at once`, async () => {
    const owner = await createPartner(server.app, { name: "Lumen Media" });
    const creative = await submittedCreative(owner);
    const people = await Promise.all([reviewer("admin"), reviewer("brand_reviewer"), reviewer("legal_reviewer")]);
    const responses = await Promise.all(
      people.flatMap(({ headers }, i) =>
        [0, 1].map((j) =>
          postForm(
            server,
            `/admin/creatives/${creative.id}/comments`,
            { intent: "add", version: "2", fileId: creative.banner, page: "1", x: "0.25", y: "0.75", body: `From ${i}.${j}` },
            { ...headers, "X-Forwarded-For": `198.51.100.${20 + i}` },
          ),
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(302));
    const rows = await server.app.db.select({ number: creativeComments.number }).from(creativeComments).orderBy(asc(creativeComments.number));
    expect(rows.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 20_000);

  it("refuses what breaks the rules with a message at its field", async () => {
    const owner = await createPartner(server.app, { name: "Lumen Media" });
    const creative = await submittedCreative(owner);
    const { actor } = await reviewer();
    const base: CommentInput = { version: 2, fileId: creative.brochure, page: 1, x: 0.5, y: 0.5, body: "Logo too small." };
    const cases: [Partial<CommentInput>, string, string][] = [
      [{ y: null }, "x", "A pin needs both its horizontal and vertical position."],
      [{ x: 1.5 }, "x", "A pin must sit on the image: its position is between 0 and 1."],
      [{ y: -0.1 }, "y", "A pin must sit on the image: its position is between 0 and 1."],
      [{ body: "   \n " }, "body", "A comment is required."],
      [{ body: "x".repeat(2001) }, "body", "A comment must be at most 2000 characters."],
      [{ page: 4 }, "page", "Choose a page from 1 to 3."],
      [{ page: null, x: null, y: null }, "page", "Choose a page from 1 to 3."],
      [{ fileId: creative.banner, page: 2 }, "page", "This file has one page: comment on page 1."],
      [{ fileId: creative.loose }, "fileId", "That file is not part of version 2."],
      [{ fileId: null }, "page", "A comment on a page or a point needs its file."],
      [{ version: 3 }, "version", "This creative has no version 3."],
    ];
    for (const [change, field, message] of cases) {
      const error = await addComment(server.app, actor, creative.id, { ...base, ...change }).catch((e: unknown) => e);
      expect(error, JSON.stringify(change)).toBeInstanceOf(DomainError);
      expect(error, JSON.stringify(change)).toMatchObject({ kind: "invalid", field, message });
    }
    const stale = await addComment(server.app, actor, creative.id, { ...base, version: 1, fileId: creative.banner }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ kind: "conflict", message: "Comments go on the latest version (2)." });
    await expect(addComment(server.app, actor, randomUUID(), base)).rejects.toBeInstanceOf(NotFoundError);
    // A version-level comment (no file) and a page-level one (no point) are fine.
    await addComment(server.app, actor, creative.id, { ...base, fileId: null, page: null, x: null, y: null });
    await addComment(server.app, actor, creative.id, { ...base, x: null, y: null });
    expect(await server.app.db.select().from(creativeComments)).toHaveLength(2);
  });

  it("answers a form without JavaScript: 400 with the messages, or back to the review page with a toast", async () => {
    const owner = await createPartner(server.app, { name: "Lumen Media" });
    const creative = await submittedCreative(owner);
    const { headers } = await reviewer("legal_reviewer");
    const url = `/admin/creatives/${creative.id}/comments`;
    const form = { intent: "add", version: "2", fileId: creative.brochure, page: "2", x: "0.4", y: "0.6", body: "The disclaimer is unreadable." };
    const refusals: [Record<string, string>, number, string][] = [
      [{ y: "" }, 400, "A pin needs both its horizontal and vertical position."],
      [{ x: "1.2" }, 400, "its position is between 0 and 1."],
      [{ x: "left" }, 400, "The pin&#x27;s horizontal position must be a number."],
      [{ body: "" }, 400, "A comment is required."],
      [{ page: "9" }, 400, "Choose a page from 1 to 3."],
      [{ fileId: creative.loose }, 400, "That file is not part of version 2."],
      [{ version: "1", fileId: creative.banner, page: "1" }, 409, "Comments go on the latest version (2)."],
    ];
    for (const [change, status, message] of refusals) {
      const response = await postForm(server, url, { ...form, ...change }, headers);
      expect(response.status, JSON.stringify(change)).toBe(status);
      expect(await response.text(), JSON.stringify(change)).toContain(message);
    }
    expect(await server.app.db.select().from(creativeComments)).toHaveLength(0);

    const added = await postForm(server, url, form, headers);
    expect(added.status).toBe(302);
    expect(added.headers.get("location")).toBe(`/admin/creatives/${creative.id}?file=${creative.brochure}&page=2#comment-1`);
    const page = await follow(server, added, headers.Cookie);
    const html = await page.text();
    expect(toastIn(html)).toBe("Comment 1 added.");
    // The pin on page 2 of the PDF the address names, and the comment it points to.
    expect(html).toContain('href="#comment-1"');
    expect(html).toContain('id="comment-1"');
    expect(html).toContain("The disclaimer is unreadable.");
    expect(html).toContain(`/admin/creatives/${creative.id}/files/${creative.brochure}/pages/2`);
  });

  it("answers a script's fetcher with action data, and keeps what was typed when it refuses", async () => {
    const owner = await createPartner(server.app, { name: "Lumen Media" });
    const creative = await submittedCreative(owner);
    const { headers } = await reviewer();
    const url = `/admin/creatives/${creative.id}/comments.data`;
    const refused = await postForm(
      server,
      url,
      { intent: "add", via: "script", version: "2", fileId: creative.banner, page: "1", x: "0.2", body: "Crop tighter." },
      headers,
    );
    expect(refused.status).toBe(400);
    const refusedBody = await refused.text();
    expect(refusedBody).toContain("A pin needs both its horizontal and vertical position.");
    expect(refusedBody).toContain("Crop tighter.");
    const saved = await postForm(
      server,
      url,
      { intent: "add", via: "script", version: "2", fileId: creative.banner, page: "1", x: "0.2", y: "0.3", body: "Crop tighter." },
      headers,
    );
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Comment 1 added.");
    const [row] = await server.app.db.select().from(creativeComments);
    expect(row).toMatchObject({ number: 1, page: 1, body: "Crop tighter." });
    expect(row!.x).toBeCloseTo(0.2);
    expect(row!.y).toBeCloseTo(0.3);
  });

  it("lets analysts read but not comment (403), over HTTP and in the domain", async () => {
    const owner = await createPartner(server.app, { name: "Lumen Media" });
    const creative = await submittedCreative(owner);
    const analyst = await reviewer("analyst");
    const response = await postForm(
      server,
      `/admin/creatives/${creative.id}/comments`,
      { intent: "add", version: "2", fileId: creative.banner, page: "1", body: "Nice." },
      analyst.headers,
    );
    expect(response.status).toBe(403);
    await response.arrayBuffer();
    await expect(
      addComment(server.app, analyst.actor, creative.id, { version: 2, fileId: null, page: null, x: null, y: null, body: "Nice." }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await server.app.db.select().from(creativeComments)).toHaveLength(0);
    // The page shows them the comments without any form.
    const { actor } = await reviewer();
    await addComment(server.app, actor, creative.id, { version: 2, fileId: creative.banner, page: 1, x: 0.5, y: 0.5, body: "Move the logo up." });
    const html = await (await get(server, `/admin/creatives/${creative.id}`, analyst.headers)).text();
    expect(html).toContain("Move the logo up.");
    expect(html).not.toContain('name="intent" value="add"');
    expect(html).not.toContain(">Resolve<");
  });

  it("resolves and reopens a comment, each once, with its audit event", async () => {
    const owner = await createPartner(server.app, { name: "Lumen Media" });
    const creative = await submittedCreative(owner);
    const { actor, headers, user } = await reviewer("admin");
    const { id } = await addComment(server.app, actor, creative.id, { version: 2, fileId: creative.banner, page: 1, x: 0.3, y: 0.3, body: "Brighter." });

    const resolved = await postForm(server, `/admin/creatives/${creative.id}/comments`, { intent: "resolve", commentId: id }, headers);
    expect(resolved.status).toBe(302);
    expect(toastIn(await (await follow(server, resolved, headers.Cookie)).text())).toBe("Comment 1 resolved.");
    const [row] = await server.app.db.select().from(creativeComments).where(eq(creativeComments.id, id));
    expect(row).toMatchObject({ resolvedById: user.id });
    expect(row!.resolvedAt).toBeInstanceOf(Date);
    const shown = (await commentsOfCreative(server.app.db, creative.id))[0]!.comments[0]!;
    expect(shown).toMatchObject({ resolvedByName: "Rey admin" });

    const twice = await resolveComment(server.app, actor, creative.id, id).catch((e: unknown) => e);
    expect(twice).toMatchObject({ kind: "conflict", message: "Comment 1 is already resolved." });
    // Resolved pins are dimmed on the page.
    expect(await (await get(server, `/admin/creatives/${creative.id}?file=${creative.banner}`, headers)).text()).toContain("review-pin review-pin--resolved");

    await reopenComment(server.app, actor, creative.id, id);
    const [open] = await server.app.db.select().from(creativeComments).where(eq(creativeComments.id, id));
    expect(open).toMatchObject({ resolvedAt: null, resolvedById: null });
    await expect(reopenComment(server.app, actor, creative.id, id)).rejects.toMatchObject({ kind: "conflict" });
    // Another creative's id does not reach this comment.
    const other = await submittedCreative(owner);
    await expect(resolveComment(server.app, actor, other.id, id)).rejects.toBeInstanceOf(NotFoundError);

    const events = await server.app.db
      .select({ action: auditEvents.action, data: auditEvents.data })
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, creative.id))
      .orderBy(asc(auditEvents.id));
    expect(events.map((e) => e.action)).toEqual(["creative.comment_added", "creative.comment_resolved", "creative.comment_reopened"]);
    expect(events[1]!.data).toMatchObject({ commentId: id, version: 2, number: 1 });
  });

  it("shows the partner the pins and comments of their own creative, and nobody else's", async () => {
    const owner = await createPartner(server.app, { name: "Lumen Media" });
    const stranger = await createPartner(server.app, { name: "Other Media" });
    const creative = await submittedCreative(owner);
    const { actor } = await reviewer();
    await addComment(server.app, actor, creative.id, { version: 2, fileId: creative.banner, page: 1, x: 0.8, y: 0.2, body: "Use the dark logo here." });

    const groups = await commentsForPartner(server.app.db, owner.org.id, creative.id);
    expect(groups[0]!.comments.map((c) => c.body)).toEqual(["Use the dark logo here."]);
    await expect(commentsForPartner(server.app.db, stranger.org.id, creative.id)).rejects.toBeInstanceOf(NotFoundError);

    const html = await (await get(server, `/partner/creatives/${creative.id}?file=${creative.banner}`, { Cookie: owner.cookie })).text();
    expect(html).toContain("Comments from the review team");
    expect(html).toContain("Use the dark logo here.");
    expect(html).toContain('href="#comment-1"');
    expect(html).not.toContain("/admin/creatives/");
    const foreign = await get(server, `/partner/creatives/${creative.id}`, { Cookie: stranger.cookie });
    expect(foreign.status).toBe(404);
    await foreign.arrayBuffer();
    // Partners have no way to the comments action at all.
    const posted = await postForm(server, `/admin/creatives/${creative.id}/comments`, { intent: "add", version: "2", body: "Hi" }, { Cookie: owner.cookie });
    expect(posted.status).toBe(404);
    await posted.arrayBuffer();
  });
});
