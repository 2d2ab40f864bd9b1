import { useRouteLoaderData } from "@remix-run/react";
import type { loader as partnerLayoutLoader } from "~/routes/partner";

/**
 * Why downloads are closed to the signed-in partner now (paused or
 * terminated), or null when they are open: read from the partner layout,
 * which already knows the partnership's standing for its banner. The server
 * refuses the download anyway (assertPartnerMayDownload); this keeps pages
 * from offering a button that can only fail.
 */
export function useDownloadsClosed(): string | null {
  const standing = useRouteLoaderData<typeof partnerLayoutLoader>("routes/partner")?.standing;
  if (!standing) return null;
  return standing.status === "paused" ? "Downloads are closed while your partnership is paused." : "Downloads are closed: your partnership has ended.";
}
