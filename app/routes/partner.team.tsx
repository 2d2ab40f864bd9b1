import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { outstandingByMember } from "~/domain/policies/acceptance.server";
import { TeamActionSchema } from "~/domain/partners/schemas.server";
import { inviteTeamMember, listTeam, resendTeamInvitation, revokeTeamInvitation, TEAM_INVITE_ANSWER, transferOwnership } from "~/domain/partners/team.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { actorOf, requirePartnerOwner, requirePartnerUser } from "~/lib/guards.server";
import { formatDateTime } from "~/components/format";
import { OpenInvitationsCard } from "~/components/open-invitations";
import { useResetOnSuccess } from "~/components/use-reset-on-success";
import { Badge, Button, ButtonLink, Card, CheckboxField, DataTable, Field, FormError, FormSuccess, PageHeader, SelectField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Team" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const { members, invitations } = await listTeam(context.app.db, user.partnerOrgId, context.app.clock.now());
  const outstanding = await outstandingByMember(context.app.db, user.partnerOrgId);
  const isOwner = user.partnerRole === "owner";
  return {
    me: user.id,
    isOwner,
    ownerName: members.find((m) => m.partnerRole === "owner")?.name ?? null,
    members: members.map((m) => ({ ...m, outstanding: outstanding.get(m.id) ?? 0 })),
    // Members see who is on the team; only the owner sees and manages open invitations.
    invitations: isOwner ? invitations : [],
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const owner = await requirePartnerOwner(context, request);
  const formData = await request.formData();
  const parsed = parseForm(formData, TeamActionSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const actor = { ...actorOf(owner, context), id: owner.id, name: owner.name, partnerOrgId: owner.partnerOrgId };
  const origin = await canonicalOrigin(context.app);
  const input = parsed.data;
  let message: string;
  try {
    switch (input.intent) {
      case "invite":
        await inviteTeamMember(context.app, actor, input, origin);
        message = TEAM_INVITE_ANSWER;
        break;
      case "resend_invitation":
        await resendTeamInvitation(context.app, actor, input.invitationId, origin);
        message = "A new invitation was sent; the previous link no longer works.";
        break;
      case "revoke_invitation":
        await revokeTeamInvitation(context.app, actor, input.invitationId);
        message = "Invitation withdrawn.";
        break;
      case "transfer_ownership":
        message = `${(await transferOwnership(context.app, actor, input.userId)).name} is now the owner. You remain on the team as a member.`;
        break;
    }
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return { ok: true as const, intent: input.intent, message };
}

export default function PartnerTeamRoute() {
  const { me, isOwner, ownerName, members, invitations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const failure = actionData && !actionData.ok ? actionData : null;
  const formFailure = (intent: string) => (failure?.values.intent === intent ? failure : null);
  const inviteFailure = formFailure("invite");
  const transferFailure = formFailure("transfer_ownership");
  const inviteForm = useResetOnSuccess(actionData, "invite");
  const others = members.filter((m) => m.id !== me);
  return (
    <>
      <PageHeader
        title="Team"
        description={
          isOwner
            ? "The people of your organisation who use the partner area. Each accepts the program's policies for themselves."
            : `The people of your organisation who use the partner area. ${ownerName ?? "The owner"} manages the team.`
        }
      />
      {actionData?.ok ? <FormSuccess>{actionData.message}</FormSuccess> : null}
      {failure && !inviteFailure && !transferFailure ? <FormError>{failure.formError ?? Object.values(failure.errors).flat()[0]}</FormError> : null}

      {isOwner ? (
        <Card title="Invite a colleague">
          <Form method="post" className="form-inline" noValidate ref={inviteForm}>
            <input type="hidden" name="intent" value="invite" />
            {inviteFailure?.formError ? <FormError>{inviteFailure.formError}</FormError> : null}
            <Field
              label="Their email address"
              name="email"
              type="email"
              autoComplete="off"
              required
              defaultValue={inviteFailure?.values.email}
              error={inviteFailure?.errors.email}
            />
            <Button type="submit" variant="primary" pending={submitting("invite")}>
              Send invitation
            </Button>
          </Form>
          <p className="muted small">They join as a member: they use the partner area but cannot manage the team.</p>
        </Card>
      ) : null}

      <Card title="Members" flush>
        <DataTable
          caption="Members of your organisation"
          captionHidden
          columns={[
            { key: "name", header: "Name", rowHeader: true },
            { key: "role", header: "Role" },
            { key: "policies", header: "Policies" },
            { key: "lastLogin", header: "Last sign-in" },
            ...(isOwner ? [{ key: "actions" as const, header: <span className="visually-hidden">Actions</span>, align: "right" as const }] : []),
          ]}
          rows={members}
          getRowKey={(m) => m.id}
          renderCell={(m, key) => {
            switch (key) {
              case "name":
                return (
                  <div>
                    <div>
                      {m.name} {m.id === me ? <span className="muted small">(you)</span> : null}
                    </div>
                    <div className="muted small">{m.email}</div>
                  </div>
                );
              case "role":
                return m.partnerRole === "owner" ? <Badge tone="brand">Owner</Badge> : "Member";
              case "policies":
                return m.outstanding === 0 ? <Badge tone="success">All accepted</Badge> : <Badge tone="warning">{`${m.outstanding} to accept`}</Badge>;
              case "lastLogin":
                // The viewer is signed in as they read this: their last sign-in is this session.
                if (m.id === me) return "Now";
                return m.lastLoginAt ? formatDateTime(m.lastLoginAt) : <span className="muted">Never</span>;
              case "actions":
                return m.id === me ? null : (
                  <ButtonLink to={`/partner/team/remove/${m.id}`} size="sm" variant="danger" aria-label={`Remove ${m.name}`}>
                    Remove
                  </ButtonLink>
                );
              default:
                return null;
            }
          }}
        />
      </Card>

      {isOwner ? <OpenInvitationsCard invitations={invitations} intents={{ resend: "resend_invitation", revoke: "revoke_invitation" }} /> : null}

      {isOwner && others.length > 0 ? (
        <Card title="Transfer ownership" description="The new owner manages the team. You stay on it as a member.">
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="transfer_ownership" />
            {transferFailure?.formError ? <FormError>{transferFailure.formError}</FormError> : null}
            <SelectField
              label="New owner"
              name="userId"
              options={[{ value: "", label: "Choose a member" }, ...others.map((m) => ({ value: m.id, label: `${m.name} (${m.email})` }))]}
              defaultValue={transferFailure?.values.userId ?? ""}
              error={transferFailure?.errors.userId}
            />
            <CheckboxField name="confirm" label="I understand that I will no longer manage the team" error={transferFailure?.errors.confirm} />
            <div className="cluster">
              <Button type="submit" variant="danger" pending={submitting("transfer_ownership")}>
                Transfer ownership
              </Button>
            </div>
          </Form>
        </Card>
      ) : null}
    </>
  );
}
