/**
 * Budget (ARCHITECTURE.md): a large upload raises peak memory by under 64 MB.
 * Uploads the largest file the product accepts (a 100 MB PDF document) through
 * the real HTTP endpoint, generating the multipart body as a stream so the
 * client side holds no copy, and samples the process's RSS meanwhile.
 *
 *   npx tsx --expose-gc bench/upload-memory.ts
 */
import { randomBytes } from "node:crypto";
import { benchServer, machine, peakRssDuring } from "./support";

const SIZE = Number(process.env.UPLOAD_MB ?? 100) * 1024 * 1024 - 64 * 1024;
const BOUNDARY = "----cobrandbench" + randomBytes(8).toString("hex");

function multipartBody(): ReadableStream<Uint8Array> {
  const head = Buffer.from(
    [
      ...["kind=document", "title=Bench document", "visibility=all"].flatMap((pair) => {
        const [name, value] = pair.split("=");
        return [`--${BOUNDARY}`, `Content-Disposition: form-data; name="${name}"`, "", value!];
      }),
      `--${BOUNDARY}`,
      'Content-Disposition: form-data; name="file"; filename="bench.pdf"',
      "Content-Type: application/pdf",
      "",
      "",
    ].join("\r\n"),
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const chunk = randomBytes(256 * 1024);
  let sent = 0;
  let stage = 0;
  return new ReadableStream({
    pull(controller) {
      if (stage === 0) {
        controller.enqueue(head);
        controller.enqueue(Buffer.from("%PDF-1.7\n"));
        sent = 9;
        stage = 1;
      } else if (stage === 1) {
        const n = Math.min(chunk.length, SIZE - sent);
        controller.enqueue(chunk.subarray(0, n));
        sent += n;
        if (sent >= SIZE) stage = 2;
      } else {
        controller.enqueue(tail);
        controller.close();
      }
    },
  });
}

const { server, adminCookie } = await benchServer();
try {
  const started = Date.now();
  const { result, baselineMb, peakMb, riseMb } = await peakRssDuring(async () => {
    const response = await fetch(`${server.url}/admin/assets/upload`, {
      method: "POST",
      body: multipartBody(),
      // Node's fetch needs duplex for a streamed request body.
      duplex: "half",
      headers: { Cookie: adminCookie, Origin: server.url, "Sec-Fetch-Site": "same-origin", "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` },
    });
    return { status: response.status, body: await response.text() };
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    JSON.stringify(
      {
        bench: "upload-memory",
        machine: machine(),
        uploadMb: Math.round(SIZE / 1024 / 1024),
        status: result.status,
        seconds,
        baselineMb,
        peakMb,
        riseMb,
        budgetMb: 64,
        pass: result.status === 200 && riseMb < 64,
      },
      null,
      2,
    ),
  );
  if (result.status !== 200) console.error(result.body);
} finally {
  await server.close();
}
