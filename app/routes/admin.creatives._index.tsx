import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CREATIVE_READER_ROLES } from "~/domain/accounts/roles";
import { CHANNELS } from "~/domain/applications/catalog";
import { CREATIVE_STATUSES } from "~/domain/creatives/catalog";
import { countCreativesByStatus, listCreativesForTeam } from "~/domain/creatives/queries.server";
import { CreativeFiltersSchema } from "~/domain/creatives/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { requireInternalUser } from "~/lib/guards.server";
import { CreativeList } from "~/components/creative-parts";
import { EmptyState, ImageIcon, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Creatives" }];

// Drafts are the partner's own until submitted: the brand's tabs start at "Submitted".
const TEAM_STATUSES = CREATIVE_STATUSES.filter((s) => s.value !== "draft");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, CREATIVE_READER_ROLES);
  const params = new URL(request.url).searchParams;
  const filters = CreativeFiltersSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
  const [page, counts] = await Promise.all([
    listCreativesForTeam(context.app.db, filters, pageNumberFrom(request)),
    countCreativesByStatus(context.app.db, null),
  ]);
  return { page, counts, filters };
}

export default function AdminCreativesRoute() {
  const { page, counts, filters } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Creatives"
        description="What partners sent for review, with the pre-screen's findings. Waiting submissions come first, oldest first."
      />
      <CreativeList
        rows={page.rows}
        page={page.page}
        pageCount={page.pageCount}
        total={page.total}
        counts={counts}
        filters={filters}
        channels={[...CHANNELS]}
        statuses={TEAM_STATUSES}
        hrefFor={(id) => `/admin/creatives/${id}`}
        withPartner
        empty={
          <EmptyState
            headingLevel={2}
            icon={<ImageIcon />}
            title="No creatives have been submitted yet"
            description="Partners write creatives in their area; a creative shows here once they submit it for review. Drafts stay theirs."
          />
        }
      />
    </>
  );
}
