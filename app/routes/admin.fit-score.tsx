import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { APPLICATION_REVIEWER_ROLES } from "~/domain/accounts/roles";
import { fitScoreRubricHtml } from "~/domain/applications/rubric.server";
import { requireInternalUser } from "~/lib/guards.server";
import { PolicyText } from "~/components/policy-parts";
import { Card, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "How the fit score works · Applications" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, APPLICATION_REVIEWER_ROLES);
  return { html: fitScoreRubricHtml() };
}

export default function FitScoreRubricRoute() {
  const { html } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="How the fit score works"
        breadcrumbs={[{ to: "/admin/applications", label: "Applications" }]}
        description="The rubric every application is scored by when it arrives: each component, its points and the risk flags."
      />
      <Card>
        <PolicyText html={html} />
      </Card>
    </>
  );
}
