import { labelOf } from "../applications/catalog";
import { getCreativeForTeam } from "../creatives/queries.server";
import { CompareVersionsSchema } from "../creatives/schemas.server";
import { DomainError, NotFoundError } from "../errors";

type TeamCreative = NonNullable<Awaited<ReturnType<typeof getCreativeForTeam>>>;
type Version = TeamCreative["versions"][number];

/** A field of the version's details whose value differs between the two versions, as a reviewer reads it. */
export type ChangedField = { field: string; label: string; before: string; after: string };

const claimsText = (v: Version) => v.claims.map((c) => c.text).join("\n");

const COMPARED_FIELDS: { field: string; label: string; read: (v: Version) => string }[] = [
  { field: "title", label: "Title", read: (v) => v.title },
  { field: "channel", label: "Channel", read: (v) => labelOf(v.channel) },
  { field: "placement", label: "Placement", read: (v) => v.placement },
  { field: "destinationUrl", label: "Destination", read: (v) => v.destinationUrl },
  { field: "claims", label: "Claims", read: claimsText },
  { field: "disclosure", label: "Disclosure", read: (v) => v.disclosure },
];

export function changedFields(older: Version, newer: Version): ChangedField[] {
  return COMPARED_FIELDS.flatMap(({ field, label, read }) => {
    const before = read(older);
    const after = read(newer);
    return before === after ? [] : [{ field, label, before, after }];
  });
}

/**
 * Two submitted versions of a creative for the compare page (issue 14, §6):
 * `a` and `b` by number from the query, the two newest when not given (one
 * version alone is compared with itself); the older of the two comes first.
 * Null for a creative the team may not see (a draft, an unknown id); a version
 * number the creative does not have is not found, one that is not a number is
 * invalid.
 */
export async function versionComparison(db: Parameters<typeof getCreativeForTeam>[0], creativeId: string, query: Record<string, string>) {
  const parsed = CompareVersionsSchema.safeParse(query);
  if (!parsed.success) throw new DomainError("Choose the versions to compare by their numbers, as in ?a=1&b=2.");
  const wanted = parsed.data;
  const found = await getCreativeForTeam(db, creativeId);
  if (!found) return null;
  const { versions } = found;
  const newest = versions[0];
  if (!newest) throw new NotFoundError("This creative has no submitted version.");
  const byNumber = (n: number) => {
    const version = versions.find((v) => v.number === n);
    if (!version) throw new NotFoundError(`There is no version ${n} of this creative.`);
    return version;
  };
  const b = wanted.b !== undefined ? byNumber(wanted.b) : newest;
  const a = wanted.a !== undefined ? byNumber(wanted.a) : (versions.find((v) => v.number < b.number) ?? b);
  const [older, newer] = a.number <= b.number ? [a, b] : [b, a];
  return {
    creative: found.creative,
    organisation: found.organisation,
    numbers: versions.map((v) => v.number),
    older,
    newer,
    page: wanted.page,
    changes: changedFields(older, newer),
  };
}
