import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { inviteInternalUser, listPendingInternalInvitations, resendInvitation, revokeInvitation } from "~/domain/accounts/invitations.server";
import { UserAdminSchema } from "~/domain/accounts/schemas.server";
import { changeUserRole, disableUser, enableUser, listInternalUsers } from "~/domain/accounts/users.server";
import { INTERNAL_ROLE_VALUES, roleLabel } from "~/domain/accounts/roles";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { Badge, Button, Card, DataTable, FormError, FormSuccess, PageHeader, SelectField, Field } from "~/components/ui";
import { formatDateTime } from "~/components/format";
import { OpenInvitationsCard } from "~/components/open-invitations";
import { useResetOnSuccess } from "~/components/use-reset-on-success";

export const meta: MetaFunction = () => [{ title: "Team" }];

const ROLE_OPTIONS = INTERNAL_ROLE_VALUES.map((value) => ({ value, label: roleLabel(value) }));

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireInternalUser(context, request, ["admin"]);
  const [team, invitations] = await Promise.all([listInternalUsers(context.app.db), listPendingInternalInvitations(context.app)]);
  return { me: admin.id, team, invitations };
}

const DONE: Record<string, string> = {
  invite: "Invitation sent.",
  "change-role": "Role changed. Their sessions were ended so the new role applies at once.",
  disable: "Account disabled and signed out everywhere.",
  enable: "Account enabled.",
  "revoke-invitation": "Invitation withdrawn.",
  "resend-invitation": "A new invitation was sent; the previous link no longer works.",
};

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, ["admin"]);
  const formData = await request.formData();
  const parsed = parseForm(formData, UserAdminSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const actor = { ...actorOf(admin, context), name: admin.name };
  const origin = await canonicalOrigin(context.app);
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "invite":
        await inviteInternalUser(context.app, actor, input, origin);
        break;
      case "change-role":
        await changeUserRole(context.app, actor, input.userId, input.role);
        break;
      case "disable":
        await disableUser(context.app, actor, input.userId);
        break;
      case "enable":
        await enableUser(context.app, actor, input.userId);
        break;
      case "revoke-invitation":
        await revokeInvitation(context.app, actor, input.invitationId);
        break;
      case "resend-invitation":
        await resendInvitation(context.app, actor, input.invitationId, origin);
        break;
    }
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return { ok: true as const, intent: input.intent, message: DONE[input.intent] ?? "Saved." };
}

export default function TeamRoute() {
  const { me, team, invitations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const inviting = navigation.state === "submitting" && navigation.formData?.get("intent") === "invite";
  const failure = actionData && !actionData.ok ? actionData : null;
  const inviteFailure = failure?.values.intent === "invite" ? failure : null;
  const inviteForm = useResetOnSuccess(actionData, "invite");
  return (
    <>
      <PageHeader title="Team" description="People of the brand's team who work in this area, and what each may do." />
      {actionData?.ok ? <FormSuccess>{actionData.message}</FormSuccess> : null}
      {failure && !inviteFailure ? <FormError>{failure.formError ?? Object.values(failure.errors).flat()[0]}</FormError> : null}

      <Card title="Invite a colleague">
        <Form method="post" className="form-inline" noValidate ref={inviteForm}>
          <input type="hidden" name="intent" value="invite" />
          {inviteFailure?.formError ? <FormError>{inviteFailure.formError}</FormError> : null}
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="off"
            required
            defaultValue={inviteFailure?.values.email}
            error={inviteFailure?.errors.email}
          />
          <SelectField
            label="Role"
            name="role"
            options={ROLE_OPTIONS}
            defaultValue={inviteFailure?.values.role ?? "brand_reviewer"}
            error={inviteFailure?.errors.role}
          />
          <Button type="submit" variant="primary" pending={inviting}>
            Send invitation
          </Button>
        </Form>
        <p className="muted small">The link works once and expires in 7 days.</p>
      </Card>

      <Card title="Members">
        <DataTable
          caption="Team members"
          columns={[
            { key: "name", header: "Name" },
            { key: "role", header: "Role" },
            { key: "status", header: "Status" },
            { key: "lastLogin", header: "Last sign-in" },
            { key: "actions", header: <span className="visually-hidden">Actions</span>, align: "right" },
          ]}
          rows={team}
          getRowKey={(u) => u.id}
          renderCell={(u, key) => {
            switch (key) {
              case "name":
                return (
                  <div>
                    <div>{u.name}</div>
                    <div className="muted small">{u.email}</div>
                  </div>
                );
              case "role":
                return u.id === me ? (
                  roleLabel(u.role)
                ) : (
                  <Form method="post" className="cluster">
                    <input type="hidden" name="intent" value="change-role" />
                    <input type="hidden" name="userId" value={u.id} />
                    <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                      Role of {u.name}
                    </label>
                    <select id={`role-${u.id}`} name="role" defaultValue={u.role} className="input input--sm">
                      {ROLE_OPTIONS.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                    <Button type="submit" size="sm" variant="secondary">
                      Change
                    </Button>
                  </Form>
                );
              case "status":
                return <Badge tone={u.status === "active" ? "success" : "neutral"}>{u.status === "active" ? "Active" : "Disabled"}</Badge>;
              case "lastLogin":
                return u.lastLoginAt ? formatDateTime(u.lastLoginAt) : <span className="muted">Never</span>;
              case "actions":
                return u.id === me ? (
                  <span className="muted small">You</span>
                ) : (
                  <Form method="post">
                    <input type="hidden" name="intent" value={u.status === "active" ? "disable" : "enable"} />
                    <input type="hidden" name="userId" value={u.id} />
                    <Button type="submit" size="sm" variant={u.status === "active" ? "danger" : "secondary"}>
                      {u.status === "active" ? "Disable" : "Enable"}
                    </Button>
                  </Form>
                );
              default:
                return null;
            }
          }}
        />
      </Card>

      <OpenInvitationsCard
        invitations={invitations}
        intents={{ resend: "resend-invitation", revoke: "revoke-invitation" }}
        detail={{ header: "Role", render: (i) => roleLabel(i.role ?? "") }}
      />
    </>
  );
}
