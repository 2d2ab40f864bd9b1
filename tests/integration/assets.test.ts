import { createHash } from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import path from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { eq, inArray } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { assetDownloads, assetRenditions, assets, assetVersions, auditEvents } from "#db/schema/index";
import type { Config } from "~/lib/config.server";
import { sweepOrphanAssetObjects } from "~/domain/assets/orphans.server";
import { MAX_RENDITIONS_PER_VERSION } from "~/domain/assets/downloads.server";
import { getBranding } from "~/domain/settings/program.server";
import { unescapeCss } from "~/lib/svg.server";
import { resetDatabase } from "../support/db";
import { createPartner, signedIn } from "../support/context";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";
import { startS3rver, type S3rverHandle } from "../support/s3rver";
import { zipEntries, zipEntryNames } from "../support/zip";

const FIXTURES = path.resolve("tests/fixtures");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

type Driver = "local" | "s3";

describe.each<Driver>(["local", "s3"])("the asset hub on the %s storage driver", (driver) => {
  let server: TestServer;
  let s3: S3rverHandle | null = null;
  let s3Client: S3Client | null = null;

  beforeAll(async () => {
    if (driver === "s3") {
      s3 = await startS3rver();
      s3Client = new S3Client({
        endpoint: s3.endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      });
    }
    server = await startTestServer({
      configure: (config): Config =>
        s3
          ? {
              ...config,
              storage: {
                driver: "s3",
                bucket: s3.bucket,
                endpoint: s3.endpoint,
                region: "us-east-1",
                accessKeyId: s3.accessKeyId,
                secretAccessKey: s3.secretAccessKey,
              },
            }
          : config,
    });
  });
  afterAll(async () => {
    await server.close();
    s3Client?.destroy();
    await s3?.close();
  });
  beforeEach(() => resetDatabase(server.app.db));

  /** Every key in storage under assets/ (to prove a refused upload left nothing). */
  async function storedKeys(): Promise<string[]> {
    if (s3Client && s3) {
      const listed = await s3Client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: "assets/" }));
      return (listed.Contents ?? []).map((o) => o.Key!);
    }
    const root = path.join((server.app.config.storage as { root: string }).root, "objects", "assets");
    if (!fs.existsSync(root)) return [];
    return fs
      .readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
  }

  const brandReviewer = () => signedIn(server.app, { role: "brand_reviewer", name: "Bea Brand" });
  const partner = (tier: string, name = "Acme Media") => createPartner(server.app, { name, fields: { tier, status: "active" } });

  type Upload = { kind: string; file?: { name: string; bytes: Buffer; type?: string }; fields?: Record<string, string | string[]> };

  function uploadForm({ kind, file, fields = {} }: Upload): FormData {
    const form = new FormData();
    form.append("kind", kind);
    if (file) form.append("file", new Blob([new Uint8Array(file.bytes)], { type: file.type ?? "application/octet-stream" }), file.name);
    const all: Record<string, string | string[]> = { title: "Lumen logo", visibility: "all", allowOriginal: "on", ...fields };
    for (const [key, value] of Object.entries(all)) for (const v of [value].flat()) form.append(key, v);
    return form;
  }

  async function upload(cookie: string, input: Upload, target = "/admin/assets/upload") {
    const response = await fetch(`${server.url}${target}`, {
      method: "POST",
      body: uploadForm(input),
      headers: { Cookie: cookie, Origin: server.url, "Sec-Fetch-Site": "same-origin" },
    });
    type Body = { ok: boolean; location?: string; formError?: string | null; errors?: Record<string, string[]> };
    const json = response.headers.get("content-type")?.includes("application/json");
    return {
      status: response.status,
      body: (json ? await response.json() : { ok: false, formError: await response.text() }) as Body,
      setCookies: response.headers.getSetCookie(),
    };
  }

  const idFrom = (location: string) => location.split("?")[0]!.split("/").pop()!;

  it("says what happened on the page the upload leads to, whether the form posted itself or went through the upload endpoint", async () => {
    const brand = await brandReviewer();
    // With JavaScript: the endpoint answers JSON and sets the toast; the form then navigates to `location`.
    const created = await upload(brand.cookie, { kind: "logo", file: { name: "logo.svg", bytes: fixture("logo.svg") } });
    expect(created.body.location).toMatch(/^\/admin\/assets\/[0-9a-f-]{36}$/);
    const toast = created.setCookies.find((c) => c.startsWith("cobrand_toast="))!.split(";")[0]!;
    const page = await get(server, created.body.location!, { Cookie: `${brand.cookie}; ${toast}` });
    expect(toastIn(await page.text())).toBe("Uploaded and checked. Partners of the chosen tiers can download it now.");
    expect(page.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^cobrand_toast=; Max-Age=0/));
    // Without: the page's own action redirects with it.
    const form = uploadForm({ kind: "logo", file: { name: "logo.svg", bytes: fixture("logo.svg") }, fields: { title: "Second logo" } });
    const posted = await fetch(`${server.url}/admin/assets/new`, {
      method: "POST",
      redirect: "manual",
      body: form,
      headers: { Cookie: brand.cookie, Origin: server.url, "Sec-Fetch-Site": "same-origin" },
    });
    expect(posted.status).toBe(302);
    expect(toastIn(await (await follow(server, posted, brand.cookie)).text())).toBe("Uploaded and checked. Partners of the chosen tiers can download it now.");
  });

  it("stores an SVG logo sanitized, and serves a PNG rendition made once, then from storage with a strong ETag", async () => {
    const brand = await brandReviewer();
    const svg = fixture("hostile/script.svg");
    const created = await upload(brand.cookie, { kind: "logo", file: { name: "../../etc/passwd.svg", bytes: svg, type: "image/svg+xml" } });
    expect(created).toMatchObject({ status: 200, body: { ok: true } });
    const assetId = idFrom(created.body.location!);
    const [version] = await server.app.db.select().from(assetVersions).where(eq(assetVersions.assetId, assetId));
    expect(version).toMatchObject({ number: 1, contentType: "image/svg+xml", width: 1200, height: 400, originalFilename: "passwd.svg" });
    expect(version!.storageKey).toBe(`assets/${assetId}/${version!.id}/original`);
    const stored = await new Response(await (await server.app.storage.get(version!.storageKey!)).toArray().then((c) => Buffer.concat(c as Buffer[]))).text();
    expect(stored).toContain("<svg");
    expect(stored).not.toMatch(/<script|onload=|alert/i);

    const acme = await partner("standard");
    const first = await get(server, `/partner/assets/${assetId}/download?format=png&width=512`, { Cookie: acme.cookie });
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/png");
    expect(first.headers.get("content-disposition")).toContain('filename="lumen-logo-v1-512px.png"');
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const png = Buffer.from(await first.arrayBuffer());
    expect(await sharp(png).metadata()).toMatchObject({ format: "png", width: 512, height: 171 });

    // The original is gone from storage: a second request can only succeed without sharp, from the stored rendition.
    await server.app.storage.delete(version!.storageKey!);
    const second = await get(server, `/partner/assets/${assetId}/download?format=png&width=512`, { Cookie: acme.cookie });
    expect(second.status).toBe(200);
    expect(second.headers.get("etag")).toBe(etag);
    expect(Buffer.from(await second.arrayBuffer()).equals(png)).toBe(true);
    expect((await get(server, `/partner/assets/${assetId}/download?format=png&width=512`, { Cookie: acme.cookie, "If-None-Match": etag })).status).toBe(304);
    expect(await server.app.db.select().from(assetRenditions)).toHaveLength(1);

    const log = await server.app.db.select().from(assetDownloads);
    expect(log.map((d) => [d.userId, d.partnerOrgId, d.assetId, d.versionId, d.rendition])).toEqual(
      Array(3).fill([acme.user.id, acme.org.id, assetId, version!.id, "png-512"]),
    );
    expect((await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "asset.downloaded"))).length).toBe(3);
  });

  it("never upscales, flattens JPEG onto the chosen colour, and offers the original only where allowed", async () => {
    const brand = await brandReviewer();
    const created = await upload(brand.cookie, {
      kind: "image",
      file: { name: "photo.jpg", bytes: fixture("photo.jpg") },
      fields: { title: "Hero photo", allowOriginal: [] },
    });
    const assetId = idFrom(created.body.location!);
    const acme = await partner("standard");
    const big = await get(server, `/partner/assets/${assetId}/download?format=webp&width=2048`, { Cookie: acme.cookie });
    expect(await sharp(Buffer.from(await big.arrayBuffer())).metadata()).toMatchObject({ format: "webp", width: 1600 });
    const jpeg = await get(server, `/partner/assets/${assetId}/download?format=jpeg&width=256&background=%23000000`, { Cookie: acme.cookie });
    expect(await sharp(Buffer.from(await jpeg.arrayBuffer())).metadata()).toMatchObject({ format: "jpeg", width: 256 });
    expect((await get(server, `/partner/assets/${assetId}/download?format=original`, { Cookie: acme.cookie })).status).toBe(403);
    expect((await get(server, `/partner/assets/${assetId}/download?format=gif&width=77`, { Cookie: acme.cookie })).status).toBe(400);
    expect((await get(server, `/partner/assets/${assetId}/download?format=png&width=512&background=red;x`, { Cookie: acme.cookie })).status).toBe(400);
  });

  it("refuses the hostile corpus with a clear message, leaving no row and no object", async () => {
    const brand = await brandReviewer();
    const before = await storedKeys();
    const cases: { kind: string; name: string; status: number; message: RegExp }[] = [
      { kind: "image", name: "hostile/pdf-named.png", status: 415, message: /This file is a PDF file\. Images must be PNG or JPEG or WebP\./ },
      { kind: "image", name: "hostile/truncated.jpg", status: 422, message: /damaged or incomplete/ },
      { kind: "image", name: "hostile/pixel-flood.png", status: 422, message: /too large to process/ },
      { kind: "logo", name: "hostile/empty.png", status: 400, message: /The file is empty\./ },
      { kind: "document", name: "logo.png", status: 415, message: /Documents must be PDF/ },
      { kind: "logo", name: "photo.jpg", status: 415, message: /This file is a JPEG file\. Logos must be SVG or PNG\./ },
    ];
    for (const c of cases) {
      const result = await upload(brand.cookie, { kind: c.kind, file: { name: path.basename(c.name), bytes: fixture(c.name) } });
      expect(result.status, c.name).toBe(c.status);
      expect(result.body.errors?.file?.[0] ?? result.body.formError, c.name).toMatch(c.message);
    }
    // Missing file, bad fields.
    const noFile = await upload(brand.cookie, { kind: "logo", fields: { title: "" } });
    expect(noFile.status).toBe(400);
    expect(noFile.body.errors?.title?.[0]).toBe("Title is required.");
    const badTiers = await upload(brand.cookie, { kind: "logo", file: { name: "logo.svg", bytes: fixture("logo.svg") }, fields: { visibility: "tiers" } });
    expect(badTiers.status).toBe(400);
    expect(badTiers.body.errors?.tiers?.[0]).toBe("Choose at least one tier, or show it to every tier.");
    expect(await server.app.db.select().from(assets)).toHaveLength(0);
    expect(await storedKeys()).toEqual(before);
  });

  it("neutralises what it accepts: script-free SVGs without foreign objects, external images or fetching CSS; PNG with HTML appended is served as an attachment", async () => {
    const brand = await brandReviewer();
    // Every hostile SVG: scripts, foreign objects, external images, and CSS that fetches behind escapes, comments or entities.
    const hostileSvgs = fs.readdirSync(path.join(FIXTURES, "hostile")).filter((n) => n.endsWith(".svg"));
    expect(hostileSvgs.length).toBeGreaterThanOrEqual(10);
    for (const name of hostileSvgs) {
      const result = await upload(brand.cookie, { kind: "logo", file: { name: "x.svg", bytes: fixture(`hostile/${name}`) } });
      expect(result.status, name).toBe(200);
      const [version] = await server.app.db
        .select()
        .from(assetVersions)
        .where(eq(assetVersions.assetId, idFrom(result.body.location!)));
      const text = Buffer.concat((await (await server.app.storage.get(version!.storageKey!)).toArray()) as Buffer[]).toString("utf8");
      // Read as a browser's CSS parser would: escapes decoded, comments removed.
      const read = unescapeCss(text).replace(/\/\*[\s\S]*?\*\//g, "");
      expect(read, name).not.toMatch(/foreignObject|evil\.example|@import|image-set\(|<iframe|<image|<script/i);
      expect(read.match(/url\(\s*['"]?\s*[^#'"\s]/gi) ?? [], name).toEqual([]);
    }
    const polyglot = await upload(brand.cookie, { kind: "logo", file: { name: "page.html", bytes: fixture("hostile/png-with-html.png"), type: "text/html" } });
    expect(polyglot.status).toBe(200);
    const assetId = idFrom(polyglot.body.location!);
    const acme = await partner("standard");
    const original = await get(server, `/partner/assets/${assetId}/download?format=original`, { Cookie: acme.cookie });
    expect(original.headers.get("content-type")).toBe("image/png");
    expect(original.headers.get("content-disposition")).toMatch(/^attachment; filename="lumen-logo-v1\.png"/);
    expect(original.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("cuts off an upload past its kind's limit with 413, leaving nothing", async () => {
    const brand = await brandReviewer();
    const before = await storedKeys();
    const huge = Buffer.alloc(26 * 1024 * 1024, 0x41);
    const result = await upload(brand.cookie, { kind: "image", file: { name: "huge.png", bytes: huge } });
    expect(result.status).toBe(413);
    expect(result.body.errors?.file?.[0]).toBe("The file is larger than the limit of 25 MB.");
    expect(await server.app.db.select().from(assets)).toHaveLength(0);
    expect(await storedKeys()).toEqual(before);
  });

  it("enforces tiers, retirement and the usage window on the list, the page and every download route", async () => {
    const brand = await brandReviewer();
    const make = async (title: string, fields: Record<string, string | string[]> = {}) => {
      const result = await upload(brand.cookie, { kind: "logo", file: { name: "logo.svg", bytes: fixture("logo.svg") }, fields: { title, ...fields } });
      expect(result, title).toMatchObject({ status: 200, body: { ok: true } });
      return idFrom(result.body.location!);
    };
    const everyone = await make("Everyone logo");
    const strategic = await make("Strategic logo", { visibility: "tiers", tiers: ["strategic"] });
    const retired = await make("Retired logo");
    const future = await make("Future logo", { availableFrom: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10) });
    const expired = await make("Expired logo");
    await server.app.db
      .update(assets)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(assets.id, expired));
    await postForm(server, `/admin/assets/${retired}`, { intent: "retire" }, { Cookie: brand.cookie });

    const standard = await partner("standard", "Standard Co");
    const top = await partner("strategic", "Top Co");
    const list = async (who: { cookie: string }) => {
      const html = await (await get(server, "/partner/assets", { Cookie: who.cookie })).text();
      return ["Everyone logo", "Strategic logo", "Retired logo", "Future logo", "Expired logo"].filter((t) => html.includes(t));
    };
    expect(await list(standard)).toEqual(["Everyone logo"]);
    expect(await list(top)).toEqual(["Everyone logo", "Strategic logo"]);
    for (const hidden of [strategic, retired, future, expired]) {
      for (const suffix of ["", "/preview", "/download?format=png&width=256", "/download?format=original"]) {
        expect((await get(server, `/partner/assets/${hidden}${suffix}`, { Cookie: standard.cookie })).status, `${hidden}${suffix}`).toBe(404);
      }
    }
    expect((await get(server, `/partner/assets/${strategic}/download?format=png&width=256`, { Cookie: top.cookie })).status).toBe(200);
    expect((await get(server, `/partner/assets/${everyone}`, { Cookie: standard.cookie })).status).toBe(200);
    // Partners never reach the team's routes, and the team's upload needs the right role.
    expect((await get(server, `/admin/assets/${everyone}/original`, { Cookie: standard.cookie })).status).toBe(404);
    const analyst = await signedIn(server.app, { role: "analyst" });
    expect((await upload(analyst.cookie, { kind: "logo", file: { name: "logo.svg", bytes: fixture("logo.svg") } })).status).toBe(403);
  });

  it("keeps history: a new version is served, the previous one stays downloadable for the team", async () => {
    const brand = await brandReviewer();
    const assetId = idFrom((await upload(brand.cookie, { kind: "logo", file: { name: "logo.svg", bytes: fixture("logo.svg") } })).body.location!);
    const next = await upload(brand.cookie, { kind: "logo", file: { name: "logo.png", bytes: fixture("logo.png") } }, `/admin/assets/upload?asset=${assetId}`);
    expect(next).toMatchObject({ status: 200, body: { ok: true } });
    const versions = await server.app.db.select().from(assetVersions).where(eq(assetVersions.assetId, assetId)).orderBy(assetVersions.number);
    expect(versions.map((v) => [v.number, v.contentType])).toEqual([
      [1, "image/svg+xml"],
      [2, "image/png"],
    ]);
    const acme = await partner("standard");
    const original = await get(server, `/partner/assets/${assetId}/download?format=original`, { Cookie: acme.cookie });
    expect(original.headers.get("content-type")).toBe("image/png");
    const old = await get(server, `/admin/assets/${assetId}/original?version=1`, { Cookie: brand.cookie });
    expect(old.headers.get("content-type")).toBe("image/svg+xml");
    expect(old.headers.get("content-disposition")).toMatch(/^attachment;/);
  });

  it("streams a kit as a ZIP with sensibly named entries the partner may have, plus the claims sheet, logged and audited", async () => {
    const brand = await brandReviewer();
    const logo = idFrom(
      (await upload(brand.cookie, { kind: "logo", file: { name: "logo.svg", bytes: fixture("logo.svg") }, fields: { title: "Lumen logo" } })).body.location!,
    );
    const photo = idFrom(
      (
        await upload(brand.cookie, {
          kind: "image",
          file: { name: "photo.jpg", bytes: fixture("photo.jpg") },
          fields: { title: "Top photo", visibility: "tiers", tiers: ["strategic"] },
        })
      ).body.location!,
    );
    const made = await postForm(server, "/admin/kits", { name: "Starter kit", description: "First things", includeClaims: "on" }, { Cookie: brand.cookie });
    expect(made.status).toBe(302);
    const kitPath = made.headers.get("location")!.split("?")[0]!;
    const kitId = kitPath.split("/").pop()!;
    expect((await postForm(server, kitPath, { intent: "add_item", assetId: "nope", format: "png" }, { Cookie: brand.cookie })).status).toBe(400);
    const items: Record<string, string>[] = [
      { assetId: logo, format: "png", width: "512" },
      { assetId: logo, format: "original", width: "1024" },
      { assetId: photo, format: "jpeg", width: "256", background: "#ffffff" },
    ];
    for (const item of items) {
      expect((await postForm(server, kitPath, { intent: "add_item", ...item }, { Cookie: brand.cookie })).status).toBe(302);
    }

    const standard = await partner("standard", "Standard Co");
    const hub = await (await get(server, "/partner/assets", { Cookie: standard.cookie })).text();
    expect(hub).toContain("Starter kit");
    const response = await get(server, `/partner/kits/${kitId}/download`, { Cookie: standard.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toContain('filename="starter-kit.zip"');
    const names = zipEntryNames(Buffer.from(await response.arrayBuffer()));
    // The strategic-only photo is left out for a standard partner.
    expect(names).toEqual(["lumen-logo-v1-512px.png", "lumen-logo-v1.svg", "claims.csv"]);
    const top = await partner("strategic", "Top Co");
    const topNames = zipEntryNames(Buffer.from(await (await get(server, `/partner/kits/${kitId}/download`, { Cookie: top.cookie })).arrayBuffer()));
    expect(topNames).toEqual(["lumen-logo-v1-512px.png", "lumen-logo-v1.svg", "top-photo-v1-256px.jpg", "claims.csv"]);

    const log = await server.app.db.select().from(assetDownloads).where(eq(assetDownloads.kitId, kitId));
    expect(log.map((d) => d.partnerOrgId).sort()).toEqual([standard.org.id, top.org.id].sort());
    expect(await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "kit.downloaded"))).toHaveLength(2);
    expect(await (await get(server, "/partner", { Cookie: standard.cookie })).text()).toContain("Your organisation has the brand kit.");

    await postForm(server, kitPath, { intent: "retire" }, { Cookie: brand.cookie });
    expect((await get(server, `/partner/kits/${kitId}/download`, { Cookie: standard.cookie })).status).toBe(404);
    expect((await get(server, `/partner/kits/${crypto.randomUUID()}/download`, { Cookie: standard.cookie })).status).toBe(404);
  });

  it("exports the download log per partner as CSV, formula cells neutralised", async () => {
    const brand = await brandReviewer();
    const logo = idFrom(
      (
        await upload(brand.cookie, {
          kind: "logo",
          file: { name: "logo.svg", bytes: fixture("logo.svg") },
          fields: { title: '=HYPERLINK("http://evil.test")' },
        })
      ).body.location!,
    );
    const acme = await partner("standard", "Acme Media");
    const other = await partner("standard", "Other Co");
    await get(server, `/partner/assets/${logo}/download?format=png&width=256`, { Cookie: acme.cookie });
    await get(server, `/partner/assets/${logo}/download?format=webp&width=256`, { Cookie: other.cookie });
    const csv = await (await get(server, `/admin/downloads.csv?partner=${acme.org.id}`, { Cookie: brand.cookie })).text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("Time (UTC),User,Email,Organisation,Asset,Version,Kit,Rendition");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.test"")"`);
    expect(lines[1]).toContain("png-256");
    const page = await (await get(server, `/admin/downloads?asset=${logo}`, { Cookie: brand.cookie })).text();
    expect(page).toContain("Acme Media");
    expect(page).toContain("Other Co");
    expect((await get(server, "/admin/downloads.csv", { Cookie: acme.cookie })).status).toBe(404);
  });

  /** The brand team's details form of an asset, as the admin page posts it (the original offered unless told otherwise). */
  function saveDetails(cookie: string, assetId: string, fields: Record<string, string | null>) {
    const all: Record<string, string | null> = { intent: "details", visibility: "all", allowOriginal: "on", ...fields };
    const posted = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null));
    return postForm(server, `/admin/assets/${assetId}`, posted, { Cookie: cookie });
  }

  async function createKit(cookie: string, items: Record<string, string>[]) {
    const made = await postForm(server, "/admin/kits", { name: "Starter kit", description: "" }, { Cookie: cookie });
    const kitPath = made.headers.get("location")!.split("?")[0]!;
    for (const item of items)
      expect((await postForm(server, kitPath, { intent: "add_item", ...item }, { Cookie: cookie })).status, JSON.stringify(item)).toBe(302);
    return { kitPath, kitId: kitPath.split("/").pop()! };
  }

  const readAll = async (key: string) => Buffer.concat((await (await server.app.storage.get(key)).toArray()) as Buffer[]);

  it("renders only the backgrounds and widths the asset offers: anything else is 400 and stores nothing, and a version's renditions stay within the bound", async () => {
    const brand = await brandReviewer();
    const small = await sharp({ create: { width: 300, height: 150, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } } })
      .png()
      .toBuffer();
    const assetId = idFrom((await upload(brand.cookie, { kind: "image", file: { name: "dot.png", bytes: small }, fields: { title: "Dot" } })).body.location!);
    const [version] = await server.app.db.select().from(assetVersions).where(eq(assetVersions.assetId, assetId));
    const brandColour = (await getBranding(server.app.db)).brandColor.slice(1).toLowerCase();
    const acme = await partner("standard");
    const download = (query: string) => get(server, `/partner/assets/${assetId}/download?${query}`, { Cookie: acme.cookie });
    const renditionCount = async () => (await server.app.db.select().from(assetRenditions).where(eq(assetRenditions.versionId, version!.id))).length;

    // The reproduction: twenty made-up colours rendered and stored forty files.
    const keysBefore = await storedKeys();
    for (let n = 0; n < 20; n++) {
      const refused = await download(`format=png&width=512&background=1000${String(n).padStart(2, "0")}`);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain(
        `This background colour is not offered for this asset. Choose one of: transparent, #ffffff, #000000, #${brandColour}.`,
      );
    }
    expect((await download("format=png&width=300")).status).toBe(400);
    expect(await storedKeys()).toEqual(keysBefore);
    expect(await renditionCount()).toBe(0);
    expect(await server.app.db.select().from(assetDownloads)).toHaveLength(0);

    // The asset page offers exactly that set.
    const page = await (await get(server, `/partner/assets/${assetId}`, { Cookie: acme.cookie })).text();
    for (const label of ["Transparent", "White (for light backgrounds)", "Black (for dark backgrounds)", `Brand colour (#${brandColour})`])
      expect(page).toContain(`>${label}</option>`);

    // The brand adds its own colours on the asset page: at most five, audited.
    const six = await saveDetails(brand.cookie, assetId, { title: "Dot", extraBackgrounds: "#ff0000, #00ff00, #0000ff, #123456, #abcdef, #fedcba" });
    expect(six.status).toBe(400);
    expect(await six.text()).toContain("List at most 5 colours.");
    expect((await saveDetails(brand.cookie, assetId, { title: "Dot", extraBackgrounds: "red" })).status).toBe(400);
    expect((await saveDetails(brand.cookie, assetId, { title: "Dot", extraBackgrounds: "#FF0000, #00ff00 #0000ff,#123456, abcdef" })).status).toBe(302);
    const [asset] = await server.app.db.select().from(assets).where(eq(assets.id, assetId));
    const extra = ["ff0000", "00ff00", "0000ff", "123456", "abcdef"];
    expect(asset!.extraBackgrounds).toEqual(extra);
    const [audit] = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "asset.updated"));
    expect(audit!.data).toMatchObject({ changed: ["extraBackgrounds"], extraBackgrounds: extra });
    expect(await (await get(server, `/partner/assets/${assetId}`, { Cookie: acme.cookie })).text()).toContain(">#abcdef</option>");
    const red = await download("format=jpeg&width=256&background=%23ff0000");
    expect(red.status).toBe(200);
    const { data, info } = await sharp(Buffer.from(await red.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(256);
    expect(data[0]).toBeGreaterThan(100); // half-transparent dark blue on red: red shows through

    // Every combination on offer, and more made-up colours: never more stored renditions than the bound.
    for (const format of ["png", "jpeg", "webp"]) {
      for (const width of [256, 512, 1024, 2048]) {
        for (const background of ["", "ffffff", "000000", brandColour, ...extra]) {
          expect((await download(`format=${format}&width=${width}&background=${background}`)).status, `${format} ${width} ${background}`).toBe(200);
        }
        expect((await download(`format=${format}&width=${width}&background=00000${width % 10}`)).status).toBe(400);
      }
    }
    // 300 px wide: 512, 1024 and 2048 give the same 300 px file; JPEG's transparent is its white.
    expect(await renditionCount()).toBe(2 * 9 + 2 * 9 + 2 * 8);
    expect(await renditionCount()).toBeLessThanOrEqual(MAX_RENDITIONS_PER_VERSION);
  });

  it("never delivers an original the brand does not offer, not even through a kit, and the kit editor refuses it", async () => {
    const brand = await brandReviewer();
    const logo = idFrom(
      (await upload(brand.cookie, { kind: "logo", file: { name: "logo.svg", bytes: fixture("logo.svg") }, fields: { title: "Lumen logo" } })).body.location!,
    );
    const [version] = await server.app.db.select().from(assetVersions).where(eq(assetVersions.assetId, logo));
    expect(sha256(await readAll(version!.storageKey!))).toBe(version!.sha256);
    const { kitPath, kitId } = await createKit(brand.cookie, [
      { assetId: logo, format: "original" },
      { assetId: logo, format: "png", width: "512" },
    ]);
    const acme = await partner("standard");
    const kitFiles = async () => zipEntries(Buffer.from(await (await get(server, `/partner/kits/${kitId}/download`, { Cookie: acme.cookie })).arrayBuffer()));
    // While the original is offered, the kit delivers its exact bytes.
    const before = await kitFiles();
    expect(before.map((e) => e.name)).toEqual(["lumen-logo-v1.svg", "lumen-logo-v1-512px.png"]);
    expect(sha256(before[0]!.data)).toBe(version!.sha256);

    expect((await saveDetails(brand.cookie, logo, { title: "Lumen logo", allowOriginal: null })).status).toBe(302);
    expect((await get(server, `/partner/assets/${logo}/download?format=original`, { Cookie: acme.cookie })).status).toBe(403);
    const after = await kitFiles();
    expect(after.map((e) => e.name)).toEqual(["lumen-logo-v1-512px.png"]);
    for (const entry of after) expect(sha256(entry.data), entry.name).not.toBe(version!.sha256);
    expect((await (await get(server, "/partner/assets", { Cookie: acme.cookie })).text()).replace(/<!-- -->/g, "")).toMatch(/\b1 file\b/);

    // The editor marks the saved item as left out, and refuses a new one.
    expect(await (await get(server, kitPath, { Cookie: brand.cookie })).text()).toContain("No longer offered: left out");
    const refused = await postForm(server, kitPath, { intent: "add_item", assetId: logo, format: "original" }, { Cookie: brand.cookie });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("The original file of this asset is not offered for download.");
    const offBackground = await postForm(
      server,
      kitPath,
      { intent: "add_item", assetId: logo, format: "png", width: "512", background: "#100001" },
      { Cookie: brand.cookie },
    );
    expect(offBackground.status).toBe(400);
    expect(await offBackground.text()).toContain("This background colour is not offered for this asset.");
  });

  it("serves a browser's prefetch of a download or a kit without logging it; a real download is logged and audited once", async () => {
    const brand = await brandReviewer();
    const logo = idFrom((await upload(brand.cookie, { kind: "logo", file: { name: "logo.svg", bytes: fixture("logo.svg") } })).body.location!);
    const { kitId } = await createKit(brand.cookie, [{ assetId: logo, format: "png", width: "256" }]);
    const acme = await partner("standard");
    const downloadUrl = `/partner/assets/${logo}/download?format=png&width=256`;
    const logged = async () => ({
      downloads: (await server.app.db.select().from(assetDownloads)).length,
      audits: (
        await server.app.db
          .select()
          .from(auditEvents)
          .where(inArray(auditEvents.action, ["asset.downloaded", "kit.downloaded"]))
      ).length,
    });
    for (const prefetch of [{ "Sec-Purpose": "prefetch" }, { "Sec-Purpose": "prefetch;prerender" }, { Purpose: "prefetch" }, { "X-Moz": "prefetch" }] as Record<
      string,
      string
    >[]) {
      const file = await get(server, downloadUrl, { Cookie: acme.cookie, ...prefetch });
      expect(file.status).toBe(200);
      expect((await sharp(Buffer.from(await file.arrayBuffer())).metadata()).width).toBe(256);
      const kit = await get(server, `/partner/kits/${kitId}/download`, { Cookie: acme.cookie, ...prefetch });
      expect(zipEntryNames(Buffer.from(await kit.arrayBuffer()))).toEqual(["lumen-logo-v1-256px.png"]);
    }
    expect(await logged()).toEqual({ downloads: 0, audits: 0 });
    expect(await (await get(server, "/partner", { Cookie: acme.cookie })).text()).not.toContain("Your organisation has the brand kit.");

    expect((await get(server, downloadUrl, { Cookie: acme.cookie })).status).toBe(200);
    expect(await logged()).toEqual({ downloads: 1, audits: 1 });
    await (await get(server, `/partner/kits/${kitId}/download`, { Cookie: acme.cookie })).arrayBuffer();
    expect(await logged()).toEqual({ downloads: 2, audits: 2 });
  });

  /** The visible text of a page: scripts (with the loader data they carry), tags and React's comment markers gone, entities decoded. */
  const textOf = (html: string) =>
    html
      .replace(/<script[\s\S]*?<\/script>/g, "")
      .replace(/<!-- -->/g, "")
      .replace(/<[^>]+>/g, " ")
      .replace(/&amp;/g, "&")
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/\s+/g, " ");

  it("refuses a new version identical to the current one (409, no row, no object), and keeps each version's note of what changed", async () => {
    const brand = await brandReviewer();
    const assetId = idFrom(
      (await upload(brand.cookie, { kind: "logo", file: { name: "logo.svg", bytes: fixture("logo.svg") }, fields: { title: "Lumen logo" } })).body.location!,
    );
    const versionUpload = (file: { name: string; bytes: Buffer }, note?: string) => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(file.bytes)]), file.name);
      if (note !== undefined) form.append("note", note);
      return fetch(`${server.url}/admin/assets/upload?asset=${assetId}`, {
        method: "POST",
        body: form,
        headers: { Cookie: brand.cookie, Origin: server.url, "Sec-Fetch-Site": "same-origin" },
      });
    };
    const versions = async () =>
      (await server.app.db.select().from(assetVersions).where(eq(assetVersions.assetId, assetId)).orderBy(assetVersions.number)).map((v) => [v.number, v.note]);

    const keysBefore = await storedKeys();
    const again = await versionUpload({ name: "renamed.svg", bytes: fixture("logo.svg") }, "Same file, new name");
    expect(again.status).toBe(409);
    expect(((await again.json()) as { errors: Record<string, string[]> }).errors.file).toEqual(["This file is identical to version 1."]);
    const tooLong = await versionUpload({ name: "logo.png", bytes: fixture("logo.png") }, "x".repeat(501));
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { errors: Record<string, string[]> }).errors.note).toEqual(["Keep the note under 500 characters."]);
    expect(await versions()).toEqual([[1, ""]]);
    expect(await storedKeys()).toEqual(keysBefore);

    // Without JavaScript the page's own action refuses it the same way, with the form again.
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(fixture("logo.svg"))]), "logo.svg");
    const pageRefusal = await fetch(`${server.url}/admin/assets/${assetId}`, {
      method: "POST",
      body: form,
      headers: { Cookie: brand.cookie, Origin: server.url, "Sec-Fetch-Site": "same-origin" },
    });
    expect(pageRefusal.status).toBe(409);
    expect(await pageRefusal.text()).toContain("This file is identical to version 1.");

    expect((await versionUpload({ name: "logo.png", bytes: fixture("logo.png") }, "  Darker blue, for print.  ")).status).toBe(200);
    // Going back to version 1's file is a change (from version 2), so it is taken.
    expect((await versionUpload({ name: "logo.svg", bytes: fixture("logo.svg") })).status).toBe(200);
    expect(await versions()).toEqual([
      [1, ""],
      [2, "Darker blue, for print."],
      [3, ""],
    ]);
    const [audit] = await server.app.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "asset.version_added"))
      .orderBy(auditEvents.occurredAt)
      .limit(1);
    expect(audit!.data).toMatchObject({ number: 2, note: "Darker blue, for print." });
    expect(await (await get(server, `/admin/assets/${assetId}`, { Cookie: brand.cookie })).text()).toContain("Darker blue, for print.");

    // Partners see the current version's note: version 3 has none, so a fourth with a note shows.
    const acme = await partner("standard");
    expect(await (await get(server, `/partner/assets/${assetId}`, { Cookie: acme.cookie })).text()).not.toContain("What changed");
    expect((await versionUpload({ name: "logo.png", bytes: fixture("logo.png") }, "Back to the PNG.")).status).toBe(200);
    expect(textOf(await (await get(server, `/partner/assets/${assetId}`, { Cookie: acme.cookie })).text())).toContain(
      "What changed in version 4: Back to the PNG.",
    );
  });

  it("searches titles, descriptions, categories and tags by word prefix, ignoring case and accents, with a count, a sort, pages that keep the search, and an empty state", async () => {
    const brand = await brandReviewer();
    const make = async (title: string, fields: Record<string, string> = {}) => {
      const result = await upload(brand.cookie, {
        kind: "document",
        file: { name: "doc.pdf", bytes: fixture("hostile/pdf-named.png") },
        fields: { title, ...fields },
      });
      expect(result, title).toMatchObject({ status: 200, body: { ok: true } });
      return idFrom(result.body.location!);
    };
    await make("Café Logos", { category: "Logos" });
    await make("Brand guide", { description: "How to use the MARK" });
    await make("Summer photos", { tags: "Crème brûlée, outdoor", category: "Fotografía" });
    await make("Zebra sheet", { description: "Ærodynamic straße notes" });
    const acme = await partner("standard");
    const titles = ["Café Logos", "Brand guide", "Summer photos", "Zebra sheet"];
    const search = async (path: string, cookie: string) => {
      const html = textOf(await (await get(server, path, { Cookie: cookie })).text());
      return { html, found: titles.filter((t) => html.includes(t)) };
    };
    const cases: [string, string[]][] = [
      ["logo", ["Café Logos"]],
      ["cafe", ["Café Logos"]],
      ["CAFÉ logos", ["Café Logos"]],
      ["bran", ["Brand guide"]],
      ["mark", ["Brand guide"]],
      ["creme", ["Summer photos"]],
      ["brulee outdoor", ["Summer photos"]],
      ["fotografia", ["Summer photos"]],
      ["aerodynamic strasse", ["Zebra sheet"]],
      ["ogos", []],
      ["brand zebra", []],
    ];
    for (const [q, expected] of cases) {
      expect((await search(`/partner/assets?q=${encodeURIComponent(q)}`, acme.cookie)).found, `partner: ${q}`).toEqual(expected);
      expect((await search(`/admin/assets?q=${encodeURIComponent(q)}`, brand.cookie)).found, `team: ${q}`).toEqual(expected);
    }
    const one = await search("/partner/assets?q=cafe", acme.cookie);
    expect(one.html).toContain("1 asset matching “cafe”");
    expect((await search("/partner/assets", acme.cookie)).html).toContain("4 assets");

    // Sorted A–Z, accents aside; newest first by default.
    const order = (html: string) =>
      titles
        .map((t) => [t, html.indexOf(t)] as const)
        .sort((a, b) => a[1] - b[1])
        .map(([t]) => t);
    expect(order((await search("/partner/assets?sort=title", acme.cookie)).html)).toEqual(["Brand guide", "Café Logos", "Summer photos", "Zebra sheet"]);
    expect(order((await search("/admin/assets", brand.cookie)).html)).toEqual(["Zebra sheet", "Summer photos", "Brand guide", "Café Logos"]);

    // Nothing matches: say so, and offer to clear the search while keeping the other filters.
    const none = await (await get(server, "/partner/assets?q=zzz&kind=document", { Cookie: acme.cookie })).text();
    expect(textOf(none)).toContain("No assets match “zzz”");
    expect(none).toContain('href="/partner/assets?kind=document"');
    expect(none).toContain("Clear the search");

    // Pages keep the search: 30 more matches for "poster".
    for (let n = 1; n <= 30; n++) {
      const id = crypto.randomUUID();
      await server.app.db.insert(assets).values({ id, kind: "guideline", title: `Póster ${String(n).padStart(2, "0")}` });
      await server.app.db.insert(assetVersions).values({ assetId: id, number: 1, body: "A page." });
    }
    const first = await (await get(server, "/partner/assets?q=poster&sort=title", { Cookie: acme.cookie })).text();
    expect(textOf(first)).toContain("30 assets matching “poster”");
    expect(textOf(first).match(/Póster \d\d/g)).toHaveLength(24);
    expect(first).toContain('href="/partner/assets?q=poster&amp;sort=title&amp;page=2"');
    const second = textOf(await (await get(server, "/partner/assets?q=poster&sort=title&page=2", { Cookie: acme.cookie })).text());
    expect(second.match(/Póster \d\d/g)).toEqual(["Póster 25", "Póster 26", "Póster 27", "Póster 28", "Póster 29", "Póster 30"]);
    expect(second).toContain("Page 2 of 2");
  });

  it("renders the original size exactly (never upscaled) and the light/dark background variants of a logo", async () => {
    const brand = await brandReviewer();
    const small = await sharp({ create: { width: 300, height: 150, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0 } } })
      .png()
      .toBuffer();
    const logo = idFrom(
      (await upload(brand.cookie, { kind: "logo", file: { name: "small.png", bytes: small }, fields: { title: "Small mark" } })).body.location!,
    );
    const photo = idFrom(
      (await upload(brand.cookie, { kind: "image", file: { name: "photo.jpg", bytes: fixture("photo.jpg") }, fields: { title: "Hero photo" } })).body.location!,
    );
    const acme = await partner("standard");
    const metadataOf = async (path: string) => {
      const response = await get(server, path, { Cookie: acme.cookie });
      expect(response.status, path).toBe(200);
      return sharp(Buffer.from(await response.arrayBuffer()));
    };
    expect(await (await metadataOf(`/partner/assets/${logo}/download?format=png&width=original`)).metadata()).toMatchObject({
      format: "png",
      width: 300,
      height: 150,
    });
    expect(await (await metadataOf(`/partner/assets/${photo}/download?format=webp&width=original`)).metadata()).toMatchObject({
      format: "webp",
      width: 1600,
      height: 1000,
    });
    // The original size is the same stored rendition as any width above it.
    await metadataOf(`/partner/assets/${logo}/download?format=png&width=2048`);
    const [logoVersion] = await server.app.db.select().from(assetVersions).where(eq(assetVersions.assetId, logo));
    expect(await server.app.db.select().from(assetRenditions).where(eq(assetRenditions.versionId, logoVersion!.id))).toHaveLength(1);

    // The page offers it by name, and the logo's light and dark variants as one-click downloads.
    const page = await (await get(server, `/partner/assets/${logo}`, { Cookie: acme.cookie })).text();
    expect(page).toContain(">Original size (300 px)</option>");
    expect(page).not.toContain(">300 px</option>");
    for (const [label, background, pixel] of [
      ["For light backgrounds", "ffffff", 255],
      ["For dark backgrounds", "000000", 0],
    ] as const) {
      const href = `/partner/assets/${logo}/download?format=png&amp;width=original&amp;background=${background}`;
      expect(page).toContain(`href="${href}"`);
      expect(textOf(page)).toContain(label);
      const image = await metadataOf(href.replace(/&amp;/g, "&"));
      const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
      expect(info.width).toBe(300);
      expect([data[0], data[1], data[2]]).toEqual([pixel, pixel, pixel]);
    }
    // An image is not a logo: no presets there.
    expect(await (await get(server, `/partner/assets/${photo}`, { Cookie: acme.cookie })).text()).not.toContain("For light backgrounds");

    // A kit may bundle the original size: stored without a width, it follows the current version's own.
    const { kitPath, kitId } = await createKit(brand.cookie, [{ assetId: logo, format: "png", width: "original" }]);
    expect(textOf(await (await get(server, kitPath, { Cookie: brand.cookie })).text())).toContain("PNG, original size");
    expect(zipEntryNames(Buffer.from(await (await get(server, `/partner/kits/${kitId}/download`, { Cookie: acme.cookie })).arrayBuffer()))).toEqual([
      "small-mark-v1-300px.png",
    ]);
  });

  it("answers a tampered download URL with a 400 page in the portal's look that says what was wrong and links back to the asset", async () => {
    const brand = await brandReviewer();
    const logo = idFrom(
      (await upload(brand.cookie, { kind: "logo", file: { name: "logo.svg", bytes: fixture("logo.svg") }, fields: { title: "Lumen logo", allowOriginal: [] } }))
        .body.location!,
    );
    const acme = await partner("standard");
    const cases: [string, number, string][] = [
      [
        "format=gif",
        400,
        "Choose a format (PNG, JPEG, WebP or the original), a width (256, 512, 1024 or 2048 px, or the original size) and a colour such as #ffffff.",
      ],
      ["format=png&width=300", 400, "Choose a format (PNG, JPEG, WebP or the original), a width"],
      ["format=png&width=512&background=red;x", 400, "a colour such as #ffffff."],
      ["format=png&width=512&background=123456", 400, "This background colour is not offered for this asset."],
      ["format=original", 403, "The original file of this asset is not offered for download."],
    ];
    const warn = vi.spyOn(server.app.log, "warn");
    for (const [query, status, message] of cases) {
      const response = await get(server, `/partner/assets/${logo}/download?${query}`, { Cookie: acme.cookie });
      expect(response.status, query).toBe(status);
      expect(response.headers.get("content-type"), query).toBe("text/html; charset=utf-8");
      const html = await response.text();
      expect(html, query).toMatch(/^<!DOCTYPE html><html lang="en"/);
      expect(html, query).toMatch(/<link rel="stylesheet" href="\/build\/[^"]+\.css"/);
      expect(textOf(html), query).toContain(message);
      expect(html, query).toContain(`<a href="/partner/assets/${logo}" class="button button--secondary">Back to Lumen logo</a>`);
    }
    // The 403 (a ForbiddenError) is logged like a guard's refusal; the 400s are the partner's typing, not logged.
    expect(warn.mock.calls.filter(([event]) => event === "authz_fail")).toEqual([
      ["authz_fail", expect.objectContaining({ userId: acme.user.id, path: `/partner/assets/${logo}/download`, reason: "original_not_offered", status: 403 })],
    ]);
    warn.mockRestore();
    expect(await server.app.db.select().from(assetDownloads)).toHaveLength(0);
    // An asset the partner cannot see stays a plain 404: nothing to link back to.
    expect((await get(server, `/partner/assets/${crypto.randomUUID()}/download?format=gif`, { Cookie: acme.cookie })).status).toBe(404);
  });

  it("sweeps objects that no version points at, once they are old enough, and keeps everything else", async () => {
    const brand = await brandReviewer();
    const kept = idFrom((await upload(brand.cookie, { kind: "logo", file: { name: "logo.svg", bytes: fixture("logo.svg") } })).body.location!);
    const strayKey = `assets/${crypto.randomUUID()}/${crypto.randomUUID()}/original`;
    await server.app.storage.put(strayKey, Readable.from([Buffer.from("left by a crash")]), { maxBytes: 1024 });
    expect(await sweepOrphanAssetObjects(server.app)).toMatchObject({ deleted: 0 });
    expect(await server.app.storage.head(strayKey)).not.toBeNull();
    const swept = await sweepOrphanAssetObjects(server.app, { olderThanMs: -60_000 });
    expect(swept.deleted).toBeGreaterThanOrEqual(1);
    expect(await server.app.storage.head(strayKey)).toBeNull();
    const keys = await storedKeys();
    expect(keys.some((k) => k.includes(kept))).toBe(true);
    const [version] = await server.app.db.select().from(assetVersions).where(eq(assetVersions.assetId, kept));
    expect(await server.app.storage.head(version!.storageKey!)).not.toBeNull();
  });
});
