import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CREATIVE_READER_ROLES } from "~/domain/accounts/roles";
import { labelOf } from "~/domain/applications/catalog";
import { versionComparison } from "~/domain/review/compare.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { requireInternalUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";
import { CreativeStatusBadge } from "~/components/creative-parts";
import { VersionCompare, VersionPicker } from "~/components/version-compare";
import { PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Compare versions · ${data.creative.title}` : "Compare versions" }];

/**
 * Two versions of a submitted creative side by side (issue 14, §6): files,
 * copy as a word diff, changed details. `?a=&b=` pick the versions (the two
 * newest by default), `&page=` the PDF page. Drafts are 404 as on the review
 * page. (The `_` keeps this page out of the review page's layout: that page
 * renders no outlet.)
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, CREATIVE_READER_ROLES);
  const query = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const found = await mapDomainErrors(versionComparison(context.app.db, idParam(params, "creativeId"), query), { context, request });
  if (!found) notFound();
  const { creative, organisation, numbers, older, newer, changes, page } = found;
  const shown = (v: typeof older) => ({
    number: v.number,
    copy: v.copy,
    findings: v.findings,
    submittedAt: v.submittedAt,
    submittedByName: v.submittedByName,
    files: v.files,
  });
  return {
    creative: { id: creative.id, title: creative.title, status: creative.status, channel: creative.channel },
    organisation: { name: organisation.name },
    numbers,
    older: shown(older),
    newer: shown(newer),
    changes,
    page,
  };
}

export default function CompareVersionsRoute() {
  const { creative, organisation, numbers, older, newer, changes, page } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={`Compare versions of ${creative.title}`}
        breadcrumbs={[
          { to: "/admin/creatives", label: "Creatives" },
          { to: `/admin/creatives/${creative.id}`, label: creative.title },
        ]}
        meta={<CreativeStatusBadge status={creative.status} />}
        description={`${organisation.name} · ${labelOf(creative.channel)} · version ${older.number} and version ${newer.number}`}
        actions={<VersionPicker numbers={numbers} older={older.number} newer={newer.number} />}
      />
      <VersionCompare
        filesUrl={`/admin/creatives/${creative.id}/files`}
        older={older}
        newer={newer}
        changes={changes}
        page={page}
        query={{ a: older.number, b: newer.number }}
      />
    </>
  );
}
