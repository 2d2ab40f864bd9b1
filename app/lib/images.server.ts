import sharp, { type Sharp } from "sharp";
import stream, { type Readable } from "node:stream";

/**
 * The largest image decoded, in pixels (about 8000 × 6000). Every decode sets
 * it explicitly: a small file can declare enormous dimensions (pixel flood).
 */
export const MAX_INPUT_PIXELS = 48_000_000;

export const RENDITION_WIDTHS = [256, 512, 1024, 2048] as const;
export type RenditionFormat = "png" | "jpeg" | "webp";

const DECODE_OPTIONS = { limitInputPixels: MAX_INPUT_PIXELS, sequentialRead: true, failOn: "truncated" } as const;
// Without an input sharp reads a stream piped into it; options then come first.
const decoder = (input?: Buffer) => (input ? sharp(input, DECODE_OPTIONS) : sharp(DECODE_OPTIONS));

export type ImageCheck = { width: number; height: number; preview: Buffer };

/**
 * Decodes the whole image (a truncated or corrupt file fails here) and makes
 * a 512 px PNG preview. Throws with a message fit for the uploader.
 */
export async function inspectImage(source: Readable | Buffer): Promise<ImageCheck> {
  const pipeline = Buffer.isBuffer(source) ? decoder(source) : decoder();
  const metadataPipeline = pipeline.clone();
  const previewPipeline = pipeline.clone().rotate().resize({ width: 512, height: 512, fit: "inside", withoutEnlargement: true }).png();
  if (!Buffer.isBuffer(source)) feed(source, pipeline);
  try {
    const [metadata, preview] = await Promise.all([metadataPipeline.metadata(), previewPipeline.toBuffer()]);
    if (!metadata.width || !metadata.height) throw new Error("no dimensions");
    return { width: metadata.width, height: metadata.height, preview };
  } catch (error) {
    const message = String((error as Error).message ?? error);
    if (/pixel limit/i.test(message))
      throw new ImageRejected(`The image is too large to process (over ${Math.round(MAX_INPUT_PIXELS / 1_000_000)} megapixels).`);
    throw new ImageRejected("The image could not be read: it is damaged or incomplete.");
  }
}

/**
 * Streams a stored object into sharp. stream.pipeline, not .pipe: a read error
 * (an object deleted mid-read, a dropped S3 connection) then fails the sharp
 * pipeline, so its promise rejects, rather than going unhandled.
 */
function feed(source: Readable, into: Sharp): void {
  stream.pipeline(source, into, () => {});
}

export class ImageRejected extends Error {
  override readonly name = "ImageRejected";
}

/** A rendition: never wider than the original, JPEG flattened onto `background`. */
export function renderImage(source: Readable | Buffer, options: { format: RenditionFormat; width: number; background: string | null }): Sharp {
  const pipeline = Buffer.isBuffer(source) ? decoder(source) : decoder();
  if (!Buffer.isBuffer(source)) feed(source, pipeline);
  let out = pipeline.rotate().resize({ width: options.width, withoutEnlargement: true });
  if (options.background) out = out.flatten({ background: `#${options.background}` });
  if (options.format === "png") return out.png({ compressionLevel: 9 });
  if (options.format === "jpeg") return out.jpeg({ quality: 88, mozjpeg: true });
  return out.webp({ quality: 88 });
}

/**
 * A PNG of `source` inside a `width` × `height` box. `square` pads it to
 * exactly that box on transparency (favicons); otherwise it keeps its own
 * shape. An SVG is drawn at `density` so a small viewBox comes out sharp;
 * the pixel limit still holds.
 */
export function renderPngInBox(source: Buffer, box: { width: number; height: number; square: boolean; density?: number }): Promise<Buffer> {
  return sharp(source, { ...DECODE_OPTIONS, ...(box.density ? { density: box.density } : {}) })
    .resize({ width: box.width, height: box.height, fit: box.square ? "contain" : "inside", background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}
