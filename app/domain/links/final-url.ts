import { UTM_PARAMS } from "./catalog";

export type UtmValues = { utmSource: string; utmMedium: string; utmCampaign: string; utmContent: string };

/** A destination ready for clicks: the final URL is `before + clickId + after`. */
export type PreparedDestination = { before: string; after: string };

/**
 * The destination with the UTM convention applied: each UTM value and the
 * click id parameter replace whatever the destination already carried under
 * those names; everything else of the destination is kept as it was. Split
 * around the click id, so that the redirect adds a click's id by
 * concatenation rather than by parsing a URL per click.
 */
export function prepareDestination(destinationUrl: string, utm: UtmValues, clickIdParam: string): PreparedDestination {
  const url = new URL(destinationUrl);
  const values = [utm.utmSource, utm.utmMedium, utm.utmCampaign, utm.utmContent];
  for (const name of [...UTM_PARAMS, clickIdParam]) url.searchParams.delete(name);
  UTM_PARAMS.forEach((name, index) => url.searchParams.append(name, values[index]!));
  url.searchParams.append(clickIdParam, "");
  // A fragment stays last, after the click id.
  const after = url.hash;
  url.hash = "";
  return { before: url.href, after };
}

/** The URL a visitor is sent to. Click ids are base62, so they need no escaping. */
export const finalUrl = (prepared: PreparedDestination, clickId: string) => prepared.before + clickId + prepared.after;

/** The final URL as partners see it explained, with a placeholder for the click id. */
export const exampleFinalUrl = (destinationUrl: string, utm: UtmValues, clickIdParam: string) =>
  finalUrl(prepareDestination(destinationUrl, utm, clickIdParam), "CLICK_ID");
