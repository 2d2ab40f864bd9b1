import type { LoaderFunctionArgs } from "@remix-run/node";
import { DOWNLOAD_LOG_READER_ROLES } from "~/domain/accounts/roles";
import { listDownloads } from "~/domain/assets/download-log.server";
import { DownloadLogFiltersSchema } from "~/domain/assets/schemas.server";
import { csvResponse, toCsv } from "~/lib/csv.server";
import { requireInternalUser } from "~/lib/guards.server";

/** The download log as CSV, with the page's filters (cells that start like a formula are neutralised). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, DOWNLOAD_LOG_READER_ROLES);
  const params = new URL(request.url).searchParams;
  const filters = DownloadLogFiltersSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
  const rows = await listDownloads(context.app.db, { assetId: filters.asset, partnerOrgId: filters.partner }, 100_000);
  const csv = toCsv([
    ["Time (UTC)", "User", "Email", "Organisation", "Asset", "Version", "Kit", "Rendition"],
    ...rows.map((r) => [r.occurredAt.toISOString(), r.userName, r.userEmail, r.organisation, r.assetTitle, r.versionNumber, r.kitName, r.rendition]),
  ]);
  return csvResponse(csv, "download-log.csv");
}
