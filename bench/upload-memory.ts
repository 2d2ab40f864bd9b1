/**
 * Budget (ARCHITECTURE.md): a large upload raises peak memory by under 64 MB.
 * Uploads the largest file the product accepts (a 100 MB PDF document) through
 * the real HTTP endpoint, generating the multipart body as a stream so the
 * client side holds no copy, and samples the process's RSS meanwhile.
 *
 *   npx tsx --expose-gc bench/upload-memory.ts
 */
import { benchServer, measureUpload } from "./support";

const SIZE = Number(process.env.UPLOAD_MB ?? 100) * 1024 * 1024 - 64 * 1024;

const { server, adminCookie } = await benchServer();
try {
  await measureUpload("upload-memory", server, "/admin/assets/upload", adminCookie, {
    fields: { kind: "document", title: "Bench document", visibility: "all" },
    filename: "bench.pdf",
    contentType: "application/pdf",
    magic: Buffer.from("%PDF-1.7\n"),
    size: SIZE,
  });
} finally {
  await server.close();
}
