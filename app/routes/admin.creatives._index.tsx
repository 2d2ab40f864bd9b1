import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CREATIVE_READER_ROLES } from "~/domain/accounts/roles";
import { CHANNELS } from "~/domain/applications/catalog";
import { ReviewQueueFiltersSchema } from "~/domain/creatives/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { reviewQueue } from "~/domain/review/queue.server";
import { getProgramRules } from "~/domain/settings/program.server";
import { requireInternalUser } from "~/lib/guards.server";
import { ReviewQueue } from "~/components/review-queue";
import { PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Creatives" }];

/**
 * The reviewers' queue (issue 14, §2): the open review stages, soonest due
 * first, in tabs by stage, the viewer's own and all open, plus the decided
 * creatives. Analysts read it; claiming is for the stage's reviewers.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, CREATIVE_READER_ROLES);
  const url = new URL(request.url);
  const filters = ReviewQueueFiltersSchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== "")));
  const [queue, rules] = await Promise.all([
    reviewQueue(context.app, { id: user.id, role: user.role }, filters, pageNumberFrom(request)),
    getProgramRules(context.app.db),
  ]);
  return { ...queue, filters, tiers: rules.partnerTiers, returnTo: `${url.pathname}${url.search}` };
}

export default function AdminCreativesRoute() {
  const { tab, counts, page, filters, tiers, returnTo, anySubmitted } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Creatives"
        description="What partners sent for review, each open stage with its due time: overdue first, then the soonest due. Claim a stage to take it."
      />
      <ReviewQueue
        tab={tab}
        counts={counts}
        rows={page.rows}
        page={page.page}
        pageCount={page.pageCount}
        total={page.total}
        filters={filters}
        channels={[...CHANNELS]}
        tiers={tiers}
        returnTo={returnTo}
        anySubmitted={anySubmitted}
      />
    </>
  );
}
