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
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const loading = pdfjs.getDocument({
    data: bytes,
    standardFontDataUrl: standardFontDataUrl(),
    isEvalSupported: false,
    enableXfa: false,
    verbosity: 0,
    stopAtErrors: false,
  });
  let document;
  try {
    document = await loading.promise;
  } catch (error) {
    await loading.destroy();
    const message = String((error as Error).message ?? error);
    throw new PdfRejected(
      /password/i.test(message) ? "This PDF is protected by a password. Upload a copy without one." : "The PDF could not be read: it is damaged or incomplete.",
    );
  }
  try {
    const pageCount = document.numPages;
    // pdfjs opens a document whose page tree is empty: nothing to review, and nothing for the page rules to count.
    if (pageCount < 1) throw new PdfRejected("The PDF has no pages. Upload the document with its pages.");
    let firstPage: Buffer | null = null;
    try {
      firstPage = await renderFirstPage(document);
    } catch {
      firstPage = null;
    }
    return { pageCount, firstPage };
  } finally {
    await document.destroy();
  }
}

type PdfDocument = Awaited<ReturnType<Awaited<typeof import("pdfjs-dist/legacy/build/pdf.mjs")>["getDocument"]>["promise"]>;

async function renderFirstPage(document: PdfDocument): Promise<Buffer> {
  const { createCanvas } = await import("@napi-rs/canvas");
  const page = await document.getPage(1);
  const unscaled = page.getViewport({ scale: 1 });
  const scale = Math.min(PREVIEW_BOX / unscaled.width, PREVIEW_BOX / unscaled.height, 4);
  const viewport = page.getViewport({ scale });
  const canvas = createCanvas(Math.max(1, Math.round(viewport.width)), Math.max(1, Math.round(viewport.height)));
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  // pdfjs's types name the DOM canvas; @napi-rs/canvas implements the same 2D API.
  await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
  page.cleanup();
  return canvas.toBuffer("image/png");
}
