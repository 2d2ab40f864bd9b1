import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { and, eq } from "drizzle-orm";
import { creativeFilePages, creativeFiles } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import { openPdfPages, type PdfPages } from "~/lib/pdf.server";
import { readAll } from "../assets/files.server";
import { CREATIVE_FILE_TYPES } from "../creatives/catalog";
import { NotFoundError } from "../errors";

type PagesContext = Pick<AppContext, "db" | "storage" | "log">;

/** One rendered page as stored: the object to serve and its size, for the viewer's layout. */
export type PageImage = { storageKey: string; width: number; height: number; etag: string };

/** The width pages are rendered at: one rendition per page serves the viewer (zoomed) and the thumbnails (scaled down). */
const PAGE_WIDTH = 1600;
const MB = 1024 * 1024;

const pageKey = (creativeId: string, fileId: string, page: number) => `creatives/${creativeId}/${fileId}/pages/${page}-${randomUUID()}.png`;

type PdfFile = { id: string; creativeId: string; storageKey: string; sha256: string; pageCount: number };

/** A stored PDF file and its page count, or NotFoundError: images and videos have no pages to render. */
async function pdfFile(ctx: PagesContext, fileId: string): Promise<PdfFile> {
  const [file] = await ctx.db
    .select({
      id: creativeFiles.id,
      creativeId: creativeFiles.creativeId,
      kind: creativeFiles.kind,
      storageKey: creativeFiles.storageKey,
      sha256: creativeFiles.sha256,
      pageCount: creativeFiles.pageCount,
    })
    .from(creativeFiles)
    .where(eq(creativeFiles.id, fileId));
  if (!file || file.kind !== "pdf" || !file.pageCount) throw new NotFoundError("No such PDF.");
  return { id: file.id, creativeId: file.creativeId, storageKey: file.storageKey, sha256: file.sha256, pageCount: file.pageCount };
}

const imageOf = (file: PdfFile, row: { page: number; storageKey: string; width: number; height: number }): PageImage => ({
  storageKey: row.storageKey,
  width: row.width,
  height: row.height,
  // The file never changes, so neither does its page: the file's hash and the page number name the rendition.
  etag: `${file.sha256}-page-${row.page}`,
});

async function storedPage(ctx: PagesContext, file: PdfFile, page: number): Promise<PageImage | null> {
  const [row] = await ctx.db
    .select()
    .from(creativeFilePages)
    .where(and(eq(creativeFilePages.fileId, file.id), eq(creativeFilePages.page, page)));
  return row ? imageOf(file, row) : null;
}

/**
 * Stores one rendered page: the object first, then its row. When another
 * process rendered the same page meanwhile, its row wins and our object goes,
 * so each page has exactly one rendition.
 */
async function storePage(ctx: PagesContext, file: PdfFile, page: number, pages: PdfPages): Promise<PageImage> {
  const rendered = await pages.render(page, { width: PAGE_WIDTH });
  const key = pageKey(file.creativeId, file.id, page);
  await ctx.storage.put(key, Readable.from([rendered.png]), { maxBytes: 64 * MB, contentType: "image/png" });
  const inserted = await ctx.db
    .insert(creativeFilePages)
    .values({ fileId: file.id, page, storageKey: key, width: rendered.width, height: rendered.height })
    .onConflictDoNothing({ target: [creativeFilePages.fileId, creativeFilePages.page] })
    .returning();
  if (inserted[0]) return imageOf(file, inserted[0]);
  await ctx.storage.delete(key);
  const winner = await storedPage(ctx, file, page);
  if (!winner) throw new Error(`Page ${page} of file ${file.id} lost a race to a rendition that is not there`);
  return winner;
}

type Waiter = { resolve: (image: PageImage) => void; reject: (error: unknown) => void };

/**
 * The pages of one file being rendered in this process. The document is
 * parsed once for all of them (a PDF of up to 100 MB is held in memory while
 * it is open), and a page someone asks for meanwhile goes to the front of the
 * queue, so the viewer's current page never waits behind the thumbnails.
 */
type RenderJob = { queue: number[]; waiters: Map<number, Waiter[]>; done: Promise<void> };
const jobs = new Map<string, RenderJob>();

