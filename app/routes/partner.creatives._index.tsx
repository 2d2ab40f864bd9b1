import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CHANNELS } from "~/domain/applications/catalog";
import { CREATIVE_STATUSES } from "~/domain/creatives/catalog";
import { countCreativesByStatus, listCreativesForOrganisation } from "~/domain/creatives/queries.server";
import { CreativeFiltersSchema } from "~/domain/creatives/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { CreativeList } from "~/components/creative-parts";
import { ButtonLink, EmptyState, ImageIcon, PageHeader, PlusIcon } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Creatives" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const params = new URL(request.url).searchParams;
  const filters = CreativeFiltersSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
  const [page, counts] = await Promise.all([
    listCreativesForOrganisation(context.app.db, user.partnerOrgId, filters, pageNumberFrom(request)),
    countCreativesByStatus(context.app.db, user.partnerOrgId),
  ]);
  return { page, counts, filters };
}

export default function PartnerCreativesRoute() {
  const { page, counts, filters } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Creatives"
        description="Co-branded creative you send to the brand for review. The pre-screen checks the brand's rules as you write; a reviewer decides."
        actions={
          <ButtonLink to="/partner/creatives/new" variant="primary" icon={<PlusIcon />}>
            New creative
          </ButtonLink>
        }
      />
      <CreativeList
        rows={page.rows}
        page={page.page}
        pageCount={page.pageCount}
        total={page.total}
        counts={counts}
        filters={filters}
        channels={[...CHANNELS]}
        statuses={CREATIVE_STATUSES}
        hrefFor={(id) => `/partner/creatives/${id}`}
        withPartner={false}
        empty={
          <EmptyState
            headingLevel={2}
            icon={<ImageIcon />}
            title="No creatives yet"
            description="Write your first creative: its copy, the claims it uses and its files. It saves as a draft until you submit it."
            action={
              <ButtonLink to="/partner/creatives/new" variant="primary" icon={<PlusIcon />}>
                New creative
              </ButtonLink>
            }
          />
        }
      />
    </>
  );
}
