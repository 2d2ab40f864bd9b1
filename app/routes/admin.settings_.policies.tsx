import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { POLICY_AUTHOR_ROLES } from "~/domain/accounts/roles";
import { policyGateOverview } from "~/domain/policies/coverage.server";
import { requireInternalUser } from "~/lib/guards.server";
import { formatDate } from "~/components/format";
import { SettingsShell } from "~/components/settings-shell";
import { Alert, Badge, ButtonLink, Card, DataTable, EmptyState, PageHeader, ShieldIcon } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Policies gate · Settings" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, POLICY_AUTHOR_ROLES);
  return { policies: await policyGateOverview(context.app.db) };
}

const COLUMNS = [
  { key: "policy", header: "Policy" },
  { key: "gate", header: "Gate" },
  { key: "version", header: "Current version" },
  { key: "coverage", header: "Organisations covered" },
] as const;

export default function PoliciesGateRoute() {
  const { policies } = useLoaderData<typeof loader>();
  const required = policies.filter((policy) => policy.required);
  return (
    <>
      <PageHeader
        title="Policies gate"
        breadcrumbs={[{ to: "/admin/settings", label: "Settings" }]}
        description="A partner who has not accepted the current version of every required policy reaches only the policy pages and their account: downloads, submissions and link creation are refused until they do."
      />
      <SettingsShell current="policies-gate">
        <Alert
          tone="info"
          live={false}
          title={
            required.length
              ? `${required.length} ${required.length === 1 ? "policy gates" : "policies gate"} the partner area`
              : "No policy gates the partner area"
          }
        >
          <p>
            Whether a policy is required is set on its page; publishing a material version gates every partner again until they accept it. An organisation is
            covered when all its active members have accepted.
          </p>
        </Alert>
        <Card
          title="Policies"
          actions={
            <ButtonLink to="/admin/policies" variant="secondary">
              Manage policies
            </ButtonLink>
          }
        >
          {policies.length === 0 ? (
            <EmptyState
              icon={<ShieldIcon />}
              title="No policies yet"
              description="Add the program's terms, brand guidelines or disclosure rules; mark those partners must accept as required."
              action={
                <ButtonLink to="/admin/policies" variant="primary">
                  Add a policy
                </ButtonLink>
              }
            />
          ) : (
            <DataTable
              caption="Policies and the gate"
              captionHidden
              columns={[...COLUMNS]}
              rows={policies}
              getRowKey={(policy) => policy.id}
              renderCell={(policy, key) => {
                switch (key) {
                  case "policy":
                    return <Link to={`/admin/policies/${policy.id}`}>{policy.title}</Link>;
                  case "gate":
                    return policy.required ? <Badge tone="warning">Required</Badge> : <Badge tone="neutral">Optional</Badge>;
                  case "version":
                    return policy.currentNumber === null
                      ? policy.hasDraft
                        ? "Draft only: not published yet"
                        : "None published"
                      : `Version ${policy.currentNumber}${policy.currentPublishedAt ? `, ${formatDate(new Date(policy.currentPublishedAt))}` : ""}`;
                  case "coverage":
                    return policy.coverage ? `${policy.coverage.covered} of ${policy.coverage.organisations}` : "—";
                }
              }}
            />
          )}
        </Card>
      </SettingsShell>
    </>
  );
}
