import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { partnerOrganisations, trackingLinks } from "#db/schema/index";
import type { AppContext } from "~/lib/context.server";
import { decodeCursor, encodeCursor, type ApiPageRequest } from "../api-pages.server";
import { canonicalOrigin } from "../settings/site.server";
import { shortLinkUrl, type LinkKind, type LinkStatus } from "./catalog";

/** A tracking link as `GET /api/v1/links` answers it: what a brand's system needs to match its own records, no one's personal data. */
export type ApiLink = {
  id: string;
  code: string;
  shortUrl: string;
  label: string;
  partner: { id: string; slug: string; name: string };
  kind: LinkKind;
  creativeId: string | null;
  creativeVersionId: string | null;
  destination: string;
  status: LinkStatus;
  createdAt: string;
};

export type ApiLinksPage = { data: ApiLink[]; nextCursor: string | null };

// The creation time as text exact to the microsecond (a JavaScript Date keeps
// milliseconds only, and links made in one transaction share a timestamp), so
// the next page starts exactly after the last row of this one.
const createdAtKey = sql<string>`to_char(${trackingLinks.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Every partner's links, newest first, one page after `cursor`: the program's own view (the API is the brand's, not a partner's). */
export async function linksForApi(ctx: Pick<AppContext, "db" | "config" | "siteOriginCache">, page: ApiPageRequest): Promise<ApiLinksPage> {
  let after: SQL | undefined;
  if (page.cursor !== undefined) {
    const cursor = decodeCursor(page.cursor);
    after = sql`(${trackingLinks.createdAt}, ${trackingLinks.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`;
  }
  const [rows, origin] = await Promise.all([
    ctx.db
      .select({
        id: trackingLinks.id,
        code: trackingLinks.code,
        label: trackingLinks.label,
        kind: trackingLinks.kind,
        creativeId: trackingLinks.creativeId,
        creativeVersionId: trackingLinks.creativeVersionId,
        destination: trackingLinks.destinationUrl,
        status: trackingLinks.status,
        createdAt: trackingLinks.createdAt,
        createdAtKey,
        partnerId: partnerOrganisations.id,
        partnerSlug: partnerOrganisations.slug,
        partnerName: partnerOrganisations.name,
      })
      .from(trackingLinks)
      .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, trackingLinks.organisationId))
      .where(and(after))
      .orderBy(desc(trackingLinks.createdAt), desc(trackingLinks.id))
      .limit(page.limit + 1),
    // The configured address, never a request's Host: the short URL is what partners share.
    canonicalOrigin(ctx),
  ]);
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    data: shown.map((row) => ({
      id: row.id,
      code: row.code,
      shortUrl: shortLinkUrl(origin, row.code),
      label: row.label,
      partner: { id: row.partnerId, slug: row.partnerSlug, name: row.partnerName },
      kind: row.kind,
      creativeId: row.creativeId,
      creativeVersionId: row.creativeVersionId,
      destination: row.destination,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
    })),
    nextCursor: rows.length > page.limit && last ? encodeCursor({ at: last.createdAtKey, id: last.id }) : null,
  };
}
