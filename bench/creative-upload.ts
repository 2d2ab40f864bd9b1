/**
 * Budget (ARCHITECTURE.md): a 200 MB upload raises peak memory by under 64 MB.
 * A partner uploads the largest creative file the product accepts (a 200 MB
 * MP4 video) to a draft through the real HTTP endpoint; the multipart body is
 * generated as a stream so the client side holds no copy, and the process's
 * RSS is sampled meanwhile.
 *
 *   npx tsx --expose-gc bench/creative-upload.ts
 */
import { randomBytes } from "node:crypto";
import { createCreativeDraft } from "~/domain/creatives/submissions.server";
import { createPartner } from "../tests/support/context";
import { machine, peakRssDuring } from "./support";
import { startTestServer } from "../tests/support/http";

const SIZE = Number(process.env.UPLOAD_MB ?? 200) * 1024 * 1024 - 64 * 1024;
const BOUNDARY = "----cobrandbench" + randomBytes(8).toString("hex");
// An ISO BMFF file type box: what makes the bytes an MP4 to the content sniffer.
const FTYP = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypisom"), Buffer.from([0, 0, 2, 0]), Buffer.from("isomiso2")]);

function multipartBody(): ReadableStream<Uint8Array> {
  const head = Buffer.from(
    [`--${BOUNDARY}`, 'Content-Disposition: form-data; name="file"; filename="launch.mp4"', "Content-Type: video/mp4", "", ""].join("\r\n"),
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const chunk = randomBytes(256 * 1024);
  let sent = 0;
  let stage = 0;
  return new ReadableStream({
    pull(controller) {
      if (stage === 0) {
        controller.enqueue(head);
        controller.enqueue(FTYP);
        sent = FTYP.length;
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

const server = await startTestServer();
try {
  const { org, user, cookie } = await createPartner(server.app, { name: "Bench Media" });
  const { id } = await createCreativeDraft(
    server.app,
    { id: user.id, label: user.email, name: user.name, partnerOrgId: org.id },
    { title: "Launch video", channel: "video", placement: "", plannedLaunchOn: null, destinationUrl: null, copy: "", claimIds: [], disclosure: null },
  );
  const started = Date.now();
  const { result, baselineMb, peakMb, riseMb } = await peakRssDuring(async () => {
    const response = await fetch(`${server.url}/partner/creatives/${id}/files`, {
      method: "POST",
      body: multipartBody(),
      // Node's fetch needs duplex for a streamed request body.
      duplex: "half",
      headers: { Cookie: cookie, Origin: server.url, "Sec-Fetch-Site": "same-origin", "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` },
    } as RequestInit);
    return { status: response.status, body: await response.text() };
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    JSON.stringify(
      {
        bench: "creative-upload",
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