function enqueue(ctx: PagesContext, file: PdfFile, pages: number[], first?: number): Promise<PageImage> | null {
  let job = jobs.get(file.id);
  if (!job) {
    job = { queue: [], waiters: new Map(), done: Promise.resolve() };
    jobs.set(file.id, job);
    const started = job;
    started.done = runJob(ctx, file, started);
  }
  for (const page of pages) if (!job.queue.includes(page)) job.queue.push(page);
  if (first === undefined) return null;
  job.queue = [first, ...job.queue.filter((p) => p !== first)];
  const waiters = job.waiters.get(first) ?? [];
  job.waiters.set(first, waiters);
  return new Promise<PageImage>((resolve, reject) => waiters.push({ resolve, reject }));
}

function retire(fileId: string, job: RenderJob): void {
  if (jobs.get(fileId) === job) jobs.delete(fileId);
}

/**
 * How many PDFs this process holds open at once: each may take 100 MB and a
 * core while its pages are drawn, so a burst of first views (or a partner
 * opening many documents) queues instead of exhausting the server.
 */
const MAX_OPEN_DOCUMENTS = 2;
let openDocuments = 0;
const waitingForDocument: (() => void)[] = [];

async function acquireDocumentSlot(): Promise<() => void> {
  if (openDocuments >= MAX_OPEN_DOCUMENTS) await new Promise<void>((resolve) => waitingForDocument.push(resolve));
  else openDocuments++;
  return () => {
    const next = waitingForDocument.shift();
    // The slot passes straight to the next job in line; the count drops only when nobody waits.
    if (next) next();
    else openDocuments--;
  };
}

async function runJob(ctx: PagesContext, file: PdfFile, job: RenderJob): Promise<void> {
  const release = await acquireDocumentSlot();
  let pages: PdfPages | null = null;
  try {
    const bytes = await readAll(await ctx.storage.get(file.storageKey), CREATIVE_FILE_TYPES["application/pdf"].maxBytes);
    pages = await openPdfPages(bytes);
    for (let page = job.queue.shift(); page !== undefined; page = job.queue.shift()) {
      const waiters = job.waiters.get(page) ?? [];
      job.waiters.delete(page);
      try {
        const image = (await storedPage(ctx, file, page)) ?? (await storePage(ctx, file, page, pages));
        for (const waiter of waiters) waiter.resolve(image);
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
        if (!waiters.length) ctx.log.warn("review.page_render_failed", { fileId: file.id, page, error: String(error) });
      }
    }
    // In the same tick as the queue ran dry: a page asked for from now on starts a new job instead of joining this finished one.
    retire(file.id, job);
  } catch (error) {
    retire(file.id, job);
    for (const waiters of job.waiters.values()) for (const waiter of waiters) waiter.reject(error);
    job.waiters.clear();
    job.queue = [];
    ctx.log.warn("review.page_render_failed", { fileId: file.id, error: String(error) });
  } finally {
    await pages?.close();
    release();
  }
}

/**
 * The image of one page of a PDF file: the stored rendition, or, the first
 * time the page is asked for, rendered and stored (files never change, so
 * each page is rendered once). The file's other pages not yet rendered are
 * queued behind it: the viewer's thumbnails ask for them next. A page outside
 * 1..pageCount, or a file that is not a PDF, is NotFoundError. Who may see
 * the file is the caller's check.
 */
export async function pageImage(ctx: PagesContext, fileId: string, page: number): Promise<PageImage> {
  const file = await pdfFile(ctx, fileId);
  if (!Number.isInteger(page) || page < 1 || page > file.pageCount) throw new NotFoundError("No such page.");
  const stored = await storedPage(ctx, file, page);
  if (stored) return stored;
  return enqueue(ctx, file, await missingPages(ctx, file), page)!;
}

async function missingPages(ctx: PagesContext, file: PdfFile): Promise<number[]> {
  const rendered = new Set(
    (await ctx.db.select({ page: creativeFilePages.page }).from(creativeFilePages).where(eq(creativeFilePages.fileId, file.id))).map((r) => r.page),
  );
  return Array.from({ length: file.pageCount }, (_, i) => i + 1).filter((page) => !rendered.has(page));
}

/**
 * Renders every page of a PDF file not rendered yet, so the first reviewer
 * does not wait; resolves when all are stored. A failure is logged, never
 * thrown: the viewer renders on demand anyway.
 */
export async function prerenderPages(ctx: PagesContext, fileId: string): Promise<void> {
  const file = await pdfFile(ctx, fileId);
  const missing = await missingPages(ctx, file);
  if (!missing.length) return;
  enqueue(ctx, file, missing);
  await jobs.get(file.id)?.done;
}
