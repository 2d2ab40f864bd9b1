import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { assets, auditEvents } from "#db/schema/index";
import type { Config } from "~/lib/config.server";
import { signedIn } from "../support/context";
import { startTestServer, type TestServer } from "../support/http";
import { startS3rver, type S3rverHandle } from "../support/s3rver";
import { TcpProxy } from "../support/tcp-proxy";

// Object storage that stops answering in the middle of an upload: the app
// talks to a real S3 endpoint (s3rver) through a TCP proxy that is cut once
// part of the file has gone through. The person uploading is told plainly
// that storage failed and nothing was kept; no row and no object remain.

vi.setConfig({ testTimeout: 60_000 });

const MB = 1024 * 1024;

describe("object storage failing mid-upload", () => {
  let s3: S3rverHandle;
  let proxy: TcpProxy;
  let server: TestServer;
  let direct: S3Client;

  beforeAll(async () => {
    s3 = await startS3rver();
    const endpoint = new URL(s3.endpoint);
    proxy = new TcpProxy({ host: endpoint.hostname, port: Number(endpoint.port) });
    await proxy.start();
    server = await startTestServer({
      configure: (config): Config => ({
        ...config,
        storage: {
          driver: "s3",
          bucket: s3.bucket,
          endpoint: `http://127.0.0.1:${proxy.port}`,
          region: "us-east-1",
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
        },
      }),
    });
    // The bucket as it is, not through the proxy.
    direct = new S3Client({
      endpoint: s3.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
  });
  afterAll(async () => {
    await server?.close();
    direct?.destroy();
    await proxy?.close();
    await s3?.close();
  });

  it("answers 503 saying storage failed and nothing was kept, leaving no row and no object", async () => {
    const brand = await signedIn(server.app, { role: "brand_reviewer", name: "Bea Brand" });
    const form = new FormData();
    form.append("kind", "image");
    // 20 MB: several parts of the S3 upload, so the cut falls in the middle of it.
    form.append("file", new Blob([new Uint8Array(20 * MB).fill(0x41)], { type: "image/png" }), "campaign.png");
    form.append("title", "Spring campaign");
    form.append("visibility", "all");
    const started = proxy.bytesUp;
    const uploading = fetch(`${server.url}/admin/assets/upload`, {
      method: "POST",
      body: form,
      headers: { Cookie: brand.cookie, Origin: server.url, "Sec-Fetch-Site": "same-origin" },
      signal: AbortSignal.timeout(45_000),
    });
    // Part of the file is in the bucket's hands: then the bucket goes away.
    while (proxy.bytesUp - started < 6 * MB) await new Promise((resolve) => setTimeout(resolve, 10));
    proxy.cut();
    const response = await uploading;
    const body = await response.text();
    proxy.restore();

    expect(response.status, body).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(body).toContain("file storage is not answering. Nothing was kept");
    expect(body).not.toMatch(/ECONN|socket|at .*\.js:\d+/i);
    expect(await server.app.db.select().from(assets)).toHaveLength(0);
    expect((await server.app.db.select({ action: auditEvents.action }).from(auditEvents)).map((e) => e.action)).not.toContain("asset.created");
    const listed = await direct.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: "assets/" }));
    expect(listed.Contents ?? []).toEqual([]);
  });
});
