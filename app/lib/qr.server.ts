import QRCode from "qrcode";
import { attachmentDisposition } from "./serve-object.server";

export type QrFormat = "svg" | "png";

// Level M survives a smudge or a small logo over the centre; a 2-module quiet
// zone keeps it readable on whatever background it is printed on.
const OPTIONS = { errorCorrectionLevel: "M", margin: 2 } as const;

/**
 * A QR code of `text` as a download: SVG to scale for print, PNG at 1024 px
 * for everything else. The file name is the caller's, never the request's.
 */
export async function qrCodeResponse(text: string, format: QrFormat, filename: string): Promise<Response> {
  const body =
    format === "svg"
      ? await QRCode.toString(text, { ...OPTIONS, type: "svg", width: 512 })
      : new Uint8Array(await QRCode.toBuffer(text, { ...OPTIONS, type: "png", width: 1024 }));
  return new Response(body, {
    headers: { "Content-Type": format === "svg" ? "image/svg+xml" : "image/png", "Content-Disposition": attachmentDisposition(filename) },
  });
}
