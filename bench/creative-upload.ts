/**
 * Budget (ARCHITECTURE.md): a 200 MB upload raises peak memory by under 64 MB.
 * A partner uploads the largest creative file the product accepts (a 200 MB
 * MP4 video) to a draft through the real HTTP endpoint; the multipart body is
 * generated as a stream so the client side holds no copy, and the process's
 * RSS is sampled meanwhile.
 *
 *   npx tsx --expose-gc bench/creative-upload.ts
 */
import { createCreativeDraft } from "~/domain/creatives/submissions.server";
import { createPartner } from "../tests/support/context";
import { startTestServer } from "../tests/support/http";
import { measureUpload } from "./support";

const SIZE = Number(process.env.UPLOAD_MB ?? 200) * 1024 * 1024 - 64 * 1024;
// An ISO BMFF file type box: what makes the bytes an MP4 to the content sniffer.
const FTYP = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypisom"), Buffer.from([0, 0, 2, 0]), Buffer.from("isomiso2")]);

const server = await startTestServer();
try {
  const { org, user, cookie } = await createPartner(server.app, { name: "Bench Media" });
  const partner = { id: user.id, label: user.email, name: user.name, partnerOrgId: org.id };
  const draft = {
    title: "Launch video",
    channel: "video" as const,
    placement: null,
    plannedLaunchOn: null,
    destinationUrl: null,
    copy: "",
    claimIds: [],
    disclosure: null,
  };
  const { id } = await createCreativeDraft(server.app, partner, draft);
  await measureUpload("creative-upload", server, `/partner/creatives/${id}/files`, cookie, {
    fields: {},
    filename: "launch.mp4",
    contentType: "video/mp4",
    magic: FTYP,
    size: SIZE,
  });
} finally {
  await server.close();
}
