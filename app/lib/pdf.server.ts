import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The largest preview side in pixels: the same box the image previews use. */
const PREVIEW_BOX = 512;

export type PdfFacts = { pageCount: number; firstPage: Buffer | null };

export class PdfRejected extends Error {
  override readonly name = "PdfRejected";
}

// pdfjs draws text in the 14 standard PDF fonts from these files; without them text-only pages render blank.
const standardFontDataUrl = () => {
  const require = createRequire(import.meta.url);
  return pathToFileURL(path.join(path.dirname(require.resolve("pdfjs-dist/package.json")), "standard_fonts") + path.sep).href;
};

/**
 * Opens a PDF with pdfjs (no system binary, so the two-command setup holds),
 * counts its pages and draws the first one as a PNG no larger than 512 px.
 * A file pdfjs cannot open, or one without a page, is refused; one it opens
 * but cannot draw keeps its page count and has no preview. Scripts in the
 * PDF never run.
 */
export async function inspectPdf(bytes: Uint8Array): Promise<PdfFacts> {
  const document = await openDocument(bytes);
  try {
    const pageCount = document.numPages;
    // pdfjs opens a document whose page tree is empty: nothing to review, and nothing for the page rules to count.
    if (pageCount < 1) throw new PdfRejected("The PDF has no pages. Upload the document with its pages.");
    let firstPage: Buffer | null = null;
    try {
      firstPage = (await drawPage(document, 1, (w, h) => Math.min(PREVIEW_BOX / w, PREVIEW_BOX / h, 4))).png;
    } catch {
      firstPage = null;
    }
    return { pageCount, firstPage };
  } finally {
    await document.destroy();
  }
}

/** Opens a PDF with pdfjs, scripts and XFA off; a file it cannot open is refused with a message for the uploader. */
async function openDocument(bytes: Uint8Array): Promise<PdfDocument> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const loading = pdfjs.getDocument({
    // pdfjs refuses a Node Buffer (a Uint8Array subclass) by name: hand it a plain view of the same bytes.
    data: Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes,
    standardFontDataUrl: standardFontDataUrl(),
    isEvalSupported: false,
    enableXfa: false,
    verbosity: 0,
    stopAtErrors: false,
  });
  try {
    return await loading.promise;
  } catch (error) {
    await loading.destroy();
    const message = String((error as Error).message ?? error);
    throw new PdfRejected(
      /password/i.test(message) ? "This PDF is protected by a password. Upload a copy without one." : "The PDF could not be read: it is damaged or incomplete.",
    );
  }
}

type PdfDocument = Awaited<ReturnType<Awaited<typeof import("pdfjs-dist/legacy/build/pdf.mjs")>["getDocument"]>["promise"]>;

/** The widest page rendition: sharp enough to read small print zoomed in on the review page, small enough to send quickly. */
export const PAGE_MAX_WIDTH = 1600;
/** A page far taller than wide (a long banner, a receipt roll) is drawn smaller rather than as a huge bitmap. */
export const PAGE_MAX_PIXELS = 8_000_000;

export type RenderedPage = { png: Buffer; width: number; height: number };

/**
 * An open PDF whose pages are drawn one by one: a caller drawing several pages
 * parses the document (up to 100 MB, all in memory) once, not once per page.
 * `close` must be called.
 */
export type PdfPages = {
  pageCount: number;
  render(page: number, options?: { width?: number }): Promise<RenderedPage>;
  close(): Promise<void>;
};

/** Opens `bytes` for drawing pages (see PdfPages); refused with PdfRejected like an upload. */
export async function openPdfPages(bytes: Uint8Array): Promise<PdfPages> {
  const document = await openDocument(bytes);
  return {
    pageCount: document.numPages,
    render: (page, options = {}) => {
      if (!Number.isInteger(page) || page < 1 || page > document.numPages) throw new RangeError(`No page ${page} in a PDF of ${document.numPages}`);
      const width = Math.min(Math.max(Math.round(options.width ?? PAGE_MAX_WIDTH), 16), PAGE_MAX_WIDTH);
      return drawPage(document, page, (w, h) => Math.min(width / w, Math.sqrt(PAGE_MAX_PIXELS / (w * h))));
    },
    close: () => document.destroy(),
  };
}

/** One page of a PDF as a PNG `width` pixels wide at most (PAGE_MAX_WIDTH), under PAGE_MAX_PIXELS. */
export async function renderPdfPage(bytes: Uint8Array, page: number, options: { width?: number } = {}): Promise<RenderedPage> {
  const pages = await openPdfPages(bytes);
  try {
    return await pages.render(page, options);
  } finally {
    await pages.close();
  }
}

/** Draws one page on a white canvas at the scale `scaleFor` gives for its size in PDF points. */
async function drawPage(document: PdfDocument, pageNumber: number, scaleFor: (width: number, height: number) => number): Promise<RenderedPage> {
  const { createCanvas } = await import("@napi-rs/canvas");
  const page = await document.getPage(pageNumber);
  try {
    const unscaled = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: scaleFor(unscaled.width, unscaled.height) });
    const canvas = createCanvas(Math.max(1, Math.round(viewport.width)), Math.max(1, Math.round(viewport.height)));
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    // pdfjs's types name the DOM canvas; @napi-rs/canvas implements the same 2D API.
    await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
    return { png: canvas.toBuffer("image/png"), width: canvas.width, height: canvas.height };
  } finally {
    page.cleanup();
  }
}
