import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { onboardingChecklist } from "~/domain/partners/onboarding.server";
import { getOwnOrganisation } from "~/domain/partners/organisations.server";
import { describeTerms, partnerStatusLabel, PARTNER_STATUS_TONE, tierLabel } from "~/domain/partners/catalog";
import { lastTermsChange } from "~/domain/partners/terms.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { formatDate } from "~/components/format";
import { DoneMark } from "~/components/done-mark";
import { Badge, Card, PageHeader, Stat } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Partner home" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const scope = { context, request };
  const { org, members } = await mapDomainErrors(getOwnOrganisation(context.app.db, user.partnerOrgId), scope);
  const [checklist, termsChangedAt] = await mapDomainErrors(
    Promise.all([onboardingChecklist(context.app.db, user.partnerOrgId, user), lastTermsChange(context.app.db, user.partnerOrgId)]),
    scope,
  );
  return {
    user: { name: user.name, partnerRole: user.partnerRole },
    org: {
      name: org.name,
      status: org.status,
      tier: org.tier,
      terms: describeTerms(org),
      activatedAt: org.activatedAt,
      renewalDate: org.renewalDate,
      termsChangedAt,
    },
    memberCount: members.length,
    checklist,
  };
}

export default function PartnerHome() {
  const { user, org, memberCount, checklist } = useLoaderData<typeof loader>();
  const done = checklist.filter((s) => s.done).length;
  return (
    <>
      <PageHeader
        title={org.name}
        description={`Welcome, ${user.name.split(" ")[0]}. You are ${user.partnerRole === "owner" ? "the owner" : "a member"} of this partner organisation.`}
        meta={<Badge tone={PARTNER_STATUS_TONE[org.status]}>{partnerStatusLabel(org.status)}</Badge>}
      />
      <div className="stat-grid stat-grid--text">
        <Stat label="Tier" value={tierLabel(org.tier)} />
        <Stat label="Terms" value={org.terms} hint={org.termsChangedAt ? `Changed ${formatDate(org.termsChangedAt)}` : undefined} />
        <Stat label="Team" value={memberCount} hint={memberCount === 1 ? "person" : "people"} />
        <Stat
          label="Partner since"
          value={org.activatedAt ? formatDate(org.activatedAt) : "Onboarding"}
          hint={org.renewalDate ? `Renews ${formatDate(org.renewalDate)}` : undefined}
        />
      </div>
      <Card title="Getting started" description={`${done} of ${checklist.length} steps done`}>
        <ol className="checklist" aria-label="Onboarding checklist">
          {checklist.map((step) => (
            <li key={step.key} data-done={step.done}>
              <DoneMark done={step.done} />
              <strong>{step.title}</strong>
              <div className="small">
                {step.detail} {!step.done && step.href && step.linkLabel ? <Link to={step.href}>{step.linkLabel}</Link> : null}
              </div>
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}
