/**
 * Budget (ARCHITECTURE.md): a ZIP of 50 assets starts streaming within 300 ms
 * with flat memory. Makes 50 image assets (1600 × 1000 JPEG of noise) through the
 * domain's upload path, bundles them as PNG 1024 renditions into a kit, and
 * downloads it as a partner twice: cold (every rendition made with sharp on
 * the way) and warm (all served from storage). Reports the time to the
 * first byte and to the last, and the RSS rise.
 *
 *   npx tsx --expose-gc bench/kit-stream.ts
 */
import sharp from "sharp";
import { createAsset } from "~/domain/assets/authoring.server";
import { newIds } from "~/domain/assets/intake.server";
import { originalKey } from "~/domain/assets/storage-keys";
import { storeUpload, UPLOAD_LIMITS } from "~/domain/assets/files.server";
import { addKitItem, createKit } from "~/domain/assets/kits.server";
import { createPartnerOrg, createUser, sessionCookieFor } from "../tests/support/context";
import { benchServer, machine, peakRssDuring } from "./support";

const COUNT = Number(process.env.KIT_ASSETS ?? 50);
const { server } = await benchServer();
try {
  const app = server.app;
  const brand = await createUser(app.db, { role: "brand_reviewer" });
  const actor = { id: brand.id, label: brand.email };
  const kit = await createKit(app.db, actor, { name: "Bench kit", description: "", includeClaims: true });
  for (let i = 0; i < COUNT; i++) {
    // Noise, so renditions have photo-like sizes (a flat colour would compress to almost nothing).
    const bytes = await sharp({
      create: {
        width: 1600,
        height: 1000,
        channels: 3,
        background: { r: (i * 37) % 255, g: (i * 91) % 255, b: 180 },
        noise: { type: "gaussian", mean: 128, sigma: 40 },
      },
    })
      .jpeg({ quality: 85 })
      .toBuffer();
    const ids = newIds();
    const stored = await storeUpload(
      app.storage,
      originalKey(ids.assetId, ids.versionId),
      (async function* () {
        yield bytes;
      })(),
      UPLOAD_LIMITS.image,
    );
    await createAsset(
      app,
      actor,
      ids,
      {
        title: `Photo ${i + 1}`,
        description: "",
        category: "",
        tags: [],
        visibleTiers: [],
        availableFrom: null,
        expiresAt: null,
        allowOriginal: false,
        kind: "image",
      },
      { kind: "file", file: { ...stored, filename: `p${i}.jpg` } },
    );
    await addKitItem(app.db, actor, kit.id, { assetId: ids.assetId, format: "png", width: 1024, background: "" }, app.clock.now());
  }
  const org = await createPartnerOrg(app.db, "Bench Partner");
  const partner = await createUser(app.db, { role: "partner", partnerOrgId: org.id, partnerRole: "owner" });
  const cookie = await sessionCookieFor(app, partner.id);

  async function download() {
    const started = performance.now();
    const response = await fetch(`${server.url}/partner/kits/${kit.id}/download`, { headers: { Cookie: cookie } });
    const reader = response.body!.getReader();
    let firstByteMs = -1;
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (firstByteMs < 0) firstByteMs = Math.round(performance.now() - started);
      bytes += value.byteLength;
    }
    return { status: response.status, firstByteMs, totalMs: Math.round(performance.now() - started), mb: Math.round((bytes / 1024 / 1024) * 10) / 10 };
  }

  const cold = await peakRssDuring(download);
  const warm = await peakRssDuring(download);
  console.log(
    JSON.stringify(
      {
        bench: "kit-stream",
        machine: machine(),
        assets: COUNT,
        cold: { ...cold.result, riseMb: cold.riseMb },
        warm: { ...warm.result, riseMb: warm.riseMb },
        budget: { firstByteMs: 300, memory: "flat" },
        pass: cold.result.firstByteMs < 300 && warm.result.firstByteMs < 300,
      },
      null,
      2,
    ),
  );
} finally {
  await server.close();
}
