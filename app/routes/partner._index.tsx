import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getOwnOrganisation } from "~/domain/partners/organisations.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { Badge, Card, DataTable, PageHeader } from "~/components/ui";
import { formatDateTime } from "~/components/format";

export const meta: MetaFunction = () => [{ title: "Partner home" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const { org, members } = await getOwnOrganisation(context.app.db, user.partnerOrgId);
  return { user: { name: user.name, partnerRole: user.partnerRole }, org: { name: org.name, status: org.status, slug: org.slug }, members };
}

const STATUS_TONE = { onboarding: "warning", active: "success", paused: "danger", terminated: "neutral" } as const;

export default function PartnerHome() {
  const { user, org, members } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={org.name}
        description={`Welcome, ${user.name.split(" ")[0]}. You are ${user.partnerRole === "owner" ? "the owner" : "a member"} of this partner organisation.`}
        meta={<Badge tone={STATUS_TONE[org.status]}>{org.status[0]!.toUpperCase() + org.status.slice(1)}</Badge>}
      />
      <Card title="Your team">
        <DataTable
          caption="Members of your organisation"
          columns={[
            { key: "name", header: "Name" },
            { key: "role", header: "Role" },
            { key: "lastLogin", header: "Last sign-in" },
          ]}
          rows={members}
          getRowKey={(m) => m.id}
          renderCell={(m, key) =>
            key === "name" ? (
              <div>
                <div>{m.name}</div>
                <div className="muted small">{m.email}</div>
              </div>
            ) : key === "role" ? (
              m.partnerRole === "owner" ? "Owner" : "Member"
            ) : m.lastLoginAt ? (
              formatDateTime(m.lastLoginAt)
            ) : (
              <span className="muted">Never</span>
            )
          }
        />
      </Card>
    </>
  );
}
