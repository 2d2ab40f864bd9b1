import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { gateOf, listOrganisationAcceptances, policyStandingFor } from "~/domain/policies/acceptance.server";
import { POLICY_STATE_LABELS, policyPath } from "~/domain/policies/catalog";
import { requirePartnerUser, safeRedirect } from "~/lib/guards.server";
import { formatDate, formatDateTime } from "~/components/format";
import { PolicyChanges } from "~/components/policy-parts";
import { Alert, Badge, ButtonLink, Card, DataTable, EmptyState, PageHeader, ShieldIcon } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Policies" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "open");
  const params = new URL(request.url).searchParams;
  const redirectTo = params.get("redirectTo") ? safeRedirect(params.get("redirectTo"), "/partner") : null;
  const standing = await policyStandingFor(context.app.db, user.id);
  const record = await listOrganisationAcceptances(context.app.db, user.partnerOrgId);
  return {
    redirectTo,
    gate: gateOf(standing),
    policies: standing.map((p) => ({
      id: p.policyId,
      title: p.title,
      description: p.description,
      required: p.required,
      number: p.number,
      publishedAt: p.publishedAt,
      acceptedNumber: p.acceptedNumber,
      acceptedAt: p.acceptedAt,
      state: p.state,
    })),
    record: record.map((r) => ({
      id: r.id,
      acceptedAt: r.acceptedAt,
      userName: r.userName,
      userEmail: r.userEmail,
      policyTitle: r.policyTitle,
      number: r.number,
    })),
  };
}

export default function PartnerPoliciesRoute() {
  const { policies, record, gate, redirectTo } = useLoaderData<typeof loader>();
  const nextToRead = policies.find((p) => p.state === "blocking") ?? policies.find((p) => p.state === "update");
  const changedMaterially = gate.changed.filter((c) => c.state === "blocking");
  const changedSlightly = gate.changed.filter((c) => c.state === "update");
  return (
    <>
      <PageHeader
        title="Policies"
        description="The program's terms and rules. Each person on your team reads and accepts the current version of each policy for themselves."
      />
      {gate.blocked ? (
        <Alert
          tone="warning"
          live={false}
          title={gate.blocking === 1 ? "One policy to accept before you continue" : `${gate.blocking} policies to accept before you continue`}
          actions={
            nextToRead ? (
              <ButtonLink to={policyPath(nextToRead.id, redirectTo)} variant="primary" size="sm">
                Start reading
              </ButtonLink>
            ) : null
          }
        >
          {changedMaterially.length > 0 ? (
            <>
              <p>{changedMaterially.length === 1 ? "This policy changed since you accepted it:" : "These policies changed since you accepted them:"}</p>
              <PolicyChanges changes={changedMaterially} label="Changed policies to accept" redirectTo={redirectTo} />
            </>
          ) : null}
          <p>The rest of the partner area opens once you have accepted the current version of every required policy.</p>
        </Alert>
      ) : gate.updates > 0 ? (
        <Alert
          tone="info"
          live={false}
          title="Policies were updated"
          actions={nextToRead ? <Link to={policyPath(nextToRead.id, redirectTo)}>Read the update</Link> : null}
        >
          <p>The brand published minor changes since you accepted. Your access is not affected, but please read and accept them.</p>
          <PolicyChanges changes={changedSlightly} label="Updated policies" redirectTo={redirectTo} />
        </Alert>
      ) : null}
      <Card flush>
        <DataTable
          caption="Current policies"
          captionHidden
          columns={[
            { key: "title", header: "Policy", rowHeader: true },
            { key: "version", header: "Current version" },
            { key: "state", header: "Your status" },
            { key: "action", header: <span className="visually-hidden">Action</span>, align: "right" },
          ]}
          rows={policies}
          getRowKey={(p) => p.id}
          empty={
            <EmptyState
              headingLevel={2}
              icon={<ShieldIcon />}
              title="No policies yet"
              description="The brand has not published any policies. There is nothing to accept."
            />
          }
          renderCell={(p, key) => {
            if (key === "title")
              return (
                <div>
                  <Link to={policyPath(p.id, redirectTo)}>{p.title}</Link> {p.required ? null : <span className="muted small">(optional)</span>}
                  {p.description ? <div className="muted small">{p.description}</div> : null}
                </div>
              );
            if (key === "version")
              return (
                <span>
                  Version {p.number} <span className="muted small">· {formatDate(p.publishedAt)}</span>
                </span>
              );
            if (key === "state") {
              const { label, tone } = POLICY_STATE_LABELS[p.state];
              return (
                <div>
                  <Badge tone={tone}>{label}</Badge>
                  {p.acceptedAt ? (
                    <div className="muted small">
                      You accepted version {p.acceptedNumber} on {formatDate(p.acceptedAt)}
                    </div>
                  ) : null}
                </div>
              );
            }
            return p.state === "accepted" ? (
              <Link to={policyPath(p.id, redirectTo)}>Read</Link>
            ) : (
              <Link to={policyPath(p.id, redirectTo)} aria-label={`Read and accept ${p.title}`} className="nowrap">
                Read and accept
              </Link>
            );
          }}
        />
      </Card>
      <Card
        title="Your organisation's record"
        description="Every acceptance by the people of your organisation, with a receipt for each."
        flush={record.length > 0}
      >
        <DataTable
          caption="Acceptances by your organisation"
          captionHidden
          columns={[
            { key: "policy", header: "Policy", rowHeader: true },
            { key: "person", header: "Accepted by" },
            { key: "when", header: "When" },
            { key: "receipt", header: <span className="visually-hidden">Receipt</span>, align: "right" },
          ]}
          rows={record}
          getRowKey={(r) => r.id}
          empty={<p className="muted">No one in your organisation has accepted a policy yet.</p>}
          renderCell={(r, key) =>
            key === "policy" ? (
              `${r.policyTitle}, version ${r.number}`
            ) : key === "person" ? (
              <div>
                <div>{r.userName}</div>
                <div className="muted small">{r.userEmail}</div>
              </div>
            ) : key === "when" ? (
              formatDateTime(r.acceptedAt)
            ) : (
              <Link to={`/partner/policies/receipts/${r.id}`} aria-label={`Receipt: ${r.policyTitle} version ${r.number}, ${r.userName}`}>
                Receipt
              </Link>
            )
          }
        />
      </Card>
    </>
  );
}
