import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DomainError } from "~/domain/errors";
import { memberToRemove, removeTeamMember } from "~/domain/partners/team.server";
import { idParam } from "~/lib/forms.server";
import { domainErrorResponse, domainFailure } from "~/lib/domain-responses.server";
import { actorOf, requirePartnerOwner } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { Button, ButtonLink, Card, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && "member" in data && data.member ? `Remove ${data.member.name} · Team` : "Remove a member · Team" },
];

const TEAM_PATH = "/partner/team";

/**
 * The confirmation before a member is removed: a page of its own, so it works
 * without JavaScript and names the person before anything happens. Another
 * organisation's member, or an unknown id, is not found.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const owner = await requirePartnerOwner(context, request);
  const userId = idParam(params, "userId");
  try {
    return { member: await memberToRemove(context.app.db, owner, userId), refusal: null };
  } catch (error) {
    // The owner themself: the page says why, rather than a bare error.
    if (error instanceof DomainError && error.kind === "conflict") return data({ member: null, refusal: error.message }, { status: 409 });
    throw await domainErrorResponse(error, { context, request });
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const owner = await requirePartnerOwner(context, request);
  const userId = idParam(params, "userId");
  const formData = await request.formData();
  let removed: { name: string };
  try {
    removed = await removeTeamMember(context.app, { ...actorOf(owner, context), id: owner.id, name: owner.name, partnerOrgId: owner.partnerOrgId }, userId);
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, TEAM_PATH, { kind: "success", message: `${removed.name} was removed from the team and signed out.` });
}

export default function RemoveTeamMemberRoute() {
  const { member, refusal } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const breadcrumbs = [{ to: TEAM_PATH, label: "Team" }, { label: "Remove a member" }];
  if (!member) {
    return (
      <>
        <PageHeader title="You can't remove yourself" breadcrumbs={breadcrumbs} />
        <Card>
          <p>{refusal}</p>
          <p>
            <ButtonLink to={TEAM_PATH} variant="secondary">
              Back to the team
            </ButtonLink>
          </p>
        </Card>
      </>
    );
  }
  return (
    <>
      <PageHeader title={`Remove ${member.name}?`} breadcrumbs={breadcrumbs} />
      <Card>
        <Form method="post" className="stack" aria-labelledby="remove-question">
          {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
          <p id="remove-question">{`Remove ${member.name} (${member.email}) from ${member.organisationName}? They are signed out at once and can no longer open the partner area.`}</p>
          <p className="muted small">Their policy acceptances stay on record. You can invite them back later with the same address.</p>
          <div className="cluster">
            <Button type="submit" variant="danger" pending={pending} pendingText="Removing…">
              {`Remove ${member.name}`}
            </Button>
            <ButtonLink to={TEAM_PATH} variant="secondary">
              Cancel
            </ButtonLink>
          </div>
        </Form>
      </Card>
    </>
  );
}
