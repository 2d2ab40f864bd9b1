import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { POLICY_AUTHOR_ROLES } from "~/domain/accounts/roles";
import { coverageByVersion, coverageOfVersion, listReminders, remindUncovered } from "~/domain/policies/coverage.server";
import { getPolicyWithVersions } from "~/domain/policies/policies.server";
import { RemindSchema } from "~/domain/policies/schemas.server";
import { partnerStatusLabel } from "~/domain/partners/catalog";
import { invalid, parseForm, idParam } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { notFound } from "~/lib/http.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { formatDateTime } from "~/components/format";
import { CoverageBar } from "~/components/policy-parts";
import { Badge, Button, Card, DataTable, EmptyState, FormError, FormSuccess, PageHeader, Stat, UsersIcon } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Coverage · ${data.policy.title}` : "Coverage" }];

async function requireAuthor({ context, request, params }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, POLICY_AUTHOR_ROLES);
  return { user, policyId: idParam(params, "policyId") };
}

export async function loader(args: LoaderFunctionArgs) {
  const { policyId } = await requireAuthor(args);
  const db = args.context.app.db;
  const found = await getPolicyWithVersions(db, policyId);
  if (!found) notFound();
  const versions = await coverageByVersion(db, policyId);
  const asked = Number(new URL(args.request.url).searchParams.get("version"));
  const selected = versions.find((v) => v.number === asked) ?? versions[0] ?? null;
  const organisations = selected ? await coverageOfVersion(db, selected.versionId) : [];
  const reminders = await listReminders(db, policyId);
  return {
    policy: { id: found.policy.id, title: found.policy.title },
    versions: versions.map(({ versionId: _id, ...v }) => v),
    selected: selected && {
      number: selected.number,
      covered: selected.covered,
      organisations: selected.organisations,
      isCurrent: selected.number === versions[0]!.number,
    },
    organisations,
    reminders: reminders.map((r) => ({
      occurredAt: r.occurredAt,
      actorLabel: r.actorLabel,
      data: r.data as { number?: number; recipients?: number; organisations?: number },
    })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, policyId } = await requireAuthor(args);
  const formData = await args.request.formData();
  const parsed = parseForm(formData, RemindSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const sent = await remindUncovered(args.context.app, actorOf(user, args.context), policyId, parsed.data.number, await canonicalOrigin(args.context.app));
    return {
      ok: true as const,
      message: `Reminder sent to ${sent.recipients} ${sent.recipients === 1 ? "person" : "people"} in ${sent.organisations} ${sent.organisations === 1 ? "organisation" : "organisations"}.`,
    };
  } catch (error) {
    return domainFailure(error, formData, args);
  }
}

export default function CoverageRoute() {
  const { policy, versions, selected, organisations, reminders } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sending = useNavigation().state === "submitting";
  // Organisations without active members have no one to remind.
  const notCovered = organisations.filter((o) => !o.covered && o.members > 0).length;
  return (
    <>
      <PageHeader
        title={`Coverage: ${policy.title}`}
        breadcrumbs={[
          { to: "/admin/policies", label: "Policies" },
          { to: `/admin/policies/${policy.id}`, label: policy.title },
        ]}
        description="An organisation is covered for a version when every one of its active members has accepted it. Terminated partners are left out."
      />
      {result?.ok ? <FormSuccess>{result.message}</FormSuccess> : null}
      {result && !result.ok ? <FormError>{result.formError ?? Object.values(result.errors).flat()[0]}</FormError> : null}
      {!selected ? (
        <Card>
          <EmptyState headingLevel={2} icon={<UsersIcon />} title="Nothing published yet" description="Coverage starts once the first version is published." />
        </Card>
      ) : (
        <>
          <div className="stat-grid">
            <Stat label={`Covered for version ${selected.number}`} value={`${selected.covered} of ${selected.organisations}`} hint="organisations" />
            <Stat label="Not covered" value={selected.organisations - selected.covered} />
            <Stat
              label="Last reminder"
              value={reminders[0] ? formatDateTime(reminders[0].occurredAt) : "Never"}
              hint={reminders[0] ? `by ${reminders[0].actorLabel}` : undefined}
            />
          </div>
          <div className="review-layout">
            <Card title={`Organisations, version ${selected.number}`} flush={organisations.length > 0}>
              <DataTable
                caption={`Coverage of version ${selected.number} by organisation`}
                captionHidden
                columns={[
                  { key: "name", header: "Organisation", rowHeader: true },
                  { key: "members", header: "Members accepted" },
                  { key: "state", header: "Coverage" },
                ]}
                rows={organisations}
                getRowKey={(o) => o.id}
                empty={<p className="muted">No partner organisations yet.</p>}
                renderCell={(o, key) =>
                  key === "name" ? (
                    <div>
                      <Link to={`/admin/partners/${o.id}`}>{o.name}</Link>
                      <div className="muted small">{partnerStatusLabel(o.status)}</div>
                    </div>
                  ) : key === "members" ? (
                    o.members === 0 ? (
                      <span className="muted">No active members yet</span>
                    ) : (
                      `${o.accepted} of ${o.members}`
                    )
                  ) : o.covered ? (
                    <Badge tone="success">Covered</Badge>
                  ) : (
                    <Badge tone="warning">Not covered</Badge>
                  )
                }
              />
            </Card>
            <div className="stack stack--lg">
              {selected.isCurrent ? (
                <Card title="Remind" description="Emails every member of an organisation that is not covered and who has not accepted this version.">
                  <Form method="post" className="stack">
                    <input type="hidden" name="intent" value="remind" />
                    <input type="hidden" name="number" value={selected.number} />
                    <Button type="submit" variant="primary" pending={sending} disabled={notCovered === 0}>
                      {`Remind ${notCovered} ${notCovered === 1 ? "organisation" : "organisations"}`}
                    </Button>
                  </Form>
                  {reminders.length > 0 ? (
                    <ul className="plain-list muted small stack stack--sm" aria-label="Reminders sent">
                      {reminders.map((r, i) => (
                        <li
                          key={i}
                        >{`${formatDateTime(r.occurredAt)}: version ${r.data.number ?? "?"}, ${r.data.recipients ?? 0} people, by ${r.actorLabel}`}</li>
                      ))}
                    </ul>
                  ) : null}
                </Card>
              ) : (
                <Card title="Older version">
                  <p className="muted">Partners are asked to accept the current version; reminders go out for it only.</p>
                </Card>
              )}
              <Card title="Versions">
                <ul className="plain-list stack stack--sm" aria-label="Coverage by version">
                  {versions.map((v) => (
                    <li key={v.number}>
                      <div className="cluster cluster--sm">
                        {v.number === selected.number ? <strong>Version {v.number}</strong> : <Link to={`?version=${v.number}`}>Version {v.number}</Link>}
                        {v.material ? <Badge tone="warning">Material</Badge> : <Badge>Minor</Badge>}
                        <span className="muted small">{`${v.covered} of ${v.organisations}`}</span>
                      </div>
                      <CoverageBar covered={v.covered} total={v.organisations} />
                    </li>
                  ))}
                </ul>
              </Card>
            </div>
          </div>
        </>
      )}
    </>
  );
}
