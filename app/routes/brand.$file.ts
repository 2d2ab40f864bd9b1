import type { LoaderFunctionArgs } from "@remix-run/node";
import type { BrandFile } from "~/domain/settings/catalog";
import { brandObject } from "~/domain/settings/logo.server";
import { serveObject } from "~/lib/serve-object.server";
import { notFound } from "~/lib/http.server";

const BRAND_FILES: readonly BrandFile[] = ["logo", "logo.png", "favicon-32.png", "favicon-180.png"];

/**
 * The program logo and its renditions. Public on purpose: the sign-in page,
 * the favicon and emails read elsewhere show them. A URL carrying the
 * current version (?v=, from brandFilePath) may be cached for good; any other
 * is checked again each time, so a new or removed logo shows at once.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const file = BRAND_FILES.find((name) => name === params.file);
  const found = file ? await brandObject(context.app, file) : null;
  if (!file || !found) notFound({ "Cache-Control": "no-cache" });
  const current = new URL(request.url).searchParams.get("v") === found.version;
  const cacheControl = current ? "public, max-age=31536000, immutable" : "public, no-cache";
  return serveObject(context.app.storage, request, found.object, { filename: file, inline: true, cacheControl });
}
